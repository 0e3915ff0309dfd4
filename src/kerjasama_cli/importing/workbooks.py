"""Workbooks (xlsx, xlsm, xls, ods): every sheet as a raw table, read with python-calamine.

Before a sheet is read whole into memory, the area its cells claim is checked;
cell formats are looked at only where they change what a value means (a
progress formatted as a percentage, a date shown to its month or year).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, NamedTuple

from kerjasama_cli.importing.summary import ImportFailed
from kerjasama_cli.importing.tables import Failure, Input, Loaded, RawTable


def open_workbook(file: Path, label: str) -> Input:
    """Every worksheet of an Excel or OpenDocument workbook, not yet read."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(file))
        sheets = list(workbook.sheets_metadata)
    except Exception as error:  # calamine raises its own error types per format fault
        raise ImportFailed(
            f"cannot read {file.name} as a workbook: {error}",
            hint="open it in Excel (or LibreOffice) and save it again as an Excel "
            "Workbook (.xlsx); a file still being copied or downloaded reads so too",
        ) from None
    xml = file.suffix.lower() in (".xlsx", ".xlsm")
    claimed = claimed_sizes(file) if xml else {}
    partial_formats = xml and has_partial_date_formats(file)
    tables = []
    for meta in sheets:
        name = str(meta.name)
        if str(meta.typ).rsplit(".", 1)[-1] != "WorkSheet":
            continue  # chart sheets, dialog sheets: no cells
        rows, columns = claimed.get(name, (0, 0))
        if rows > MAX_ROWS:
            raise ImportFailed(
                f"{file.name}, sheet {name!r}: it has values down to row {rows:,}, past the "
                f"{MAX_ROWS:,} rows Excel allows: this workbook was not saved by Excel",
                hint="open it in Excel (or LibreOffice), delete the rows after the table, "
                "save it again as .xlsx and import that",
            )
        if rows * columns > MAX_CELLS:
            raise ImportFailed(
                f"{file.name}, sheet {name!r}: its cells reach row {rows:,} and column "
                f"{columns:,} ({rows * columns:,} cells), far past any register: a stray "
                "cell or formatting far from the table?",
                hint="delete the rows and columns after the table (or copy the table into a "
                "new workbook) and import again",
            )
        tables.append(
            RawTable(
                name,
                _sheet_loader(workbook, name, file.name),
                hidden=str(meta.visible).rsplit(".", 1)[-1] != "Visible",
                percent_rows=_percent_reader(file, name) if xml else None,
                date_precisions=_precision_reader(file, name) if partial_formats else None,
            )
        )
    if not tables:
        raise ImportFailed(f"{file.name} holds no worksheet")
    return Input(label, "workbook", tables)


# A sheet is read whole into memory, every cell between its first and last valued
# ones (32 bytes each): the area is checked against this first (100,000 rows of
# 200 columns; a stray cell at XFD1048576 claims 17 billion, 512 GiB).
MAX_CELLS = 20_000_000
MAX_ROWS = 1_048_576  # Excel's own limit: a sheet past it was not made by Excel
MAX_XML = 2 << 30  # a sheet's XML past 2 GiB: no register; a zip bomb
# What a sheet's <dimension> claims is not trusted: a file can claim A1:B2 and hold
# a value at XFD1048576. Read from the XML, in one pass at C speed: the last row
# (from its <row> elements: a cell need not name its own) and the columns of cells
# named by two or three letters (a register rarely has them, past Z).
_ROW = re.compile(rb'row\s[^>]*?r="(\d{1,12})"')
_WIDE_CELL = re.compile(rb'r="([A-Z]{2,3})\d')
_VALUED_CELL = re.compile(
    rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{1,3})(\d{1,12})"[^>]*>\s*'
    rb'(?:<(?:\w+:)?f\b[^>]*/>\s*|<(?:\w+:)?f\b[^>]*>[^<]*</(?:\w+:)?f>\s*)?'
    rb"<(?:\w+:)?(?:v|is)>(?!</)"
)
# A cell that does not name itself (r="...") is in its <row>'s row.
_CELL_WITHOUT_REFERENCE = re.compile(rb'<(?:\w+:)?c(?:\s+(?!r\s*=)[\w:]+\s*=\s*"[^"]*")*\s*>')


class SheetSize(NamedTuple):
    rows: int
    columns: int


def claimed_sizes(file: Path) -> dict[str, SheetSize]:
    """The rows and columns each sheet of an .xlsx could take calamine to read,
    found without loading it; {} when the file cannot tell (calamine then says
    what is wrong with it). Raises ImportFailed for a sheet far larger than any
    register's XML."""
    import zipfile

    try:
        with zipfile.ZipFile(file) as archive:
            book = archive.read("xl/workbook.xml")
            rels = archive.read("xl/_rels/workbook.xml.rels")
            targets = dict(re.findall(rb'Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
            targets.update(
                (ident, target)
                for target, ident in re.findall(rb'Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)
            )
            sizes = {}
            for raw_name, ident in re.findall(
                rb'<(?:\w+:)?sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]+)"', book
            ):
                target = targets.get(ident, b"").decode().lstrip("/")
                info = archive.getinfo(target if target.startswith("xl/") else f"xl/{target}")
                name = _xml_text(raw_name)
                if info.file_size > MAX_XML:
                    raise ImportFailed(
                        f"{file.name}, sheet {name!r}: its XML unpacks to "
                        f"{info.file_size:,} bytes, far past any register",
                        hint="copy the table into a new workbook and import that",
                    )
                with archive.open(info) as sheet:
                    size = _sheet_size(sheet)
                if size.rows > MAX_ROWS or size.rows * size.columns > MAX_CELLS:
                    # Formatting far away (a bold cell at XFD1048576) costs nothing:
                    # only cells that hold a value count. Looked at only then.
                    with archive.open(info) as sheet:
                        size = _valued_extent(sheet)
                sizes[name] = size
            return sizes
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, RuntimeError, EOFError):
        return {}


def _sheet_size(sheet: IO[bytes]) -> SheetSize:
    """At least the last row and column a sheet's cells reach (formatting counted)."""
    rows, wide = 0, set()
    tail = b""
    while block := sheet.read(1 << 22):
        data = tail + block
        rows = max(rows, max(map(int, _ROW.findall(data)), default=0))
        wide.update(_WIDE_CELL.findall(data))
        tail = data[-64:]
    columns = max(map(_column_number, wide), default=26)
    return SheetSize(rows, columns)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.decode():
        number = number * 26 + ord(letter) - 64
    return number


def _valued_extent(sheet: IO[bytes]) -> SheetSize:
    """The last row and column that hold a value, streaming through the sheet's XML
    (the last <row> where a cell does not name itself)."""
    rows = columns = last_row = 0
    unnamed = False
    tail = b""
    while block := sheet.read(1 << 20):
        data = tail + block
        found = _VALUED_CELL.findall(data)
        if found:
            rows = max(rows, max(int(row) for _, row in found))
            columns = max(columns, max(map(_column_number, {letters for letters, _ in found})))
        unnamed = unnamed or _CELL_WITHOUT_REFERENCE.search(data) is not None
        last_row = max(last_row, max(map(int, _ROW.findall(data)), default=0))
        tail = data[-512:]
    return SheetSize(max(rows, last_row) if unnamed else rows, max(columns, 1 if unnamed else 0))


def _xml_text(raw: bytes) -> str:
    import html

    return html.unescape(raw.decode("utf-8", errors="replace"))


def _sheet_loader(workbook: Any, name: str, file_name: str) -> Callable[[], Loaded]:
    def load() -> Loaded:
        from python_calamine import CalamineError

        def explain(error: BaseException, _row: int) -> ImportFailed:
            return ImportFailed(f"cannot read the sheet {name!r} of {file_name}: {error}")

        try:
            sheet = workbook.get_sheet_by_name(name)
            start_col = (sheet.start or (0, 0))[1]
            ranges = sheet.merged_cell_ranges or []
            rows = iter(sheet.iter_rows())
        except Exception as error:  # a sheet calamine cannot read
            raise explain(error, 0) from None
        spans = [(r0 + 1, c0, r1 + 1, c1) for (r0, c0), (r1, c1) in ranges]
        failure = Failure((CalamineError,), explain)
        if not start_col:
            return enumerate(rows, start=1), spans, failure
        # calamine yields rows from the sheet's first row, but cells from its
        # first used column: keep columns where the sheet has them.
        pad = [""] * start_col
        return ((n, pad + row) for n, row in enumerate(rows, start=1)), spans, failure

    return load


# Excel's built-in "mmm-yy" (what typing "Agu-21" makes): a month.
_BUILTIN_PARTIAL = {17: "month"}


def date_precision(code: str) -> str | None:
    """'month' for a date format without the day ("mmmm yyyy"), 'year' for "yyyy"."""
    bare = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code).lower()
    if not bare or "d" in bare or "h" in bare or "s" in bare or "y" not in bare:
        return None
    return "month" if "m" in bare else "year"


def has_partial_date_formats(file: Path) -> bool:
    """Whether any cell style of the workbook shows a date to its month or year only:
    only then are the cells' formats read (what most workbooks are spared)."""
    import zipfile

    try:
        with zipfile.ZipFile(file) as archive:
            styles = archive.read("xl/styles.xml")
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError):
        return False
    codes = {
        int(ident): _xml_text(code)
        for ident, code in re.findall(rb'numFmtId="(\d+)"\s+formatCode="([^"]*)"', styles)
    }
    cell_xfs = re.search(rb"<cellXfs\b.*?</cellXfs>", styles, re.S)
    used = (
        {int(ident) for ident in re.findall(rb'numFmtId="(\d+)"', cell_xfs.group(0))}
        if (cell_xfs)
        else set()
    )
    return any(ident in _BUILTIN_PARTIAL or date_precision(codes.get(ident, "")) for ident in used)


def _precision_reader(file: Path, sheet: str) -> Callable[[int], dict[int, str]]:
    def precisions(column: int) -> dict[int, str]:
        """Rows whose cell in ``column`` (0 = A) shows a date to its month or year."""
        from openpyxl import load_workbook

        found: dict[int, str] = {}
        try:
            book = load_workbook(file, read_only=True)
            worksheet = book[sheet]
            for number, row in enumerate(
                worksheet.iter_rows(min_row=1, min_col=column + 1, max_col=column + 1), start=1
            ):
                fmt = getattr(row[0], "number_format", None) if row else None
                precision = date_precision(fmt) if fmt else None
                if fmt == "mmm-yy":
                    precision = "month"
                if precision:
                    found[number] = precision
            book.close()
        except Exception:  # formats are a help, not a need: read the values alone
            return found
        return found

    return precisions


def _percent_reader(file: Path, sheet: str) -> Callable[[int], set[int]]:
    def percent_rows(column: int) -> set[int]:
        """Rows whose cell in ``column`` (0 = A) is formatted as a percentage."""
        from openpyxl import load_workbook

        found: set[int] = set()
        try:
            book = load_workbook(file, read_only=True, data_only=True)
            worksheet = book[sheet]
            for number, row in enumerate(
                worksheet.iter_rows(min_row=1, min_col=column + 1, max_col=column + 1), start=1
            ):
                fmt = getattr(row[0], "number_format", None) if row else None
                if fmt and "%" in fmt.replace('"%"', "").replace("\\%", ""):
                    found.add(number)
            book.close()
        except Exception:  # formats are a help, not a need: read the values alone
            return found
        return found

    return percent_rows
