"""The year's numbers the reports print: coverage, levels and the
implementation index, overall and per OPD, and their change from the year before."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from kerjasama_cli import vocab
from kerjasama_cli.evaluation.findings import FindingView
from kerjasama_cli.evaluation.records import EvaluationView
from kerjasama_cli.queries import AgreementView
from kerjasama_cli.status import in_force_during

NO_UNIT = "(tanpa perangkat daerah)"


def percent_of(part: int | float, whole: int | float) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


@dataclass
class YearNumbers:
    """The year's numbers, as the report and workbook print them."""

    year: int
    in_force: int
    by_doc_type: dict[str, int]
    by_kind: dict[str, int]
    by_bidang: dict[str, int]
    by_unit: dict[str, int]
    by_partner_kind: dict[str, int]
    evaluated: int
    coverage_pct: float | None
    coverage_by_unit: dict[str, dict[str, Any]]
    by_level: dict[str, int]
    by_level_pct: dict[str, float | None]
    implementation_index: float | None
    index_by_unit: dict[str, float | None]
    kb_without_pks: int
    ending_next_year: int
    findings_raised: int
    findings_closed: int
    findings_open: int
    findings_overdue: int
    previous: YearNumbers | None = None
    # In force with an answer in any state (submitted and returned included): the
    # numbers above count only the verified ones.
    answered: int = 0

    SCALARS = (
        "in_force",
        "evaluated",
        "coverage_pct",
        "implementation_index",
        "kb_without_pks",
        "ending_next_year",
        "findings_raised",
        "findings_closed",
        "findings_open",
        "findings_overdue",
    )

    def change(self) -> dict[str, float | None]:
        """Each scalar's change from the previous year (when that year was evaluated)."""
        if self.previous is None:
            return {}
        changes: dict[str, float | None] = {}
        for name in self.SCALARS:
            now, before = getattr(self, name), getattr(self.previous, name)
            changes[name] = (
                round(now - before, 1) if now is not None and before is not None else None
            )
        for level in vocab.LEVELS.codes:
            changes[f"level_{level}"] = self.by_level[level] - self.previous.by_level[level]
        return changes

    def to_dict(self) -> dict[str, Any]:
        data = {key: value for key, value in asdict(self).items() if key != "previous"}
        data["previous"] = self.previous.to_dict() if self.previous else None
        data["change"] = self.change()
        return data


def _count(items: Iterable[str | None]) -> dict[str, int]:
    counts = Counter(item or "-" for item in items)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def unit_names(view: AgreementView) -> list[str]:
    return [unit.name for unit in view.units] or [NO_UNIT]


def year_numbers(
    views: Sequence[AgreementView],
    year: int,
    evaluations: Mapping[int, EvaluationView],
    findings: Sequence[FindingView],
    previous: YearNumbers | None = None,
    *,
    as_of: date | None = None,
) -> YearNumbers:
    """The numbers of ``year``; findings and PKS as of ``as_of`` (default: its last day),
    the date of the document that prints them, so its tables tell the same story."""
    in_force = [view for view in views if in_force_during(view, year)]
    evaluated = [view for view in in_force if view.id in evaluations]
    levels = Counter(evaluations[view.id].level for view in evaluated)
    by_unit_views: dict[str, list[AgreementView]] = defaultdict(list)
    for view in in_force:
        for name in unit_names(view):
            by_unit_views[name].append(view)
    coverage_by_unit = {}
    index_by_unit = {}
    for name in sorted(by_unit_views, key=str.casefold):
        unit_views = by_unit_views[name]
        done = [v for v in unit_views if v.id in evaluations]
        coverage_by_unit[name] = {
            "in_force": len(unit_views),
            "evaluated": len(done),
            "coverage_pct": percent_of(len(done), len(unit_views)),
        }
        index_by_unit[name] = _mean([evaluations[v.id].points for v in done])
    last_day = as_of or date(year, 12, 31)
    first_day = date(year, 1, 1)
    next_year = year + 1
    return YearNumbers(
        year=year,
        in_force=len(in_force),
        by_doc_type=_count(v.doc_type for v in in_force),
        by_kind=_count(v.kind for v in in_force),
        by_bidang=_count(v.bidang for v in in_force),
        by_unit={
            name: len(items)
            for name, items in sorted(by_unit_views.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        },
        by_partner_kind=_count(p.kind for v in in_force for p in v.partners),
        evaluated=len(evaluated),
        coverage_pct=percent_of(len(evaluated), len(in_force)),
        coverage_by_unit=coverage_by_unit,
        by_level={code: levels.get(code, 0) for code in vocab.LEVELS.codes},
        by_level_pct={
            code: percent_of(levels.get(code, 0), len(evaluated)) for code in vocab.LEVELS.codes
        },
        implementation_index=_mean([evaluations[v.id].points for v in evaluated]),
        index_by_unit=index_by_unit,
        kb_without_pks=sum(
            1 for v in in_force if v.doc_type == "kb" and not v.has_pks_by(last_day)
        ),
        ending_next_year=sum(
            1
            for v in views
            if v.ends_on is not None
            and v.ends_on.year == next_year
            and v.terminated_on is None
            and in_force_during(v, next_year)
        ),
        findings_raised=sum(1 for f in findings if f.year == year),
        findings_closed=sum(
            1 for f in findings if f.closed_on is not None and first_day <= f.closed_on <= last_day
        ),
        findings_open=sum(1 for f in findings if f.open_on(last_day)),
        findings_overdue=sum(1 for f in findings if f.overdue_on(last_day)),
        previous=previous,
    )
