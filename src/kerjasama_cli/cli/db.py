"""`kerjasama db`: where the register is and its schema."""

from typing import Annotated

import typer

from kerjasama_cli.cli.common import db_location, open_register

app = typer.Typer(help="The register's location and schema.", no_args_is_help=True)


@app.command("path")
def path(ctx: typer.Context) -> None:
    """Print where the register in use lives (--db, else $KERJASAMA_DB, else the default)."""
    from kerjasama_cli.db.engine import describe, resolve_location

    typer.echo(describe(resolve_location(db_location(ctx))))


@app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Bring the register's schema up to this version of kerjasama.

    An SQLite register is also upgraded by any command that opens it (first copied
    to FILE.before-REVISION.bak); a shared PostgreSQL register only by this command,
    and until then every other command refuses it.
    """
    from kerjasama_cli.db.engine import Register
    from kerjasama_cli.db.migrate import SCHEMA_HEAD

    register = Register.open(db_location(ctx), upgrade=True)
    ctx.call_on_close(register.close)
    if register.applied:
        typer.echo(f"Upgraded {register.location}: {', '.join(register.applied)}")
    else:
        typer.echo(f"{register.location} is up to date (schema {SCHEMA_HEAD})")


@app.command("info")
def db_info(ctx: typer.Context) -> None:
    """Print the register's location, backend, schema and size."""
    from kerjasama_cli.db.engine import summary

    for key, value in summary(open_register(ctx)).items():
        typer.echo(f"{key + ':':<12}{value}")


@app.command("copy")
def copy(
    ctx: typer.Context,
    to: Annotated[
        str, typer.Option("--to", metavar="PATH_OR_URL", help="The empty register to copy into.")
    ],
) -> None:
    """Copy the whole register (history included) into another, empty database.

    Moves a register from SQLite to PostgreSQL, or back; ends with a count check
    of every table.

    Example:

    \b
      kerjasama --db kerjasama.db db copy --to postgresql+psycopg://kerjasama@db/ksd
    """
    from kerjasama_cli.db.copy import copy_register
    from kerjasama_cli.db.engine import Register

    source = open_register(ctx)
    target = Register.open(to, upgrade=True)
    ctx.call_on_close(target.close)
    counts = copy_register(source, target)
    typer.echo(
        f"Copied {source.location} to {target.location}: "
        + ", ".join(f"{count} {name}" for name, count in counts.items() if count)
    )
