"""Partners and OPDs by name: the ids of many at once, creating those the register lacks.

Used by the bulk paths (import, merge), which name thousands of rows' partners
and OPDs at a time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session
from sqlmodel import select

from kerjasama_cli import vocab
from kerjasama_cli.db.bulk import insert_rows
from kerjasama_cli.db.models import Partner, Unit, partner_table, unit_table


def names_to_ids(
    session: Session,
    model: type[Partner] | type[Unit],
    wanted: Mapping[str, tuple[str, str | None]],
) -> dict[str, int]:
    """Ids of partners/units by name key, creating those the register lacks.

    ``wanted``: name key -> (name, partner kind or OPD code). A partner kind
    given replaces the one stored, as `update` does.
    """
    ids = {key: ident for ident, key in session.execute(select(model.id, model.name_key))}
    if model is Partner:
        stored: dict[str, str | None] = {}
        for key, kind in session.execute(select(Partner.name_key, Partner.kind)):
            stored[key] = kind
        changes = [
            {"target_id": ids[key], "new_kind": kind}
            for key, (_name, kind) in wanted.items()
            if key in ids and kind and stored.get(key) != kind
        ]
        if changes:
            session.execute(
                update(partner_table)
                .where(partner_table.c.id == bindparam("target_id"))
                .values(kind=bindparam("new_kind")),
                changes,
            )
    missing = [key for key in wanted if key not in ids]
    if missing:
        table = partner_table if model is Partner else unit_table
        if model is Partner:
            rows: list[tuple[Any, ...]] = [
                (wanted[k][0], k, wanted[k][1] or vocab.guess_partner_kind(wanted[k][0]))
                for k in missing
            ]
            insert_rows(session.connection(), table, ("name", "name_key", "kind"), rows)
        else:  # an OPD's second value is its code
            insert_rows(
                session.connection(),
                table,
                ("name", "name_key", "code"),
                [(wanted[k][0], k, wanted[k][1]) for k in missing],
            )
        ids = {key: ident for ident, key in session.execute(select(model.id, model.name_key))}
    return ids
