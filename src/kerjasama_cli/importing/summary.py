"""What an import reports: its options, problems and summary, and its one error."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kerjasama_cli.errors import KerjasamaError

TYPES = ("agreements", "evaluations", "findings")


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

