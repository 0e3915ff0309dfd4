"""The Ringkasan sheet of the evaluation workbook: the year's numbers in small
tables, paged (a table that goes on over pages repeats its head), with two
native bar charts: agreements by implementation level (in the order of the
levels, Terlaksana first) and the implementation index per OPD."""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RegularTextRun,
)
from openpyxl.drawing.text import Font as DrawingFont
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.pagebreak import Break

from kerjasama_cli import vocab
from kerjasama_cli.exporting import workbook_style as style
from kerjasama_cli.exporting.content import Content
from kerjasama_cli.exporting.workbook_style import FONT_NAME, PERCENT_FORMAT, Styles
from kerjasama_cli.exporting.workbook_style import footer as _footer
from kerjasama_cli.exporting.workbook_style import formula_like as _formula_like
from kerjasama_cli.exporting.workbook_style import text as _text


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
                [vocab.LEVELS.label(code), numbers.by_level[code], numbers.by_level_pct[code], None]
                for code in vocab.LEVELS.codes  # in the order of the levels: Terlaksana first
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
    "Menurut tingkat pelaksanaan": ["Tingkat pelaksanaan", "Jumlah", "%"],
    "Menurut jenis dokumen": ["Jenis dokumen", "Jumlah"],
    "Menurut jenis kerja sama": ["Jenis kerja sama", "Jumlah"],
    "Menurut perangkat daerah": [
        "Perangkat daerah",
        "Berlaku",
        "Dievaluasi",
        "Cakupan (%)",
        "Indeks",
    ],
    "Jumlah kerja sama menurut status": ["Status", "Jumlah"],
}
SUMMARY_WIDTHS = (44, 13, 13, 13, 11)
ROW_PT = 15.0  # every Ringkasan row has a set height, so its pages are known
TITLE_PT = 21.0
CHART_CM = 12.0  # chart width; charts stand right of their table, from column G
CM = 28.35  # points in a centimetre
LEVEL_CHART = ("Menurut tingkat pelaksanaan", "Kerja sama menurut tingkat pelaksanaan")
UNIT_CHART = (
    "Menurut perangkat daerah",
    "Indeks pelaksanaan per perangkat daerah (0-100)",
)
CHART_DATA_COLUMN = 27  # AA: a split OPD table's chart reads a hidden copy here


class _Pages:
    """Rows written to the Ringkasan sheet, and where its pages break. Dry: only counted."""

    def __init__(
        self, sheet: WriteOnlyWorksheet, room: float, dry: bool, extra: list[list[Any]]
    ) -> None:
        self.sheet, self.room, self.dry, self.extra = sheet, room, dry, extra
        self.row, self.used = 0, 0.0  # last row written; height used on this page

    def append(self, cells: list[Any], height: float = ROW_PT) -> int:
        self.row += 1
        self.used += height
        if not self.dry:
            self.sheet.row_dimensions[self.row].height = height
            if 0 <= self.row - 2 < len(self.extra):
                cells = [*cells, *[None] * (CHART_DATA_COLUMN - 1 - len(cells))]
                cells.extend(self.extra[self.row - 2])
            self.sheet.append(cells)
        return self.row

    def fits(self, height: float) -> bool:
        return self.used + height <= self.room

    def new_page(self) -> None:
        if not self.dry:
            self.sheet.row_breaks.append(Break(id=self.row))
        self.used = 0.0


def write_summary(workbook: Workbook, styles: Styles, content: Content) -> None:
    sheet = workbook.create_sheet("Ringkasan")
    usable, height = style.usable_pt(content.paper)
    printed = sum(style.width_pt(w) for w in (*SUMMARY_WIDTHS, 2)) + (CHART_CM + 1) * CM
    scale = min(100, int(usable * style.SAFETY / printed * 100))
    office = content.settings.get("office")
    style.set_pages(
        sheet,
        paper=content.paper,
        title=office or content.region,
        subject="Ringkasan",
        footer=_footer(content),
        scale=scale,
        title_rows="1:1",
    )
    # Each page holds the title row (repeated) and what fits under it.
    room = height * style.SAFETY / (scale / 100) - TITLE_PT
    sections = _summary_rows(content)
    trial = _lay_out(_Pages(sheet, room, True, []), styles, content, sections)
    split = [chart for chart in trial if chart[4]]
    extra = [[row[0], row[4]] for row in split[0][5]] if split else []
    widths: list[float] = [*SUMMARY_WIDTHS, 2]
    if extra:
        widths += [8.43] * (CHART_DATA_COLUMN - 1 - len(widths)) + [30, 8]
    hidden = [index >= CHART_DATA_COLUMN - 1 for index in range(len(widths))]
    style.set_columns(sheet, widths, hidden)
    pages = _Pages(sheet, room, False, extra)
    for chart in _lay_out(pages, styles, content, sections):
        _add_chart(sheet, *chart, room=room)


def _lay_out(
    pages: _Pages, styles: Styles, content: Content, sections: list[tuple[str, list[Any]]]
) -> list[tuple[Any, ...]]:
    """Write the Ringkasan rows; a section starts on a new page unless its head and
    first rows fit, and one that goes on over pages repeats its head. Returns the charts."""
    sheet = pages.sheet
    office = content.settings.get("office")
    pages.append([styles.cell(sheet, _text(content.title), styles.title)], TITLE_PT)
    pages.used = 0.0
    pages.append([styles.cell(sheet, _text(office), styles.note)] if office else [])
    pages.append([])
    charts: list[tuple[Any, ...]] = []
    for section, rows in sections:
        headers = SUMMARY_HEADERS[section]
        width = len(headers)
        heights = [
            style.row_height(style.lines_needed(str(values[0]), SUMMARY_WIDTHS[0] - 1))
            if values[0] and len(str(values[0])) > SUMMARY_WIDTHS[0] - 1
            else ROW_PT
            for values in rows
        ]
        if not pages.fits(2 * ROW_PT + sum(heights[:3])):
            pages.new_page()
        top = _section_head(pages, styles, section, headers)
        first, split = pages.row + 1, False
        for values, row_height in zip(rows, heights, strict=True):
            if not pages.fits(row_height):
                pages.new_page()
                _section_head(pages, styles, f"{section} (lanjutan)", headers)
                split = True
            cells = []
            for index, value in enumerate(map(_text, values[:width])):
                number_format = PERCENT_FORMAT if isinstance(value, float) else "General"
                cell = styles.cell(sheet, value, styles.boxed(number_format))
                if index == 0 and _formula_like(value):
                    cell.data_type = "s"
                cells.append(cell)
            pages.append(cells, row_height)
        for chosen, title in (LEVEL_CHART, UNIT_CHART):
            if section == chosen and rows:
                charts.append((section, title, top, (first, pages.row), split, rows))
        pages.append([])
    return charts


def _chart_text(size: int, bold: bool = False) -> RichText:
    """Chart text in the workbook's font, ``size`` points."""
    font = CharacterProperties(sz=size * 100, b=bold, latin=DrawingFont(typeface=FONT_NAME))
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=font), endParaRPr=font)])


def _chart_title(text: str) -> Title:
    font = CharacterProperties(sz=1100, b=True, latin=DrawingFont(typeface=FONT_NAME))
    run = RegularTextRun(rPr=font, t=text)
    paragraph = Paragraph(pPr=ParagraphProperties(defRPr=font), r=[run])
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def _section_head(pages: _Pages, styles: Styles, title: str, headers: list[str]) -> int:
    sheet = pages.sheet
    top = pages.append([styles.cell(sheet, title, styles.heading)])
    pages.append([styles.cell(sheet, text, styles.header) for text in headers])
    return top


def _add_chart(
    sheet: WriteOnlyWorksheet,
    section: str,
    title: str,
    top: int,
    span: tuple[int, int],
    split: bool,
    rows: list[list[Any]],
    *,
    room: float,
) -> None:
    """A native bar chart right of its table: bars top to bottom in the table's
    order (Terlaksana first), each labelled with its value."""
    first, last = span
    chart = BarChart()
    chart.type = "bar"
    chart.title = _chart_title(title)
    chart.legend = None
    chart.width = CHART_CM
    wanted = max(6.0, 0.55 * len(rows) + 2.5)
    chart.height = min(wanted, room / CM - 0.5)
    chart.x_axis.scaling.orientation = "maxMin"  # the first row at the top
    chart.y_axis.crosses = "max"  # and the value axis at the bottom
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.scaling.min = 0
    chart.dataLabels = DataLabelList(
        showVal=True, showSerName=False, showCatName=False, showLegendKey=False, showPercent=False
    )
    chart.dataLabels.txPr = _chart_text(8)
    chart.x_axis.txPr = _chart_text(8)
    chart.y_axis.txPr = _chart_text(8)
    if section == UNIT_CHART[0]:
        column = 5  # Indeks
        chart.y_axis.scaling.max = 120  # room for the label of a 100
        chart.y_axis.majorUnit = 20
        chart.y_axis.number_format = "0"
    else:
        column = 2  # Jumlah
    if split:
        # The table goes on over pages, with its header repeated: the chart reads
        # a hidden, unbroken copy of its names and values.
        first, last = 2, 1 + len(rows)
        chart.visible_cells_only = False
        labels = Reference(sheet, min_col=CHART_DATA_COLUMN, min_row=first, max_row=last)
        data = Reference(sheet, min_col=CHART_DATA_COLUMN + 1, min_row=first, max_row=last)
        chart.add_data(data, titles_from_data=False)
    else:
        labels = Reference(sheet, min_col=1, min_row=first, max_row=last)
        data = Reference(sheet, min_col=column, min_row=first, max_row=last)
        chart.add_data(data, titles_from_data=False)
    chart.set_categories(labels)
    sheet.add_chart(chart, f"G{top}")
