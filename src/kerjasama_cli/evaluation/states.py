"""The states of an evaluation in the cycle with the OPDs, and the TKKSD's checks.

An OPD's returned form is submitted ('diajukan'); the TKKSD (Tim Koordinasi
Kerja Sama Daerah) either returns it to the OPD with a note ('dikembalikan':
it must be corrected) or verifies it ('diverifikasi': by whom, when). What the
office records itself is verified at once. Every change of state is kept in
the agreement's history, like any other change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session
from sqlmodel import select

from kerjasama_cli import parse, vocab
from kerjasama_cli.db.models import VERIFIED, Evaluation
from kerjasama_cli.errors import Conflict, InvalidValue, NotFound
from kerjasama_cli.evaluation.records import SUBMITTED
from kerjasama_cli.register import (
    Actor,
    Change,
    as_text,
    check_text,
    find_agreement,
    record_history,
)

RETURNED = "dikembalikan"


@dataclass
class StateChange:
    """One evaluation whose state changed (or was already so)."""

    agreement_id: int
    number: str
    year: int
    state: str
    changed: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "agreement_id": self.agreement_id,
            "number": self.number,
            "year": self.year,
            "state": self.state,
            "changed": self.changed,
        }


def _evaluation(session: Session, year: int, ref: str) -> tuple[Evaluation, str]:
    agreement = find_agreement(session, ref)
    row = session.scalar(
        select(Evaluation).where(
            Evaluation.agreement_id == agreement.id, Evaluation.year == year
        )
    )
    if row is None:
        raise NotFound(
            f"{agreement.number} has no {year} evaluation to check",
            hint=f"its OPD's form comes back with kerjasama import, or record it with "
            f"kerjasama evaluate {year} {agreement.number} --level ...",
        )
    return row, agreement.number


def _set(
    session: Session, row: Evaluation, number: str, values: dict[str, object], actor: Actor
) -> bool:
    changes = []
    for name, value in values.items():
        old = getattr(row, name)
        if old != value:
            changes.append(Change(f"evaluasi {row.year}: {name}", as_text(old), as_text(value)))
            setattr(row, name, value)
    if changes:
        now = parse.now_utc()
        row.updated_at = now
        session.flush()
        record_history(session, row.agreement_id, actor, changes)
    return bool(changes)


def verify(
    session: Session,
    year: int,
    refs: Sequence[str] = (),
    *,
    unit: str | None = None,
    by: str | None = None,
    actor: Actor,
) -> list[StateChange]:
    """Verify the evaluations of ``refs``, or every submitted one of ``unit``'s
    agreements. ``by``: who checked (default: config's evaluator, else none)."""
    from kerjasama_cli.settings import all_settings

    parse.check_year(year)
    if by is not None:
        by = check_text("verified_by", by.strip(), "--by") or None
    checker = by or all_settings(session).get("evaluator") or None
    rows: list[tuple[Evaluation, str]] = [_evaluation(session, year, ref) for ref in refs]
    if unit is not None:
        rows += _of_unit(session, year, unit)
    if not rows:
        raise InvalidValue(
            "verify", "", "names no evaluation", label="--verify",
            hint="give the agreements (REF...) or --unit OPD",
        )
    now = parse.now_utc()
    done = []
    for row, number in rows:
        changed = row.state != VERIFIED and _set(
            session,
            row,
            number,
            {"state": VERIFIED, "verified_by": checker, "verified_at": now, "return_note": None},
            actor,
        )
        done.append(StateChange(row.agreement_id, number, year, VERIFIED, bool(changed)))
    return done


def return_to_opd(
    session: Session, year: int, ref: str, note: str, *, actor: Actor
) -> StateChange:
    """Return one evaluation to its OPD for correction, saying why."""
    parse.check_year(year)
    text = check_text("return_note", note.strip(), "--note") if note else ""
    if not text:
        raise InvalidValue(
            "note", note, "is empty", label="--note",
            hint="say what the OPD must correct: --note 'Progres tidak sesuai laporan'",
        )
    row, number = _evaluation(session, year, ref)
    changed = _set(
        session,
        row,
        number,
        {"state": RETURNED, "return_note": text, "verified_by": None, "verified_at": None},
        actor,
    )
    return StateChange(row.agreement_id, number, year, RETURNED, changed)


def _of_unit(session: Session, year: int, unit: str) -> list[tuple[Evaluation, str]]:
    """The submitted evaluations of the OPD's agreements (its name, or part of it)."""
    from sqlmodel import col

    from kerjasama_cli.db.models import Agreement, Unit, agreement_unit

    key = vocab.name_key(unit)
    found = session.execute(
        select(Evaluation, Agreement.number, Unit.name)
        .join(Agreement, col(Agreement.id) == Evaluation.agreement_id)
        .join(agreement_unit, agreement_unit.c.agreement_id == col(Agreement.id))
        .join(Unit, col(Unit.id) == agreement_unit.c.unit_id)
        .where(Evaluation.year == year)
    ).all()
    names = {name for _, _, name in found}
    exact = {name for name in names if vocab.name_key(name) == key}
    chosen = exact or {name for name in names if key and key in vocab.name_key(name)}
    if not chosen:
        raise NotFound(
            f"no OPD called {unit!r} has {year} evaluations",
            hint=f"kerjasama evaluate {year} lists the OPDs and their evaluations",
        )
    if len(chosen) > 1:  # verifying changes the year's numbers: one OPD, named
        raise Conflict(
            f"{unit!r} names {len(chosen)} OPDs: "
            + ", ".join(sorted(chosen, key=str.casefold)),
            hint="give one OPD's name (enough of it to name only that one)",
        )
    rows: dict[int, tuple[Evaluation, str]] = {}
    for row, number, name in found:
        if name in chosen and row.state == SUBMITTED:
            rows[row.id] = (row, number)
    if not rows:
        raise Conflict(
            f"{', '.join(sorted(chosen))} has no submitted {year} evaluation to verify",
            hint="its answers come in with kerjasama import of its returned form",
        )
    return list(rows.values())


def forms_sent(session: Session, year: int) -> dict[str, tuple[date, date | None]]:
    """Per OPD name, when its form for ``year`` was last sent and the deadline given."""
    from sqlmodel import col

    from kerjasama_cli.db.models import EvaluationForm, Unit

    rows = session.execute(
        select(col(Unit.name), col(EvaluationForm.sent_at), col(EvaluationForm.due_on))
        .join(EvaluationForm, col(EvaluationForm.unit_id) == col(Unit.id))
        .where(col(EvaluationForm.year) == year)
    )
    return {name: (sent_at.date(), due_on) for name, sent_at, due_on in rows}
