"""Every command, driven with generated bad arguments and files: never a traceback.

The commands are read from the Typer app itself (a new command or option is
fuzzed without a change here). Each one gets argv made of its own options and
arguments, their values drawn from plausible ones (dates, terms, amounts, the
register's own numbers and vocabulary) mixed with hostile ones (empty, "-",
huge and negative numbers, control characters, 10,000-character strings,
impossible dates, surrogates, paths that do not exist, a device, a FIFO, the
register itself), and files made for the example: random bytes, text in the
code pages offices use, workbooks of random layout, broken copies of the
register, folders of broken report templates. `import -` reads random bytes
from standard input; prompts (add-* without a value, evaluate -i) are answered
with garbage as if at a terminal.

What is asserted, for every run: the exit code is a documented one (0-5; 70 is
"kerjasama failed unexpectedly", a check that is missing: a failure here), no
traceback is printed, no exception escapes, and a command returns within
TIME_LIMIT seconds. A few cases run as real processes too.

Budget: EXAMPLES per command (a few seconds each), reproducible (derandomized)
by default. KERJASAMA_FUZZ_EXAMPLES=2000 searches harder, with fresh random
examples each time (by hand; CI runs the default). The whole register and
every file are made under a temporary folder, and each command runs with that
folder as its working directory and HOME.

Files: test_import_fuzz.py feeds broken files to the importer itself; this one
covers the other commands, `import -` and the arguments of all of them.
"""

from __future__ import annotations

import contextlib
import csv
import enum
import io
import json
import os
import shlex
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from types import FrameType
from typing import Any
from unittest import mock

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from kerjasama_cli.cli import common
from kerjasama_cli.cli.app import app
from kerjasama_cli.vocab.columns import AGREEMENT_COLUMNS, EVALUATION_COLUMNS

ROOT = Path(__file__).parent.parent
EXAMPLES_DIR = ROOT / "examples"

# The README's exit codes, but 70: that one is a bug no check foresaw.
DOCUMENTED = frozenset({0, 1, 2, 3, 4, 5})
TIME_LIMIT = 60.0  # seconds one command may take here before it counts as hung

_HUNTING = "KERJASAMA_FUZZ_EXAMPLES" in os.environ
EXAMPLES = int(os.environ.get("KERJASAMA_FUZZ_EXAMPLES", "6"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not _HUNTING,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=_HUNTING,
)


# --- the commands, as the app declares them ------------------------------------------


@dataclass(frozen=True)
class Param:
    name: str
    opts: tuple[str, ...]  # empty for an argument
    flag: bool
    multiple: bool  # an option given many times, or an argument taking many values
    required: bool
    family: str  # which plausible values fit it (see _plausible)


def _family(param: Any) -> str:
    name = str(param.name or "")
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return "choice:" + "|".join(str(member.value) for member in annotation)
    for family, names in FAMILIES.items():
        if name in names:
            return family
    if annotation is int:
        return "int"
    if isinstance(annotation, type) and issubclass(annotation, os.PathLike):
        return "path"
    return "word"


FAMILIES = {
    "date": {"signed_on", "starts_on", "ends_on", "end", "start", "signed", "date", "as_of",
             "due", "on", "dprd_date"},
    "term": {"term_text", "term"},
    "money": {"value", "score", "progress"},
    "int": {"year", "within", "overdue_days", "header_row", "finding_id"},
    "ref": {"ref", "parent", "mou", "agreement"},
    "target": {"output", "report", "target", "to"},
    "files": {"files", "sources", "file"},
    "templates": {"template_dir"},
    "encoding": {"encoding"},
    "lang": {"lang"},
    "key": {"key"},
}


def _params(command: Any) -> tuple[Param, ...]:
    found = []
    for param in command.params:
        if getattr(param, "hidden", False) or not getattr(param, "expose_value", True):
            continue
        is_option = param.param_type_name == "option"
        opts = tuple(param.opts) + tuple(getattr(param, "secondary_opts", ()) or ())
        found.append(Param(
            name=str(param.name),
            opts=opts if is_option else (),
            flag=bool(is_option and getattr(param, "is_flag", False)),
            multiple=bool(getattr(param, "multiple", False) or param.nargs == -1),
            required=bool(param.required),
            family=_family(param),
        ))
    return tuple(found)


def _leaves(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    subcommands = getattr(command, "commands", None)
    if subcommands is None:
        yield path, command
        return
    for name, sub in sorted(subcommands.items()):
        if not getattr(sub, "hidden", False):
            yield from _leaves(sub, (*path, name))


ROOT_COMMAND = typer.main.get_command(app)
COMMANDS: dict[tuple[str, ...], tuple[Param, ...]] = {
    path: _params(command) for path, command in _leaves(ROOT_COMMAND)
}
ALL_OPTIONS = sorted({opt for params in COMMANDS.values() for p in params for opt in p.opts})
ALL_NAMES = sorted({name for path in COMMANDS for name in path})


# --- values ----------------------------------------------------------------------------

NASTY = [
    "", " ", "-", "--", "=", "0", "-1", "1", "-0", "99999999999999999999999",
    "-99999999999999999999999", "9" * 5000, "1e309", "nan", "inf", "0x1F", "1_000", "٣", "²",
    "Ⅻ", "𝟚𝟘𝟚𝟙", "\x00", "a\x00b", "\x1b[31mmerah\x1b[0m", "\x0b", "\x7f", "\r\n", "\t",
    "\u202eevil", "\ufeff", "\u00a0", "🙂", "é", "İ", "ß", "\udcff", "x" * 10_000, "%s%n",
    "{0}", "{{ 1 }}", "'; DROP TABLE agreement; --", "NULL", "None", "null", "true", "[]",
    "{}", "=1+1", "@SUM(A1)", "id:", "id:1", "id:-1", "#1", "*", "%", "_", "\\", "'", '"',
]
DATES = [
    "31/02/2021", "29/02/2021", "2021-02-29", "0000-00-00", "00/00/0000", "9999-12-31",
    "10000-01-01", "0001-01-01", "1/1/1", "31 Juni 2021", "32 Agustus 2021", "19 Agustus 2021",
    "2021-08-19", "Kamis, 19 Agustus 2021", "Jumat, 19 Agustus 2021", "45000", "-45000", "2021",
    "Agustus", "19/08/2021", "08/19/2021", "2021-08-19T25:61:00", "2021-08-19T10:00:00",
    "19-08-21", "1 Januari 1900", "today", "hari ini", "19 Aug 2021", "2021/13/01",
]
TERMS = [
    "9999 tahun", "0 tahun", "-5 tahun", "99999999999999999999 bulan", "5 (lima) tahun",
    "lima tahun", "1,5 tahun", "tahun", "seumur hidup", "3 hari", "100000 hari",
    "5 tahun 6 bulan", "sampai dengan 31 Desember 2024", "1e9 tahun", "12 bulan", "0,0001 tahun",
]
MONEY = [
    "Rp 1.000.000,00", "Rp -1", "Rp", "1.000,000.00", "1e400", "9" * 40, "Rp 0", "500.000.000",
    "101", "100", "50%", "-0.5", "1e3", "0,5", "Rp 1,5 miliar", "USD 100", "-", "1.2.3",
]
ENCODINGS = ["utf-8", "cp1252", "latin-1", "utf-16", "utf-8-sig", "mac_roman", "rot13",
             "base64", "zip", "hex", "idna", "undefined", "ebcdic", "nope", "utf-32", "cp037"]
LANGS = ["id", "en", "jv", "xx_YY", "../../etc", "zh_Hant_TW", "root", "EN", "id_ID", "en-US"]
STDIN_ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "mac_roman", "utf-16", "latin-1"]
COLUMN_NAMES = [
    *AGREEMENT_COLUMNS,
    *(alias for aliases in AGREEMENT_COLUMNS.values() for alias in aliases[:3]),
    *EVALUATION_COLUMNS,
    *(alias for aliases in EVALUATION_COLUMNS.values() for alias in aliases[:2]),
]
JINJA = [
    "{{", "{%", "{% if %}", "{{ nope }}", "{{ nope.attr }}", "{{ 1/0 }}", "{{ 9**99999 }}",
    "{{ 'x' * 10**9 }}", "{{ range(10**9)|list|length }}", "{% include 'nope.j2' %}",
    "{% include '../../../etc/passwd' %}", "{% extends 'report.md.j2' %}",
    "{% include 'report.md.j2' %}", "{% include 'report.html.j2' %}",
    "{{ ''.__class__.__mro__ }}", "{{ cycler.__init__.__globals__ }}", "{{ self }}",
    "{% for x in range(3) %}{{ x.nope }}{% endfor %}", "{{ '%s' % 1 }}",
    "{{ '{0.__class__}'.format(1) }}", "{{ 1 + 'a' }}",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "{{ [1]*10**9 }}",
    "{{ (1,2)|attr('__len__') }}", "{{ 1|nope_filter }}", "{% set x = [] %}{{ x.append(1) }}",
    "\x00", "{# unterminated", "{% raw %}", "{{ numbers.change() }}", "{{ 10**4300 }}",
    "{{ 'a'|center(300000000) }}", "{{ 'a'|indent(10**9) }}", "{{ 1e308 * 10 }}",
    "{{ '%.5000000f'|format(1.0) }}", "{% for a in agreements %}{{ a }}{% endfor %}",
    "{{ lipsum(10**7) }}", "{{ dict(a=1).items() }}", "{{ x|default(1)|int + 'b' }}",
    "{{ (10**4000)|string }}", "{{ ('a' ~ 'b') * 200000000 }}",
]


@dataclass(repr=False)
class World:
    """The register every example starts from, built once, and what it holds."""

    base: Path
    seed: Path
    seed_bytes: bytes
    words: list[str]  # vocabulary codes, labels and aliases, as `ref --json` lists them
    refs: list[str]  # agreements' numbers and ids
    findings: list[str]
    keys: list[str]  # settings
    device: str | None  # a character device like /dev/full (in the temporary folder as root)
    fifo: str
    templates: dict[str, str]  # the shipped report templates, by name

    def __repr__(self) -> str:
        return f"World({self.seed})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # Hypothesis's reports
        printer.text(repr(self))


@dataclass(repr=False)
class Example:
    world: World
    folder: Path
    register: Path
    made: list[str] = field(default_factory=list)  # the files made, told on failure

    def name(self, suffix: str) -> Path:
        return self.folder / f"made{len(self.made)}{suffix}"

    def __repr__(self) -> str:
        return f"Example({self.folder})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


def _environment(folder: Path) -> dict[str, str | None]:
    return {
        "HOME": str(folder),
        "XDG_DATA_HOME": str(folder / "data"),
        "XDG_CONFIG_HOME": str(folder / "config"),
        "KERJASAMA_DB": str(folder / "from-env.db"),
        "KERJASAMA_DEBUG": None,
        "COLUMNS": "100",
    }


class Hung(BaseException):
    """Raised in a command that ran past TIME_LIMIT (BaseException: nothing catches it)."""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    def alarm(signum: int, frame: FrameType | None) -> None:
        raise Hung(f"still running after {seconds:g} seconds")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _invoke(folder: Path, argv: list[str], *, input: bytes | str = b"",
            tty: bool = False) -> Result:
    """The app in-process, in ``folder``, with a time limit; as at a terminal if ``tty``."""
    terminal = (
        mock.patch.object(common, "is_interactive", return_value=True)
        if tty and hasattr(common, "is_interactive")
        else contextlib.nullcontext()
    )
    runner = CliRunner(env=_environment(folder))
    with contextlib.chdir(folder), terminal, _time_limit(TIME_LIMIT):
        return runner.invoke(app, argv, input=input)


def _short(value: str, limit: int = 60) -> str:
    if len(value) <= limit:
        return value
    return f"{value[:limit // 2]}…<{len(value):,} chars>…{value[-10:]}"


def _shown(argv: list[str]) -> str:
    return "[" + ", ".join(repr(_short(arg)) for arg in argv) + "]"


def _problems(result: Result) -> list[str]:
    """What makes a run a failure: an undocumented exit code (70 included), a
    traceback, an exception the CLI let escape."""
    output = result.stdout + result.stderr
    found = []
    if result.exit_code not in DOCUMENTED:
        found.append(f"exit code {result.exit_code}")
    if "Traceback (most recent call last)" in output:
        found.append("a traceback was printed")
    if "failed unexpectedly" in output:
        found.append("'kerjasama failed unexpectedly'")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        found.append(f"exception {type(result.exception).__name__}: {result.exception}")
    return found


def _run(ex: Example, argv: list[str], *, input: bytes | str = b"", tty: bool = False) -> None:
    """Run once and fail with a reproducer: the argv, the files made, the output's tail."""
    try:
        result = _invoke(ex.folder, argv, input=input, tty=tty)
    except Hung as error:
        pytest.fail(f"kerjasama {_shown(argv)} hung: {error}\nfiles: {ex.made}")
    problems = _problems(result)
    if problems:
        raw = input if isinstance(input, bytes) else input.encode("utf-8", "surrogateescape")
        pytest.fail(
            f"kerjasama {_shown(argv)}: {'; '.join(problems)}\n"
            f"tty: {tty}; stdin: {raw[:200]!r}{'…' if len(raw) > 200 else ''}\n"
            f"files made: {ex.made}\n"
            f"--- stdout (tail) ---\n{result.stdout[-1500:]}\n"
            f"--- stderr (tail) ---\n{result.stderr[-1500:]}"
        )


# --- the register every example starts from ---------------------------------------------


def _strings(data: object) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


def _shipped_templates() -> dict[str, str]:
    try:
        from kerjasama_cli.exporting.report import shipped_templates

        folder = shipped_templates()
    except (ImportError, FileNotFoundError):
        folder = ROOT / "templates"
    return {path.name: path.read_text("utf-8") for path in sorted(folder.glob("*.j2"))}


def _device(base: Path) -> str | None:
    """A character device that refuses writes, like /dev/full. Made in ``base`` as root:
    SQLite writes a -journal beside a database it is given, and root may write in /dev."""
    if os.geteuid() != 0:
        return "/dev/full" if Path("/dev/full").exists() else None
    try:
        os.mknod(base / "full", stat.S_IFCHR | 0o666, os.makedev(1, 7))
    except (OSError, AttributeError):
        return None
    return str(base / "full")


def _dev_entries() -> set[str]:
    try:
        return {entry.name for entry in Path("/dev").iterdir()}
    except OSError:
        return set()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    base = tmp_path_factory.mktemp("fuzz-commands")
    seed = base / "seed.db"

    def run(*argv: str) -> Result:
        result = _invoke(base, ["--db", str(seed), *argv])
        assert result.exit_code in (0, 1), (argv, result.output)
        return result

    run("import", str(EXAMPLES_DIR / "register-2021.csv"))
    run("import", "--type", "evaluations", str(EXAMPLES_DIR / "evaluasi-2021.csv"))
    rows = json.loads(run("list", "--json").stdout)
    assert rows, "the sample register imported nothing"
    run("finding", "add", rows[0]["number"], "--year", "2021", "--category", "administrasi",
        "--text", "Laporan berkala belum disampaikan", "--due", "2021-12-31")
    keys = list(json.loads(run("config", "show", "--json").stdout))
    run("config", "set", keys[0], "Kabupaten Contoh")
    words: set[str] = set()
    for path in COMMANDS:
        if path[0] == "ref":
            result = _invoke(base, ["--db", str(seed), *path, "--json"])
            if result.exit_code == 0:
                words.update(w for w in _strings(json.loads(result.stdout)) if len(w) < 80)
    findings = [str(f["id"]) for f in json.loads(run("finding", "list", "--json").stdout)]
    refs = [row["number"] for row in rows[:12]] + [str(row["id"]) for row in rows[:4]]
    os.mkfifo(base / "fifo")
    devices = _dev_entries()
    yield World(
        base=base,
        seed=seed,
        seed_bytes=seed.read_bytes(),
        words=sorted(words),
        refs=refs,
        findings=findings,
        keys=keys,
        device=_device(base),
        fifo=str(base / "fifo"),
        templates=_shipped_templates(),
    )
    made = sorted(_dev_entries() - devices)
    assert not made, f"the fuzzed commands made files in /dev: {made}"


@contextlib.contextmanager
def _example(world: World) -> Iterator[Example]:
    runs = world.base / "runs"
    runs.mkdir(exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=runs))
    register = folder / "register.db"
    shutil.copyfile(world.seed, register)
    try:
        yield Example(world, folder, register)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- files -------------------------------------------------------------------------------

Draw = Callable[..., Any]  # a composite's draw, or st.data()'s

TEXT = st.text(
    alphabet=st.sampled_from(list("abcKBPS/ .,;\t\"'\n–“”’é0123456789%Rp-=")) | st.characters(),
    max_size=30,
)
CELL_TEXT = st.text(
    alphabet=st.sampled_from(list("abcKBPS/ .,;\"'–“”’é0123456789%Rp-="))
    | st.characters(blacklist_categories=("Cc", "Cs")),
    max_size=30,
)
CELLS = st.one_of(
    st.none(),
    CELL_TEXT,
    st.sampled_from(["KB", "PKS", "Adendum", "MoU", "Jumlah", "Mengetahui,", "-", "Tidak ada",
                     "A. KERJA SAMA DENGAN PIHAK KETIGA", "=SUM(A1:A3)", "(1)", *DATES[:12],
                     *TERMS[:6], *MONEY[:6]]),
    st.integers(min_value=-(10**6), max_value=10**16),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)),
)


def _workbook(draw: Draw, path: Path) -> str:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    described = []
    for index in range(draw(st.integers(1, 3))):
        sheet = book.create_sheet(draw(st.sampled_from(
            ["KB", "PKS", "Rekap", "Sheet", "Evaluasi 2021", "Adendum", "Temuan"])) + str(index))
        width = draw(st.integers(1, 8))
        for row in draw(st.lists(st.lists(CELLS, max_size=2), max_size=4)):
            sheet.append(row)
        sheet.append(draw(st.lists(st.sampled_from(COLUMN_NAMES), min_size=width,
                                   max_size=width)))
        body = draw(st.lists(st.lists(CELLS, max_size=width + 1), max_size=8))
        for row in body:
            sheet.append(row)
        for top, column, down, across in draw(st.lists(st.tuples(
                st.integers(1, 14), st.integers(1, width), st.integers(0, 2), st.integers(0, 3)),
                max_size=3)):
            with contextlib.suppress(ValueError):
                sheet.merge_cells(start_row=top, start_column=column, end_row=top + down,
                                  end_column=column + across)
        if index and draw(st.booleans()):
            sheet.sheet_state = "hidden"
        described.append(f"{sheet.title}: {len(body)} rows")
    book.save(path)
    return "workbook (" + "; ".join(described) + ")"


def _csv_text(draw: Draw) -> str:
    rows = draw(st.lists(st.lists(
        st.one_of(st.sampled_from(COLUMN_NAMES), st.sampled_from(NASTY[:40] + DATES + TERMS),
                  TEXT), max_size=8), max_size=10))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=draw(st.sampled_from([";", ",", "\t", "|"]))).writerows(rows)
    return buffer.getvalue()


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(COLUMN_NAMES) | TEXT, inner, max_size=5),
    max_leaves=20,
)


def _broken_register(draw: Draw, world: World, path: Path) -> str:
    """A copy of the register broken one way, or an SQLite file that is no register."""
    how = draw(st.sampled_from(["truncated", "corrupted", "foreign", "revision", "dropped",
                                "empty", "header", "copy", "bad-row"]))
    data = world.seed_bytes
    if how == "truncated":
        cut = draw(st.integers(0, len(data) - 1))
        path.write_bytes(data[:cut])
        return f"register truncated at {cut}"
    if how == "corrupted":
        spots = draw(st.lists(
            st.tuples(st.integers(0, len(data) - 1), st.binary(min_size=1, max_size=64)),
            min_size=1, max_size=4))
        broken = bytearray(data)
        for at, chunk in spots:
            broken[at:at + len(chunk)] = chunk
        path.write_bytes(bytes(broken[: len(data)]))
        return f"register with bytes overwritten at {[at for at, _ in spots]}"
    if how == "empty":
        path.write_bytes(b"")
        return "empty file"
    if how == "header":
        path.write_bytes(b"SQLite format 3\x00" + draw(st.binary(max_size=3000)))
        return "SQLite header then random bytes"
    path.write_bytes(data)
    if how == "copy":
        return "a copy of the register"
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        if how == "foreign":
            for table in tables:
                db.execute(f'DROP TABLE "{table}"')
            db.execute(f'CREATE TABLE "{draw(st.sampled_from(["agreement", "x", "t"]))}" (a, b)')
            return "an SQLite database of another program"
        if how == "revision":
            revision = draw(st.sampled_from(["", "9999_future", "0001", "\x00", "x" * 500]))
            db.execute("UPDATE alembic_version SET version_num = ?", (revision,))
            return f"register of revision {revision!r}"
        table = draw(st.sampled_from(sorted(tables)))
        if how == "dropped":
            db.execute(f'DROP TABLE "{table}"')
            return f"register without its table {table}"
        columns = [r[1] for r in db.execute(f'PRAGMA table_info("{table}")')]
        column = draw(st.sampled_from(columns))
        value = draw(st.sampled_from([None, "", "x" * 5000, -1, 2**62, 1.5, b"\x00\xff",
                                      "not a date", "9999-99-99", "\x1b[2J"]))
        try:
            db.execute(f'UPDATE "{table}" SET "{column}" = ?', (value,))
        except sqlite3.Error:  # a key column: SQLite itself refuses the value
            return "a copy of the register"
        return f"register with {table}.{column} = {value!r:.40}"


def _template_folder(draw: Draw, world: World, path: Path) -> str:
    path.mkdir()
    told = []
    for name in draw(st.lists(st.sampled_from(sorted(world.templates) or ["report.md.j2"]),
                              min_size=1, max_size=3, unique=True)):
        how = draw(st.sampled_from(["mutated", "snippets", "bytes", "empty", "link"]))
        target = path / name
        if how == "mutated" and name in world.templates:
            text = world.templates[name]
            at = draw(st.integers(0, len(text)))
            cut = draw(st.integers(0, 200))
            target.write_text(text[:at] + draw(st.sampled_from(JINJA)) + text[at + cut:],
                              "utf-8")
        elif how == "snippets":
            target.write_text("\n".join(draw(st.lists(st.sampled_from(JINJA) | TEXT,
                                                      max_size=5))), "utf-8", "surrogatepass")
        elif how == "bytes":
            target.write_bytes(draw(st.binary(max_size=500)))
        elif how == "link":
            target.symlink_to(draw(st.sampled_from(["/etc/hostname", "..", name, "/nonexistent"])))
        else:
            target.write_bytes(b"")
        told.append(f"{name}: {how}")
    return "template folder (" + ", ".join(told) + ")"


@st.composite
def made_files(draw: st.DrawFn, ex: Example) -> str:
    """A file (or folder) made for this example, as an absolute or a relative path."""
    kind = draw(st.sampled_from(["workbook", "bytes", "text", "json", "register", "html",
                                 "templates"]))
    if kind == "workbook":
        path = ex.name(draw(st.sampled_from([".xlsx", ".xlsx", ".xls", ".ods", ".xlsm", ".csv"])))
        told = _workbook(draw, path)
    elif kind == "bytes":
        data = draw(st.binary(max_size=2000))
        path = ex.name(draw(st.sampled_from(
            [".csv", ".xlsx", ".xls", ".ods", ".json", ".jsonl", ".txt", ".db", "", ".j2"])))
        path.write_bytes(data)
        told = f"random bytes {data[:40]!r}"
    elif kind == "text":
        encoding = draw(st.sampled_from(STDIN_ENCODINGS))
        path = ex.name(draw(st.sampled_from([".csv", ".txt", ".tsv"])))
        path.write_bytes(_csv_text(draw).encode(encoding, errors="replace"))
        told = f"CSV text in {encoding}"
    elif kind == "json":
        suffix = draw(st.sampled_from([".json", ".jsonl", ".ndjson"]))
        values = draw(st.lists(JSON, min_size=1, max_size=4))
        text = "\n".join(json.dumps(v) for v in values) if suffix != ".json" else json.dumps(
            values[0])
        path = ex.name(suffix)
        path.write_text(text, "utf-8", "surrogatepass")
        told = f"JSON {text[:60]!r}"
    elif kind == "html":
        rows = draw(st.lists(st.lists(st.sampled_from(COLUMN_NAMES) | CELL_TEXT, max_size=6),
                             max_size=6))
        cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
        path = ex.name(draw(st.sampled_from([".xls", ".html"])))
        path.write_text(f"<html><body><table>{cells}", "utf-8", "surrogatepass")
        told = "a web page saved as .xls"
    elif kind == "register":
        path = ex.name(draw(st.sampled_from([".db", ".sqlite", ".xlsx"])))
        told = _broken_register(draw, ex.world, path)
    else:
        path = ex.name("-templates")
        told = _template_folder(draw, ex.world, path)
    ex.made.append(f"{path.name}: {told}")
    return str(path) if draw(st.booleans()) else path.name


def _paths(ex: Example) -> list[str]:
    """Paths that exist and do not, that are the register, a folder, a device, a pipe."""
    paths = [
        "register.db", str(ex.register), ".", str(ex.folder), "missing/deeper/x.xlsx",
        str(ex.folder / "missing" / "x.db"), "out.xlsx", "laporan/", "out", "~/x", "a" * 300,
        "x\x00y", "/proc/x", "/proc/x/y", "/dev/full/x", ex.world.fifo, "register.db-wal",
        "register.db-journal", "laporan.md", "laporan.html", "x.csv", "\udcff.csv", "-",
    ]
    if ex.world.device is not None:
        paths.append(ex.world.device)
    return paths


def _databases(ex: Example) -> list[str]:
    return [
        "", " ", ":memory:", "file::memory:", "sqlite://", "sqlite:///:memory:",
        f"sqlite:///{ex.register}", "mysql://x@localhost/y", "postgresql+psycopg://x@127.0.0.1:1/y",
        "postgresql+asyncpg://x@127.0.0.1/y", "postgresql://x@127.0.0.1:99999/y", "http://x",
        "oracle://", "sqlite://host/x.db", "postgresql://x:secret@[::1/y", "new.db",
        "missing/deeper/new.db", *_paths(ex),
    ]


def _plausible(ex: Example, family: str) -> st.SearchStrategy[str]:
    world = ex.world
    if family.startswith("choice:"):
        return st.sampled_from(family[len("choice:"):].split("|"))
    plain: dict[str, list[str]] = {
        "date": DATES,
        "term": TERMS,
        "money": MONEY,
        "int": ["2021", "2020", "2022", "0", "-1", "7", "30", "60", "1", "3", "99999",
                "2147483648", "9223372036854775808", *world.findings],
        "ref": [*world.refs, "999999", "nope/KB/2021"],
        "encoding": ENCODINGS,
        "lang": LANGS,
        "key": [*world.keys, "nope", "REGION", "warning_days", ""],
    }
    if family in plain:
        return st.sampled_from(plain[family])
    if family in ("target", "path"):
        return st.sampled_from(_paths(ex)) | st.sampled_from(_databases(ex)[:12])
    if family in ("files", "templates"):
        return made_files(ex) | st.sampled_from(_paths(ex))
    return st.sampled_from(world.words or ["KB"])


@st.composite
def values(draw: st.DrawFn, ex: Example, family: str) -> str:
    """A value for an option or argument: plausible for it first (what shrinking goes
    to), then hostile, another option's plausible value, random text, a file."""
    pick = draw(st.integers(0, 6))
    if pick == 0:
        return draw(_plausible(ex, family))
    if pick == 1:
        return draw(st.sampled_from(NASTY))
    if pick == 2:
        other = draw(st.sampled_from([*FAMILIES, "word"]))
        return draw(_plausible(ex, other) if other not in ("files", "templates") else
                    st.sampled_from(_paths(ex)))
    if pick == 3:
        return draw(st.text(max_size=40))
    if pick == 4:
        return str(draw(st.integers(-(10**25), 10**25)))
    if pick == 5:
        return draw(st.sampled_from(DATES + TERMS + MONEY))
    return draw(made_files(ex))


EXTRAS = ["--nope", "-Z", "--json=yes", "--help", "extra", "--", "-", "--db", "-q"]


@st.composite
def command_lines(draw: st.DrawFn, ex: Example, path: tuple[str, ...],
                  positionals: list[str] | None = None) -> list[str]:
    """argv for one command: the root options, the command, some of its options with
    values, its arguments (``positionals`` instead, when given), now and then extras."""
    argv = ["--db"]
    argv.append(str(ex.register) if draw(st.integers(0, 9)) < 8 else draw(
        st.sampled_from(_databases(ex)) | made_files(ex)))
    if draw(st.integers(0, 4)) == 4:
        argv.append(draw(st.sampled_from(["-q", "--quiet"])))
    argv += path
    options: list[list[str]] = []
    arguments: list[str] = []
    for param in COMMANDS[path]:
        if not param.opts:
            if positionals is not None:
                continue
            if param.multiple:
                count = draw(st.integers(0 if not param.required else 1, 3))
            else:
                count = 0 if draw(st.integers(0, 9)) == 9 else 1
            arguments += [draw(values(ex, param.family)) for _ in range(count)]
            continue
        wanted = draw(st.integers(0, 9)) < 9 if param.required else draw(st.integers(0, 2)) == 2
        if not wanted:
            continue
        for _ in range(draw(st.integers(1, 3)) if param.multiple else 1):
            opt = draw(st.sampled_from(param.opts))
            if param.flag:
                options.append([opt])
                continue
            value = draw(values(ex, param.family))
            if opt.startswith("--") and draw(st.booleans()):
                options.append([f"{opt}={value}"])
            else:
                options.append([opt, value])
    if positionals is not None:
        arguments = positionals
    if draw(st.booleans()):
        options = draw(st.permutations(options))
    tail = list(arguments)
    if draw(st.integers(0, 3)) == 3:
        tail = ["--", *tail]
    at = draw(st.integers(0, len(options)))
    argv += [word for option in options[:at] for word in option]
    argv += tail
    argv += [word for option in options[at:] for word in option]
    if draw(st.integers(0, 5)) == 5:
        argv.insert(draw(st.integers(len(path) + 1, len(argv))), draw(st.sampled_from(EXTRAS)))
    return argv


ANSWERS = st.lists(
    st.sampled_from(["", "-", "q", "y", "n", "terlaksana", "belum", "50", "101", "x" * 300,
                     "\x1b", "Dilanjutkan", "2021-02-31", *TERMS[:3], *DATES[:3]]) | TEXT,
    max_size=12,
).map(lambda answers: "\n".join(answer.replace("\n", " ") for answer in answers))


# --- the tests ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=" ".join)
@FUZZ
@given(data=st.data())
def test_bad_arguments_never_show_a_traceback(
    world: World, path: tuple[str, ...], data: st.DataObject
) -> None:
    with _example(world) as ex:
        argv = data.draw(command_lines(ex, path), label="argv")
        tty = data.draw(st.integers(0, 3), label="tty") == 3
        answers = data.draw(ANSWERS, label="answers") if tty else ""
        _run(ex, argv, input=answers, tty=tty)


@FUZZ
@given(data=st.data())
def test_import_from_stdin_never_shows_a_traceback(world: World, data: st.DataObject) -> None:
    """`import -`: random bytes, CSV in any code page, a workbook's bytes, JSON lines."""
    with _example(world) as ex:
        files = data.draw(st.sampled_from([["-"], ["-", "-"], ["-", "register.db"]]),
                          label="files")
        argv = data.draw(command_lines(ex, ("import",), positionals=files), label="argv")
        kind = data.draw(st.sampled_from(["bytes", "csv", "workbook", "json lines"]),
                         label="stdin")
        if kind == "bytes":
            stdin = data.draw(st.binary(max_size=3000), label="bytes")
        elif kind == "csv":
            encoding = data.draw(st.sampled_from(STDIN_ENCODINGS), label="encoding")
            stdin = _csv_text(data.draw).encode(encoding, errors="replace")
        elif kind == "workbook":
            path = ex.name(".xlsx")
            ex.made.append(f"{path.name}: {_workbook(data.draw, path)}, on stdin")
            stdin = path.read_bytes()
        else:
            rows = data.draw(st.lists(JSON, max_size=5), label="rows")
            stdin = "\n".join(json.dumps(row) for row in rows).encode("utf-8", "surrogatepass")
        _run(ex, argv, input=stdin)


@FUZZ
@given(data=st.data())
def test_broken_registers_never_show_a_traceback(world: World, data: st.DataObject) -> None:
    """Any command on a register that is truncated, corrupted, of another schema
    revision, missing a table, holding a value no command writes, or no register."""
    with _example(world) as ex:
        path = data.draw(st.sampled_from(sorted(COMMANDS)), label="command")
        register = data.draw(made_files(ex), label="made")
        broken = ex.name(".db")
        _broken_register(data.draw, world, broken)
        ex.made.append(f"{broken.name}: --db")
        argv = data.draw(command_lines(ex, path), label="argv")
        argv[1] = str(broken) if data.draw(st.integers(0, 3)) else register
        _run(ex, argv)


TOKENS = st.sampled_from(ALL_NAMES) | st.sampled_from(ALL_OPTIONS) | st.sampled_from(NASTY) \
    | st.sampled_from(DATES + TERMS) | TEXT


@FUZZ
@given(data=st.data())
def test_random_token_soup_never_shows_a_traceback(world: World, data: st.DataObject) -> None:
    """Command names, options of any command and junk, in any order."""
    with _example(world) as ex:
        argv = ["--db", str(ex.register), *data.draw(st.lists(TOKENS, max_size=8), label="argv")]
        _run(ex, argv)


# --- real processes: what a terminal's stderr shows --------------------------------------

PROCESS_CASES: list[tuple[list[str], bytes]] = [
    (["list", "--year", "99999999999999999999999", "--as-of", "31/02/2021"], b""),
    (["add-mou", "--number", "x" * 10_000, "--title", "\x1b[2J\x7f", "--signed", "9999 tahun"],
     b""),
    (["show", "\udcff\x0b"], b""),
    (["import", "-"], bytes(range(256)) * 8),
    (["export", "2021", "--md", "-o", "/proc/x/laporan.md"], b""),
    (["evaluate", "2021", "--interactive"], b"q\n"),
    (["merge", "/proc/x", "register.db"], b""),
]


@pytest.mark.slow
@pytest.mark.parametrize(("argv", "stdin"), PROCESS_CASES,
                         ids=[shlex.join(a)[:40] for a, _ in PROCESS_CASES])
def test_a_real_process_prints_no_traceback(
    world: World, argv: list[str], stdin: bytes
) -> None:
    with _example(world) as ex:
        env = {**os.environ, **{k: v for k, v in _environment(ex.folder).items() if v}}
        env.pop("KERJASAMA_DEBUG", None)
        result = subprocess.run(
            [sys.executable, "-m", "kerjasama_cli", "--db", str(ex.register), *argv],
            input=stdin, capture_output=True, cwd=ex.folder, env=env, timeout=TIME_LIMIT,
            check=False,
        )
        stderr = result.stderr.decode("utf-8", "replace")
        stdout = result.stdout.decode("utf-8", "replace")
        assert result.returncode in DOCUMENTED, (argv, result.returncode, stderr[-1500:])
        assert "Traceback" not in stderr + stdout, (argv, stderr[-3000:])
        assert "failed unexpectedly" not in stderr, (argv, stderr[-1500:])


TERMINAL_CASES: list[tuple[list[str], bytes]] = [
    (["add-mou", "--number", "9/KB/2030"], b"\x1b[A sampah\n31/02/2021\n\x7f\n"),
    (["evaluate", "2021", "--interactive"], b"bukan\nsebagian\n101\n\x1b\n" + b"x" * 300 + b"\n"),
]


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
@pytest.mark.parametrize(("argv", "answers"), TERMINAL_CASES,
                         ids=[" ".join(a[:2]) for a, _ in TERMINAL_CASES])
def test_prompts_at_a_real_terminal_print_no_traceback(
    world: World, argv: list[str], answers: bytes
) -> None:
    """Standard input a terminal (prompts are asked), answered with garbage, then
    Ctrl-D until the command ends."""
    import time

    with _example(world) as ex:
        env = {**os.environ, **{k: v for k, v in _environment(ex.folder).items() if v}}
        env.pop("KERJASAMA_DEBUG", None)
        controller, terminal = os.openpty()
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "kerjasama_cli", "--db", str(ex.register), *argv],
                stdin=terminal, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                cwd=ex.folder, env=env,
            )
            os.close(terminal)
            os.write(controller, answers)
            deadline = time.monotonic() + TIME_LIMIT
            while process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.3)
                with contextlib.suppress(OSError):
                    os.write(controller, b"\x04")
            if process.poll() is None:
                process.kill()
            stdout, stderr = process.communicate(timeout=TIME_LIMIT)
        finally:
            os.close(controller)
        shown = stderr.decode("utf-8", "replace")[-1500:]
        assert process.returncode in DOCUMENTED, (argv, process.returncode, shown)
        assert b"Traceback" not in stdout + stderr, (argv, shown)
        assert b"failed unexpectedly" not in stderr, (argv, shown)
