"""`kerjasama import`: a region's existing register from CSV, XLSX, JSON or JSONL.

The flow is one way: a reader yields raw rows; the header map names their
columns; a validator turns each row into a plain record (or problems), using the
register's own field readers behind per-column caches, since the same dates,
OPDs and partners repeat thousands of times; cross-row checks follow (a number
twice, a parent that exists nowhere); then one transaction writes everything
with SQLAlchemy Core executemany. Any exception rolls the whole file back.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.orm import Session

from kerjasama_cli import parse, vocab
from kerjasama_cli.db.bulk import fetch_plain, insert_rows, prepare
from kerjasama_cli.db.engine import Register
from kerjasama_cli.db.models import (
    LOCAL_REGION,
    Partner,
    Unit,
    agreement_partner,
    agreement_table,
    agreement_unit,
    history_table,
    partner_table,
)
from kerjasama_cli.errors import Conflict, InvalidValue, KerjasamaError
from kerjasama_cli.register import (
    CLEAR,
    FIELD_READERS,
    Actor,
    as_text,
    file_digest,
    number_key,
    settle,
)

# ---------------------------------------------------------------------- columns

AGREEMENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "doc_type": ("Jenis Dokumen", "Jenis", "Tipe Dokumen"),
    "number": ("Nomor", "Nomor Dokumen", "Nomor Pemda", "No Dokumen", "Nomor Naskah"),
    "partner_number": ("Nomor Mitra", "Nomor Pihak Kedua", "Nomor Pihak II"),
    "title": ("Tentang", "Judul", "Perihal"),
    "scope": ("Ruang Lingkup",),
    "partners": ("Mitra", "Pihak", "Para Pihak", "Nama Mitra", "Pihak Kedua"),
    "partner_kind": ("Jenis Mitra",),
    "kind": ("Jenis Kerja Sama", "Jenis Kerjasama"),
    "ksdd_category": ("Kategori KSDD", "Kategori"),
    "bidang": ("Bidang Urusan", "Urusan", "Bidang"),
    "units": ("Perangkat Daerah", "OPD", "Pelaksana", "Perangkat Daerah Pelaksana"),
    "signed_on": ("Tanggal Penandatanganan", "Tanggal TTD", "Tgl TTD", "Tanggal"),
    "starts_on": ("Tanggal Mulai", "Mulai Berlaku"),
    "ends_on": ("Tanggal Berakhir", "Berlaku Sampai", "Berakhir"),
    "term_text": ("Jangka Waktu", "Masa Berlaku"),
    "value": ("Nilai", "Nilai (Rp)", "Nilai Kerja Sama"),
    "funding": ("Sumber Pembiayaan", "Sumber Dana", "Pembiayaan"),
    "dprd": ("Persetujuan DPRD",),
    "dprd_number": ("Nomor Persetujuan DPRD",),
    "dprd_date": ("Tanggal Persetujuan DPRD",),
    "parent_number": ("Induk", "Nomor KB", "Nomor Induk", "Dokumen Induk"),
    "terminated_on": ("Tanggal Diakhiri", "Diakhiri", "Tanggal Pengakhiran"),
    "termination_reason": ("Alasan Diakhiri", "Alasan Pengakhiran"),
    "file_path": ("Dokumen", "Berkas", "File"),
    "note": ("Keterangan", "Catatan"),
}
EVALUATION_COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("Nomor", "Nomor Dokumen", "Nomor Pemda"),
    "year": ("Tahun", "Tahun Evaluasi"),
    "level": ("Tingkat Pelaksanaan",),
    "progress": ("Progres", "Progres (%)", "Realisasi %", "Realisasi", "Realisasi (%)"),
    "follow_up": ("Tindak Lanjut",),
    "obstacles": ("Kendala", "Permasalahan", "Kendala/Permasalahan", "Kendala dan Permasalahan"),
    "recommendation": ("Rekomendasi",),
    "benefit": ("Manfaat",),
    "note": ("Keterangan", "Catatan"),
    "evaluator": ("Evaluator", "Penilai"),
    "evaluated_on": ("Tanggal Evaluasi",),
    "score": ("Skor", "Nilai Akhir", "Skor Akhir"),
}
FINDING_COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("Nomor", "Nomor Dokumen", "Nomor Pemda"),
    "year": ("Tahun",),
    "category": ("Jenis Temuan", "Kategori"),
    "text": ("Uraian", "Uraian Temuan", "Temuan"),
    "owner": ("Penanggung Jawab", "OPD Penanggung Jawab"),
    "due_on": ("Batas Waktu",),
    "status": ("Status",),
    "recommendation": ("Rekomendasi",),
    "note": ("Catatan", "Tindak Lanjut", "Keterangan", "Catatan Tindak Lanjut Terakhir"),
}
# Columns that exports write and imports may meet again, with nothing to read.
IGNORED_COLUMNS = ("No", "No.", "Nomor Urut", "Status", "Id", "Renewed By")
REQUIRED_COLUMNS = ("doc_type", "number", "title", "partners")
TYPES = ("agreements", "evaluations", "findings")


def _column_index(columns: Mapping[str, Sequence[str]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for canonical, aliases in columns.items():
        for spelling in (canonical, canonical.replace("_", " "), *aliases):
            index.setdefault(vocab.fold(spelling), canonical)
    return index


_AGREEMENT_INDEX = _column_index(AGREEMENT_COLUMNS)
_EVALUATION_INDEX = _column_index(EVALUATION_COLUMNS)
_FINDING_INDEX = _column_index(FINDING_COLUMNS)
_IGNORED = {vocab.fold(name) for name in IGNORED_COLUMNS}
# The workbook's evaluation and findings sheets repeat these to help the OPDs
# fill them in; an import of those sheets has nothing to read in them.
_CONTEXT = {
    vocab.fold(name)
    for name in (
        "No",
        "No.",
        "Tentang",
        "Perangkat Daerah",
        "Jenis Dokumen",
        "Mitra",
        "Id",
        "Status",
    )
}
_INDEXES = {
    "agreements": (_AGREEMENT_INDEX, _IGNORED),
    "evaluations": (_EVALUATION_INDEX, _CONTEXT),
    "findings": (_FINDING_INDEX, _CONTEXT - {vocab.fold("Status")}),
}


@dataclass
class Problem:
    """One thing wrong with one row (or the file): FILE:ROW: column "X": 'v' why."""

    source: str
    row: int | None
    message: str
    column: str | None = None

    def line(self) -> str:
        where = f"{self.source}:{self.row}" if self.row is not None else self.source
        return f"{where}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.source,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class FileSummary:
    source: str
    type: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    invalid: int = 0
    written: bool = False
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.source,
            "type": self.type,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "invalid": self.invalid,
            "written": self.written,
            "problems": [p.to_dict() for p in self.problems],
            "warnings": [w.to_dict() for w in self.warnings],
        }


@dataclass
class ImportOptions:
    type: str | None = None
    sheet: str | None = None
    dry_run: bool = False
    on_conflict: str = "skip"
    skip_invalid: bool = False
    # Validate in a second process while this one writes: None decides by the
    # file's size, True whenever the platform allows, False never.
    parallel: bool | None = None


class ImportFailed(KerjasamaError):
    """The file cannot be read at all (not a problem of one row)."""


# ----------------------------------------------------------------------- readers

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


# ------------------------------------------------------------------ header map


@dataclass
class ColumnMap:
    fields: dict[int, str]  # position in the row -> canonical field
    labels: dict[str, str]  # canonical field -> header as written in the file
    type: str
    unknown: list[str]


def map_columns(header: Sequence[str], wanted_type: str | None) -> ColumnMap:
    folded = [vocab.fold(str(h)) for h in header]
    evaluation = {_EVALUATION_INDEX[f] for f in folded if f in _EVALUATION_INDEX}
    finding = {_FINDING_INDEX[f] for f in folded if f in _FINDING_INDEX}
    detected = (
        "findings"
        if "text" in finding  # "Uraian" names a finding
        else "evaluations"
        if "level" in evaluation
        else "agreements"
    )
    kind = wanted_type or detected
    if kind not in TYPES:
        raise InvalidValue(
            "type",
            kind,
            "is not an import type",
            label="--type",
            hint="choose agreements, evaluations or findings",
        )
    index, ignored = _INDEXES[kind]
    fields: dict[int, str] = {}
    labels: dict[str, str] = {}
    unknown = []
    for position, (name, key) in enumerate(zip(header, folded, strict=True)):
        canonical = index.get(key)
        if canonical is None:
            if key and key not in ignored:
                unknown.append(str(name))
            continue
        if canonical in labels:
            unknown.append(f"{name} (a second {labels[canonical]!r} column)")
            continue
        fields[position] = canonical
        labels[canonical] = str(name).strip()
    return ColumnMap(fields, labels, kind, unknown)


# ------------------------------------------------------------------- validation

_EXCEL_EPOCH = date(1899, 12, 30)
# Serial numbers of 1 Jan 1950 to 31 Dec 2100: a number outside is no date.
_SERIAL_RANGE = (18264, 73415)
DATE_FIELDS = ("signed_on", "starts_on", "ends_on", "dprd_date", "terminated_on")
TEXT_FIELDS = (
    "number",
    "partner_number",
    "title",
    "scope",
    "term_text",
    "note",
    "dprd_number",
    "parent_number",
    "file_path",
    "termination_reason",
)


def _cell_text(cell: Cell) -> str | None:
    """A cell as trimmed text; None for empty cells and the placeholders -, –, —."""
    if cell is None:
        return None
    if isinstance(cell, str):
        text = cell.strip()
    else:
        if isinstance(cell, float) and cell.is_integer():
            cell = int(cell)
        text = str(cell).strip()
    return None if text in _CLEAR else text


_CLEAR = frozenset(CLEAR)
_MISS = object()
LINK_FIELDS = ("doc_type", "partners", "partner_kind", "units")


def _split_names(text: str) -> tuple[str, ...]:
    """'A; B; a' -> ('A', 'B'): several partners or OPDs in one cell, each once."""
    if ";" not in text and "\n" not in text:
        name = vocab.clean_name(text)
        return (name,) if name and name not in _CLEAR else ()
    parts = text.replace("\n", ";").split(";")
    return tuple(vocab.unique(part for part in parts if part.strip() not in _CLEAR))


class Validator:
    """Turns raw rows into records, reading every cell as the register reads it.

    Each column gets one reader, built once, with a cache of what it has read
    (the value, or the error): a file repeats its dates, OPDs, kinds and bidang
    thousands of times, so most cells cost one dictionary lookup.
    """

    def __init__(self, columns: ColumnMap) -> None:
        self.columns = columns
        self.labels = {
            name: f'column "{columns.labels.get(name, name)}"'
            for name in (*RECORD_FIELDS, *LINK_FIELDS, "parent_number")
        }
        if "ends_on" not in columns.labels and "term_text" in columns.labels:
            self.labels["ends_on"] = self.labels["term_text"]  # a derived end
        self.positions = {name: position for position, name in columns.fields.items()}
        self.readers = [
            (position, name, *self._reader(name))
            for position, name in columns.fields.items()
            if name not in LINK_FIELDS
        ]
        self._doc_type = self._cached(
            lambda text: vocab.DOC_TYPES.match(
                text, field_name="doc_type", label=self.labels["doc_type"]
            )
        )
        self._partner_kind = self._cached(
            lambda text: vocab.PARTNER_KINDS.match(
                text, field_name="partner_kind", label=self.labels["partner_kind"]
            )
        )
        self._names = self._cached(_split_names)

    def label(self, name: str) -> str:
        return self.labels.get(name, f'column "{name}"')

    @staticmethod
    def _cached(read: Callable[[str], Any]) -> tuple[dict[Any, Any], Callable[[Cell], Any]]:
        """A cache and the reader that fills it; the reader returns errors, not raises."""
        cache: dict[Any, Any] = {}

        def slow(cell: Cell) -> Any:
            text = _cell_text(cell)
            try:
                value = None if text is None else read(text)
            except InvalidValue as error:
                value = error
            if len(cache) < 50_000:
                cache[cell] = value
            return value

        return cache, slow

    def _reader(self, name: str) -> tuple[dict[Any, Any] | None, Callable[[Cell], Any]]:
        label = self.labels[name]
        if name in TEXT_FIELDS:

            def text(cell: Cell) -> Any:
                value = cell.strip() if isinstance(cell, str) else _cell_text(cell)
                if value is None or value in _CLEAR:
                    return None
                if "\n" in value or "  " not in value:
                    return value
                return " ".join(value.split())

            return None, text

        parse_text = FIELD_READERS.get(name, FIELD_READERS["ends_on"])  # terminated_on: a date
        cache, by_text = self._cached(lambda text: parse_text(text, name, label))
        numeric = (
            self._serial_date if name in DATE_FIELDS else self._money if name == "value" else None
        )

        def read(cell: Cell) -> Any:
            if isinstance(cell, datetime):
                cell = cell.date()
            if isinstance(cell, date) and name in DATE_FIELDS:
                return cell
            if (
                numeric is not None
                and isinstance(cell, (int, float))
                and not isinstance(cell, bool)
            ):
                try:
                    return numeric(name, cell)
                except InvalidValue as error:
                    return error
            return by_text(cell)

        return cache, read

    def missing(self, name: str) -> InvalidValue:
        return InvalidValue.empty(name, self.label(name))

    def _serial_date(self, name: str, number: float) -> date:
        if not _SERIAL_RANGE[0] <= number <= _SERIAL_RANGE[1]:
            raise InvalidValue(name, number, "is a number, not a date", label=self.label(name))
        return _EXCEL_EPOCH + timedelta(days=int(number))

    def _money(self, name: str, number: float) -> Decimal:
        return parse.rupiah_from_number(number, field=name, label=self.label(name))

    def cell(self, cells: Sequence[Cell], name: str) -> Cell:
        position = self.positions.get(name)
        return cells[position] if position is not None and position < len(cells) else None

    def record(self, cells: Sequence[Cell]) -> tuple[dict[str, Any], list[InvalidValue]]:
        """One row's values (None left out) and everything wrong with it."""
        values: dict[str, Any] = {}
        errors: list[InvalidValue] = []
        width = len(cells)
        for position, name, cache, read in self.readers:
            if position >= width:
                continue
            cell = cells[position]
            if cell is None or cell == "":
                continue
            value = _MISS if cache is None else cache.get(cell, _MISS)
            if value is _MISS:
                value = read(cell)
            if value is None:
                continue
            if isinstance(value, InvalidValue):
                errors.append(value)
            else:
                values[name] = value
        self._links(cells, values, errors)
        if not errors:
            try:
                settle(values, self.labels)
            except InvalidValue as error:
                # Say it with the cell as the user typed it, not as it was read.
                typed = _cell_text(self.cell(cells, error.field))
                errors.append(
                    InvalidValue(
                        error.field,
                        typed if typed else error.value,
                        error.reason,
                        label=error.label,
                    )
                )
        if values.get("file_path") and not errors:
            self._document(values, errors)
        return values, errors

    def _lookup(self, reader: tuple[dict[Any, Any], Callable[[Cell], Any]], cell: Cell) -> Any:
        cache, slow = reader
        value = cache.get(cell, _MISS)
        return slow(cell) if value is _MISS else value

    def _links(
        self, cells: Sequence[Cell], values: dict[str, Any], errors: list[InvalidValue]
    ) -> None:
        for name in ("number", "title"):
            if name not in values:
                errors.append(self.missing(name))
        cell = self.cell
        doc_type = self._lookup(self._doc_type, cell(cells, "doc_type"))
        if doc_type is None:
            errors.append(self.missing("doc_type"))
        elif isinstance(doc_type, InvalidValue):
            errors.append(doc_type)
        else:
            values["doc_type"] = doc_type
        names = self._lookup(self._names, cell(cells, "partners")) or ()
        if not names:
            errors.append(self.missing("partners"))
        kinds: list[str] = []
        kinds_cell = cell(cells, "partner_kind")
        if kinds_cell is not None and kinds_cell != "":
            for kind_text in self._lookup(self._names, kinds_cell) or ():
                kind = self._lookup(self._partner_kind, kind_text)
                if isinstance(kind, InvalidValue):
                    errors.append(kind)
                else:
                    kinds.append(kind)
        if len(kinds) > 1 and len(kinds) != len(names):
            errors.append(
                InvalidValue(
                    "partner_kind",
                    _cell_text(kinds_cell),
                    f"gives {len(kinds)} kinds for {len(names)} partners",
                    label=self.label("partner_kind"),
                )
            )
        if len(kinds) == 1:
            kinds = kinds * len(names)
        values["partners"] = tuple(
            (name, kinds[index] if kinds else None) for index, name in enumerate(names)
        )
        values["units"] = self._lookup(self._names, cell(cells, "units")) or ()

    def _document(self, values: dict[str, Any], errors: list[InvalidValue]) -> None:
        path = Path(values["file_path"]).expanduser()
        if not path.is_file():
            errors.append(
                InvalidValue(
                    "file_path",
                    values["file_path"],
                    "is not a file that exists",
                    label=self.label("file_path"),
                )
            )
            return
        values["file_path"] = str(path.resolve())
        values["file_sha256"] = file_digest(path.resolve())


# --------------------------------------------------------------------- writing

RECORD_FIELDS = (
    *FIELD_READERS,
    "ends_on_derived",
    "file_path",
    "file_sha256",
    "terminated_on",
    "termination_reason",
)
COMPARED = tuple(name for name in RECORD_FIELDS if name != "ends_on_derived")
PARENT_TYPES = {
    "pks": ("kb", "nota-kesepakatan"),
    "adendum": ("kb", "pks", "nota-kesepakatan", "adendum"),
}
INSERTED = (
    *RECORD_FIELDS,
    "doc_type",
    "number_key",
    "version",
    "created_at",
    "updated_at",
    "parent_id",
)
BATCH = 5_000


ROW_FIELDS = (*RECORD_FIELDS, "doc_type", "partners", "units", "parent_number")
_ROW_INDEX = {name: index for index, name in enumerate(ROW_FIELDS)}
_RECORD_SLICE = slice(0, len(RECORD_FIELDS))


class Record(tuple[Any, ...]):
    """One validated row, read by field name: a tuple, a quarter of a dict's memory.

    100,000 rows are held at once (a PKS may name a KB further down the file).
    """

    __slots__ = ()

    @staticmethod
    def plain(values: dict[str, Any]) -> tuple[Any, ...]:
        """A record's values as a plain tuple: what crosses to the writing process."""
        values.setdefault("ends_on_derived", False)  # only settle() sets it, to True
        return tuple(map(values.get, ROW_FIELDS))

    def get(self, name: str, default: Any = None) -> Any:
        value = tuple.__getitem__(self, _ROW_INDEX[name])
        return default if value is None else value

    def __getitem__(self, name: str) -> Any:  # type: ignore[override]
        return tuple.__getitem__(self, _ROW_INDEX[name])

    def record_fields(self) -> tuple[Any, ...]:
        """The RECORD_FIELDS values in order: they lead the tuple, so one slice."""
        return tuple.__getitem__(self, _RECORD_SLICE)

    def replace(self, **changes: Any) -> Record:
        values = list(self)
        for name, value in changes.items():
            values[_ROW_INDEX[name]] = value
        return Record(values)


@dataclass(slots=True)
class Row:
    number: int
    key: tuple[str, str]
    values: Record
    parent_key: str | None = None  # the parent's number, folded as number keys are


# A valid row as validation hands it on: (row number, key, Record.plain(...),
# parent key). Plain tuples, so that pickle sends them in C between processes.
PlainRow = tuple[int, tuple[str, str], tuple[Any, ...], str | None]


def as_rows(chunk: list[PlainRow]) -> list[Row]:
    return [Row(number, key, Record(values), parent) for number, key, values, parent in chunk]


_SIGNED = tuple(name for name in COMPARED if name != "number")
_NAME = itemgetter(0)


def _signature(values: Mapping[str, Any] | Record) -> tuple[Any, ...]:
    """What makes two versions of a document the same: values, and names by their keys.

    The number itself is the key already; a change of its case alone is none.
    """
    parent = values.get("parent_number")
    return (
        # map() over dict.get runs in C: this is done for every row of a file.
        *map(values.get, _SIGNED),
        tuple(map(vocab.name_key, map(_NAME, values["partners"]))),
        tuple(map(vocab.name_key, values["units"])),
        number_key(parent) if parent else None,
    )


def _fingerprint(values: Mapping[str, Any]) -> int:
    """A 64-bit hash of a row's signature, to tell a harmless repeat from a clash
    without holding the first row: two different rows of one number would have
    to collide (odds of 1 in 2**64) to pass as a repeat."""
    return hash(_signature(values))


Key = tuple[str, str]


class _Ids:
    """Agreement ids by (doc_type, number key), and by number for finding parents."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_key: dict[Key, int] = {}
        self.by_number: dict[str, list[tuple[str, int]]] = {}
        self.newest = 0
        self.refresh()

    def refresh(self) -> None:
        """Read only the ids added since the last read: one small query a level."""
        table = agreement_table
        query = select(table.c.id, table.c.doc_type, table.c.number_key).where(
            table.c.id > self.newest, table.c.region == LOCAL_REGION
        )
        newest = self.newest
        for ident, doc_type, key in fetch_plain(self.session.connection(), query):
            self.by_key[(doc_type, key)] = ident
            self.by_number.setdefault(key, []).append((doc_type, ident))
            if ident > newest:
                newest = ident
        self.newest = newest

    def parent(self, doc_type: str, parent_key: str | None) -> int | None:
        return _fitting_parent(self.by_number, doc_type, parent_key)


def _fitting_parent(
    known: Mapping[str, list[tuple[str, int]]], doc_type: str, parent_key: str | None
) -> int | None:
    """The id of a document numbered ``parent_key`` that a ``doc_type`` may belong to."""
    if not parent_key:
        return None
    allowed = PARENT_TYPES.get(doc_type, ())
    for candidate_type, ident in known.get(parent_key, ()):
        if candidate_type in allowed:
            return ident
    return None


def names_to_ids(
    session: Session,
    model: type[Partner] | type[Unit],
    wanted: Mapping[str, tuple[str, str | None]],
) -> dict[str, int]:
    """Ids of partners/units by name key, creating those the register lacks.

    ``wanted``: name key -> (name, partner kind or OPD code). A partner kind
    given replaces the one stored, as `update` does.
    """
    ids = {key: ident for ident, key in session.execute(select(model.id, model.name_key))}
    if model is Partner:
        stored: dict[str, str | None] = {}
        for key, kind in session.execute(select(Partner.name_key, Partner.kind)):
            stored[key] = kind
        changes = [
            {"target_id": ids[key], "new_kind": kind}
            for key, (_name, kind) in wanted.items()
            if key in ids and kind and stored.get(key) != kind
        ]
        if changes:
            session.execute(
                update(partner_table)
                .where(partner_table.c.id == bindparam("target_id"))
                .values(kind=bindparam("new_kind")),
                changes,
            )
    missing = [key for key in wanted if key not in ids]
    if missing:
        table = cast(Table, model.__table__)
        if model is Partner:
            rows: list[tuple[Any, ...]] = [
                (wanted[k][0], k, wanted[k][1] or vocab.guess_partner_kind(wanted[k][0]))
                for k in missing
            ]
            insert_rows(session.connection(), table, ("name", "name_key", "kind"), rows)
        else:  # an OPD's second value is its code
            insert_rows(
                session.connection(),
                table,
                ("name", "name_key", "code"),
                [(wanted[k][0], k, wanted[k][1]) for k in missing],
            )
        ids = {key: ident for ident, key in session.execute(select(model.id, model.name_key))}
    return ids


def _existing(session: Session) -> dict[Key, dict[str, Any]]:
    """The register's agreements as the import compares them, links included."""
    table = agreement_table
    parent = table.alias("parent")
    query = select(
        table.c.id,
        table.c.doc_type,
        table.c.number_key,
        table.c.version,
        *(table.c[name] for name in COMPARED),
        parent.c.number.label("parent_number"),
    )
    query = query.outerjoin(parent, parent.c.id == table.c.parent_id).where(
        table.c.region == LOCAL_REGION
    )
    existing = {}
    by_id = {}
    for item in session.execute(query).mappings():
        record = dict(item)
        record["partners"], record["units"] = [], []
        existing[(item["doc_type"], item["number_key"])] = record
        by_id[item["id"]] = record
    if not existing:
        return existing
    for agreement_id, name, kind in session.execute(
        select(agreement_partner.c.agreement_id, Partner.name, Partner.kind)
        .join(Partner, Partner.id == agreement_partner.c.partner_id)
        .order_by(agreement_partner.c.agreement_id, agreement_partner.c.position)
    ):
        if agreement_id in by_id:  # merged regions' agreements are not compared
            by_id[agreement_id]["partners"].append((name, kind))
    for agreement_id, name in session.execute(
        select(agreement_unit.c.agreement_id, Unit.name)
        .join(Unit, Unit.id == agreement_unit.c.unit_id)
        .order_by(agreement_unit.c.agreement_id, agreement_unit.c.position)
    ):
        if agreement_id in by_id:
            by_id[agreement_id]["units"].append(name)
    return existing


def _classify(
    rows: list[Row],
    existing: Mapping[Key, dict[str, Any]],
    summary: FileSummary,
    options: ImportOptions,
) -> tuple[list[Row], list[tuple[Row, dict[str, Any]]]]:
    new_rows: list[Row] = []
    changed: list[tuple[Row, dict[str, Any]]] = []
    for row in rows:
        current = existing.get(row.key)
        if current is None:
            new_rows.append(row)
        elif _signature(current) == _signature(row.values):
            summary.unchanged += 1
        elif options.on_conflict == "update":
            row.values = row.values.replace(number=current["number"])  # the register's spelling
            changed.append((row, current))
        elif options.on_conflict == "fail":
            raise Conflict(
                f"{summary.source}:{row.number}: {row.values['number']!r} is already in the "
                "register with other values; nothing was imported",
                hint="use --on-conflict update to change it, or skip to leave it",
            )
        else:
            summary.skipped += 1
    return new_rows, changed


def _insert_new(session: Session, new_rows: list[Row], ids: _Ids, now: datetime) -> None:
    """Insert parents before children (a KB may follow its PKS in the file), so each
    row carries its parent_id from the start: no second pass over the table."""
    connection = session.connection()
    pending = new_rows
    while pending:
        in_file = {row.key[1] for row in pending}
        ready = [
            row
            for row in pending
            if row.parent_key is None
            or row.parent_key not in in_file
            or ids.parent(row.key[0], row.parent_key) is not None
        ]
        if not ready:  # a cycle of parents: leave them unlinked rather than loop
            ready = pending
        insert_rows(
            connection,
            agreement_table,
            INSERTED,
            (
                (
                    *row.values.record_fields(),
                    row.key[0],
                    row.key[1],
                    1,
                    now,
                    now,
                    ids.parent(row.key[0], row.parent_key),
                )
                for row in ready
            ),
        )
        ids.refresh()
        chosen = {id(row) for row in ready}
        pending = [row for row in pending if id(row) not in chosen]


def _update_changed(
    session: Session, changed: Sequence[tuple[Row, Mapping[str, Any]]], ids: _Ids, now: datetime
) -> None:
    if not changed:
        return
    table = agreement_table
    statement = (
        update(table)
        .where(table.c.id == bindparam("target_id"))
        .values(
            {name: bindparam(f"new_{name}") for name in RECORD_FIELDS}
            | {
                "version": bindparam("new_version"),
                "updated_at": bindparam("new_at"),
                "parent_id": bindparam("new_parent"),
            }
        )
    )
    session.execute(
        statement,
        [
            {
                "target_id": current["id"],
                "new_version": current["version"] + 1,
                "new_at": now,
                "new_parent": ids.parent(row.key[0], row.parent_key),
                **{f"new_{name}": row.values.get(name) for name in RECORD_FIELDS},
            }
            for row, current in changed
        ],
    )
    changed_ids = [current["id"] for _row, current in changed]
    for start in range(0, len(changed_ids), BATCH):
        chunk = changed_ids[start : start + BATCH]
        session.execute(
            delete(agreement_partner).where(agreement_partner.c.agreement_id.in_(chunk))
        )
        session.execute(delete(agreement_unit).where(agreement_unit.c.agreement_id.in_(chunk)))


def _differences(
    current: Mapping[str, Any], values: Mapping[str, Any] | Record
) -> list[tuple[str, str | None, str | None]]:
    changes = [
        (name, as_text(current.get(name)), as_text(values.get(name)))
        for name in COMPARED
        if current.get(name) != values.get(name)
    ]
    for name in ("partners", "units"):
        old = "; ".join(p[0] if isinstance(p, tuple) else p for p in current[name]) or None
        new = "; ".join(p[0] if isinstance(p, tuple) else p for p in values[name]) or None
        if old != new:
            changes.append((name, old, new))
    old_parent, new_parent = current.get("parent_number"), values.get("parent_number")
    if (number_key(old_parent) if old_parent else None) != (
        number_key(new_parent) if new_parent else None
    ):
        changes.append(("parent", old_parent, new_parent))
    return changes


DOC_LABELS = {code: vocab.DOC_TYPES.label(code) for code in vocab.DOC_TYPES.codes}


class _Writer:
    """Writes validated rows, chunk by chunk, inside the import's one transaction.

    The register as it was before the import (for comparing) and the ids of
    its agreements (for parents) are read once; ids grow as rows go in. A row
    whose parent is not in the register yet waits: it may come further down
    the file. ``finish`` checks and writes what still waits.
    """

    def __init__(
        self,
        session: Session,
        summary: FileSummary,
        options: ImportOptions,
        actor: Actor,
        columns: ColumnMap,
    ) -> None:
        self.session = session
        self.summary = summary
        self.options = options
        self.actor = actor
        self.columns = columns
        prepare(session.connection())
        self.existing = _existing(session)
        self.ids = _Ids(session)
        self.now = parse.now_utc()
        self.waiting: list[Row] = []

    def _parent_known(self, row: Row) -> bool:
        return self.ids.parent(row.key[0], row.parent_key) is not None

    def add(self, rows: list[Row]) -> None:
        in_chunk = {row.key[1] for row in rows}
        ready = []
        for row in rows:
            if row.parent_key and row.parent_key not in in_chunk and not self._parent_known(row):
                self.waiting.append(row)
            else:
                ready.append(row)
        self._write(_check_parents(ready, self.summary, self.columns, self.ids.by_number))
        if self.waiting:
            arrived = [row for row in self.waiting if self._parent_known(row)]
            if arrived:
                self.waiting = [row for row in self.waiting if not self._parent_known(row)]
                self._write(arrived)

    def finish(self) -> None:
        """Write what waited for a parent; a parent that never came makes the row invalid."""
        rows, self.waiting = self.waiting, []
        self._write(_check_parents(rows, self.summary, self.columns, self.ids.by_number))

    def _write(self, rows: list[Row]) -> None:
        if not rows:
            return
        session, summary, options, actor = self.session, self.summary, self.options, self.actor
        new_rows, changed = _classify(rows, self.existing, summary, options)
        now = self.now
        touched = [*new_rows, *(row for row, _current in changed)]
        partners: dict[str, tuple[str, str | None]] = {}
        units: dict[str, tuple[str, str | None]] = {}
        # Each row's partners and OPDs, read once: the links below use them again.
        links = [(row.values["partners"], row.values["units"]) for row in touched]
        for row_partners, row_units in links:
            for name, kind in row_partners:
                key = vocab.name_key(name)
                if key not in partners or (kind and not partners[key][1]):
                    partners[key] = (name, kind)
            for name in row_units:
                units.setdefault(vocab.name_key(name), (name, None))
        partner_ids = names_to_ids(session, Partner, partners)
        unit_ids = names_to_ids(session, Unit, units)

        ids = self.ids
        _insert_new(session, new_rows, ids, now)
        _update_changed(session, changed, ids, now)
        connection = session.connection()
        agreement_ids = [ids.by_key[row.key] for row in touched]
        insert_rows(
            connection,
            agreement_partner,
            ("agreement_id", "partner_id", "position"),
            (
                (agreement_id, partner_ids[vocab.name_key(name)], position)
                for agreement_id, (row_partners, _units) in zip(agreement_ids, links, strict=True)
                for position, (name, _kind) in enumerate(row_partners)
            ),
        )
        insert_rows(
            connection,
            agreement_unit,
            ("agreement_id", "unit_id", "position"),
            (
                (agreement_id, unit_ids[vocab.name_key(name)], position)
                for agreement_id, (_partners, row_units) in zip(agreement_ids, links, strict=True)
                for position, name in enumerate(row_units)
            ),
        )
        source = Path(summary.source).name
        history_columns = ("agreement_id", "at", "user_name", "command", "field", "old", "new")
        created = (
            (
                ids.by_key[row.key],
                now,
                actor.user,
                actor.command,
                "dibuat",
                None,
                f"{DOC_LABELS[row.key[0]]} {row.values['number']} ({source}:{row.number})",
            )
            for row in new_rows
        )
        updated = (
            (current["id"], now, actor.user, actor.command, name, old, new)
            for row, current in changed
            for name, old, new in _differences(current, row.values)
        )
        insert_rows(connection, history_table, history_columns, created)
        insert_rows(connection, history_table, history_columns, updated)
        summary.created += len(new_rows)
        summary.updated += len(changed)


# ------------------------------------------------------------------ the import


def validate(
    source: str,
    columns: ColumnMap,
    raw_rows: RawRows,
    summary: FileSummary,
    progress: Callable[[int], None] | None,
    first: int = BATCH,
) -> Iterator[list[PlainRow]]:
    """The valid rows, a chunk at a time (the first ``first`` rows long, then BATCH);
    the rest go to the summary as problems."""
    validator = Validator(columns)
    rows: list[PlainRow] = []
    # Each document's first row and a hash of its values: enough to tell a
    # harmless repeat from a clash, without holding 100,000 rows.
    first_row: dict[tuple[str, str], tuple[int, int]] = {}
    for count, (number, cells) in enumerate(raw_rows, start=1):
        summary.rows += 1
        if progress is not None and count % 1000 == 0:
            progress(count)
        values, errors = validator.record(cells)
        if not errors:
            key = (values["doc_type"], number_key(values["number"]))
            earlier = first_row.get(key)
            fingerprint = _fingerprint(values)
            if earlier is None:
                parent = values.get("parent_number")
                first_row[key] = (number, fingerprint)
                rows.append(
                    (number, key, Record.plain(values), number_key(parent) if parent else None)
                )
                if len(rows) >= first:
                    yield rows
                    rows = []
                    first = BATCH
                continue
            if earlier[1] == fingerprint:
                continue  # the same row twice: harmless
            errors.append(
                InvalidValue(
                    "number",
                    values["number"],
                    f"appears twice in the file with different contents (rows {earlier[0]} "
                    f"and {number})",
                    label=validator.label("number"),
                )
            )
        summary.invalid += 1
        summary.problems += [Problem(source, number, e.message, e.label) for e in errors]
    if rows:
        yield rows
    if progress is not None:
        progress(summary.rows)


def _sort_problems(summary: FileSummary) -> None:
    summary.problems.sort(key=lambda p: p.row or 0)


def _check_parents(
    rows: list[Row],
    summary: FileSummary,
    columns: ColumnMap,
    known: Mapping[str, list[tuple[str, int]]],
) -> list[Row]:
    """A parent number must name a fitting document in these rows or the register.

    ``known``: the register's agreements by number key (those this import has
    written so far included), as (doc type, id).
    """
    in_file: dict[str, list[str]] | None = None
    kept = []
    label = f'column "{columns.labels.get("parent_number", "parent_number")}"'
    for row in rows:
        if row.parent_key:
            if _fitting_parent(known, row.key[0], row.parent_key) is not None:
                kept.append(row)  # the usual case: a fitting parent in the register
                continue
            allowed = PARENT_TYPES.get(row.key[0], ())
            if in_file is None:
                in_file = {}
                for doc_type, number in (other.key for other in rows):
                    in_file.setdefault(number, []).append(doc_type)
            parent_number = row.values["parent_number"]
            types = in_file.get(row.parent_key, []) + [
                doc_type for doc_type, _id in known.get(row.parent_key, ())
            ]
            if not allowed:
                reason = f"is given, but a {vocab.DOC_TYPES.label(row.key[0])} has no parent"
            elif not types:
                reason = "names no document in the register or in the file"
            elif not set(types) & set(allowed):
                reason = (
                    f"is a {vocab.DOC_TYPES.label(types[0])}; a "
                    f"{vocab.DOC_TYPES.label(row.key[0])} belongs to a "
                    + " or ".join(vocab.DOC_TYPES.label(t) for t in allowed)
                )
            else:
                reason = ""
            if reason:
                summary.invalid += 1
                summary.problems.append(
                    Problem(
                        summary.source, row.number, f"{label}: {parent_number!r} {reason}", label
                    )
                )
                continue
        kept.append(row)
    return kept


# Evaluations and findings name agreements by number: their files go after the
# register's when several files are imported at once.
_TYPE_RANK = {"agreements": 0, "evaluations": 1, "findings": 2}


def in_dependency_order(paths: Sequence[str], options: ImportOptions) -> list[str]:
    """``paths`` with register files first, then evaluations, then findings.

    `kerjasama import *.csv` lists evaluasi-2021.csv before register-2021.csv;
    imported in that order every evaluation would name an agreement not yet
    there. The order within a type is kept. Each file's header is read to tell
    (a large workbook is thus opened twice); standard input cannot be read
    twice, so with '-' among them the order stays as given.
    """
    if options.type is not None or len(paths) < 2 or "-" in paths:
        return list(paths)
    rank = {path: _TYPE_RANK.get(_detected_type(path, options.sheet) or "", 0) for path in paths}
    return sorted(paths, key=rank.__getitem__)


def _detected_type(path: str, sheet: str | None) -> str | None:
    """What a file's header says it holds; None if it cannot be read (its import says why)."""
    try:
        return map_columns(open_source(path, sheet).header, None).type
    except KerjasamaError:
        return None


def import_file(
    register: Register,
    path: str,
    options: ImportOptions,
    *,
    actor: Actor,
    progress: Callable[[int], None] | None = None,
) -> FileSummary:
    """Import one file in one transaction: all of it, or (with invalid rows) none of it."""
    if options.on_conflict not in ("update", "skip", "fail"):
        raise InvalidValue(
            "on_conflict",
            options.on_conflict,
            "is not a conflict mode",
            label="--on-conflict",
            hint="choose update, skip or fail",
        )
    if options.parallel is not False:
        from kerjasama_cli.importing_pipeline import import_in_two_processes, worth_a_second_process

        if options.parallel or worth_a_second_process(path):
            summary = import_in_two_processes(
                register, path, options, actor=actor, progress=progress
            )
            if summary is not None:
                return summary
    opened = open_source(path, options.sheet)
    columns = map_columns(opened.header, options.type)
    summary = start_summary(opened.label, columns)
    if columns.type != "agreements":
        return _import_evaluation_rows(register, opened, columns, summary, options, actor)
    require_columns(opened.label, columns)
    chunks = map(as_rows, validate(opened.label, columns, opened.rows, summary, progress))
    return write_chunks(register, chunks, summary, columns, options, actor)


def start_summary(source: str, columns: ColumnMap) -> FileSummary:
    summary = FileSummary(source, columns.type)
    summary.warnings += [
        Problem(source, 1, f'column "{name}" is not known; ignored', name)
        for name in columns.unknown
    ]
    return summary


def require_columns(source: str, columns: ColumnMap) -> None:
    missing = [name for name in REQUIRED_COLUMNS if name not in columns.labels]
    if missing:
        names = ", ".join(f'"{AGREEMENT_COLUMNS[m][0]}" ({m})' for m in missing)
        raise ImportFailed(
            f"{source}: the header has no column for {names}",
            hint="see README for the column names and their aliases",
        )


def write_chunks(
    register: Register,
    chunks: Iterable[list[Row]],
    summary: FileSummary,
    columns: ColumnMap,
    options: ImportOptions,
    actor: Actor,
) -> FileSummary:
    """Write validated chunks in one transaction: all of them, or none if any row is invalid."""
    try:
        with register.writing() as session:
            writer = _Writer(session, summary, options, actor, columns)
            for chunk in chunks:
                writer.add(chunk)
            writer.finish()
            _sort_problems(summary)
            if summary.invalid and not options.skip_invalid:
                # All or nothing: what was written goes back, and the summary says so.
                summary.created = summary.updated = summary.unchanged = summary.skipped = 0
                raise _RollBack
            if options.dry_run:
                raise _RollBack  # the same work as a real import, then rolled back
    except _RollBack:
        return summary
    summary.written = True
    return summary


class _RollBack(Exception):
    """Ends the import's transaction without committing it (dry run, invalid rows)."""


def _import_evaluation_rows(
    register: Register,
    opened: Source,
    columns: ColumnMap,
    summary: FileSummary,
    options: ImportOptions,
    actor: Actor,
) -> FileSummary:
    from kerjasama_cli.importing_evaluations import import_rows

    required = ("number", "level") if columns.type == "evaluations" else ("number", "text")
    missing = [name for name in required if name not in columns.labels]
    if missing:
        raise ImportFailed(
            f"{opened.label}: the header has no column for "
            + ", ".join(repr(name) for name in missing),
            hint="see README for the column names and their aliases",
        )
    counts, problems, blank, written = import_rows(
        register,
        columns.type,
        opened.label,
        opened.rows,
        columns.fields,
        columns.labels,
        sheet=opened.sheet,
        dry_run=options.dry_run,
        on_conflict=options.on_conflict,
        skip_invalid=options.skip_invalid,
        actor=actor,
    )
    summary.rows = sum(counts.values()) + len(problems) + len(blank)
    summary.created, summary.updated = counts["created"], counts["updated"]
    summary.unchanged, summary.skipped = counts["unchanged"], counts["skipped"]
    summary.invalid = len(problems)
    summary.problems = sorted(
        (Problem(opened.label, row, error.message, error.label) for row, error in problems),
        key=lambda p: p.row or 0,
    )
    if blank:
        summary.warnings.append(
            Problem(
                opened.label,
                None,
                f"{len(blank)} rows left empty were not imported (rows "
                + ", ".join(str(row) for row in blank[:10])
                + (", ..." if len(blank) > 10 else "")
                + ")",
            )
        )
    summary.written = written
    return summary
