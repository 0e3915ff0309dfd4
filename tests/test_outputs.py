"""Files written for the user (export, backup): never over the register, all or nothing,
and every failure told in one line with what to do next (issue 12)."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import signal
import sqlite3
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from typer.testing import Result

from conftest import Cli

YEAR_FILE = "evaluasi-kerja-sama-2021"
PROC_FILE = Path("/proc/version")  # a file no one may replace, root included


@pytest.fixture
def register(sqlite_cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """An SQLite register with two agreements, the current folder next to it."""
    monkeypatch.chdir(tmp_path)
    sqlite_cli("add-mou", "--number", "1/KB", "--title", "t", "--partner", "p",
               "--signed", "2021-01-01", "--term", "5 tahun")
    sqlite_cli("add-mou", "--number", "2/KB", "--title", "u", "--partner", "q",
               "--signed", "2021-02-01", "--term", "2 tahun")
    return sqlite_cli


def told(result: Result, code: int, *phrases: str) -> str:
    """The command failed as a user should see it: one error, a hint, no traceback."""
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr.startswith("Error: "), result.stderr
    assert "\nHint: " in result.stderr, result.stderr
    for phrase in phrases:
        assert phrase in result.stderr, (phrase, result.stderr)
    return result.stderr


def intact(db: str | Path) -> None:
    """Still an SQLite register that holds its agreements."""
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        numbers = connection.execute("SELECT number FROM agreement ORDER BY number").fetchall()
    connection.close()
    assert numbers == [("1/KB",), ("2/KB",)]


def leftovers(folder: Path) -> list[str]:
    """Temporary files or folders a write left behind."""
    return sorted(p.name for p in folder.rglob("*") if "partial" in p.name or p.name[0] == ".")


def theirs(folder: Path) -> list[str]:
    """What is in ``folder`` besides the register."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("register.db"))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- never over the register, another database, a device or a pipe -------------------


@pytest.mark.parametrize("form", ["relative", "absolute", "symlink", "hard link", "wal"])
def test_export_never_replaces_the_register_in_use(
    register: Cli, tmp_path: Path, form: str
) -> None:
    db = Path(register.db)
    target = {"relative": "register.db", "absolute": str(db), "wal": "register.db-wal"}.get(form)
    if form == "symlink":
        (tmp_path / "link.xlsx").symlink_to(db)
        target = "link.xlsx"
    if form == "hard link":
        os.link(db, tmp_path / "same.xlsx")
        target = "same.xlsx"
    assert target is not None
    before = digest(db)
    result = register("export", "2021", "-o", target, ok=False)
    told(result, 2, f"{target} ", "the register in use" if form != "wal" else "register.db")
    assert digest(db) == before
    intact(db)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("fmt", ["xlsx", "html", "md", "json"])
def test_export_never_replaces_another_sqlite_database(
    register: Cli, tmp_path: Path, fmt: str
) -> None:
    other = tmp_path / "arsip-2020.db"
    register("backup", str(other))
    before = digest(other)
    result = register("export", "2021", f"--{fmt}", "-o", str(other), ok=False)
    told(result, 2, f"{other} is an SQLite database", "move or delete it first")
    assert digest(other) == before
    intact(other)
    intact(register.db)


def test_a_database_among_several_files_stops_them_all_before_any_is_written(
    register: Cli, tmp_path: Path
) -> None:
    folder = tmp_path / "laporan"
    folder.mkdir()
    register("backup", str(folder / f"{YEAR_FILE}.html"))  # an SQLite file by that name
    result = register("export", "2021", "--xlsx", "--html", "--csv", "-o", str(folder), ok=False)
    told(result, 2, f"{YEAR_FILE}.html is an SQLite database")
    assert sorted(p.name for p in folder.iterdir()) == [f"{YEAR_FILE}.html"]


@contextlib.contextmanager
def drained(pipe: Path) -> Iterator[None]:
    """Someone reading the pipe, so that writing into it (as versions before issue 12
    did) ends, and the test fails rather than hangs."""
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
    done = threading.Event()

    def drain() -> None:
        while not done.is_set():
            try:
                os.read(reader, 1 << 16)
            except BlockingIOError:
                done.wait(0.01)

    thread = threading.Thread(target=drain, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
        os.close(reader)


@pytest.mark.parametrize("fmt", ["xlsx", "html", "json"])
def test_export_never_replaces_a_pipe(register: Cli, tmp_path: Path, fmt: str) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with drained(pipe):
        result = register("export", "2021", f"--{fmt}", "-o", str(pipe), ok=False)
    told(result, 2, f"{pipe} is not a regular file", "Hint: give the name of a file")
    assert stat.S_ISFIFO(pipe.lstat().st_mode)
    assert leftovers(tmp_path) == []


@pytest.fixture
def dev_full(tmp_path: Path) -> Path:
    """A device that is always full: /dev/full, or as root a node of the same device
    in tmp_path (as root, versions before issue 12 replaced the machine's /dev/full
    with a file, breaking it until the next boot)."""
    real = Path("/dev/full")
    if not real.is_char_device():
        pytest.skip("no /dev/full here")
    if os.geteuid() != 0:
        return real  # not ours to replace, whatever the version
    node = tmp_path / "full"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, real.stat().st_rdev)
    except OSError as error:
        pytest.skip(f"cannot make a device node here: {error}")
    return node


@pytest.mark.parametrize("command", [["export", "2021", "-o"], ["backup", "--force"]])
def test_dev_full_is_refused_not_replaced(
    register: Cli, dev_full: Path, command: list[str]
) -> None:
    """Before issue 12 an export (and a backup --force) replaced the device with a file."""
    before = dev_full.stat()
    result = register(*command, str(dev_full), ok=False)
    told(result, 2, f"{dev_full} is not a regular file")
    after = dev_full.stat()
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


# --- where nothing can be written: clear errors, not tracebacks ------------------------


@pytest.mark.skipif(not PROC_FILE.is_file(), reason="needs Linux /proc")
@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["-o", "/proc/version"], "cannot write /proc/version: "),
        (["-o", "/proc/kerjasama.xlsx"], "cannot write /proc/kerjasama.xlsx: "),
        (["--html", "-o", "/proc/kerjasama.html"], "cannot write /proc/kerjasama.html: "),
        (["--md", "--json", "-o", "/proc/laporan"], "cannot create the folder /proc/laporan: "),
        (["--csv", "-o", "/proc/laporan"], "cannot create the folder /proc/laporan: "),
    ],
)
def test_export_where_no_file_can_be_written(
    register: Cli, tmp_path: Path, args: list[str], said: str
) -> None:
    result = register("export", "2021", *args, ok=False)
    message = told(result, 2, said)
    assert ".partial" not in message  # the user's path, not a temporary one
    intact(register.db)


def test_export_into_a_folder_without_write_permission(register: Cli, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into a read-only folder anyway (the /proc tests cover it)")
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / f"{YEAR_FILE}.xlsx").write_bytes(b"last year's")
    folder.chmod(0o555)
    try:
        result = register("export", "2021", "-o", str(folder), ok=False)
        told(result, 2, f"cannot write {folder / YEAR_FILE}.xlsx: Permission denied")
        assert (folder / f"{YEAR_FILE}.xlsx").read_bytes() == b"last year's"
    finally:
        folder.chmod(0o755)


@pytest.mark.parametrize("formats", [["--xlsx", "--html"], ["--csv"], ["--json", "--md"]])
def test_an_existing_file_given_for_several_files_must_be_a_folder(
    register: Cli, tmp_path: Path, formats: list[str]
) -> None:
    existing = tmp_path / "existing.txt"
    existing.write_text("catatan\n", encoding="utf-8")
    result = register("export", "2021", "-o", str(existing), *formats, ok=False)
    told(result, 2, f"{existing} is a file, not a folder", "give a folder")
    assert existing.read_text(encoding="utf-8") == "catatan\n"
    assert theirs(tmp_path) == ["existing.txt"]


# --- all or nothing: a full disk or a kill leaves the old file --------------------------


def _full_disk(*_args: Any, **_kwargs: Any) -> Any:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _fill_disk(monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    """The disk fills up in the middle of writing ``fmt``: some bytes are on disk."""
    if fmt == "xlsx":
        from kerjasama_cli.exporting import workbook

        def half_workbook(source: Path, target: Path, stamp: object) -> None:
            target.with_suffix(target.suffix + ".partial").write_bytes(b"PK\x03\x04 half")
            _full_disk()

        monkeypatch.setattr(workbook, "_normalise", half_workbook)
    elif fmt == "csv":
        from kerjasama_cli.exporting import files

        calls: list[object] = []

        def value(item: object) -> object:
            calls.append(item)
            if len(calls) > 5:
                _full_disk()
            return item

        monkeypatch.setattr(files, "_csv_value", value)
    else:
        real = Path.write_text

        def half_text(self: Path, data: str, *args: Any, **kwargs: Any) -> int:
            real(self, data[: len(data) // 2], *args, **kwargs)
            return _full_disk()  # type: ignore[no-any-return]

        monkeypatch.setattr(Path, "write_text", half_text)


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "html", "md", "json"])
def test_a_full_disk_leaves_the_old_file_and_nothing_else(
    register: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    folder = tmp_path / "laporan"
    folder.mkdir()
    register("export", "2021", f"--{fmt}", "-o", str(folder))
    old = {p.name: p.read_bytes() for p in folder.iterdir()}
    _fill_disk(monkeypatch, fmt)
    result = register("export", "2021", f"--{fmt}", "-o", str(folder), ok=False)
    told(result, 2, f"cannot write {folder / YEAR_FILE}", ": No space left on device",
         "free some space", "any file already there is unchanged")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == old
    assert leftovers(tmp_path) == []


def test_a_kill_while_writing_leaves_the_old_file_and_nothing_else(
    register: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        pytest.skip("something here handles SIGTERM already")
    from kerjasama_cli.exporting import files

    register("export", "2021", "--csv", "-o", "laporan")
    old = {p.name: p.read_bytes() for p in (tmp_path / "laporan").iterdir()}

    def killed(value: object) -> object:
        # Before issue 12 nothing caught SIGTERM: sending it would end the test run.
        assert signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL, "a kill is not handled"
        os.kill(os.getpid(), signal.SIGTERM)  # `kill PID` while the first file is half written
        return value

    monkeypatch.setattr(files, "_csv_value", killed)
    result = register("export", "2021", "--csv", "-o", "laporan", ok=False)
    assert result.exit_code == 128 + signal.SIGTERM
    assert {p.name: p.read_bytes() for p in (tmp_path / "laporan").iterdir()} == old
    assert leftovers(tmp_path) == []
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # as it was


def test_writing_in_place_keeps_the_files_permissions_and_links(
    register: Cli, tmp_path: Path
) -> None:
    """The new file replaces the old one as the old one was: its mode, a link to it."""
    shared = tmp_path / "shared.xlsx"
    shared.write_bytes(b"old")
    shared.chmod(0o640)
    link = tmp_path / "terbaru.xlsx"
    link.symlink_to(shared)
    assert register("export", "2021", "-o", str(link)).stdout.strip() == str(link)
    assert link.is_symlink() and shared.read_bytes().startswith(b"PK")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


# --- import --report FILE ---------------------------------------------------------------


@pytest.fixture
def problems(tmp_path: Path) -> Path:
    """A file to import with one valid row and one that is not."""
    source = tmp_path / "baru.csv"
    source.write_text(
        "Jenis Dokumen;Nomor;Tentang;Mitra;Tanggal Penandatanganan\n"
        "Kesepakatan Bersama;3/KB;v;r;2021-03-01\n"
        "Kesepakatan Bersama;4/KB;;r;2021-03-01\n",
        encoding="utf-8",
    )
    return source


@pytest.mark.parametrize("target", ["register.db", "register.db-wal", "arsip.db"])
def test_import_report_never_replaces_a_database(
    register: Cli, tmp_path: Path, problems: Path, target: str
) -> None:
    if target == "arsip.db":
        register("backup", "arsip.db")
    before = {name: digest(tmp_path / name) for name in ("register.db", "arsip.db")
              if (tmp_path / name).exists()}
    result = register("import", str(problems), "--skip-invalid", "--report", target, ok=False)
    told(result, 2, target)
    assert {name: digest(tmp_path / name) for name in before} == before  # nothing imported
    intact(register.db)
    assert leftovers(tmp_path) == []


def test_import_report_into_a_folder_or_a_device_is_told(
    register: Cli, tmp_path: Path, problems: Path
) -> None:
    (tmp_path / "laporan").mkdir()
    result = register("import", str(problems), "--report", "laporan", ok=False)
    told(result, 2, "laporan is a folder, not a file")
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with drained(pipe):
        result = register("import", str(problems), "--report", str(pipe), ok=False)
    told(result, 2, f"{pipe} is not a regular file")
    intact(register.db)


def test_import_report_on_a_full_disk_leaves_the_old_one(
    register: Cli, tmp_path: Path, problems: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = tmp_path / "masalah.txt"
    report.write_text("kemarin\n", encoding="utf-8")
    _fill_disk(monkeypatch, "txt")
    result = register("import", str(problems), "--dry-run", "--report", str(report), ok=False)
    told(result, 2, f"cannot write {report}: No space left on device")
    assert report.read_text(encoding="utf-8") == "kemarin\n"
    assert leftovers(tmp_path) == []


# --- backup ---------------------------------------------------------------------------


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_backup_into_a_folder_says_to_name_the_file(
    register: Cli, tmp_path: Path, force: list[str]
) -> None:
    folder = tmp_path / "usb"
    folder.mkdir()
    (folder / "catatan.txt").write_text("x", encoding="utf-8")
    result = register("backup", str(folder), *force, ok=False)
    told(result, 2, f"{folder} is a folder", f"e.g. {folder}/")
    assert [p.name for p in folder.iterdir()] == ["catatan.txt"]
    assert theirs(tmp_path) == ["usb"]


@pytest.mark.parametrize("name", ["pipe", "register.db-wal"])
def test_backup_force_never_replaces_a_pipe_or_the_registers_own_files(
    register: Cli, tmp_path: Path, name: str
) -> None:
    if name == "pipe":
        os.mkfifo(tmp_path / name)
    result = register("backup", str(tmp_path / name), "--force", ok=False)
    told(result, 2, str(tmp_path / name))
    if name == "pipe":
        assert stat.S_ISFIFO((tmp_path / name).lstat().st_mode)
    intact(register.db)
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(not PROC_FILE.is_file(), reason="needs Linux /proc")
@pytest.mark.parametrize("target", ["/proc/kerjasama.db", "/proc/version"])
def test_backup_where_no_file_can_be_written(register: Cli, target: str) -> None:
    result = register("backup", target, "--force", ok=False)
    told(result, 2, f"cannot write {target}: ")


def test_backup_on_a_full_disk_leaves_the_older_backup(
    register: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kerjasama_cli.db import backup

    older = tmp_path / "backup.db"
    register("backup", str(older))
    before = digest(older)

    class FillsTheDisk:
        def __init__(self, connection: sqlite3.Connection) -> None:
            self.connection = connection

        def backup(self, target: sqlite3.Connection) -> None:
            target.execute("CREATE TABLE half (x)")  # some pages written, then no room
            error = sqlite3.OperationalError("database or disk is full")
            error.sqlite_errorname = "SQLITE_FULL"
            raise error

        def close(self) -> None:
            self.connection.close()

    def connect(path: Path, **options: Any) -> Any:
        connection = sqlite3.connect(path, **options)
        return FillsTheDisk(connection) if Path(path) == Path(register.db) else connection

    monkeypatch.setattr(backup, "sqlite3", SimpleNamespace(connect=connect, Error=sqlite3.Error))
    result = register("backup", str(older), "--force", ok=False)
    told(result, 2, f"cannot write {older}: database or disk is full", "free some space")
    assert digest(older) == before
    intact(older)
    assert leftovers(tmp_path) == []


def test_backup_force_replaces_an_older_backup_whole(register: Cli, tmp_path: Path) -> None:
    older = tmp_path / "backup.db"
    register("backup", str(older))
    register("add-mou", "--number", "3/KB", "--title", "v", "--partner", "r")
    assert register("backup", str(older), "--force").stdout.strip() == str(older)
    with sqlite3.connect(older) as copy:
        assert len(copy.execute("SELECT number FROM agreement").fetchall()) == 3
    copy.close()
    assert leftovers(tmp_path) == []


# --- the library, without the CLI -------------------------------------------------------


def test_the_checks_belong_to_the_library(tmp_path: Path) -> None:
    from kerjasama_cli.errors import ExitCode, KerjasamaError
    from kerjasama_cli.outputs import CannotWrite, check_target, write_text

    database = tmp_path / "a.db"
    sqlite3.connect(database).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(CannotWrite) as refused:
        write_text(database, "x")
    assert isinstance(refused.value, KerjasamaError)
    assert refused.value.exit_code == ExitCode.INVALID_INPUT
    with pytest.raises(CannotWrite, match="the register in use"):
        check_target(tmp_path / "b.db", register=tmp_path / "b.db")
    assert write_text(tmp_path / "c.txt", "isi\n") == tmp_path / "c.txt"
    assert (tmp_path / "c.txt").read_text(encoding="utf-8") == "isi\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.db", "c.txt"]
