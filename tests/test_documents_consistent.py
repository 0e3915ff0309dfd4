"""A year's documents tell one story (issue 13): every table and number as of the
document's date, in the workbook, the HTML and Markdown reports and the JSON;
no doubled "Pemerintah"; the evaluator never the login name; the signature's
place and date; page numbers and paper; the paths `export` prints."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from conftest import Cli

ROOT = Path(__file__).parent.parent
OPEN = ("Terbuka", "Dalam Proses")


def _build(cli: Cli) -> None:
    cli("add-mou", "--number", "A/KB", "--title", "Pendidikan", "--partner", "Universitas X",
        "--kind", "ksdpk", "--bidang", "Pendidikan", "--unit", "Dinas Pendidikan",
        "--signed", "2020-01-01", "--term", "5 tahun")
    cli("add-mou", "--number", "C/KB", "--title", "Jalan", "--partner",
        "Pemerintah Kabupaten Y", "--kind", "ksdd", "--bidang", "PUPR", "--unit", "Dinas PUPR",
        "--signed", "2021-03-01", "--term", "2 tahun")
    cli("evaluate", "2021", "A/KB", "--level", "terlaksana")
    # 1: followed up during 2021, closed on 2 March 2022, after the year's end
    cli("finding", "add", "A/KB", "--year", "2021", "--category", "kendala", "--text",
        "Lahan belum dibebaskan", "--owner", "Dinas Pendidikan")
    cli("finding", "update", "1", "--status", "dalam-proses", "--note", "Draf PKS dibahas")
    cli("finding", "update", "1", "--status", "selesai", "--note", "PKS ditandatangani",
        "--on", "2022-03-02")
    # 2: closed during 2021; 3: still open
    cli("finding", "add", "C/KB", "--year", "2021", "--category", "administrasi",
        "--text", "Laporan terlambat", "--owner", "Dinas PUPR")
    cli("finding", "update", "2", "--status", "selesai", "--note", "Laporan masuk",
        "--on", "2021-06-01")
    cli("finding", "add", "C/KB", "--year", "2021", "--category", "permasalahan",
        "--text", "Mitra tidak aktif")
    cli("config", "set", "region", "Kabupaten Tanggamus")
    cli("config", "set", "place", "Kota Agung")
    cli("config", "set", "signatory-name", "Maryani")


def _summary(book: Any) -> dict[str, Any]:
    """Ringkasan: each label with the number beside it."""
    found = {}
    for row in book["Ringkasan"].iter_rows(values_only=True):
        for index, value in enumerate(row[:-1]):
            if isinstance(value, str) and value.startswith("Temuan"):
                found[value] = row[index + 1]
    return found


def _table(sheet: Any, *wanted: str) -> list[dict[str, Any]]:
    """A sheet's table as dicts, its header row found by the headers it has (a
    printed title may sit above it)."""
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if set(wanted) <= set(row))
    headers = rows[start]
    return [dict(zip(headers, row, strict=True)) for row in rows[start + 1:]
            if any(value is not None for value in row)]


def _statuses(statuses: list[str]) -> tuple[int, int]:
    """(closed, open) among the statuses shown."""
    return (sum(1 for s in statuses if s == "Selesai"), sum(1 for s in statuses if s in OPEN))


@pytest.mark.parametrize(
    ("as_of", "closed", "still_open", "first"),
    [
        # the default, 31 December 2021: finding 1 was still in progress then
        (None, 1, 2, "Dalam Proses"),
        # a report as of 31 March 2022 sees it closed
        ("2022-03-31", 2, 1, "Selesai"),
    ],
)
def test_every_table_tells_the_same_story(
    cli: Cli, tmp_path: Path, as_of: str | None, closed: int, still_open: int, first: str
) -> None:
    _build(cli)
    out = tmp_path / "out"
    extra = ["--as-of", as_of] if as_of else []
    cli("export", "2021", "--xlsx", "--html", "--md", "--json", "-o", str(out), *extra)
    base = out / "evaluasi-kerja-sama-2021"

    # JSON: the numbers and the findings sheet
    data = json.loads(base.with_suffix(".json").read_text(encoding="utf-8"))
    numbers = data["numbers"]
    assert (numbers["findings_closed"], numbers["findings_open"]) == (closed, still_open)
    rows = data["sheets"]["Temuan & Tindak Lanjut"]
    assert _statuses([row["status"] for row in rows]) == (closed, still_open)
    one = next(row for row in rows if row["text"] == "Lahan belum dibebaskan")
    assert one["status"] == first

    # the workbook: Ringkasan and the Temuan sheet
    book = load_workbook(base.with_suffix(".xlsx"))
    summary = _summary(book)
    assert (summary["Temuan selesai"], summary["Temuan masih terbuka"]) == (closed, still_open)
    sheet = next(book[name] for name in book.sheetnames if name.startswith("Temuan"))
    table = _table(sheet, "Uraian", "Status")
    assert _statuses([row["Status"] for row in table]) == (closed, still_open)
    one_row = next(row for row in table if row["Uraian"] == "Lahan belum dibebaskan")
    assert one_row["Status"] == first

    # the HTML report: the Rekapitulasi and every finding's row
    page = base.with_suffix(".html").read_text(encoding="utf-8")

    def number(key: str) -> int:
        found = re.search(rf'data-key="{key}"><th>[^<]*</th><td class="n">(\d+)</td>', page)
        assert found, key
        return int(found.group(1))

    assert (number("findings_closed"), number("findings_open")) == (closed, still_open)
    shown = re.findall(r'<tr data-finding="\d+" data-status="([a-z-]+)">', page)
    assert len(shown) == 3
    assert sum(1 for s in shown if s == "selesai") == closed
    assert sum(1 for s in shown if s in ("terbuka", "dalam-proses")) == still_open

    # the Markdown report
    text = base.with_suffix(".md").read_text(encoding="utf-8")
    assert f"| Selesai | {closed} |" in text and f"| Masih terbuka | {still_open} |" in text
    md_statuses = re.findall(r"Status: ([A-Za-z ]+?)[;)]", text)
    assert _statuses(md_statuses) == (closed, still_open)

    if as_of is None:
        # the later closing is told as such, wherever the finding is shown
        later = "Selesai 02/03/2022, setelah akhir tahun: PKS ditandatangani"
        assert one["last_note"] == later
        assert one_row["Catatan Tindak Lanjut Terakhir"] == later
        assert later in html.unescape(page)
        assert later in text
        english = cli("export", "2021", "--html", "--lang", "en", "-o",
                      str(tmp_path / "en.html"))
        assert english.exit_code == 0
        page_en = html.unescape((tmp_path / "en.html").read_text(encoding="utf-8"))
        assert "Closed 02/03/2022, after the year&#39;s end" in page_en or (
            "Closed 02/03/2022, after the year's end: PKS ditandatangani" in page_en)
    # the board agrees too
    board = cli.json("evaluate", "2021")
    assert isinstance(board, dict)
    if as_of is None:
        listed = {f["id"]: f["status"] for f in board["open_findings"]}
        assert listed == {1: "dalam-proses", 3: "terbuka"}


@pytest.mark.parametrize(
    ("region", "letterhead", "title"),
    [
        (None, None, "Laporan Evaluasi Pelaksanaan Kerja Sama Daerah Tahun 2021"),
        ("Kabupaten Tanggamus", "Pemerintah Kabupaten Tanggamus",
         "Laporan Evaluasi Pelaksanaan Kerja Sama Daerah Kabupaten Tanggamus Tahun 2021"),
        ("Pemerintah Kabupaten Tanggamus", "Pemerintah Kabupaten Tanggamus",
         "Laporan Evaluasi Pelaksanaan Kerja Sama Daerah Kabupaten Tanggamus Tahun 2021"),
        ("Pemerintah Daerah", None, "Laporan Evaluasi Pelaksanaan Kerja Sama Daerah Tahun 2021"),
    ],
)
def test_no_doubled_government(
    cli: Cli, tmp_path: Path, region: str | None, letterhead: str | None, title: str
) -> None:
    _build(cli)
    if region is None:
        cli("config", "unset", "region")
    else:
        cli("config", "set", "region", region)
    result = cli("export", "2021", "--xlsx", "--html", "--md", "-o", str(tmp_path))
    page = (tmp_path / "evaluasi-kerja-sama-2021.html").read_text(encoding="utf-8")
    text = (tmp_path / "evaluasi-kerja-sama-2021.md").read_text(encoding="utf-8")
    book = load_workbook(tmp_path / "evaluasi-kerja-sama-2021.xlsx")
    cells = " ".join(str(c) for row in book["Ringkasan"].iter_rows(values_only=True)
                     for c in row if isinstance(c, str))
    for shown in (page, text, cells):
        assert not re.search(r"pemerintah\s+pemerintah", shown, re.IGNORECASE)
        assert not re.search(r"daerah\s+daerah", shown, re.IGNORECASE)
        assert not re.search(r"pemerintah\s+daerah\s+tahun", shown, re.IGNORECASE)
    assert f"<h1>{title}</h1>" in page
    assert f"# {title}" in text
    if letterhead is None:
        assert 'class="region"' not in page
        assert "Warning: no region is set" in result.stderr
        assert "config set region" in result.stderr
    else:
        assert f'<div class="region">{letterhead}</div>' in page
        assert "Warning" not in result.stderr


def test_the_evaluator_is_never_the_login_name(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import getpass

    monkeypatch.setattr(getpass, "getuser", lambda: "root")
    monkeypatch.setenv("USER", "root")
    monkeypatch.setenv("LOGNAME", "root")
    _build(cli)

    def evaluator(number: str) -> object:
        board = cli.json("evaluate", "2021")
        assert isinstance(board, dict)
        return next(a for g in board["groups"] for a in g["agreements"]
                    if a["number"] == number)["evaluation"]["evaluator"]

    assert evaluator("A/KB") is None  # recorded with no --evaluator, nothing configured
    cli("config", "set", "evaluator", "Tim Evaluasi Kerja Sama")
    cli("evaluate", "2021", "C/KB", "--level", "belum")
    assert evaluator("C/KB") == "Tim Evaluasi Kerja Sama"
    cli("evaluate", "2022", "C/KB", "--level", "sebagian", "--evaluator", "Budi")
    board = cli.json("evaluate", "2022")
    assert isinstance(board, dict)
    shown = [a["evaluation"]["evaluator"] for g in board["groups"] for a in g["agreements"]
             if a["evaluation"]]
    assert shown == ["Budi"]


@pytest.mark.parametrize(
    ("paper", "size"),
    [(None, "210mm 297mm"), ("f4", "215mm 330mm"), ("legal", "8.5in 14in")],
)
def test_signature_place_date_pages_and_paper(
    cli: Cli, tmp_path: Path, paper: str | None, size: str
) -> None:
    _build(cli)
    extra = ["--paper", paper] if paper else []
    cli("export", "2021", "--html", "--md", "-o", str(tmp_path), "--signed-on", "2022-01-31",
        *extra)
    page = (tmp_path / "evaluasi-kerja-sama-2021.html").read_text(encoding="utf-8")
    text = (tmp_path / "evaluasi-kerja-sama-2021.md").read_text(encoding="utf-8")
    assert '<div class="place">Kota Agung, 31 Januari 2022</div>' in page
    assert "Kota Agung, 31 Januari 2022" in text
    assert re.search(rf"@page \{{\s*size: {re.escape(size)};", page)
    assert 'content: "Halaman " counter(page) " dari " counter(pages);' in page
    # the two classifications, each its own table
    assert '<table class="split" id="doc-types">' in page
    assert '<table class="split" id="kinds">' in page
    assert "Jenis dokumen / Jenis kerja sama" not in page
    english = tmp_path / "en.html"
    cli("export", "2021", "--html", "--lang", "en", "-o", str(english),
        "--signed-on", "2022-01-31")
    page_en = english.read_text(encoding="utf-8")
    assert "Kota Agung, 31 January 2022" in page_en
    assert 'content: "Page " counter(page) " of " counter(pages);' in page_en


def test_export_prints_absolute_paths_and_tells_what_it_replaced(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _build(cli)
    monkeypatch.chdir(tmp_path)
    first = cli("export", "2021", "--html", "--md")
    assert first.stdout.splitlines() == [
        str(tmp_path / "evaluasi-kerja-sama-2021.html"),
        str(tmp_path / "evaluasi-kerja-sama-2021.md"),
    ]
    assert "Replaced" not in first.stderr
    (tmp_path / "laporan").mkdir()
    given = cli("export", "2021", "--html", "-o", "laporan")
    assert given.stdout.strip() == str(tmp_path / "laporan" / "evaluasi-kerja-sama-2021.html")
    again = cli("export", "2021", "--html", "--md", "-o", ".")
    assert again.stdout.splitlines() == first.stdout.splitlines()
    assert f"Replaced {tmp_path / 'evaluasi-kerja-sama-2021.html'}" in again.stderr
    assert f"Replaced {tmp_path / 'evaluasi-kerja-sama-2021.md'}" in again.stderr
    single = cli("export", "2021", "--html", "-o", "r.html")
    assert single.stdout.strip() == str(tmp_path / "r.html")


def test_generated_outputs_are_ignored() -> None:
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    for pattern in ("/evaluasi-kerja-sama-*.*", "/register-kerja-sama*", "*.db"):
        assert pattern in ignored, pattern
