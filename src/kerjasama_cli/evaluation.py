"""The annual evaluation: record how far each agreement was carried out, raise and
follow findings, and compute the year's numbers that the reports print.

The numbers are computed here once; exports and templates only show them.
Implementation index: each evaluated agreement scores terlaksana = 100,
sebagian = its recorded progress (50 when none was recorded), belum and
tidak = 0; the index is the mean over the evaluated agreements (overall, or
of one OPD).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kerjasama_cli import parse, vocab
from kerjasama_cli.db.models import Evaluation, Finding, FindingNote, Unit
from kerjasama_cli.errors import Conflict, InvalidValue, MissingValue, NotFound
from kerjasama_cli.queries import AgreementView, load_views
from kerjasama_cli.register import Actor, Change, as_text, find_agreement, record_history
from kerjasama_cli.status import in_force_during, in_force_span

SCORE_FIELDS = (
    "goal_fit",
    "timeliness",
    "partner_contribution",
    "coordination",
    "indicator_attainment",
    "impact",
    "document_completeness",
    "periodic_reporting",
    "relevance",
)
TEXT_FIELDS = ("follow_up", "obstacles", "benefit", "note", "evaluator")
EVALUATION_FIELDS = (
    "level",
    "progress",
    "recommendation",
    "evaluated_on",
    *TEXT_FIELDS,
    *SCORE_FIELDS,
    "score",
)
NO_UNIT = "(tanpa perangkat daerah)"
LEVEL_POINTS = {"terlaksana": 100.0, "belum": 0.0, "tidak": 0.0}
SEBAGIAN_POINTS = 50.0


# ----------------------------------------------------------------- reading input


def read_evaluation_fields(
    raw: Mapping[str, str | None], labels: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Evaluation fields from text (None = not given; '' or '-' = clear).

    Levels and recommendations are read in the words people use ("Sudah
    Terlaksana", "Perlu adendum", "Dilanjutkan dengan PKS baru"); a level may
    carry the progress ("Terlaksana 100%", "terlaksana sebagian (70%)"); the
    progress may be "75%", "60 persen" or "0,75".
    """
    labels = labels or {}
    values: dict[str, Any] = {}
    level_percent = None
    # A level or a recommendation read by its leading words ("Dilanjutkan dengan
    # PKS baru"): the whole text is kept in the note, so nothing typed is lost.
    said: list[str] = []
    for name, text in raw.items():
        if text is None:
            continue
        label = labels.get(name, name)
        clean = text.strip()
        if clean in ("", "-", "–", "—"):
            values[name] = None
        elif name == "level":
            values[name], level_percent = read_level(clean, label)
            if _said_more(vocab.LEVELS, _LEVEL_PERCENT.sub(" ", clean)):
                said.append(f"Tingkat pelaksanaan: {clean}")
        elif name == "recommendation":
            values[name] = vocab.RECOMMENDATIONS.match(
                clean, field_name=name, label=label, leading=True
            )
            if _said_more(vocab.RECOMMENDATIONS, clean):
                said.append(f"Rekomendasi: {clean}")
        elif name == "evaluated_on":
            values[name] = parse.parse_date(clean, field=name, label=label)
        elif name == "progress":
            values[name] = parse.parse_percent(clean, field=name, label=label)
        elif name in SCORE_FIELDS or name == "score":
            values[name] = parse.parse_int(clean, field=name, label=label, low=1, high=5)
        else:
            values[name] = clean
    if level_percent is not None:
        given = values.get("progress")
        if given is not None and given != level_percent:
            raise InvalidValue(
                "progress",
                raw.get("progress"),
                f"differs from the {level_percent}% given with the level",
                label=labels.get("progress", "progress"),
            )
        values["progress"] = level_percent
    if said:
        values["note"] = "\n".join([*filter(None, [values.get("note")]), *said])
    return values


def _said_more(vocabulary: vocab.Vocabulary, text: str) -> bool:
    """The text names a term by its leading words and says more after them."""
    text = text.strip(" ,;:-()")
    return bool(text) and vocabulary.lookup(text) is None

_LEVEL_PERCENT = re.compile(r"\(?\s*(\d{1,3}(?:[.,]\d+)?)\s*(?:%|persen)\s*\)?", re.IGNORECASE)


def read_level(text: str, label: str = "level") -> tuple[str, int | None]:
    """A level and the progress it carries: "Terlaksana 100%" is (terlaksana, 100),
    "terlaksana sebagian (70%)" (sebagian, 70); "70%" alone is (sebagian, 70)."""
    percent = None
    found = _LEVEL_PERCENT.search(text)
    if found:
        percent = parse.parse_percent(found.group(1) + "%", field="level", label=label)
        text = (text[: found.start()] + " " + text[found.end() :]).strip(" ,;:-")
    if not text and percent is not None:
        level = "terlaksana" if percent == 100 else "belum" if percent == 0 else "sebagian"
        return level, percent
    return vocab.LEVELS.match(text, field_name="level", label=label, leading=True), percent


# ------------------------------------------------------------------- evaluations


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
) -> EvaluationResult:
    """Record (or change) one agreement's evaluation for a year; kept in its history.

    ``defaults`` fill the fields not given when the evaluation is new (who, when).
    """
    labels = labels or {}
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
        row = Evaluation(agreement_id=agreement.id, year=year, created_at=now, updated_at=now)
        session.add(row)
        fields = {**(defaults or {}), **fields}
    elif "level" in fields and not fields["level"]:
        raise MissingValue("level", label=labels.get("level", "level"))
    changes = []
    for name, value in fields.items():
        old = None if created else getattr(row, name)
        if created or old != value:
            changes.append(Change(f"evaluasi {year}: {name}", as_text(old), as_text(value)))
        setattr(row, name, value)
    if changes:
        row.updated_at = now
        agreement.updated_at = now  # the ORM bumps the agreement's version with it
    session.flush()
    record_history(session, agreement.id, actor, changes)
    return EvaluationResult(agreement.id, agreement.number, year, created, changes)


# ---------------------------------------------------------------------- findings


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

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("due_on", "closed_on"):
            data[key] = data[key].isoformat() if data[key] else None
        data["last_note"] = self.last_note
        return data


def all_findings(session: Session) -> list[FindingView]:
    """Every finding with its follow-up log: three queries, whatever their number."""
    from kerjasama_cli.db.models import Agreement

    rows = session.execute(
        select(Finding, Agreement.number, Agreement.title, Unit.name)
        .join(Agreement, Agreement.id == Finding.agreement_id)
        .outerjoin(Unit, Unit.id == Finding.owner_id)
        .order_by(Finding.id)
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
    for note in session.scalars(select(FindingNote).order_by(FindingNote.at, FindingNote.id)):
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


def _owner_id(session: Session, owner: str) -> int:
    from kerjasama_cli.register import resolve_unit

    return resolve_unit(session, owner).id


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
) -> int:
    """Raise a finding on an agreement; returns its id."""
    agreement = find_agreement(session, ref)
    if not text.strip():
        raise MissingValue("text", label="--text")
    now = parse.now_utc()
    finding = Finding(
        agreement_id=agreement.id,
        year=year,
        category=vocab.FINDING_CATEGORIES.match(
            category, field_name="category", label="--category"
        ),
        text=text.strip(),
        recommendation=(recommendation or "").strip() or None,
        owner_id=_owner_id(session, owner) if owner else None,
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
    """Follow a finding up: every call adds a dated line to its log."""
    finding = session.get(Finding, finding_id)
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
        owner_id = _owner_id(session, owner)
        if owner_id != finding.owner_id:
            changes.append(Change(f"temuan #{finding.id}: owner", None, owner))
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


# ------------------------------------------------------------ automatic findings


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
    count = 0
    for item in findings:
        if item.recorded:
            continue
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
        item.recorded = True
        count += 1
    return count


def _recorded_rules(session: Session) -> set[tuple[int, int, str]]:
    rows = session.execute(
        select(Finding.agreement_id, Finding.year, Finding.rule).where(Finding.rule.is_not(None))
    )
    return {(agreement_id, year, rule) for agreement_id, year, rule in rows if rule}


# ----------------------------------------------------------------------- numbers


def _percent(part: int | float, whole: int | float) -> float | None:
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
) -> YearNumbers:
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
            "coverage_pct": _percent(len(done), len(unit_views)),
        }
        index_by_unit[name] = _mean([evaluations[v.id].points for v in done])
    last_day = date(year, 12, 31)
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
        coverage_pct=_percent(len(evaluated), len(in_force)),
        coverage_by_unit=coverage_by_unit,
        by_level={code: levels.get(code, 0) for code in vocab.LEVELS.codes},
        by_level_pct={
            code: _percent(levels.get(code, 0), len(evaluated)) for code in vocab.LEVELS.codes
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
            1 for f in findings if f.closed_on is not None and f.closed_on.year == year
        ),
        findings_open=sum(1 for f in findings if f.open_on(last_day)),
        findings_overdue=sum(1 for f in findings if f.overdue_on(last_day)),
        previous=previous,
    )


# ------------------------------------------------------------------------- board


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
            "coverage_pct": _percent(self.evaluated, len(self.rows)),
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


def load_year(
    session: Session,
    year: int,
    *,
    as_of: date | None = None,
    warning_days: int | None = None,
    region: str | None = None,
) -> YearData:
    """The year's agreements, evaluations and findings; of one region of a roll-up if asked."""
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
        recorded_rules=_recorded_rules(session),
    )


def numbers_for(data: YearData) -> YearNumbers:
    previous = None
    if data.previous_evaluations:
        previous = year_numbers(data.views, data.year - 1, data.previous_evaluations, data.findings)
    return year_numbers(data.views, data.year, data.evaluations, data.findings, previous)


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
    last_day = date(data.year, 12, 31)
    ids = {view.id for view in in_force}
    return Board(
        year=data.year,
        groups=[UnitGroup(name, groups[name]) for name in sorted(groups, key=str.casefold)],
        numbers=numbers_for(data),
        open_findings=[
            f
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
            views_by_region[region], data.year, data.evaluations, findings_by_region[region]
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
