"""Files -> raw tables: CSV (encoding, dialect), workbooks (every sheet), web pages
saved as workbooks, JSON and JSONL.

Nothing here guesses silently: the encoding and the delimiter read are reported.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from kerjasama_cli.importing.encodings import (
    _blocks,
    _known_encoding,
    detect_encoding,
    encoding_name,
)
from kerjasama_cli.importing.summary import ImportFailed
from kerjasama_cli.importing.tables import NEVER, Failure, Input, Loaded, RawTable, Rows, Span

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")


def expand_folders(paths: Iterable[str]) -> list[str]:
    """Each folder given becomes the files in it that import reads (workbooks, CSV,
    JSON; not .txt notes), by name, not its subfolders, hidden files or Excel's ~$
    lock files:
    `kerjasama import formulir-2021/` takes every returned form at once."""
    found: list[str] = []
    for path in paths:
        folder = Path(path)
        try:
            is_folder = path != "-" and folder.is_dir()
        except OSError:  # a name too long and such: opening it says so
            is_folder = False
        if not is_folder:
            found.append(path)
            continue
        files = sorted(
            str(file)
            for file in folder.iterdir()
            if file.is_file()
            and not file.name.startswith((".", "~$"))
            and file.suffix.lower() in (*WORKBOOK_SUFFIXES, ".csv", ".tsv", *JSON_SUFFIXES)
        )
        if not files:
            raise ImportFailed(
                f"{path} holds no file kerjasama imports",
                hint="it reads .xlsx, .xls, .ods, .csv and .json files",
            )
        found += files
    return found


def open_input(path: str, *, encoding: str | None = None) -> Input:
    """One file's raw tables; '-' is CSV (or JSON lines) on standard input."""
    if encoding is not None:
        encoding = _known_encoding(encoding)
    if path == "-":
        return _stdin(encoding)
    file = Path(path)
    try:
        if file.is_dir():
            raise ImportFailed(
                f"{path} is a folder",
                hint=f"give the files in it: kerjasama import {path.rstrip('/')}/*.xlsx",
            )
        if not file.is_file():
            raise ImportFailed(f"{path}: no such file")
    except OSError as error:  # a name too long for the file system, and such
        raise ImportFailed(f"cannot open {path[:200]!r}: {error.strerror}") from None
    suffix = file.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        return _workbook_or_not(file, path, encoding)
    if suffix in TEXT_SUFFIXES:
        return _csv_file(file, path, encoding)
    if suffix in JSON_SUFFIXES:
        return _json_file(file, path, suffix)
    raise ImportFailed(
        f"{path}: cannot import {suffix or 'a file without extension'}",
        hint="give a .csv, .xlsx, .xls, .ods, .json or .jsonl file",
    )


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
        return (
            enumerate(reader, start=1),
            [],
            Failure((csv.Error, UnicodeDecodeError), _csv_failure(label, codec)),
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
        return ImportFailed(
            f"{label}: row {row} cannot be read as CSV: {why}",
            hint="open the file in a text editor at that row, or open it in Excel and "
            "save it again as CSV",
        )

    return explain


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
                yield number, [_json_cell(label, number, key, item.get(key)) for key in header]

        return rows(), [], NEVER

    return Input(label, "json", [RawTable(None, load, header=header)])


def _json_cell(label: str, number: int, key: str, value: Any) -> Any:
    """A value as a cell holds it: a list of texts or numbers (several partners,
    several OPDs) is one cell of them separated by "; "; an object, or a list
    holding lists or objects, is not a cell: the item is refused, not flattened."""
    if isinstance(value, list) and not any(isinstance(part, (list, dict)) for part in value):
        return "; ".join(str(part) for part in value if part is not None)
    if isinstance(value, (list, dict)):
        raise ImportFailed(
            f"{label}: item {number}, {key!r}: a nested "
            f"{'object' if isinstance(value, dict) else 'list'} is not a value",
            hint="give each field as text, a number, or a list of texts "
            '(e.g. "Mitra": ["Pemerintah Kabupaten A", "Universitas B"])',
        )
    return value


# ------------------------------------------------------- workbooks, or not

_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"


def _workbook_or_not(file: Path, label: str, encoding: str | None) -> Input:
    """A workbook is a zip (xlsx, ods) or an OLE file (xls); under a workbook's name
    offices also keep web pages (many systems export HTML as .xls) and CSV."""
    with file.open("rb") as handle:
        start = handle.read(4096)
    if start.startswith((_ZIP, _OLE)):
        from kerjasama_cli.importing.workbooks import open_workbook

        return open_workbook(file, label)
    stripped = start.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<", b"\xff\xfe<")) and (
        b"<table" in start.lower() or b"<html" in stripped[:200]
    ):
        return _web_page(file, label, encoding)
    if _looks_like_text(start):
        opened = _csv_file(file, label, encoding)
        opened.notes.append(f"{label} is a text file with a workbook's name: read as CSV")
        return opened
    raise ImportFailed(
        f"cannot read {file.name} as a workbook: it is not an Excel or OpenDocument file",
        hint="open it in Excel (or LibreOffice) and save it as an Excel Workbook (.xlsx)",
    )


def _web_page(file: Path, label: str, encoding: str | None) -> Input:
    from kerjasama_cli.importing.webpages import read_tables

    data = file.read_bytes()
    codec = encoding or _page_encoding(data) or _detect(label, data[:4096], lambda: [data])
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError) as error:
        raise ImportFailed(f"{label}: the web page cannot be read as {codec}: {error}") from None
    found = read_tables(text)
    if not found:
        raise ImportFailed(
            f"{label} is a web page (HTML) with no table in it",
            hint="open it in Excel and save it as an Excel Workbook (.xlsx), then import that",
        )
    tables = []
    for index, (grid, spans) in enumerate(found, start=1):

        def load(grid: list[list[Any]] = grid, spans: list[Span] = spans) -> Loaded:
            return enumerate(grid, start=1), list(spans), NEVER

        tables.append(RawTable(f"Tabel {index}", load))
    opened = Input(label, "web page", tables, encoding=encoding_name(codec))
    opened.notes.append(
        f"{label} is a web page (HTML) saved with a workbook's name: its tables read as sheets"
    )
    return opened


def _page_encoding(data: bytes) -> str | None:
    """The charset a page declares (<meta charset="...">), if Python knows it."""
    import codecs
    import re

    found = re.search(rb'charset\s*=\s*["\']?([A-Za-z0-9_.:-]+)', data[:4096], re.IGNORECASE)
    if found is None:
        return None
    try:
        return codecs.lookup(found.group(1).decode("ascii")).name.replace("-", "_")
    except LookupError:
        return None


def _looks_like_text(start: bytes) -> bool:
    try:
        text = start.decode("utf-8")
    except UnicodeDecodeError:
        text = start.decode("cp1252", errors="replace")
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return bool(text) and printable / len(text) > 0.97 and any(d in text for d in DELIMITERS)
