"""Header text -> field: which column of a table holds which of the register's fields.

A column is known by its header as read (``layout``): the parent and the
sub-column of a two-row header together first ("Jangka Waktu / Berakhir" is
``ends_on``, "Nomor / Mitra" is ``partner_number``), then the sub-column alone.
Every column is accounted for in the reading report: the field it feeds, or
why it is ignored.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from kerjasama_cli import vocab
from kerjasama_cli.errors import InvalidValue
from kerjasama_cli.importing.layout import Header, column_letter
from kerjasama_cli.importing.summary import TYPES, ColumnReading
from kerjasama_cli.vocab.columns import (
    AGREEMENT_COLUMNS,
    AGREEMENT_INDEX,
    CONTEXT_INDEX,
    EVALUATION_INDEX,
    FINDING_INDEX,
    IGNORED_INDEX,
    MULTI_COLUMN_FIELDS,
    REQUIRED_COLUMNS,
    header_keys,
)

__all__ = ["AGREEMENT_COLUMNS", "REQUIRED_COLUMNS", "ColumnMap", "map_columns"]

_INDEXES = {
    "agreements": AGREEMENT_INDEX,
    "evaluations": EVALUATION_INDEX,
    "findings": FINDING_INDEX,
}


@dataclass
class ColumnMap:
    fields: dict[int, str]  # position in the row -> field
    labels: dict[str, str]  # field -> its header as read in the file
    type: str
    columns: list[ColumnReading] = field(default_factory=list)
    # A field several columns feed ("Para Pihak / Pihak I" and "... / Pihak II").
    extra: dict[str, tuple[int, ...]] = field(default_factory=dict)
    # Columns with nothing to read (No, Status): a row holding only these is blank.
    ignored: frozenset[int] = frozenset()
    # Columns without any header: data in them is named in a warning.
    unlabeled: tuple[int, ...] = ()
    width: int = 0
    unknown: list[str] = field(default_factory=list)

    def position(self, name: str) -> int | None:
        for position, field_name in self.fields.items():
            if field_name == name:
                return position
        return None


def _keys(parent: str, child: str) -> Iterator[str]:
    if child:
        if parent:
            yield from header_keys(f"{parent} {child}")
        yield from header_keys(child)
    elif parent:
        yield from header_keys(parent)


def _lookup(index: dict[str, str], parent: str, child: str) -> str | None:
    return next((index[key] for key in _keys(parent, child) if key in index), None)


def _as_header(header: Header | Sequence[str]) -> Header:
    if isinstance(header, Header):
        return header
    return Header([1], [(" ".join(str(h).split()), "") for h in header])


def detect_type(header: Header) -> str:
    evaluation = {_lookup(EVALUATION_INDEX, *parts) for parts in header.parts}
    finding = {_lookup(FINDING_INDEX, *parts) for parts in header.parts}
    if "text" in finding:  # "Uraian" names a finding
        return "findings"
    if "level" in evaluation:
        return "evaluations"
    return "agreements"


def map_columns(
    header: Header | Sequence[str], wanted_type: str | None, *, col_offset: int = 0
) -> ColumnMap:
    header = _as_header(header)
    kind = wanted_type or detect_type(header)
    if kind not in TYPES:
        raise InvalidValue(
            "type",
            kind,
            "is not an import type",
            label="--type",
            hint="choose agreements, evaluations or findings",
        )
    index = _INDEXES[kind]
    ignorable = IGNORED_INDEX if kind == "agreements" else dict.fromkeys(CONTEXT_INDEX, "")
    if kind == "findings":
        ignorable = {k: v for k, v in ignorable.items() if k != vocab.fold("Status")}
    fields: dict[int, str] = {}
    labels: dict[str, str] = {}
    extra: dict[str, list[int]] = {}
    readings: list[ColumnReading] = []
    ignored: set[int] = set()
    unlabeled: list[int] = []
    unknown: list[str] = []
    for position, (parent, child) in enumerate(header.parts):
        label = header.label(position)
        letter = column_letter(position + col_offset)
        name = _lookup(index, parent, child)
        if not label:
            unlabeled.append(position)
            continue
        if name is None:
            why = next((ignorable[k] for k in _keys(parent, child) if k in ignorable), None)
            if why is not None:
                ignored.add(position)
                note = f"ignored: {why}" if why else "ignored: shown to help whoever fills it in"
                readings.append(ColumnReading(letter, label, None, note))
            else:
                unknown.append(label)
                readings.append(ColumnReading(letter, label, None, "not a known column: ignored"))
            continue
        if name in labels:
            if name in MULTI_COLUMN_FIELDS:
                first = header_position(fields, name)
                extra.setdefault(name, [first]).append(position)
                shared = header.parts[first][0]
                labels[name] = (
                    shared if shared and shared == parent else f"{labels[name]} + {label}"
                )
                readings.append(ColumnReading(letter, label, name, "read together with the other"))
                continue
            unknown.append(f"{label} (a second {labels[name]!r} column)")
            readings.append(
                ColumnReading(letter, label, None, f"a second {labels[name]!r} column: ignored")
            )
            continue
        fields[position] = name
        labels[name] = label
        readings.append(ColumnReading(letter, label, name))
    if (
        kind == "agreements"
        and "number" not in labels
        and "parent_number" in labels
        and vocab.fold(labels["parent_number"]).startswith("nomor")
    ):
        # "Nomor MoU" in a sheet of MoUs is their own number: no other column gives it.
        position = header_position(fields, "parent_number")
        fields[position] = "number"
        labels["number"] = labels.pop("parent_number")
        for reading in readings:
            if reading.field == "parent_number":
                reading.field = "number"
                reading.note = "the table's only Nomor: the document's own number"
    return ColumnMap(
        fields,
        labels,
        kind,
        readings,
        {name: tuple(positions) for name, positions in extra.items()},
        frozenset(ignored),
        tuple(unlabeled),
        len(header.parts),
        unknown,
    )


def header_position(fields: dict[int, str], name: str) -> int:
    return next(position for position, field_name in fields.items() if field_name == name)


def missing_columns(columns: ColumnMap, *, defaults: Sequence[str] = ()) -> list[str]:
    """The required fields no column (nor the sheet's name, nor a heading) gives."""
    return [
        name for name in REQUIRED_COLUMNS if name not in columns.labels and name not in defaults
    ]


def describe_missing(missing: Sequence[str]) -> str:
    return ", ".join(f'"{AGREEMENT_COLUMNS[m][0]}" ({m})' for m in missing)
