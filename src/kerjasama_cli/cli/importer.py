"""`kerjasama import`: bring an existing register in from CSV, XLSX, JSON or JSONL."""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kerjasama_cli.cli import common
from kerjasama_cli.cli.common import JsonOption, info, open_register, print_json, report_error
from kerjasama_cli.errors import ExitCode

if TYPE_CHECKING:
    from kerjasama_cli.importing import FileSummary
    from kerjasama_cli.importing.summary import Reading, TableReading


def _summary_line(summary: "FileSummary", *, with_type: bool = False) -> str:
    counts = (
        f"{summary.created} created, {summary.updated} updated, "
        f"{summary.unchanged} unchanged, {summary.skipped} skipped, "
        f"{summary.invalid} invalid"
    )
    if summary.invalid and not summary.written and summary.created + summary.updated == 0:
        outcome = "nothing written"
    elif not summary.written:
        outcome = "dry run, nothing written"
    else:
        outcome = "written"
    what = f" of {summary.type}" if with_type else ""
    rows = _plural(summary.rows, "row", "rows")
    return f"{summary.source}: {rows}{what}: {counts} ({outcome})"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _rows(rows: list[int]) -> str:
    from kerjasama_cli.importing.layout import rows_text

    return rows_text(rows)


def _header_rows(table: "TableReading") -> str:
    rows = table.header_rows
    if not rows:
        return "the keys of its objects as the header"
    if len(rows) == 1:
        return f"header on row {rows[0]}"
    return f"header on rows {rows[0]}-{rows[-1]}"


def reading_line(source: str, reading: "Reading") -> str:
    """One line: how a file was read (encoding, sheets, header rows)."""
    parts = []
    if reading.encoding and reading.delimiter:
        parts.append(f"read as {reading.encoding}, {_delimiter(reading.delimiter)}-separated")
    elif reading.encoding:
        parts.append(f"read as {reading.encoding}")
    tables = list(reading.tables)
    if len(tables) == 1 and tables[0].sheet is None:
        parts.append(_header_rows(tables[0]))
    elif tables:
        parts.append(
            ("sheet " if len(tables) == 1 else "sheets ")
            + ", ".join(f"{t.sheet!r} ({_header_rows(t)})" for t in tables)
        )
    if reading.skipped:
        parts.append(
            "not read: " + ", ".join(f"{sheet!r} ({why})" for sheet, why in reading.skipped)
        )
    return f"{source}: " + "; ".join(parts)


def _delimiter(delimiter: str | None) -> str:
    return {"\t": "tab", None: "?"}.get(delimiter, f"'{delimiter}'")


def reading_report(source: str, reading: "Reading") -> list[str]:
    """How the file was read, column by column: what --dry-run prints first."""
    lines = [f"How {source} was read ({reading.format}):"]
    if reading.encoding and reading.delimiter:
        lines.append(
            f"  encoding: {reading.encoding}; cells separated by {_delimiter(reading.delimiter)}"
        )
    elif reading.encoding:
        lines.append(f"  encoding: {reading.encoding}")
    for note in reading.notes:
        lines.append(f"  {note}")
    for table in reading.tables:
        where = f"sheet {table.sheet!r}" if table.sheet else "the table"
        title = f" (above it: {' / '.join(table.title)[:120]})" if table.title else ""
        lines.append(f"  {where}: {table.type}, {_header_rows(table)}{title}")
        if table.defaults:
            given = ", ".join(f"{name} {code!r}" for name, code in table.defaults.items())
            lines.append(f"    rows that give none take {given} (from {table.defaults_from})")
        width = max((len(c.header) for c in table.columns), default=0)
        width = min(width, 40)
        for column in table.columns:
            what = column.field or column.note
            if column.field and column.note:
                what = f"{column.field} ({column.note})"
            lines.append(f"    {column.column:>3}  {column.header[:40]:<{width}}  -> {what}")
        left = []
        if table.sections:
            left.append(
                f"{len(table.sections)} section headings "
                f"({_rows([row for row, _t in table.sections])})"
            )
        if table.totals:
            left.append(f"totals ({_rows(table.totals)})")
        if table.repeated_headers:
            left.append(f"the header repeated ({_rows(table.repeated_headers)})")
        if table.column_numbers:
            left.append(f"column numbers ({_rows(table.column_numbers)})")
        if table.notes_inside:
            rows = [row for row, _text in table.notes_inside]
            left.append(f"notes inside the table ({_rows(rows)})")
        if table.after:
            first, count, text = table.after
            left.append(f"{count} rows under the table from row {first} ({text!r})")
        lines.append(f"    data rows: {table.data_rows}")
        for index, what in enumerate(left):
            lines.append(("    left out: " if index == 0 else " " * 14) + what)
    for sheet, why in reading.skipped:
        lines.append(f"  sheet {sheet!r}: not read ({why})")
    for name, how in reading.region_itself:
        lines.append(f"  the region itself: {name!r} ({how}): not stored as a partner")
    return lines


def _next_steps(summary: "FileSummary", skip_invalid: bool) -> list[str]:
    """What to do when a file is refused: the options that fit."""
    steps = []
    valid = summary.rows - summary.invalid
    if summary.invalid and not skip_invalid:
        steps.append(
            "fix the rows above and import again, or write the "
            + _plural(valid, "valid row", "valid rows")
            + " and leave these out with --skip-invalid"
        )
    reading = summary.reading
    empty = sum("required, but empty" in p.message for p in summary.problems)
    if reading and summary.rows and empty * 2 >= summary.rows:
        steps.append(
            "many required cells are empty: check how the file was read (--dry-run "
            "shows it); name the header row with --header-row N"
            + (" or the sheets with --sheet NAME" if reading.format == "workbook" else "")
        )
    if (
        summary.type == "agreements"
        and summary.rows
        and summary.invalid == summary.rows
        and reading
        and _names_evaluation_columns(reading)
    ):
        steps.append(
            "if the file holds evaluations or findings, say so with --type evaluations "
            "(or findings)"
        )
    return steps


def _names_evaluation_columns(reading: "Reading") -> bool:
    """Whether a table read as agreements has columns of an evaluation or findings."""
    from kerjasama_cli.vocab.columns import EVALUATION_INDEX, FINDING_INDEX, header_keys

    names = [c.header for t in reading.tables for c in t.columns]
    return any(
        key in EVALUATION_INDEX or key in FINDING_INDEX
        for name in names
        for key in header_keys(name)
        if key not in ("nomor", "keterangan", "catatan", "rekomendasi", "tahun", "status")
    )


def import_command(
    ctx: typer.Context,
    files: Annotated[
        list[str],
        typer.Argument(
            metavar="FILE",
            help="CSV, XLSX, XLS, ODS, JSON or JSONL files, or folders of them; '-' reads "
            "CSV from standard input.",
        ),
    ],
    import_type: Annotated[
        str | None,
        typer.Option(
            "--type",
            metavar="TYPE",
            help="agreements, evaluations or findings (default: what the headers say).",
        ),
    ] = None,
    sheets: Annotated[
        list[str] | None,
        typer.Option(
            "--sheet",
            metavar="NAME",
            help="Read only this workbook sheet (any case; repeat for several). "
            "Default: every sheet that holds a table.",
        ),
    ] = None,
    header_row: Annotated[
        int | None,
        typer.Option(
            "--header-row",
            metavar="N",
            help="The header is on row N (its first row, if two) instead of the row found.",
        ),
    ] = None,
    doc_type: Annotated[
        str | None,
        typer.Option(
            "--doc-type",
            metavar="TYPE",
            help="The document type (kb, pks, adendum) of rows that give none and whose "
            "sheet name or section heading names none.",
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            metavar="NAME",
            help="The CSV file's encoding (cp1252, utf-8...) instead of the one detected.",
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Check everything, show how the file was read, write nothing."
        ),
    ] = False,
    on_conflict: Annotated[
        str,
        typer.Option(
            "--on-conflict",
            metavar="MODE",
            help="When a document is in the register with other values: update "
            "(recorded in history), skip, or fail (import nothing).",
        ),
    ] = "skip",
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid",
            help="Write the valid rows and report the rest (default: a file "
            "with any invalid row writes nothing).",
        ),
    ] = False,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report", metavar="FILE", help="Also write every problem, one per line, to FILE."
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Import a register kept in a spreadsheet: all of a file or none of it.

    The table is found as offices keep it: a title block above it, a header
    over one or two rows (merged "Jangka Waktu" over "Mulai" / "Berakhir"),
    section rows ("A. KERJA SAMA DENGAN PIHAK KETIGA"), totals and a signature
    block under it, one sheet per document type ("KB", "PKS"), CSV from Excel
    in any encoding. Headers may be the canonical names or their Indonesian
    forms (Nomor, Tentang, Mitra, Perangkat Daerah, Tanggal Penandatanganan,
    Jangka Waktu, Nilai, ...), in any case; unknown columns are reported and
    ignored. A document already in the register (same type and number) is left
    alone when identical, so importing a file twice changes nothing. Of several
    files, the register's go in first, then evaluations, then findings.

    Examples:

    \b
      kerjasama import daftar-ksd-2021.xlsx --dry-run
      kerjasama import daftar-ksd-2021.xlsx --sheet PKS --header-row 5
      kerjasama import register.csv --on-conflict update --report masalah.txt
      kerjasama import evaluasi-kerja-sama-2021.xlsx
      kerjasama import *.csv
      cat register.csv | kerjasama import -
    """
    from kerjasama_cli.importing import ImportOptions, import_file, in_dependency_order
    from kerjasama_cli.importing.sources import expand_folders
    from kerjasama_cli.register import Actor

    options = ImportOptions(
        type=import_type,
        sheets=tuple(sheets or ()),
        header_row=header_row,
        encoding=encoding,
        doc_type=doc_type,
        dry_run=dry_run,
        on_conflict=on_conflict,
        skip_invalid=skip_invalid,
    )
    from kerjasama_cli.db.files import sqlite_path
    from kerjasama_cli.errors import KerjasamaError

    register = open_register(ctx, dry_run=dry_run)
    register_file = sqlite_path(register.url)
    if report is not None:  # before importing: never over the register, a folder, a device
        from kerjasama_cli.outputs import check_target

        check_target(report, register=register_file)
    actor = Actor.current("import")
    files = expand_folders(files)
    lock_files = [path for path in files if Path(path).name.startswith("~$")]
    for path in lock_files:
        info(f"Skipped {path}: the lock file Excel keeps while a workbook is open, not a file")
    files = [path for path in files if path not in lock_files]
    if not files:
        raise typer.Exit(int(ExitCode.OK))
    ordered = in_dependency_order(files, options)
    if ordered != files:
        info(
            "Importing the register's files first, then evaluations, then findings: "
            "these name agreements by number."
        )
    if dry_run and len(ordered) > 1:
        info(
            "A dry run checks each file against the register as it is: what an earlier "
            "file would add is not there for the later ones."
        )
    summaries = []
    failed: list[tuple[str, KerjasamaError]] = []
    for path in ordered:
        try:
            with _progress(path) as progress:
                summaries += import_file(register, path, options, actor=actor, progress=progress)
        except KerjasamaError as refused:
            if len(ordered) == 1:
                raise  # the one error, told as every command tells it
            failed.append((path, refused))  # each file is its own transaction: go on
    problems = [p for s in summaries for p in s.problems]
    if report is not None:
        from kerjasama_cli.outputs import write_text

        lines = "".join(p.line() + "\n" for p in problems)
        write_text(report, lines, register=register_file)
    if as_json:
        print_json([s.to_dict() for s in summaries])
    else:
        _print(summaries, dry_run=dry_run, skip_invalid=skip_invalid)
    for path, refusal in failed:
        typer.echo(f"{path}: not imported", err=True)
        report_error(refusal)
    if failed:
        raise typer.Exit(int(failed[0][1].exit_code))
    if problems and not skip_invalid:
        raise typer.Exit(int(ExitCode.PROBLEMS_FOUND))


def _print(summaries: list["FileSummary"], *, dry_run: bool, skip_invalid: bool) -> None:
    told: set[str] = set()
    for summary in summaries:
        reading = summary.reading
        if reading is not None and summary.source not in told:
            told.add(summary.source)
            if dry_run:
                for line in reading_report(summary.source, _whole(summaries, summary.source)):
                    typer.echo(line)
            else:
                info(reading_line(summary.source, _whole(summaries, summary.source)))
            for note in reading.notes:
                info(f"Note: {note}")
        for note in summary.notes:
            if not (dry_run and note in _left_out_notes(summary)):  # the report said it
                info(f"Note: {summary.source}: {note}")
        for warning in summary.warnings:
            info(f"Warning: {warning.line()}")
        if skipped := summary.skipped_line():
            info(f"Warning: {summary.source}: {skipped}")
        if kept := summary.kept_line():
            info(f"Note: {summary.source}: {kept}")
        for problem in summary.problems:
            typer.echo(problem.line(), err=True)
        if summary.unresolved and (summary.written or dry_run):
            count = len(summary.unresolved)
            info(
                f"{summary.source}: {_plural(count, 'parent document is', 'parent documents are')}"
                " in neither the register nor the file, "
                + ("kept" if summary.written else "would be kept")
                + (" as a link" if count == 1 else " as links")
                + " to make when "
                + ("it arrives: " if count == 1 else "they arrive: ")
                + ", ".join(summary.unresolved[:10])
                + (", ..." if count > 10 else "")
                + (". Import the file that holds it and it will be linked" if count == 1
                   else ". Import the file that holds them and they will be linked")
                + " (kerjasama check lists what is still waiting)."
            )
        several = sum(s.source == summary.source for s in summaries) > 1
        typer.echo(_summary_line(summary, with_type=several))
        for step in _next_steps(summary, skip_invalid):
            info(f"Hint: {step}")


def _left_out_notes(summary: "FileSummary") -> list[str]:
    from kerjasama_cli.importing.layout import describe_left_out

    if summary.reading is None:
        return []
    return [note for t in summary.reading.tables for note in describe_left_out(t)[0]]


def _whole(summaries: list["FileSummary"], source: str) -> "Reading":
    """One file's reading, all its tables (its summaries hold one type's each)."""
    import dataclasses

    mine = [s for s in summaries if s.source == source and s.reading is not None]
    first = mine[0].reading
    assert first is not None
    tables = [t for s in mine if s.reading for t in s.reading.tables]
    return dataclasses.replace(first, tables=tables)


@contextmanager
def _progress(path: str) -> Iterator[Callable[[int], None] | None]:
    """A live row count on a terminal for large files; nothing in scripts."""
    if not sys.stderr.isatty() or common.notes_silenced():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.completed:,} rows"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(f"Reading {Path(path).name}", total=None)
        yield lambda rows: bar.update(task, completed=rows)


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
