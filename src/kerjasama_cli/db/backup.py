"""`kerjasama backup FILE`: a consistent copy of an SQLite register, all or nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from kerjasama_cli.db.files import BUSY_TIMEOUT_SECONDS, access, read_only_uri, sqlite_path
from kerjasama_cli.errors import RegisterError
from kerjasama_cli.outputs import CannotWrite, check_target, make_folder, replacing

if TYPE_CHECKING:
    from kerjasama_cli.db.engine import Register


def backup(register: Register, target: Path, *, overwrite: bool = False) -> Path:
    """Copy the register to ``target``, safe while others write to it.

    sqlite3's online backup API copies a consistent snapshot even while other
    processes write (WAL). The copy is made next to ``target`` and renamed onto
    it when complete: a full disk or a kill leaves an older backup as it was.
    With ``overwrite`` an existing file (an older backup, say) is replaced,
    but never the register itself, a folder, a device or a pipe.
    """
    source = sqlite_path(register.url)
    if source is None:
        raise RegisterError(
            f"backup copies SQLite registers; {register.location} is on {register.backend}",
            hint="use pg_dump for a PostgreSQL register",
        )
    target = target.expanduser().resolve()
    if target == source.resolve():
        raise RegisterError("the backup cannot overwrite the register itself")
    if target.is_dir():
        raise CannotWrite(
            f"{target} is a folder, not a file",
            hint=f"give the copy's file name, e.g. {target / ('copy-of-' + source.name)}",
        )
    if target.exists() and not overwrite:
        raise RegisterError(f"{target} exists already", hint="use --force to overwrite it")
    check_target(target, register=source, databases=True)
    make_folder(target.parent)
    with replacing(target) as partial:
        _copy(source, partial, target)
    return target


def _copy(source: Path, partial: Path, target: Path) -> None:
    try:
        how = access(source)
        if how.read_only:  # a register on a read-only share, say: only read
            src = sqlite3.connect(read_only_uri(source, how), uri=True,
                                  timeout=BUSY_TIMEOUT_SECONDS)
        else:
            src = sqlite3.connect(source, timeout=BUSY_TIMEOUT_SECONDS)
    except sqlite3.Error as error:
        raise RegisterError(f"cannot open the register {source}: {error}") from None
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
        finally:
            dst.close()
    except sqlite3.Error as error:
        full = getattr(error, "sqlite_errorname", "") == "SQLITE_FULL"
        raise CannotWrite(
            f"cannot write {target}: {error}",
            hint=(
                "free some space on that disk or write to another one"
                if full
                else "choose another file or folder"
            )
            + "; any file already there is unchanged",
        ) from None
    finally:
        src.close()
