"""Links between documents: which a document may belong to, and links still waiting.

A PKS may name a KB that is not in the register yet (signed years ago, kept in
last year's file): the KB's number is kept in ``unresolved_parent`` and the
link is made by itself when that KB arrives, by any command that adds it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from kerjasama_cli import parse
from kerjasama_cli.db.models import LOCAL_REGION, agreement_table, history_table
from kerjasama_cli.register.lookup import number_key

# The documents each type may belong to (its parent).
PARENT_TYPES: dict[str, tuple[str, ...]] = {
    "pks": ("kb", "nota-kesepakatan"),
    "adendum": ("kb", "pks", "nota-kesepakatan", "adendum"),
    "kb": (),
    "nota-kesepakatan": (),
}


def fitting_parent(candidates: Iterable[tuple[str, int]], doc_type: str) -> int | None:
    """The id among (doc type, id) candidates that a ``doc_type`` may belong to."""
    allowed = PARENT_TYPES.get(doc_type, ())
    for kind, ident in candidates:  # a loop, not a generator: run per row of an import
        if kind in allowed:
            return ident
    return None


def resolve_pending_links(
    session: Session, actor: Any, arrived: Iterable[int] | None = None
) -> list[str]:
    """Link the documents waiting for a parent that is now in the register.

    ``arrived``: the ids of documents just added (None: any document may be the
    parent). Returns the numbers of the documents linked; each link is kept in
    their history. Two queries when nothing waits.
    """
    table = agreement_table
    waiting = session.execute(
        select(table.c.id, table.c.doc_type, table.c.unresolved_parent, table.c.version).where(
            table.c.unresolved_parent.is_not(None), table.c.region == LOCAL_REGION
        )
    ).all()
    if not waiting:
        return []
    keys = {number_key(parent) for _id, _type, parent, _version in waiting}
    query = select(table.c.id, table.c.doc_type, table.c.number_key, table.c.number).where(
        table.c.number_key.in_(keys), table.c.region == LOCAL_REGION
    )
    if arrived is not None:
        query = query.where(table.c.id.in_(list(arrived)))
    found: dict[str, list[tuple[str, int]]] = {}
    numbers: dict[int, str] = {}
    for ident, doc_type, key, number in session.execute(query):
        found.setdefault(key, []).append((doc_type, ident))
        numbers[ident] = number
    if not found:
        return []
    now = parse.now_utc()
    changes = []
    history = []
    for ident, doc_type, parent, version in waiting:
        parent_id = fitting_parent(found.get(number_key(parent), ()), doc_type)
        if parent_id is None or parent_id == ident:
            continue
        changes.append(
            {"target": ident, "parent": parent_id, "version_now": version + 1, "at": now}
        )
        history.append(
            {
                "agreement_id": ident,
                "at": now,
                "user_name": actor.user,
                "command": actor.command,
                "field": "parent",
                "old": None,
                "new": f"{numbers[parent_id]} (arrived in the register)",
            }
        )
    if not changes:
        return []
    session.execute(
        update(table)
        .where(table.c.id == bindparam("target"))
        .values(
            parent_id=bindparam("parent"),
            unresolved_parent=None,
            version=bindparam("version_now"),
            updated_at=bindparam("at"),
        ),
        changes,
    )
    session.execute(history_table.insert(), history)
    linked_ids = [change["target"] for change in changes]
    return list(
        session.scalars(
            select(table.c.number).where(table.c.id.in_(linked_ids)).order_by(table.c.id)
        )
    )
