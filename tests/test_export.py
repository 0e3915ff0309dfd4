"""kerjasama export: the workbook read back with openpyxl, the report, csv and json."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from conftest import Cli, snapshot

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture
def sample(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.chdir(tmp_path)

    def build() -> None:
        cli("import", str(EXAMPLES / "register-2021.csv"), str(EXAMPLES / "evaluasi-2021.csv"))
        cli("config", "set", "region", "Kabupaten Tanggamus")
        cli("config", "set", "signatory-name", "Maryani")
        cli("finding", "add", "180/25/PKS/I.01/2020", "--year", "2021", "--category",
            "kendala", "--text", "Sinyal lemah", "--owner", "Dinas Komunikasi dan Informatika",
            "--due", "30/6/2022")

    snapshot(cli, "export-sample", build)
    return cli


def numbers_of(cli: Cli) -> dict[str, Any]:
    board = cli.json("evaluate", "2021")
    assert isinstance(board, dict)
    return board["numbers"]  # type: ignore[no-any-return]


def test_default_export_is_the_workbook_in_the_current_folder(sample: Cli,
                                                              tmp_path: Path) -> None:
    result = sample("export", "2021")
    path = tmp_path / "evaluasi-kerja-sama-2021.xlsx"
    assert result.stdout.strip() == str(path)
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Ringkasan", "Daftar Kerja Sama", "Evaluasi 2021",
                                   "Temuan & Tindak Lanjut"]
    summary = workbook["Ringkasan"]
    assert summary["A1"].value == ("Rekapitulasi Evaluasi Pelaksanaan Kerja Sama Daerah "
                                   "Kabupaten Tanggamus Tahun 2021")
    values = {row[0]: row[1] for row in summary.iter_rows(values_only=True) if row[0]}
    numbers = numbers_of(sample)
    assert values["Kerja sama berlaku"] == numbers["in_force"] == 31
    assert values["Sudah dievaluasi"] == numbers["evaluated"] == 27
    assert values["Cakupan evaluasi (%)"] == numbers["coverage_pct"] == 87.1
    assert values["Indeks pelaksanaan"] == numbers["implementation_index"] == 79.6
    assert values["Terlaksana"] == 17
    assert len(summary._charts) == 2  # by level and by OPD


def test_workbook_sheets_cells_and_formats(sample: Cli, tmp_path: Path) -> None:
    sample("export", "2021", "-o", str(tmp_path / "x.xlsx"))
    workbook = load_workbook(tmp_path / "x.xlsx")
    register = workbook["Daftar Kerja Sama"]
    assert [c.value for c in register[1]] == [
        "No", "Jenis Dokumen", "Nomor", "Nomor Mitra", "Tentang", "Mitra", "Jenis Kerja Sama",
        "Bidang Urusan", "Perangkat Daerah", "Tanggal Penandatanganan", "Tanggal Mulai",
        "Tanggal Berakhir", "Jangka Waktu", "Nilai (Rp)", "Sumber Pembiayaan", "Status",
        "Induk", "Keterangan"]
    assert register.max_row == 32  # header + 31 in force during 2021
    assert register.freeze_panes == "A2"
    assert register.auto_filter.ref == "A1:R32"
    assert register["B1"].font.b
    assert register.page_setup.orientation == "landscape"
    assert register.print_title_rows == "$1:$1"
    rows = {row[2].value: row for row in register.iter_rows(min_row=2)}
    pks = rows["180/22/PKS/I.01/2021"]
    assert pks[9].value.date().isoformat() == "2021-04-12"
    assert pks[9].number_format == "dd/mm/yyyy"
    assert pks[13].value == 240000000 and pks[13].number_format == '"Rp" #,##0'
    assert pks[15].value == "Berakhir"  # as of 31 December 2021
    assert pks[16].value == "180/01/KB/I.01/2019"
    evaluation = workbook["Evaluasi 2021"]
    assert [c.value for c in evaluation[1]] == [
        "No", "Nomor", "Tentang", "Perangkat Daerah", "Tingkat Pelaksanaan", "Progres (%)",
        "Tindak Lanjut", "Kendala/Permasalahan", "Manfaat", "Inovasi/Nilai Tambah",
        "Bukti Dukung", "Rekomendasi", "Skor", "Tanggal Evaluasi", "Evaluator", "Keterangan"]
    by_number = {row[1].value: row for row in evaluation.iter_rows(min_row=2)}
    assert by_number["180/22/PKS/I.01/2021"][4].value == "Terlaksana Sebagian"
    assert by_number["180/22/PKS/I.01/2021"][5].value == 60
    assert by_number["180/04/PKS/I.01/2021"][4].value is None  # blank for the OPD to fill
    assert evaluation.conditional_formatting  # levels colour-coded
    findings = workbook["Temuan & Tindak Lanjut"]
    assert [c.value for c in findings[2]][1:6] == [
        "180/25/PKS/I.01/2020", "Jaringan Internet Desa (Desa Digital)", 2021, "Kendala",
        "Sinyal lemah"]


def test_workbook_round_trips_through_import(sample: Cli, tmp_path: Path) -> None:
    """The Evaluasi sheet, filled in by an OPD, imports back."""
    sample("export", "2021", "-o", str(tmp_path / "x.xlsx"))
    workbook = load_workbook(tmp_path / "x.xlsx")
    for name in ("Ringkasan", "Daftar Kerja Sama", "Temuan & Tindak Lanjut"):
        del workbook[name]
    sheet = workbook["Evaluasi 2021"]
    for row in sheet.iter_rows(min_row=2):
        if row[1].value == "180/04/PKS/I.01/2021":
            row[4].value = "Terlaksana"
    workbook.save(tmp_path / "back.xlsx")
    result = sample("import", str(tmp_path / "back.xlsx"))
    assert "1 created" in result.stdout and "27 unchanged" in result.stdout



def test_added_value_and_evidence_are_recorded_shown_and_read_back(
    sample: Cli, tmp_path: Path
) -> None:
    """Issue 15: the instrument's inovasi/nilai tambah and bukti dukung, typed with
    evaluate, shown in the Evaluasi sheet, and read back from it by import."""
    result = sample.json(
        "evaluate", "2021", "180/22/PKS/I.01/2021", "--added-value", "Magang berbasis desa",
        "--evidence", "BA 12/2021",
    )
    assert isinstance(result, dict)
    assert {change["field"] for change in result["changes"]} == {
        "evaluasi 2021: added_value", "evaluasi 2021: evidence"}
    sample("export", "2021", "-o", str(tmp_path / "x.xlsx"))
    workbook = load_workbook(tmp_path / "x.xlsx")
    sheet = workbook["Evaluasi 2021"]
    headers = [c.value for c in sheet[1]]
    added, evidence = headers.index("Inovasi/Nilai Tambah"), headers.index("Bukti Dukung")
    by_number = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    assert by_number["180/22/PKS/I.01/2021"][added].value == "Magang berbasis desa"
    assert by_number["180/22/PKS/I.01/2021"][evidence].value == "BA 12/2021"
    for name in ("Ringkasan", "Daftar Kerja Sama", "Temuan & Tindak Lanjut"):
        del workbook[name]
    by_number["180/22/PKS/I.01/2021"][evidence].value = "https://jdih.example.go.id/ba-12"
    workbook.save(tmp_path / "back.xlsx")
    sample("import", str(tmp_path / "back.xlsx"), "--on-conflict", "update")
    board = sample.json("evaluate", "2021")
    assert isinstance(board, dict)
    evaluations = [
        row["evaluation"] for group in board["groups"] for row in group["agreements"]
        if row["evaluation"] and row["number"] == "180/22/PKS/I.01/2021"
    ]
    assert evaluations[0]["added_value"] == "Magang berbasis desa"
    assert evaluations[0]["evidence"] == "https://jdih.example.go.id/ba-12"
    # The report shows them in a section of their own (only when there are any).
    sample("export", "2021", "--html", "--md", "--docx", "-o", str(tmp_path / "r"))
    html = (tmp_path / "r" / "evaluasi-kerja-sama-2021.html").read_text(encoding="utf-8")
    md = (tmp_path / "r" / "evaluasi-kerja-sama-2021.md").read_text(encoding="utf-8")
    for text in (html, md):
        assert "8. Inovasi, nilai tambah dan bukti dukung" in text
        assert "Magang berbasis desa" in text and "https://jdih.example.go.id/ba-12" in text
    from docx import Document

    document = Document(str(tmp_path / "r" / "evaluasi-kerja-sama-2021.docx"))
    assert "8. Inovasi, nilai tambah dan bukti dukung" in [p.text for p in document.paragraphs]
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert "Magang berbasis desa" in cells

def test_same_register_same_bytes(sample: Cli, tmp_path: Path) -> None:
    sample("export", "2021", "--per-unit", "-o", str(tmp_path / "a.xlsx"))
    sample("export", "2021", "--per-unit", "-o", str(tmp_path / "b.xlsx"))
    digest = [hashlib.sha256((tmp_path / n).read_bytes()).hexdigest() for n in ("a.xlsx",
                                                                                "b.xlsx")]
    assert digest[0] == digest[1]
    sheets = load_workbook(tmp_path / "a.xlsx").sheetnames
    assert "Dinas Kesehatan" in sheets and len(sheets) > 10


def test_an_existing_folder_gets_the_file_inside(cli: Cli, tmp_path: Path) -> None:
    """-o FOLDER with one format: the named file goes into it (it once became FOLDER.partial)."""
    cli("add-mou", "--number", "1/KB", "--title", "A", "--partner", "B", "--signed", "2021-01-01")
    folder = tmp_path / "laporan"
    folder.mkdir()
    result = cli("export", "2021", "--xlsx", "-o", str(folder))
    assert result.stdout.strip() == str(folder / "evaluasi-kerja-sama-2021.xlsx")
    assert [p.name for p in folder.iterdir()] == ["evaluasi-kerja-sama-2021.xlsx"]
    assert not (tmp_path / "laporan.partial").exists()


def test_formula_text_is_never_a_formula(cli: Cli, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    cli("add-mou", "--number", "=HYPERLINK(\"x\")", "--title", "+cmd|' /C calc'!A0",
        "--partner", "@evil", "--note", "-2+3", "--signed", "2021-01-01")
    cli("export", "2021", "--xlsx", "--csv", "-o", str(tmp_path / "out"))
    sheet = load_workbook(tmp_path / "out" / "evaluasi-kerja-sama-2021.xlsx")[
        "Daftar Kerja Sama"]
    row = list(sheet[2])
    assert row[2].value == '=HYPERLINK("x")' and row[2].data_type == "s"
    assert row[4].value == "+cmd|' /C calc'!A0" and row[4].data_type == "s"
    assert row[5].value == "@evil" and row[17].value == "-2+3"
    with (tmp_path / "out" / "evaluasi-kerja-sama-2021-daftar-kerja-sama.csv").open(
            encoding="utf-8-sig") as handle:
        record = list(csv.reader(handle))[1]
    assert record[2] == "'=HYPERLINK(\"x\")" and record[4].startswith("'+cmd")


def test_html_report_numbers_are_the_cores(sample: Cli, tmp_path: Path) -> None:
    sample("export", "2021", "--html", "-o", str(tmp_path / "r.html"))
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 2 and "<script" not in html and "http" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    assert ("Laporan Evaluasi Pelaksanaan Kerja Sama Daerah Kabupaten Tanggamus Tahun 2021"
            in html)
    assert "Peraturan Pemerintah Nomor 28 Tahun 2018" in html
    assert "size: 210mm 297mm;" in html  # A4, unless --paper or config set paper say
    numbers = numbers_of(sample)
    shown = dict(re.findall(r'<tr data-key="(\w+)"><th>[^<]*</th><td class="n">([^<]*)</td>',
                            html))
    assert shown["in_force"] == str(numbers["in_force"])
    assert shown["evaluated"] == str(numbers["evaluated"])
    assert shown["coverage_pct"] == "87,1%"
    assert shown["implementation_index"] == "79,6"
    assert shown["findings_open"] == str(numbers["findings_open"])
    assert "30 Juni 2022" in html  # Babel's Indonesian date
    assert "Maryani" in html  # the signature block


def test_html_escapes_and_money(cli: Cli, tmp_path: Path) -> None:
    cli("config", "set", "region", "Kota <b>Metro</b>")
    cli("add-mou", "--number", "1/KB", "--title", "<script>alert(1)</script>", "--partner", "p",
        "--signed", "2021-01-01", "--end", "2022-06-30", "--value", "Rp 1.250.000.000")
    cli("export", "2021", "--html", "-o", str(tmp_path / "r.html"))
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Kota &lt;b&gt;Metro&lt;/b&gt;" in html
    assert "Rp 1.250.000.000" in html  # it ends next year: listed with its value


def test_template_override_and_english(sample: Cli, tmp_path: Path) -> None:
    mine = tmp_path / "kop"
    mine.mkdir()
    (mine / "letterhead.html.j2").write_text(
        '<div class="letterhead">KOP SURAT {{ content.region | upper }}</div>\n')
    sample("export", "2021", "--html", "--template-dir", str(mine), "-o",
           str(tmp_path / "r.html"))
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "KOP SURAT KABUPATEN TANGGAMUS" in html
    assert "Pendahuluan" in html  # the rest still comes from the shipped templates
    sample("export", "2021", "--html", "--lang", "en", "-o", str(tmp_path / "en.html"))
    english = (tmp_path / "en.html").read_text(encoding="utf-8")
    assert "Evaluation Report on Regional Cooperation" in english
    assert "30 June 2022" in english and "Partly implemented" in english
    bad = sample("export", "2021", "--lang", "fr", ok=False)
    assert bad.exit_code == 2 and "is not a report language" in bad.stderr


def test_markdown_json_csv_and_paths(sample: Cli, tmp_path: Path) -> None:
    result = sample("export", "2021", "--md", "--json", "--csv", "-o", str(tmp_path / "all"))
    written = result.stdout.split()
    assert sorted(Path(p).name for p in written) == [
        "evaluasi-kerja-sama-2021-daftar-kerja-sama.csv",
        "evaluasi-kerja-sama-2021-evaluasi-2021.csv",
        "evaluasi-kerja-sama-2021-temuan-tindak-lanjut.csv",
        "evaluasi-kerja-sama-2021.json", "evaluasi-kerja-sama-2021.md"]
    markdown = (tmp_path / "all" / "evaluasi-kerja-sama-2021.md").read_text(encoding="utf-8")
    assert "| Kerja sama berlaku | 31 |" in markdown
    data = json.loads((tmp_path / "all" / "evaluasi-kerja-sama-2021.json").read_text())
    assert data["numbers"]["evaluated"] == 27
    assert len(data["sheets"]["Daftar Kerja Sama"]) == 31
    first = data["sheets"]["Daftar Kerja Sama"][0]
    assert first["number"] == "180/01/KB/I.01/2019" and first["signed_on"] == "2019-03-14"
    whole = sample("export", "--xlsx", "-o", str(tmp_path / "reg.xlsx"))
    assert whole.exit_code == 0
    sheets = load_workbook(tmp_path / "reg.xlsx").sheetnames
    assert sheets == ["Ringkasan", "Daftar Kerja Sama", "Evaluasi", "Temuan & Tindak Lanjut"]
    assert load_workbook(tmp_path / "reg.xlsx")["Daftar Kerja Sama"].max_row == 34
