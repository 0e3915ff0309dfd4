"""One row's cells -> typed values, read as the register reads what people type.

Each column gets one reader, built once, with a cache of what it has read (the
value, or the error): a file repeats its dates, OPDs, kinds and bidang
thousands of times, so most cells cost one dictionary lookup. What a row does
not say, a section heading or the sheet's name may (its document type, kind).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from kerjasama_cli import parse, vocab
from kerjasama_cli.errors import InvalidValue
from kerjasama_cli.importing.columns import ColumnMap
from kerjasama_cli.importing.layout import EMPTY, Context
from kerjasama_cli.importing.parties import RegionItself, split_names
from kerjasama_cli.importing.records import RECORD_FIELDS
from kerjasama_cli.importing.tables import PROTECTED, Cell, unprotect
from kerjasama_cli.register import (
    CLEAR,
    FIELD_READERS,
    check_controls,
    check_text,
    file_digest,
    settle,
)
from kerjasama_cli.register.fields import NO_VALUE

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
        text = unprotect(cell.strip())
    else:
        if isinstance(cell, float) and cell.is_integer():
            cell = int(cell)
        text = str(cell).strip()
    return None if text in _CLEAR else text


_CLEAR = frozenset(CLEAR)
_TERM_UNIT = re.compile(r"\(\s*(tahun|bulan|hari)\s*\)", re.IGNORECASE)
_MISS = object()
LINK_FIELDS = ("doc_type", "partners", "partner_kind", "units")
# "Pelaksanaan KB Nomor 180/03/KB/I.01/2017": a document named in a note.
_NAMED_DOCUMENT = re.compile(
    r"\b(?:nomor|nomer|no)\b\.?\s*:?\s*([0-9A-Za-z][0-9A-Za-z.\-]*/[0-9A-Za-z./\-]*[0-9A-Za-z])",
    re.IGNORECASE,
)


_DATED = re.compile(r"\s*[,;]?\s*\b(?:tanggal|tgl|tertanggal)\b\.?\s*:?\s*", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20|21)\d\d\b")
_NUMBER_WORD = re.compile(r"^(?:nomor|nomer|no)\b\.?\s*:?\s*(?=\S*/)", re.IGNORECASE)


def split_number_and_date(text: str) -> tuple[str, str | None]:
    """A document's number and the date written with it: "180/10/KB/2021 tanggal 12
    Maret 2021", "Nomor: 180/10/KB/2021", one per line. The number as it is otherwise."""
    text = _NUMBER_WORD.sub("", text.strip())
    if "\n" in text:
        first, rest = text.split("\n", 1)
        if "/" in first and _YEAR.search(rest):
            return first.strip(), _DATED.sub("", rest, count=1).strip() or None
    found = _DATED.search(text)
    if found and "/" in text[: found.start()]:
        return text[: found.start()].strip(), text[found.end() :].strip() or None
    return text, None


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
        self._units = self._cached(lambda text: self._checked_names("units", text))
        self._parties = self._cached(self._read_parties)
        # Columns without a header that hold data: column -> rows holding some.
        # "JANGKA WAKTU (TAHUN)" over "5": the unit is in the header.
        unit = _TERM_UNIT.search(columns.labels.get("term_text", ""))
        self.term_unit = unit.group(1).lower() if unit else None
        self.unlabeled = columns.unlabeled
        self.unlabeled_data: dict[int, int] = {}
        self.width = columns.width

    def label(self, name: str) -> str:
        return self.labels.get(name, f'column "{name}"')

    def _cached(
        self, read: Callable[[str], Any], name: str | None = None
    ) -> tuple[dict[Any, Any], Callable[[Cell], Any]]:
        """A cache and the reader that fills it; the reader returns errors, not raises.
        ``name``: the field, whose text is refused with a control character in it."""
        cache: dict[Any, Any] = {}
        label = None if name is None else self.label(name)

        def slow(cell: Cell) -> Any:
            text = _cell_text(cell)
            try:
                if text is not None and label is not None:
                    check_controls(name or "", text, label)
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
                if value.startswith(PROTECTED):
                    value = value[1:]
                if "  " in value and "\n" not in value:
                    value = " ".join(value.split())
                try:
                    return check_text(name, value, label)
                except InvalidValue as error:
                    return error

            return None, text

        parse_text = FIELD_READERS.get(name, FIELD_READERS["dprd_date"])  # terminated_on: a date
        cache, by_text = self._cached(lambda text: parse_text(text, name, label), name)
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
        cleared: list[str] = []
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
            if value is None:  # "-": cleared on purpose (an empty cell is skipped above)
                cleared.append(name)
                continue
            if isinstance(value, InvalidValue):
                errors.append(value)
            else:
                values[name] = value
        if "kind" not in values and self.context.kind:
            values["kind"] = self.context.kind
        if self.term_unit and (term := values.get("term_text")) and term.isdigit():
            values["term_text"] = f"{term} {self.term_unit}"  # "5" under "Jangka Waktu (Tahun)"
        number = values.get("number")
        if number and (" " in number or "\n" in number):
            self._number_and_date(values, errors)
        parent = values.get("parent_number")
        if parent and (" " in parent or "\n" in parent):
            values["parent_number"] = split_number_and_date(parent)[0]
        self._links(cells, values, errors)
        if values.get("value") is NO_VALUE:  # "Tidak ada": no value, on purpose
            cleared.append("value")
        if not values["units"] and self._says_clear(self.cell(cells, "units")):
            cleared.append("units")
        if cleared:
            values["cleared"] = tuple(cleared)
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

    @staticmethod
    def _says_clear(cell: Cell) -> bool:
        """A cell that holds "-" (or another placeholder): unlike an empty one, on purpose."""
        return cell is not None and cell != "" and _cell_text(cell) is None

    def _number_and_date(self, values: dict[str, Any], errors: list[InvalidValue]) -> None:
        """ "180/10/KB/I.01/2021 Tanggal 12 Maret 2021" in a Nomor cell: the number, and
        the signing date where no column gives it."""
        number, dated = split_number_and_date(values["number"])
        values["number"] = number
        if dated and "signed_on" not in values:
            try:
                values["signed_on"] = FIELD_READERS["signed_on"](
                    dated, "signed_on", self.label("number")
                )
            except InvalidValue as error:
                errors.append(error)

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
        listed = self._checked_names("partners", text)
        if not self.region:
            return listed
        kept = tuple(i for i, name in enumerate(listed) if not self.region.matches(name))
        if len(kept) == len(listed):
            # "Pemkab X - Universitas Y" in one name: the region joined to its partner.
            partners = tuple(self.region.without(name) or name for name in listed)
            if partners == listed:
                return listed
            return _Parties(partners, kept, partners)
        return _Parties(tuple(listed[i] for i in kept), kept, listed)

    def _checked_names(self, name: str, text: str) -> tuple[str, ...]:
        label = self.label(name)
        check_controls(name, text, label)
        names = split_names(text)
        for one in names:
            check_text(name, one, label)
        return names

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
        told = {error.field for error in errors}
        for name in ("number", "title"):
            if name not in values and name not in told:
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
        if isinstance(parties, InvalidValue):
            errors.append(parties)
            parties = ()
            told.add("partners")
        names = parties if parties.__class__ is tuple else parties.names  # type: ignore[union-attr]
        if not names and "partners" not in told:
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
        units = self._lookup(self._units, cell(cells, "units")) or ()
        if isinstance(units, InvalidValue):
            errors.append(units)
            units = ()
        values["units"] = units

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

