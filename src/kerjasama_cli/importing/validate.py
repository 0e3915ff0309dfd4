"""A file's rows -> valid records, a chunk at a time, and the problems of the others.

Each table's rows come through its layout (``layout``) and are read cell by
cell (``cells``); across rows: a number twice in the file with different
contents is a problem; what the file says of many rows at once (a term that
gives no end, a column without a header that holds data) becomes one warning.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from kerjasama_cli import parse
from kerjasama_cli.errors import InvalidValue
from kerjasama_cli.importing.cells import Validator, named_document
from kerjasama_cli.importing.layout import column_letter
from kerjasama_cli.importing.parties import RegionItself
from kerjasama_cli.importing.records import BATCH, Key, PlainRow, Record, fingerprint
from kerjasama_cli.importing.summary import FileSummary, Problem
from kerjasama_cli.importing.tables import Cell
from kerjasama_cli.register import number_key
from kerjasama_cli.register.fields import no_end_reason

if TYPE_CHECKING:
    from kerjasama_cli.importing.plan import TablePlan

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
        shown = _shown_partially(table)
        last = 0  # the row before: a row with no number may continue its text
        for number, cells in row_filter.rows(table.raw):
            if shown and number in shown:
                cells = _as_shown(cells, shown[number])
            last, previous = number, last
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
            typed = values.get("number")
            if not typed and number == previous + 1:
                errors = [
                    _continuing(e, previous) if e.field == "number" and e.value == "" else e
                    for e in errors
                ]
            summary.problems += [Problem.of(source, number, e, sheet) for e in errors]
            if typed:
                summary.invalid_numbers.setdefault(number_key(typed), (sheet, number))
        _warn_unlabeled(summary, table, validator)
    _warn_no_end(summary, pending)
    if rows:
        yield rows
    if progress is not None:
        progress(summary.rows)


def _continuing(error: InvalidValue, previous: int) -> InvalidValue:
    """A row with no number right under another: the rest of that row's text, wrapped
    by hand into the next row of the sheet? Say so."""
    said = InvalidValue(error.field, error.value, error.reason, label=error.label)
    said.message = (
        f"{error.message}: if this row holds the rest of row {previous}'s text, "
        f"join the two in row {previous}"
    )
    return said


def _shown_partially(table: TablePlan) -> dict[int, list[tuple[int, str, bool]]]:
    """Date cells formatted to show only the month or year ("Agustus 2021" typed in
    Excel): row -> (position, precision, an end?). Empty for most workbooks."""
    reader = table.raw.date_precisions
    if reader is None:
        return {}
    shown: dict[int, list[tuple[int, str, bool]]] = {}
    for name, end in (("signed_on", False), ("starts_on", False), ("ends_on", True)):
        position = table.columns.position(name)
        if position is None:
            continue
        for row, precision in reader(position + table.raw.col_offset).items():
            shown.setdefault(row, []).append((position, precision, end))
    return shown


def _as_shown(cells: list[Cell], partial: list[tuple[int, str, bool]]) -> list[Cell]:
    cells = list(cells)
    for position, precision, end in partial:
        value = cells[position] if position < len(cells) else None
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            month = value.month if precision == "month" else None
            cells[position] = parse.period(value.year, month, end=end)
    return cells


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

