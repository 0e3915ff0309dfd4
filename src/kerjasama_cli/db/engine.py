"""Opening the register: where it lives, the engine, sessions, schema upgrades, backup."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from kerjasama_cli.db import migrate
from kerjasama_cli.db.files import (
    BUSY_TIMEOUT_SECONDS,
    sqlite_path,
)
from kerjasama_cli.errors import Conflict, RegisterError

ENV_VAR = "KERJASAMA_DB"


def default_location() -> Path:
    from platformdirs import user_data_path

    return user_data_path("kerjasama", appauthor=False) / "kerjasama.db"


def resolve_location(explicit: str | None = None) -> str:
    """`--db` beats $KERJASAMA_DB beats the per-user default; returns a database URL."""
    location = explicit or os.environ.get(ENV_VAR) or str(default_location())
    return to_url(location)


def to_url(location: str) -> str:
    """A plain path means an SQLite file; anything with '://' is a URL used as it is."""
    if "://" in location:
        return location
    path = Path(location).expanduser().resolve()
    return f"sqlite:///{path}"


def describe(url: str) -> str:
    """The register's location as a user wants to read it (no password)."""
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    return make_url(url).render_as_string(hide_password=True)


def _configure_sqlite(engine: Engine, *, file_backed: bool) -> None:
    # pysqlite's own transaction handling neither wraps DDL nor lets us choose
    # BEGIN IMMEDIATE, so we turn it off and issue BEGIN ourselves: migrations
    # become atomic, and writers queue on the lock instead of deadlocking.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
        if file_backed:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise RegisterError(
            f"{url!r} is not a database URL",
            hint="give a file path or a URL such as postgresql+psycopg://user@host/dbname",
        ) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        path = sqlite_path(parsed)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise RegisterError(f"cannot create the folder {path.parent}: {error}") from None
        engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})
        _configure_sqlite(engine, file_backed=path is not None)
        return engine
    try:
        return create_engine(parsed, pool_pre_ping=True)
    except (ImportError, SQLAlchemyError) as error:
        hint = (
            "install the PostgreSQL driver: pip install 'kerjasama[postgres]'"
            if backend == "postgresql"
            else None
        )
        raise RegisterError(f"cannot use {describe(url)}: {error}", hint=hint) from None


class Register:
    """An open register: the engine, its sessions and the schema check.

    >>> register = Register.open("kerjasama.db")        # doctest: +SKIP
    >>> with register.writing() as session: ...         # doctest: +SKIP
    """

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine
        self._write_engine = engine.execution_options(sqlite_begin="IMMEDIATE")
        self.applied: list[str] = []  # migrations applied when it was opened

    @classmethod
    def open(cls, location: str | None = None, *, upgrade: bool | None = None) -> Register:
        """Open (creating if needed) the register and bring its schema up to date.

        An SQLite file, one office's own, is upgraded on open. A shared PostgreSQL
        register is upgraded only on purpose (`kerjasama db upgrade`, ``upgrade=True``):
        until then every command refuses it rather than half-work with an old schema.
        """
        url = resolve_location(location)
        engine = make_engine(url)
        register = cls(url, engine)
        if upgrade is None:
            upgrade = register.backend == "sqlite"
        try:
            if upgrade:
                register.applied = migrate.ensure_current(register)
            else:
                migrate.refuse_mismatch(register)
        except OperationalError as error:
            engine.dispose()
            raise RegisterError(f"cannot open the register {describe(url)}: {error.orig}") from None
        except Exception:
            engine.dispose()
            raise
        return register

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @property
    def location(self) -> str:
        return describe(self.url)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One transaction that commits on success and rolls back on any error.

        On SQLite it takes the write lock at its start, so a concurrent writer
        waits for it rather than failing halfway with 'database is locked'.
        """
        from sqlalchemy.orm.exc import StaleDataError

        try:
            with Session(self._write_engine, expire_on_commit=False) as session, session.begin():
                yield session
        except StaleDataError:
            raise Conflict(
                "the agreement was changed by someone else since you read it; nothing was written",
                hint="look at it again (kerjasama show REF) and repeat the command",
            ) from None

    def table_names(self) -> list[str]:
        return inspect(self.engine).get_table_names()

    def close(self) -> None:
        self.engine.dispose()


def backup(register: Register, target: Path, *, overwrite: bool = False) -> Path:
    """A consistent copy of an SQLite register, safe while others write to it."""
    source = sqlite_path(register.url)
    if source is None:
        raise RegisterError(
            f"backup copies SQLite registers; {register.location} is on {register.backend}",
            hint="use pg_dump for a PostgreSQL register",
        )
    target = target.expanduser().resolve()
    if target == source:
        raise RegisterError("the backup cannot overwrite the register itself")
    if target.exists() and not overwrite:
        raise RegisterError(f"{target} exists already", hint="use --force to overwrite it")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    # sqlite3's online backup API copies a consistent snapshot even while
    # other processes write (WAL); the rename makes the result all-or-nothing.
    with (
        sqlite3.connect(source, timeout=BUSY_TIMEOUT_SECONDS) as src,
        sqlite3.connect(partial) as dst,
    ):
        src.backup(dst)
    dst.close()
    src.close()
    partial.replace(target)
    return target


def summary(register: Register) -> dict[str, str]:
    """Location, backend, schema and size, for `kerjasama db info`."""
    from sqlalchemy import func, select

    from kerjasama_cli.db.models import Agreement, HistoryEntry

    with register.reading() as session:
        agreements = session.scalar(select(func.count()).select_from(Agreement))
        changes = session.scalar(select(func.count()).select_from(HistoryEntry))
        per_region = session.execute(
            select(Agreement.region, func.count())
            .where(Agreement.region != "")
            .group_by(Agreement.region)
            .order_by(Agreement.region)
        ).all()
    info = {
        "location": register.location,
        "backend": register.backend,
        "schema": migrate.SCHEMA_HEAD,
        "agreements": str(agreements),
        "history": f"{changes} changes",
    }
    if per_region:  # a roll-up: which regions were merged into it
        info["regions"] = f"{len(per_region)}: " + ", ".join(
            f"{region} ({count})" for region, count in per_region
        )
    return info
