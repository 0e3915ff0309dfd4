"""The Petunjuk sheet of an OPD's evaluation form: how to fill it in, in plain
Indonesian (what to fill and what not to change, what each level and
recommendation means), the deadline and whom to send it back to; one A4 page,
portrait."""

from __future__ import annotations

from typing import Any

from openpyxl.styles import Alignment, Font

from kerjasama_cli import vocab
from kerjasama_cli.evaluation.forms import LEVEL_MEANINGS, RECOMMENDATION_MEANINGS, UnitForm
from kerjasama_cli.exporting import workbook_style as style
from kerjasama_cli.exporting.content import region_name
from kerjasama_cli.exporting.form_columns import FORM_COLUMNS, evaluation_column, put
from kerjasama_cli.exporting.workbook_style import (
    BODY_FONT,
    FONT_NAME,
    HEADING_FONT,
    TITLE_FONT,
)

ADDED_VALUE = evaluation_column("added_value").header
EVIDENCE = evaluation_column("evidence").header
GUIDE_WIDTHS = (26.0, 66.0)  # two columns: a term, what it means
BOLD = Font(name=FONT_NAME, size=style.BODY_SIZE, bold=True)
WRAP = Alignment(vertical="top", wrap_text=True)


def _send_back(form: UnitForm) -> str:
    """'Bagian Kerja Sama Sekretariat Daerah Kabupaten Tanggamus (kontak: ...)'."""
    region = region_name(form.region)
    office = " ".join(part for part in (form.office, region) if part)
    contact = form.contact.strip() if form.contact else ""
    if office and contact:
        return f"Kirim kembali berkas ini kepada {office} (kontak: {contact})."
    if office:
        return f"Kirim kembali berkas ini kepada {office}."
    if contact:
        return f"Kirim kembali berkas ini kepada {contact}."
    return "Kirim kembali berkas ini kepada pengirimnya, melalui jalur yang sama."


def guide_lines(form: UnitForm) -> list[tuple[str, str, str]]:
    """The Petunjuk sheet, line by line: (kind, first, second); kind is 'title',
    'heading', 'line' (one text across the page), 'term' (a word and its
    meaning) or 'blank'."""
    fixed = [column.header for column in FORM_COLUMNS if not column.fill_in]
    fill_in = [column.header for column in FORM_COLUMNS if column.fill_in]
    region = region_name(form.region)
    sender = " ".join(
        part for part in (form.office, f"Pemerintah {region}" if region else "") if part
    )
    lines: list[tuple[str, str, str]] = [("title", form.title, "")]
    if sender:
        lines.append(("line", sender, ""))
    lines += [
        ("blank", "", ""),
        ("term", "Perangkat Daerah", form.unit),
        ("term", "Tahun evaluasi", str(form.year)),
        ("line", f"Batas waktu pengembalian: {form.due_text}", ""),
        ("blank", "", ""),
        ("heading", "Cara mengisi", ""),
        (
            "line",
            f'1. Buka lembar "{form.sheet_name}". Setiap baris adalah satu kerja sama yang '
            f"dilaksanakan oleh {form.unit} dan berlaku pada tahun {form.year}.",
            "",
        ),
        (
            "line",
            "2. Kolom berwarna abu-abu (" + ", ".join(fixed) + ") menunjukkan kerja sama "
            "yang dimaksud: jangan diubah. Kolom tersembunyi di ujung kanan adalah kunci "
            "setiap baris: jangan ditampilkan, diubah atau dihapus.",
            "",
        ),
        (
            "line",
            "3. Isi kolom berwarna kuning (" + ", ".join(fill_in) + ") untuk setiap kerja "
            "sama. Baris yang Tingkat Pelaksanaannya kosong dianggap belum dijawab.",
            "",
        ),
        (
            "line",
            "4. Tingkat Pelaksanaan dan Rekomendasi dipilih dari daftar (klik selnya, lalu "
            "tanda panah di sebelah kanan). Progres (%) diisi angka bulat 0 sampai 100, Skor "
            "angka bulat 1 sampai 5, Tanggal Evaluasi berupa tanggal (dd/mm/yyyy).",
            "",
        ),
        (
            "line",
            f"5. {ADDED_VALUE}: apa yang ditambahkan kerja sama ini (inovasi, "
            f"nilai tambah). {EVIDENCE}: nomor dokumen, tautan atau nama berkas "
            "yang mendukung jawaban.",
            "",
        ),
        (
            "line",
            "6. Isian yang sudah ada adalah jawaban yang tercatat sebelumnya: periksa, "
            "perbaiki bila perlu, lalu kirim kembali.",
            "",
        ),
        (
            "line",
            "7. Jangan menambah, menghapus atau menukar baris, dan jangan mengganti nama "
            "lembar. Simpan tetap sebagai berkas Excel (.xlsx).",
            "",
        ),
        ("blank", "", ""),
        ("heading", "Tingkat Pelaksanaan", ""),
    ]
    lines += [
        ("term", vocab.LEVELS.label(code), LEVEL_MEANINGS.get(code, ""))
        for code in vocab.LEVELS.codes
    ]
    lines += [("blank", "", ""), ("heading", "Rekomendasi", "")]
    lines += [
        ("term", vocab.RECOMMENDATIONS.label(code), RECOMMENDATION_MEANINGS.get(code, ""))
        for code in vocab.RECOMMENDATIONS.codes
    ]
    lines += [
        ("blank", "", ""),
        ("heading", "Pengembalian", ""),
        ("line", _send_back(form), ""),
        ("line", f"Batas waktu pengembalian: {form.due_text}.", ""),
    ]
    return lines


def write_guide(sheet: Any, form: UnitForm) -> None:
    left, right = GUIDE_WIDTHS
    style.set_columns(sheet, GUIDE_WIDTHS, [False, False])
    for number, (kind, first, second) in enumerate(guide_lines(form), 1):
        if kind == "blank":
            continue
        cell = sheet.cell(row=number, column=1)
        put(cell, first)
        cell.alignment = WRAP
        if kind in ("title", "heading", "line"):
            sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=2)
            font = {"title": TITLE_FONT, "heading": HEADING_FONT}.get(kind, BODY_FONT)
            cell.font = font
            scale = {"title": 1.35, "heading": 1.15}.get(kind, 1.0)
            lines = style.lines_needed(first, (left + right - 1) / scale)
            sheet.row_dimensions[number].height = style.row_height(lines) * scale
            continue
        cell.font = BOLD
        other = sheet.cell(row=number, column=2)
        put(other, second)
        other.alignment = WRAP
        lines = max(
            style.lines_needed(first, (left - 1) / style.HEADER_BOLD),
            style.lines_needed(second, right - 1),
        )
        sheet.row_dimensions[number].height = style.row_height(lines)
    sheet.protection.sheet = True
    setup = sheet.page_setup
    setup.orientation = "portrait"
    setup.paperSize = str(style.PAPERS["a4"][0])
    setup.fitToWidth = 1
    setup.fitToHeight = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    margins = sheet.page_margins
    margins.left = margins.right = 0.6
    margins.top = margins.bottom = 0.75
    sheet.print_options.horizontalCentered = True
    footer = sheet.oddFooter.right
    footer.text = "Halaman &P dari &N"
    footer.font = f"{FONT_NAME},Regular"
    footer.size = 8
