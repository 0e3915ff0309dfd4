"""The findings the evaluation makes without anyone typing them (a KB without
a PKS, an agreement not evaluated, ...), and storing them once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session
from sqlmodel import col, select

from kerjasama_cli import parse, vocab
from kerjasama_cli.db.models import Finding
from kerjasama_cli.evaluation.findings import add_finding
from kerjasama_cli.evaluation.records import EvaluationView
from kerjasama_cli.queries import AgreementView
from kerjasama_cli.register import (
    Actor,
    is_unique_violation,
)
from kerjasama_cli.status import in_force_during


@dataclass
class AutoFinding:
    rule: str
    agreement_id: int
    number: str
    category: str
    text: str
    owner: str | None
    recorded: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def automatic_findings(
    views: Sequence[AgreementView],
    year: int,
    evaluations: Mapping[int, EvaluationView],
    recorded: set[tuple[int, int, str]],
    register: Sequence[AgreementView] | None = None,
) -> list[AutoFinding]:
    """What the evaluation finds without anyone typing it, for agreements in force.

    ``register`` is every agreement, where a PKS finds its KB (which may have
    ended before the year); it defaults to ``views``.
    """
    by_id = {view.id: view for view in (register if register is not None else views)}
    first_day, last_day = date(year, 1, 1), date(year, 12, 31)
    found: list[AutoFinding] = []

    def add(view: AgreementView, rule: str, category: str, text: str) -> None:
        owner = view.units[0].name if view.units else None
        found.append(
            AutoFinding(
                rule, view.id, view.number, category, text, owner, (view.id, year, rule) in recorded
            )
        )

    for view in views:
        if not in_force_during(view, year):
            continue
        evaluation = evaluations.get(view.id)
        if view.doc_type == "kb" and not view.has_pks_by(last_day):
            add(
                view,
                "kb-without-pks",
                "administrasi",
                "Kesepakatan Bersama belum ditindaklanjuti dengan Perjanjian Kerja Sama",
            )
        if (
            view.doc_type in ("kb", "pks")
            and view.ends_on is not None
            and first_day <= view.ends_on <= last_day
            and view.terminated_on is None
            and not view.renewed_by
            and evaluation is not None
            and evaluation.recommendation in ("dilanjutkan", "diperpanjang")
        ):
            add(
                view,
                "ended-not-extended",
                "permasalahan",
                f"Berakhir {parse.format_date_id(view.ends_on)} tanpa perpanjangan, padahal "
                f"direkomendasikan {vocab.RECOMMENDATIONS.label(evaluation.recommendation)}",
            )
        if evaluation is None:
            add(view, "not-evaluated", "administrasi", f"Belum dievaluasi untuk tahun {year}")
        parent = by_id.get(view.parent_id) if view.parent_id else None
        if (
            view.doc_type == "pks"
            and parent is not None
            and parent.ends_on
            and view.ends_on
            and view.ends_on > parent.ends_on
        ):
            add(
                view,
                "pks-outlives-kb",
                "administrasi",
                f"PKS berlaku sampai {parse.format_date_id(view.ends_on)}, melewati "
                f"{parent.number} yang berakhir {parse.format_date_id(parent.ends_on)}",
            )
        if view.file_path and not Path(view.file_path).is_file():
            add(
                view,
                "document-missing",
                "administrasi",
                f"Berkas dokumen tidak ditemukan: {view.file_path}",
            )
    return found


def record_automatic(
    session: Session, year: int, findings: Iterable[AutoFinding], *, actor: Actor
) -> int:
    """Store the automatic findings not stored yet (once per agreement, year and rule)."""
    from sqlalchemy.exc import IntegrityError

    count = 0
    for item in findings:
        if item.recorded:
            continue
        try:
            # Someone else may record the same one at once (PostgreSQL lets both
            # find it missing): theirs stands, and the rest are still recorded.
            with session.begin_nested():
                add_finding(
                    session,
                    f"id:{item.agreement_id}",
                    year=year,
                    category=item.category,
                    text=item.text,
                    owner=item.owner,
                    rule=item.rule,
                    actor=actor,
                )
        except IntegrityError as error:
            if not is_unique_violation(error):
                raise
        else:
            count += 1
        item.recorded = True
    return count


def recorded_rules(session: Session) -> set[tuple[int, int, str]]:
    rows = session.execute(
        select(Finding.agreement_id, Finding.year, Finding.rule).where(
            col(Finding.rule).is_not(None)
        )
    )
    return {(agreement_id, year, rule) for agreement_id, year, rule in rows if rule}
