"""Files as a new user brought them: each case found by trying the import on real shapes."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from conftest import Cli


def register_of(cli: Cli) -> dict[str, dict[str, Any]]:
    data = cli.json("list")
    assert isinstance(data, list)
    return {row["number"]: row for row in data}


def workbook(path: Path, sheets: dict[str, list[list[Any]]],
             merges: dict[str, list[str]] | None = None) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in (merges or {}).get(name, []):
            sheet.merge_cells(cells)
    book.save(path)
    return path


def write_csv(path: Path, rows: list[list[Any]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    return path


HEADER = ["No", "Nomor", "Tentang", "Mitra", "Perangkat Daerah", "Tanggal Penandatanganan",
          "Jangka Waktu"]


def test_cells_merged_down_read_as_excel_shows_them(cli: Cli, tmp_path: Path) -> None:
    path = workbook(tmp_path / "gabung.xlsx", {"PKS": [
        HEADER,
        [1, "M/1", "Kajian A", "Universitas Lampung", "Bappeda", "1 Mei 2021", "1 tahun"],
        [2, "M/2", "Kajian B", None, None, "2 Mei 2021", "1 tahun"],
        [3, "M/3", "Kajian C", None, None, "3 Mei 2021", "1 tahun"],
        [4, "M/4", "Pelatihan aparatur desa tentang", "Itera", "BPSDM", "4 Mei 2021", "1 tahun"],
        [None, None, "pengelolaan keuangan desa", "Sumatera", None, None, None],
    ]}, {"PKS": ["D2:D4", "E2:E4"]})
    result = cli("import", str(path), ok=False)
    # The row under row 5 holds the rest of its text: said so, not just "no number".
    assert ('gabung.xlsx[PKS]:6: column "Nomor": required, but empty: if this row holds the '
            "rest of row 5's text, join the two in row 5") in result.stderr
    cli("import", str(path), "--skip-invalid")
    register = register_of(cli)
    for number in ("M/1", "M/2", "M/3"):
        assert [p["name"] for p in register[number]["partners"]] == ["Universitas Lampung"]
        assert [u["name"] for u in register[number]["units"]] == ["Bappeda"]


def test_nested_headings_keep_what_the_outer_one_says(cli: Cli, tmp_path: Path) -> None:
    header = ["No", "Nomor", "Tentang", "Mitra", "Tanggal TTD", "Keterangan"]
    path = workbook(tmp_path / "bertingkat.xlsx", {"Daftar": [
        header,
        ["I. KESEPAKATAN BERSAMA (MoU)"],
        ["1. DINAS KESEHATAN"],
        [1, "1/KB", "Rujukan", "Pemprov Lampung", date(2021, 2, 1), None],
        ["II. PERJANJIAN KERJA SAMA (PKS)"],
        ["a. Kerja sama dengan Pemerintah Daerah Lain"],
        [1, "1/PKS", "Jalan", "Pemkab Pringsewu", date(2021, 3, 1), None],
        ["b. Kerja sama dengan Pihak Ketiga"],
        [1, "2/PKS", "Riset", "Unila", date(2021, 4, 1), None],
    ]})
    result = cli("import", str(path))
    assert "3 created" in result.stdout
    register = register_of(cli)
    assert (register["1/KB"]["doc_type"], register["1/KB"]["kind"]) == ("kb", None)
    assert (register["1/PKS"]["doc_type"], register["1/PKS"]["kind"]) == ("pks", "ksdd")
    assert (register["2/PKS"]["doc_type"], register["2/PKS"]["kind"]) == ("pks", "ksdpk")


@pytest.mark.parametrize(
    "lines",
    [["Tanggamus, 31-12-2021", "Kabag Kerja Sama", "(..........)"],
     ["Kota Agung, 31/12/2021", "Disahkan oleh:", "Kepala Bagian Kerja Sama"],
     ["Menyetujui,", "Sekda", "________________"]],
)
def test_signature_blocks_as_offices_write_them(cli: Cli, tmp_path: Path,
                                                lines: list[str]) -> None:
    rows = [["Jenis Dokumen", *HEADER[1:]],
            ["KB", "1/KB", "Riset", "Unila", "Bappeda", "1/2/2021", "2 tahun"],
            [], *[["", "", "", "", "", line] for line in lines]]
    result = cli("import", str(write_csv(tmp_path / "ttd.csv", rows)))
    assert "1 row: 1 created" in result.stdout and "0 invalid" in result.stdout
    assert "rows under the table" in result.stderr


def test_sheets_that_hold_agreements_are_never_skipped_quietly(cli: Cli, tmp_path: Path) -> None:
    rows = [HEADER[1:], ["1/KS", "Jalan", "Pemkab Pringsewu", "PUPR", "1/2/2021", "2 tahun"]]
    path = workbook(tmp_path / "jenis.xlsx", {"PKS": [HEADER[1:], ["1/PKS", *rows[1][1:]]],
                                              "KS Antar Daerah": rows})
    refused = cli("import", str(path), ok=False)
    assert refused.exit_code == 2
    assert "sheet 'KS Antar Daerah': a table of agreements, but neither a column" in (
        refused.stderr
    )
    assert "--doc-type" in refused.stderr
    # --doc-type gives the type a sheet's name does not; the other sheet keeps its own.
    cli("import", str(path), "--doc-type", "kb")
    register = register_of(cli)
    assert (register["1/KS"]["doc_type"], register["1/KS"]["kind"]) == ("kb", "ksdd")
    assert register["1/PKS"]["doc_type"] == "pks"


@pytest.mark.parametrize(
    ("sheet", "number_header", "doc_type"),
    [("Adendum", "Nomor Adendum", "adendum"), ("PKS", "Nomor PKS", "pks"),
     ("MoU", "Nomor MoU", "kb"), ("Adendum PKS", "Nomor", "adendum")],
)
def test_a_tables_own_number_under_the_names_offices_give_it(
    cli: Cli, tmp_path: Path, sheet: str, number_header: str, doc_type: str
) -> None:
    cli("add-pks", "--number", "9/PKS", "--title", "Induk", "--partner", "Unila") if (
        doc_type == "adendum") else None
    rows = [[number_header, "Tentang", "Mitra", "Keterangan"],
            ["1/X", "Judul", "Unila", "Adendum atas PKS Nomor 9/PKS"]]
    cli("import", str(workbook(tmp_path / "nomor.xlsx", {sheet: rows})))
    assert register_of(cli)["1/X"]["doc_type"] == doc_type


def test_headers_with_units_and_line_breaks(cli: Cli, tmp_path: Path) -> None:
    header = ["JENIS\nDOKUMEN", "NOMOR", "JUDUL / TENTANG", "MITRA", "TGL.\nPENANDATANGANAN",
              "JANGKA\nWAKTU\n(TAHUN)", "NILAI\n(RUPIAH)", "TGL.\nBERAKHIR"]
    rows = [header, ["KB", "1/KB", "Riset", "Unila", date(2021, 2, 1), 3, 150000000, None],
            ["KB", "2/KB", "Magang", "Itera", date(2021, 2, 1), None, None, date(2022, 1, 31)]]
    result = cli("import", str(workbook(tmp_path / "kapital.xlsx", {"KB": rows})))
    assert "not known" not in result.stderr
    register = register_of(cli)
    assert (register["1/KB"]["term_text"], register["1/KB"]["ends_on"]) == ("3 tahun",
                                                                           "2024-01-31")
    assert register["1/KB"]["value"] == 150000000
    assert register["2/KB"]["ends_on"] == "2022-01-31"


def test_a_number_written_with_its_date(cli: Cli, tmp_path: Path) -> None:
    rows = [["Jenis Dokumen", "Nomor dan Tanggal", "Tentang", "Mitra", "Induk"],
            ["KB", "180/10/KB/2021\nTanggal 12 Maret 2021", "Riset", "Unila", ""],
            ["PKS", "No. 180/11/PKS/2021, tgl. 1/4/2021", "Magang", "Unila",
             "180/10/KB/2021 tanggal 12 Maret 2021"]]
    cli("import", str(write_csv(tmp_path / "nomor.csv", rows)))
    register = register_of(cli)
    assert register["180/10/KB/2021"]["signed_on"] == "2021-03-12"
    assert register["180/11/PKS/2021"]["signed_on"] == "2021-04-01"
    assert register["180/11/PKS/2021"]["parent_number"] == "180/10/KB/2021"
    assert register["180/11/PKS/2021"]["unresolved_parent"] is None


def test_the_region_itself_however_each_row_writes_it(cli: Cli, tmp_path: Path) -> None:
    rows = [["Jenis Dokumen", "Nomor", "Tentang", "Pihak I", "Pihak II"],
            ["KB", "1/KB", "a", "Pemerintah Kabupaten Tanggamus", "Universitas Lampung"],
            ["KB", "2/KB", "b", "Pemkab Tanggamus", "Itera"],
            ["KB", "3/KB", "c", "Bupati Tanggamus", "Polinela"]]
    cli("import", str(write_csv(tmp_path / "pihak.csv", rows)))
    partners = {n: [p["name"] for p in r["partners"]] for n, r in register_of(cli).items()}
    assert partners == {"1/KB": ["Universitas Lampung"], "2/KB": ["Itera"],
                        "3/KB": ["Polinela"]}


def test_both_parties_written_as_one_name(cli: Cli, tmp_path: Path) -> None:
    cli("config", "set", "region", "Kabupaten Tanggamus")
    rows = [["Jenis Dokumen", "Nomor", "Tentang", "Para Pihak"],
            ["KB", "1/KB", "a", "Pemkab Tanggamus - Pemkab Pringsewu"],
            ["KB", "2/KB", "b", "Pemerintah Kabupaten Tanggamus dengan Universitas Lampung"]]
    cli("import", str(write_csv(tmp_path / "satu-nama.csv", rows)))
    partners = {n: [p["name"] for p in r["partners"]] for n, r in register_of(cli).items()}
    assert partners == {"1/KB": ["Pemkab Pringsewu"], "2/KB": ["Universitas Lampung"]}


@pytest.mark.parametrize(
    ("term", "starts", "ends"),
    [("31 Desember 2023", None, "2023-12-31"), ("2021 - 2023", "2021-01-01", "2023-12-31"),
     ("12 Maret 2021 s/d 11 Maret 2024", "2021-03-12", "2024-03-11")],
)
def test_terms_written_as_dates(cli: Cli, tmp_path: Path, term: str, starts: str | None,
                                ends: str) -> None:
    rows = [["Jenis Dokumen", "Nomor", "Tentang", "Mitra", "Tanggal TTD", "Jangka Waktu"],
            ["KB", "1/KB", "a", "Unila", "12/3/2021", term]]
    cli("import", str(write_csv(tmp_path / "t.csv", rows)))
    row = register_of(cli)["1/KB"]
    assert (row["starts_on"], row["ends_on"]) == (starts, ends)


def test_an_end_written_as_a_term(cli: Cli, tmp_path: Path) -> None:
    rows = [["Jenis Dokumen", "Nomor", "Tentang", "Mitra", "Tanggal Berakhir"],
            ["KB", "1/KB", "a", "Unila", "Sampai dengan tanggal 31 Desember 2024"]]
    cli("import", str(write_csv(tmp_path / "t.csv", rows)))
    assert register_of(cli)["1/KB"]["ends_on"] == "2024-12-31"


def test_dates_written_month_first_are_refused_with_the_reason(cli: Cli, tmp_path: Path) -> None:
    rows = [["Jenis Dokumen", "Nomor", "Tentang", "Mitra", "Tanggal TTD"],
            ["KB", "1/KB", "a", "Unila", "8/19/2021"]]
    result = cli("import", str(write_csv(tmp_path / "us.csv", rows)), ok=False)
    assert "'8/19/2021' has no month 19" in result.stderr


def test_date_cells_shown_to_the_month_or_year(cli: Cli, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Jenis Dokumen", "Nomor", "Tentang", "Mitra", "Tanggal Penandatanganan",
                  "Tanggal Berakhir"])
    sheet.append(["KB", "1/KB", "a", "Unila", date(2021, 8, 1), date(2024, 1, 1)])
    sheet["E2"].number_format = "mmmm yyyy"
    sheet["F2"].number_format = "yyyy"
    sheet.append(["KB", "2/KB", "b", "Unila", date(2021, 8, 19), date(2024, 1, 31)])
    sheet["E3"].number_format = "dd/mm/yyyy"
    book.save(tmp_path / "format.xlsx")
    cli("import", str(tmp_path / "format.xlsx"))
    register = register_of(cli)
    assert (register["1/KB"]["signed_on_precision"], register["1/KB"]["ends_on"],
            register["1/KB"]["ends_on_precision"]) == ("month", "2024-12-31", "year")
    assert register["2/KB"]["signed_on_precision"] is None


def test_header_row_anywhere_and_the_year_from_the_title(cli: Cli, tmp_path: Path) -> None:
    rows = [["catatan"]] * 60 + [["Jenis Dokumen", "Nomor", "Tentang", "Mitra"],
                                 ["KB", "1/KB", "a", "Unila"]]
    path = workbook(tmp_path / "jauh.xlsx", {"KB ": rows})
    cli("import", str(path), "--header-row", "61", "--sheet", "kb")
    assert "1/KB" in register_of(cli)
    cli("update", "1/KB", "--signed", "1/2/2021", "--term", "5 tahun")
    evaluation = workbook(tmp_path / "opd.xlsx", {"Dinas A": [
        ["EVALUASI PELAKSANAAN KERJA SAMA DAERAH TAHUN 2021"], [],
        ["Nomor", "Tentang", "Tingkat Pelaksanaan"], ["1/KB", "a", "Sebagian"]]})
    cli("import", str(evaluation))
    board = cli.json("evaluate", "2021")
    assert isinstance(board, dict) and board["numbers"]["evaluated"] == 1


def test_the_documents_left_as_they_are_are_named(cli: Cli, tmp_path: Path) -> None:
    header = ["Jenis Dokumen", "Nomor", "Tentang", "Mitra"]
    cli("import", str(write_csv(tmp_path / "a.csv", [header, ["KB", "1/KB", "Lama", "Unila"]])))
    changed = write_csv(tmp_path / "b.csv", [header, ["KB", "1/KB", "Baru", "Unila"]])
    result = cli("import", str(changed))
    assert ("1 document differs from the register and was left as it is: 1/KB (title)"
            in result.stderr)
    assert "--on-conflict update" in result.stderr
    data = json.loads(cli("import", str(changed), "--json").stdout)
    assert data[0]["skipped_documents"] == [
        {"sheet": None, "row": 2, "number": "1/KB", "fields": ["title"]}]


def test_several_files_each_told_when_one_cannot_be_read(cli: Cli, tmp_path: Path) -> None:
    good = write_csv(tmp_path / "a.csv", [["Jenis Dokumen", "Nomor", "Tentang", "Mitra"],
                                          ["KB", "1/KB", "a", "Unila"]])
    (tmp_path / "b.xlsx").write_bytes(b"PK\x03\x04 broken")
    (tmp_path / "~$a.xlsx").write_bytes(b"lock")
    result = cli("import", str(good), str(tmp_path / "b.xlsx"), str(tmp_path / "~$a.xlsx"),
                 ok=False)
    assert result.exit_code == 2
    assert "a.csv: 1 row: 1 created" in result.stdout  # what was written is told
    assert "b.xlsx: not imported" in result.stderr and "cannot read b.xlsx" in result.stderr
    assert "Skipped" in result.stderr and "lock file" in result.stderr
    assert "1/KB" in register_of(cli)


def test_an_evaluation_file_counts_its_valid_rows(cli: Cli, tmp_path: Path) -> None:
    cli("add-mou", "--number", "1/KB", "--title", "a", "--partner", "Unila",
        "--signed", "1/2/2021", "--term", "5 tahun")
    cli("add-mou", "--number", "2/KB", "--title", "b", "--partner", "Unila",
        "--signed", "1/2/2021", "--term", "5 tahun")
    rows = [["Tahun", "Nomor", "Tingkat Pelaksanaan"], ["2021", "1/KB", "Terlaksana"],
            ["2021", "2/KB", "Hampir"]]
    result = cli("import", str(write_csv(tmp_path / "e.csv", rows)), ok=False)
    assert "2 rows: 0 created" in result.stdout and "1 invalid" in result.stdout
    assert "write the 1 valid row and leave" in result.stderr


def test_text_that_two_programs_wrote_is_refused(cli: Cli, tmp_path: Path) -> None:
    text = "Jenis Dokumen;Nomor;Tentang;Mitra\nKB;1/KB;Café;Unila\n".encode()
    (tmp_path / "campur.csv").write_bytes(text + "KB;2/KB;Caf\xe9;Unila\n".encode("cp1252"))
    result = cli("import", str(tmp_path / "campur.csv"), ok=False)
    assert result.exit_code == 2 and "UTF-8 but for some bytes that are not (from row 3)" in (
        result.stderr)
    (tmp_path / "u32.csv").write_bytes(
        "Jenis Dokumen;Nomor;Tentang;Mitra\nKB;1/KB;Café;Unila\n".encode("utf-32"))
    assert "UTF-32" in cli("import", str(tmp_path / "u32.csv")).stderr
    assert register_of(cli)["1/KB"]["title"] == "Café"


def test_a_web_page_saved_as_xls(cli: Cli, tmp_path: Path) -> None:
    page = """<html><head><meta charset="windows-1252"></head><body>
    <table><tr><td colspan="4">DAFTAR KERJA SAMA DAERAH</td></tr>
    <tr><th rowspan="2">No</th><th colspan="2">Nomor</th><th rowspan="2">Tentang</th>
        <th rowspan="2">Mitra</th><th rowspan="2">Jenis Dokumen</th></tr>
    <tr><th>Pemda</th><th>Mitra</th></tr>
    <tr><td>1</td><td>180/1/KB/2021</td><td>9/UN/2021</td><td>Riset &amp; Pengembangan</td>
        <td>Universitas Lampung</td><td>KB</td></tr>
    </table></body></html>"""
    (tmp_path / "ekspor.xls").write_bytes(page.encode("cp1252"))
    result = cli("import", str(tmp_path / "ekspor.xls"))
    assert "web page (HTML) saved with a workbook's name" in result.stderr
    row = register_of(cli)["180/1/KB/2021"]
    assert (row["partner_number"], row["title"]) == ("9/UN/2021", "Riset & Pengembangan")


def test_a_stray_cell_far_away_is_refused_and_formatting_is_not(cli: Cli,
                                                               tmp_path: Path) -> None:
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.append(["Jenis Dokumen", "Nomor", "Tentang", "Mitra"])
    sheet.append(["KB", "1/KB", "a", "Unila"])
    sheet.cell(1048576, 16384).font = Font(bold=True)  # formatting only: costs nothing
    book.save(tmp_path / "format.xlsx")
    assert "1 created" in cli("import", str(tmp_path / "format.xlsx")).stdout
    sheet.cell(3, 16384, "x")
    sheet.cell(200000, 5, "x")  # values: the sheet would take gigabytes to read
    book.save(tmp_path / "jauh.xlsx")
    result = cli("import", str(tmp_path / "jauh.xlsx"), ok=False)
    assert result.exit_code == 2 and "far past any register" in result.stderr


def test_a_folder_imports_the_files_in_it(cli: Cli, tmp_path: Path) -> None:
    """Issue 15: `import formulir-2021/` takes every returned file in it, by name; not
    its subfolders, hidden files or Excel's lock files. A folder of none is refused."""
    empty = tmp_path / "kosong"
    empty.mkdir()
    (empty / "catatan.docx").write_text("x")
    result = cli("import", str(empty), ok=False)
    assert result.exit_code == 2 and "holds no file kerjasama imports" in result.stderr
    folder = tmp_path / "kembali"
    (folder / "lama").mkdir(parents=True)
    header = "Jenis Dokumen;Nomor;Tentang;Mitra\n"
    (folder / "b.csv").write_text(header + "KB;2/KB;Dua;Unila\n", encoding="utf-8")
    (folder / "a.csv").write_text(header + "KB;1/KB;Satu;Unila\n", encoding="utf-8")
    (folder / "~$a.xlsx").write_bytes(b"lock")
    (folder / ".hidden.csv").write_text("x", encoding="utf-8")
    (folder / "catatan.txt").write_text("dikirim lewat WA", encoding="utf-8")
    (folder / "lama" / "c.csv").write_text(header + "KB;3/KB;Tiga;Unila\n", encoding="utf-8")
    result = cli("import", str(folder))
    assert result.stdout.index("a.csv") < result.stdout.index("b.csv")
    listed = cli.json("list")
    assert isinstance(listed, list)
    assert sorted(row["number"] for row in listed) == ["1/KB", "2/KB"]


def test_bidang_written_after_its_group(cli: Cli, tmp_path: Path) -> None:
    rows = [["Jenis Dokumen", "Nomor", "Tentang", "Mitra", "Bidang Urusan"],
            ["KB", "1/KB", "a", "Unila", "Urusan Pemerintahan Wajib yang Berkaitan dengan "
             "Pelayanan Dasar - Pekerjaan Umum dan Penataan Ruang"]]
    cli("import", str(write_csv(tmp_path / "b.csv", rows)))
    assert register_of(cli)["1/KB"]["bidang"] == "Pekerjaan Umum dan Penataan Ruang"
