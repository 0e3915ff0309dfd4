"""`kerjasama merge`: roll regions' registers up into this one (a province's)."""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from kerjasama_cli.cli import common
from kerjasama_cli.cli.common import JsonOption, open_register, print_json

if TYPE_CHECKING:
    from kerjasama_cli.merging import MergeSummary


def _summary_line(summary: "MergeSummary") -> str:
    return (
        f"{summary.source} -> {summary.region}: {summary.created} created, "
        f"{summary.updated} updated, {summary.unchanged} unchanged; "
        f"{summary.evaluations} evaluations, {summary.findings} findings, "
        f"{summary.history} history entries"
    )


def merge_command(
    ctx: typer.Context,
    sources: Annotated[
        list[str],
        typer.Argument(
            metavar="FILE_OR_URL",
            help="The regions' registers: SQLite files or database URLs; "
            "REGION=FILE names the region yourself.",
        ),
    ],
    region_from_config: Annotated[
        bool,
        typer.Option(
            "--region-from-config",
            help="Tag each register's agreements with its own `config region` "
            "(default: the file's name, or the URL's database name).",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Bring several regions' registers into this one, each agreement tagged with its region.

    A region's agreements, partners, OPDs, history, evaluations and findings
    come in; its OPDs are named with the region ("Dinas Kesehatan (Kabupaten
    Tanggamus)"). Merging a region again updates what changed in its register
    and never duplicates: agreements are matched on region, type and number.
    The registers merged from are only read.

    Examples:

    \b
      kerjasama --db provinsi.db merge --region-from-config kab-*.db
      kerjasama --db provinsi.db merge "Kota Metro=metro.db" tanggamus.db
      kerjasama --db postgresql+psycopg://bkd@db/provinsi merge --region-from-config \\
          postgresql+psycopg://bkd@db/tanggamus kab-pringsewu.db
    """
    from kerjasama_cli.merging import merge, resolve_sources

    target = open_register(ctx)
    opened = resolve_sources(sources, from_config=region_from_config, target=target)
    try:
        with _progress(len(opened)) as progress:
            summaries = merge(target, opened, progress=progress)
    finally:
        for _source, register in opened:
            register.close()
    if as_json:
        print_json([summary.to_dict() for summary in summaries])
        return
    for summary in summaries:
        typer.echo(_summary_line(summary))


@contextmanager
def _progress(total: int) -> Iterator[Callable[["MergeSummary"], None] | None]:
    """Registers done out of all, on a terminal; nothing in scripts."""
    if total < 2 or not sys.stderr.isatty() or common.notes_silenced():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    columns = (BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("Merging", total=total)
        yield lambda _summary: bar.advance(task)


def register(app: typer.Typer) -> None:
    app.command("merge")(merge_command)
