"""What an import does to an agreement already in the register.

A file says what it knows, and only that: a cell with a value sets the field, a
cell with "-" (or "Tidak ada" for a value) clears it, and an empty cell, or a
column the file does not have, leaves the stored value as it was. So a file of
four columns updates four fields, and the register's own workbook or CSV,
imported back, changes nothing.

Each row of the file is compared with the register as it was before the import:
unchanged, updated (``--on-conflict update``), refused (``fail``) or skipped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kerjasama_cli.errors import Conflict, InvalidValue
from kerjasama_cli.importing.records import COMPARED, Key, Record, Row, signature
from kerjasama_cli.importing.summary import FileSummary, ImportOptions, Problem, TableInfo
from kerjasama_cli.register import as_text, number_key, settle
from kerjasama_cli.register.fields import PRECISE_DATES

# The fields a row may leave to the register; a date's precision goes with its date.
_MERGED = tuple(
    name
    for name in COMPARED
    if not name.endswith("_precision") and name not in ("number", "file_sha256")
)
# An end worked out of the term is worked out again when one of these changes.
_END_FROM = ("term_text", "starts_on", "signed_on")


class Merged:
    """A row as it will stand in the register, and how many of its empty cells left
    a stored value as it was."""

    __slots__ = ("kept", "values")

    def __init__(self, values: Record, kept: int) -> None:
        self.values = values
        self.kept = kept


def merge(current: Mapping[str, Any], row: Row, table: TableInfo) -> Merged:
    """The row's values over the stored ones: what the file does not say is kept."""
    values = row.values
    cleared = values["cleared"] or ()
    changes: dict[str, Any] = {}
    kept = 0
    for name in _MERGED:
        if values[name] is not None or name in cleared:
            continue
        old = current.get(name)
        if old is None:
            continue
        changes[name] = old
        if name in PRECISE_DATES:
            changes[f"{name}_precision"] = current.get(f"{name}_precision")
        if name == "file_path":
            changes["file_sha256"] = current.get("file_sha256")
        if name in table.fields:
            kept += 1
    _end(current, values, changes)
    if not values["partners"] and current["partners"]:
        changes["partners"] = tuple(current["partners"])
    if not values["units"] and "units" not in cleared and current["units"]:
        changes["units"] = tuple(current["units"])
        kept += "units" in table.fields
    if values["parent_number"] is None and "parent_number" not in cleared:
        changes["parent_number"] = current.get("parent_number")
    merged = values.replace(**changes) if changes else values
    if changes and merged["term_text"] and (merged["ends_on"] is None or merged["ends_on_derived"]):
        merged = _derive_again(current, merged)
    return Merged(merged, kept)


def _end(current: Mapping[str, Any], values: Record, changes: dict[str, Any]) -> None:
    """The end date's own rules: an end the register shows but does not hold (an
    addendum's, inherited from what it amends) is not read back as the addendum's
    own; an end the file repeats keeps whether it was worked out of the term."""
    end = values["ends_on"]
    if end is None:
        if "ends_on" in changes:
            changes["ends_on_derived"] = current.get("ends_on_derived") or False
        return
    if (
        current["doc_type"] == "adendum"
        and current.get("ends_on") is None
        and end == current.get("parent_ends_on")
    ):
        changes["ends_on"] = changes["ends_on_precision"] = None
    elif end == current.get("ends_on"):
        changes["ends_on_derived"] = current.get("ends_on_derived") or False


def _derive_again(current: Mapping[str, Any], merged: Record) -> Record:
    """The end worked out again when the term or the date it counts from changed."""
    if all(merged[name] == current.get(name) for name in _END_FROM):
        return merged
    values = {name: merged[name] for name in (*_END_FROM, "ends_on", "ends_on_derived")}
    if values["ends_on_derived"]:
        values["ends_on"] = None
    settle(values, {})
    return merged.replace(
        ends_on=values.get("ends_on"),
        ends_on_precision=None,
        ends_on_derived=values.get("ends_on_derived") or False,
        starts_on=values.get("starts_on"),
    )


def differences(
    current: Mapping[str, Any], values: Mapping[str, Any] | Record
) -> list[tuple[str, str | None, str | None]]:
    """(field, old, new) of each field that differs, as the history records it."""
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


# Skipped documents told by number and the fields that differ (the count is always told).
SKIPPED_TOLD = 1000


def classify(
    rows: list[Row],
    existing: Mapping[Key, dict[str, Any]],
    summary: FileSummary,
    options: ImportOptions,
    tables: Sequence[TableInfo],
) -> tuple[list[Row], list[tuple[Row, dict[str, Any]]]]:
    """New rows, and changed rows with the register's version, in the file's order;
    unchanged, refused and skipped rows are counted in the summary."""
    new_rows: list[Row] = []
    changed: list[tuple[Row, dict[str, Any]]] = []
    for row in rows:
        current = existing.get(row.key)
        if current is None:
            new_rows.append(row)
            continue
        if signature(current) == signature(row.values):
            summary.unchanged += 1
            continue
        try:
            merged = merge(current, row, tables[row.table])
        except InvalidValue as error:  # the end worked out again comes before the start
            summary.invalid += 1
            summary.problems.append(
                Problem(
                    summary.source,
                    row.number,
                    f"{error.message}, with the register's other values",
                    error.label,
                    tables[row.table].sheet,
                )
            )
            continue
        summary.kept += merged.kept
        if signature(current) == signature(merged.values):
            summary.unchanged += 1
        elif options.on_conflict == "update":
            row.values = merged.values.replace(number=current["number"])  # the register's spelling
            if row.parent_key is None and row.values["parent_number"]:
                row.parent_key = number_key(row.values["parent_number"])  # kept as it was
            changed.append((row, current))
        elif options.on_conflict == "fail":
            raise Conflict(
                f"{summary.source}:{row.number}: {row.values['number']!r} is already in the "
                "register with other values; nothing was imported",
                hint="use --on-conflict update to change it, or skip to leave it",
            )
        else:
            summary.skipped += 1
            if len(summary.skipped_documents) < SKIPPED_TOLD:
                fields = [name for name, _old, _new in differences(current, merged.values)]
                summary.skipped_documents.append((row.table, row.number, current["number"], fields))
    return new_rows, changed
