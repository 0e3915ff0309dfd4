"""A raw table: every row of one sheet (or of a whole CSV or JSON file) as the file holds it.

Rows are numbered as a spreadsheet numbers them, blank rows and title rows
included: finding the table inside is ``layout``'s job.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from kerjasama_cli.importing.summary import ImportFailed

Cell = Any

# Text an export protected with an apostrophe, so that a spreadsheet opening it never
# runs it as a formula ("'=SUM(A1)", "'-5 tahun"): read back as it was stored.
PROTECTED = ("'=", "'+", "'-", "'@")


def unprotect(text: str) -> str:
    """'=SUM(A1) -> =SUM(A1): the apostrophe kerjasama's CSV export put there."""
    return text[1:] if text.startswith(PROTECTED) else text
Rows = Iterator[tuple[int, list[Cell]]]
# (first row, first column, last row, last column): rows numbered from 1,
# columns as positions in a row's cells.
Span = tuple[int, int, int, int]


class Failure(NamedTuple):
    """How reading a table's rows can fail half-way, and what to tell the user then.

    The rows are read by the layout's loop without a layer of their own (one less
    step for each of 100,000 rows): that loop turns these errors into ``explain``'s.
    """

    types: tuple[type[BaseException], ...]
    explain: Callable[[BaseException, int], ImportFailed]


NEVER = Failure((), lambda error, _row: ImportFailed(str(error)))
Loaded = tuple[Rows, list[Span], Failure]


@dataclass
class RawTable:
    """One sheet of a workbook, or a whole CSV or JSON file, row by row."""

    sheet: str | None
    load: Callable[[], Loaded]
    # cells[0] is this column of the sheet (0 = A): a workbook's first used column.
    col_offset: int = 0
    # JSON: the keys are the header, known without looking for it.
    header: list[str] | None = None
    hidden: bool = False
    # Workbooks: the row numbers whose cell in a column is formatted as a
    # percentage (Excel stores "75%" typed there as 0.75).
    percent_rows: Callable[[int], set[int]] | None = None
    # Workbooks whose styles show a date to the month or year only ("Agustus 2021"
    # typed in Excel is a date cell formatted "mmmm yyyy"): for a column, the rows
    # whose cell is so formatted, and how far ('month', 'year'). None: none can be.
    date_precisions: Callable[[int], dict[int, str]] | None = None
    _rows: Rows | None = field(default=None, repr=False)
    _head: list[tuple[int, list[Cell]]] = field(default_factory=list, repr=False)
    merged: list[Span] = field(default_factory=list, repr=False)
    failure: Failure = field(default=NEVER, repr=False)

    def _open(self) -> Rows:
        if self._rows is None:
            self._rows, self.merged, self.failure = self.load()
        return self._rows

    def head(self, count: int) -> list[tuple[int, list[Cell]]]:
        """The first ``count`` rows, kept: ``rows()`` still yields them first."""
        rows = self._open()
        if len(self._head) < count:
            try:
                self._head += itertools.islice(rows, count - len(self._head))
            except self.failure.types as error:
                raise self.failure.explain(error, len(self._head) + 1) from None
        return self._head[:count]

    def rows(self) -> Rows:
        """Every row, once: those seen by ``head`` first, then the rest. Whoever reads
        them turns ``failure.types`` into ``failure.explain`` (see Failure)."""
        rows = self._open()
        head, self._head = self._head, []
        return itertools.chain(head, rows)


@dataclass
class Input:
    """What one file holds: its tables, and how it was read."""

    label: str
    format: str  # "csv", "workbook" or "json"
    tables: list[RawTable]
    encoding: str | None = None  # how the text was decoded, as people name it
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)
