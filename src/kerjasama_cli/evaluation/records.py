"""One agreement's evaluation for a year: recorded (each change kept in its
history) and read back as the views the board and reports show."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session
from sqlmodel import select

from kerjasama_cli import parse
from kerjasama_cli.db.models import VERIFIED, Evaluation
from kerjasama_cli.errors import Conflict, MissingValue
from kerjasama_cli.evaluation.fields import SCORE_FIELDS
from kerjasama_cli.register import (
    Actor,
    Change,
    as_text,
    find_agreement,
    record_history,
    same_time,
)
from kerjasama_cli.status import in_force_during, in_force_span

SUBMITTED = "diajukan"
LEVEL_POINTS = {"terlaksana": 100.0, "belum": 0.0, "tidak": 0.0}
SEBAGIAN_POINTS = 50.0


@dataclass
class EvaluationView:
    agreement_id: int
    year: int
    level: str
    progress: int | None
    follow_up: str | None
    obstacles: str | None
    recommendation: str | None
    benefit: str | None
    note: str | None
    evaluator: str | None
    evaluated_on: date | None
    scores: dict[str, int | None]
    score: int | None
    added_value: str | None = None
    evidence: str | None = None
    # diajukan (an OPD's answer), dikembalikan (returned to it) or diverifikasi.
    state: str = VERIFIED
    return_note: str | None = None  # why the TKKSD returned it to the OPD

    @property
    def verified(self) -> bool:
        return self.state == VERIFIED

    @property
    def points(self) -> float:
        """The agreement's share of the implementation index."""
        if self.level == "sebagian":
            return float(self.progress) if self.progress is not None else SEBAGIAN_POINTS
        return LEVEL_POINTS[self.level]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["evaluated_on"] = self.evaluated_on.isoformat() if self.evaluated_on else None
        data["points"] = self.points
        return data


def _evaluation_view(row: Evaluation) -> EvaluationView:
    return EvaluationView(
        row.agreement_id,
        row.year,
        row.level,
        row.progress,
        row.follow_up,
        row.obstacles,
        row.recommendation,
        row.benefit,
        row.note,
        row.evaluator,
        row.evaluated_on,
        {name: getattr(row, name) for name in SCORE_FIELDS},
        row.score,
        row.added_value,
        row.evidence,
        row.state,
        row.return_note,
    )


def evaluations_of(session: Session, year: int) -> dict[int, EvaluationView]:
    rows = session.scalars(select(Evaluation).where(Evaluation.year == year))
    return {row.agreement_id: _evaluation_view(row) for row in rows}


@dataclass
class EvaluationResult:
    agreement_id: int
    number: str
    year: int
    created: bool
    changes: list[Change]


def record_evaluation(
    session: Session,
    year: int,
    ref: str,
    fields: Mapping[str, Any],
    *,
    actor: Actor,
    labels: Mapping[str, str] | None = None,
    defaults: Mapping[str, Any] | None = None,
    submitted: bool = False,
) -> EvaluationResult:
    """Record (or change) one agreement's evaluation for a year; kept in its history.

    ``defaults`` fill the fields not given when the evaluation is new (who, when).
    What the office records is verified at once (an OPD's submitted answer it
    changes included); ``submitted`` records it as an OPD's answer instead.
    """
    labels = labels or {}
    parse.check_year(year, labels.get("year", "YEAR"))
    agreement = find_agreement(session, ref)
    if not in_force_during(agreement, year):
        raise Conflict(
            f"{agreement.number} was not in force during {year}: its term is "
            f"{in_force_span(agreement)}",
            hint="evaluate it for a year it was in force",
        )
    row = session.scalar(
        select(Evaluation).where(Evaluation.agreement_id == agreement.id, Evaluation.year == year)
    )
    now = parse.now_utc()
    created = row is None
    if row is None:
        if not fields.get("level"):
            raise MissingValue("level", label=labels.get("level", "level"))
        row = Evaluation(
            agreement_id=agreement.id,
            year=year,
            level=fields["level"],
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        fields = {**(defaults or {}), **fields}
    elif "level" in fields and not fields["level"]:
        raise MissingValue("level", label=labels.get("level", "level"))
    if "state" not in fields:
        if submitted:
            fields = {**fields, "state": SUBMITTED}
        elif not created and row.state != VERIFIED:
            fields = {**fields, "state": VERIFIED, "verified_at": now, "return_note": None}
    changes = []
    for name, value in fields.items():
        old = None if created else getattr(row, name)
        if created or old != value:
            changes.append(Change(f"evaluasi {year}: {name}", as_text(old), as_text(value)))
        setattr(row, name, value)
    if changes:
        row.updated_at = now
        agreement.updated_at = now  # the ORM bumps the agreement's version with it
    with same_time(
        f"recorded the {year} evaluation of {agreement.number}",
        "run it again: it then changes their answers to yours, each change shown",
    ):
        session.flush()
    record_history(session, agreement.id, actor, changes)
    return EvaluationResult(agreement.id, agreement.number, year, created, changes)
