"""Registers that are SQLite files: the file of a URL, whether this process may write
it, read-only connections, and the copies kept before an upgrade or made for a dry run.

Below both ``engine`` (which opens registers) and ``migrate`` (which upgrades
them), so that neither needs the other for these.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy.engine import URL, make_url

# How long a writer waits for another writer before giving up (SQLite).
BUSY_TIMEOUT_SECONDS = 60.0
# After this long waiting for another writer, the person is told why nothing happens.
WAIT_NOTICE_SECONDS = 1.0
# The longest path SQLite opens on Unix: 512 bytes with the "-journal" it appends.
SQLITE_PATH_MAX = 504


def sqlite_path(url: str | URL) -> Path | None:
    """The file of an SQLite URL; None for other backends and in-memory databases."""
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() != "sqlite" or is_memory(parsed):
        return None
    database = parsed.database or ""
    if database.startswith("file:") and parsed.query.get("uri") == "true":
        return Path(unquote(urlsplit(database).path))
    return Path(database)


def is_memory(parsed: URL) -> bool:
    """Whether an SQLite URL names an in-memory database, which keeps nothing."""
    if parsed.get_backend_name() != "sqlite":
        return False
    database = parsed.database or ""
    return database in ("", ":memory:") or parsed.query.get("mode") == "memory" or (
        database.startswith("file:") and memory_uri(database)
    )


def memory_uri(text: str) -> bool:
    """An SQLite URI filename (file::memory:, file:x?mode=memory) of an in-memory database."""
    split = urlsplit(text)
    return split.path in ("", ":memory:") or "memory" in parse_qs(split.query).get("mode", [])


@dataclass(frozen=True)
class Access:
    """What this process may do with an existing register file."""

    read_only: str | None = None  # why it cannot be written; None when it can
    # SQLite cannot create the -wal and -shm files a WAL register needs beside it:
    # read it as an unchanging file (SQLite's immutable=1).
    immutable: bool = False


def access(path: Path) -> Access:
    """Whether the register file (which exists) and its folder can be written.

    SQLite writes beside the file (the -wal and -shm of a WAL register, or a
    rollback journal), so a folder that cannot be written makes the register
    read-only too. A read-only register is opened read-only (mode=ro), and
    as immutable when its folder cannot hold the files SQLite reads it with.
    """
    folder = path.parent
    folder_writable = os.access(folder, os.W_OK)
    if _read_only_file_system(path):
        why = "it is on a read-only file system"
    elif not os.access(path, os.W_OK):
        why = "you may not write to the file"
    elif not folder_writable:
        why = (
            f"you may not create files in its folder {folder}, where SQLite keeps "
            "the files it writes beside the register"
        )
    else:
        return Access()
    beside = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    immutable = not folder_writable and not all(file.exists() for file in beside)
    return Access(read_only=why, immutable=immutable)


def _read_only_file_system(path: Path) -> bool:
    statvfs = getattr(os, "statvfs", None)
    if statvfs is None:  # Windows: os.access tells it
        return False
    try:
        return bool(statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def read_only_uri(path: Path, how: Access) -> str:
    """An SQLite URI that opens the file read-only (and as immutable when it must)."""
    uri = path.absolute().as_uri() + "?mode=ro"
    return uri + "&immutable=1" if how.immutable else uri


def connect(path: Path, how: Access | None = None) -> sqlite3.Connection:
    """A plain sqlite3 connection to the register file, read-only when it must be."""
    if how is not None and how.read_only:
        return sqlite3.connect(read_only_uri(path, how), uri=True, timeout=BUSY_TIMEOUT_SECONDS)
    return sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS)


def revision_of(path: Path, how: Access) -> str | None:
    """The schema revision of an existing file, read without writing anything to it."""
    source = sqlite3.connect(read_only_uri(path, how), uri=True, timeout=BUSY_TIMEOUT_SECONDS)
    try:
        exists = source.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
        if not exists:
            return None
        row = source.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    finally:
        source.close()


def _backup(source: sqlite3.Connection, target: Path) -> None:
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()


def copy_file_before_upgrade(path: Path, revision: str) -> Path:
    """Keep the register as it was before a migration touches it."""
    copy = path.with_name(f"{path.name}.before-{revision}.bak")
    source = connect(path)
    try:
        _backup(source, copy)
    finally:
        source.close()
    return copy


def scratch_copy(path: Path | None, how: Access) -> Path:
    """A private copy of the register (an empty file when ``path`` is None), in a new
    temporary folder, for a dry run or for reading a read-only register of an older
    schema: the register itself is only read. The caller removes the folder."""
    folder = Path(tempfile.mkdtemp(prefix="kerjasama-copy-"))
    target = folder / (path.name if path is not None else "register.db")
    if path is None:
        return target
    try:
        source = sqlite3.connect(read_only_uri(path, how), uri=True, timeout=BUSY_TIMEOUT_SECONDS)
        try:
            _backup(source, target)
        finally:
            source.close()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return target


def too_long(path: Path) -> str | None:
    """Why the system would refuse the path for its length; None when it would not."""
    name_max, path_max = 255, 4096
    pathconf = getattr(os, "pathconf", None)
    folder = next((p for p in path.parents if _is_dir(p)), None)
    if pathconf is not None and folder is not None:
        try:
            name_max = pathconf(folder, "PC_NAME_MAX")
            path_max = pathconf(folder, "PC_PATH_MAX")
        except (OSError, ValueError):
            pass
    longest = max((len(os.fsencode(part)) for part in path.parts), default=0)
    if longest > name_max:
        return f"a name in it is {longest:,} bytes long, more than the {name_max} allowed"
    if len(os.fsencode(str(path))) > path_max:
        return f"it is {len(str(path)):,} characters long, more than the {path_max:,} allowed"
    if os.name != "nt" and len(os.fsencode(str(path))) > SQLITE_PATH_MAX:
        return (
            f"it is {len(os.fsencode(str(path))):,} bytes long, and SQLite opens files of "
            f"paths up to {SQLITE_PATH_MAX} bytes"
        )
    return None


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a name too long, say
        return False
