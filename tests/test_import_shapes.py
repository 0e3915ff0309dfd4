"""kerjasama import on registers shaped as offices keep them, read back field by field."""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from conftest import Cli

EXAMPLES = Path(__file__).parent.parent / "examples"
SHAPES = [
    "daftar-ksd-pesawaran-2022.xlsx",
    "register-per-jenis-pesawaran.xlsx",
    "register-pesawaran-excel-windows.csv",
]

# What a careful person expects in the register from Kabupaten Pesawaran's files
# (examples/make_office_registers.py writes the same eleven documents three ways).
EXPECTED: dict[str, dict[str, Any]] = {
    "180/03/KB/II.05/2020": {
        "doc_type": "kb", "kind": "ksdd", "bidang": "Pekerjaan Umum dan Penataan Ruang",
        "signed_on": "2020-02-01", "signed_on_precision": "month", "starts_on": None,
        "ends_on": "2024-12-31", "ends_on_precision": None, "value": None,
        "funding": "tanpa-biaya", "parent_number": None,
        "partners": ["Pemerintah Kabupaten Pringsewu"],
        "units": ["Dinas Pekerjaan Umum dan Penataan Ruang"],
    },
    "180/09/PKS/II.05/2020": {
        "doc_type": "pks", "kind": "ksdd", "signed_on": "2020-08-10",
        "starts_on": "2020-09-01", "ends_on": "2022-08-31", "value": 1250000000,
        "funding": "masing-masing", "parent_number": "180/03/KB/II.05/2020",
        "unresolved_parent": None,
    },
    "180/05/KB/II.05/2021": {
        "doc_type": "kb", "kind": "ksdd",
        "bidang": "Ketenteraman, Ketertiban Umum, dan Pelindungan Masyarakat",
        "signed_on": "2021-01-01", "signed_on_precision": "year",
        "ends_on": "2023-12-31", "ends_on_precision": "year", "value": None,
        "funding": "tanpa-biaya", "partners": ["Pemerintah Kota Metro"],
    },
    "180/08/KB/II.05/2022": {
        "signed_on": "2022-03-01", "signed_on_precision": "month",
        "ends_on": "2027-02-28", "ends_on_precision": "month", "status": "berlaku",
        "partners": ["Pemerintah Provinsi Lampung"],
    },
    "180/30/PKS/II.05/2022": {
        "doc_type": "pks", "ends_on": "2022-12-31", "value": 480000000, "funding": "apbd",
        "parent_number": "180/08/KB/II.05/2022",
        "units": ["Dinas Kesehatan", "RSUD Pesawaran"],
    },
    "180/01/KB/II.05/2019": {
        "doc_type": "kb", "kind": "ksdpk", "bidang": "Pendidikan", "signed_on": "2019-03-12",
        "ends_on": "2024-03-11", "partners": ["Universitas Lampung"],
    },
    "180/14/PKS/II.05/2021": {
        "ends_on": "2021-12-31", "value": 150000000,
        "parent_number": "180/01/KB/II.05/2019",
        "bidang": "Pemberdayaan Masyarakat dan Desa",
    },
    "180/01/ADD/II.05/2021": {
        "doc_type": "adendum", "parent_number": "180/14/PKS/II.05/2021",
        "ends_on": "2021-12-31",  # runs as long as the PKS it amends
    },
    "180/21/PKS/II.05/2021": {
        "bidang": "Koperasi, Usaha Kecil, dan Menengah", "ends_on": "2023-05-02",
        "value": 2500000000, "funding": "mitra",
        "partners": ["PT Bank Pembangunan Daerah Lampung"],
    },
    "180/07/KB/II.05/2022": {
        "term_text": "sampai kegiatan selesai", "ends_on": None, "status": "berlaku",
        "partners": ["Asosiasi Perjalanan Wisata Indonesia (ASITA) Lampung"],
    },
    "119/NK/II.05/2021": {
        "doc_type": "nota-kesepakatan", "kind": "sinergi", "ends_on": "2024-05-31",
        "partners": ["Kementerian Desa, Pembangunan Daerah Tertinggal, dan Transmigrasi"],
    },
}


def register_of(cli: Cli) -> dict[str, dict[str, Any]]:
    data = cli.json("list", "--as-of", "2026-11-28")
    assert isinstance(data, list)
    rows = {}
    for row in data:
        row["partners"] = [p["name"] for p in row["partners"]]
        row["units"] = [u["name"] for u in row["units"]]
        rows[row["number"]] = row
    return rows


@pytest.mark.parametrize("name", SHAPES)
def test_each_shape_gives_the_register_a_careful_person_expects(cli: Cli, name: str) -> None:
    result = cli("import", str(EXAMPLES / name))
    assert "11 created, 0 updated, 0 unchanged, 0 skipped, 0 invalid (written)" in result.stdout
    register = register_of(cli)
    assert set(register) == set(EXPECTED)
    for number, fields in EXPECTED.items():
        for field, expected in fields.items():
            assert register[number][field] == expected, (name, number, field)
    # The PKS whose KB was signed years ago, in last year's file: a link kept to make
    # when it arrives, where the file names it in a KB column; a number only named in
    # the Keterangan (the per-type workbook) is linked only if it is there.
    waiting = register["180/21/PKS/II.05/2021"]["unresolved_parent"]
    assert waiting == (None if "per-jenis" in name else "180/02/KB/II.05/2018")
    # The region itself is no partner of its own agreements.
    assert not any("Pesawaran" in p for row in register.values() for p in row["partners"])
    # The term that names no end is a warning, not silence.
    assert "'sampai kegiatan selesai' (the term names no end)" in result.stderr
    # Importing again changes nothing.
    again = cli("import", str(EXAMPLES / name))
    assert "0 created, 0 updated, 11 unchanged" in again.stdout


def test_the_summary_says_how_the_file_was_read(cli: Cli) -> None:
    sections = cli("import", str(EXAMPLES / SHAPES[0]))
    assert "sheet 'Daftar KSD' (header on rows 5-6)" in sections.stderr
    assert "3 section headings read as headings, not agreements (rows 8, 14, 20)" in (
        sections.stderr
    )
    assert "totals rows left out (row 22)" in sections.stderr
    assert "5 rows under the table, from row 24" in sections.stderr
    windows = cli("import", str(EXAMPLES / SHAPES[2]))
    assert "read as Windows-1252 (ANSI), ';'-separated; header on row 4" in windows.stderr
    sheets = cli("import", str(EXAMPLES / SHAPES[1]))
    assert "'Rekap' (no register table" in sheets.stderr
    assert "'Daftar Pilihan' (a hidden sheet" in sheets.stderr


def test_dry_run_prints_the_reading_column_by_column(cli: Cli) -> None:
    result = cli("import", str(EXAMPLES / SHAPES[0]), "--dry-run")
    out = result.stdout
    assert "How " in out and "header on rows 5-6 (above it: DAFTAR KERJA SAMA DAERAH" in out
    for letter, header, field in (
        ("C", "Nomor / Pemda", "number"),
        ("D", "Nomor / Mitra", "partner_number"),
        ("E", "Nomor / KB Induk", "parent_number"),
        ("H", "Para Pihak / Pihak II", "partners (read together with the other)"),
        ("M", "Jangka Waktu / Berakhir", "ends_on"),
        ("A", "No", "ignored: row numbers"),
    ):
        assert re.search(rf"{letter}  {re.escape(header)} +-> {re.escape(field)}\n", out), header
    assert "left out: 3 section headings (rows 8, 14, 20)\n" in out
    assert "              totals (row 22)\n" in out
    assert "the region itself: 'Pemerintah Kabupaten Pesawaran'" in out
    assert "dry run, nothing written" in out
    assert register_of(cli) == {}
    as_json = json.loads(cli("import", str(EXAMPLES / SHAPES[2]), "--dry-run", "--json").stdout)
    reading = as_json[0]["reading"]
    assert reading["encoding"] == "Windows-1252 (ANSI)" and reading["delimiter"] == ";"
    assert reading["tables"][0]["header_rows"] == [4]
    assert {"column": "E", "header": "Pihak I", "field": "partners", "note": ""} in reading[
        "tables"
    ][0]["columns"]
    assert as_json[0]["unresolved_parents"] == ["180/02/KB/II.05/2018"]


HEADER = ["No", "Jenis Dokumen", "Nomor", "Tentang", "Mitra", "Tanggal Penandatanganan",
          "Jangka Waktu"]
ROW = ["1", "KB", "1/KB/2021", "Kerja sama", "Universitas Lampung", "1/2/2021", "2 tahun"]


def write_csv(path: Path, rows: list[list[Any]], encoding: str = "utf-8-sig",
              delimiter: str = ";") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return path


def test_a_title_block_and_the_header_row_override(cli: Cli, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "judul.csv", [
        ["DAFTAR KERJA SAMA DAERAH"], ["PEMERINTAH KABUPATEN TANGGAMUS"], ["TAHUN 2021"], [],
        ["", "", "", "", ""], [], HEADER, ROW])
    result = cli("import", str(source))
    assert "header on row 7" in result.stderr and "1 created" in result.stdout
    # A title that names two columns is taken for the header; --header-row says otherwise.
    misleading = write_csv(tmp_path / "salah.csv", [["Nomor", "Tentang"], [], HEADER,
                                                     [*ROW[:2], "2/KB/2021", *ROW[3:]]])
    refused = cli("import", str(misleading), ok=False)
    assert refused.exit_code == 2 and "--header-row" in refused.stderr
    right = cli("import", str(misleading), "--header-row", "3")
    assert "header on row 3" in right.stderr and "1 created" in right.stdout
    outside = cli("import", str(misleading), "--header-row", "99", ok=False)
    assert outside.exit_code == 2 and "--header-row" in outside.stderr


def test_rows_under_the_table_are_never_invalid_agreements(cli: Cli, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "ttd.csv", [
        HEADER, ROW, ["2", "PKS", "2/PKS/2021", "Pelaksanaan", "Universitas Lampung",
                      "1/3/2021", "1 tahun"],
        ["", "JUMLAH", "", "", "", "", ""], [],
        ["Keterangan: data per 31 Desember 2021"], [],
        ["", "", "", "", "Kota Agung, 31 Desember 2021"], ["", "", "", "", "Mengetahui,"],
        ["", "", "", "", "Kepala Bagian Kerja Sama"], [], [],
        ["", "", "", "", "MARYANI, S.E."], ["", "", "", "", "NIP. 19700101 199503 2 001"]])
    result = cli("import", str(source))
    assert "2 created" in result.stdout and "0 invalid" in result.stdout
    assert "totals rows left out (row 4)" in result.stderr
    assert "rows under the table, from row 6 ('Keterangan: data per 31 Desember 2021'" in (
        result.stderr
    )
    # A note between agreements does not end the table: the agreements after it count.
    after = write_csv(tmp_path / "setelah.csv", [
        HEADER, [*ROW[:2], "5/KB/2021", *ROW[3:]],
        ["Catatan: dokumen asli disimpan di Bagian Hukum"],
        ["3", "KB", "3/KB/2021", "Lain", "Unila", "1/2/2021", ""]])
    noted = cli("import", str(after))
    assert "2 rows: 2 created" in noted.stdout
    assert ("notes inside the table left out (row 3: 'Catatan: dokumen asli disimpan di "
            "Bagian Hukum')") in noted.stderr


def test_a_two_row_header_in_csv_and_a_column_without_header(cli: Cli, tmp_path: Path) -> None:
    """No merges in CSV: the parent is written once, over blanks; its sub-columns below."""
    source = write_csv(tmp_path / "dua-baris.csv", [
        ["No", "Jenis Dokumen", "Nomor", "", "Tentang", "Para Pihak", "", "Jangka Waktu", "", "",
         ""],
        ["", "", "Pemda", "Mitra", "", "Pihak I", "Pihak II", "Mulai", "Berakhir", "Lama", ""],
        ["1", "KB", "1/KB/2021", "77/UN/2021", "Riset", "Pemkab Tanggamus",
         "Universitas Lampung", "1/2/2021", "31/1/2023", "2 tahun", "catatan tanpa judul"],
    ])
    cli("config", "set", "region", "Kabupaten Tanggamus")
    result = cli("import", str(source))
    assert "header on rows 1-2" in result.stderr
    assert "column K has no header but holds data in 1 row: ignored" in result.stderr
    row = register_of(cli)["1/KB/2021"]
    assert row["partner_number"] == "77/UN/2021"
    assert (row["starts_on"], row["ends_on"], row["term_text"]) == (
        "2021-02-01", "2023-01-31", "2 tahun")
    assert row["partners"] == ["Universitas Lampung"]  # Pemkab Tanggamus is the region itself


def test_section_rows_give_their_kind_and_type_to_the_rows_under_them(
    cli: Cli, tmp_path: Path
) -> None:
    header = ["No", "Nomor", "Tentang", "Mitra", "Tanggal Penandatanganan", "Jenis Kerja Sama"]
    source = write_csv(tmp_path / "bagian.csv", [
        header,
        ["I. KESEPAKATAN BERSAMA DENGAN PEMERINTAH DAERAH LAIN", "", "", "", "", ""],
        ["1", "1/KB", "Jalan", "Pemkab Pringsewu", "1/2/2021", ""],
        ["2", "2/KB", "Riset", "Universitas Lampung", "1/2/2021", "Pihak Ketiga"],
        ["II", "PERJANJIAN KERJA SAMA DENGAN PIHAK KETIGA", "", "", "", ""],
        ["1", "1/PKS", "Magang", "Universitas Lampung", "1/3/2021", ""],
    ])
    result = cli("import", str(source))
    assert "3 created" in result.stdout and "0 invalid" in result.stdout
    register = register_of(cli)
    assert (register["1/KB"]["doc_type"], register["1/KB"]["kind"]) == ("kb", "ksdd")
    assert register["2/KB"]["kind"] == "ksdpk"  # its own value wins
    assert (register["1/PKS"]["doc_type"], register["1/PKS"]["kind"]) == ("pks", "ksdpk")
    # Without headings, sheet names or --doc-type, the missing column is the message.
    bare = write_csv(tmp_path / "tanpa-jenis.csv", [header, ["1", "9/KB", "t", "m", "", ""]])
    refused = cli("import", str(bare), ok=False)
    assert 'no column for "Jenis Dokumen" (doc_type)' in refused.stderr
    assert "--doc-type" in refused.stderr
    given = cli("import", str(bare), "--doc-type", "MoU")
    assert "1 created" in given.stdout and register_of(cli)["9/KB"]["doc_type"] == "kb"


def _workbook(path: Path, sheets: dict[str, list[list[Any]]], hidden: tuple[str, ...] = ()) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if name in hidden:
            sheet.sheet_state = "hidden"
    book.save(path)
    return path


def test_sheets_one_per_type_and_sheet_narrows(cli: Cli, tmp_path: Path) -> None:
    header = ["Nomor", "Tentang", "Mitra", "Tanggal TTD", "Keterangan"]
    path = _workbook(tmp_path / "jenis.xlsx", {
        "Rekap": [["Jenis", "Jumlah"], ["KB", "=COUNTA(KB!A2:A9)"]],
        "PKS": [header, ["2/PKS", "Magang", "Unila", date(2021, 3, 1),
                         "Pelaksanaan KB Nomor 1/KB"]],
        "KB": [["DAFTAR KB"], header, ["1/KB", "Riset", "Unila", date(2021, 2, 1), None]],
        "Catatan": [["Tidak ada tabel di sini"]],
    })
    only = cli("import", str(path), "--sheet", "pks", "--dry-run")
    assert "sheet 'PKS'" in only.stdout and "sheet 'KB'" not in only.stdout
    result = cli("import", str(path))
    assert "2 created" in result.stdout
    assert "'Catatan' (no table" in result.stderr and "'Rekap' (" in result.stderr
    register = register_of(cli)
    assert register["1/KB"]["doc_type"] == "kb" and register["2/PKS"]["doc_type"] == "pks"
    assert register["2/PKS"]["parent_number"] == "1/KB"  # named in Keterangan
    both = cli("import", str(path), "--sheet", "KB", "--sheet", "Pks")
    assert "0 created, 0 updated, 2 unchanged" in both.stdout
    missing = cli("import", str(path), "--sheet", "MoU", ok=False)
    assert missing.exit_code == 2 and "has no sheet 'MoU'" in missing.stderr
    assert "'Rekap', 'PKS', 'KB', 'Catatan'" in missing.stderr


def test_numbered_parties_and_the_region_itself(cli: Cli, tmp_path: Path) -> None:
    header = ["Jenis Dokumen", "Nomor", "Tentang", "Para Pihak", "Jenis Mitra"]
    rows = [
        ["KB", "1/KB", "Riset", "1. Pemerintah Kabupaten Pringsewu\n2. Universitas Lampung",
         "Pemerintah Kabupaten/Kota; Perguruan Tinggi"],
        ["KB", "2/KB", "Magang", "1. Pemerintah Kabupaten Pringsewu\n2. Politeknik Negeri Lampung",
         ""],
        ["KB", "3/KB", "Jalan", "a) Pemerintah Kabupaten Pringsewu\nb) Pemerintah Kota Metro", ""],
    ]
    source = write_csv(tmp_path / "para-pihak.csv", [header, *rows])
    # No region set: the one party every row names is the region itself.
    result = cli("import", str(source))
    assert "1 created" not in result.stdout and "3 created" in result.stdout
    register = register_of(cli)
    assert register["1/KB"]["partners"] == ["Universitas Lampung"]
    kinds = {p["name"]: p["kind"] for p in cli.json("show", "1/KB")["partners"]}  # type: ignore[index]
    assert kinds == {"Universitas Lampung": "perguruan-tinggi"}
    assert register["3/KB"]["partners"] == ["Pemerintah Kota Metro"]


def test_the_configured_region_is_not_its_own_partner(cli: Cli, tmp_path: Path) -> None:
    cli("config", "set", "region", "Kabupaten Pringsewu")
    source = write_csv(tmp_path / "p.csv", [
        ["Jenis Dokumen", "Nomor", "Tentang", "Para Pihak"],
        ["KB", "1/KB", "Riset", "1. Pemkab Pringsewu 2. Universitas Lampung"],
        ["KB", "2/KB", "Salah", "Pemerintah Kabupaten Pringsewu"],
    ])
    result = cli("import", str(source), ok=False)
    assert "names only the region itself" in result.stderr
    cli("import", str(source), "--skip-invalid")
    assert register_of(cli)["1/KB"]["partners"] == ["Universitas Lampung"]


@pytest.mark.parametrize(
    ("encoding", "delimiter", "bom"),
    [("cp1252", ";", False), ("utf-8", ",", False), ("utf-8-sig", "\t", True),
     ("utf-16", "\t", True), ("mac_roman", ";", False)],
)
def test_csv_as_excel_writes_it_in_any_encoding(
    cli: Cli, tmp_path: Path, encoding: str, delimiter: str, bom: bool
) -> None:
    """The encoding is decided from the whole file: a non-ASCII byte past 8 KiB is read."""
    rows = [HEADER] + [
        [str(n), "KB", f"{n}/KB/2021", f"Kerja sama nomor {n} dengan judul yang cukup panjang",
         "Universitas Lampung", "1/2/2021", "2 tahun"]
        for n in range(1, 150)
    ]
    rows.append(["150", "KB", "150/KB/2021", "Jum’at Bersih – Kota “Hijau”", "Café Lestari",
                 "1/2/2021", "2 tahun"])
    source = write_csv(tmp_path / "windows.csv", rows, encoding=encoding, delimiter=delimiter)
    assert source.stat().st_size > 8192
    result = cli("import", str(source))
    assert "150 created" in result.stdout, result.stderr
    row = register_of(cli)["150/KB/2021"]
    assert row["title"] == "Jum’at Bersih – Kota “Hijau”"
    assert row["partners"] == ["Café Lestari"]
    names = {"cp1252": "Windows-1252", "mac_roman": "Mac Roman", "utf-16": "UTF-16"}
    assert names.get(encoding, "UTF-8") in result.stderr


def test_an_encoding_can_be_named(cli: Cli, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "x.csv", [HEADER, [*ROW[:3], "Perubahan café", *ROW[4:]]],
                       encoding="cp1252")
    wrong = cli("import", str(source), "--encoding", "utf-8", ok=False)
    assert wrong.exit_code == 2 and "is not UTF-8 text" in wrong.stderr
    assert "Traceback" not in wrong.stderr
    unknown = cli("import", str(source), "--encoding", "klingon", ok=False)
    assert unknown.exit_code == 2 and "not a text encoding" in unknown.stderr
    cli("import", str(source), "--encoding", "cp1252")
    assert register_of(cli)["1/KB/2021"]["title"] == "Perubahan café"


def test_links_as_offices_write_them(cli: Cli, tmp_path: Path) -> None:
    header = ["Jenis Dokumen", "Nomor", "Tentang", "Mitra", "Tanggal TTD", "Induk", "Keterangan"]
    pks = write_csv(tmp_path / "pks.csv", [
        header,
        ["PKS", "1/PKS", "Magang", "Unila", "1/3/2021", "", "Pelaksanaan KB Nomor 1/KB/2017"],
        ["PKS", "2/PKS", "Riset", "Unila", "1/3/2021", "2/KB/2017", ""],
        ["PKS", "3/PKS", "Lain", "Unila", "1/3/2021", "", "Pelaksanaan KB Nomor 9/KB/2010"],
    ])
    result = cli("import", str(pks))
    assert "3 created" in result.stdout
    assert "2/KB/2017" in result.stderr and "1/KB/2017" not in result.stderr
    register = register_of(cli)
    assert register["2/PKS"]["unresolved_parent"] == "2/KB/2017"
    assert register["1/PKS"]["parent_number"] is None  # only named in a note, and not there
    checked = cli.json("check")
    assert isinstance(checked, list)
    assert [(p["code"], p["number"]) for p in checked if p["code"] == "unresolved-parent"] == [
        ("unresolved-parent", "2/PKS")
    ]
    # The KB arrives with last year's file: the link is made by itself.
    kb = write_csv(tmp_path / "kb.csv", [header, ["KB", "2/KB/2017", "Induk", "Unila",
                                                   "1/1/2017", "", ""]])
    arrived = cli("import", str(kb))
    assert "now linked to it: 2/PKS" in arrived.stderr
    linked = register_of(cli)["2/PKS"]
    assert (linked["parent_number"], linked["unresolved_parent"]) == ("2/KB/2017", None)
    history = cli.json("history", "2/PKS")
    assert isinstance(history, dict)
    assert any(h["field"] == "parent" and h["new"].startswith("2/KB/2017")
               for h in history["history"])
    # ... or when someone adds it by hand.
    cli("import", str(write_csv(tmp_path / "p3.csv", [header, ["PKS", "4/PKS", "t", "Unila",
                                                            "1/3/2021", "3/KB/2017", ""]])))
    added = cli("add-mou", "--number", "3/KB/2017", "--title", "Induk", "--partner", "Unila",
                "--signed", "1/1/2017")
    assert "4/PKS named 3/KB/2017 as its parent: now linked" in added.stderr
    assert register_of(cli)["4/PKS"]["parent_number"] == "3/KB/2017"
    assert not [p for p in cli.json("check") if p["code"] == "unresolved-parent"]  # type: ignore[union-attr,index]


def test_a_pks_whose_kb_is_in_the_file_but_invalid_is_told_so(cli: Cli, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "x.csv", [
        ["Jenis Dokumen", "Nomor", "Tentang", "Mitra", "Tanggal TTD", "Induk"],
        ["PKS", "1/PKS", "Magang", "Unila", "1/3/2021", "1/KB"],
        ["KB", "1/KB", "Riset", "Unila", "31 Juni 2021", ""],
    ])
    result = cli("import", str(source), ok=False)
    lines = [line for line in result.stderr.splitlines()
             if re.match(rf"{re.escape(str(source))}:\d+:", line)]
    assert lines[0].endswith("'1/KB' is its KB, row 3, which is invalid: fix that row first")
    assert "'31 Juni 2021' is not a date" in lines[1]


def test_kerjasamas_own_workbook_filled_in_by_the_opds(cli: Cli, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl import load_workbook

    cli("import", str(EXAMPLES / "register-2021.csv"))
    cli("config", "set", "region", "Kabupaten Tanggamus")
    monkeypatch.chdir(tmp_path)
    cli("export", "2021", "--xlsx")
    book_path = tmp_path / "evaluasi-kerja-sama-2021.xlsx"
    book = load_workbook(book_path)
    sheet = book["Evaluasi 2021"]
    numbers = [sheet.cell(row, 2).value for row in range(2, 7)]
    typed = [  # level, progress as Excel stores it (and its format), recommendation
        ("Sudah Terlaksana", 1, "0%", "Dilanjutkan dengan PKS baru"),
        ("terlaksana sebagian (70%)", None, None, "Perlu Adendum"),
        ("Dalam proses", 0.75, "0%", "Perpanjang"),
        ("Belum", 0, None, "dilanjutkan"),
        ("TERLAKSANA", 1, None, None),
    ]
    column = {cell.value: cell.column for cell in sheet[1]}
    for row, (level, progress, fmt, recommendation) in enumerate(typed, start=2):
        sheet.cell(row, column["Tingkat Pelaksanaan"], level)
        if progress is not None:
            cell = sheet.cell(row, column["Progres (%)"], progress)
            if fmt:
                cell.number_format = fmt
        sheet.cell(row, column["Rekomendasi"], recommendation)
    book.save(book_path)
    result = cli("import", str(book_path))
    assert "kerjasama's own workbook: reading 'Evaluasi 2021'" in result.stderr
    assert "5 created" in result.stdout
    assert "1 with the level Terlaksana: read as 1%" in result.stderr
    board = cli.json("evaluate", "2021")
    assert isinstance(board, dict)
    evaluations = {
        item["number"]: item["evaluation"]
        for group in board["groups"]
        for item in group["agreements"]
        if item["evaluation"]
    }
    got = [(evaluations[n]["level"], evaluations[n]["progress"],
            evaluations[n]["recommendation"]) for n in numbers]
    assert got == [("terlaksana", 100, "dilanjutkan"), ("sebagian", 70, "ditinjau"),
                   ("sebagian", 75, "diperpanjang"), ("belum", 0, "dilanjutkan"),
                   ("terlaksana", 1, None)]
    # The recommendation's other words are kept, not lost.
    assert evaluations[numbers[0]]["note"] == "Rekomendasi: Dilanjutkan dengan PKS baru"
    again = cli("import", str(book_path))
    assert "0 created, 0 updated, 5 unchanged" in again.stdout
