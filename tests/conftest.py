"""Fixtures: a real register per test (SQLite file, or a PostgreSQL schema) and the CLI."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from kerjasama_cli.cli.app import app

POSTGRES_ENV = "KERJASAMA_TEST_POSTGRES"


def _postgres_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty register location on each backend.

    PostgreSQL runs when $KERJASAMA_TEST_POSTGRES names a server (a URL such as
    postgresql+psycopg://postgres@127.0.0.1:5432/test); each test gets a schema
    of its own, so parallel and repeated runs never collide.
    """
    if request.param == "sqlite":
        yield str(tmp_path / "register.db")
        return
    base = _postgres_url()
    if base is None:
        pytest.skip(f"PostgreSQL not configured: set {POSTGRES_ENV} to a server URL")
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def sqlite_path(tmp_path: Path) -> str:
    """For the tests that are about SQLite itself (files, WAL, backup)."""
    return str(tmp_path / "register.db")


@dataclass
class Cli:
    db: str
    runner: CliRunner

    def __call__(self, *args: str, input: str | None = None, ok: bool = True) -> Result:
        result = self.runner.invoke(app, ["--db", self.db, *args], input=input)
        if ok and result.exit_code != 0:
            raise AssertionError(
                f"kerjasama {' '.join(args)} exited {result.exit_code}\n"
                f"stdout: {result.stdout}\nstderr: {result.stderr}\n{result.exception!r}"
            )
        return result

    def json(self, *args: str) -> object:
        import json

        return json.loads(self(*args, "--json").stdout)


@pytest.fixture
def cli(db_url: str) -> Iterator[Cli]:
    if "://" in db_url:
        # A shared register is upgraded on purpose (kerjasama db upgrade), not on open.
        from kerjasama_cli.db.engine import Register

        Register.open(db_url, upgrade=True).close()
    yield Cli(db_url, CliRunner())
    _dispose_engines()


@pytest.fixture
def sqlite_cli(sqlite_path: str) -> Cli:
    return Cli(sqlite_path, CliRunner())


def _dispose_engines() -> None:
    """CliRunner runs in-process: close pooled PostgreSQL connections before DROP SCHEMA."""
    import gc

    from sqlalchemy.engine import Engine

    for obj in gc.get_objects():
        if isinstance(obj, Engine):
            obj.dispose()


AddMou = Callable[..., Result]


@pytest.fixture
def add_mou(cli: Cli) -> AddMou:
    """Add a KB with sensible defaults; keyword arguments become options."""

    def add(number: str = "180/1/KB/2021", **options: str | list[str]) -> Result:
        values: dict[str, str | list[str]] = {
            "title": "Pengembangan SDM",
            "partner": "Universitas Lampung",
            "signed": "2021-08-19",
            "term": "5 tahun",
        }
        values.update(options)
        args = ["add-mou", "--number", number]
        for key, value in values.items():
            for item in [value] if isinstance(value, str) else value:
                args += [f"--{key.replace('_', '-')}", item]
        return cli(*args)

    return add


_SNAPSHOTS: dict[str, Path] = {}


def snapshot(cli: Cli, key: str, build: Callable[[], object]) -> None:
    """Build a fixture register once per test session and copy it for each test.

    SQLite only (a file copy through the backup API, WAL included); on
    PostgreSQL the fixture is built each time, in the test's own schema.
    """
    import sqlite3
    import tempfile

    if "://" in cli.db:
        build()
        return
    template = _SNAPSHOTS.get(key)
    if template is None:
        build()
        template = Path(tempfile.mkdtemp(prefix="kerjasama-snapshot-")) / f"{key}.db"
        source, target = cli.db, str(template)
    else:
        source, target = str(template), cli.db
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    if target == str(template):
        _SNAPSHOTS[key] = template


@pytest.fixture(scope="session", autouse=True)
def _nothing_written_into_the_checkout() -> Iterator[None]:
    """Tests write only under temporary folders: the checkout is as it was after them."""
    import shutil
    import subprocess

    root = Path(__file__).parent.parent
    if shutil.which("git") is None or not (root / ".git").exists():
        yield
        return

    def changed() -> set[str]:
        result = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all"],
            cwd=root, capture_output=True, text=True, check=False,
        )
        return set(result.stdout.splitlines())

    before = changed()
    yield
    new = changed() - before
    assert not new, f"tests wrote into the checkout: {sorted(new)}"
