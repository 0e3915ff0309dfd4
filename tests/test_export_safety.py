"""Issue 12 for exports: an office's templates never run code or read outside their
folder, a broken one is told by file and line, the Markdown report escapes what is
stored, --per-unit sheet names are what Excel accepts, and a control character
already stored never stops an export.

Every test runs the CLI on a real SQLite register in tmp_path, as a user would.
Values a user can no longer type (control characters, a line break in an OPD's
name) are written into the register with sqlite3, as older versions stored them.
"""

from __future__ import annotations

import html
import json
import re
import sqlite3
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from openpyxl import load_workbook
from typer.testing import Result

from conftest import Cli

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def store(cli: Cli, sql: str, *params: object) -> None:
    """Write into the register directly: what an older version let in."""
    connection = sqlite3.connect(cli.db)
    with connection:
        connection.execute(sql, params)
    connection.close()


def told(result: Result, code: int = 2) -> str:
    """The command failed with a message, not a traceback; returns what it said."""
    assert result.exit_code == code, (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.stderr.startswith("Error: ")
    return result.stderr


@pytest.fixture
def register(sqlite_cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.chdir(tmp_path)
    sqlite_cli("config", "set", "region", "Kabupaten Tanggamus")
    sqlite_cli("add-mou", "--number", "180/1/KB/2021", "--title", "Pengembangan SDM",
               "--partner", "Universitas Lampung", "--unit", "Dinas Kesehatan",
               "--signed", "2021-03-01", "--end", "2022-06-30", "--value", "Rp 1.000.000")
    return sqlite_cli


def html_with(cli: Cli, tmp_path: Path, files: dict[str, str | bytes]) -> Result:
    """Export the HTML report with an office's template folder holding ``files``."""
    folder = tmp_path / "kop"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return cli("export", "2021", "--html", "--template-dir", str(folder),
               "-o", str(tmp_path / "out" / "r.html"), ok=False)


# ------------------------------------------------------------ templates never run code


@pytest.mark.parametrize(
    "payload",
    [
        "{{ self.__init__.__globals__.__builtins__.open(PWNED, 'w').write('x') }}",
        "{{ self.__init__.__globals__.__builtins__.__import__('os').system('touch ' ~ PWNED) }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ '{0.__globals__}'.format(f.day) }}",
        "{{ f.day.__globals__ }}",
        "{{ content.__class__.__init__ }}",
        "{{ numbers.__class__ }}",
        "{{ w.__class__.__subclasses__() }}",
        "{{ f.day|attr('__globals__') }}",
    ],
)
def test_a_template_cannot_reach_python(register: Cli, tmp_path: Path, payload: str) -> None:
    pwned = tmp_path / "pwned"
    result = html_with(register, tmp_path, {
        "letterhead.html.j2": "<div>\n" + payload.replace("PWNED", repr(str(pwned))) + "\n</div>",
    })
    said = told(result)
    assert "letterhead.html.j2" in said and "line 2" in said and "unsafe" in said
    assert not pwned.exists()
    assert not (tmp_path / "out" / "r.html").exists()


def test_templates_get_plain_data_only(register: Cli) -> None:
    """No ORM, pydantic, dataclass or Path object reaches a template: dicts, lists,
    text, numbers and dates (and the formatting functions)."""
    from datetime import date
    from decimal import Decimal

    from markupsafe import Markup

    from kerjasama_cli.db.engine import Register
    from kerjasama_cli.exporting.content import gather
    from kerjasama_cli.exporting.report import context

    register("evaluate", "2021", "180/1/KB/2021", "--level", "sebagian", "--progress", "40",
             "--obstacles", "Data", "--recommendation", "dilanjutkan")
    register("finding", "add", "180/1/KB/2021", "--year", "2021", "--category", "kendala",
             "--text", "Sinyal", "--owner", "Dinas Kesehatan")
    def walk(value: Any, where: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                assert isinstance(key, str), where
                walk(item, f"{where}.{key}")
        elif isinstance(value, list | tuple):
            for index, item in enumerate(value):
                walk(item, f"{where}[{index}]")
        elif callable(value):
            assert where.startswith(".f."), f"{where}: {type(value).__name__}"
        else:
            assert value is None or type(value) in (str, int, float, bool, Decimal, Markup) or (
                isinstance(value, date)), f"{where}: {type(value).__name__}"

    opened = Register.open(register.db)
    try:
        with opened.reading() as session:
            for year in (2021, None):
                walk(context(gather(session, year), "id"), "")
    finally:
        opened.close()


def test_the_library_refuses_a_missing_template_folder(register: Cli, tmp_path: Path) -> None:
    from kerjasama_cli.db.engine import Register
    from kerjasama_cli.errors import KerjasamaError
    from kerjasama_cli.exporting.content import gather
    from kerjasama_cli.exporting.report import render

    (tmp_path / "a-file").write_text("x")
    opened = Register.open(register.db)
    try:
        with opened.reading() as session:
            content = gather(session, 2021)
    finally:
        opened.close()
    for missing in (tmp_path / "nowhere", tmp_path / "a-file"):
        with pytest.raises(KerjasamaError) as error:
            render(content, "html", template_dir=missing)
        assert str(missing) in error.value.message
        assert "--template-dir" in error.value.message


def test_jinja_is_one_without_the_known_sandbox_escapes() -> None:
    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    assert "jinja2>=3.1.6" in project["project"]["dependencies"]


# ------------------------------------------------------------ loading stays inside the folder


def test_a_symlinked_include_cannot_read_outside(register: Cli, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("TOPSECRET")
    (outside / "letterhead.html.j2").write_text("TOPSECRET {{ content.region }}")
    folder = tmp_path / "kop"
    folder.mkdir()
    (folder / "secret.txt").symlink_to(outside / "secret.txt")
    (folder / "sub").symlink_to(outside, target_is_directory=True)
    for letterhead in ('{% include "secret.txt" %}', '{% include "sub/secret.txt" %}'):
        result = html_with(register, tmp_path, {"letterhead.html.j2": letterhead})
        said = told(result)
        assert "secret.txt" in said and "outside" in said
        assert "TOPSECRET" not in result.output
        assert not (tmp_path / "out" / "r.html").exists()
    # The letterhead itself a link out of the folder: refused, not silently replaced.
    (folder / "letterhead.html.j2").unlink()
    (folder / "letterhead.html.j2").symlink_to(outside / "letterhead.html.j2")
    result = html_with(register, tmp_path, {})
    said = told(result)
    assert "letterhead.html.j2" in said and "outside" in said
    assert not (tmp_path / "out" / "r.html").exists()


def test_a_link_inside_the_folder_is_followed(register: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "kop"
    folder.mkdir()
    (folder / "kop-2021.html").write_text('<div class="letterhead">KOP {{ content.region }}</div>')
    (folder / "letterhead.html.j2").symlink_to(folder / "kop-2021.html")
    result = html_with(register, tmp_path, {})
    assert result.exit_code == 0, result.output
    assert "KOP Kabupaten Tanggamus" in (tmp_path / "out" / "r.html").read_text()


def test_dot_dot_cannot_leave_the_folder(register: Cli, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("TOPSECRET")
    result = html_with(register, tmp_path, {"letterhead.html.j2": '{% include "../secret.txt" %}'})
    said = told(result)
    assert "../secret.txt" in said and "letterhead.html.j2, line 1" in said
    assert "TOPSECRET" not in result.output


# ------------------------------------------------------------ a broken template, told plainly


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"letterhead.html.j2": "<div>\n{% if %}\n</div>"},
         ["letterhead.html.j2, line 2", "Expected an expression"]),
        ({"letterhead.html.j2": "<div>\n\n{{ nothing_here }}</div>"},
         ["letterhead.html.j2, line 3", "'nothing_here' is undefined"]),
        ({"letterhead.html.j2": "<div>{{ content.regionn }}</div>"},
         ["letterhead.html.j2, line 1", "regionn"]),
        ({"letterhead.html.j2": '<div>\n{% include "kop-lain.html.j2" %}</div>'},
         ["letterhead.html.j2, line 2", "kop-lain.html.j2", "not found"]),
        ({"letterhead.html.j2": "<div>\nPemerintah Kabupaten Tanggamus\n\xe9</div>".encode(
            "latin-1")},
         ["letterhead.html.j2, line 3", "UTF-8"]),
        ({"letterhead.html.j2": '<div>\n{% include "letterhead.html.j2" %}</div>'},
         ["letterhead.html.j2, line 2", "itself"]),
        ({"letterhead.html.j2": "{% macro m() %}{{ m() }}{% endmacro %}\n{{ m() }}"},
         ["letterhead.html.j2, line 1", "itself"]),
        ({"report.html.j2": '{% extends "report.html.j2" %}'},
         ["report.html.j2, line 1", "itself"]),
        ({"letterhead.html.j2": "<div>" + "x" * (2 << 20) + "</div>"},
         ["letterhead.html.j2", "larger than"]),
        ({"letterhead.html.j2": "<div>\n{{ f.label('zzz', 'nothing') }}</div>"},
         ["letterhead.html.j2, line 2"]),
        ({"letterhead.html.j2": "<div>\n{{ f.day('kemarin') }}</div>"},
         ["letterhead.html.j2, line 2"]),
        ({"letterhead.html.j2": "<div>\n{{ 1 // 0 }}</div>"},
         ["letterhead.html.j2, line 2", "division"]),
    ],
    ids=["syntax", "undefined", "undefined-attribute", "missing-include", "not-utf8",
         "self-include", "self-macro", "self-extends", "too-large-template", "bad-label",
         "bad-date", "division"],
)
def test_a_broken_template_is_named_with_its_line(
    register: Cli, tmp_path: Path, files: dict[str, str | bytes], expected: list[str]
) -> None:
    said = told(html_with(register, tmp_path, files))
    for words in expected:
        assert words in said, said
    assert "kop" in said  # the folder the file is in: the user's, not the shipped one
    assert not (tmp_path / "out" / "r.html").exists()


@pytest.mark.parametrize(
    "letterhead",
    [
        "{% for i in range(60000) %}" + "x" * 100 + "{% endfor %}",
        "{{ 'x' * 6000000 }}",
        "{{ ['x'] * 6000000 }}",
        "{{ 'x' ~ 2 ** 30000000 }}",
    ],
    ids=["long-loop", "string-times", "list-times", "huge-power"],
)
def test_a_report_too_large_is_refused(
    register: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, letterhead: str
) -> None:
    """The caps are large (a real register's report fits); a small one here keeps it quick."""
    monkeypatch.setattr("kerjasama_cli.exporting.templating.MAX_OUTPUT", 1_000_000)
    said = told(html_with(register, tmp_path, {"letterhead.html.j2": letterhead}))
    assert "letterhead.html.j2" in said and "too large" in said
    assert not (tmp_path / "out" / "r.html").exists()


def test_the_shipped_templates_are_sandboxed_too_and_still_render(
    register: Cli, tmp_path: Path
) -> None:
    register("export", "2021", "--html", "--md", "-o", str(tmp_path / "out"))
    html = (tmp_path / "out" / "evaluasi-kerja-sama-2021.html").read_text()
    assert "Pengembangan SDM" in html and "Rp 1.000.000" in html
    markdown = (tmp_path / "out" / "evaluasi-kerja-sama-2021.md").read_text()
    assert "| Kerja sama berlaku | 1 |" in markdown
    # Nothing to show is a plain "-", not the escaped "\\-" a stored value would get.
    assert "| Dinas Kesehatan | 1 | 0 | 0% | - |" in markdown and "\\-" not in markdown


# ------------------------------------------------------------ Markdown escapes every value


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[klik di sini](javascript:alert(1))",
    "![gambar](javascript:alert(1))",
    "<https://evil.example>",
    "&#106;avascript&colon;",
]


def _markdown_html(text: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(text)


def test_markdown_escapes_every_value(register: Cli, tmp_path: Path) -> None:
    register("config", "set", "office", "<b>Bagian</b> Kerja Sama")
    for index, title in enumerate(HOSTILE, 2):
        register("add-mou", "--number", f"180/{index}/KB/2021", "--title", title,
                 "--partner", "P", "--unit", "Dinas A|B", "--signed", "2021-01-01",
                 "--end", "2022-12-31")
    # Stored before names were cleaned on input: a line break and a pipe in one name.
    store(register, "UPDATE unit SET name = ? WHERE name = ?", "Dinas C|D\n# Bukan judul",
          "Dinas Kesehatan")
    store(register, "UPDATE agreement SET title = ? WHERE number = ?",
          "Baris satu\n# Judul palsu\n- daftar palsu\n<script>x</script>", "180/1/KB/2021")
    register("export", "2021", "--md", "-o", str(tmp_path / "r.md"))
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    rendered = _markdown_html(text)
    assert "<script" not in rendered and "<img" not in rendered and "<b>" not in rendered
    assert "href" not in rendered and "<a " not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered  # shown, as text
    assert "Judul palsu</h1>" not in rendered and "<li>daftar palsu" not in rendered
    # The OPD table: each OPD one row of five cells, its name whole.
    table = rendered[rendered.index("<table>", rendered.index("per perangkat daerah")):]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    assert len(rows) == 3  # header, two OPDs
    for row in rows[1:]:
        assert row.count("<td") == 5, row
    assert any("Dinas A|B" in row for row in rows)
    assert any("Dinas C|D<br>" in row and "# Bukan judul" in row for row in rows)


def test_a_custom_markdown_template_is_escaped_too(register: Cli, tmp_path: Path) -> None:
    register("add-mou", "--number", "180/9/KB/2021", "--title", HOSTILE[0] + HOSTILE[2],
             "--partner", "P", "--signed", "2021-01-01", "--end", "2022-12-31")
    folder = tmp_path / "kop"
    folder.mkdir()
    (folder / "report.md.j2").write_text(
        "# {{ content.region }}\n\n{% for view in ending %}\n| {{ view.title }} | x |\n"
        "{% endfor %}\n")
    register("export", "2021", "--md", "--template-dir", str(folder), "-o", str(tmp_path / "r.md"))
    rendered = _markdown_html((tmp_path / "r.md").read_text(encoding="utf-8"))
    assert "<script" not in rendered and "href" not in rendered
    assert "alert(1)" in rendered


# ------------------------------------------------------------ --per-unit sheet names


UNITS = [
    "Dinas Pekerjaan Umum dan Penataan Ruang Bidang Bina Marga",
    "Dinas Pekerjaan Umum dan Penataan Ruang Bidang Cipta Karya",
    "DINAS PEKERJAAN UMUM DAN PENATAAN RUANG BIDANG SUMBER DAYA AIR",
    "History",
    "'Sekretariat DPRD'",
    "Bagian [Hukum]: Umum/Khusus*?",
    "Ringkasan",
    "Daftar Kerja Sama",
    "?",
    "Bagian Umum",
]


def test_per_unit_sheet_names_are_what_excel_accepts(register: Cli, tmp_path: Path) -> None:
    for index, unit in enumerate(UNITS, 2):
        register("add-mou", "--number", f"180/{index}/KB/2021", "--title", f"KB {index}",
                 "--partner", "P", "--unit", unit, "--signed", "2021-01-01")
    result = register("export", "2021", "--per-unit", "-o", str(tmp_path / "x.xlsx"))
    assert result.exception is None
    workbook = load_workbook(tmp_path / "x.xlsx")
    names = workbook.sheetnames
    assert names[:4] == ["Ringkasan", "Daftar Kerja Sama", "Evaluasi 2021",
                         "Temuan & Tindak Lanjut"]
    assert len(names) == 4 + len(UNITS) + 1  # and Dinas Kesehatan
    assert len({name.casefold() for name in names}) == len(names)
    for name in names:
        assert 0 < len(name) <= 31 and name.strip() == name, name
        assert not set(name) & set("[]:*?/\\") and not CONTROL.search(name), name
        assert not name.startswith("'") and not name.endswith("'"), name
        assert name.casefold() != "history"
    # Each OPD has its own sheet, holding its agreement.
    shown = {}
    for name in names[4:]:
        rows = list(workbook[name].iter_rows(min_row=2, values_only=True))
        assert len(rows) == 1, name
        shown[rows[0][8]] = name
    assert len(shown) == len(UNITS) + 1
    assert set(UNITS[:4]) <= set(shown)


# ------------------------------------------------------------ control characters already stored


def test_control_characters_stored_never_stop_an_export(register: Cli, tmp_path: Path) -> None:
    register("evaluate", "2021", "180/1/KB/2021", "--level", "terlaksana",
             "--follow-up", "Pelatihan", "--recommendation", "dilanjutkan", "--obstacles", "x")
    register("finding", "add", "180/1/KB/2021", "--year", "2021", "--category", "kendala",
             "--text", "Sinyal", "--owner", "Dinas Kesehatan")
    dirty = "Judul\x1b[31m merah\x00nul\x01satu\x0bvt\x0cff\x7fdel\x85nel\ufffepp\ttab\nbaris"
    clean = ("Judul\ufffd[31m merah\ufffdnul\ufffdsatu\ufffdvt\ufffdff\ufffddel\ufffdnel"
             "\ufffdpp\ttab\nbaris")
    for sql in (
        "UPDATE agreement SET title = ?, note = ?, term_text = ?",
        "UPDATE unit SET name = ?",
        "UPDATE partner SET name = ?",
        "UPDATE setting SET value = ? WHERE key = 'region'",
        "UPDATE evaluation SET follow_up = ?, obstacles = ?, evaluator = ?",
        "UPDATE finding SET text = ?, recommendation = ?",
    ):
        store(register, sql, *[dirty] * sql.count("?"))
    result = register("export", "2021", "--xlsx", "--per-unit", "--html", "--md", "--json",
                      "--csv", "-o", str(tmp_path / "out"), ok=False)
    assert result.exit_code == 0, (result.output, result.exception)
    out = tmp_path / "out"
    workbook = load_workbook(out / "evaluasi-kerja-sama-2021.xlsx")
    register_sheet = workbook["Daftar Kerja Sama"]
    row = [cell.value for cell in register_sheet[2]]
    assert row[4] == clean and row[5] == clean and row[8] == clean and row[17] == clean
    assert workbook["Evaluasi 2021"]["G2"].value == clean
    assert workbook["Temuan & Tindak Lanjut"]["F2"].value == clean
    assert clean in workbook["Ringkasan"]["A1"].value
    assert len(workbook.sheetnames) == 5
    html = (out / "evaluasi-kerja-sama-2021.html").read_text(encoding="utf-8")
    assert not CONTROL.search(html) and "\ufffe" not in html
    assert "Judul\ufffd[31m merah" in html
    markdown = (out / "evaluasi-kerja-sama-2021.md").read_text(encoding="utf-8")
    assert not CONTROL.search(markdown)
    data = json.loads((out / "evaluasi-kerja-sama-2021.json").read_text(encoding="utf-8"))
    assert data["sheets"]["Daftar Kerja Sama"][0]["title"] == dirty  # JSON escapes it, as is


# ------------------------------------------------------------ the same, for any text


_PIECES = [*"ab1 .-+=#>*_`[]()<>!|~&;:/\\'\"\n\t@$%^{}", "é", "&amp;", "&#106;", "<br>",
           "http://x", "1.", "    ", "<script>", "](javascript:x)", "\x1b", "\r\n"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14).map("".join))
def test_any_value_reads_back_as_typed_wherever_markdown_puts_it(value: str) -> None:
    """In a table cell, a list item, a paragraph or a line of its own: no tag but
    <br>, one cell, and the text shown is the value (breaks as <br>, outer spaces
    dropped, control characters as U+FFFD)."""
    from kerjasama_cli.exporting.content import printable
    from kerjasama_cli.exporting.templating import markdown_text

    text = markdown_text(value)
    for document, inside in (
        (f"| h |\n|---|\n| {text} |\n", r"<tbody>\s*<tr>\s*<td>(.*?)</td>\s*</tr>\s*</tbody>"),
        (f"- x:{text}\n", r"<li>x:(.*?)</li>"),
        (f"a {text}\n", r"^<p>a(.*?)</p>\n$"),
        (f"{text}\n\ntail\n", r"^(?:<p>(.*?)</p>\n)?<p>tail</p>\n$"),
    ):
        rendered = _markdown_html(document)
        found = re.search(inside, rendered, re.S)
        assert found, (document, rendered)
        shown = found.group(1) or ""
        assert not re.findall(r"<(?!br>)[^>]*>", shown), (document, rendered)

        def lines(text: str) -> str:
            return re.sub(r"[ \t]*(\r\n|\r|\n)[ \t]*", "\n", text).strip(" \t\n")

        assert lines(html.unescape(shown.replace("<br>", "\n"))) == lines(printable(value))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=45), max_size=12))
def test_any_opd_names_give_sheet_names_excel_accepts(names: list[str]) -> None:
    from kerjasama_cli.exporting.workbook import sheet_names

    taken = ["Ringkasan", "Daftar Kerja Sama", "Evaluasi 2021", "Temuan & Tindak Lanjut"]
    chosen = sheet_names(names, taken)
    assert len(chosen) == len(names)
    folded = [name.casefold() for name in [*taken, *chosen]]
    assert len(set(folded)) == len(folded) and "history" not in folded
    for name in chosen:
        assert 0 < len(name.encode("utf-16-le")) // 2 <= 31 and name.strip() == name
        assert not set(name) & set("[]:*?/\\") and not CONTROL.search(name)
        assert not name.startswith("'") and not name.endswith("'")


# ------------------------------------------- a template cannot take the machine's memory


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ('{{ "x"|center(1500000000) }}', "width past"),
        ('{{ "%01500000000d" % 1 }}', "width past"),
        ('{{ "%*d" % (1500000000, 1) }}', "width past"),
        ('{{ "%01500000000d"|format(1) }}', "width past"),
        ('{{ "{:>1500000000}".format(1) }}', "width past"),
        ('{{ "{0:>{1}}".format(1, 1500000000) }}', "width past"),
        ('{{ "x".ljust(1500000000)|length }}', "width past"),
        ('{{ "x"|indent(1500000000) }}', "width past"),
        ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
         "would not end"),
        ('{% set ns = namespace(s="x") %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}'
         "{% endfor %}{{ ns.s|length }}", "memory"),
    ],
)
def test_a_template_cannot_take_the_memory_or_the_time(
    register: Cli, tmp_path: Path, body: str, reason: str
) -> None:
    # Each of these ran for minutes or took 1.5-6 GB before it was refused.
    result = html_with(register, tmp_path, {"letterhead.html.j2": body})
    said = told(result)
    assert "letterhead.html.j2" in said and reason in said
    assert not (tmp_path / "out" / "r.html").exists()


def test_a_template_that_runs_too_long_is_stopped(
    register: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kerjasama_cli.exporting import templating

    monkeypatch.setattr(templating, "MAX_SECONDS", 1)
    body = "{% for i in range(9000000) %}{% for a in [1, 2, 3] %}{% endfor %}{% endfor %}"
    said = told(html_with(register, tmp_path, {"letterhead.html.j2": body}))
    assert "ran for more than 1 seconds" in said
