"""`kerjasama import`: bring an existing register in from CSV, XLSX, JSON or JSONL."""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kerjasama_cli.cli import common
from kerjasama_cli.cli.common import JsonOption, info, open_register, print_json
from kerjasama_cli.errors import ExitCode

if TYPE_CHECKING:
    from kerjasama_cli.importing import FileSummary


def _summary_line(summary: "FileSummary") -> str:
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
    return f"{summary.source}: {summary.rows} rows: {counts} ({outcome})"


def import_command(
    ctx: typer.Context,
    files: Annotated[
        list[str],
        typer.Argument(
            metavar="FILE",
            help="CSV, XLSX, JSON or JSONL files; '-' reads CSV from standard input.",
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
    sheet: Annotated[
        str | None,
        typer.Option(
            "--sheet", metavar="NAME", help="The workbook sheet to read (default: the first)."
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check everything and report, write nothing.")
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

    Headers may be the canonical names or their Indonesian forms (Nomor,
    Tentang, Mitra, Perangkat Daerah, Tanggal Penandatanganan, Jangka Waktu,
    Nilai, ...), in any case; unknown columns are reported and ignored. A
    document already in the register (same type and number) is left alone when
    identical, so importing a file twice changes nothing. Of several files, the
    register's go in first, then evaluations, then findings.

    Examples:

    \b
      kerjasama import register-2021.xlsx --sheet "Daftar KSD" --dry-run
      kerjasama import register.csv --on-conflict update --report masalah.txt
      kerjasama import *.csv
      cat register.csv | kerjasama import -
    """
    from kerjasama_cli.importing import ImportOptions, import_file, in_dependency_order
    from kerjasama_cli.register import Actor

    options = ImportOptions(
        type=import_type,
        sheet=sheet,
        dry_run=dry_run,
        on_conflict=on_conflict,
        skip_invalid=skip_invalid,
    )
    register = open_register(ctx)
    actor = Actor.current("import")
    ordered = in_dependency_order(files, options)
    if ordered != files:
        info(
            "Importing the register's files first, then evaluations, then findings: "
            "these name agreements by number."
        )
    summaries = []
    for path in ordered:
        with _progress(path) as progress:
            summaries.append(import_file(register, path, options, actor=actor, progress=progress))
    problems = [p for s in summaries for p in s.problems]
    if report is not None:
        report.write_text("".join(p.line() + "\n" for p in problems), encoding="utf-8")
    if as_json:
        print_json([s.to_dict() for s in summaries])
    else:
        for summary in summaries:
            for warning in summary.warnings:
                info(f"Warning: {warning.line()}")
            for problem in summary.problems:
                typer.echo(problem.line(), err=True)
            typer.echo(_summary_line(summary))
    if problems and not skip_invalid:
        raise typer.Exit(int(ExitCode.PROBLEMS_FOUND))


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
