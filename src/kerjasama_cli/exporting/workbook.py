"""The evaluation workbook (xlsx), written in openpyxl's write-only (streaming) mode.

Sheets: Ringkasan (the year's numbers and two native charts), Daftar Kerja
Sama, Evaluasi <YEAR>, Temuan & Tindak Lanjut, and with --per-unit one sheet
per OPD. Real dates and numbers with Indonesian display formats; a bold,
frozen, filtered header; fitted widths; A4 landscape, fit to width, header
repeated; levels coloured by conditional formatting. Text that starts with
=, +, - or @ stays text; a control character stored in the register is written
as U+FFFD (XML cannot hold it). The same content gives the same bytes:
document times and zip entry times are fixed.
"""

from __future__ import annotations

import math
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from kerjasama_cli import vocab
from kerjasama_cli.exporting.content import (
    DATE,
    MONEY,
    PERCENT,
    REGISTER_COLUMNS,
    UNPRINTABLE,
    Content,
    Sheet,
    printable,
    register_row,
)

DATE_FORMAT = "dd/mm/yyyy"
# A date known only to its month or year, shown as typed ("Agustus 2021", "2021");
# [$-421] asks for Indonesian month names.
PRECISION_FORMATS = {"month": "[$-421]mmmm yyyy", "year": "yyyy"}
MONEY_FORMAT = '"Rp" #,##0'
PERCENT_FORMAT = "0.0"
FORMULA_STARTS = ("=", "+", "-", "@")
HEADER_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=13)
WRAP = Alignment(wrap_text=True, vertical="top")
LEVEL_FILLS = {
    "Terlaksana": "C6EFCE",
    "Terlaksana Sebagian": "FFEB9C",
    "Belum Terlaksana": "FFC7CE",
    "Tidak Terlaksana": "D9D9D9",
}
MAX_WIDTH = 60
WRAP_WIDTH = 36  # longer text columns wrap at this width, so A4 stays readable
LINE_HEIGHT = 15  # points per line of 11-point text
PAPER_A4 = "9"  # the paperSize code of A4 in SpreadsheetML
SAMPLE_ROWS = 2000  # widths are fitted on the header and the first rows


def _cell(sheet: WriteOnlyWorksheet, value: Any, kind: str, wrap: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if wrap:
        cell.alignment = WRAP
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # a title such as "=SUM(...)" stays text, never a formula
    elif kind == DATE and isinstance(value, date):
        cell.number_format = PRECISION_FORMATS.get(getattr(value, "precision", ""), DATE_FORMAT)
    elif kind == MONEY and isinstance(value, Decimal):
        cell.number_format = MONEY_FORMAT
    elif kind == PERCENT and value is not None:
        cell.number_format = PERCENT_FORMAT
    return cell


def _formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _text(value: Any) -> Any:
    """A value openpyxl (and XML) accepts: control characters become U+FFFD."""
    if isinstance(value, str) and UNPRINTABLE.search(value):
        return printable(value)
    return value


def _texts(row: Sequence[Any]) -> Sequence[Any]:
    """The row with each value as ``_text`` makes it; one search for a clean row."""
    if UNPRINTABLE.search("".join([value for value in row if isinstance(value, str)])) is None:
        return row
    return [_text(value) for value in row]


def _width(value: Any, kind: str) -> int:
    if value is None:
        return 0
    if kind == DATE:
        return 10
    if kind == MONEY:
        return len(f"{value:,.0f}") + 4
    return min(len(str(value)), MAX_WIDTH)


def _prepare(sheet: WriteOnlyWorksheet, table: Sheet, first_row: int) -> list[bool]:
    """Everything a streamed sheet needs before its first row: widths, freeze, print.

    Returns which columns wrap (long text, capped at WRAP_WIDTH).
    """
    kinds = [column.kind for column in table.columns]
    wraps = []
    for index, column in enumerate(table.columns, start=1):
        sample = (row[index - 1] for row in table.rows[:SAMPLE_ROWS])
        width = max([min(len(column.header), 14), *(_width(v, kinds[index - 1]) for v in sample)])
        wraps.append(width > WRAP_WIDTH)
        sheet.column_dimensions[get_column_letter(index)].width = min(width, WRAP_WIDTH) + 2
    sheet.freeze_panes = f"A{first_row + 1}"
    last = get_column_letter(len(table.columns))
    sheet.auto_filter.ref = f"A{first_row}:{last}{first_row + max(len(table.rows), 1)}"
    sheet.print_title_rows = f"{first_row}:{first_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = PAPER_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return wraps


def _write_table(workbook: Workbook, table: Sheet, title: str | None = None) -> None:
    sheet = workbook.create_sheet(table.name[:31])
    first_row = 3 if title else 1
    wraps = _prepare(sheet, table, first_row)
    if title:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = TITLE_FONT
        sheet.append([cell])
        sheet.append([])
    header = []
    for column in table.columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = HEADER_FONT
        cell.alignment = WRAP
        header.append(cell)
    widths = [
        sheet.column_dimensions[get_column_letter(i)].width - 2
        for i in range(1, len(table.columns) + 1)
    ]
    _row_height(
        sheet,
        first_row,
        [len(column.header) / width for column, width in zip(table.columns, widths, strict=True)],
    )
    sheet.append(header)
    kinds = [column.kind for column in table.columns]
    wrapped = [index for index, wrap in enumerate(wraps) if wrap]
    # Most cells are plain text or numbers and go in as values; only dates, money,
    # percentages, wrapped text and formula-like text need a styled cell.
    styled = [
        kind in (DATE, MONEY, PERCENT) or wrap for kind, wrap in zip(kinds, wraps, strict=True)
    ]
    for number, stored in enumerate(table.rows, start=first_row + 1):
        row = _texts(stored)
        longest = max((len(row[i]) for i in wrapped if isinstance(row[i], str)), default=0)
        if longest > WRAP_WIDTH:
            sheet.row_dimensions[number].height = LINE_HEIGHT * math.ceil(longest / WRAP_WIDTH)
        sheet.append(
            [
                value
                if value is None or not (styled[index] or _formula_like(value))
                else _cell(sheet, value, kinds[index], wraps[index])
                for index, value in enumerate(row)
            ]
        )
        if longest > WRAP_WIDTH:
            del sheet.row_dimensions[number]  # written: keep memory flat
    if table.level_column is not None and table.rows:
        letter = get_column_letter(table.level_column + 1)
        area = f"{letter}{first_row + 1}:{letter}{first_row + len(table.rows)}"
        for label, colour in LEVEL_FILLS.items():
            sheet.conditional_formatting.add(
                area,
                CellIsRule(
                    operator="equal",
                    formula=[f'"{label}"'],
                    fill=PatternFill(start_color=colour, end_color=colour, fill_type="solid"),
                ),
            )


def _row_height(sheet: WriteOnlyWorksheet, number: int, fill: list[float]) -> None:
    """Give a row the height its wrapped text needs: spreadsheets do not fit it on open."""
    lines = max([1, *(math.ceil(ratio) for ratio in fill)])
    if lines > 1:
        sheet.row_dimensions[number].height = LINE_HEIGHT * lines


def _summary_rows(content: Content) -> list[tuple[str, list[Any]]]:
    """(section, rows) of the Ringkasan sheet: the core's numbers, laid out."""
    numbers = content.numbers
    if numbers is None:
        by_status: dict[str, int] = {}
        for view in content.views:
            by_status[view.status] = by_status.get(view.status, 0) + 1
        return [
            (
                "Jumlah kerja sama menurut status",
                [[vocab.STATUSES.label(k), v, None] for k, v in sorted(by_status.items())],
            )
        ]
    change = numbers.change()
    previous = numbers.previous

    def row(label: str, value: Any, name: str | None = None) -> list[Any]:
        before = getattr(previous, name) if previous is not None and name else None
        return [label, value, before, change.get(name) if name else None]

    return [
        (
            "Ringkasan",
            [
                row("Kerja sama berlaku", numbers.in_force, "in_force"),
                row("Sudah dievaluasi", numbers.evaluated, "evaluated"),
                row("Cakupan evaluasi (%)", numbers.coverage_pct, "coverage_pct"),
                row("Indeks pelaksanaan", numbers.implementation_index, "implementation_index"),
                row("KB tanpa PKS", numbers.kb_without_pks, "kb_without_pks"),
                row(
                    f"Berakhir tahun {numbers.year + 1}",
                    numbers.ending_next_year,
                    "ending_next_year",
                ),
                row("Temuan baru", numbers.findings_raised, "findings_raised"),
                row("Temuan selesai", numbers.findings_closed, "findings_closed"),
                row("Temuan masih terbuka", numbers.findings_open, "findings_open"),
                row("Temuan melewati batas waktu", numbers.findings_overdue, "findings_overdue"),
            ],
        ),
        (
            "Menurut tingkat pelaksanaan",
            [
                [vocab.LEVELS.label(code), count, numbers.by_level_pct[code], None]
                for code, count in numbers.by_level.items()
            ],
        ),
        (
            "Menurut jenis dokumen",
            [[vocab.DOC_TYPES.label(k), v, None, None] for k, v in numbers.by_doc_type.items()],
        ),
        (
            "Menurut jenis kerja sama",
            [
                [vocab.KINDS.label(k) if k != "-" else "-", v, None, None]
                for k, v in numbers.by_kind.items()
            ],
        ),
        (
            "Menurut perangkat daerah",
            [
                [
                    name,
                    cover["in_force"],
                    cover["evaluated"],
                    cover["coverage_pct"],
                    numbers.index_by_unit[name],
                ]
                for name, cover in numbers.coverage_by_unit.items()
            ],
        ),
    ]


SUMMARY_HEADERS = {
    "Ringkasan": ["Uraian", "Tahun ini", "Tahun lalu", "Perubahan"],
    "Menurut tingkat pelaksanaan": ["Tingkat pelaksanaan", "Jumlah", "%", ""],
    "Menurut jenis dokumen": ["Jenis dokumen", "Jumlah", "", ""],
    "Menurut jenis kerja sama": ["Jenis kerja sama", "Jumlah", "", ""],
    "Menurut perangkat daerah": [
        "Perangkat daerah",
        "Berlaku",
        "Dievaluasi",
        "Cakupan (%)",
        "Indeks",
    ],
    "Jumlah kerja sama menurut status": ["Status", "Jumlah", ""],
}


def _write_summary(workbook: Workbook, content: Content) -> None:
    sheet = workbook.create_sheet("Ringkasan")
    for letter, width in zip("ABCDE", (44, 14, 14, 14, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = PAPER_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    title = WriteOnlyCell(sheet, value=_text(content.title))
    title.font = TITLE_FONT
    sheet.append([title])
    office = content.settings.get("office")
    sheet.append([_text(office)] if office else [])
    sheet.append([])
    row_number = 3
    anchors: dict[str, tuple[int, int]] = {}
    for section, rows in _summary_rows(content):
        heading = WriteOnlyCell(sheet, value=section)
        heading.font = HEADER_FONT
        sheet.append([heading])
        headers = []
        for text in SUMMARY_HEADERS[section]:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = HEADER_FONT
            headers.append(cell)
        sheet.append(headers)
        row_number += 2
        anchors[section] = (row_number + 1, row_number + len(rows))
        for values in rows:
            cells = []
            for index, value in enumerate(map(_text, values)):
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, float):
                    cell.number_format = PERCENT_FORMAT
                if index == 0 and isinstance(value, str) and value.startswith(FORMULA_STARTS):
                    cell.data_type = "s"
                cells.append(cell)
            sheet.append(cells)
            row_number += 1
        sheet.append([])
        row_number += 1
    _add_charts(sheet, anchors)


def _add_charts(sheet: WriteOnlyWorksheet, anchors: dict[str, tuple[int, int]]) -> None:
    """Native Excel bar charts of agreements by level and by OPD."""
    place = 3
    for section, title, column in (
        ("Menurut tingkat pelaksanaan", "Kerja sama menurut tingkat pelaksanaan", 2),
        ("Menurut perangkat daerah", "Kerja sama berlaku menurut perangkat daerah", 2),
    ):
        if section not in anchors:
            continue
        first, last = anchors[section]
        if last < first:
            continue
        chart = BarChart()
        chart.type = "bar"
        chart.title = title
        chart.legend = None
        chart.height = max(6.0, 0.6 * (last - first + 1) + 3)
        chart.width = 16
        data = Reference(sheet, min_col=column, min_row=first - 1, max_row=last)
        labels = Reference(sheet, min_col=1, min_row=first, max_row=last)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(labels)
        sheet.add_chart(chart, f"G{place}")
        place += int(chart.height * 2) + 2


def write_workbook(content: Content, path: Path, *, per_unit: bool = False) -> Path:
    """Write the workbook; the same content gives the same bytes."""
    workbook = Workbook(write_only=True)
    _write_summary(workbook, content)
    for table in content.sheets:
        _write_table(workbook, table)
    if per_unit:
        units = content.units()
        taken = ["Ringkasan", *(table.name for table in content.sheets)]
        for name, title in zip(units, sheet_names(units, taken), strict=True):
            rows = [register_row(i, view) for i, view in enumerate(content.for_unit(name), 1)]
            _write_table(workbook, Sheet(title, REGISTER_COLUMNS, rows))
    stamp = datetime.combine(content.as_of, datetime.min.time())
    workbook.properties.creator = "kerjasama"
    workbook.properties.created = stamp
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "raw.xlsx"
        workbook.save(raw)
        _normalise(raw, path, stamp)
    return path


SHEET_NAME_LENGTH = 31  # Excel's limit, in UTF-16 code units
SHEET_NAME_FORBIDDEN = set("[]:*?/\\")
SHEET_NAME_RESERVED = {"history"}  # Excel keeps it for change tracking
BLANK_SHEET_NAME = "Perangkat Daerah"


def sheet_names(names: Sequence[str], taken: Iterable[str] = ()) -> list[str]:
    """A sheet name for each of ``names`` that Excel accepts: at most 31 characters,
    none of []:*?/\\, no apostrophe first or last, not blank, not History, and
    unique, as Excel compares them (ignoring case), among themselves and ``taken``.
    Names alike in their first 31 characters get " (2)", " (3)", ... in order."""
    used = {name.casefold() for name in taken} | SHEET_NAME_RESERVED
    chosen = []
    for name in names:
        base = _sheet_name_text(name)
        candidate, number = _cut(base, SHEET_NAME_LENGTH), 1
        while candidate.casefold() in used:
            number += 1
            suffix = f" ({number})"
            candidate = _cut(base, SHEET_NAME_LENGTH - len(suffix)) + suffix
        used.add(candidate.casefold())
        chosen.append(candidate)
    return chosen


def _sheet_name_text(name: str) -> str:
    text = "".join(
        " " if ch in SHEET_NAME_FORBIDDEN or UNPRINTABLE.match(ch) else ch for ch in name
    )
    return " ".join(text.split()).strip(" '") or BLANK_SHEET_NAME


def _cut(text: str, limit: int) -> str:
    """``text`` within ``limit`` UTF-16 code units, ending in neither space nor apostrophe."""
    while len(text.encode("utf-16-le")) > 2 * limit:
        text = text[:-1]
    return text.rstrip(" '") or BLANK_SHEET_NAME[:limit]


def _normalise(source: Path, target: Path, stamp: datetime) -> None:
    """Fix the times openpyxl stamps at save (document modified, zip entries)."""
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    with (
        zipfile.ZipFile(source) as old,
        # Level 1 deflate: a second compression at the default level cost a fifth of
        # a 100,000-row export's time, for a file a few percent smaller.
        zipfile.ZipFile(
            target.with_suffix(target.suffix + ".partial"),
            "w",
            zipfile.ZIP_DEFLATED,
            compresslevel=1,
        ) as new,
    ):
        for info in old.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            if info.filename == "docProps/core.xml":
                data = _fix_core(old.read(info.filename).decode("utf-8"), iso)
                new.writestr(entry, data.encode("utf-8"))
                continue
            # A 100,000-row sheet is hundreds of MB of XML: copy it in pieces.
            with old.open(info) as reader, new.open(entry, "w") as writer:
                shutil.copyfileobj(reader, writer, 1 << 20)
    target.with_suffix(target.suffix + ".partial").replace(target)


def _fix_core(xml: str, iso: str) -> str:
    import re

    for tag in ("dcterms:created", "dcterms:modified"):
        xml = re.sub(rf"(<{tag}[^>]*>)[^<]*(</{tag}>)", rf"\g<1>{iso}\g<2>", xml)
    return xml
