"""Files -> raw tables: CSV (encoding, dialect), workbooks (every sheet), JSON and JSONL.

A raw table is every row of one sheet (or of a whole CSV file) as the file
holds it, numbered as a spreadsheet numbers its rows, blank rows and title
rows included: finding the table inside is ``layout``'s job. Nothing here
guesses silently: the encoding and the delimiter read are reported.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NamedTuple

from kerjasama_cli.importing.summary import ImportFailed

Cell = Any
Rows = Iterator[tuple[int, list[Cell]]]
# (first row, first column, last row, last column): rows numbered from 1,
# columns as positions in a row's cells.
Span = tuple[int, int, int, int]


class Failure(NamedTuple):
    """How reading a table's rows can fail half-way, and what to tell the user then.

    The rows are read by the layout's loop without a layer of their own (one less
    step for each of 100,000 rows): that loop turns these errors into ``explain``'s.
    """

    types: tuple[type[BaseException], ...]
    explain: Callable[[BaseException, int], ImportFailed]


NEVER = Failure((), lambda error, _row: ImportFailed(str(error)))
Loaded = tuple[Rows, list[Span], Failure]

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")


@dataclass
class RawTable:
    """One sheet of a workbook, or a whole CSV or JSON file, row by row."""

    sheet: str | None
    load: Callable[[], Loaded]
    # cells[0] is this column of the sheet (0 = A): a workbook's first used column.
    col_offset: int = 0
    # JSON: the keys are the header, known without looking for it.
    header: list[str] | None = None
    hidden: bool = False
    # Workbooks: the row numbers whose cell in a column is formatted as a
    # percentage (Excel stores "75%" typed there as 0.75).
    percent_rows: Callable[[int], set[int]] | None = None
    _rows: Rows | None = field(default=None, repr=False)
    _head: list[tuple[int, list[Cell]]] = field(default_factory=list, repr=False)
    merged: list[Span] = field(default_factory=list, repr=False)
    failure: Failure = field(default=NEVER, repr=False)

    def _open(self) -> Rows:
        if self._rows is None:
            self._rows, self.merged, self.failure = self.load()
        return self._rows

    def head(self, count: int) -> list[tuple[int, list[Cell]]]:
        """The first ``count`` rows, kept: ``rows()`` still yields them first."""
        rows = self._open()
        if len(self._head) < count:
            try:
                self._head += itertools.islice(rows, count - len(self._head))
            except self.failure.types as error:
                raise self.failure.explain(error, len(self._head) + 1) from None
        return self._head[:count]

    def rows(self) -> Rows:
        """Every row, once: those seen by ``head`` first, then the rest. Whoever reads
        them turns ``failure.types`` into ``failure.explain`` (see Failure)."""
        rows = self._open()
        head, self._head = self._head, []
        return itertools.chain(head, rows)


@dataclass
class Input:
    """What one file holds: its tables, and how it was read."""

    label: str
    format: str  # "csv", "workbook" or "json"
    tables: list[RawTable]
    encoding: str | None = None  # how the text was decoded, as people name it
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)


def open_input(path: str, *, encoding: str | None = None) -> Input:
    """One file's raw tables; '-' is CSV (or JSON lines) on standard input."""
    if encoding is not None:
        encoding = _known_encoding(encoding)
    if path == "-":
        return _stdin(encoding)
    file = Path(path)
    try:
        if not file.is_file():
            raise ImportFailed(f"{path}: no such file")
    except OSError as error:  # a name too long for the file system, and such
        raise ImportFailed(f"cannot open {path[:200]!r}: {error.strerror}") from None
    suffix = file.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        return _workbook(file, path, encoding)
    if suffix in TEXT_SUFFIXES:
        return _csv_file(file, path, encoding)
    if suffix in JSON_SUFFIXES:
        return _json_file(file, path, suffix)
    raise ImportFailed(
        f"{path}: cannot import {suffix or 'a file without extension'}",
        hint="give a .csv, .xlsx, .xls, .ods, .json or .jsonl file",
    )


# ---------------------------------------------------------------- encodings

# What offices' CSV files are written in besides UTF-8: Excel on Windows saves
# "CSV (Comma delimited)" in the ANSI code page (Windows-1252 where Indonesian
# is set), Excel on a Mac "CSV (Macintosh)" in Mac Roman, older systems Latin-9
# or the DOS code page.
SINGLE_BYTE = ("cp1252", "iso8859_15", "mac_roman", "cp850", "latin_1")
ENCODING_NAMES = {
    "utf_8": "UTF-8",
    "utf_8_sig": "UTF-8 (with BOM)",
    "utf_16": "UTF-16",
    "cp1252": "Windows-1252 (ANSI)",
    "iso8859_15": "ISO-8859-15 (Latin-9)",
    "mac_roman": "Mac Roman",
    "cp850": "DOS (cp850)",
    "latin_1": "ISO-8859-1 (Latin-1)",
}
_BLOCK = 1 << 20


def _known_encoding(name: str) -> str:
    try:
        return codecs.lookup(name).name.replace("-", "_")
    except LookupError:
        raise ImportFailed(
            f"--encoding: {name!r} is not an encoding Python knows",
            hint="for Excel's 'CSV (Comma delimited)' on Windows use --encoding cp1252",
        ) from None


def encoding_name(codec: str) -> str:
    return ENCODING_NAMES.get(codec, codec)


def _decodes(blocks: Iterable[bytes], codec: str) -> bool:
    decoder = codecs.getincrementaldecoder(codec)("strict")
    try:
        for block in blocks:
            decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _blocks(file: Path) -> Iterator[bytes]:
    with file.open("rb") as handle:
        while block := handle.read(_BLOCK):
            yield block


def _bom(start: bytes) -> str | None:
    if start.startswith(codecs.BOM_UTF8):
        return "utf_8_sig"
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf_16"
    return None


def detect_encoding(start: bytes, blocks: Callable[[], Iterable[bytes]]) -> str:
    """The codec a text file is in, decided from all of it, not from its start.

    A BOM decides; else UTF-8 if every byte of the file decodes as UTF-8; else
    charset-normalizer chooses among the single-byte code pages offices' files
    come in, looking at the lines that hold non-ASCII bytes, and the choice
    must decode the whole file.
    """
    if (bom := _bom(start)) is not None:
        return bom
    if _binary(start):
        raise ImportFailed(
            "the file holds binary data, not text",
            hint="give a CSV file saved from Excel (or the workbook itself, .xlsx)",
        )
    if _decodes(blocks(), "utf_8"):
        return "utf_8"
    import charset_normalizer

    sample = _non_ascii_lines(blocks())
    ranked = [
        m.encoding for m in charset_normalizer.from_bytes(sample, cp_isolation=list(SINGLE_BYTE))
    ]
    for codec in [*ranked, *(c for c in SINGLE_BYTE if c not in ranked)]:
        if codec in SINGLE_BYTE and codec != "latin_1" and _decodes(blocks(), codec):
            return codec
    raise ImportFailed(
        "cannot tell which encoding the file is written in",
        hint="save it from Excel as 'CSV UTF-8', or name the encoding with --encoding cp1252",
    )


def _binary(start: bytes) -> bool:
    """NUL bytes, or many control bytes, at the start: not a text file."""
    if b"\x00" in start:
        return True
    controls = sum(byte < 32 and byte not in (9, 10, 12, 13) for byte in start)
    return controls > max(8, len(start) // 100)


def _non_ascii_lines(blocks: Iterable[bytes], limit: int = 1 << 16) -> bytes:
    """The lines of the file that hold non-ASCII bytes (up to ``limit`` bytes):
    what tells one code page from another, wherever in the file it is."""
    found: list[bytes] = []
    size = 0
    rest = b""
    for block in blocks:
        lines = (rest + block).split(b"\n")
        rest = lines.pop()
        for line in lines:
            if not line.isascii():
                found.append(line)
                size += len(line)
                if size >= limit:
                    return b"\n".join(found)
    if rest and not rest.isascii():
        found.append(rest)
    return b"\n".join(found)


# ---------------------------------------------------------------------- CSV

DELIMITERS = (";", ",", "\t", "|")
_SNIFF_LINES = 60


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that cuts the first lines into the most rows of one width.

    A title line above the table has no delimiter at all, or a few; the table's
    rows share one width. Ties go to ';', which Indonesian Excel writes (the
    comma is its decimal mark).
    """
    best, best_score = ";", (0, 0)
    sample = "\n".join(lines)
    for delimiter in DELIMITERS:
        try:
            widths = [len(row) for row in csv.reader(io.StringIO(sample), delimiter=delimiter)]
        except csv.Error:
            continue
        counts: dict[int, int] = {}
        for width in widths:
            if width > 1:
                counts[width] = counts.get(width, 0) + 1
        if not counts:
            continue
        width, rows = max(counts.items(), key=lambda item: (item[1], item[0]))
        score = (rows, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _detect(label: str, start: bytes, blocks: Callable[[], Iterable[bytes]]) -> str:
    try:
        return detect_encoding(start, blocks)
    except ImportFailed as error:
        raise ImportFailed(f"{label}: {error.message}", hint=error.hint) from None


def _csv_file(file: Path, label: str, encoding: str | None) -> Input:
    with file.open("rb") as raw:
        start = raw.read(4096)
    codec = encoding or _detect(label, start, lambda: _blocks(file))
    try:
        text = file.open(encoding=codec, newline="")
    except OSError as error:
        raise ImportFailed(f"cannot open {label}: {error.strerror}") from None
    return _csv_input(text, label, codec)


def _stdin(encoding: str | None) -> Input:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # already text (an embedding program's own stdin)
        return _csv_input(io.StringIO(sys.stdin.read()), "<stdin>", "utf_8")
    data = stream.read()
    codec = encoding or _detect("<stdin>", data[:4096], lambda: [data])
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        raise ImportFailed(f"<stdin> is not {encoding_name(codec)} text: {error.reason}") from None
    return _csv_input(io.StringIO(text.removeprefix("\ufeff")), "<stdin>", codec)


def _csv_input(handle: IO[str], label: str, codec: str) -> Input:
    try:
        lines = list(itertools.islice(handle, _SNIFF_LINES))
    except UnicodeDecodeError as error:
        raise ImportFailed(
            f"{label} is not {encoding_name(codec)} text: {error.reason}",
            hint="name the file's encoding with --encoding",
        ) from None
    if lines and lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]
    delimiter = sniff_delimiter(lines)
    if not "".join(lines).strip():
        raise ImportFailed(f"{label}: the file is empty: no header row")

    def load() -> Loaded:
        # strict: an unterminated quote is an error, not the rest of the file in one cell.
        reader = csv.reader(itertools.chain(lines, handle), delimiter=delimiter, strict=True)
        return enumerate(reader, start=1), [], Failure(
            (csv.Error, UnicodeDecodeError), _csv_failure(label, codec)
        )

    table = RawTable(None, load)
    return Input(label, "csv", [table], encoding=encoding_name(codec), delimiter=delimiter)


def _csv_failure(label: str, codec: str) -> Callable[[BaseException, int], ImportFailed]:
    def explain(error: BaseException, row: int) -> ImportFailed:
        if isinstance(error, UnicodeDecodeError):
            return ImportFailed(
                f"{label}: row {row} is not {encoding_name(codec)} text: {error.reason}",
                hint="name the file's encoding with --encoding",
            )
        text = str(error)
        if "end of data" in text:
            why = 'a quote (") opened in it never closes'
        elif "field limit" in text:
            why = "a cell is longer than 131,072 characters"
        elif "expected after" in text:
            why = 'a quoted cell is followed by more text: quote the whole cell ("...")'
        else:
            why = text
        return ImportFailed(f"{label}: row {row} cannot be read as CSV: {why}")

    return explain


# ----------------------------------------------------------------- workbooks

_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"


def _workbook(file: Path, label: str, encoding: str | None) -> Input:
    with file.open("rb") as handle:
        start = handle.read(4096)
    if not start.startswith((_ZIP, _OLE)):
        stripped = start.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if stripped.startswith((b"<", b"\xff\xfe<")):
            raise ImportFailed(
                f"{label} is a web page (HTML) saved with a workbook's name, not a workbook",
                hint="open it in Excel and save it as an Excel Workbook (.xlsx), then import that",
            )
        if _looks_like_text(start):
            opened = _csv_file(file, label, encoding)
            opened.notes.append(f"{label} is a text file with a workbook's name: read as CSV")
            return opened
        raise ImportFailed(
            f"cannot read {file.name} as a workbook: it is not an Excel or OpenDocument file"
        )
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(file))
        sheets = list(workbook.sheets_metadata)
    except Exception as error:  # calamine raises its own error types per format fault
        raise ImportFailed(f"cannot read {file.name} as a workbook: {error}") from None
    tables = []
    for meta in sheets:
        name = str(meta.name)
        if str(meta.typ).rsplit(".", 1)[-1] != "WorkSheet":
            continue  # chart sheets, dialog sheets: no cells
        tables.append(
            RawTable(
                name,
                _sheet_loader(workbook, name, file.name),
                hidden=str(meta.visible).rsplit(".", 1)[-1] != "Visible",
                percent_rows=_percent_reader(file, name)
                if file.suffix.lower() in (".xlsx", ".xlsm")
                else None,
            )
        )
    if not tables:
        raise ImportFailed(f"{file.name} holds no worksheet")
    return Input(label, "workbook", tables)


def _looks_like_text(start: bytes) -> bool:
    try:
        text = start.decode("utf-8")
    except UnicodeDecodeError:
        text = start.decode("cp1252", errors="replace")
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return bool(text) and printable / len(text) > 0.97 and any(d in text for d in DELIMITERS)


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


# ---------------------------------------------------------------------- JSON


def _json_file(file: Path, label: str, suffix: str) -> Input:
    if suffix == ".json":
        try:
            data = json.loads(file.read_text(encoding="utf-8-sig"))
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise ImportFailed(f"{label} is not valid JSON: {error}") from None
        except RecursionError:
            raise ImportFailed(f"{label} is nested too deeply to be a register") from None
        if not isinstance(data, list):
            raise ImportFailed(f"{label}: expected a JSON list of objects")
        items: Iterable[tuple[int, Any]] = enumerate(data, start=1)
    else:
        items = _json_lines(file, label)
    return _json_input(list(items), label)


def _json_lines(file: Path, label: str) -> Iterator[tuple[int, Any]]:
    try:
        with file.open(encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    try:
                        yield number, json.loads(line)
                    except json.JSONDecodeError as error:
                        raise ImportFailed(f"{label}:{number}: not JSON: {error}") from None
                    except RecursionError:
                        raise ImportFailed(f"{label}:{number}: nested too deeply") from None
    except UnicodeDecodeError as error:
        raise ImportFailed(f"{label} is not UTF-8 text: {error.reason}") from None


def _json_input(items: list[tuple[int, Any]], label: str) -> Input:
    header: list[str] = []
    for number, item in items:
        if not isinstance(item, dict):
            raise ImportFailed(f"{label}: item {number} is not an object")
        header.extend(str(key) for key in item if str(key) not in header)

    def load() -> Loaded:
        def rows() -> Rows:
            for number, item in items:
                yield (
                    number,
                    [
                        # Lists and objects in a cell are read as their JSON text.
                        json.dumps(value, ensure_ascii=False)
                        if isinstance(value, (list, dict))
                        else value
                        for value in (item.get(key) for key in header)
                    ],
                )

        return rows(), [], NEVER

    return Input(label, "json", [RawTable(None, load, header=header)])
