"""Waiting for another writer: SQLite's write lock, taken when a write begins.

Every write begins with BEGIN IMMEDIATE, which takes the register's one write
lock or waits for it (the busy timeout). A writer that waits is told so after
a second (``Waiter.notify``, which the CLI prints on stderr), and one that
waits out the whole timeout gets an error saying what to do instead of
SQLite's "database is locked".
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kerjasama_cli.db import files
from kerjasama_cli.errors import RegisterError


@dataclass
class Waiter:
    """Who to tell, and what, when a write waits for another writer's lock."""

    location: str
    notify: Callable[[str], None] | None = None

    def waiting(self) -> None:
        if self.notify is not None:
            self.notify(
                f"Waiting for another kerjasama writing to {self.location} "
                f"(up to {files.BUSY_TIMEOUT_SECONDS:g} seconds; Ctrl+C stops)..."
            )

    def timed_out(self, seconds: float) -> RegisterError:
        others = holders(Path(self.location))
        named = (
            "; the programs that have it open: " + ", ".join(others)
            if others
            else ""
        )
        return RegisterError(
            f"another kerjasama has been writing to {self.location} for {seconds:g} seconds "
            "(an import, a merge or an upgrade, or a program stopped halfway); "
            f"nothing was written{named}",
            hint="let the other kerjasama finish, or close it (Ctrl+C in its window), "
            "then run this command again"
            + ("" if others else f"; to see which programs have the register open: lsof "
               f"{self.location} (Linux, macOS)"),
        )


def holders(path: Path, limit: int = 5) -> list[str]:
    """Other processes of this user that have the file open, as "NAME (process PID)".

    Linux only (/proc); empty where it cannot tell. Readers are named too: a
    process holding the register open is where to look, not proof it writes.
    """
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    try:
        target = path.resolve()
        names = {str(target), *(f"{target}{suffix}" for suffix in ("-wal", "-journal"))}
        pids = [entry.name for entry in proc.iterdir() if entry.name.isdigit()]
    except OSError:
        return []
    found: list[str] = []
    for pid in pids:
        if int(pid) == os.getpid():
            continue
        try:
            links = {str(fd.readlink()) for fd in (proc / pid / "fd").iterdir()}
        except OSError:  # gone, or another user's
            continue
        if links & names:
            found.append(f"{_command_of(proc / pid)} (process {pid})")
            if len(found) == limit:
                break
    return found


def _command_of(process: Path) -> str:
    try:
        words = (process / "cmdline").read_bytes().split(b"\0")
    except OSError:
        return "a program"
    parts = [os.fsdecode(word) for word in words if word]
    if len(parts) > 1 and Path(parts[0]).name.startswith("python"):
        parts = parts[1:]  # python /path/to/kerjasama ... reads as kerjasama ...
    if not parts:
        return "a program"
    text = " ".join([Path(parts[0]).name, *parts[1:]])
    text = text.replace("\n", " ")
    return text if len(text) <= 80 else text[:77] + "..."


def is_busy(error: sqlite3.Error) -> bool:
    name = getattr(error, "sqlite_errorname", "")
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in str(error)


def begin_immediate(connection: sqlite3.Connection, waiter: Waiter) -> None:
    """BEGIN IMMEDIATE: the write lock now, or after another writer; told after a second."""
    timeout = files.BUSY_TIMEOUT_SECONDS
    notice = min(files.WAIT_NOTICE_SECONDS, timeout)
    cursor = connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {int(notice * 1000)}")
        try:
            cursor.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as error:
            if not is_busy(error):
                raise
        waiter.waiting()
        cursor.execute(f"PRAGMA busy_timeout = {int((timeout - notice) * 1000)}")
        try:
            cursor.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if is_busy(error):
                raise waiter.timed_out(timeout) from None
            raise
    finally:
        cursor.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        cursor.close()
