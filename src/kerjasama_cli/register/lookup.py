"""Finding agreements: by id or number, and by text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from kerjasama_cli import vocab
from kerjasama_cli.db.models import Agreement
from kerjasama_cli.errors import Conflict, NotFound


def _with_links() -> Sequence[Any]:
    return (selectinload(Agreement.partners), selectinload(Agreement.units))


def number_key(number: str) -> str:
    return "".join(number.split()).casefold()


def find_agreement(session: Session, ref: str, *, for_update: bool = False) -> Agreement:
    """The agreement a REF names: its id ('12' or 'id:12') or its region number."""
    ref = ref.strip()
    if not ref:
        raise NotFound("no agreement reference given")
    options = _with_links()
    if ref.lower().startswith("id:"):
        found = session.get(Agreement, _id_of(ref[3:], ref), options=options)
        if found is None:
            raise NotFound(f"no agreement has id {ref[3:].strip()}")
        return found
    by_number = list(
        session.scalars(
            select(Agreement).where(Agreement.number_key == number_key(ref)).options(*options)
        )
    )
    by_id = session.get(Agreement, int(ref), options=options) if ref.isdigit() else None
    candidates = {a.id: a for a in by_number}
    if by_id is not None:
        candidates[by_id.id] = by_id
    if len(candidates) == 1:
        return next(iter(candidates.values()))
    if not candidates:
        raise NotFound(
            f"no agreement with id or number {ref!r}",
            hint="find it with: kerjasama list --search TEXT",
        )
    listing = "; ".join(
        f"id {a.id}: {vocab.DOC_TYPES.label(a.doc_type)} {a.number}"
        + (f" of {a.region}" if a.region else "")
        for a in candidates.values()
    )
    raise Conflict(
        f"{ref!r} names more than one agreement ({listing})",
        hint="give the id as id:N",
    )


def _id_of(text: str, ref: str) -> int:
    if not text.strip().isdigit():
        raise NotFound(f"{ref!r} is not an id")
    return int(text)



def search_condition(text: str) -> Any:
    """Case-insensitive substring match over the agreement's text fields."""
    from sqlalchemy import func

    needle = text.strip().lower()
    return or_(
        *(
            func.lower(column).contains(needle, autoescape=True)
            for column in (
                Agreement.number,
                Agreement.partner_number,
                Agreement.title,
                Agreement.scope,
                Agreement.note,
                Agreement.bidang,
            )
        )
    )
