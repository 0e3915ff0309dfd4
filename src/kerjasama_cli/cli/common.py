"""What every command module shares: opening the register, options, output helpers."""

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from kerjasama_cli.db.engine import Register
    from kerjasama_cli.errors import KerjasamaError


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", metavar="table|json|csv", help="How to print the result."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (same as --format json).")]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of", metavar="DATE", help="Compute status as of this date instead of today."
    ),
]


def output_format(fmt: OutputFormat, as_json: bool) -> OutputFormat:
    return OutputFormat.json if as_json else fmt


def db_location(ctx: typer.Context) -> str | None:
    root = ctx.find_root()
    obj = root.obj or {}
    return obj.get("db")


def open_register(ctx: typer.Context, *, dry_run: bool = False) -> "Register":
    """The register of --db, closed with the command. ``dry_run``: nothing in it
    changes, not even its schema (see Register.open)."""
    from kerjasama_cli.db.engine import Register

    register = Register.open(db_location(ctx), dry_run=dry_run, on_wait=waiting_note)
    ctx.call_on_close(register.close)
    for note in register.notes:
        info(note)
    return register


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


def waiting_note(message: str) -> None:
    """Why nothing happens while a write waits for another writer's lock: told to a
    person at a terminal (a script's log gets the error if the wait times out)."""
    if stderr_is_terminal():
        info(message)


@contextmanager
def writing(ctx: typer.Context) -> Iterator["Session"]:
    with open_register(ctx).writing() as session:
        yield session


@contextmanager
def reading(ctx: typer.Context) -> Iterator["Session"]:
    with open_register(ctx).reading() as session:
        yield session


def parse_date_option(text: str | None, label: str) -> date | None:
    if text is None:
        return None
    from kerjasama_cli.parse import parse_date

    return parse_date(text, field=label.lstrip("-").replace("-", "_"), label=label)


def as_of_date(text: str | None) -> date:
    return parse_date_option(text, "--as-of") or date.today()


def is_interactive() -> bool:
    """Prompt only when a person is at a terminal; scripts get an error instead."""
    return sys.stdin.isatty()


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


class _Notes:
    quiet = False  # set by the root --quiet option for the command being run


def set_quiet(quiet: bool) -> None:
    _Notes.quiet = quiet


def notes_silenced() -> bool:
    return _Notes.quiet


def info(message: str) -> None:
    """A note for the person at the terminal; stderr, so stdout stays parseable."""
    if not _Notes.quiet:
        typer.echo(message, err=True)


def report_error(error: "KerjasamaError") -> None:
    """A core error as the person reads it: the message, then what to do next."""
    typer.echo(f"Error: {error.message}", err=True)
    if error.hint:
        typer.echo(f"Hint: {error.hint}", err=True)
