"""One import, start to end: a file's tables read, checked and written (or refused)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kerjasama_cli.db.engine import Register
from kerjasama_cli.errors import InvalidValue, KerjasamaError
from kerjasama_cli.importing.columns import ColumnMap, map_columns, require_columns, start_summary
from kerjasama_cli.importing.sources import Source, open_source
from kerjasama_cli.importing.summary import FileSummary, ImportFailed, ImportOptions, Problem
from kerjasama_cli.importing.validate import as_rows, validate
from kerjasama_cli.importing.write import write_chunks
from kerjasama_cli.register import Actor

# Evaluations and findings name agreements by number: their files go after the
# register's when several files are imported at once.
_TYPE_RANK = {"agreements": 0, "evaluations": 1, "findings": 2}


def in_dependency_order(paths: Sequence[str], options: ImportOptions) -> list[str]:
    """``paths`` with register files first, then evaluations, then findings.

    `kerjasama import *.csv` lists evaluasi-2021.csv before register-2021.csv;
    imported in that order every evaluation would name an agreement not yet
    there. The order within a type is kept. Each file's header is read to tell
    (a large workbook is thus opened twice); standard input cannot be read
    twice, so with '-' among them the order stays as given.
    """
    if options.type is not None or len(paths) < 2 or "-" in paths:
        return list(paths)
    rank = {path: _TYPE_RANK.get(_detected_type(path, options.sheet) or "", 0) for path in paths}
    return sorted(paths, key=rank.__getitem__)


def _detected_type(path: str, sheet: str | None) -> str | None:
    """What a file's header says it holds; None if it cannot be read (its import says why)."""
    try:
        return map_columns(open_source(path, sheet).header, None).type
    except KerjasamaError:
        return None


def import_file(
    register: Register,
    path: str,
    options: ImportOptions,
    *,
    actor: Actor,
    progress: Callable[[int], None] | None = None,
) -> FileSummary:
    """Import one file in one transaction: all of it, or (with invalid rows) none of it."""
    if options.on_conflict not in ("update", "skip", "fail"):
        raise InvalidValue(
            "on_conflict",
            options.on_conflict,
            "is not a conflict mode",
            label="--on-conflict",
            hint="choose update, skip or fail",
        )
    if options.parallel is not False:
        from kerjasama_cli.importing.pipeline import import_in_two_processes, worth_a_second_process

        if options.parallel or worth_a_second_process(path):
            summary = import_in_two_processes(
                register, path, options, actor=actor, progress=progress
            )
            if summary is not None:
                return summary
    opened = open_source(path, options.sheet)
    columns = map_columns(opened.header, options.type)
    summary = start_summary(opened.label, columns)
    if columns.type != "agreements":
        return _import_evaluation_rows(register, opened, columns, summary, options, actor)
    require_columns(opened.label, columns)
    chunks = map(as_rows, validate(opened.label, columns, opened.rows, summary, progress))
    return write_chunks(register, chunks, summary, columns, options, actor)





def _import_evaluation_rows(
    register: Register,
    opened: Source,
    columns: ColumnMap,
    summary: FileSummary,
    options: ImportOptions,
    actor: Actor,
) -> FileSummary:
    from kerjasama_cli.importing.evaluations import import_rows

    required = ("number", "level") if columns.type == "evaluations" else ("number", "text")
    missing = [name for name in required if name not in columns.labels]
    if missing:
        raise ImportFailed(
            f"{opened.label}: the header has no column for "
            + ", ".join(repr(name) for name in missing),
            hint="see README for the column names and their aliases",
        )
    counts, problems, blank, written = import_rows(
        register,
        columns.type,
        opened.label,
        opened.rows,
        columns.fields,
        columns.labels,
        sheet=opened.sheet,
        dry_run=options.dry_run,
        on_conflict=options.on_conflict,
        skip_invalid=options.skip_invalid,
        actor=actor,
    )
    summary.rows = sum(counts.values()) + len(problems) + len(blank)
    summary.created, summary.updated = counts["created"], counts["updated"]
    summary.unchanged, summary.skipped = counts["unchanged"], counts["skipped"]
    summary.invalid = len(problems)
    summary.problems = sorted(
        (Problem(opened.label, row, error.message, error.label) for row, error in problems),
        key=lambda p: p.row or 0,
    )
    if blank:
        summary.warnings.append(
            Problem(
                opened.label,
                None,
                f"{len(blank)} rows left empty were not imported (rows "
                + ", ".join(str(row) for row in blank[:10])
                + (", ..." if len(blank) > 10 else "")
                + ")",
            )
        )
    summary.written = written
    return summary
