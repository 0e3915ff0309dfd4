"""What an import reports: its options, how it read the file, its problems and summary.

Plain data, filled in as the file travels through the other modules, sent
between the two processes of a large import, and printed by the CLI.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

from kerjasama_cli.errors import InvalidValue, KerjasamaError

TYPES = ("agreements", "evaluations", "findings")


class ImportFailed(KerjasamaError):
    """The file cannot be read at all (not a problem of one row)."""


@dataclass
class ImportOptions:
    type: str | None = None
    # Workbook sheets to read, by name in any case; none: every sheet that holds a table.
    sheets: tuple[str, ...] = ()
    # The header's (first) row, counted as the spreadsheet counts; None: found.
    header_row: int | None = None
    encoding: str | None = None
    # The document type of rows that give none (when no sheet name or heading does).
    doc_type: str | None = None
    dry_run: bool = False
    on_conflict: str = "skip"
    skip_invalid: bool = False
    # Validate in a second process while this one writes: None decides by the
    # file's size, True whenever the platform allows, False never.
    parallel: bool | None = None
    # The region's own name (`config region`): a party of that name is the
    # region itself, not a partner. Read from the register when None.
    region: str | None = None


@dataclass
class Problem:
    """One thing wrong with one row (or the file): FILE[SHEET]:ROW: column "X": 'v' why."""

    source: str
    row: int | None
    message: str
    column: str | None = None
    sheet: str | None = None

    def where(self) -> str:
        place = f"{self.source}[{self.sheet}]" if self.sheet else self.source
        return f"{place}:{self.row}" if self.row is not None else place

    def line(self) -> str:
        return f"{self.where()}: {self.message}"

    @classmethod
    def of(
        cls, source: str, row: int | None, error: InvalidValue, sheet: str | None = None
    ) -> Problem:
        """A row's invalid value, with the closest accepted values when it has them
        (the "did you mean" that `add-mou` gives)."""
        hint = error.hint or ""
        told = f" ({hint})" if hint.startswith(("did you mean", "choose one of", "see the")) else ""
        return cls(source, row, error.message + told, error.label, sheet)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.source,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class TableInfo(NamedTuple):
    """What the writer needs of each table a row may come from."""

    sheet: str | None
    parent_label: str  # how the file names the parent column, for messages
    fields: frozenset[str] = frozenset()  # the fields its columns give


@dataclass
class ColumnReading:
    """One column of a table: its letter, its header as read, and what it feeds."""

    column: str
    header: str
    field: str | None
    note: str = ""


@dataclass
class TableReading:
    """How one table (a sheet, or a CSV file) was read."""

    sheet: str | None
    type: str
    header_rows: list[int]
    columns: list[ColumnReading] = field(default_factory=list)
    title: list[str] = field(default_factory=list)
    # Values rows take when they give none: {"doc_type": "kb"}, and from where.
    defaults: dict[str, str] = field(default_factory=dict)
    defaults_from: str = ""
    sections: list[tuple[int, str]] = field(default_factory=list)
    totals: list[int] = field(default_factory=list)
    repeated_headers: list[int] = field(default_factory=list)
    column_numbers: list[int] = field(default_factory=list)
    # The rows after the table's end (a signature block, notes): the first
    # row, how many rows, the first one's text.
    after: tuple[int, int, str] | None = None
    # Notes between agreements ("Catatan: ..."), left out: (row, text).
    notes_inside: list[tuple[int, str]] = field(default_factory=list)
    data_rows: int = 0

    @property
    def label(self) -> str:
        return self.sheet or ""


@dataclass
class Reading:
    """How a file was read: what a careful person checks before trusting an import."""

    format: str
    encoding: str | None = None
    delimiter: str | None = None
    tables: list[TableReading] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (sheet, why)
    notes: list[str] = field(default_factory=list)
    # The region's own names as parties write them, and how each was recognised.
    region_itself: list[tuple[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["skipped"] = [{"sheet": s, "reason": r} for s, r in self.skipped]
        data["region_itself"] = [{"name": n, "how": h} for n, h in self.region_itself]
        for table in data["tables"]:
            table["sections"] = [{"row": r, "text": t} for r, t in table["sections"]]
            table["notes_inside"] = [{"row": r, "text": t} for r, t in table["notes_inside"]]
            after = table.pop("after")
            table["after_table"] = (
                None
                if after is None
                else {"first_row": after[0], "rows": after[1], "text": after[2]}
            )
        return data


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
    # Empty cells of documents already in the register: their stored values were kept.
    kept: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    reading: Reading | None = None
    # Parent numbers kept as links to documents not (yet) in the register.
    unresolved: list[str] = field(default_factory=list)
    # What the person should know that is neither a problem nor a warning.
    notes: list[str] = field(default_factory=list)
    # Documents in the register that the file gives otherwise, left as they are
    # (--on-conflict skip): (table index, row, number, the fields that differ).
    skipped_documents: list[tuple[int, int, str, list[str]]] = field(default_factory=list)
    # Numbers of the file's invalid rows (number key -> sheet, row): a PKS naming
    # one is told that its KB is invalid, not that it names nothing.
    invalid_numbers: dict[str, tuple[str | None, int]] = field(default_factory=dict)

    def _sheet(self, table: int) -> str | None:
        tables = self.reading.tables if self.reading else []
        return tables[table].sheet if table < len(tables) else None

    def skipped_line(self) -> str | None:
        """The documents left as they are, by number and what differs: one warning."""
        if not self.skipped:
            return None
        shown = "; ".join(
            f"{number} ({', '.join(fields[:4])}{', ...' if len(fields) > 4 else ''})"
            for _table, _row, number, fields in self.skipped_documents[:8]
        )
        more = f"; and {self.skipped - 8} more" if self.skipped > 8 else ""
        documents = (
            "1 document differs" if self.skipped == 1 else (f"{self.skipped} documents differ")
        )
        return (
            f"{documents} from the register and {'was' if self.skipped == 1 else 'were'} "
            f"left as {'it is' if self.skipped == 1 else 'they are'}"
            + (f": {shown}{more}" if shown else "")
            + ". Take the file's values with --on-conflict update (every change is kept "
            "in history), or see them with kerjasama show NUMBER"
        )

    def kept_line(self) -> str | None:
        """Empty cells that left what the register holds as it was: one note."""
        if not self.kept:
            return None
        cells = "1 empty cell" if self.kept == 1 else f"{self.kept:,} empty cells"
        return (
            f"{cells} of documents already in the register left the stored "
            f"{'value' if self.kept == 1 else 'values'} as they were; to clear a value, "
            'write "-" in its cell'
        )

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
            "kept_empty_cells": self.kept,
            "problems": [p.to_dict() for p in self.problems],
            "warnings": [w.to_dict() for w in self.warnings],
            "unresolved_parents": list(self.unresolved),
            "notes": list(self.notes),
            "skipped_documents": [
                {"sheet": self._sheet(table), "row": row, "number": number, "fields": fields}
                for table, row, number, fields in self.skipped_documents
            ],
            "reading": self.reading.to_dict() if self.reading else None,
        }
