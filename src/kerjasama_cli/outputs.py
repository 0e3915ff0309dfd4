"""Files written where the user asked: never over the register, and all or nothing.

Every file kerjasama writes for a user (an export, a backup, a report of
problems) goes through here:

- :func:`check_target` refuses a path whose file writing would destroy: the
  register in use (or its -wal/-shm/-journal files), any SQLite database, and
  anything that is not a regular file (a device such as /dev/full, a pipe).
- :func:`replacing` writes into a hidden folder next to the target and renames
  the finished file into place, so a full disk, an error or a kill (SIGTERM,
  Ctrl-C) leaves the file that was there intact and nothing half-written behind.
- Every :class:`OSError` on the way becomes :class:`CannotWrite`, naming the
  path and the system's reason.

Standard library only: the CLI imports it without the database layer.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from kerjasama_cli.errors import KerjasamaError

SQLITE_HEADER = b"SQLite format 3\x00"
REGISTER_COMPANIONS = ("-wal", "-shm", "-journal")


class CannotWrite(KerjasamaError):
    """An output cannot be written where the user asked: refused, or the system said no.

    Exit code 2, as for any path or value given that cannot be used.
    """


def cannot_write(path: Path, error: OSError, *, doing: str = "write") -> CannotWrite:
    """'cannot write /x/y.xlsx: Read-only file system', with what to do about it."""
    reason = error.strerror or str(error) or type(error).__name__
    code = error.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        hint = "free some space on that disk or write to another one"
    elif code == errno.EROFS:
        hint = "that file system is read-only: write to another folder"
    elif code in (errno.EACCES, errno.EPERM):
        hint = "you may not write there: choose a folder of your own, or ask for permission"
    elif code in (errno.ENOENT, errno.ENOTDIR):
        hint = "that folder does not exist or cannot hold files: choose another one"
    elif code == errno.ENAMETOOLONG:
        hint = "choose a shorter name"
    else:
        hint = "choose another file or folder"
    if doing == "write":
        hint += "; any file already there is unchanged"
    return CannotWrite(f"cannot {doing} {path}: {reason}", hint=hint)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def check_target(path: Path, *, register: Path | None = None, databases: bool = False) -> None:
    """Refuse to write ``path`` when that would destroy something.

    ``register`` is the file of the register in use (None for PostgreSQL): it
    and its -wal/-shm/-journal files are never written over. Any other SQLite
    database is refused too unless ``databases`` (a backup replacing an older
    backup). A folder, a device, a pipe or a socket is never written over.
    A path that does not exist yet is fine here; whether it can be created is
    told when it is written.
    """
    real = Path(os.path.realpath(path))
    if register is not None:
        own = Path(os.path.realpath(register))
        if real == own or _same_file(real, own):
            raise CannotWrite(
                f"{path} is the register in use: writing there would destroy it",
                hint="choose another file name or a folder; the register is unchanged",
            )
        if real in {own.with_name(own.name + suffix) for suffix in REGISTER_COMPANIONS}:
            raise CannotWrite(
                f"{path} belongs to the register in use ({own.name}): it is never written over",
                hint="choose another file name or a folder",
            )
    try:
        info = real.stat()
    except FileNotFoundError:
        return
    except OSError as error:
        raise cannot_write(path, error) from None
    if stat.S_ISDIR(info.st_mode):
        raise CannotWrite(
            f"{path} is a folder, not a file", hint="give a file name, or a file name inside it"
        )
    if not stat.S_ISREG(info.st_mode):
        raise CannotWrite(
            f"{path} is not a regular file (a device, a pipe or a socket): "
            "it is never written over",
            hint="give the name of a file to write, or a folder",
        )
    if databases:
        return
    try:
        with real.open("rb") as handle:
            start = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise CannotWrite(
            f"{path} exists and cannot be read to make sure it is no register: "
            f"{error.strerror or error}",
            hint="choose another file name",
        ) from None
    if start == SQLITE_HEADER:
        raise CannotWrite(
            f"{path} is an SQLite database (a register, or a copy of one): "
            "it is never written over",
            hint="choose another file name; to replace it, move or delete it first",
        )


def check_folder(path: Path) -> None:
    """Refuse a folder path that is an existing file (several formats, CSV)."""
    if path.exists() and not path.is_dir():
        raise CannotWrite(
            f"{path} is a file, not a folder: several files are written into a folder",
            hint="give a folder (created if needed), e.g. -o laporan/; "
            "or one format, to write that file",
        )


def make_folder(path: Path) -> None:
    """``mkdir -p``, each failure told as a CannotWrite."""
    check_folder(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise cannot_write(path, error, doing="create the folder") from None


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary path to write; renamed onto ``path`` when the block ends normally.

    The temporary file is in a hidden folder next to ``path`` (the same file
    system, so the rename is atomic), named like ``path``. On any error, a
    SIGTERM or Ctrl-C in the block, that folder goes and ``path`` is as it was.
    An OSError becomes a :class:`CannotWrite` naming ``path``. A symbolic link
    is followed: the file it points to is replaced, the link stays.
    """
    target = Path(os.path.realpath(path))
    try:
        folder = Path(
            tempfile.mkdtemp(prefix=f".{target.name[:100]}.", suffix=".partial", dir=target.parent)
        )
    except OSError as error:
        raise cannot_write(path, error) from None
    try:
        with _terminate_as_exit():
            temporary = folder / target.name
            try:
                yield temporary
                _settle(temporary, target)
                temporary.replace(target)
            except OSError as error:
                raise cannot_write(path, error) from None
            _sync_folder(target.parent)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def write_text(path: Path, text: str, *, register: Path | None = None) -> Path:
    """Check ``path``, then write ``text`` to it (UTF-8) all or nothing."""
    check_target(path, register=register)
    with replacing(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
    return path


def _settle(temporary: Path, target: Path) -> None:
    """On disk before the rename (a crash never leaves an empty file in its place),
    with the permissions of the file it replaces."""
    with contextlib.suppress(FileNotFoundError):
        temporary.chmod(stat.S_IMODE(target.stat().st_mode))
    descriptor = os.open(temporary, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every system opens or syncs a folder
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


@contextlib.contextmanager
def _terminate_as_exit() -> Iterator[None]:
    """While a file is written, a plain ``kill`` (SIGTERM) unwinds like Ctrl-C does,
    so the temporary file is removed. Only where nobody else handles SIGTERM."""
    if threading.current_thread() is not threading.main_thread() or (
        signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    ):
        yield
        return

    def _exit(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _exit)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
