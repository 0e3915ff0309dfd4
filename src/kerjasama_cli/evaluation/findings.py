"""Findings: raised by hand (or by the automatic rules), followed up with a
dated log, listed and filtered."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy.orm import Session
from sqlmodel import col, select

from kerjasama_cli import parse, vocab
from kerjasama_cli.db.models import Finding, FindingNote, Unit
from kerjasama_cli.errors import InvalidValue, MissingValue, NotFound
from kerjasama_cli.register import (
    DASHES,
    MAX_ID,
    Actor,
    Change,
    as_text,
    check_controls,
    check_text,
    find_agreement,
    record_history,
    refuse_empty,
)


@dataclass
class FindingView:
    id: int
    agreement_id: int
    number: str
    title: str
    year: int
    category: str
    text: str
    recommendation: str | None
    owner: str | None
    due_on: date | None
    status: str
    closed_on: date | None
    rule: str | None
    notes: list[dict[str, Any]] = field(default_factory=list)
    # Set on a view as of a date (:meth:`seen_on`) when the finding was closed
    # after it: its status now (``status`` is then the one it had that day),
    # the day it is seen on, and the note recorded when it was closed.
    later_status: str | None = None
    seen_day: date | None = None
    later_note: str | None = None

    @property
    def last_note(self) -> str | None:
        for note in reversed(self.notes):
            if note["note"]:
                return str(note["note"])
        return None

    def open_on(self, day: date) -> bool:
        """Open on that day: raised by then, and not closed by then."""
        if self.year > day.year:
            return False
        return self.closed_on is None or self.closed_on > day

    def overdue_on(self, day: date) -> bool:
        return self.open_on(day) and self.due_on is not None and self.due_on < day

    def seen_on(self, day: date) -> FindingView:
        """The finding as a document dated ``day`` shows it.

        Closed after that day, it was still open then: its status is the last
        open one of its log, and the closing is told as a later change in its
        last note ("Selesai 02/03/2022, setelah akhir tahun: PKS ditandatangani"),
        so that no table of a year's report says "Selesai" while its numbers
        count the finding as open.
        """
        if (
            self.status in vocab.OPEN_FINDING_STATUSES
            or self.closed_on is None
            or self.closed_on <= day
        ):
            return self
        last_open = max(
            (
                index
                for index, note in enumerate(self.notes)
                if note["status"] in vocab.OPEN_FINDING_STATUSES
            ),
            default=-1,
        )
        before, after = self.notes[: last_open + 1], self.notes[last_open + 1 :]
        then = before[-1]["status"] if before else "terbuka"
        note = next((str(n["note"]) for n in reversed(after) if n["note"]), None)
        when = "akhir tahun" if (day.month, day.day) == (12, 31) else day.strftime("%d/%m/%Y")
        told = (
            f"{vocab.FINDING_STATUSES.label(self.status)} {self.closed_on:%d/%m/%Y}, "
            f"setelah {when}" + (f": {note}" if note else "")
        )
        closing = {
            "at": after[-1]["at"] if after else None,
            "user": after[-1]["user"] if after else None,
            "status": self.status,
            "note": told,
        }
        return replace(
            self,
            status=then,
            notes=[*before, closing],
            later_status=self.status,
            seen_day=day,
            later_note=note,
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("due_on", "closed_on", "seen_day"):
            data[key] = data[key].isoformat() if data[key] else None
        data["last_note"] = self.last_note
        return data


def all_findings(session: Session) -> list[FindingView]:
    """Every finding with its follow-up log: three queries, whatever their number."""
    from kerjasama_cli.db.models import Agreement

    rows = session.execute(
        select(Finding, Agreement.number, Agreement.title, Unit.name)
        .join(Agreement, col(Agreement.id) == Finding.agreement_id)
        .outerjoin(Unit, col(Unit.id) == Finding.owner_id)
        .order_by(col(Finding.id))
    )
    views = {
        finding.id: FindingView(
            finding.id,
            finding.agreement_id,
            number,
            title,
            finding.year,
            finding.category,
            finding.text,
            finding.recommendation,
            owner,
            finding.due_on,
            finding.status,
            finding.closed_on,
            finding.rule,
        )
        for finding, number, title, owner in rows
    }
    notes = select(FindingNote).order_by(col(FindingNote.at), col(FindingNote.id))
    for note in session.scalars(notes):
        if note.finding_id in views:
            views[note.finding_id].notes.append(
                {
                    "at": note.at.replace(microsecond=0).isoformat() + "Z",
                    "user": note.user_name,
                    "status": note.status,
                    "note": note.note,
                }
            )
    return list(views.values())


@dataclass
class FindingFilter:
    year: int | None = None  # raised in that year
    open_only: bool = False
    owner: str | None = None
    overdue: bool = False
    ref: str | None = None


def list_findings(
    session: Session, filters: FindingFilter, *, today: date | None = None
) -> list[FindingView]:
    today = today or date.today()
    if filters.year is not None:
        parse.check_year(filters.year, "--year")
    findings = all_findings(session)
    if filters.ref:
        agreement_id = find_agreement(session, filters.ref).id
        findings = [f for f in findings if f.agreement_id == agreement_id]
    if filters.year is not None:
        findings = [f for f in findings if f.year == filters.year]
    if filters.open_only:
        findings = [f for f in findings if f.status in vocab.OPEN_FINDING_STATUSES]
    if filters.overdue:
        findings = [
            f
            for f in findings
            if f.status in vocab.OPEN_FINDING_STATUSES and f.due_on is not None and f.due_on < today
        ]
    if filters.owner:
        key = vocab.name_key(filters.owner)
        findings = [f for f in findings if f.owner and key in vocab.name_key(f.owner)]
    return findings


def _owner_id(session: Session, owner: str, label: str = "--owner") -> int:
    from kerjasama_cli.register import resolve_unit

    return resolve_unit(session, owner, label=label).id


FINDING_LABELS = {
    "year": "--year",
    "category": "--category",
    "text": "--text",
    "recommendation": "--recommendation",
    "owner": "--owner",
    "note": "--note",
}


def add_finding(
    session: Session,
    ref: str,
    *,
    year: int,
    category: str,
    text: str,
    owner: str | None = None,
    due_on: date | None = None,
    recommendation: str | None = None,
    status: str = "terbuka",
    rule: str | None = None,
    actor: Actor,
    labels: Mapping[str, str] | None = None,
) -> int:
    """Raise a finding on an agreement; returns its id.

    ``labels`` name the fields in messages (default: the options of `finding add`).
    """
    label = {**FINDING_LABELS, **(labels or {})}
    parse.check_year(year, label["year"])
    agreement = find_agreement(session, ref)
    if not text.strip():
        raise MissingValue("text", label=label["text"])
    text = check_text("text", text.strip(), label["text"])
    if recommendation is not None and recommendation.strip() in DASHES:
        recommendation = None  # '-': none
    if recommendation is not None:
        recommendation = check_text(
            "recommendation", recommendation.strip(), label["recommendation"]
        )
    now = parse.now_utc()
    finding = Finding(
        agreement_id=agreement.id,
        year=year,
        category=vocab.FINDING_CATEGORIES.match(
            category, field_name="category", label=label["category"]
        ),
        text=text,
        recommendation=recommendation or None,
        owner_id=(
            _owner_id(session, owner, label["owner"])
            if owner is not None and owner.strip() not in DASHES
            else None
        ),
        due_on=due_on,
        status=status,
        rule=rule,
        created_at=now,
        updated_at=now,
        closed_on=date.today() if status not in vocab.OPEN_FINDING_STATUSES else None,
    )
    session.add(finding)
    session.flush()
    session.add(
        FindingNote(finding_id=finding.id, at=now, user_name=actor.user, status=status, note=None)
    )
    record_history(
        session, agreement.id, actor, [Change(f"temuan #{finding.id} ({year})", None, finding.text)]
    )
    return finding.id


def update_finding(
    session: Session,
    finding_id: int,
    *,
    status: str | None = None,
    note: str | None = None,
    due_on: date | None = None,
    owner: str | None = None,
    on: date | None = None,
    actor: Actor,
) -> FindingView:
    """Follow a finding up: every call adds a dated line to its log.

    ``owner`` '-' leaves it with no owner; an empty status, note or owner is refused.
    """
    for name, given in (("status", status), ("note", note), ("owner", owner)):
        if given is not None:
            refuse_empty(name, given, FINDING_LABELS.get(name, f"--{name}"))
            check_controls(name, given, FINDING_LABELS.get(name, f"--{name}"))
    finding = session.get(Finding, finding_id) if 0 < finding_id <= MAX_ID else None
    if finding is None:
        raise NotFound(
            f"no finding has id {finding_id}", hint="see them with: kerjasama finding list"
        )
    changes: list[Change] = []
    if status is not None:
        code = vocab.FINDING_STATUSES.match(status, field_name="status", label="--status")
        if code != finding.status:
            changes.append(Change(f"temuan #{finding.id}: status", finding.status, code))
            finding.status = code
            finding.closed_on = (
                None if code in vocab.OPEN_FINDING_STATUSES else (on or date.today())
            )
    if due_on is not None and due_on != finding.due_on:
        changes.append(
            Change(f"temuan #{finding.id}: due_on", as_text(finding.due_on), due_on.isoformat())
        )
        finding.due_on = due_on
    if owner is not None:
        no_owner = owner.strip() in DASHES
        owner_id = None if no_owner else _owner_id(session, owner)
        if owner_id != finding.owner_id:
            new_owner = None if no_owner else owner.strip()
            changes.append(Change(f"temuan #{finding.id}: owner", None, new_owner))
            finding.owner_id = owner_id
    if not changes and not (note and note.strip()):
        raise InvalidValue(
            "finding",
            finding_id,
            "was given nothing to record",
            hint="give --status, --note, --due or --owner",
        )
    finding.updated_at = parse.now_utc()
    session.add(
        FindingNote(
            finding_id=finding.id,
            at=finding.updated_at,
            user_name=actor.user,
            status=finding.status,
            note=(note or "").strip() or None,
        )
    )
    if note and note.strip():
        changes.append(Change(f"temuan #{finding.id}: catatan", None, note.strip()))
    record_history(session, finding.agreement_id, actor, changes)
    session.flush()
    return next(f for f in all_findings(session) if f.id == finding.id)
