"""Write the same register of Kabupaten Pesawaran in the shapes offices keep it in.

    python examples/make_office_registers.py [FOLDER]   (default: examples/)

Eleven documents (KB, PKS, adendum, nota kesepakatan), three files:

- ``daftar-ksd-pesawaran-2022.xlsx``: one sheet with a title block, a header
  over two merged rows ("Nomor" over "Pemda" / "Mitra", "Para Pihak" over
  "Pihak I" / "Pihak II", "Jangka Waktu" over "Mulai" / "Berakhir" / "Lama"),
  a row of column numbers, section rows that give the kind ("A. KERJA SAMA
  DENGAN PEMERINTAH DAERAH LAIN"), No restarting in each, a "Jumlah" row
  with a formula, a signature block and notes under the table;
- ``register-per-jenis-pesawaran.xlsx``: one sheet per document type ("MoU",
  "PKS", "Adendum", "Nota Kesepakatan") without a Jenis Dokumen column, a
  "Rekap" sheet of formulas, a hidden sheet of drop-down lists, "Para Pihak"
  cells listing both parties numbered, PKS linked to their KB in Keterangan;
- ``register-pesawaran-excel-windows.csv``: what Excel on Windows writes as
  "CSV (Comma delimited)": Windows-1252, CRLF, ';', the title lines above.

What offices type is kept as they type it: dates known only to the month
("Februari 2020") or the year (2021), "Tidak ada" and "Non Anggaran" for no
value, terms in contract words ("Sampai dengan tanggal 31 Desember 2024",
"1 (satu) tahun anggaran", "2 (dua) tahun sejak tanggal 1 September 2020"),
bidang in Permendagri 90/2019's wording. One PKS names a KB signed years ago
that is in none of the files (kept as a link to make when it arrives), and
one KB's term names no end (a warning). Deterministic: the same bytes each run.
"""

from __future__ import annotations

import csv
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

REGION = "Pemerintah Kabupaten Pesawaran"
TITLE = ("DAFTAR KERJA SAMA DAERAH", "PEMERINTAH KABUPATEN PESAWARAN", "TAHUN 2022")
SIGNATURE = (
    "Gedong Tataan, 30 Desember 2022",
    "Kepala Bagian Kerja Sama",
    "",
    "",
    "RINA MARLINA, S.E., M.M.",
    "NIP. 19750812 200003 2 002",
)
NOTE = "Keterangan: *) data per 30 Desember 2022, diolah Bagian Kerja Sama"

# The documents, as the office records them. "parent" is the KB column where
# the office has one; "note" is the Keterangan, where some offices name the KB.
DOCUMENTS: list[dict[str, Any]] = [
    {
        "section": "A",
        "doc": "Kesepakatan Bersama",
        "number": "180/03/KB/II.05/2020",
        "partner_number": "119/2136/II.07/2020",
        "title": "Pembangunan dan Pemeliharaan Jalan Penghubung Antarwilayah",
        "partner": "Pemerintah Kabupaten Pringsewu",
        "bidang": "Urusan Pemerintahan Bidang Pekerjaan Umum dan Penataan Ruang",
        "unit": "Dinas Pekerjaan Umum dan Penataan Ruang",
        "signed": "Februari 2020",
        "term": "Sampai dengan tanggal 31 Desember 2024",
        "value": "Tidak ada",
    },
    {
        "section": "A",
        "doc": "Perjanjian Kerja Sama",
        "number": "180/09/PKS/II.05/2020",
        "partner_number": "119/2890/II.07/2020",
        "title": "Pemeliharaan Jalan Batas Wilayah Gedong Tataan - Gadingrejo",
        "partner": "Pemerintah Kabupaten Pringsewu",
        "bidang": "Pekerjaan Umum dan Penataan Ruang",
        "unit": "Dinas Pekerjaan Umum dan Penataan Ruang",
        "signed": date(2020, 8, 10),
        "term": "2 (dua) tahun sejak tanggal 1 September 2020",
        "value": 1_250_000_000,
        "funding": "Masing-masing Pihak",
        "note": "Pelaksanaan KB Nomor 180/03/KB/II.05/2020",
        "parent_in_column": False,
    },
    {
        "section": "A",
        "doc": "Kesepakatan Bersama",
        "number": "180/05/KB/II.05/2021",
        "title": "Ketenteraman dan Ketertiban di Wilayah Perbatasan",
        "partner": "Pemerintah Kota Metro",
        "bidang": "Ketenteraman dan Ketertiban Umum serta Pelindungan (Perlindungan) Masyarakat",
        "unit": "Satuan Polisi Pamong Praja",
        "signed": 2021,
        "term": "Selama 3 (tiga) tahun",
        "value": "Non Anggaran",
    },
    {
        "section": "A",
        "doc": "Kesepakatan Bersama",
        "number": "180/08/KB/II.05/2022",
        "title": "Peningkatan Pelayanan Kesehatan Rujukan",
        "partner": "Pemerintah Provinsi Lampung",
        "bidang": "Urusan Pemerintahan Bidang Kesehatan",
        "unit": "Dinas Kesehatan",
        "signed": "Maret 2022",
        "term": "5 (lima) tahun",
    },
    {
        "section": "A",
        "doc": "Perjanjian Kerja Sama",
        "number": "180/30/PKS/II.05/2022",
        "title": "Pelayanan Rujukan Pasien RSUD Pesawaran ke RSUD Dr. H. Abdul Moeloek",
        "partner": "Pemerintah Provinsi Lampung",
        "bidang": "Kesehatan",
        "unit": "Dinas Kesehatan; RSUD Pesawaran",
        "signed": date(2022, 6, 14),
        "term": "Tahun Anggaran 2022",
        "value": 480_000_000,
        "funding": "APBD",
        "parent": "180/08/KB/II.05/2022",
    },
    {
        "section": "B",
        "doc": "Kesepakatan Bersama",
        "number": "180/01/KB/II.05/2019",
        "partner_number": "3217/UN26/HK.06/2019",
        "title": "Tri Dharma Perguruan Tinggi dan Pembangunan Daerah",
        "partner": "Universitas Lampung",
        "bidang": "Pendidikan dan Kebudayaan",
        "unit": "Badan Perencanaan Pembangunan Daerah",
        "signed": date(2019, 3, 12),
        "term": "5 (lima) tahun",
    },
    {
        "section": "B",
        "doc": "Perjanjian Kerja Sama",
        "number": "180/14/PKS/II.05/2021",
        "partner_number": "4410/UN26/HK.06/2021",
        "title": "Kuliah Kerja Nyata Tematik Desa Wisata",
        "partner": "Universitas Lampung",
        "bidang": "Pemberdayaan Masyarakat dan Desa",
        "unit": "Dinas Pemberdayaan Masyarakat dan Desa",
        "signed": date(2021, 7, 5),
        "term": "1 (satu) tahun anggaran",
        "value": 150_000_000,
        "funding": "APBD",
        "parent": "180/01/KB/II.05/2019",
    },
    {
        "section": "B",
        "doc": "Adendum",
        "number": "180/01/ADD/II.05/2021",
        "title": "Perubahan Jadwal Kuliah Kerja Nyata Tematik",
        "partner": "Universitas Lampung",
        "bidang": "Pemberdayaan Masyarakat dan Desa",
        "unit": "Dinas Pemberdayaan Masyarakat dan Desa",
        "signed": date(2021, 10, 1),
        "parent": "180/14/PKS/II.05/2021",
    },
    {
        "section": "B",
        "doc": "Perjanjian Kerja Sama",
        "number": "180/21/PKS/II.05/2021",
        "title": "Penyaluran Kredit Usaha Rakyat bagi UMKM",
        "partner": "PT Bank Pembangunan Daerah Lampung",
        "bidang": "Koperasi dan UKM",
        "unit": "Dinas Koperasi, UKM dan Perindustrian",
        "signed": date(2021, 5, 3),
        "term": "2 (dua) tahun",
        "value": 2_500_000_000,
        "funding": "Mitra",
        # Signed years ago, in last year's file: not in this one.
        "parent": "180/02/KB/II.05/2018",
    },
    {
        "section": "B",
        "doc": "Kesepakatan Bersama",
        "number": "180/07/KB/II.05/2022",
        "title": "Pengembangan Pariwisata Teluk Ratai",
        "partner": "Asosiasi Perjalanan Wisata Indonesia (ASITA) Lampung",
        "bidang": "Pariwisata",
        "unit": "Dinas Pariwisata",
        "signed": date(2022, 2, 14),
        "term": "sampai kegiatan selesai",
    },
    {
        "section": "C",
        "doc": "Nota Kesepakatan",
        "number": "119/NK/II.05/2021",
        "title": "Sinergi Program Pembangunan Desa dan Kawasan Perdesaan",
        "partner": "Kementerian Desa, Pembangunan Daerah Tertinggal, dan Transmigrasi",
        "bidang": "Pemberdayaan Masyarakat dan Desa",
        "unit": "Dinas Pemberdayaan Masyarakat dan Desa",
        "signed": date(2021, 6, 1),
        "term": "3 (tiga) tahun",
    },
]
SECTIONS = {
    "A": "A. KERJA SAMA DENGAN PEMERINTAH DAERAH LAIN",
    "B": "B. KERJA SAMA DENGAN PIHAK KETIGA",
    "C": "C. SINERGI DENGAN KEMENTERIAN/LEMBAGA",
}
SHEETS = {
    "Kesepakatan Bersama": "MoU",
    "Perjanjian Kerja Sama": "PKS",
    "Adendum": "Adendum",
    "Nota Kesepakatan": "Nota Kesepakatan",
}
FIXED = datetime(2022, 12, 30, 8, 0, 0)


def _workbook() -> Any:
    from openpyxl import Workbook

    book = Workbook()
    book.properties.creator = "Bagian Kerja Sama"
    book.properties.created = book.properties.modified = FIXED
    return book


def _save(book: Any, path: Path) -> None:
    """openpyxl stamps each save with the time: a fixed time keeps the bytes."""
    import zipfile

    book.save(path)
    data = path.read_bytes()
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, content in entries:
            info.date_time = FIXED.timetuple()[:6]
            target.writestr(info, content)
    del data


def _money(value: Any) -> Any:
    return value if value is not None else "-"


def shape_title_and_sections(path: Path) -> None:
    from openpyxl.styles import Alignment, Font

    book = _workbook()
    sheet = book.active
    sheet.title = "Daftar KSD"
    width = 17
    for row, text in enumerate(TITLE, start=1):
        sheet.cell(row, 1, text).font = Font(bold=True, size=12)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        sheet.cell(row, 1).alignment = Alignment(horizontal="center")
    top, sub = 5, 6
    parents = [
        ("No", 1, 1),
        ("Jenis Dokumen", 2, 2),
        ("Nomor", 3, 5),
        ("Tentang", 6, 6),
        ("Para Pihak", 7, 8),
        ("Bidang Urusan", 9, 9),
        ("Perangkat Daerah", 10, 10),
        ("Tanggal Penandatanganan", 11, 11),
        ("Jangka Waktu", 12, 14),
        ("Nilai (Rp)", 15, 15),
        ("Sumber Pembiayaan", 16, 16),
        ("Keterangan", 17, 17),
    ]
    for text, first, last in parents:
        sheet.cell(top, first, text).font = Font(bold=True)
        if last > first:
            sheet.merge_cells(start_row=top, start_column=first, end_row=top, end_column=last)
        else:
            sheet.merge_cells(start_row=top, start_column=first, end_row=sub, end_column=first)
    for column, text in (
        (3, "Pemda"),
        (4, "Mitra"),
        (5, "KB Induk"),
        (7, "Pihak I"),
        (8, "Pihak II"),
        (12, "Mulai"),
        (13, "Berakhir"),
        (14, "Lama"),
    ):
        sheet.cell(sub, column, text).font = Font(bold=True)
    for column in range(1, width + 1):
        sheet.cell(7, column, f"({column})")
    row = 8
    section = None
    number_in_section = 0
    first_value_row = row
    for doc in DOCUMENTS:
        if doc["section"] != section:
            section = doc["section"]
            sheet.cell(row, 1, SECTIONS[section]).font = Font(bold=True)
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
            row += 1
            number_in_section = 0
        number_in_section += 1
        values = [
            number_in_section,
            doc["doc"],
            doc["number"],
            doc.get("partner_number"),
            doc.get("parent"),
            doc["title"],
            REGION,
            doc["partner"],
            doc["bidang"],
            doc["unit"],
            doc["signed"],
            None,
            None,
            doc.get("term"),
            doc.get("value"),
            doc.get("funding"),
            doc.get("note"),
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row, column, value)
            if isinstance(value, date):
                cell.number_format = "dd/mm/yyyy"
            if column == 15 and isinstance(value, int):
                cell.number_format = '_("Rp"* #,##0_);_("Rp"* (#,##0);_("Rp"* "-"_);_(@_)'
        row += 1
    last_value_row = row - 1
    sheet.cell(row, 1, "JUMLAH").font = Font(bold=True)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=14)
    sheet.cell(row, 15, f"=SUM(O{first_value_row}:O{last_value_row})")
    row += 2
    sheet.cell(row, 1, NOTE)
    row += 2
    for line in SIGNATURE:
        if line:
            sheet.cell(row, 13, line)
        row += 1
    sizes = (5, 20, 24, 22, 22, 40, 26, 30, 30, 30, 14, 12, 12, 26, 18, 16, 36)
    for column, size in zip("ABCDEFGHIJKLMNOPQ", sizes, strict=True):
        sheet.column_dimensions[column].width = size
    _save(book, path)


def shape_one_sheet_per_type(path: Path) -> None:
    from openpyxl.styles import Font

    book = _workbook()
    rekap = book.active
    rekap.title = "Rekap"
    rekap.append(["REKAPITULASI KERJA SAMA DAERAH KABUPATEN PESAWARAN"])
    rekap.append([])
    rekap.append(["No", "Jenis Dokumen", "Jumlah"])
    header = [
        "No",
        "Nomor",
        "Nomor Mitra",
        "Tentang",
        "Jenis Kerja Sama",
        "Para Pihak",
        "Bidang Urusan",
        "OPD Pelaksana",
        "Tanggal Penandatanganan",
        "Jangka Waktu",
        "Nilai",
        "Sumber Dana",
        "Keterangan",
    ]
    for index, (doc_type, sheet_name) in enumerate(SHEETS.items(), start=1):
        sheet = book.create_sheet(sheet_name)
        sheet.append([f"DAFTAR {doc_type.upper()} PEMERINTAH KABUPATEN PESAWARAN"])
        sheet.append([])
        sheet.append(header)
        for cell in sheet[3]:
            cell.font = Font(bold=True)
        rows = [d for d in DOCUMENTS if d["doc"] == doc_type]
        for number, doc in enumerate(rows, start=1):
            parent = doc.get("parent")
            note = doc.get("note") or (f"Pelaksanaan KB Nomor {parent}" if parent else None)
            if doc_type == "Adendum" and parent:
                note = f"Adendum atas PKS Nomor {parent}"
            parties = f"1. {REGION}\n2. {doc['partner']}"
            sheet.append(
                [
                    number,
                    doc["number"],
                    doc.get("partner_number"),
                    doc["title"],
                    {"A": "Antar Daerah", "B": "Pihak Ketiga", "C": "Sinergi Pusat dan Daerah"}[
                        doc["section"]
                    ],
                    parties,
                    doc["bidang"],
                    doc["unit"],
                    doc["signed"],
                    doc.get("term"),
                    doc.get("value"),
                    doc.get("funding"),
                    note,
                ]
            )
            if isinstance(doc["signed"], date):
                sheet.cell(sheet.max_row, 9).number_format = "dd mmmm yyyy"
        rekap.append([index, doc_type, f"=COUNTA('{sheet_name}'!B4:B100)"])
    lists = book.create_sheet("Daftar Pilihan")
    for value in ("APBD", "APBN", "Mitra", "Masing-masing Pihak", "Tanpa Biaya"):
        lists.append([value])
    lists.sheet_state = "hidden"
    _save(book, path)


def shape_excel_windows_csv(path: Path) -> None:
    header = [
        "No",
        "Jenis Dokumen",
        "Nomor",
        "Tentang",
        "Pihak I",
        "Pihak II",
        "Jenis Kerja Sama",
        "Bidang Urusan",
        "Perangkat Daerah",
        "Tanggal Penandatanganan",
        "Jangka Waktu",
        "Nilai (Rp)",
        "Sumber Pembiayaan",
        "Nomor KB",
        "Keterangan",
    ]
    kinds = {"A": "Kerja Sama Antar Daerah", "B": "Pihak Ketiga", "C": "Sinergi"}
    with path.open("w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow([TITLE[0]] + [""] * (len(header) - 1))
        writer.writerow([f"{TITLE[1]} – {TITLE[2]}"] + [""] * (len(header) - 1))
        writer.writerow([""] * len(header))
        writer.writerow(header)
        for number, doc in enumerate(DOCUMENTS, start=1):
            signed = doc["signed"]
            if isinstance(signed, date):
                signed = f"{signed.day}/{signed.month}/{signed.year}"
            value = doc.get("value")
            if isinstance(value, int):
                value = f"Rp {value:,.0f},-".replace(",", ".").replace(".-", ",-")
            note = doc.get("note")
            writer.writerow(
                [
                    number,
                    doc["doc"],
                    doc["number"],
                    # Excel keeps typographic quotes and dashes as typed: cp1252 has them.
                    doc["title"].replace(" - ", " – "),
                    REGION,
                    doc["partner"],
                    kinds[doc["section"]],
                    doc["bidang"],
                    doc["unit"],
                    signed,
                    doc.get("term"),
                    value,
                    doc.get("funding"),
                    doc.get("parent") if doc.get("parent_in_column", True) else None,
                    note,
                ]
            )
        writer.writerow([""] * len(header))
        writer.writerow(["Mengetahui,"] + [""] * (len(header) - 1))
        for line in SIGNATURE[1:]:
            writer.writerow([line] + [""] * (len(header) - 1))


def main(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    shape_title_and_sections(folder / "daftar-ksd-pesawaran-2022.xlsx")
    shape_one_sheet_per_type(folder / "register-per-jenis-pesawaran.xlsx")
    shape_excel_windows_csv(folder / "register-pesawaran-excel-windows.csv")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent)
