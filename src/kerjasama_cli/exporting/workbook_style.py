"""How the evaluation workbook looks and prints: fonts, borders, widths, pages.

Every cell is Arial, top-aligned; every table cell has a thin border. The
workbook's default format (the Normal style and xf 0) is the table body's
(Arial 10, top, wrapped), so the hundreds of thousands of plain cells of a
large register go out as bare values, as fast as unformatted ones; their
borders come from one conditional format over the table (always true, a thin
border: Excel and LibreOffice draw it), so empty cells have them too and
nothing outside the table does.

Pages: landscape on the office's paper (A4, F4 = Folio 8.5 x 13 in, legal),
the header row repeated, the document's title and the sheet's subject in the
page header, "Halaman X dari Y" in the footer. A table is printed one page
wide when its visible columns fit at MIN_SCALE or more (text never smaller
than 7 pt); wider tables (the 18-column register) are split into column
groups on facing pages, each repeating the identifying columns (No, Nomor).
Columns empty in every row are hidden, except on a sheet to be filled in.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.dimensions import ColumnDimension
from openpyxl.worksheet.pagebreak import Break

from kerjasama_cli.exporting.content import (
    DATE,
    INTEGER,
    MONEY,
    PERCENT,
    UNPRINTABLE,
    Column,
    Content,
    Sheet,
    printable,
)

FONT_NAME = "Arial"
BODY_SIZE = 10
BODY_FONT = Font(name=FONT_NAME, size=BODY_SIZE)
HEADER_FONT = Font(name=FONT_NAME, size=BODY_SIZE, bold=True)
HEADING_FONT = Font(name=FONT_NAME, size=11, bold=True)
TITLE_FONT = Font(name=FONT_NAME, size=13, bold=True)
THIN = Side(style="thin", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
NO_BORDER = Border()
TOP = Alignment(vertical="top")
TOP_WRAP = Alignment(vertical="top", wrap_text=True)
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="top", wrap_text=True)
HEADER_FILL = PatternFill(start_color="E7E6E6", end_color="E7E6E6", fill_type="solid")

DATE_FORMAT = "dd/mm/yyyy"
# A date known only to its month or year, shown as typed ("Agustus 2021", "2021");
# [$-421] asks for Indonesian month names.
PRECISION_FORMATS = {"month": "[$-421]mmmm yyyy", "year": "yyyy"}
MONEY_FORMAT = '"Rp" #,##0'
PERCENT_FORMAT = "0.0"
TEXT_FORMAT = "@"

# Paper: (SpreadsheetML paperSize, long side, short side) in points.
# F4 is Excel's "Folio" (8.5 x 13 in, 215.9 x 330.2 mm), code 14.
PAPERS = {"a4": (9, 841.9, 595.3), "f4": (14, 936.0, 612.0), "legal": (5, 1008.0, 612.0)}
MARGIN_SIDE = 0.4  # inches
MARGIN_TOP = 0.75
MARGIN_BOTTOM = 0.7
MARGIN_HEADER = 0.3
MIN_TEXT_PT = 7.0  # the smallest printed text allowed
MIN_SCALE = 0.75  # 10-point text at 75% prints at 7.5 pt: above MIN_TEXT_PT
SPLIT_SCALE = 0.85  # a split table aims at 8.5-point text
SAFETY = 0.97  # keep a little room: viewers measure widths slightly differently

LINE_PT = 12.75  # one line of 10-point Arial
CHARS_PER_UNIT = 1.1  # mixed-case text: characters a unit of column width holds
ROW_PAD = 2.25
HEADER_BOLD = 1.12  # bold text is wider
MAX_WIDTH = 60
DEFAULT_WRAP = 24  # longer text columns wrap at this many characters
# Where each column wraps (characters); unnamed text columns use DEFAULT_WRAP.
WRAP_AT = {
    "title": 30,
    "partners": 22,
    "units": 22,
    "kind": 18,
    "bidang": 16,
    "doc_type": 12,
    "term_text": 12,
    "funding": 13,
    "status": 10,
    "note": 24,
    "follow_up": 28,
    "obstacles": 28,
    "benefit": 26,
    "added_value": 26,
    "evidence": 20,
    "evaluator": 16,
    "level": 12,
    "recommendation": 14,
    "text": 30,
    "last_note": 26,
    "owner": 18,
    "category": 12,
    "region": 16,
}
NARROWEST = 12  # a wrapped column is never narrower, whatever it takes to fit
# Numbers (of documents) are not cut: they have no spaces to wrap at.
UNBROKEN = ("number", "partner_number", "parent_number")
SAMPLE_ROWS = 2000  # widths are fitted on the header and the first rows
# Columns repeated on every page of a split table: they say which row is which.
KEY_COLUMNS = ("no", "year", "region", "number")


FORMULA_STARTS = ("=", "+", "-", "@")


def formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def text(value: Any) -> Any:
    """A value openpyxl (and XML) accepts: control characters become U+FFFD."""
    if isinstance(value, str) and UNPRINTABLE.search(value):
        return printable(value)
    return value


def texts(row: Sequence[Any]) -> Sequence[Any]:
    """The row with each value as ``text`` makes it; one search for a clean row."""
    if UNPRINTABLE.search("".join([value for value in row if isinstance(value, str)])) is None:
        return row
    return [text(value) for value in row]


def footer(content: Content) -> str:
    where = content.settings.get("office") or content.region
    return f"{where} - keadaan per {content.as_of.strftime('%d/%m/%Y')}"


def width_pt(width: float) -> float:
    """Printed width of a column ``width`` characters wide (Arial 10: 7 px a digit)."""
    return (width * 7 + 5) * 0.75


def usable_pt(paper: str) -> tuple[float, float]:
    """(width, height) of the printed area of a landscape page."""
    _code, long, short = PAPERS[paper]
    return long - 2 * 72 * MARGIN_SIDE, short - 72 * (MARGIN_TOP + MARGIN_BOTTOM)


def lines_needed(text: str, capacity: float) -> int:
    """Lines ``text`` takes wrapped at ``capacity`` characters (by words, as spreadsheets do)."""
    limit = max(1, int(capacity * CHARS_PER_UNIT))
    total = 0
    for paragraph in text.split("\n"):
        if len(paragraph) <= limit:
            total += 1
            continue
        count, line = 1, 0
        for word in paragraph.split():
            size = len(word)
            if line and line + 1 + size <= limit:
                line += 1 + size
                continue
            if line:
                count += 1
            count += (size - 1) // limit
            line = size - (size - 1) // limit * limit
        total += count
    return total


def row_height(lines: int) -> float:
    return LINE_PT * lines + ROW_PAD


def install(workbook: Workbook) -> None:
    """Make the body format the workbook's default (Normal and xf 0): a value
    written without a format is Arial 10, top-aligned, wrapped, in Excel (xf 0)
    and LibreOffice (Normal) alike. (openpyxl keeps these lists on the workbook.)"""
    workbook._fonts = IndexedList([BODY_FONT])
    normal = workbook._named_styles["Normal"]
    normal.font = BODY_FONT
    normal.alignment = TOP_WRAP
    default = StyleArray()
    default.alignmentId = workbook._alignments.add(TOP_WRAP)
    workbook._cell_styles = IndexedList([default])


def grid(sheet: WriteOnlyWorksheet, area: str, fills: dict[str, str] | None = None) -> None:
    """Thin borders on every cell of ``area``, empty or not; ``fills``: a cell holding
    one of these texts is also filled with its colour (LibreOffice applies only the
    first format that holds, so each carries the border too)."""
    for label, colour in (fills or {}).items():
        sheet.conditional_formatting.add(
            area,
            CellIsRule(
                operator="equal",
                formula=[f'"{label}"'],
                fill=PatternFill(start_color=colour, end_color=colour, fill_type="solid"),
                border=GRID,
            ),
        )
    if not fills:
        sheet.conditional_formatting.add(area, FormulaRule(formula=["TRUE"], border=GRID))


class Styles:
    """Ready formats (openpyxl style arrays) for the cells of one workbook."""

    def __init__(self, workbook: Workbook) -> None:
        # A cell finds the workbook's format lists through its sheet's parent.
        self.sheet = SimpleNamespace(parent=workbook)
        self.plain = self._make(alignment=TOP, border=NO_BORDER)
        self.grid = self._make(alignment=TOP_WRAP, border=GRID)
        self.title = self._make(font=TITLE_FONT, alignment=TOP, border=NO_BORDER)
        self.heading = self._make(font=HEADING_FONT, alignment=TOP, border=NO_BORDER)
        self.note = self._make(alignment=TOP, border=NO_BORDER)
        self.header = self._make(
            font=HEADER_FONT, alignment=HEADER_ALIGNMENT, border=GRID, fill=HEADER_FILL
        )
        self.formats: dict[str, StyleArray] = {}

    def _make(self, **attributes: Any) -> StyleArray:
        cell = Cell(self.sheet, 1, 1)
        cell.font = attributes.pop("font", BODY_FONT)
        for name, value in attributes.items():
            setattr(cell, name, value)
        style: StyleArray = cell._style
        return style

    def body(self, number_format: str) -> StyleArray:
        """A body cell with this number format (bordered: ``boxed``)."""
        style = self.formats.get(number_format)
        if style is None:
            style = self._make(alignment=TOP_WRAP, number_format=number_format)
            self.formats[number_format] = style
        return style

    def boxed(self, number_format: str) -> StyleArray:
        """A body cell with this number format and a border of its own."""
        key = f"boxed {number_format}"
        style = self.formats.get(key)
        if style is None:
            style = self._make(alignment=TOP_WRAP, border=GRID, number_format=number_format)
            self.formats[key] = style
        return style

    def cell(self, sheet: WriteOnlyWorksheet, value: Any, style: StyleArray) -> Cell:
        return Cell(sheet, 1, 1, value, style)


@dataclass
class Layout:
    """Widths and pages of one table sheet."""

    widths: list[float]
    wrap_at: list[float]
    hidden: list[bool]
    scale: int = 100
    breaks: list[int] = field(default_factory=list)  # last column (1-based) of each page
    repeat: int = 0  # leading columns repeated on every page of a split table

    @property
    def printed_width(self) -> float:
        return sum(width_pt(w) for w, h in zip(self.widths, self.hidden, strict=True) if not h)


def _natural(value: Any, kind: str) -> float:
    if value is None:
        return 0
    if kind == DATE:
        return 10
    if kind == MONEY and isinstance(value, (int, float, Decimal)):
        return len(f"{value:,.0f}") + 4
    if isinstance(value, str):
        return min(max(len(line) for line in value.split("\n")), MAX_WIDTH)
    return min(len(str(value)), MAX_WIDTH)


def header_width(header: str) -> float:
    """Wide enough for the header's longest word, in bold."""
    return max(len(word) for word in header.split() or [""]) * HEADER_BOLD + 1.5


def empty_columns(table: Sheet) -> list[bool]:
    """Which columns are empty in every row (never the first, never of an empty table)."""
    if not table.rows:
        return [False] * len(table.columns)
    return [
        index > 0 and all(row[index] is None or row[index] == "" for row in table.rows)
        for index in range(len(table.columns))
    ]


def plan(table: Sheet, paper: str, *, hide_empty: bool = True) -> Layout:
    """Column widths, hidden columns and the page split of a table sheet."""
    columns = table.columns
    hidden = empty_columns(table) if hide_empty else [False] * len(columns)
    widths, wrap_at = [], []
    sample = table.rows[:SAMPLE_ROWS]
    for index, column in enumerate(columns):
        natural = max([0, *(_natural(row[index], column.kind) for row in sample)])
        least = header_width(column.header)
        if column.kind in (DATE, MONEY, PERCENT, INTEGER) or column.key in UNBROKEN:
            width = max(min(natural, 24), least, 4)
        else:
            width = max(min(natural, WRAP_AT.get(column.key, DEFAULT_WRAP)), least)
        widths.append(width + 1.5)
        wrap_at.append(width)
    layout = Layout(widths, wrap_at, hidden)
    usable, _height = usable_pt(paper)
    usable *= SAFETY
    if usable / layout.printed_width >= MIN_SCALE:
        layout.scale = min(100, math.floor(usable / layout.printed_width * 100))
        return layout
    # Narrow the wrapped text columns (to NARROWEST at most) until it fits at MIN_SCALE.
    narrow = Layout(list(widths), list(wrap_at), hidden)
    while usable / narrow.printed_width < MIN_SCALE:
        shrinkable = [
            i
            for i, column in enumerate(columns)
            if column.kind not in (DATE, MONEY, PERCENT, INTEGER)
            and column.key not in UNBROKEN
            and not hidden[i]
            and narrow.wrap_at[i] > max(NARROWEST, header_width(column.header))
        ]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: (narrow.wrap_at[i], -i))
        narrow.wrap_at[widest] -= 1
        narrow.widths[widest] -= 1
    fit = usable / narrow.printed_width
    if fit >= MIN_SCALE:
        narrow.scale = min(100, math.floor(fit * 100))
        return narrow
    _split(layout, columns, usable)  # at the widths first fitted
    return layout


def _split(layout: Layout, columns: Sequence[Column], usable: float) -> None:
    """Column groups, each printed on its own page with the key columns repeated."""
    visible = [i for i, hidden in enumerate(layout.hidden) if not hidden]
    keys = [i for i, column in enumerate(columns[:4]) if column.key in KEY_COLUMNS]
    repeat = keys[-1] + 1 if keys else 0  # through Nomor: which agreement a row is
    repeated = sum(width_pt(layout.widths[i]) for i in visible if i < repeat)
    rest = [width_pt(layout.widths[i]) for i in visible if i >= repeat]
    pages = max(1, math.ceil(sum(rest) / (usable / SPLIT_SCALE - repeated)))
    share = sum(rest) / pages  # the columns shared out evenly over the pages
    breaks: list[int] = []
    used = widest = 0.0
    for i, width in zip([i for i in visible if i >= repeat], rest, strict=True):
        if used and used + width / 2 > share and len(breaks) < pages - 1:
            breaks.append(i)  # the 1-based number of the last column on the page
            widest = max(widest, used)
            used = 0.0
        used += width
    widest = repeated + max(widest, used)
    layout.breaks = breaks
    layout.repeat = repeat
    layout.scale = min(100, math.floor(usable / widest * 100))


def set_columns(sheet: WriteOnlyWorksheet, widths: Sequence[float], hidden: Sequence[bool]) -> None:
    """Widths and hidden columns, each column in the default (body) format: LibreOffice
    gives a cell written without a format its column's."""
    default = sheet.parent._cell_styles[0]
    for index, (width, hide) in enumerate(zip(widths, hidden, strict=True), 1):
        letter = get_column_letter(index)
        dimension = ColumnDimension(sheet, index=letter, width=round(width, 2), hidden=hide)
        dimension._style = StyleArray(default)
        sheet.column_dimensions[letter] = dimension


def escape(text: str) -> str:
    """Text for a page header or footer: & starts a code there."""
    return " ".join(printable(text).replace("&", "&&").split())[:120]


def set_pages(
    sheet: WriteOnlyWorksheet,
    *,
    paper: str,
    title: str,
    subject: str,
    footer: str,
    scale: int,
    title_rows: str | None = None,
    breaks: Sequence[int] = (),
    repeat: int = 0,
) -> None:
    """Landscape on the paper, at ``scale`` %, titles in the page header and page numbers."""
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = str(PAPERS[paper][0])
    setup.scale = max(10, min(100, scale))
    setup.fitToWidth = None
    setup.fitToHeight = None
    sheet.sheet_properties.pageSetUpPr.fitToPage = False
    margins = sheet.page_margins
    margins.left = margins.right = MARGIN_SIDE
    margins.top, margins.bottom = MARGIN_TOP, MARGIN_BOTTOM
    margins.header = margins.footer = MARGIN_HEADER
    sheet.print_options.horizontalCentered = True
    if title_rows:
        sheet.print_title_rows = title_rows
    if breaks:
        setup.pageOrder = "overThenDown"  # the pages of one set of rows side by side
        for column in breaks:
            sheet.col_breaks.append(Break(id=column))
        if repeat:
            sheet.print_title_cols = f"A:{get_column_letter(repeat)}"
    for part, text, size, bold in (
        (sheet.oddHeader.left, escape(title), 9, True),
        (sheet.oddHeader.right, escape(subject), 9, False),
        (sheet.oddFooter.left, escape(footer), 8, False),
        (sheet.oddFooter.right, "Halaman &P dari &N", 8, False),
    ):
        part.text = text
        part.font = f"{FONT_NAME},{'Bold' if bold else 'Regular'}"
        part.size = size
