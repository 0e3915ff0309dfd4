"""One import, start to end: a file's tables read, checked and written (or refused).

A file's agreement tables are written in one transaction (all of them, or
none if any row is invalid); its evaluation tables in another, then its
findings: one summary for each, in that order.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from kerjasama_cli.db.engine import Register
from kerjasama_cli.errors import InvalidValue, KerjasamaError
from kerjasama_cli.importing.layout import MAX_HEADER_ROW
from kerjasama_cli.importing.plan import (
    Plan,
    TablePlan,
    finish_summary,
    plan_file,
    region_itself,
    start_summary,
    table_infos,
)
from kerjasama_cli.importing.records import as_rows
from kerjasama_cli.importing.summary import FileSummary, ImportOptions, Problem
from kerjasama_cli.importing.validate import validate
from kerjasama_cli.importing.write import write_chunks
from kerjasama_cli.register import Actor

# Evaluations and findings name agreements by number: their files go after the
# register's when several files are imported at once.
_TYPE_RANK = {"agreements": 0, "evaluations": 1, "findings": 2}
_OWN_EVALUATION_CSV = re.compile(r"evaluasi-kerja-sama-(\d{4})(?:-.+)?-evaluasi-\1\.csv", re.I)


def in_dependency_order(paths: Sequence[str], options: ImportOptions) -> list[str]:
    """``paths`` with register files first, then evaluations, then findings.

    `kerjasama import *.csv` lists evaluasi-2021.csv before register-2021.csv;
    imported in that order every evaluation would name an agreement not yet
    there. The order within a type is kept. Each file's first rows are read to
    tell (a large workbook is thus opened twice); standard input cannot be read
    twice, so with '-' among them the order stays as given.
    """
    if options.type is not None or len(paths) < 2 or "-" in paths:
        return list(paths)
    rank = {path: _TYPE_RANK.get(_detected_type(path, options) or "", 0) for path in paths}
    return sorted(paths, key=rank.__getitem__)


def _detected_type(path: str, options: ImportOptions) -> str | None:
    """What a file holds first; None if it cannot be read (its import says why)."""
    try:
        return plan_file(path, options).types[0]
    except KerjasamaError:
        return None


def check_options(options: ImportOptions) -> None:
    if options.on_conflict not in ("update", "skip", "fail"):
        raise InvalidValue(
            "on_conflict",
            options.on_conflict,
            "is not a conflict mode",
            label="--on-conflict",
            hint="choose update, skip or fail",
        )
    if options.header_row is not None and not 1 <= options.header_row <= MAX_HEADER_ROW:
        raise InvalidValue(
            "header_row",
            options.header_row,
            f"is not a row number (1 to {MAX_HEADER_ROW:,})",
            label="--header-row",
        )


def import_file(
    register: Register,
    path: str,
    options: ImportOptions,
    *,
    actor: Actor,
    progress: Callable[[int], None] | None = None,
) -> list[FileSummary]:
    """Import one file: its agreements in one transaction (all or, with invalid rows,
    none of them), then its evaluations, then its findings. One summary for each."""
    check_options(options)
    if options.region is None:
        options = dataclasses.replace(options, region=configured_region(register))
    if options.parallel is not False:
        from kerjasama_cli.importing.pipeline import (
            import_in_two_processes,
            worth_a_second_process,
        )

        if options.parallel or worth_a_second_process(path):
            summary = import_in_two_processes(
                register, path, options, actor=actor, progress=progress
            )
            if summary is not None:
                return [summary]
    plan = plan_file(path, options)
    summaries = []
    agreements = plan.of_type("agreements")
    if agreements:
        region = region_itself(agreements, options.region)
        plan.reading.region_itself = list(region.names)
        summary = start_summary(plan, agreements, "agreements")
        chunks = map(as_rows, validate(agreements, summary, region, progress))
        write_chunks(register, chunks, summary, table_infos(agreements), options, actor)
        finish_summary(summary)
        summaries.append(summary)
    for kind in ("evaluations", "findings"):
        tables = plan.of_type(kind)
        if tables:
            summaries.append(_import_evaluations(register, plan, tables, kind, options, actor))
    return summaries


def configured_region(register: Register) -> str:
    from kerjasama_cli.settings import all_settings

    with register.reading() as session:
        return all_settings(session)["region"]


def _import_evaluations(
    register: Register,
    plan: Plan,
    tables: Sequence[TablePlan],
    kind: str,
    options: ImportOptions,
    actor: Actor,
) -> FileSummary:
    # Evaluations need the evaluation's core (and its queries): loaded when a file has some.
    from kerjasama_cli.importing.evaluations import EvaluationTable, import_tables, problems_of
    from kerjasama_cli.importing.form_returns import form_unit

    summary = start_summary(plan, tables, kind)
    # kerjasama's own CSV of a year's evaluation sheet (export YEAR --csv) has no
    # Tahun column: its name says the year, as the sheet's name does in the workbook.
    own = _OWN_EVALUATION_CSV.fullmatch(Path(plan.label).name)
    named = int(own.group(1)) if own else None
    unit = form_unit(plan.label) if kind == "evaluations" else None
    outcome = import_tables(
        register,
        kind,
        plan.label,
        [
            EvaluationTable(
                table.raw.sheet,
                table.row_filter().rows(table.raw),
                table.columns,
                table.header.title,
                table.raw.percent_rows,
                table.raw.col_offset,
                named if table.raw.sheet is None else None,
                unit,
            )
            for table in tables
        ],
        dry_run=options.dry_run,
        on_conflict=options.on_conflict,
        skip_invalid=options.skip_invalid,
        actor=actor,
    )
    counts = outcome.counts
    summary.rows = outcome.prepared + len(outcome.problems) + len(outcome.blank)
    summary.created, summary.updated = counts["created"], counts["updated"]
    summary.unchanged, summary.skipped = counts["unchanged"], counts["skipped"]
    summary.invalid = len(outcome.problems)
    order = {table.raw.sheet: index for index, table in enumerate(tables)}
    summary.problems = sorted(
        problems_of(plan.label, outcome), key=lambda p: (order.get(p.sheet, 0), p.row or 0)
    )
    summary.warnings += outcome.warnings
    summary.skipped_documents = [
        (0, row, number, fields) for row, number, fields in outcome.skipped
    ]
    if outcome.blank:
        blank = outcome.blank
        summary.warnings.append(
            Problem(
                plan.label,
                None,
                (
                    "1 row left empty was not imported (row "
                    if len(blank) == 1
                    else f"{len(blank)} rows left empty were not imported (rows "
                )
                + ", ".join(str(row) for row in blank[:10])
                + (", ..." if len(blank) > 10 else "")
                + ")",
            )
        )
    summary.written = outcome.written
    finish_summary(summary)
    return summary
