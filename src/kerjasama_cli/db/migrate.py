"""Schema migrations: the register is brought to the installed tool's schema on open.

Migrations are Alembic scripts shipped inside the package (``migrations/``).
Opening a register checks its revision with one cheap query; only when it is
behind is Alembic loaded to upgrade it, inside one transaction, after copying
an SQLite file aside. A register written by a newer tool is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Connection

from kerjasama_cli.errors import RegisterError

if TYPE_CHECKING:
    from alembic.config import Config

    from kerjasama_cli.db.engine import Register

# The newest migration in migrations/versions; a test keeps the two in step.
SCHEMA_HEAD = "0005"
MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def current_revision(connection: Connection) -> str | None:
    """The register's schema revision; None for a new, empty database."""
    from sqlalchemy import inspect

    if not inspect(connection).has_table("alembic_version"):
        return None
    row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    return row[0] if row else None


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {revision.revision for revision in script.walk_revisions()}


def _has_user_tables(connection: Connection) -> bool:
    from sqlalchemy import inspect

    return bool(set(inspect(connection).get_table_names()) - {"alembic_version"})


def refuse_mismatch(register: Register) -> str | None:
    """Raise unless the register's schema is exactly the installed tool's."""
    with register.engine.connect() as connection:
        revision = current_revision(connection)
        foreign = revision is None and _has_user_tables(connection)
    if revision == SCHEMA_HEAD:
        return revision
    if foreign:
        raise RegisterError(
            f"{register.location} holds tables that are not a kerjasama register",
            hint="point --db at another file or an empty database",
        )
    if revision is not None and revision not in known_revisions():
        raise RegisterError(
            f"the register {register.location} has schema {revision}, newer than this "
            f"kerjasama knows (up to {SCHEMA_HEAD})",
            hint="upgrade kerjasama: pip install --upgrade kerjasama",
        )
    raise RegisterError(
        f"the register {register.location} has schema {revision or 'none'}, older than "
        f"this kerjasama's {SCHEMA_HEAD}",
        hint=f"run: kerjasama --db {register.location} db upgrade",
    )


def ensure_current(register: Register) -> list[str]:
    """Upgrade the register to SCHEMA_HEAD if it is behind; returns what was applied."""
    with register.engine.connect() as connection:
        revision = current_revision(connection)
        if revision == SCHEMA_HEAD:
            return []
        if revision is None and _has_user_tables(connection):
            raise RegisterError(
                f"{register.location} holds tables that are not a kerjasama register",
                hint="point --db at another file or an empty database",
            )
    return upgrade(register, revision)


def upgrade(register: Register, revision: str | None) -> list[str]:
    from alembic import command

    from kerjasama_cli.db.files import copy_file_before_upgrade, sqlite_path

    known = known_revisions()
    if revision is not None and revision not in known:
        refuse_mismatch(register)
    path = sqlite_path(register.url)
    if revision is not None and path is not None and register.scratch is None and path.exists():
        copy_file_before_upgrade(path, revision)
    applied: list[str] = []
    with register._write_engine.connect() as connection, _foreign_keys_off(connection):
        with connection.begin():
            before = current_revision(connection)
            if before == SCHEMA_HEAD:  # another process upgraded it while we waited
                return []
            config = alembic_config(connection)
            command.upgrade(config, "head")
            _check_foreign_keys(register, connection)
        applied.append(f"{before or 'empty'} -> {SCHEMA_HEAD}")
    return applied


@contextmanager
def _foreign_keys_off(connection: Connection) -> Iterator[None]:
    """SQLite: foreign keys unenforced while the migrations run (checked at their end).

    A migration that changes a table on SQLite copies it, drops the original
    and renames the copy (Alembic's batch mode, SQLite's documented way). With
    foreign keys enforced, dropping the original first deletes every row of it
    one by one: rows that point at them (history, a PKS's KB) fail it, ON
    DELETE CASCADE empties agreement_partner and agreement_unit, and each row
    deleted is looked for, by a full scan, in the copy, which has no indexes
    yet (the time grew with the square of the agreements). So, as SQLite's
    procedure says, enforcement is off for the upgrade (a PRAGMA that only
    takes effect outside a transaction) and PRAGMA foreign_key_check runs
    before the commit.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        raw.execute("PRAGMA foreign_keys = ON")


def _check_foreign_keys(register: Register, connection: Connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        tables = sorted({str(row[0]) for row in broken})
        raise RegisterError(
            f"the register {register.location} holds {len(broken)} rows that point at "
            f"rows it does not have (in {', '.join(tables)}); it was not upgraded",
            hint="restore it from a backup, or ask for help with the file",
        )
