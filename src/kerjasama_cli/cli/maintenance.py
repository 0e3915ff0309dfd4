"""Commands that look after the register as a whole: check, backup."""

from pathlib import Path
from typing import Annotated

import typer

from kerjasama_cli.cli.common import JsonOption, open_register, print_json, reading
from kerjasama_cli.errors import ExitCode


def check(
    ctx: typer.Context,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 on warnings too, not only on errors.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Check the register's integrity.

    Errors: a PKS that outlives its KB, an end before the start, the same number
    twice (ignoring case), a document file missing or changed since recorded.
    Warnings: a PKS without a KB, missing signing or end dates.
    Exits 1 when there are errors (with --strict, warnings too).

    Example:

    \b
      kerjasama check --json > problems.json
    """
    from kerjasama_cli.cli import render
    from kerjasama_cli.integrity import check_register

    with reading(ctx) as session:
        problems = check_register(session)
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    if as_json:
        print_json([p.to_dict() for p in problems])
    else:
        out = render.console()
        for problem in problems:
            style = "red" if problem.severity == "error" else "yellow"
            out.print(
                f"[{style}]{problem.severity}[/{style}] {problem.number} "
                f"(id {problem.agreement_id}): {problem.message} [dim]\\[{problem.code}][/dim]"
            )
        out.print(
            f"{errors} error{'s' if errors != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''}"
        )
    if errors or (strict and warnings):
        raise typer.Exit(int(ExitCode.PROBLEMS_FOUND))


def backup(
    ctx: typer.Context,
    target: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the copy.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """Write a consistent copy of the register, safe while others are writing to it.

    The copy is written next to FILE and renamed onto it when complete, so a
    full disk or an interruption leaves an older FILE as it was. --force
    replaces a file, never the register itself, a folder or a device.

    Example:

    \b
      kerjasama backup /media/usb/kerjasama-2021-12-31.db
    """
    from kerjasama_cli.db.backup import backup as backup_register

    written = backup_register(open_register(ctx), target, overwrite=force)
    typer.echo(str(written))


def register(app: typer.Typer) -> None:
    app.command("check")(check)
    app.command("backup")(backup)
