"""The OPD evaluation forms (xlsx), one workbook per OPD, written in openpyxl's
normal mode (data validation and sheet protection need it; forms are small).

Each workbook has two sheets:

- ``Petunjuk``: how to fill the form in, in plain Indonesian: what each level
  and recommendation means, the deadline and whom to send it back to; printed
  on one A4 page, portrait.
- ``Evaluasi <YEAR>``: one row per agreement. The identifying columns (No,
  Nomor, Tentang, Mitra, Jangka Waktu) are grey and locked; the columns to
  fill in are yellow and unlocked, under the same headers as the workbook's
  Evaluasi sheet, so `kerjasama import` reads a returned form. Drop-down lists
  for Tingkat Pelaksanaan and Rekomendasi, whole numbers for Progres (0-100)
  and Skor (1-5), dates for Tanggal Evaluasi; each with an input message and
  an error alert saying what is allowed. A last, hidden and locked column
  (``Kunci``) holds each row's key (``ks:<register>:<year>:<agreement id>``).
  The sheet is protected without a password: it prevents accidents, not people.

What the form is sent for is also in the workbook's custom document
properties (``kerjasama-form``: the register and year; ``kerjasama-unit``: the
OPD). The same forms give the same bytes: document and zip times are fixed
(the year's 31 December), as the workbook export does.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation

from kerjasama_cli import vocab
from kerjasama_cli.evaluation.fields import SCORE_FIELDS
from kerjasama_cli.evaluation.forms import (
    UnitForm,
)
from kerjasama_cli.exporting import workbook_style as style
from kerjasama_cli.exporting.content import (
    DATE,
    INTEGER,
    PERCENT,
    Column,
    Sheet,
    region_name,
)
from kerjasama_cli.exporting.form_columns import FORM_COLUMNS, KEY_COLUMN, put
from kerjasama_cli.exporting.form_guide import write_guide
from kerjasama_cli.exporting.workbook import LEVEL_FILLS, _normalise
from kerjasama_cli.exporting.workbook_style import (
    DATE_FORMAT,
    GRID,
    HEADER_ALIGNMENT,
    HEADER_FILL,
    HEADER_FONT,
    TOP_WRAP,
)
from kerjasama_cli.outputs import check_folder, check_target, make_folder, replacing
from kerjasama_cli.register import MAX_LENGTHS
from kerjasama_cli.vocab.columns import EVALUATION_COLUMNS as EVALUATION_HEADERS

GUIDE_SHEET = "Petunjuk"
LIST_SHEET = "Pilihan"  # only when a list is too long to be written in its validation
FIXED_FILL = PatternFill(start_color="F2F2F2", end_color="F2F2F2", fill_type="solid")
FILL_IN_FILL = PatternFill(start_color="FFF2CC", end_color="FFF2CC", fill_type="solid")
FILL_IN_HEADER_FILL = PatternFill(start_color="FFE699", end_color="FFE699", fill_type="solid")
UNLOCKED = Protection(locked=False)
WHOLE_FORMAT = "0"
INLINE_LIST_LIMIT = 255  # Excel's limit on a list typed into its validation
DATE_YEARS_AFTER = 3  # Tanggal Evaluasi: from 1 January of YEAR to the end of YEAR + 3




def write_forms(
    forms: Sequence[UnitForm],
    folder: Path,
    *,
    register: Path | None = None,
    replaced: list[Path] | None = None,
    paper: str = "a4",
) -> list[Path]:
    """Write each form into ``folder`` (created if needed) under its file name;
    returns the paths written, absolute, and adds to ``replaced`` those that
    were there before. Every target is checked before any is written (never over
    the register in use, a database, a folder or a device: ``check_target``);
    each file is complete or not there (``replacing``)."""
    names = [form.file_name for form in forms]
    if len(set(names)) != len(names):
        raise ValueError("two forms have the same file name: gather them in one call")
    check_folder(folder)
    targets = [Path(os.path.abspath(folder / name)) for name in names]  # noqa: PTH100
    for path in targets:
        check_target(path, register=register)
    if replaced is not None:
        replaced += [path for path in targets if path.exists()]
    make_folder(folder)
    for form, path in zip(forms, targets, strict=True):
        with replacing(path) as temporary:
            write_form(form, temporary, paper=paper)
    return targets


def write_form(form: UnitForm, path: Path, *, paper: str = "a4") -> Path:
    """One OPD's workbook at ``path`` (as it is: use write_forms for a user's folder)."""
    workbook = Workbook()
    style.install(workbook)
    guide = workbook.active
    guide.title = GUIDE_SHEET
    write_guide(guide, form)
    _write_sheet(workbook, form, paper)
    workbook.active = 0
    stamp = datetime.combine(date(form.year, 12, 31), datetime.min.time())
    properties = workbook.properties
    properties.creator = "kerjasama"
    properties.title = style.text(form.title)
    properties.subject = style.text(form.unit)
    properties.created = properties.modified = stamp
    workbook.custom_doc_props.append(
        StringProperty(name="kerjasama-form", value=f"ks:{form.register_key}:{form.year}")
    )
    workbook.custom_doc_props.append(
        StringProperty(name="kerjasama-unit", value=style.text(form.unit))
    )
    with tempfile.TemporaryDirectory() as scratch:
        raw = Path(scratch) / "raw.xlsx"
        workbook.save(raw)
        _normalise(raw, path, stamp)
    return path


# ----------------------------------------------------------------- the sheet


def _write_sheet(workbook: Workbook, form: UnitForm, paper: str) -> None:
    sheet = workbook.create_sheet(form.sheet_name)
    columns = [*FORM_COLUMNS, KEY_COLUMN]
    rows = [
        tuple(index if column.column.key == "no" else column.value(row) for column in FORM_COLUMNS)
        for index, row in enumerate(form.rows, 1)
    ]
    layout = _layout(rows, paper)
    style.set_columns(sheet, [*layout.widths, 12], [*layout.hidden, True])
    for position, column in enumerate(columns, 1):
        cell = sheet.cell(row=1, column=position)
        put(cell, column.header)
        cell.font = HEADER_FONT
        cell.alignment = HEADER_ALIGNMENT
        cell.border = GRID
        cell.fill = FILL_IN_HEADER_FILL if column.fill_in else HEADER_FILL
    header_lines = max(
        style.lines_needed(column.header, (wrap - 0.5) / style.HEADER_BOLD)
        for column, wrap in zip(FORM_COLUMNS, layout.wrap_at, strict=True)
    )
    sheet.row_dimensions[1].height = style.row_height(header_lines)
    for number, (values, row) in enumerate(zip(rows, form.rows, strict=True), start=2):
        lines = 1
        for position, (column, value) in enumerate(
            zip(columns, [*values, row.key], strict=True), 1
        ):
            cell = sheet.cell(row=number, column=position)
            if value is not None:
                put(cell, value)
            cell.border = GRID
            cell.alignment = TOP_WRAP
            cell.fill = FILL_IN_FILL if column.fill_in else FIXED_FILL
            if column.fill_in:
                cell.protection = UNLOCKED
            kind = column.column.kind
            if kind == DATE:
                cell.number_format = DATE_FORMAT
            elif kind in (INTEGER, PERCENT):
                cell.number_format = WHOLE_FORMAT
            elif isinstance(value, str) and column is not KEY_COLUMN:
                wrap = layout.wrap_at[position - 1]
                if len(value) > wrap or "\n" in value:
                    lines = max(lines, style.lines_needed(value, wrap))
        if lines > 1:
            sheet.row_dimensions[number].height = style.row_height(lines)
    sheet.freeze_panes = "C2"  # the header, and which agreement a row is (No, Nomor)
    if form.rows:
        _validate(workbook, sheet, form)
        letter = _letter("level")
        style.grid(sheet, f"{letter}2:{letter}{1 + len(form.rows)}", LEVEL_FILLS)
    _protect(sheet)
    region = region_name(form.region)
    style.set_pages(
        sheet,
        paper=paper,
        title=form.title,
        subject=form.unit,
        footer=" - ".join(
            part
            for part in (form.office or region, f"kembali paling lambat {form.due_text}")
            if part
        ),
        scale=layout.scale,
        title_rows="1:1",
        breaks=layout.breaks,
        repeat=layout.repeat,
    )


def _layout(rows: Sequence[tuple[Any, ...]], paper: str) -> style.Layout:
    """Widths and pages as the export plans them, the columns to fill in as wide
    as what is typed in them (a last row that is planned, never written)."""
    columns = [
        Column(column.header, column.column.kind, column.wrap_key) for column in FORM_COLUMNS
    ]
    room = tuple(column.room for column in FORM_COLUMNS)
    return style.plan(Sheet("plan", columns, [*rows, room]), paper, hide_empty=False)


def _letter(key: str) -> str:
    position = next(i for i, c in enumerate(FORM_COLUMNS, 1) if c.column.key == key)
    return str(get_column_letter(position))


def _protect(sheet: Any) -> None:
    """On, without a password; columns and rows may be resized (and the hidden key
    column shown), locked and unlocked cells selected."""
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False  # False: allowed
    protection.formatRows = False
    protection.selectLockedCells = False
    protection.selectUnlockedCells = False


def _validation(
    kind: str,
    area: str,
    *,
    title: str,
    prompt: str,
    error_title: str,
    error: str,
    operator: str | None = None,
    formula1: str | None = None,
    formula2: str | None = None,
) -> DataValidation:
    validation = DataValidation(
        type=kind,
        operator=operator,
        formula1=formula1,
        formula2=formula2,
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=True,
        errorStyle="stop",
        promptTitle=title,
        prompt=prompt,
        errorTitle=error_title,
        error=error,
    )
    validation.add(area)
    return validation


def list_formula(workbook: Workbook, labels: Sequence[str]) -> str:
    """A list validation's source: the labels written in it ("a,b,c") when Excel
    allows (at most 255 characters, no comma or quote in a label), else a range
    of a hidden, protected sheet that holds them."""
    inline = ",".join(labels)
    if (
        len(inline) <= INLINE_LIST_LIMIT
        and not any(ch in inline for ch in '"')
        and all("," not in label for label in labels)
    ):
        return f'"{inline}"'
    if LIST_SHEET in workbook.sheetnames:
        sheet = workbook[LIST_SHEET]
    else:
        sheet = workbook.create_sheet(LIST_SHEET)
        sheet.sheet_state = "hidden"
        sheet.protection.sheet = True
    column = sheet.max_column + 1 if sheet.max_row > 1 or sheet["A1"].value is not None else 1
    for row, label in enumerate(labels, 1):
        put(sheet.cell(row=row, column=column), label)
    letter = str(get_column_letter(column))
    return f"{LIST_SHEET}!${letter}$1:${letter}${len(labels)}"


def _validate(workbook: Workbook, sheet: Any, form: UnitForm) -> None:
    last = 1 + len(form.rows)

    def area(key: str) -> str:
        letter = _letter(key)
        return f"{letter}2:{letter}{last}"

    levels = [vocab.LEVELS.label(code) for code in vocab.LEVELS.codes]
    recommendations = [vocab.RECOMMENDATIONS.label(c) for c in vocab.RECOMMENDATIONS.codes]
    first, until = date(form.year, 1, 1), date(form.year + DATE_YEARS_AFTER, 12, 31)
    first_text, until_text = first.strftime("%d/%m/%Y"), until.strftime("%d/%m/%Y")
    evaluator_length = MAX_LENGTHS.get("evaluator", 200)
    validations = [
        _validation(
            "list",
            area("level"),
            formula1=list_formula(workbook, levels),
            title="Tingkat Pelaksanaan",
            prompt="Pilih dari daftar: " + ", ".join(levels) + ". Artinya ada di lembar "
            f"{GUIDE_SHEET}. Baris tanpa Tingkat Pelaksanaan dianggap belum dijawab.",
            error_title="Tingkat Pelaksanaan",
            error="Isi dengan salah satu dari daftar: " + "; ".join(levels) + ".",
        ),
        _validation(
            "whole",
            area("progress"),
            operator="between",
            formula1="0",
            formula2="100",
            title="Progres (%)",
            prompt="Angka bulat 0 sampai 100, tanpa tanda %: misalnya 75 untuk 75%.",
            error_title="Progres (%)",
            error="Progres diisi angka bulat dari 0 sampai 100, tanpa tanda %.",
        ),
        _validation(
            "list",
            area("recommendation"),
            formula1=list_formula(workbook, recommendations),
            title="Rekomendasi",
            prompt="Pilih dari daftar: " + ", ".join(recommendations) + ".",
            error_title="Rekomendasi",
            error="Isi dengan salah satu dari daftar: " + "; ".join(recommendations) + ".",
        ),
        _validation(
            "whole",
            area("score"),
            operator="between",
            formula1="1",
            formula2="5",
            title="Skor",
            prompt="Penilaian keseluruhan: angka bulat 1 sampai 5.",
            error_title="Skor",
            error="Skor diisi angka bulat dari 1 sampai 5.",
        ),
        *(
            _validation(
                "whole",
                area(name),
                operator="between",
                formula1="1",
                formula2="5",
                title=EVALUATION_HEADERS[name][0][:32],
                prompt="Penilaian instrumen: angka bulat 1 (sangat kurang) sampai 5 "
                "(sangat baik); kosongkan bila tidak dinilai.",
                error_title=EVALUATION_HEADERS[name][0][:32],
                error="Diisi angka bulat dari 1 sampai 5.",
            )
            for name in SCORE_FIELDS
        ),
        _validation(
            "date",
            area("evaluated_on"),
            operator="between",
            formula1=str(int(to_excel(first))),
            formula2=str(int(to_excel(until))),
            title="Tanggal Evaluasi",
            prompt=f"Tanggal, ditulis dd/mm/yyyy (misalnya 19/08/{form.year}).",
            error_title="Tanggal Evaluasi",
            error=f"Isi tanggal antara {first_text} dan {until_text}, ditulis dd/mm/yyyy.",
        ),
        _validation(
            "textLength",
            area("evaluator"),
            operator="lessThanOrEqual",
            formula1=str(evaluator_length),
            title="Evaluator",
            prompt="Nama penilai atau tim evaluasi.",
            error_title="Evaluator",
            error=f"Nama evaluator paling panjang {evaluator_length} karakter.",
        ),
    ]
    for validation in validations:
        sheet.add_data_validation(validation)


# ----------------------------------------------------------------- the guide
