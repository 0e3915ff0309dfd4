"""Files -> raw tables: CSV (encoding, dialect), XLSX (sheets), JSON and JSONL."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from kerjasama_cli.importing.summary import ImportFailed

Cell = Any
RawRows = Iterator[tuple[int, list[Cell]]]


def _sniff_delimiter(header_line: str) -> str:
    """Indonesian Excel writes ';' (the comma is the decimal mark); others ','."""
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(text_stream: io.TextIOBase | Any) -> tuple[list[str], RawRows]:
    first = text_stream.readline()
    if not first.strip():
        raise ImportFailed("the file is empty: no header row")
    delimiter = _sniff_delimiter(first)
    header = next(csv.reader([first], delimiter=delimiter))

    def rows() -> RawRows:
        reader = csv.reader(text_stream, delimiter=delimiter)
        for offset, row in enumerate(reader, start=2):
            if "".join(row).strip():  # one C call; a blank row may hold spaces
                yield offset, row

    return header, rows()


def _xlsx_rows(path: Path, sheet: str | None) -> tuple[list[str], RawRows, str]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine raises its own error types per format fault
        raise ImportFailed(f"cannot read {path.name} as a workbook: {error}") from None
    names = workbook.sheet_names
    if sheet is not None and sheet not in names:
        raise ImportFailed(
            f"{path.name} has no sheet {sheet!r}",
            hint="its sheets: " + ", ".join(repr(n) for n in names),
        )
    chosen = workbook.get_sheet_by_name(sheet) if sheet else workbook.get_sheet_by_index(0)
    iterator = iter(chosen.iter_rows())
    header: list[str] = []
    header_row = 0
    for header_row, row in enumerate(iterator, start=1):  # noqa: B007
        if any(str(cell).strip() for cell in row):
            header = [str(cell) for cell in row]
            break
    if not header:
        raise ImportFailed(f"the sheet {chosen.name!r} is empty: no header row")

    def rows() -> RawRows:
        for offset, row in enumerate(iterator, start=header_row + 1):
            if any(cell not in ("", None) for cell in row):
                yield offset, list(row)

    return header, rows(), str(chosen.name)


def _json_rows(objects: Iterable[tuple[int, Any]], source: str) -> tuple[list[str], RawRows]:
    buffered = list(objects)
    header: list[str] = []
    for number, obj in buffered:
        if not isinstance(obj, dict):
            raise ImportFailed(f"{source}: item {number} is not an object")
        header.extend(key for key in obj if key not in header)

    def rows() -> RawRows:
        for number, obj in buffered:
            # Lists and objects in a cell are read as their JSON text.
            yield (
                number,
                [
                    json.dumps(value, ensure_ascii=False)
                    if isinstance(value, (list, dict))
                    else value
                    for value in (obj.get(key) for key in header)
                ],
            )

    return header, rows()


class Source(NamedTuple):
    label: str
    header: list[str]
    rows: RawRows
    sheet: str | None = None  # the workbook sheet read ("Evaluasi 2021" names a year)


def open_source(path: str, sheet: str | None) -> Source:
    """One input's header and rows; '-' is CSV on standard input."""
    if path == "-":
        stream = (
            io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", newline="")
            if hasattr(sys.stdin, "buffer")
            else sys.stdin
        )
        return Source("<stdin>", *_csv_rows(stream))
    file = Path(path)
    if not file.is_file():
        raise ImportFailed(f"{path}: no such file")
    suffix = file.suffix.lower()
    if suffix in (".csv", ".txt"):
        handle = file.open(encoding="utf-8-sig", newline="")
        try:
            return Source(str(path), *_csv_rows(handle))
        except UnicodeDecodeError:
            raise ImportFailed(
                f"{path} is not UTF-8 text", hint="save it from Excel as 'CSV UTF-8'"
            ) from None
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        return Source(str(path), *_xlsx_rows(file, sheet))
    if suffix == ".json":
        try:
            data = json.loads(file.read_text(encoding="utf-8-sig"))
        except json.JSONDecodeError as error:
            raise ImportFailed(f"{path} is not valid JSON: {error}") from None
        if not isinstance(data, list):
            raise ImportFailed(f"{path}: expected a JSON list of objects")
        return Source(str(path), *_json_rows(enumerate(data, start=1), str(path)))
    if suffix in (".jsonl", ".ndjson"):

        def lines() -> Iterator[tuple[int, Any]]:
            with file.open(encoding="utf-8-sig") as handle:
                for number, line in enumerate(handle, start=1):
                    if line.strip():
                        try:
                            yield number, json.loads(line)
                        except json.JSONDecodeError as error:
                            raise ImportFailed(f"{path}:{number}: not JSON: {error}") from None

        return Source(str(path), *_json_rows(lines(), str(path)))
    raise ImportFailed(
        f"{path}: cannot import {suffix or 'a file without extension'}",
        hint="give a .csv, .xlsx, .json or .jsonl file",
    )

