"""Registers kerjasama may not, or need not, write (issue 12).

- an in-memory database keeps nothing: refused;
- a dry run writes nothing, not even an older register's upgrade;
- a read-only register (no write permission, a read-only share or folder) is
  read by every reading command and refused by every write, naming why;
- waiting for another writer's lock is told on a terminal, and its timeout
  says what to do;
- an upgrade keeps every row and link (foreign keys off while tables are copied);
- a location that cannot be a register is one clear line, never a traceback
  or a password.

Tests run as root here, which file permissions do not stop: a read-only
register is made with what does stop root (a read-only bind mount, chattr +i),
each skipped with its reason where the machine cannot do it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import Cli
from kerjasama_cli.db import files, migrate
from kerjasama_cli.db.engine import Register
from kerjasama_cli.errors import RegisterError

EXAMPLES = Path(__file__).parent.parent / "examples"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def old_register(path: Path, revision: str = "0003", agreements: int = 30) -> dict[str, int]:
    """A register of an earlier schema, written as that release wrote it: KBs,
    PKSs linked to their KB (and some renewing another), partners, OPDs, history.
    Returns the number of rows of each table."""
    from alembic import command
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as first:
        command.upgrade(migrate.alembic_config(first), "0001")
    engine.dispose()
    connection = sqlite3.connect(path)
    with connection:
        connection.executemany(
            "INSERT INTO partner (id, name, name_key) VALUES (?, ?, ?)",
            [(i, f"Mitra {i}", f"mitra {i}") for i in range(1, 6)],
        )
        connection.executemany(
            "INSERT INTO unit (id, name, name_key) VALUES (?, ?, ?)",
            [(i, f"Dinas {i}", f"dinas {i}") for i in range(1, 4)],
        )
        rows = []
        for i in range(1, agreements + 1):
            kb = i % 2 == 1
            number = f"{i}/{'KB' if kb else 'PKS'}/2021"
            parent = None if kb else i - 1
            renews = i - 2 if i > 2 and i % 6 == 0 else None
            rows.append((i, "kb" if kb else "pks", number, number.lower(), f"Kerja sama {i}",
                         "2021-01-01", "2026-01-01", parent, renews))
        connection.executemany(
            "INSERT INTO agreement (id, doc_type, number, number_key, title, signed_on, "
            "ends_on, parent_id, renews_id, ends_on_derived, version, created_at, updated_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,0,1,'2021-01-01','2021-01-01')",
            rows,
        )
        connection.executemany(
            "INSERT INTO agreement_partner (agreement_id, partner_id, position) VALUES (?,?,?)",
            [(i, p, n) for i in range(1, agreements + 1)
             for n, p in enumerate({i % 5 + 1, (i + 1) % 5 + 1})],
        )
        connection.executemany(
            "INSERT INTO agreement_unit (agreement_id, unit_id, position) VALUES (?,?,0)",
            [(i, i % 3 + 1) for i in range(1, agreements + 1)],
        )
        connection.executemany(
            "INSERT INTO history (agreement_id, at, user_name, command, field, old, new) "
            "VALUES (?, '2021-01-01', 'budi', 'add-pks', ?, NULL, ?)",
            [(i, field, "x") for i in range(1, agreements + 1) for field in ("title", "note")],
        )
    connection.close()
    if revision != "0001":
        engine = create_engine(f"sqlite:///{path}")
        with engine.begin() as later:
            command.upgrade(migrate.alembic_config(later), revision)
        engine.dispose()
    return counts(path)


TABLES = ("agreement", "partner", "unit", "agreement_partner", "agreement_unit", "history")


def counts(path: Path) -> dict[str, int]:
    connection = sqlite3.connect(path)
    try:
        return {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in TABLES
        }
    finally:
        connection.close()


def links(path: Path) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(
            "SELECT a.id, a.number, a.parent_id, a.renews_id, "
            "(SELECT group_concat(partner_id) FROM agreement_partner WHERE agreement_id = a.id), "
            "(SELECT group_concat(unit_id) FROM agreement_unit WHERE agreement_id = a.id), "
            "(SELECT count(*) FROM history WHERE agreement_id = a.id) "
            "FROM agreement a ORDER BY a.id"
        ).fetchall()
    finally:
        connection.close()


def run(db: str | Path, *args: str) -> tuple[int, str, str]:
    from kerjasama_cli.cli.app import app

    result = CliRunner().invoke(app, ["--db", str(db), *args])
    return result.exit_code, result.stdout, result.stderr


# 1. An in-memory database keeps nothing -------------------------------------------------

MEMORY = [
    "sqlite://",
    "sqlite:///:memory:",
    ":memory:",
    "file::memory:",
    "file::memory:?cache=shared",
    "file:register?mode=memory",
    "sqlite:///file::memory:?uri=true",
    "sqlite:///file:register?mode=memory&uri=true",
]


@pytest.mark.parametrize("location", MEMORY)
def test_an_in_memory_register_is_refused(
    location: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # nothing may appear here either (a file named ':memory:')
    code, out, err = run(location, "add-mou", "--number", "1/KB", "--title", "t",
                         "--partner", "p")
    assert code == 5, (out, err)
    assert "Added" not in out
    assert "in-memory database" in err and "keep none" in err
    assert "Hint: give the register a file" in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(RegisterError, match="in-memory"):
        Register.open(location)


# 2. A dry run writes nothing, the schema included ---------------------------------------


def test_a_dry_run_on_an_older_register_changes_no_byte_and_keeps_no_copy(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    old_register(path, "0003")
    before = digest(path)
    code, out, err = run(path, "import", str(EXAMPLES / "register-2021.csv"), "--dry-run")
    assert code == 0, err
    assert "nothing written" in out + err
    assert "33 created" in out + err  # the rows were checked, against an upgraded copy
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.db"]  # no .bak, no -wal
    code, out, err = run(path, "import", str(EXAMPLES / "register-with-errors.csv"),
                         "--dry-run")
    assert code == 1 and "invalid" in out + err  # a dry run still finds the bad rows
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.db"]
    connection = sqlite3.connect(path)
    assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == ("0003",)
    connection.close()


def test_a_dry_run_on_a_current_register_changes_no_byte(tmp_path: Path) -> None:
    path = tmp_path / "register.db"
    assert run(path, "add-mou", "--number", "9/KB", "--title", "t", "--partner", "p")[0] == 0
    before = digest(path)
    code, _out, err = run(path, "import", str(EXAMPLES / "register-2021.csv"), "--dry-run")
    assert code == 0, err
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["register.db"]


def test_a_dry_run_on_no_register_creates_none(tmp_path: Path) -> None:
    path = tmp_path / "folder" / "new.db"
    code, _out, err = run(path, "import", str(EXAMPLES / "register-2021.csv"), "--dry-run")
    assert code == 0, err
    assert not path.exists() and not path.parent.exists()


# 3. A read-only register is read, and only writes refuse it -----------------------------


def _chattr(path: Path, flag: str) -> bool:
    chattr = shutil.which("chattr")
    if chattr is None:
        return False
    done = subprocess.run([chattr, flag, str(path)], capture_output=True, check=False)
    return done.returncode == 0


@pytest.fixture
def make_read_only(tmp_path: Path) -> Iterator[Callable[[Path, str], Path]]:
    """Make a register read-only in the way asked: 'file' (no write permission),
    'share' (a read-only mount of its folder) or 'folder' (a folder it may not
    write in). Returns the path to open it by; undone after the test."""
    undo: list[Callable[[], object]] = []

    def make(path: Path, how: str) -> Path:
        if how == "file":
            if os.geteuid() != 0:
                path.chmod(0o444)
                undo.append(lambda: path.chmod(0o644))
                return path
            if not _chattr(path, "+i"):
                pytest.skip("root writes any file, and chattr +i is not supported here")
            undo.append(lambda: _chattr(path, "-i"))
            return path
        if how == "folder":
            if os.geteuid() != 0:
                path.parent.chmod(0o555)
                undo.append(lambda: path.parent.chmod(0o755))
                return path
            if not _chattr(path.parent, "+i"):
                pytest.skip("root writes in any folder, and chattr +i is not supported here")
            undo.append(lambda: _chattr(path.parent, "-i"))
            return path
        mount = tmp_path / "share"
        mount.mkdir()
        done = subprocess.run(
            ["mount", "--bind", "-o", "ro", str(path.parent), str(mount)],
            capture_output=True, check=False,
        )
        if done.returncode != 0 or not os.statvfs(mount).f_flag & os.ST_RDONLY:
            subprocess.run(["umount", str(mount)], capture_output=True, check=False)
            pytest.skip(f"cannot mount a read-only share here: {done.stderr.decode().strip()}")
        undo.append(lambda: subprocess.run(["umount", str(mount)], check=False))
        return mount / path.name

    yield make
    for step in reversed(undo):
        step()


WHY = {
    "file": "you may not write to the file",
    "share": "read-only file system",
    "folder": "you may not create files in its folder",
}


@pytest.mark.parametrize("how", ["file", "share", "folder"])
def test_a_read_only_register_is_read_and_only_writes_refuse_it(
    how: str, tmp_path: Path, make_read_only: Callable[[Path, str], Path]
) -> None:
    home = tmp_path / "register"
    home.mkdir()
    path = home / "kerjasama.db"
    writer = Cli(str(path), CliRunner())
    writer("add-mou", "--number", "1/KB", "--title", "Kerja sama", "--partner", "Mitra",
           "--unit", "Dinas A", "--signed", "2021-03-01", "--term", "5 tahun")
    writer("add-pks", "--mou", "1/KB", "--number", "2/PKS", "--title", "Beasiswa",
           "--signed", "2021-06-01", "--end", "2023-12-31")
    writer("evaluate", "2021", "2/PKS", "--level", "sebagian", "--progress", "60")
    listed = writer("list", "--json").stdout
    before = digest(path)
    beside = sorted(p.name for p in home.iterdir())
    location = make_read_only(path, how)
    out = tmp_path / "out"
    out.mkdir()

    reads = [
        ("list", "--json"), ("show", "2/PKS"), ("check",), ("evaluate", "2021"),
        ("history", "2/PKS"), ("due",), ("db", "info"),
        ("export", "2021", "--output", str(out)),
        ("backup", str(tmp_path / "copy.db")),
    ]
    for args in reads:
        code, stdout, err = run(location, *args)
        assert code == 0, (args, stdout, err)
        if args == ("list", "--json"):
            assert stdout == listed
    assert any(out.iterdir())
    code, stdout, err = run(tmp_path / "roll-up.db", "merge", f"Kota Metro={location}")
    assert code == 0, err
    assert "2 created" in stdout + err

    writes = [
        ("add-mou", "--number", "3/KB", "--title", "t", "--partner", "p"),
        ("update", "1/KB", "--note", "catatan"),
        ("evaluate", "2021", "2/PKS", "--progress", "80"),
        ("import", str(EXAMPLES / "register-2021.csv")),
    ]
    for args in writes:
        code, stdout, err = run(location, *args)
        assert code == 5, (args, stdout, err)
        assert "is read-only" in err and WHY[how] in err, err
        assert "nothing was written" in err
        assert "copy the file to a folder of your own" in err
        assert "Traceback" not in err
    assert digest(path) == before
    left = {p.name for p in home.iterdir()} - set(beside)
    # SQLite reads a WAL register with its -wal and -shm beside it, made where it may.
    assert left <= ({"kerjasama.db-wal", "kerjasama.db-shm"} if how == "file" else set())


@pytest.mark.parametrize("how", ["file", "share"])
def test_a_read_only_older_register_is_read_but_cannot_be_upgraded(
    how: str, tmp_path: Path, make_read_only: Callable[[Path, str], Path]
) -> None:
    home = tmp_path / "register"
    home.mkdir()
    path = home / "old.db"
    old_register(path, "0003", agreements=4)
    before = digest(path)
    location = make_read_only(path, how)

    code, out, err = run(location, "show", "2/PKS/2021")
    assert code == 0, err
    assert "Kerja sama 2" in out
    assert "older than this kerjasama's" in err and "read through an upgraded copy" in err

    code, out, err = run(location, "db", "upgrade")
    assert code == 5, (out, err)
    assert "Upgraded" not in out
    assert "has schema 0003" in err and "cannot be upgraded" in err and WHY[how] in err
    assert "copy the file to a folder of your own and upgrade the copy" in err

    code, out, err = run(location, "add-mou", "--number", "9/KB", "--title", "t",
                         "--partner", "p")
    assert code == 5 and "is read-only" in err
    assert digest(path) == before
    assert sorted(p.name for p in home.iterdir()) == ["old.db"]  # no .bak either


# 4. Waiting for another writer ----------------------------------------------------------

HOLD = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("ROLLBACK")
"""


def hold_lock(path: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process that holds the register's write lock for ``seconds``."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), str(seconds)],
        stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_writer_that_waits_too_long_is_told_what_to_do(
    sqlite_cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kerjasama_cli.cli import common

    sqlite_cli("add-mou", "--number", "1/KB", "--title", "t", "--partner", "p")
    monkeypatch.setattr(files, "BUSY_TIMEOUT_SECONDS", 2.5)
    monkeypatch.setattr(common, "stderr_is_terminal", lambda: True)
    holder = hold_lock(Path(sqlite_cli.db), 60)
    try:
        started = time.monotonic()
        result = sqlite_cli("update", "1/KB", "--note", "n", ok=False)
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 5, result.stderr
    assert 2 <= waited < 20
    err = result.stderr
    assert f"Waiting for another kerjasama writing to {sqlite_cli.db}" in err
    assert "another kerjasama has been writing to" in err and "nothing was written" in err
    assert "database is locked" not in err
    if Path("/proc").is_dir():
        assert f"(process {holder.pid})" in err  # which program holds it
    assert "close it" in err and "run this command again" in err
    assert sqlite_cli.json("show", "1/KB")["note"] is None  # type: ignore[index]


def test_the_wait_is_told_only_on_a_terminal(
    sqlite_cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    sqlite_cli("add-mou", "--number", "1/KB", "--title", "t", "--partner", "p")
    monkeypatch.setattr(files, "BUSY_TIMEOUT_SECONDS", 1.5)
    holder = hold_lock(Path(sqlite_cli.db), 60)
    try:
        result = sqlite_cli("update", "1/KB", "--note", "n", ok=False)
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 5
    assert "Waiting" not in result.stderr  # a script's log gets the error alone
    assert "another kerjasama has been writing to" in result.stderr


def test_a_writer_waits_for_another_process_and_says_so_on_a_terminal(
    tmp_path: Path,
) -> None:
    """Two processes: the second kerjasama, its stderr a terminal, waits for the
    first's lock, says so after a second, and then writes."""
    import pty

    script = Path(sys.executable).with_name("kerjasama")
    if not script.exists():
        pytest.skip("the kerjasama command is not installed beside this Python")
    path = tmp_path / "register.db"
    Cli(str(path), CliRunner())("add-mou", "--number", "1/KB", "--title", "t",
                                "--partner", "p")
    holder = hold_lock(path, 3)
    leader, follower = pty.openpty()
    try:
        writer = subprocess.Popen(
            [str(script), "--db", str(path), "update", "1/KB", "--note", "n"],
            stdout=subprocess.PIPE, stderr=follower, text=True,
        )
        os.close(follower)
        chunks: list[bytes] = []

        def drain() -> None:
            while True:
                try:
                    chunk = os.read(leader, 4096)
                except OSError:
                    return
                if not chunk:
                    return
                chunks.append(chunk)

        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
        stdout, _ = writer.communicate(timeout=60)
        reader.join(timeout=5)
    finally:
        holder.kill()
        holder.wait()
        os.close(leader)
    told = b"".join(chunks).decode()
    assert writer.returncode == 0, told
    assert f"Waiting for another kerjasama writing to {path}" in told
    assert "Updated" in stdout or "1/KB" in stdout
    assert Cli(str(path), CliRunner()).json("show", "1/KB")["note"] == "n"  # type: ignore[index]


# 5. An upgrade keeps every row and link -------------------------------------------------


@pytest.mark.parametrize("revision", ["0001", "0002", "0003"])
def test_an_upgrade_keeps_every_row_history_and_link(revision: str, tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    before = old_register(path, revision, agreements=60)
    linked = links(path)
    assert all(row[4] and row[5] and row[6] == 2 for row in linked)
    register = Register.open(str(path))
    register.close()
    assert register.applied == [f"{revision} -> {migrate.SCHEMA_HEAD}"]
    assert counts(path) == before
    assert links(path) == linked
    assert sum(1 for row in linked if row[2] is not None) == 30  # PKS -> KB
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    assert connection.execute("PRAGMA foreign_keys").fetchone() == (0,)  # a new connection
    connection.close()
    code, out, err = run(path, "show", "2/PKS/2021", "--json")
    assert code == 0, err
    assert '"Kerja sama 1"' in out or "1/KB/2021" in out  # its KB, found through the link


def test_an_upgrade_leaves_foreign_keys_enforced_after_it(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old_register(path, "0003", agreements=4)
    register = Register.open(str(path))
    try:
        with register.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        with register._write_engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        register.close()


# 6. A location that cannot be a register ------------------------------------------------

SECRET = "s3cret-Pw"

BAD = [
    (f"postgresql+psycopg://bkd:{SECRET}@db.example:abc/ksd", "its port is not a number"),
    (f"postgresql://bkd:{SECRET}@db.example:abc/ksd", "its port is not a number"),
    (f"postgresql://bkd:{SECRET}@db.example:99999/ksd", "the port 99999 is not 1 to 65535"),
    (f"postgresql+nodriver://bkd:{SECRET}@db.example/ksd", "names no driver"),
    (f"postgresql+asyncpg://bkd:{SECRET}@db.example/ksd", "asyncio driver"),
    (f"mysql://bkd:{SECRET}@db.example/ksd", "not in mysql"),
    (f"oracle+nothing://bkd:{SECRET}@db.example/ksd", "not in oracle"),
    (f"postgresql://bkd:p@{SECRET}@db.example:abc/ksd", "its port is not a number"),
    (f"postgresql://bkd:x@db.example:abc/ksd?password={SECRET}", "its port is not a number"),
    (f"postgresql://bkd:{SECRET}@{'h' * 10_000}/ksd", "is not a host name"),
    ("", "--db is empty"),
    ("   ", "--db is empty"),
    ("x" * 10_000, "more than the"),
    ("sqlite:///" + "x" * 10_000, "more than the"),
    ("sqlite://host/register.db", "an SQLite register is a file, on no host"),
]


@pytest.mark.parametrize(("location", "said"), BAD, ids=lambda v: str(v)[:40])
def test_a_location_that_cannot_be_a_register_is_one_clear_error(
    location: str, said: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    from kerjasama_cli.cli.app import app

    result = CliRunner().invoke(app, ["--db", location, "list"])
    assert result.exit_code in (2, 5), (result.stdout, result.stderr, result.exception)
    assert result.exit_code == 5
    err = result.stderr
    assert err.startswith("Error: ") and said in err, err
    assert "Hint: " in err
    assert "Traceback" not in err and "failed unexpectedly" not in err
    assert SECRET not in err and SECRET not in result.stdout
    assert len(err) < 1200  # a 10,000-character location is cut, not echoed whole
    assert list(tmp_path.iterdir()) == []


def test_the_same_checks_apply_to_kerjasama_db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kerjasama_cli.cli.app import app

    monkeypatch.setenv("KERJASAMA_DB", f"postgresql://bkd:{SECRET}@db.example:abc/ksd")
    result = CliRunner().invoke(app, ["list"])
    assert result.exit_code == 5
    assert "$KERJASAMA_DB" not in result.stderr or "port" in result.stderr
    assert "its port is not a number" in result.stderr and SECRET not in result.stderr


def test_a_folder_is_not_a_register(tmp_path: Path) -> None:
    code, _out, err = run(tmp_path, "list")
    assert code == 5
    assert "it is a folder, not a file" in err
    assert f"--db {tmp_path / 'kerjasama.db'}" in err
