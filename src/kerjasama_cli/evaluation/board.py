"""A year's evaluation put together: its data loaded once, the board of
agreements in force by OPD with their numbers and automatic findings, and the
roll-up by region."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from kerjasama_cli import parse, vocab
from kerjasama_cli.errors import NotFound
from kerjasama_cli.evaluation.automatic import AutoFinding, automatic_findings, recorded_rules
from kerjasama_cli.evaluation.findings import FindingView, all_findings
from kerjasama_cli.evaluation.numbers import YearNumbers, percent_of, unit_names, year_numbers
from kerjasama_cli.evaluation.records import EvaluationView, evaluations_of
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

    @property
    def evaluated(self) -> int:
        return sum(1 for row in self.rows if row.evaluation is not None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "in_force": len(self.rows),
            "evaluated": self.evaluated,
            "coverage_pct": percent_of(self.evaluated, len(self.rows)),
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
    )


def numbers_for(data: YearData) -> YearNumbers:
    previous = None
    if data.previous_evaluations:
        previous = year_numbers(data.views, data.year - 1, data.previous_evaluations, data.findings)
    return year_numbers(
        data.views, data.year, data.evaluations, data.findings, previous, as_of=data.day
    )


def board(data: YearData, *, unit: str | None = None) -> Board:
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
        groups=[UnitGroup(name, groups[name]) for name in sorted(groups, key=str.casefold)],
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
