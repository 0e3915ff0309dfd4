"""Registers that are SQLite files: the file of a URL, and the copy kept before an upgrade.

Below both ``engine`` (which opens registers) and ``migrate`` (which upgrades
them), so that neither needs the other for these.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import URL, make_url

# How long a writer waits for another writer before giving up (SQLite).
BUSY_TIMEOUT_SECONDS = 60


def sqlite_path(url: str | URL) -> Path | None:
    """The file of an SQLite URL; None for other backends and in-memory databases."""
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def copy_file_before_upgrade(path: Path, revision: str) -> Path:
    """Keep the register as it was before a migration touches it."""
    copy = path.with_name(f"{path.name}.before-{revision}.bak")
    with sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    dst.close()
    src.close()
    return copy
