"""The JSON contract: every --json output holds to the JSON Schema that
`kerjasama schema NAME` prints, the schemas are valid draft 2020-12, and an
output that drifts (a key added, dropped or renamed, a type changed) fails."""

from __future__ import annotations

import ast
import copy
import json
import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import typer
from jsonschema import Draft202012Validator, FormatChecker
from typer.testing import CliRunner

from conftest import Cli, snapshot
from kerjasama_cli import contract
from kerjasama_cli.cli.app import app
from kerjasama_cli.errors import ExitCode

EXAMPLES = Path(__file__).parent.parent / "examples"
REGISTER = str(EXAMPLES / "register-2021.csv")
EVALUATIONS = str(EXAMPLES / "evaluasi-2021.csv")

# Dates known to the month or year, a value with sen, a parent not in the register.
ODD_REGISTER = (
    "Jenis Dokumen;Nomor;Tentang;Mitra;Tanggal Penandatanganan;Tanggal Berakhir;Nilai;Induk\n"
    "KB;180/9/KB/2021;Pengembangan Wisata;Universitas Lampung;Agustus 2021;2024;"
    "Rp 1.250.000,50;\n"
    "PKS;180/9/PKS/2021;Magang;Universitas Lampung;3/9/2021;31/12/2022;;180/8/KB/2019\n"
)

FORMATS = FormatChecker(formats=())


@FORMATS.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return bool(re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value)) and bool(
        date.fromisoformat(value)
    )


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    """RFC 3339, as the contract's moments are ("2026-11-28T11:02:33Z")."""
    if not isinstance(value, str):
        return True
    shape = (
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
        r"(Z|[+-][0-9]{2}:[0-9]{2})"
    )
    return bool(re.fullmatch(shape, value)) and bool(datetime.fromisoformat(value))


_SCHEMAS: dict[str, dict[str, Any]] = {}


def schema_of(cli: Cli, name: str) -> dict[str, Any]:
    """The schema as a script gets it: `kerjasama schema NAME`."""
    if name not in _SCHEMAS:
        _SCHEMAS[name] = json.loads(cli("schema", name).stdout)
    return _SCHEMAS[name]


def problems(cli: Cli, name: str, output: object) -> list[str]:
    validator = Draft202012Validator(schema_of(cli, name), format_checker=FORMATS)
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(output)
    ]


def holds(cli: Cli, name: str, output: object) -> None:
    """The output fits the schema ``name`` (each name is checked in this file:
    test_every_schema_is_exercised reads the calls)."""
    found = problems(cli, name, output)
    assert not found, f"{name}: " + "\n".join(found[:20])


def printed(cli: Cli, *args: str, code: int = 0) -> Any:
    result = cli(*args, ok=False)
    assert result.exit_code == code, (args, result.stdout, result.stderr)
    return json.loads(result.stdout)


@pytest.fixture
def sample(sqlite_cli: Cli) -> Cli:
    """The sample register, its 2021 evaluation, automatic findings and one finding
    closed after the year's end (so the board shows it as it stood then)."""

    def build() -> None:
        sqlite_cli("import", REGISTER, EVALUATIONS)
        sqlite_cli("config", "set", "region", "Kabupaten Tanggamus")
        sqlite_cli("evaluate", "2021", "--record-auto")
        added = sqlite_cli.json(
            "finding", "add", "180/25/PKS/I.01/2020", "--year", "2021",
            "--category", "kendala", "--text", "Sinyal lemah di pekon pegunungan",
            "--owner", "Dinas Komunikasi dan Informatika", "--due", "30/6/2022",
        )
        finding = str(added["id"])  # type: ignore[index]
        sqlite_cli("finding", "update", finding, "--status", "dalam-proses", "--note", "Dibahas")
        sqlite_cli(
            "finding", "update", finding, "--status", "selesai", "--note", "PKS ditandatangani",
            "--on", "2022-03-02",
        )

    snapshot(sqlite_cli, "json-contract-sample", build)
    return sqlite_cli


def test_reads_hold_to_their_schemas(sample: Cli) -> None:
    holds(sample, "agreement", sample.json("show", "180/05/KB/I.01/2021"))
    holds(sample, "agreement", sample.json("show", "180/21/PKS/I.01/2020", "--as-of", "2021-06-30"))
    holds(sample, "agreement-list", sample.json("list"))
    holds(sample, "agreement-list", printed(sample, "list", "--year", "2021", "--format", "json"))
    holds(sample, "agreement-list", sample.json("list", "--search", "tidak ada yang cocok"))
    holds(sample, "history", sample.json("history", "180/05/KB/I.01/2021"))
    holds(sample, "due", sample.json("due", "--as-of", "2021-12-31"))
    due = sample.json("due", "--as-of", "2022-06-30", "--within", "45")
    assert set(due["groups"]) == {"overdue", "7", "30", "45"}  # type: ignore[index]
    holds(sample, "due", due)
    holds(sample, "check", printed(sample, "check", "--json", code=ExitCode.PROBLEMS_FOUND))
    holds(sample, "config", sample.json("config", "show"))
    holds(sample, "finding-list", sample.json("finding", "list"))
    holds(sample, "finding-list", sample.json("finding", "list", "--open"))


def test_boards_hold_to_their_schema(sample: Cli) -> None:
    board = sample.json("evaluate", "2021")
    holds(sample, "board", board)
    assert board["numbers"]["change"] == {}  # type: ignore[index]  # 2020 was not evaluated
    seen = [f for f in board["open_findings"] if f["later_status"]]  # type: ignore[index]
    assert seen and seen[0]["seen_day"] == "2021-12-31"
    following = sample.json("evaluate", "2022")
    assert following["numbers"]["previous"]["year"] == 2021  # type: ignore[index]
    holds(sample, "board", following)
    holds(sample, "board", sample.json("evaluate", "2021", "--unit", "Dinas Kesehatan"))


def test_forms_sent_hold_to_their_schema(sample: Cli, tmp_path: Path) -> None:
    sent = sample.json("evaluate", "2021", "--forms", "-o", str(tmp_path / "f"))
    holds(sample, "forms", sent)
    assert isinstance(sent, list) and len(sent) > 10
    # Once forms were sent, the export carries the sheet of the OPDs' forms.
    sample("export", "2021", "--json", "-o", str(tmp_path / "e.json"))
    exported = json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))
    holds(sample, "export", exported)
    assert len(exported["sheets"]["Formulir OPD"]) == len(sent)
    holds(sample, "board", sample.json("evaluate", "2021"))
    holds(sample, "due", sample.json("due"))


def test_the_tkksd_checks_hold_to_their_schema(sample: Cli) -> None:
    ref = "180/22/PKS/I.01/2021"
    returned = sample.json("evaluate", "2021", ref, "--return-to-opd", "--note", "Progres?")
    holds(sample, "evaluation-states", returned)
    verified = sample.json("evaluate", "2021", "--verify", ref, "180/04/KB/I.01/2020")
    holds(sample, "evaluation-states", verified)
    assert [row["state"] for row in verified] == ["diverifikasi"] * 2  # type: ignore[index]


def _add(cli: Cli, *args: str) -> dict[str, Any]:
    output = cli.json(*args)
    holds(cli, "agreement-change", output)
    return output  # type: ignore[return-value]


def test_writes_hold_to_their_schemas(cli: Cli) -> None:
    kb, pks = "180/1/KB/2021", "180/2/PKS/2021"
    added = _add(
        cli, "add-mou", "--number", kb, "--title", "Pengembangan SDM", "--partner",
        "Universitas Lampung", "--partner", "Politeknik Negeri Lampung", "--kind", "ksdpk",
        "--bidang", "PUPR", "--unit", "Dinas Pendidikan", "--signed", "19 Agustus 2021",
        "--term", "5 (lima) tahun", "--funding", "apbd", "--dprd", "tidak-perlu",
    )
    assert added["created"] and added["changes"] == []
    _add(cli, "add-pks", "--mou", kb, "--number", pks, "--title", "Magang",
         "--signed", "1/9/2021", "--end", "31/12/2022", "--value", "Rp 250.000.000")
    _add(cli, "add-adendum", "--to", pks, "--number", "180/3/ADD/2022",
         "--title", "Perubahan jadwal")
    changed = _add(cli, "update", pks, "--value", "Rp 275.000.000", "--note", "tambah peserta")
    assert {c["field"] for c in changed["changes"]} >= {"value", "note"}
    _add(cli, "update", pks, "--note", "tambah peserta")  # nothing changes
    _add(cli, "extend", pks, "--end", "2023-12-31")
    renewal = _add(cli, "extend", pks, "--end", "2025-12-31", "--number", "180/2/PKS/2024")
    assert renewal["created"]
    _add(cli, "terminate", "180/2/PKS/2024", "--date", "2025-06-30", "--reason", "Selesai")

    evaluated = cli.json("evaluate", "2021", kb, "--level", "sebagian", "--progress", "60",
                         "--recommendation", "dilanjutkan", "--goal-fit", "4", "--score", "3")
    holds(cli, "evaluation-change", evaluated)
    holds(cli, "evaluation-change", cli.json("evaluate", "2021", kb, "--progress", "70"))
    holds(cli, "evaluation-change", cli.json("evaluate", "2021", kb, "--progress", "70"))

    finding = cli.json("finding", "add", pks, "--year", "2021", "--category", "kendala",
                       "--text", "Peserta kurang", "--due", "30/6/2022")
    holds(cli, "finding-added", finding)
    number = str(finding["id"])  # type: ignore[index]
    holds(cli, "finding", cli.json("finding", "update", number, "--note", "Dibahas"))
    holds(cli, "finding", cli.json("finding", "update", number, "--status", "selesai",
                                   "--owner", "Dinas Pendidikan", "--on", "2022-03-02"))
    holds(cli, "finding-list", cli.json("finding", "list"))
    holds(cli, "agreement", cli.json("show", pks))
    holds(cli, "agreement-list", cli.json("list"))
    holds(cli, "history", cli.json("history", pks))
    holds(cli, "board", cli.json("evaluate", "2021", "--record-auto"))
    holds(cli, "due", cli.json("due", "--as-of", "2022-12-01"))
    holds(cli, "check", cli.json("check"))


def test_imports_hold_to_their_schema(sqlite_cli: Cli, tmp_path: Path) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text(ODD_REGISTER, encoding="utf-8")
    for files in (
        [REGISTER],
        [str(EXAMPLES / "daftar-ksd-pesawaran-2022.xlsx")],
        [str(EXAMPLES / "register-per-jenis-pesawaran.xlsx")],
        [str(EXAMPLES / "register-pesawaran-excel-windows.csv")],
        [str(odd)],
    ):
        holds(sqlite_cli, "import", printed(sqlite_cli, "import", *files, "--dry-run", "--json"))
    refused = printed(sqlite_cli, "import", str(EXAMPLES / "register-with-errors.csv"), "--json",
                      code=ExitCode.PROBLEMS_FOUND)
    assert refused[0]["problems"]
    holds(sqlite_cli, "import", refused)
    holds(sqlite_cli, "import", printed(sqlite_cli, "import", REGISTER, EVALUATIONS, str(odd),
                                        "--json"))
    sqlite_cli("update", "180/05/KB/I.01/2021", "--title", "Judul lain")
    again = printed(sqlite_cli, "import", REGISTER, "--json")
    assert again[0]["skipped_documents"]
    holds(sqlite_cli, "import", again)

    listed: Any = sqlite_cli.json("list")
    odd_views = [view for view in listed if view["number"].startswith("180/9/")]
    assert {v["signed_on_precision"] for v in odd_views} == {"month", None}
    assert 1250000.5 in {v["value"] for v in odd_views}
    holds(sqlite_cli, "agreement-list", odd_views)
    out = tmp_path / "register.json"
    sqlite_cli("export", "--json", "-o", str(out))
    whole = json.loads(out.read_text(encoding="utf-8"))
    assert whole["year"] is None and "Evaluasi" in whole["sheets"]
    rows = whole["sheets"]["Daftar Kerja Sama"]
    dates = {row["signed_on"] for row in rows} | {row["ends_on"] for row in rows}
    assert {"2021-08", "2024"} <= dates  # as known: to the month, to the year
    holds(sqlite_cli, "export", whole)


def test_exports_hold_to_their_schema(sample: Cli, tmp_path: Path) -> None:
    for name, args in (
        ("year.json", ["2021"]),
        ("unit.json", ["2021", "--unit", "Dinas Kesehatan"]),
        ("as-of.json", ["2021", "--as-of", "2022-06-30"]),
        ("whole.json", []),
    ):
        path = tmp_path / name
        sample("export", *args, "--json", "-o", str(path))
        holds(sample, "export", json.loads(path.read_text(encoding="utf-8")))


def test_merge_and_the_roll_up_hold_to_their_schemas(sample: Cli, tmp_path: Path) -> None:
    small = Cli(str(tmp_path / "pringsewu.db"), CliRunner())
    small("add-mou", "--number", "180/7/KB/2021", "--title", "Air bersih", "--partner",
          "PDAM Way Sekampung", "--signed", "2021-02-01", "--term", "3 tahun")
    province = Cli(str(tmp_path / "provinsi.db"), CliRunner())
    merged = province.json("merge", sample.db, small.db)
    holds(province, "merge", merged)
    holds(province, "merge", province.json("merge", sample.db, small.db))
    holds(province, "agreement-list", province.json("list", "--region", "pringsewu"))
    path = tmp_path / "provinsi-2021.json"
    province("export", "2021", "--by-region", "--json", "-o", str(path))
    rolled = json.loads(path.read_text(encoding="utf-8"))
    assert rolled["sheets"]["Per Daerah"]
    assert all("region" in row for row in rolled["sheets"]["Daftar Kerja Sama"])
    holds(province, "export", rolled)


def test_every_vocabulary_holds_to_its_schema(sqlite_cli: Cli) -> None:
    group: Any = typer.main.get_command(app)
    names = sorted(group.commands["ref"].commands)
    assert "bidang" in names and "levels" in names
    for name in names:
        holds(sqlite_cli, "bidang" if name == "bidang" else "vocabulary",
              sqlite_cli.json("ref", name))


def test_schema_lists_every_name(sqlite_cli: Cli) -> None:
    listed = sqlite_cli.json("schema")
    holds(sqlite_cli, "schema-list", listed)
    assert [entry["name"] for entry in listed] == contract.names()  # type: ignore[union-attr]
    table = sqlite_cli("schema").stdout
    for name in contract.names():
        assert re.search(rf"^ ?{re.escape(name)} ", table, re.M), name


def test_an_unknown_name_is_refused_with_the_known_ones(sqlite_cli: Cli) -> None:
    result = sqlite_cli("schema", "agreements-list", ok=False)
    assert result.exit_code == ExitCode.NOT_FOUND
    assert "no JSON schema is named 'agreements-list'" in result.stderr
    for name in contract.names():
        assert name in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_help_loads_no_schema_library() -> None:
    """The schemas are built when asked for: `kerjasama --help` stays light."""
    code = (
        "import sys\n"
        "sys.argv = ['kerjasama', '--help']\n"
        "from kerjasama_cli.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print([m for m in ('pydantic', 'sqlmodel', 'kerjasama_cli.contract') if m in sys.modules])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def _objects(schema: Any) -> list[dict[str, Any]]:
    found = []
    if isinstance(schema, dict):
        if "properties" in schema:
            found.append(schema)
        for value in schema.values():
            found += _objects(value)
    elif isinstance(schema, list):
        for value in schema:
            found += _objects(value)
    return found


@pytest.mark.parametrize("name", contract.names())
def test_each_schema_is_valid_draft_2020_12(sqlite_cli: Cli, name: str) -> None:
    schema = schema_of(sqlite_cli, name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == name and "$id" not in schema
    assert "kerjasama " in schema["description"]
    for record in _objects(schema):
        assert record["additionalProperties"] is False, record.get("title")
        for key, value in record["properties"].items():
            assert value.get("description"), f"{name}: {record.get('title')}.{key}"


def test_a_drifted_output_fails(sample: Cli) -> None:
    real = sample.json("show", "180/12/PKS/I.01/2020")
    assert not problems(sample, "agreement", real)
    drifts = {
        "a key added": lambda d: d.update(extra=1),
        "a key dropped": lambda d: d.pop("status"),
        "a key renamed": lambda d: d.update(state=d.pop("status")),
        "a number as text": lambda d: d.update(id=str(d["id"])),
        "null where a value is due": lambda d: d.update(title=None),
        "a code not in the vocabulary": lambda d: d.update(status="aktif"),
        "a date not ISO 8601": lambda d: d.update(signed_on="19/08/2021"),
        "a moment not ISO 8601": lambda d: d.update(created_at="2026-11-28 11:02:33"),
        "a key added deeper": lambda d: d["partners"][0].update(extra=True),
    }
    for why, drift in drifts.items():
        changed = copy.deepcopy(real)
        drift(changed)
        assert problems(sample, "agreement", changed), why
        assert problems(sample, "agreement-list", [real, changed]), why
    board = sample.json("evaluate", "2021")
    for why, drift in {
        "a level's count dropped": lambda b: b["numbers"]["by_level"].pop("tidak"),
        "an unknown level counted": lambda b: b["numbers"]["by_level"].update(gagal=0),
        "a change half given": lambda b: b["numbers"].update(change={"in_force": 1}),
        "a percent past 100": lambda b: b["numbers"].update(coverage_pct=187.1),
    }.items():
        changed = copy.deepcopy(board)
        drift(changed)
        assert problems(sample, "board", changed), why
    due = sample.json("due", "--as-of", "2021-12-31")
    due["groups"]["soon"] = []  # type: ignore[index]
    assert problems(sample, "due", due)


def _command_path(text: str) -> str:
    words = []
    for word in text.split():
        if word.startswith("-") or not word.islower():
            break
        words.append(word)
    return " ".join(words)


def _commands_printing_json() -> set[str]:
    found: set[str] = set()

    def walk(group: Any, path: str) -> None:
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                walk(command, f"{path}{name} ")
            elif any(opt in ("--json", "--format") for p in command.params for opt in p.opts):
                found.add(f"{path}{name}")

    walk(typer.main.get_command(app), "")
    return found


def test_every_json_output_has_a_schema() -> None:
    described = {
        _command_path(command)
        for entry in contract.CONTRACTS.values()
        for command in entry.commands
    }
    assert _commands_printing_json() == described


def test_every_schema_is_exercised() -> None:
    """Each registry name is checked against a real output by a test here: a new
    schema without one fails."""
    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    checked = {
        node.value
        for call in ast.walk(tree)
        if isinstance(call, ast.Call)
        and isinstance(call.func, ast.Name)
        and call.func.id == "holds"
        and len(call.args) >= 2
        for node in ast.walk(call.args[1])
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    assert set(contract.names()) <= checked, set(contract.names()) - checked
