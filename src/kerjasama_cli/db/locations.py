"""Where the register lives: `--db`, $KERJASAMA_DB or the default, checked before use.

A plain path is an SQLite file; anything with '://' is a database URL. What
cannot be a register is refused here with a message and a hint, before any
driver is loaded: an empty location, a URL that does not parse (a port that
is not a number), a database kerjasama does not keep registers in (MySQL), a
driver SQLAlchemy does not know, and an in-memory SQLite database, which
would take every change and keep none.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from kerjasama_cli.db.files import is_memory, memory_uri, sqlite_path
from kerjasama_cli.errors import RegisterError

ENV_VAR = "KERJASAMA_DB"
URL_HINT = (
    "give an SQLite file path (kerjasama.db) or a PostgreSQL URL such as "
    "postgresql+psycopg://user@host/dbname"
)
BACKENDS = ("sqlite", "postgresql")


def default_location() -> Path:
    from platformdirs import user_data_path

    return user_data_path("kerjasama", appauthor=False) / "kerjasama.db"


def resolve_location(explicit: str | None = None) -> str:
    """`--db` beats $KERJASAMA_DB beats the per-user default; returns a database URL.

    An empty --db is refused (it is a mistake, not "the default"); an empty
    $KERJASAMA_DB counts as unset.
    """
    if explicit is not None:
        return to_url(explicit, origin="--db")
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return to_url(from_env, origin=f"${ENV_VAR}")
    return to_url(str(default_location()))


def to_url(location: str, *, origin: str = "the register's location") -> str:
    """A plain path means an SQLite file; anything with '://' is a URL used as it is,
    once checked (RegisterError, with a hint, for what cannot be a register)."""
    if not location.strip():
        raise RegisterError(f"{origin} is empty", hint=URL_HINT)
    if "://" in location:
        check_url(location)
        return location
    bare = location.strip()
    if bare == ":memory:" or (bare.startswith("file:") and memory_uri(bare)):
        raise in_memory(bare)
    try:
        path = Path(location).expanduser().resolve()
    except (OSError, RuntimeError) as error:
        raise RegisterError(
            f"cannot use {shown(location)} as the register's path: {error}", hint=URL_HINT
        ) from None
    return f"sqlite:///{path}"


def check_url(text: str) -> URL:
    """The parsed URL of a register kerjasama can open; RegisterError otherwise."""
    try:
        parsed = make_url(text)
    except (ArgumentError, ValueError):
        raise RegisterError(
            f"{shown(hide_password(text))} is not a database URL{_why_unparsed(text)}",
            hint=URL_HINT,
        ) from None
    safe = shown(hide_password(parsed.render_as_string(hide_password=True)))
    backend = parsed.get_backend_name()
    if backend not in BACKENDS:
        raise RegisterError(
            f"{safe}: kerjasama keeps a register in an SQLite file or a PostgreSQL "
            f"database, not in {backend}",
            hint=URL_HINT,
        )
    if parsed.host:
        _check_host(parsed.host, safe)
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise RegisterError(f"{safe}: the port {parsed.port} is not 1 to 65535", hint=URL_HINT)
    try:
        dialect = parsed.get_dialect()
    except ArgumentError:
        raise RegisterError(
            f"{safe}: {parsed.drivername!r} names no driver kerjasama can use", hint=URL_HINT
        ) from None
    if getattr(dialect, "is_async", False):
        raise RegisterError(
            f"{safe}: {parsed.get_driver_name()} is an asyncio driver, which kerjasama "
            "does not use",
            hint=URL_HINT,
        )
    if backend == "sqlite":
        if is_memory(parsed):
            raise in_memory(text)
        if parsed.host or parsed.username or parsed.password or parsed.port:
            raise RegisterError(
                f"{safe}: an SQLite register is a file, on no host",
                hint="give its path: sqlite:///relative/path.db, sqlite:////absolute/path.db, "
                "or the path alone",
            )
    return parsed


def _why_unparsed(text: str) -> str:
    try:
        split = urlsplit(text)
        split.port  # noqa: B018 - raises for a port that is not a number
    except ValueError as error:
        if "IPv6" in str(error):
            return ": its host's [ ] are not closed"
        return ": its port is not a number"
    if split.netloc.endswith(":"):
        return ": its port is empty"
    return ""


def _check_host(host: str, safe: str) -> None:
    """A host name the system's resolver takes (a name too long fails deep in it)."""
    if any(sign in host for sign in "/%[:"):  # a socket's folder, an IPv6 address
        return
    labels = host.rstrip(".").split(".")
    if len(host) > 253 or any(not 0 < len(label) <= 63 for label in labels):
        raise RegisterError(
            f"{safe}: {shown(host, 60)} is not a host name (at most 253 characters, "
            "in parts of 1 to 63 between dots)",
            hint=URL_HINT,
        )


def in_memory(location: str) -> RegisterError:
    return RegisterError(
        f"{shown(location)} is an in-memory database: it would take every change and "
        "keep none of them once the command ends",
        hint="give the register a file (--db kerjasama.db) or a PostgreSQL URL",
    )


def describe(url: str) -> str:
    """The register's location as a user wants to read it (no password)."""
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    return hide_password(make_url(url).render_as_string(hide_password=True))


# user:password@ up to the last @ before the path (a password may hold @ and :),
# and a password given as a query parameter (?password=...).
_NETLOC_PASSWORD = re.compile(r"(://[^:/@?#]*:)[^/?#]*@")
_QUERY_PASSWORD = re.compile(r"([?&]password=)[^&#]*", re.IGNORECASE)


def hide_password(text: str) -> str:
    """A URL told without a password it may hold, parsed or not."""
    return _QUERY_PASSWORD.sub(r"\1***", _NETLOC_PASSWORD.sub(r"\1***@", text))


def shown(text: object, limit: int = 160) -> str:
    """A location in a message: a path of thousands of characters is cut in the middle."""
    value = str(text)
    if len(value) <= limit:
        return value
    half = (limit - 5) // 2
    return f"{value[:half]} ... {value[-half:]} ({len(value):,} characters)"
