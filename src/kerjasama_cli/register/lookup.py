"""Finding agreements: by id or number, and by text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import or_
from sqlalchemy.orm import QueryableAttribute, Session, selectinload
from sqlmodel import select

from kerjasama_cli import vocab
from kerjasama_cli.db.models import Agreement
from kerjasama_cli.errors import Conflict, NotFound
from kerjasama_cli.register.fields import check_controls


def _with_links() -> Sequence[Any]:
    # SQLModel types a relationship as its Python value (a list); the ORM
    # option takes the class attribute SQLAlchemy instruments it as.
    partners = cast("QueryableAttribute[Any]", Agreement.partners)
    units = cast("QueryableAttribute[Any]", Agreement.units)
    return (selectinload(partners), selectinload(units))


def number_key(number: str) -> str:
    return "".join(number.split()).casefold()


# The largest id both backends store (PostgreSQL's INTEGER; SQLite's goes to
# 2**63 - 1, but a register must copy to PostgreSQL): a larger one names nothing,
# and is never sent to the database (either would refuse to even compare it).
MAX_ID = 2**31 - 1


def as_id(text: str) -> int | None:
    """The id ``text`` writes ("12"), or None: ASCII digits only ("²" and "١٢" are
    digits to str.isdigit(), not ids), no larger than MAX_ID."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()):
        return None
    digits = text.lstrip("0") or "0"
    if len(digits) > len(str(MAX_ID)):  # int() of 5,000 digits is itself an error
        return None
    number = int(digits)
    return number if number <= MAX_ID else None


def find_agreement(session: Session, ref: str, *, for_update: bool = False) -> Agreement:
    """The agreement a REF names: its id ('12' or 'id:12') or its region number."""
    check_controls("ref", ref, "REF")  # PostgreSQL cannot even compare a NUL
    ref = ref.strip()
    if not ref:
        raise NotFound("no agreement reference given")
    options = _with_links()
    if ref.lower().startswith("id:"):
        agreement_id = _id_of(ref[3:], ref)
        found = (
            None if agreement_id is None else session.get(Agreement, agreement_id, options=options)
        )
        if found is None:
            raise NotFound(
                f"no agreement has id {_cut(ref[3:].strip())}",
                hint="find it with: kerjasama list --search TEXT",
            )
        return found
    by_number = list(
        session.scalars(
            select(Agreement).where(Agreement.number_key == number_key(ref)).options(*options)
        )
    )
    agreement_id = as_id(ref)
    by_id = None if agreement_id is None else session.get(Agreement, agreement_id, options=options)
    candidates = {a.id: a for a in by_number}
    if by_id is not None:
        candidates[by_id.id] = by_id
    if len(candidates) == 1:
        return next(iter(candidates.values()))
    if not candidates:
        raise NotFound(
            f"no agreement with id or number {_quoted(ref)}",
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


def _id_of(text: str, ref: str) -> int | None:
    """The id after 'id:'; None for one too large to be any agreement's."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()):
        raise NotFound(f"{_quoted(ref)} is not an id", hint="an id is a whole number: id:12")
    return as_id(text)


def _cut(text: str, keep: int = 60) -> str:
    """A REF as messages show it: a very long one cut short."""
    return text if len(text) <= keep else text[:keep] + "..."


def _quoted(text: str) -> str:
    return repr(_cut(text))



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
