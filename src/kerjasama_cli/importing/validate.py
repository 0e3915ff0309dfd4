"""Cells -> typed values: each row read as the register reads what people type.

Each column gets one reader, built once, with a cache of what it has read; a
row becomes a plain record (a tuple, read by field name) or a list of problems.
Cross-row checks follow: a number twice in the file with different contents.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import Any

from kerjasama_cli import parse, vocab
from kerjasama_cli.errors import InvalidValue
from kerjasama_cli.importing.columns import ColumnMap
from kerjasama_cli.importing.sources import Cell, RawRows
from kerjasama_cli.importing.summary import FileSummary, Problem
from kerjasama_cli.register import CLEAR, FIELD_READERS, file_digest, number_key, settle

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



RECORD_FIELDS = (
    *FIELD_READERS,
    "ends_on_derived",
    "file_path",
    "file_sha256",
    "terminated_on",
    "termination_reason",
)
COMPARED = tuple(name for name in RECORD_FIELDS if name != "ends_on_derived")
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


Key = tuple[str, str]
_SIGNED = tuple(name for name in COMPARED if name != "number")
_NAME = itemgetter(0)


def signature(values: Mapping[str, Any] | Record) -> tuple[Any, ...]:
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
    return hash(signature(values))



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

