"""Extending and terminating an agreement: its end, changed on purpose.

Like writes.py: inside the caller's write transaction, validated before
anything is written, each change kept in history.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from kerjasama_cli.db.models import Agreement
from kerjasama_cli.errors import Conflict, InvalidValue, MissingValue
from kerjasama_cli.register.fields import (
    FIELD_READERS,
    Change,
    PartnerSpec,
    as_text,
    check_controls,
    check_text,
    refuse_empty,
)
from kerjasama_cli.register.lookup import find_agreement
from kerjasama_cli.register.writes import (
    Actor,
    WriteResult,
    _finish,
    _number_of,
    create_agreement,
)


def extend_agreement(
    session: Session,
    ref: str,
    new_end: date,
    *,
    number: str | None = None,
    starts_on: date | None = None,
    signed_on: date | None = None,
    actor: Actor,
) -> WriteResult:
    """Extend an agreement's term.

    Without ``number`` the end date moves (the original end is kept, so the
    agreement reads 'diperpanjang' after it). With ``number`` the extension is a
    new document that renews the old one and carries its partners and units.
    """
    if number is not None:  # the new document's number, read as add-pks reads it
        refuse_empty("number", number, "--number", clears=False)
        check_controls("number", number, "--number")
        number = str(FIELD_READERS["number"](number.strip(), "number", "--number"))
    agreement = find_agreement(session, ref)
    if agreement.terminated_on is not None:
        raise Conflict(
            f"{agreement.number} was terminated on {agreement.terminated_on.isoformat()}; "
            "a terminated agreement cannot be extended",
            hint="record a new agreement instead",
        )
    if agreement.ends_on is not None and new_end <= agreement.ends_on:
        raise InvalidValue(
            "ends_on",
            new_end.isoformat(),
            f"is not after the current end {agreement.ends_on.isoformat()}",
            label="--end",
        )
    if number is None:
        changes = [Change("ends_on", as_text(agreement.ends_on), new_end.isoformat())]
        if agreement.original_ends_on is None and agreement.ends_on is not None:
            agreement.original_ends_on = agreement.ends_on
            changes.append(Change("original_ends_on", None, agreement.ends_on.isoformat()))
        agreement.ends_on = new_end
        agreement.ends_on_derived = False
        return _finish(session, agreement, actor, changes)

    start = starts_on or (agreement.ends_on + timedelta(days=1) if agreement.ends_on else None)
    if start is None and signed_on is None:
        raise MissingValue("starts_on", label="--start")
    fields = {
        name: getattr(agreement, name)
        for name in (
            "title",
            "scope",
            "kind",
            "ksdd_category",
            "bidang",
            "funding",
            "partner_number",
        )
    }
    fields.update(number=number, starts_on=start, signed_on=signed_on, ends_on=new_end)
    parent_number = _number_of(session, agreement.parent_id)
    result = create_agreement(
        session,
        agreement.doc_type,
        fields,
        partners=[PartnerSpec(p.name, p.kind) for p in agreement.partners],
        units=[u.name for u in agreement.units],
        parent_ref=f"id:{agreement.parent_id}" if parent_number else None,
        actor=actor,
        labels={"number": "--number"},
    )
    renewal = session.get(Agreement, result.agreement_id)
    assert renewal is not None
    renewal.renews_id = agreement.id
    _finish(
        session,
        agreement,
        actor,
        [Change("diperpanjang dengan", None, f"{number} (id {result.agreement_id})")],
    )
    result.notes.append(f"{agreement.number} now reads as extended by {number}")
    return result


def terminate_agreement(
    session: Session, ref: str, on: date, reason: str, *, actor: Actor
) -> WriteResult:
    """End an agreement early (by mutual consent, force majeure...)."""
    agreement = find_agreement(session, ref)
    if not reason.strip():
        raise MissingValue("termination_reason", label="--reason")
    check_text("termination_reason", reason, "--reason")
    if agreement.terminated_on is not None:
        raise Conflict(
            f"{agreement.number} was already terminated on {agreement.terminated_on.isoformat()}"
        )
    start = agreement.starts_on or agreement.signed_on
    if start is not None and on < start:
        raise InvalidValue(
            "terminated_on",
            on.isoformat(),
            f"is before the agreement began ({start.isoformat()})",
            label="--date",
        )
    changes = [
        Change("terminated_on", None, on.isoformat()),
        Change("termination_reason", None, reason.strip()),
    ]
    agreement.terminated_on = on
    agreement.termination_reason = reason.strip()
    return _finish(session, agreement, actor, changes)

