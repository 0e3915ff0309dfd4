"""The root command: global options, the error boundary, and the command groups."""

import contextlib
import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from kerjasama_cli import __version__
from kerjasama_cli.cli import (
    agreements,
    browse,
    config,
    db,
    evaluate,
    export,
    findings,
    importer,
    maintenance,
    merge,
    ref,
    schema,
)
from kerjasama_cli.cli.common import report_error, set_quiet
from kerjasama_cli.errors import ExitCode, KerjasamaError


class ErrorBoundary(TyperGroup):
    """The one place where the core's typed errors become a message and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        _tolerant_output()
        try:
            return super().invoke(ctx)
        except KerjasamaError as error:
            report_error(error)
            raise typer.Exit(int(error.exit_code)) from None
        except Exception as error:
            # Database failures the core did not foresee (disk full, server gone)
            # are still the register's problem, not a bug: no traceback.
            if type(error).__module__.startswith("sqlalchemy") and not os.environ.get(
                "KERJASAMA_DEBUG"
            ):
                detail = getattr(error, "orig", None) or error
                typer.echo(f"Error: the register could not be used: {detail}", err=True)
                raise typer.Exit(int(ExitCode.REGISTER)) from None
            # Usage errors, --help, exits: the CLI library's own (Click, or Typer's
            # copy of it) print themselves.
            if os.environ.get("KERJASAMA_DEBUG") or _cli_own(error):
                raise
            raise typer.Exit(int(_unforeseen(error))) from None


def _tolerant_output() -> None:
    """A path with bytes that are not UTF-8 (a file name from another system) is
    printed with them escaped (\\udcff), not a crash while telling it."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def _cli_own(error: Exception) -> bool:
    return type(error).__module__.split(".")[0] in ("click", "typer")


def _unforeseen(error: Exception) -> ExitCode:
    """What no check foresaw, said in one line: a file or the machine refusing
    (an OSError, memory), else a bug, which asks to be reported."""
    if isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        typer.echo(f"Error: {where}{error.strerror or error}", err=True)
        typer.echo("Hint: check the path, its permissions and the free space", err=True)
        return ExitCode.INVALID_INPUT
    if isinstance(error, ValueError) and "embedded null" in str(error):
        typer.echo("Error: a file name or value holds a NUL character (\\x00)", err=True)
        typer.echo("Hint: no file can be named so: give the name without it", err=True)
        return ExitCode.INVALID_INPUT
    if isinstance(error, MemoryError):
        typer.echo("Error: not enough memory for this", err=True)
        return ExitCode.INVALID_INPUT
    typer.echo(f"Error: kerjasama failed unexpectedly ({type(error).__name__}: {error})", err=True)
    typer.echo(
        "Hint: this is a bug: please report it with the command you ran "
        "(KERJASAMA_DEBUG=1 shows the details)",
        err=True,
    )
    return ExitCode.BUG


app = typer.Typer(
    name="kerjasama",
    cls=ErrorBoundary,
    help=(
        "Keep the region's register of cooperation agreements (Kerja Sama Daerah), "
        "its yearly evaluation, and the reports.\n\n"
        "Examples:\n\n\b\n"
        "  kerjasama add-mou --number 180/12/KB/2021 --title 'Pengembangan SDM' \\\n"
        "    --partner 'Universitas Lampung' --signed '19 Agustus 2021' --term '5 tahun'\n"
        "  kerjasama list --year 2021 --status akan-berakhir\n"
        "  kerjasama due --within 60\n"
        "  kerjasama show 180/12/KB/2021"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kerjasama {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db_option: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="PATH_OR_URL",
            help=(
                "The register: an SQLite file path or a database URL "
                "(postgresql+psycopg://user@host/dbname). Default: $KERJASAMA_DB, else "
                "kerjasama.db in your user data folder (see: kerjasama db path)."
            ),
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print no notes, only results and errors.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    ctx.obj = {"db": db_option}
    set_quiet(quiet)


agreements.register(app)
browse.register(app)
importer.register(app)
evaluate.register(app)
export.register(app)
maintenance.register(app)
merge.register(app)
schema.register(app)
app.add_typer(findings.app, name="finding")
app.add_typer(db.app, name="db")
app.add_typer(config.app, name="config")
app.add_typer(ref.app, name="ref")


def run() -> None:
    app()
