"""Opening the register: where it lives, the engine, sessions, schema upgrades, backup."""

from __future__ import annotations

import os
import shutil
import sqlite3
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from kerjasama_cli.db import files, migrate
from kerjasama_cli.db.files import Access, sqlite_path
from kerjasama_cli.db.locations import (
    ENV_VAR,
    default_location,
    describe,
    resolve_location,
    shown,
    to_url,
)
from kerjasama_cli.db.locking import Waiter, begin_immediate
from kerjasama_cli.errors import Conflict, RegisterError

__all__ = [
    "ENV_VAR",
    "Register",
    "default_location",
    "describe",
    "make_engine",
    "resolve_location",
    "to_url",
]


def _configure_sqlite(engine: Engine, *, wal: bool, waiter: Waiter) -> None:
    # pysqlite's own transaction handling neither wraps DDL nor lets us choose
    # BEGIN IMMEDIATE, so we turn it off and issue BEGIN ourselves: migrations
    # become atomic, and writers queue on the lock instead of deadlocking.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {int(files.BUSY_TIMEOUT_SECONDS * 1000)}")
        if wal:  # never for a file only read (read-only, or a dry run's)
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        if mode == "IMMEDIATE":
            begin_immediate(connection.connection.driver_connection, waiter)
        else:
            connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(
    url: str,
    *,
    file: Path | None = None,
    how: Access | None = None,
    wal: bool = True,
    waiter: Waiter | None = None,
) -> Engine:
    """The engine of a checked URL (see ``to_url``). An SQLite register opens
    ``file`` when given (a private copy) instead of the URL's, read-only when
    ``how`` says it must be."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        path = file or sqlite_path(parsed)
        if path is None:
            from kerjasama_cli.db.locations import in_memory

            raise in_memory(url)
        if how is not None and how.read_only:
            uri = files.read_only_uri(path, how)

            def read_only() -> sqlite3.Connection:
                return sqlite3.connect(uri, uri=True, timeout=files.BUSY_TIMEOUT_SECONDS)

            engine = create_engine(parsed, creator=read_only)
            wal = False
        else:
            target = parsed if file is None else make_url(f"sqlite:///{file}")
            engine = create_engine(target, connect_args={"timeout": files.BUSY_TIMEOUT_SECONDS})
        _configure_sqlite(engine, wal=wal, waiter=waiter or Waiter(describe(url)))
        return engine
    try:
        return create_engine(parsed, pool_pre_ping=True)
    except (ImportError, SQLAlchemyError) as error:
        hint = (
            "install the PostgreSQL driver (pip install 'kerjasama[postgres]') and write "
            "the URL as postgresql+psycopg://user@host/dbname"
            if backend == "postgresql"
            else None
        )
        raise RegisterError(f"cannot use {describe(url)}: {error}", hint=hint) from None


class Register:
    """An open register: the engine, its sessions and the schema check.

    >>> register = Register.open("kerjasama.db")        # doctest: +SKIP
    >>> with register.writing() as session: ...         # doctest: +SKIP
    """

    def __init__(
        self,
        url: str,
        engine: Engine,
        *,
        read_only: str | None = None,
        dry_run: bool = False,
        scratch: Path | None = None,
    ) -> None:
        self.url = url
        self.engine = engine
        self._write_engine = engine.execution_options(sqlite_begin="IMMEDIATE")
        self.applied: list[str] = []  # migrations applied when it was opened
        self.read_only = read_only  # why it cannot be written; None when it can
        self.notes: list[str] = []  # what the person should know about how it was opened
        self.dry_run = dry_run  # every write is rolled back, and the file never changes
        # A private copy's folder (a dry run, a read-only register of an older
        # schema), removed on close.
        self.scratch = scratch
        if scratch is not None:
            weakref.finalize(self, shutil.rmtree, scratch, True)

    @classmethod
    def open(
        cls,
        location: str | None = None,
        *,
        upgrade: bool | None = None,
        dry_run: bool = False,
        on_wait: Callable[[str], None] | None = None,
    ) -> Register:
        """Open (creating if needed) the register and bring its schema up to date.

        An SQLite file, one office's own, is upgraded on open. A shared PostgreSQL
        register is upgraded only on purpose (`kerjasama db upgrade`, ``upgrade=True``):
        until then every command refuses it rather than half-work with an old schema.

        A file that may not be written (permissions, a read-only share or folder)
        is opened read-only: it reads as any other, and every write is refused
        naming why. When its schema is older, it is read from an upgraded copy.

        ``dry_run``: nothing at the location changes, the schema included. Every
        write is rolled back; an SQLite register that is missing, read-only or of
        an older schema is worked on in a private, upgraded copy, deleted on close.

        ``on_wait`` is told, once, when a write has waited a second for another
        writer's lock (SQLite).
        """
        url = resolve_location(location)
        path = sqlite_path(url)
        if path is None:
            register = cls(url, make_engine(url), dry_run=dry_run)
            return register._checked(upgrade=bool(upgrade) and not dry_run)
        return cls._open_file(
            url,
            path,
            upgrade=upgrade is not False,
            explicit=upgrade is True,
            dry_run=dry_run,
            waiter=Waiter(describe(url), on_wait),
        )

    @classmethod
    def _open_file(
        cls,
        url: str,
        path: Path,
        *,
        upgrade: bool,
        explicit: bool,
        dry_run: bool,
        waiter: Waiter,
    ) -> Register:
        location = describe(url)
        if (why := files.too_long(path)) is not None:
            raise RegisterError(
                f"cannot use {shown(location)} as the register: {why}",
                hint="choose a shorter path",
            )
        if path.is_dir():
            raise RegisterError(
                f"cannot open the register {shown(location)}: it is a folder, not a file",
                hint=f"give a file in it: --db {shown(path / 'kerjasama.db')}",
            )
        if os.path.lexists(path) and not path.is_file():
            # SQLite would open a device (/dev/null) as an empty database, and
            # write its journal beside it.
            raise RegisterError(
                f"cannot open the register {shown(location)}: it is not a file "
                "(a device or a pipe)",
                hint="give the path of a register file (.db)",
            )
        exists = path.is_file()
        how = files.access(path) if exists else Access()
        revision = _revision(path, how, url) if exists and (how.read_only or dry_run) else None
        behind = exists and (how.read_only is not None or dry_run) and _is_behind(revision)
        if how.read_only and behind and explicit:
            raise RegisterError(
                f"the register {shown(location)} has schema {revision or 'none'}, older than "
                f"this kerjasama's {migrate.SCHEMA_HEAD}, and cannot be upgraded: it is "
                f"read-only ({how.read_only}); nothing was changed",
                hint="ask whoever keeps it to run kerjasama db upgrade where it may be "
                "written, or copy the file to a folder of your own and upgrade the copy "
                "(kerjasama --db COPY db upgrade); every other command reads it as it is",
            )
        if dry_run and (not exists or behind or how.read_only):
            copy = files.scratch_copy(path if exists else None, how)
            engine = make_engine(url, file=copy, waiter=waiter)
            register = cls(url, engine, dry_run=True, scratch=copy.parent)
            return register._checked(upgrade=True)
        if how.read_only and behind:
            copy = files.scratch_copy(path, how)
            engine = make_engine(url, file=copy, waiter=waiter)
            register = cls(url, engine, read_only=how.read_only, scratch=copy.parent)
            register.notes.append(
                f"Note: {shown(location)} has schema {revision or 'none'}, older than this "
                f"kerjasama's {migrate.SCHEMA_HEAD}, and is read-only ({how.read_only}): "
                "read through an upgraded copy, the file stays as it is"
            )
            return register._checked(upgrade=True)
        if not exists:
            _make_room(path)
        engine = make_engine(url, how=how, wal=not dry_run, waiter=waiter)
        register = cls(url, engine, read_only=how.read_only, dry_run=dry_run)
        return register._checked(upgrade=upgrade and not dry_run and not how.read_only)

    def _checked(self, *, upgrade: bool) -> Register:
        """Bring the schema up to date (``upgrade``) or refuse a mismatch; closes on error."""
        try:
            if upgrade:
                self.applied = migrate.ensure_current(self)
            else:
                migrate.refuse_mismatch(self)
        except OperationalError as error:
            self.close()
            raise RegisterError(
                f"cannot open the register {shown(self.location)}: {error.orig}",
                hint=_unopenable_hint(self.url),
            ) from None
        except UnicodeError as error:  # a host name the resolver cannot encode
            self.close()
            raise RegisterError(
                f"cannot open the register {shown(self.location)}: {error}",
                hint=_unopenable_hint(self.url),
            ) from None
        except BaseException:
            self.close()
            raise
        return self

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
        A dry run's transaction is always rolled back; a read-only register
        refuses to begin one.
        """
        from sqlalchemy.orm.exc import StaleDataError

        if self.read_only is not None:
            raise self._read_only(self.read_only)
        try:
            with Session(self._write_engine, expire_on_commit=False) as session:
                if self.dry_run:
                    session.begin()
                    try:
                        yield session
                    finally:
                        session.rollback()
                else:
                    with session.begin():
                        yield session
        except StaleDataError:
            raise Conflict(
                "the agreement was changed by someone else since you read it; nothing was written",
                hint="look at it again (kerjasama show REF) and repeat the command",
            ) from None
        except OperationalError as error:
            if self.backend == "sqlite" and "readonly" in str(error.orig):
                raise self._read_only(f"the system refused to write it ({error.orig})") from None
            raise

    def _read_only(self, why: str) -> RegisterError:
        return RegisterError(
            f"the register {self.location} is read-only: {why}; nothing was written",
            hint="ask whoever keeps it for write access, or copy the file to a folder "
            "of your own and use the copy (--db COPY)",
        )

    def table_names(self) -> list[str]:
        return inspect(self.engine).get_table_names()

    def close(self) -> None:
        self.engine.dispose()
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)


def _revision(path: Path, how: Access, url: str) -> str | None:
    """An existing file's schema revision (None: none yet), read without writing to it."""
    try:
        return files.revision_of(path, how)
    except sqlite3.Error as error:
        raise RegisterError(
            f"cannot open the register {shown(describe(url))}: {error}",
            hint=_unopenable_hint(url),
        ) from None


def _is_behind(revision: str | None) -> bool:
    """Whether a schema revision is older than this kerjasama's (one it can upgrade)."""
    if revision == migrate.SCHEMA_HEAD:
        return False
    return revision is None or revision in migrate.known_revisions()


def _make_room(path: Path) -> None:
    """The folder of a new register, made and checked before SQLite tries to create it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise RegisterError(
            f"cannot create the folder {shown(path.parent)}: {error.strerror or error}",
            hint="choose another place for the register (--db PATH)",
        ) from None
    if not os.access(path.parent, os.W_OK):
        raise RegisterError(
            f"cannot create the register {shown(path)}: you may not create files in "
            f"its folder {shown(path.parent)}",
            hint="choose another place for the register (--db PATH)",
        )


def _unopenable_hint(url: str) -> str | None:
    path = sqlite_path(url)
    if path is None:
        return "check the URL, that the server runs, and that you may connect to it"
    return "check the path and that it is an SQLite file kerjasama wrote"


def summary(register: Register) -> dict[str, str]:
    """Location, backend, schema and size, for `kerjasama db info`."""
    from sqlalchemy import func
    from sqlmodel import select

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
