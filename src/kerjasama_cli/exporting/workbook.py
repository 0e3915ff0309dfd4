"""The evaluation workbook (xlsx), written in openpyxl's write-only (streaming) mode.

Sheets: Ringkasan (the year's numbers and two native charts), Daftar Kerja
Sama, Evaluasi <YEAR>, Temuan & Tindak Lanjut, and with --per-unit one sheet
per OPD. Real dates and numbers with Indonesian display formats; a bold,
frozen, filtered header; fitted widths; levels coloured by conditional
formatting. How it looks and prints (fonts, borders, paper, page titles and
numbers, column groups) is in workbook_style. Text that starts with =, +, -
or @ stays text; a control character stored in the register is written as
U+FFFD (XML cannot hold it). The same content gives the same bytes: document
times and zip entry times are fixed.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from kerjasama_cli.exporting import workbook_style as style
from kerjasama_cli.exporting.content import (
    DATE,
    MONEY,
    PERCENT,
    REGISTER_COLUMNS,
    UNPRINTABLE,
    Content,
    Sheet,
    register_row,
)
from kerjasama_cli.exporting.workbook_style import (
    DATE_FORMAT,
    FORMULA_STARTS,
    MONEY_FORMAT,
    PERCENT_FORMAT,
    PRECISION_FORMATS,
    Styles,
)
from kerjasama_cli.exporting.workbook_style import footer as _footer
from kerjasama_cli.exporting.workbook_style import text as _text
from kerjasama_cli.exporting.workbook_style import texts as _texts
from kerjasama_cli.exporting.workbook_summary import write_summary

LEVEL_FILLS = {
    "Terlaksana": "C6EFCE",
    "Terlaksana Sebagian": "FFEB9C",
    "Belum Terlaksana": "FFC7CE",
    "Tidak Terlaksana": "D9D9D9",
}


def _write_table(
    workbook: Workbook, styles: Styles, content: Content, table: Sheet, subject: str
) -> None:
    """One table: header in row 1 (frozen, filtered, repeated on every page)."""
    sheet = workbook.create_sheet(table.name[:31])
    fill_in = table.level_column is not None  # the OPDs fill it in: every column stays
    layout = style.plan(table, content.paper, hide_empty=not fill_in)
    style.set_columns(sheet, layout.widths, layout.hidden)
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(table.columns))
    sheet.auto_filter.ref = f"A1:{last}{1 + max(len(table.rows), 1)}"
    style.set_pages(
        sheet,
        paper=content.paper,
        title=content.title,
        subject=subject,
        footer=_footer(content),
        scale=layout.scale,
        title_rows="1:1",
        breaks=layout.breaks,
        repeat=layout.repeat,
    )
    header_lines = max(
        style.lines_needed(column.header, (wrap - 0.5) / style.HEADER_BOLD)
        for column, wrap, hidden in zip(table.columns, layout.wrap_at, layout.hidden, strict=True)
        if not hidden
    )
    sheet.row_dimensions[1].height = style.row_height(header_lines)
    sheet.append([styles.cell(sheet, column.header, styles.header) for column in table.columns])
    kinds = [column.kind for column in table.columns]
    # Plain text and numbers go in as bare values (the workbook's default format is
    # the body's, the borders a conditional format's); dates, money and percentages
    # need their number format, formula-like text its type.
    formats: list[Any] = []
    for kind in kinds:
        if kind == DATE:
            formats.append({key: styles.body(fmt) for key, fmt in PRECISION_FORMATS.items()})
        elif kind == MONEY:
            formats.append(styles.body(MONEY_FORMAT))
        elif kind == PERCENT:
            formats.append(styles.body(PERCENT_FORMAT))
        else:
            formats.append(None)
    date_style = styles.body(DATE_FORMAT)
    special = [kind in (DATE, MONEY, PERCENT) for kind in kinds]
    checks = [
        (index, wrap)
        for index, (kind, wrap, hidden) in enumerate(
            zip(kinds, layout.wrap_at, layout.hidden, strict=True)
        )
        if kind not in (DATE, MONEY, PERCENT) and not hidden
    ]
    dimensions = sheet.row_dimensions
    for number, stored in enumerate(table.rows, start=2):
        row = _texts(stored)
        lines = 1
        for index, wrap in checks:
            value = row[index]
            if value.__class__ is str and (len(value) > wrap or "\n" in value):
                lines = max(lines, style.lines_needed(value, wrap))
        if lines > 1:
            dimensions[number].height = style.row_height(lines)
        cells = list(row)
        for index, value in enumerate(row):
            if value is None:
                continue
            if value.__class__ is str:
                if value.startswith(FORMULA_STARTS):
                    cell = Cell(sheet, 1, 1, value)
                    cell.data_type = "s"  # "=SUM(...)" in a title stays text, never a formula
                    cells[index] = cell
            elif special[index]:
                cells[index] = _styled(sheet, value, kinds[index], formats[index], date_style)
        sheet.append(cells)
        if lines > 1:
            del dimensions[number]  # written: keep memory flat
    if table.rows:
        area = f"A2:{last}{1 + len(table.rows)}"
        if table.level_column is not None:
            letter = get_column_letter(table.level_column + 1)
            style.grid(sheet, f"{letter}2:{letter}{1 + len(table.rows)}", LEVEL_FILLS)
        style.grid(sheet, area)


def _styled(sheet: WriteOnlyWorksheet, value: Any, kind: str, formats: Any, date_style: Any) -> Any:
    """A date, an amount or a percentage in its number format."""
    if kind == DATE:
        if not isinstance(value, date):
            return value
        return Cell(sheet, 1, 1, value, formats.get(getattr(value, "precision", ""), date_style))
    if not isinstance(value, (int, float, Decimal)) or isinstance(value, bool):
        return value
    return Cell(sheet, 1, 1, value, formats)


def write_workbook(content: Content, path: Path, *, per_unit: bool = False) -> Path:
    """Write the workbook; the same content gives the same bytes."""
    workbook = Workbook(write_only=True)
    style.install(workbook)
    styles = Styles(workbook)
    write_summary(workbook, styles, content)
    for table in content.sheets:
        _write_table(workbook, styles, content, table, table.name)
    if per_unit:
        units = content.units()
        taken = ["Ringkasan", *(table.name for table in content.sheets)]
        for name, title in zip(units, sheet_names(units, taken), strict=True):
            rows = [register_row(i, view) for i, view in enumerate(content.for_unit(name), 1)]
            _write_table(
                workbook, styles, content, Sheet(title, REGISTER_COLUMNS, rows), _text(name)
            )
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


# Words a shortened name does not end on ("Badan Pengelolaan Keuangan dan").
DANGLING = {"dan", "serta", "&", "-", "di", "ke", "untuk", "pada", "dengan", "yang"}


def _cut(text: str, limit: int) -> str:
    """``text`` within ``limit`` UTF-16 code units, ending in neither space nor
    apostrophe; a longer name is cut after a whole word (not after "dan") when one
    fits in more than half the room, else within the word."""
    if _units(text) <= limit:
        return text.rstrip(" '") or BLANK_SHEET_NAME[:limit]
    words = text.split(" ")
    for count in range(len(words) - 1, 0, -1):
        kept = words[:count]
        while len(kept) > 1 and kept[-1].casefold().strip(",.;") in DANGLING:
            kept.pop()
        shortened = " ".join(kept).rstrip(" ',;.-")
        if _units(shortened) <= limit:
            if _units(shortened) > limit // 2:
                return shortened
            break
    while _units(text) > limit:
        text = text[:-1]
    return text.rstrip(" '") or BLANK_SHEET_NAME[:limit]


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


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
