"""Cells -> typed values: each row read as the register reads what people type.

Each column gets one reader, built once, with a cache of what it has read; a
row becomes a plain record (a tuple, read by field name) or a list of
problems. Cross-row checks follow: a number twice in the file with different
contents. What a row does not say, a section heading or the sheet's name may
(its document type, its kind); what the file says of many rows at once (a
term that gives no end, a column without a header that holds data) becomes
one warning.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from kerjasama_cli import parse, vocab
from kerjasama_cli.errors import InvalidValue
from kerjasama_cli.importing.columns import ColumnMap
from kerjasama_cli.importing.layout import EMPTY, Context, column_letter
from kerjasama_cli.importing.parties import RegionItself, split_names
from kerjasama_cli.importing.records import (
    BATCH,
    RECORD_FIELDS,
    Key,
    PlainRow,
    Record,
    fingerprint,
)
from kerjasama_cli.importing.sources import Cell
from kerjasama_cli.importing.summary import FileSummary, Problem
from kerjasama_cli.register import CLEAR, FIELD_READERS, file_digest, number_key, settle
from kerjasama_cli.register.fields import no_end_reason

if TYPE_CHECKING:
    from kerjasama_cli.importing.plan import TablePlan

_EXCEL_EPOCH = date(1899, 12, 30)
# Serial numbers of 1 Jan 1950 to 31 Dec 2100: a number outside is no date.
_SERIAL_RANGE = (18264, 73415)
DATE_FIELDS = ("signed_on", "starts_on", "ends_on", "dprd_date", "terminated_on")
# A whole number in one of these columns is a year ("2021"), not a serial.
YEAR_FIELDS = {"signed_on": False, "starts_on": False, "ends_on": True}
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
# "Pelaksanaan KB Nomor 180/03/KB/I.01/2017": a document named in a note.
_NAMED_DOCUMENT = re.compile(
    r"\b(?:nomor|nomer|no)\b\.?\s*:?\s*([0-9A-Za-z][0-9A-Za-z.\-]*/[0-9A-Za-z./\-]*[0-9A-Za-z])",
    re.IGNORECASE,
)


def named_document(note: str) -> str | None:
    """The number of the first document a note names ("... KB Nomor 180/03/KB/2017")."""
    match = _NAMED_DOCUMENT.search(note)
    return match.group(1) if match else None


class _Parties(NamedTuple):
    """A "Mitra" cell that names the region itself besides its partners.

    A cell that names partners only is read as the plain tuple of their names:
    a file's cells are cached by the thousand, and most are that.
    """

    names: tuple[str, ...]  # the partners: the parties listed but the region itself
    kept: tuple[int, ...]  # which of those listed they are
    listed: tuple[str, ...]


_NONE = itertools.repeat(None)


class Validator:
    """Turns raw rows into records, reading every cell as the register reads it.

    Each column gets one reader, built once, with a cache of what it has read
    (the value, or the error): a file repeats its dates, OPDs, kinds and bidang
    thousands of times, so most cells cost one dictionary lookup.
    """

    def __init__(
        self,
        columns: ColumnMap,
        context: Context | None = None,
        region: RegionItself | None = None,
    ) -> None:
        self.columns = columns
        self.context = context or Context()
        self.region = region or RegionItself()
        self.labels = {
            name: f'column "{columns.labels.get(name, name)}"'
            for name in (*RECORD_FIELDS, *LINK_FIELDS, "parent_number")
        }
        if "ends_on" not in columns.labels and "term_text" in columns.labels:
            self.labels["ends_on"] = self.labels["term_text"]  # a derived end
        if "doc_type" not in columns.labels:
            self.labels["doc_type"] = 'column "Jenis Dokumen" (none in the table)'
        self.positions = {name: position for position, name in columns.fields.items()}
        self.partner_positions = columns.extra.get("partners", ())
        self.partners_position = self.positions.get("partners")
        self.kinds_given = "partner_kind" in self.positions
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
        self._names = self._cached(split_names)
        self._parties = self._cached(self._read_parties)
        # Columns without a header that hold data: column -> rows holding some.
        self.unlabeled = columns.unlabeled
        self.unlabeled_data: dict[int, int] = {}
        self.width = columns.width

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

        parse_text = FIELD_READERS.get(name, FIELD_READERS["dprd_date"])  # terminated_on: a date
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
        if name in YEAR_FIELDS and float(number).is_integer() and 1900 <= number <= 2200:
            return parse.period(int(number), None, end=YEAR_FIELDS[name])  # "2021": a year
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
        if "kind" not in values and self.context.kind:
            values["kind"] = self.context.kind
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
        if self.unlabeled or width > self.width:
            self._count_unlabeled(cells)
        return values, errors

    def _count_unlabeled(self, cells: Sequence[Cell]) -> None:
        for position in (*self.unlabeled, *range(self.width, len(cells))):
            if position < len(cells) and cells[position] not in EMPTY:
                self.unlabeled_data[position] = self.unlabeled_data.get(position, 0) + 1

    def _lookup(self, reader: tuple[dict[Any, Any], Callable[[Cell], Any]], cell: Cell) -> Any:
        cache, slow = reader
        value = cache.get(cell, _MISS)
        return slow(cell) if value is _MISS else value

    def _read_parties(self, text: str) -> tuple[str, ...] | _Parties:
        """The partners a cell lists, the region itself left out (read once per cell)."""
        listed = split_names(text)
        if not self.region:
            return listed
        kept = tuple(i for i, name in enumerate(listed) if not self.region.matches(name))
        if len(kept) == len(listed):
            return listed
        return _Parties(tuple(listed[i] for i in kept), kept, listed)

    def _partners_cell(self, cells: Sequence[Cell]) -> Cell:
        """The cells of "Pihak I" and "Pihak II" (several columns) as one."""
        filled = [
            str(cells[p]).strip()
            for p in self.partner_positions
            if p < len(cells) and cells[p] not in EMPTY
        ]
        return "\n".join(filled) if filled else None

    def _links(
        self, cells: Sequence[Cell], values: dict[str, Any], errors: list[InvalidValue]
    ) -> None:
        for name in ("number", "title"):
            if name not in values:
                errors.append(self.missing(name))
        cell = self.cell
        doc_type = self._lookup(self._doc_type, cell(cells, "doc_type"))
        if doc_type is None:
            doc_type = self.context.doc_type
        if doc_type is None:
            errors.append(self.missing("doc_type"))
        elif isinstance(doc_type, InvalidValue):
            errors.append(doc_type)
        else:
            values["doc_type"] = doc_type
        if self.partner_positions:
            partners_cell = self._partners_cell(cells)
        else:
            position = self.partners_position
            partners_cell = (
                cells[position] if position is not None and position < len(cells) else None
            )
        parties: tuple[str, ...] | _Parties = self._lookup(self._parties, partners_cell) or ()
        names = parties if parties.__class__ is tuple else parties.names  # type: ignore[union-attr]
        if not names:
            if isinstance(parties, _Parties):
                errors.append(
                    InvalidValue(
                        "partners",
                        "; ".join(parties.listed),
                        "names only the region itself: who is the partner?",
                        label=self.label("partners"),
                    )
                )
            else:
                errors.append(self.missing("partners"))
        kinds_cell = cell(cells, "partner_kind") if self.kinds_given else None
        if kinds_cell is None or kinds_cell == "":
            # The usual case: no kinds column; _NONE never ends, names do.
            values["partners"] = tuple(zip(names, _NONE, strict=False))
        else:
            values["partners"] = self._with_kinds(parties, kinds_cell, errors)
        values["units"] = self._lookup(self._names, cell(cells, "units")) or ()

    def _with_kinds(
        self, parties: tuple[str, ...] | _Parties, kinds_cell: Cell, errors: list[InvalidValue]
    ) -> tuple[tuple[str, str | None], ...]:
        """Partners with their kinds: one kind for all, or one per party listed."""
        kinds: list[str] = []
        for kind_text in self._lookup(self._names, kinds_cell) or ():
            kind = self._lookup(self._partner_kind, kind_text)
            if isinstance(kind, InvalidValue):
                errors.append(kind)
            else:
                kinds.append(kind)
        if isinstance(parties, _Parties):
            names = parties.names
            if len(kinds) == len(parties.listed):
                kinds = [kinds[i] for i in parties.kept]  # one per party listed, the region's too
        else:
            names = parties
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
        return tuple(
            (name, kinds[index] if index < len(kinds) else None) for index, name in enumerate(names)
        )

    def _document(self, values: dict[str, Any], errors: list[InvalidValue]) -> None:
        try:
            path = Path(values["file_path"]).expanduser()
            exists = path.is_file()
        except (OSError, RuntimeError):
            exists = False
        if not exists:
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


@dataclass
class _Pending:
    """What validation learns across rows, told in the summary once at the end."""

    no_end: list[tuple[str | None, int, str, str]]  # (sheet, row, term, why)


def validate(
    tables: Sequence[TablePlan],
    summary: FileSummary,
    region: RegionItself,
    progress: Callable[[int], None] | None,
    first: int = BATCH,
) -> Iterator[list[PlainRow]]:
    """The valid rows of the file's agreement tables, a chunk at a time (the first
    ``first`` rows long, then BATCH); the rest go to the summary as problems."""
    source = summary.source
    rows: list[PlainRow] = []
    # Each document's first row and a hash of its values: enough to tell a
    # harmless repeat from a clash, without holding 100,000 rows.
    first_row: dict[tuple[str, str], tuple[int, int, int]] = {}
    pending = _Pending([])
    count = 0
    for table_index, table in enumerate(tables):
        sheet = table.raw.sheet
        row_filter = table.row_filter()
        validator = Validator(table.columns, row_filter.context, region)
        for number, cells in row_filter.rows(table.raw):
            count += 1
            summary.rows += 1
            if progress is not None and count % 1000 == 0:
                progress(count)
            values, errors = validator.record(cells)
            if not errors:
                key = (values["doc_type"], number_key(values["number"]))
                earlier = first_row.get(key)
                stamp = fingerprint(values)
                if earlier is None:
                    first_row[key] = (table_index, number, stamp)
                    parent = values.get("parent_number")
                    if (parent or key[0] not in _NOTE_LINKED or not values.get("note")) and (
                        values.get("ends_on") is not None or not values.get("term_text")
                    ):  # the usual row: no parent to look for in its note, an end known
                        rows.append(
                            (
                                number,
                                key,
                                Record.plain(values),
                                number_key(parent) if parent else None,
                                table_index,
                                False,
                            )
                        )
                    else:
                        rows.append(_plain(number, key, values, table_index, sheet, pending))
                    if len(rows) >= first:
                        yield rows
                        rows = []
                        first = BATCH
                    continue
                if earlier[2] == stamp:
                    continue  # the same row twice: harmless
                where = (
                    f"rows {earlier[1]} and {number}"
                    if earlier[0] == table_index
                    else f"{_place(tables[earlier[0]], earlier[1])} and {_place(table, number)}"
                )
                errors.append(
                    InvalidValue(
                        "number",
                        values["number"],
                        f"appears twice in the file with different contents ({where})",
                        label=validator.label("number"),
                    )
                )
            summary.invalid += 1
            summary.problems += [Problem.of(source, number, e, sheet) for e in errors]
            typed = values.get("number")
            if typed:
                summary.invalid_numbers.setdefault(number_key(typed), (sheet, number))
        _warn_unlabeled(summary, table, validator)
    _warn_no_end(summary, pending)
    if rows:
        yield rows
    if progress is not None:
        progress(summary.rows)


# The documents that may name their parent in the note ("Pelaksanaan KB Nomor ...").
_NOTE_LINKED = frozenset(("pks", "adendum"))


def _plain(
    number: int,
    key: Key,
    values: dict[str, Any],
    table: int,
    sheet: str | None,
    pending: _Pending,
) -> PlainRow:
    parent = values.get("parent_number")
    soft = False
    if not parent and key[0] in _NOTE_LINKED and values.get("note"):
        parent = named_document(values["note"])
        if parent:
            values["parent_number"], soft = parent, True
    if values.get("term_text") and values.get("ends_on") is None:
        reason = no_end_reason(values)
        if reason:
            pending.no_end.append((sheet, number, values["term_text"], reason))
    return (
        number,
        key,
        Record.plain(values),
        number_key(parent) if parent else None,
        table,
        soft,
    )


def _place(table: TablePlan, row: int) -> str:
    return f"sheet {table.raw.sheet!r} row {row}" if table.raw.sheet else f"row {row}"


def _rows_text(rows: Sequence[int], limit: int = 10) -> str:
    shown = ", ".join(str(r) for r in rows[:limit])
    return shown + (", ..." if len(rows) > limit else "")


def _warn_unlabeled(summary: FileSummary, table: TablePlan, validator: Validator) -> None:
    for position, rows in sorted(validator.unlabeled_data.items()):
        letter = column_letter(position + table.raw.col_offset)
        summary.warnings.append(
            Problem(
                summary.source,
                None,
                f"column {letter} has no header but holds data in {rows} "
                f"{'row' if rows == 1 else 'rows'}: ignored "
                "(give it a header, or read it through --header-row)",
                letter,
                table.raw.sheet,
            )
        )


def _warn_no_end(summary: FileSummary, pending: _Pending) -> None:
    if not pending.no_end:
        return
    by_sheet: dict[str | None, list[tuple[int, str, str]]] = {}
    for sheet, row, term, why in pending.no_end:
        by_sheet.setdefault(sheet, []).append((row, term, why))
    for sheet, items in by_sheet.items():
        examples = "; ".join(f"row {row}: {term!r} ({why})" for row, term, why in items[:5])
        more = f"; and {len(items) - 5} more" if len(items) > 5 else ""
        summary.warnings.append(
            Problem(
                summary.source,
                None,
                (
                    "1 agreement has a term that gives no end date, so it stays"
                    if len(items) == 1
                    else f"{len(items)} agreements have a term that gives no end date, so they stay"
                )
                + f" in force with no end: {examples}{more}. Give an end date "
                "(Tanggal Berakhir) or a term such as '5 tahun' or 'sampai dengan 31 "
                "Desember 2024'",
                "term_text",
                sheet,
            )
        )
