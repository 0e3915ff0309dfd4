"""What a file holds, and what of it to import: each table with its header and columns.

A CSV or JSON file is one table. A workbook may hold one sheet per document
type ("KB", "MoU", "PKS", "Adendum"), summaries ("Rekap"), notes, and sheets
of evaluations: every sheet that holds a table is read, the sheet's name
giving the document type its rows leave out, and each sheet without a table
is named in the reading report. kerjasama's own evaluation workbook is read
for what the OPDs fill in: its `Evaluasi <YEAR>` sheet.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kerjasama_cli import vocab
from kerjasama_cli.importing.columns import (
    ColumnMap,
    describe_missing,
    map_columns,
    missing_columns,
)
from kerjasama_cli.importing.layout import (
    EMPTY,
    HEAD_ROWS,
    Context,
    Header,
    RowFilter,
    cells_text,
    describe_left_out,
    find_header,
    header_hits,
    is_heading,
    is_wide,
)
from kerjasama_cli.importing.parties import RegionItself, detect_region_itself
from kerjasama_cli.importing.sources import open_input
from kerjasama_cli.importing.summary import (
    FileSummary,
    ImportFailed,
    ImportOptions,
    Problem,
    Reading,
    TableInfo,
    TableReading,
)
from kerjasama_cli.importing.tables import Input, RawTable

# Import order within a file: KBs (and nota kesepakatan) before the PKS that
# name them, adendum last.
_DOC_RANK = {"kb": 0, "nota-kesepakatan": 0, "pks": 1, "adendum": 2}
_TYPE_RANK = {"agreements": 0, "evaluations": 1, "findings": 2}
_OWN_EVALUATION_SHEET = re.compile(r"^evaluasi\s+(19|20|21)\d\d$", re.IGNORECASE)


@dataclass
class TablePlan:
    raw: RawTable
    header: Header
    columns: ColumnMap
    reading: TableReading
    defaults: Context

    @property
    def type(self) -> str:
        return self.columns.type

    def row_filter(self) -> RowFilter:
        number = self.columns.position("number")
        second = next(
            (
                p
                for name in ("title", "level", "text", "partners")
                if (p := self.columns.position(name)) is not None
            ),
            number,
        )
        keys = (number if number is not None else 0, second if second is not None else 0)
        return RowFilter(
            self.header,
            keys,
            self.columns.ignored,
            self.reading,
            self.defaults,
            self.raw.merged,
        )


@dataclass
class Plan:
    label: str
    reading: Reading
    tables: list[TablePlan] = field(default_factory=list)

    def of_type(self, kind: str) -> list[TablePlan]:
        return [table for table in self.tables if table.type == kind]

    @property
    def types(self) -> list[str]:
        return sorted({t.type for t in self.tables}, key=_TYPE_RANK.__getitem__)


def plan_file(path: str, options: ImportOptions) -> Plan:
    """Open ``path`` and find its tables; raises ImportFailed when none can be read."""
    opened = open_input(path, encoding=options.encoding)
    reading = Reading(opened.format, opened.encoding, opened.delimiter, notes=list(opened.notes))
    plan = Plan(opened.label, reading)
    chosen = _chosen_sheets(opened, options, reading)
    single = len(chosen) == 1
    for raw in chosen:
        table = _plan_table(opened, raw, options, single=single)
        if isinstance(table, str):
            reading.skipped.append((raw.sheet or "", table))
        else:
            plan.tables.append(table)
    if not plan.tables:
        where = f"{opened.label}: no sheet holds" if not single else f"{opened.label}: no"
        raise ImportFailed(
            f"{where} table of agreements, evaluations or findings"
            + (
                ": " + "; ".join(f"{sheet!r}: {why}" for sheet, why in reading.skipped)
                if reading.skipped and not single
                else ""
            ),
            hint="name the header row with --header-row N, or the sheet with --sheet NAME",
        )
    plan.tables.sort(
        key=lambda t: (_TYPE_RANK[t.type], _DOC_RANK.get(t.defaults.doc_type or "", 0))
    )
    reading.tables = [table.reading for table in plan.tables]
    return plan


def _chosen_sheets(opened: Input, options: ImportOptions, reading: Reading) -> list[RawTable]:
    tables = opened.tables
    if options.sheets:
        by_name = {(t.sheet or "").strip().casefold(): t for t in tables}
        chosen = []
        for name in options.sheets:
            found = by_name.get(name.strip().casefold())
            if found is None:
                raise ImportFailed(
                    f"{opened.label} has no sheet {name!r}",
                    hint="its sheets: " + ", ".join(repr(t.sheet) for t in tables),
                )
            if found not in chosen:
                chosen.append(found)
        return chosen
    if len(tables) == 1:
        return tables
    names = {(t.sheet or "").casefold() for t in tables}
    own = "ringkasan" in names and any(_OWN_EVALUATION_SHEET.match(n) for n in names)
    if own and options.type in (None, "evaluations"):
        evaluation = [t for t in tables if _OWN_EVALUATION_SHEET.match(t.sheet or "")]
        reading.notes.append(
            f"{opened.label} is kerjasama's own workbook: reading "
            + ", ".join(repr(t.sheet) for t in evaluation)
            + ", what the OPDs fill in; the other sheets come from the register "
            "(read one with --sheet NAME)"
        )
        return evaluation
    visible = []
    for table in tables:
        if table.hidden:
            reading.skipped.append((table.sheet or "", "a hidden sheet; read it with --sheet"))
        else:
            visible.append(table)
    return visible


def _plan_table(
    opened: Input, raw: RawTable, options: ImportOptions, *, single: bool
) -> TablePlan | str:
    """The table of one sheet, or why there is none (raises when it is the only one)."""
    where = f"{opened.label}, sheet {raw.sheet!r}" if raw.sheet else opened.label
    if raw.header is not None:  # JSON: the keys
        header = Header([], [(str(key), "") for key in raw.header])
        head: list[tuple[int, list[object]]] = []
    else:
        head = raw.head(max(HEAD_ROWS, (options.header_row or 0) + 2))
        if not any(any(cell not in ("", None) for cell in cells) for _n, cells in head):
            if single:
                raise ImportFailed(f"{where} is empty: no header row")
            return "empty"
        found = find_header(head, raw.merged, header_row=options.header_row)
        if found is None:
            if not single:
                return "no table: no row names the columns of a register"
            if options.header_row is not None:
                raise ImportFailed(f"{where}: row {options.header_row} (--header-row) is empty")
            raise ImportFailed(
                f"{where}: no row among the first {HEAD_ROWS} names the "
                "columns of a register (at least two of Nomor, Tentang, Mitra, "
                "Jenis Dokumen, Tanggal Penandatanganan...)",
                hint="name the header row with --header-row N"
                + (", or the sheet with --sheet NAME" if opened.format == "workbook" else ""),
            )
        header = found
    columns = map_columns(header, options.type, col_offset=raw.col_offset)
    defaults, defaults_from = _defaults(raw, options)
    reading = TableReading(
        raw.sheet,
        columns.type,
        header.rows,
        columns.columns,
        header.title,
        {k: v for k, v in (("doc_type", defaults.doc_type), ("kind", defaults.kind)) if v},
        defaults_from,
    )
    table = TablePlan(raw, header, columns, reading, defaults)
    if columns.type != "agreements":
        required = ("number", "level") if columns.type == "evaluations" else ("number", "text")
        lacking = [name for name in required if name not in columns.labels]
        if lacking:
            why = "the header has no column for " + ", ".join(repr(n) for n in lacking)
            if single:
                raise ImportFailed(
                    f"{where}: {why}",
                    hint="see README for the column names and their aliases",
                )
            return why
        return table
    given = ["doc_type"] if defaults.doc_type or _headings_give_types(head, header) else []
    missing = missing_columns(columns, defaults=given)
    if missing:
        why = f"the header has no column for {describe_missing(missing)}"
        if not single and missing != ["doc_type"]:
            return f"no register table: {why}"
        if missing == ["doc_type"] and not single:
            # A table of agreements that nothing types: never skipped quietly.
            raise ImportFailed(
                f"{where}: a table of agreements, but neither a column, the sheet's name nor "
                "a section heading says their document type",
                hint="name the sheet after it (KB, MoU, PKS, Adendum), add a 'Jenis Dokumen' "
                "column, or give it for every sheet that names none with --doc-type",
            )
        hints = []
        if header.rows:
            better = _better_header(head, header)
            hints.append(
                f"row {header.rows[0]} was taken as the header"
                + (
                    f"; row {better} names more columns: try --header-row {better}"
                    if better
                    else "; name another with --header-row N"
                )
            )
        if "doc_type" in missing:
            hints.append(
                "add a 'Jenis Dokumen' column, or give the type of every row with "
                "--doc-type (kb, pks, adendum)"
            )
        hints.append("see README for the column names and their aliases")
        raise ImportFailed(f"{where}: {why}", hint="; ".join(hints))
    return table


def _better_header(head: Sequence[tuple[int, list[Any]]], header: Header) -> int | None:
    """A row below the one taken that names more known columns."""
    taken = next((cells for number, cells in head if number == header.rows[0]), [])
    best, best_hits = None, header_hits(taken)
    for number, cells in head:
        if number > header.last_row and (hits := header_hits(cells)) > best_hits:
            best, best_hits = number, hits
    return best


def _defaults(raw: RawTable, options: ImportOptions) -> tuple[Context, str]:
    """The document type (and kind) that rows giving none take: --doc-type, else the
    sheet's name ("PKS", "Daftar MoU", "KS Antar Daerah")."""
    doc_type = kind = None
    if raw.sheet:
        doc_type, kind = vocab.DOC_TYPES.find_in(raw.sheet), vocab.KINDS.find_in(raw.sheet)
    if doc_type is None and options.doc_type:
        code = vocab.DOC_TYPES.match(options.doc_type, field_name="doc_type", label="--doc-type")
        return Context(code, kind), "--doc-type" + (" and the sheet's name" if kind else "")
    if doc_type or kind:
        return Context(doc_type, kind), "the sheet's name"
    return Context(), ""


def _headings_give_types(head: list[tuple[int, list[object]]], header: Header) -> bool:
    """A heading among the first rows under the header names a document type."""
    if not is_wide(header):
        return False
    for number, cells in head:
        if number <= header.last_row:
            continue
        texts = cells_text(cells)
        if (
            len(texts) <= 2
            and texts
            and is_heading(texts)
            and vocab.DOC_TYPES.find_in(" ".join(texts))
        ):
            return True
    return False


# ------------------------------------------------------------ the summary


def region_itself(tables: Sequence[TablePlan], configured: str | None) -> RegionItself:
    """`config region`, else the one party every row of the first rows names."""
    if configured:
        return detect_region_itself((), configured)
    cells = []
    for table in tables:
        positions = table.columns.extra.get("partners") or (
            (p,) if (p := table.columns.position("partners")) is not None else ()
        )
        for number, row in table.raw.head(HEAD_ROWS):
            if number <= table.header.last_row:
                continue
            text = "\n".join(str(row[p]) for p in positions if p < len(row) and row[p] not in EMPTY)
            if text:
                cells.append(text)
    return detect_region_itself(cells, None)


def table_infos(tables: Sequence[TablePlan]) -> list[TableInfo]:
    return [
        TableInfo(
            table.raw.sheet,
            f'column "{table.columns.labels.get("parent_number", "Induk")}"',
            frozenset(table.columns.labels),
        )
        for table in tables
    ]


def reading_of(reading: Reading, tables: Sequence[TablePlan]) -> Reading:
    """The file's reading, with only these tables (one type's)."""
    return dataclasses.replace(reading, tables=[table.reading for table in tables])


def start_summary(plan: Plan, tables: Sequence[TablePlan], kind: str) -> FileSummary:
    summary = FileSummary(plan.label, kind, reading=reading_of(plan.reading, tables))
    for table in tables:
        header_row = table.header.last_row or None
        summary.warnings += [
            Problem(
                plan.label,
                header_row,
                f'column "{name}" is not known; ignored',
                name,
                table.raw.sheet,
            )
            for name in table.columns.unknown
        ]
    return summary


def finish_summary(summary: FileSummary) -> None:
    """What the layout left out, told once per table (a warning when rows that look
    like agreements were among them)."""
    if summary.reading is None:
        return
    for table in summary.reading.tables:
        notes, warnings = describe_left_out(table)
        summary.notes += notes
        summary.warnings += [
            Problem(summary.source, None, warning, None, table.sheet) for warning in warnings
        ]
