"""A year's evaluation put together: its data loaded once, the board of
agreements in force by OPD with their numbers and automatic findings, and the
roll-up by region."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from kerjasama_cli import parse, vocab
from kerjasama_cli.db.models import VERIFIED
from kerjasama_cli.errors import NotFound
from kerjasama_cli.evaluation.automatic import AutoFinding, automatic_findings, recorded_rules
from kerjasama_cli.evaluation.findings import FindingView, all_findings
from kerjasama_cli.evaluation.numbers import YearNumbers, percent_of, unit_names, year_numbers
from kerjasama_cli.evaluation.records import SUBMITTED, EvaluationView, evaluations_of
from kerjasama_cli.evaluation.states import RETURNED, forms_sent
from kerjasama_cli.queries import AgreementView, load_views
from kerjasama_cli.status import in_force_during


@dataclass
class BoardRow:
    agreement: AgreementView
    evaluation: EvaluationView | None

    def to_dict(self) -> dict[str, Any]:
        data = self.agreement.to_dict()
        data["evaluation"] = self.evaluation.to_dict() if self.evaluation else None
        return data


@dataclass
class UnitGroup:
    unit: str
    rows: list[BoardRow]
    # The OPD's form: when it was last sent and the deadline it gave (None: not sent).
    form_sent_on: date | None = None
    form_due_on: date | None = None
    today: date | None = None

    def _count(self, state: str | None = None) -> int:
        return sum(
            1
            for row in self.rows
            if row.evaluation is not None and (state is None or row.evaluation.state == state)
        )

    @property
    def answered(self) -> int:
        """Agreements with an answer in any state."""
        return self._count()

    @property
    def evaluated(self) -> int:
        """Agreements whose evaluation is verified (what the numbers count)."""
        return self._count(VERIFIED)

    @property
    def submitted(self) -> int:
        return self._count(SUBMITTED)

    @property
    def returned(self) -> int:
        return self._count(RETURNED)

    @property
    def overdue(self) -> bool:
        """The form's deadline passed with agreements still unanswered."""
        today = self.today or date.today()
        due = self.form_due_on
        return due is not None and due < today and self.answered < len(self.rows)

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "in_force": len(self.rows),
            "evaluated": self.evaluated,
            "coverage_pct": percent_of(self.evaluated, len(self.rows)),
            "answered": self.answered,
            "submitted": self.submitted,
            "returned": self.returned,
            "form_sent_on": self.form_sent_on.isoformat() if self.form_sent_on else None,
            "form_due_on": self.form_due_on.isoformat() if self.form_due_on else None,
            "overdue": self.overdue,
            "agreements": [row.to_dict() for row in self.rows],
        }


@dataclass
class Board:
    year: int
    groups: list[UnitGroup]
    numbers: YearNumbers
    open_findings: list[FindingView]
    automatic: list[AutoFinding]

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "groups": [group.to_dict() for group in self.groups],
            "numbers": self.numbers.to_dict(),
            "open_findings": [f.to_dict() for f in self.open_findings],
            "automatic_findings": [a.to_dict() for a in self.automatic],
        }


@dataclass
class YearData:
    """Everything the year's board, numbers and reports read, loaded once."""

    year: int
    views: list[AgreementView]
    evaluations: dict[int, EvaluationView]
    previous_evaluations: dict[int, EvaluationView]
    findings: list[FindingView]
    recorded_rules: set[tuple[int, int, str]]
    as_of: date | None = None  # the date statuses are as of; None: the year's last day
    # Per OPD name: (when its form was last sent, the deadline it gave).
    forms: dict[str, tuple[date, date | None]] = field(default_factory=dict)

    @property
    def day(self) -> date:
        return self.as_of or date(self.year, 12, 31)


def load_year(
    session: Session,
    year: int,
    *,
    as_of: date | None = None,
    warning_days: int | None = None,
    region: str | None = None,
) -> YearData:
    """The year's agreements, evaluations and findings; of one region of a roll-up if asked."""
    parse.check_year(year)
    from kerjasama_cli.queries import match_regions
    from kerjasama_cli.settings import warning_days as configured_warning_days

    days = configured_warning_days(session) if warning_days is None else warning_days
    views = load_views(session, as_of=as_of or date(year, 12, 31), warning_days=days)
    findings = all_findings(session)
    if region:
        regions = set(match_regions(session, region))
        views = [view for view in views if view.region in regions]
        ids = {view.id for view in views}
        findings = [finding for finding in findings if finding.agreement_id in ids]
    return YearData(
        year=year,
        views=views,
        evaluations=evaluations_of(session, year),
        previous_evaluations=evaluations_of(session, year - 1),
        findings=findings,
        recorded_rules=recorded_rules(session),
        as_of=as_of,
        forms=forms_sent(session, year),
    )


def _verified(evaluations: dict[int, EvaluationView]) -> dict[int, EvaluationView]:
    return {key: value for key, value in evaluations.items() if value.verified}


def numbers_for(data: YearData) -> YearNumbers:
    """The year's numbers count the verified evaluations (an OPD's answer counts
    once the TKKSD checked it); ``answered`` counts them all."""
    previous = None
    if data.previous_evaluations:
        previous = year_numbers(
            data.views, data.year - 1, _verified(data.previous_evaluations), data.findings
        )
    numbers = year_numbers(
        data.views, data.year, _verified(data.evaluations), data.findings, previous, as_of=data.day
    )
    numbers.answered = sum(
        1 for view in data.views if in_force_during(view, data.year) and view.id in data.evaluations
    )
    return numbers


def board(data: YearData, *, unit: str | None = None, today: date | None = None) -> Board:
    """The year's evaluation board: agreements in force by OPD, with their level."""
    in_force = [view for view in data.views if in_force_during(view, data.year)]
    if unit:
        key = vocab.name_key(unit)
        in_force = [v for v in in_force if any(key in vocab.name_key(u) for u in unit_names(v))]
        if not in_force:
            raise NotFound(f"no agreement of {unit!r} was in force during {data.year}")
    groups: dict[str, list[BoardRow]] = defaultdict(list)
    for view in in_force:
        row = BoardRow(view, data.evaluations.get(view.id))
        for name in unit_names(view):
            if unit is None or vocab.name_key(unit) in vocab.name_key(name):
                groups[name].append(row)
    last_day = data.day
    ids = {view.id for view in in_force}
    return Board(
        year=data.year,
        groups=[
            UnitGroup(name, groups[name], sent, due, today)
            for name in sorted(groups, key=str.casefold)
            for sent, due in [data.forms.get(name, (None, None))]
        ],
        numbers=numbers_for(data),
        open_findings=[
            f.seen_on(last_day)
            for f in data.findings
            if f.open_on(last_day) and (unit is None or f.agreement_id in ids)
        ],
        automatic=automatic_findings(
            in_force, data.year, data.evaluations, data.recorded_rules, data.views
        ),
    )


@dataclass
class RegionRow:
    """One region's line of a roll-up (`export YEAR --by-region`)."""

    region: str
    in_force: int
    evaluated: int
    coverage_pct: float | None
    implementation_index: float | None
    findings_open: int

    @property
    def unevaluated(self) -> int:
        return self.in_force - self.evaluated

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "unevaluated": self.unevaluated}


def by_region(data: YearData, *, own_region: str) -> list[RegionRow]:
    """The year's numbers per region: who evaluated, how well, what is still open.

    The register's own agreements (region '') count under ``own_region``.
    Regions are listed by name, every region that has any agreement, so one
    with nothing in force still shows (as 0) rather than vanish.
    """
    views_by_region: dict[str, list[AgreementView]] = defaultdict(list)
    for view in data.views:
        views_by_region[view.region or own_region].append(view)
    region_of = {view.id: view.region or own_region for view in data.views}
    findings_by_region: dict[str, list[FindingView]] = defaultdict(list)
    for finding in data.findings:
        findings_by_region[region_of.get(finding.agreement_id, own_region)].append(finding)
    rows = []
    for region in sorted(views_by_region, key=str.casefold):
        numbers = year_numbers(
            views_by_region[region],
            data.year,
            data.evaluations,
            findings_by_region[region],
            as_of=data.day,
        )
        rows.append(
            RegionRow(
                region=region,
                in_force=numbers.in_force,
                evaluated=numbers.evaluated,
                coverage_pct=numbers.coverage_pct,
                implementation_index=numbers.implementation_index,
                findings_open=numbers.findings_open,
            )
        )
    return rows


def unevaluated(data: YearData, *, unit: str | None = None) -> list[AgreementView]:
    """The agreements in force that still wait for this year's evaluation."""
    rows = [v for v in data.views if in_force_during(v, data.year) and v.id not in data.evaluations]
    if unit:
        key = vocab.name_key(unit)
        rows = [v for v in rows if any(key in vocab.name_key(u) for u in unit_names(v))]
    return rows


@dataclass
class OverdueForm:
    """An OPD whose evaluation form's deadline has passed with agreements unanswered."""

    unit: str
    year: int
    sent_on: date
    due_on: date
    in_force: int
    answered: int

    def to_dict(self) -> dict[str, object]:
        return {
            "unit": self.unit,
            "year": self.year,
            "sent_on": self.sent_on.isoformat(),
            "due_on": self.due_on.isoformat(),
            "in_force": self.in_force,
            "answered": self.answered,
        }


def overdue_forms(session: Session, today: date) -> list[OverdueForm]:
    """The OPDs whose forms are overdue on ``today`` (`kerjasama due`), by year and name."""
    from sqlmodel import col, select

    from kerjasama_cli.db.models import EvaluationForm

    years = sorted(
        set(
            session.scalars(
                select(col(EvaluationForm.year)).where(col(EvaluationForm.due_on) < today)
            )
        )
    )
    found = []
    for year in years:
        for group in board(load_year(session, year), today=today).groups:
            if group.overdue and group.form_sent_on and group.form_due_on:
                found.append(
                    OverdueForm(
                        group.unit,
                        year,
                        group.form_sent_on,
                        group.form_due_on,
                        len(group.rows),
                        group.answered,
                    )
                )
    return found
