"""`kerjasama db`: where the register is and its schema."""

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

    Every command also does this when it opens a register that is behind. An
    SQLite file is first copied to FILE.before-REVISION.bak.
    """
    from kerjasama_cli.db.migrate import SCHEMA_HEAD

    register = open_register(ctx)
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
