"""Validated rows as they travel to the writer: a tuple per row, read by field name.

A row's record holds the register's fields in a fixed order (those written to
the agreement table first), then its links; ``signature`` says what makes two
versions of one document the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from kerjasama_cli import vocab
from kerjasama_cli.register import FIELD_READERS, number_key
from kerjasama_cli.register.fields import PRECISIONS

RECORD_FIELDS = (
    *FIELD_READERS,
    *PRECISIONS,
    "ends_on_derived",
    "file_path",
    "file_sha256",
    "terminated_on",
    "termination_reason",
)
COMPARED = tuple(name for name in RECORD_FIELDS if name != "ends_on_derived")
BATCH = 5_000


# "cleared": the fields whose cell says "-" (or "Tidak ada"): on purpose, unlike an
# empty cell, which leaves a stored value as it was.
ROW_FIELDS = (*RECORD_FIELDS, "doc_type", "partners", "units", "parent_number", "cleared")
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
    table: int = 0  # which of the file's tables (sheets) the row is in
    # The parent was only named in the note: link it if it is there, never an error.
    soft: bool = False


# A valid row as validation hands it on: (row number, key, Record.plain(...),
# parent key, table, soft). Plain tuples, so that pickle sends them in C
# between processes.
PlainRow = tuple[int, tuple[str, str], tuple[Any, ...], str | None, int, bool]


def as_rows(chunk: list[PlainRow]) -> list[Row]:
    return [
        Row(number, key, Record(values), parent, table, soft)
        for number, key, values, parent, table, soft in chunk
    ]


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


def fingerprint(values: Mapping[str, Any]) -> int:
    """A 64-bit hash of a row's signature, to tell a harmless repeat from a clash
    without holding the first row: two different rows of one number would have
    to collide (odds of 1 in 2**64) to pass as a repeat."""
    return hash(signature(values))
