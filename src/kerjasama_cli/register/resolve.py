"""Partners and OPDs one at a time (add, update, findings), and what two people
writing the same new thing at once meet: on PostgreSQL both can find "not there
yet" before either commits.

Names are shared (the second of two commands adding the same new partner or OPD
uses the first one's row); anything else keyed (an agreement's number, a year's
evaluation) becomes a Conflict, exit 4, for the second: run it again. On SQLite
a writer holds the write lock from its first read: the second writer waits
before its own checks, and finds what the first wrote.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlmodel import select

from kerjasama_cli import vocab
from kerjasama_cli.db.models import Partner, Unit, partner_table, unit_table
from kerjasama_cli.errors import Conflict
from kerjasama_cli.register.fields import PartnerSpec, check_controls, check_text, refuse_empty


def is_unique_violation(error: IntegrityError) -> bool:
    """A unique key was taken (PostgreSQL's SQLSTATE 23505, SQLite's message)."""
    original = error.orig
    state = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    if state is not None:
        return bool(state == "23505")
    return "UNIQUE constraint failed" in str(original)


@contextmanager
def same_time(what: str, hint: str) -> Iterator[None]:
    """A unique key someone else took since this command checked it becomes a
    Conflict (exit 4): "someone else {what} at the same time".

    On PostgreSQL two commands can both find "not there yet" before either
    commits; the second's INSERT then waits for the first and fails. (On SQLite
    a writer holds the write lock from its first read, so the second writer
    waits before its own check, and finds what the first wrote.)
    """
    try:
        yield
    except IntegrityError as error:
        if not is_unique_violation(error):
            raise
        raise Conflict(
            f"someone else {what} at the same time; nothing was written", hint=hint
        ) from None


def _insert_new(session: Session, table: Table, values: Mapping[str, Any]) -> None:
    """INSERT a partner or unit unless its name_key is there, committed or being
    committed by someone else (whose commit PostgreSQL waits for): the second of
    two commands adding the same new name at once uses the first one's row."""
    dialect = session.get_bind().dialect.name
    statement: Any
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        statement = postgresql.insert(table).on_conflict_do_nothing(index_elements=["name_key"])
    elif dialect == "sqlite":
        from sqlalchemy.dialects import sqlite

        statement = sqlite.insert(table).on_conflict_do_nothing(index_elements=["name_key"])
    else:  # pragma: no cover - the two backends supported
        statement = insert(table)
    session.execute(statement.values(**values))


def _checked_name(name: str, field_name: str, label: str) -> str:
    refuse_empty(field_name, name, label, clears=False)
    check_controls(field_name, name, label)
    return check_text(field_name, vocab.clean_name(name), label)


def resolve_partner(session: Session, spec: PartnerSpec, label: str = "--partner") -> Partner:
    name = _checked_name(spec.name, "partners", label)
    key = vocab.name_key(name)
    partner = session.scalar(select(Partner).where(Partner.name_key == key))
    kind = spec.kind
    if partner is None:
        kind_new = kind or vocab.guess_partner_kind(name)
        _insert_new(session, partner_table, {"name": name, "name_key": key, "kind": kind_new})
        partner = session.scalars(select(Partner).where(Partner.name_key == key)).one()
    partner.name = vocab.better_spelling(partner.name, name)
    if kind and partner.kind != kind:
        partner.kind = kind
    return partner


def resolve_unit(session: Session, name: str, *, label: str = "--unit") -> Unit:
    """The OPD of that name (case and spacing ignored), added if new."""
    clean = _checked_name(name, "units", label)
    key = vocab.name_key(clean)
    unit = session.scalar(select(Unit).where(Unit.name_key == key))
    if unit is None:
        _insert_new(session, unit_table, {"name": clean, "name_key": key})
        unit = session.scalars(select(Unit).where(Unit.name_key == key)).one()
    unit.name = vocab.better_spelling(unit.name, clean)
    return unit
