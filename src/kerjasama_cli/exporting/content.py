"""What an export shows: the year's (or the register's) tables and numbers, computed once."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from kerjasama_cli import vocab
from kerjasama_cli.evaluation import (
    EvaluationView,
    FindingView,
    RegionRow,
    YearData,
    YearNumbers,
    all_findings,
    board,
    by_region,
    evaluations_of,
    load_year,
    numbers_for,
    unit_names,
)
from kerjasama_cli.queries import AgreementView, load_views
from kerjasama_cli.settings import all_settings, warning_days
from kerjasama_cli.status import in_force_during

# Cell kinds: how a column is formatted in the workbook and read back.
TEXT, DATE, MONEY, PERCENT, INTEGER = "text", "date", "money", "percent", "integer"

# Control characters (C0 but tab, line feed and carriage return; DEL; C1) and what
# XML cannot hold at all (U+FFFE, U+FFFF, a lone surrogate). Input refuses them now,
# but a register may hold them from before: every export shows U+FFFD in their place.
UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """``text`` with each control character shown as U+FFFD; tab and line breaks kept."""
    return UNPRINTABLE.sub("\ufffd", text)


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = TEXT
    key: str = ""  # snake_case name for csv/json


@dataclass
class Sheet:
    name: str
    columns: list[Column]
    rows: list[tuple[Any, ...]]
    level_column: int | None = None  # colour-coded by implementation level

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]


REGISTER_COLUMNS = [
    Column("No", INTEGER, "no"),
    Column("Jenis Dokumen", key="doc_type"),
    Column("Nomor", key="number"),
    Column("Nomor Mitra", key="partner_number"),
    Column("Tentang", key="title"),
    Column("Mitra", key="partners"),
    Column("Jenis Kerja Sama", key="kind"),
    Column("Bidang Urusan", key="bidang"),
    Column("Perangkat Daerah", key="units"),
    Column("Tanggal Penandatanganan", DATE, "signed_on"),
    Column("Tanggal Mulai", DATE, "starts_on"),
    Column("Tanggal Berakhir", DATE, "ends_on"),
    Column("Jangka Waktu", key="term_text"),
    Column("Nilai (Rp)", MONEY, "value"),
    Column("Sumber Pembiayaan", key="funding"),
    Column("Status", key="status"),
    Column("Induk", key="parent_number"),
    Column("Keterangan", key="note"),
]
EVALUATION_COLUMNS = [
    Column("No", INTEGER, "no"),
    Column("Nomor", key="number"),
    Column("Tentang", key="title"),
    Column("Perangkat Daerah", key="units"),
    Column("Tingkat Pelaksanaan", key="level"),
    Column("Progres (%)", PERCENT, "progress"),
    Column("Tindak Lanjut", key="follow_up"),
    Column("Kendala/Permasalahan", key="obstacles"),
    Column("Manfaat", key="benefit"),
    Column("Inovasi/Nilai Tambah", key="added_value"),
    Column("Bukti Dukung", key="evidence"),
    Column("Rekomendasi", key="recommendation"),
    Column("Skor", INTEGER, "score"),
    Column("Tanggal Evaluasi", DATE, "evaluated_on"),
    Column("Evaluator", key="evaluator"),
    Column("Keterangan", key="note"),
]
FINDING_COLUMNS = [
    Column("No", INTEGER, "no"),
    Column("Nomor", key="number"),
    Column("Tentang", key="title"),
    Column("Tahun", INTEGER, "year"),
    Column("Jenis Temuan", key="category"),
    Column("Uraian", key="text"),
    Column("Rekomendasi", key="recommendation"),
    Column("Penanggung Jawab", key="owner"),
    Column("Batas Waktu", DATE, "due_on"),
    Column("Status", key="status"),
    Column("Catatan Tindak Lanjut Terakhir", key="last_note"),
]


def _label(vocabulary: vocab.Vocabulary, code: str | None) -> str | None:
    return vocabulary.label(code) if code else None


def register_row(index: int, view: AgreementView) -> tuple[Any, ...]:
    return (
        index,
        vocab.DOC_TYPES.label(view.doc_type),
        view.number,
        view.partner_number,
        view.title,
        "; ".join(p.name for p in view.partners),
        _label(vocab.KINDS, view.kind),
        view.bidang,
        "; ".join(u.name for u in view.units),
        view.signed_on,
        view.starts_on,
        view.ends_on,
        view.term_text,
        view.value,
        _label(vocab.FUNDING, view.funding),
        vocab.STATUSES.label(view.status),
        view.parent_number,
        view.note,
    )


def evaluation_row(
    index: int, view: AgreementView, evaluation: EvaluationView | None
) -> tuple[Any, ...]:
    """Blank where not evaluated, so an OPD can fill it in and import it back."""
    units = "; ".join(u.name for u in view.units)
    if evaluation is None:
        return (index, view.number, view.title, units, *[None] * (len(EVALUATION_COLUMNS) - 4))
    return (
        index,
        view.number,
        view.title,
        units,
        vocab.LEVELS.label(evaluation.level),
        evaluation.progress,
        evaluation.follow_up,
        evaluation.obstacles,
        evaluation.benefit,
        evaluation.added_value,
        evaluation.evidence,
        _label(vocab.RECOMMENDATIONS, evaluation.recommendation),
        evaluation.score,
        evaluation.evaluated_on,
        evaluation.evaluator,
        evaluation.note,
    )


def finding_row(index: int, finding: FindingView) -> tuple[Any, ...]:
    return (
        index,
        finding.number,
        finding.title,
        finding.year,
        vocab.FINDING_CATEGORIES.label(finding.category),
        finding.text,
        finding.recommendation,
        finding.owner,
        finding.due_on,
        vocab.FINDING_STATUSES.label(finding.status),
        finding.last_note,
    )


@dataclass
class Content:
    """Everything one export shows."""

    year: int | None
    as_of: date
    settings: dict[str, str]
    views: list[AgreementView]  # in scope: in force during the year (or all)
    evaluations: dict[int, EvaluationView]
    findings: list[FindingView]
    numbers: YearNumbers | None
    unit: str | None = None
    sheets: list[Sheet] = field(default_factory=list)
    # Per region, for a roll-up (`export YEAR --by-region`); None otherwise.
    regions: list[RegionRow] | None = None
    paper: str = "a4"  # a4, f4 or legal (settings.PAPERS)
    signed_on: date | None = None  # the date line over the signature; None: not given

    @property
    def place(self) -> str:
        """Where the report is signed (config set place), or ''."""
        return self.settings.get("place", "")

    @property
    def region(self) -> str:
        """The region (config set region) as a title names it: 'Kabupaten Tanggamus',
        also when set as 'Pemerintah Kabupaten Tanggamus'; '' when not set."""
        return region_name(self.settings.get("region", ""))

    @property
    def government(self) -> str:
        """The letterhead's first line: 'Pemerintah Kabupaten Tanggamus'; '' when no
        region is set (a neutral heading, never 'Pemerintah Pemerintah Daerah')."""
        return f"Pemerintah {self.region}" if self.region else ""

    @property
    def title(self) -> str:
        region = f" {self.region}" if self.region else ""
        if self.year is None:
            return f"Register Kerja Sama Daerah{region}"
        return f"Rekapitulasi Evaluasi Pelaksanaan Kerja Sama Daerah{region} Tahun {self.year}"

    def basename(self) -> str:
        return (
            f"evaluasi-kerja-sama-{self.year}" if self.year is not None else "register-kerja-sama"
        )

    def units(self) -> list[str]:
        names = {name for view in self.views for name in unit_names(view)}
        return sorted(names, key=str.casefold)

    def for_unit(self, name: str) -> list[AgreementView]:
        return [view for view in self.views if name in unit_names(view)]


_GOVERNMENT = re.compile(r"^\s*pemerintah(an)?\s+(daerah\s+)?(?=\S)", re.IGNORECASE)


def region_name(text: str) -> str:
    """'Pemerintah Kabupaten Tanggamus', 'PEMERINTAH DAERAH Kota Metro' ->
    'Kabupaten Tanggamus', 'Kota Metro': a title prefixes 'Pemerintah' itself."""
    text = text.strip()
    if " ".join(text.casefold().split()) in ("pemerintah", "pemerintah daerah", "pemda", "daerah"):
        return ""  # a placeholder, not a region
    return _GOVERNMENT.sub("", text)


def _matches_unit(unit: str | None) -> Callable[[AgreementView], bool]:
    if not unit:
        return lambda view: True
    key = vocab.name_key(unit)
    return lambda view: any(key in vocab.name_key(name) for name in unit_names(view))


def _open_during(finding: FindingView, year: int) -> bool:
    """Open at some time during the year: raised by its end, not closed before it."""
    return finding.year <= year and (
        finding.closed_on is None or finding.closed_on >= date(year, 1, 1)
    )


REGION_COLUMNS = [
    Column("No", INTEGER, "no"),
    Column("Daerah", key="region"),
    Column("Kerja Sama Berlaku", INTEGER, "in_force"),
    Column("Sudah Dievaluasi", INTEGER, "evaluated"),
    Column("Belum Dievaluasi", INTEGER, "unevaluated"),
    Column("Cakupan Evaluasi (%)", PERCENT, "coverage_pct"),
    Column("Indeks Pelaksanaan", PERCENT, "implementation_index"),
    Column("Temuan Terbuka", INTEGER, "findings_open"),
]


def region_sheet(rows: Sequence[RegionRow]) -> Sheet:
    return Sheet(
        "Per Daerah",
        REGION_COLUMNS,
        [
            (
                index,
                row.region,
                row.in_force,
                row.evaluated,
                row.unevaluated,
                row.coverage_pct,
                row.implementation_index,
                row.findings_open,
            )
            for index, row in enumerate(rows, 1)
        ],
    )


def gather(
    session: Session,
    year: int | None,
    *,
    as_of: date | None = None,
    unit: str | None = None,
    regions: bool = False,
    paper: str | None = None,
    signed_on: date | None = None,
) -> Content:
    """Load and compute everything an export of that year (or the register) needs.
    ``paper``: a4, f4 or legal, else the office's setting; ``signed_on``: the
    date line over the signature."""
    from kerjasama_cli.errors import InvalidValue, NotFound
    from kerjasama_cli.settings import read_paper

    if regions and year is None:
        raise InvalidValue(
            "by_region",
            "--by-region",
            "needs the evaluation YEAR",
            label="option",
            hint="for example: kerjasama export 2021 --by-region",
        )
    settings = all_settings(session)
    chosen_paper = read_paper(paper or settings.get("paper") or "a4", "--paper")
    matches = _matches_unit(unit)
    if year is None:
        day = as_of or date.today()
        views = [
            v
            for v in load_views(session, as_of=day, warning_days=warning_days(session))
            if matches(v)
        ]
        evaluations: dict[int, EvaluationView] = {}
        ids = {view.id for view in views}
        findings = [f for f in all_findings(session) if f.agreement_id in ids]
        content = Content(None, day, settings, views, evaluations, findings, None, unit)
        content.paper, content.signed_on = chosen_paper, signed_on
        content.sheets = [_register_sheet(views)]
        content.sheets.append(_all_evaluations_sheet(session, views))
        content.sheets.append(
            Sheet(
                "Temuan & Tindak Lanjut",
                FINDING_COLUMNS,
                [finding_row(i, f) for i, f in enumerate(findings, 1)],
            )
        )
        return content
    day = as_of or date(year, 12, 31)
    data = load_year(session, year, as_of=day)
    numbers = numbers_for(data)
    views = [v for v in data.views if in_force_during(v, year) and matches(v)]
    if unit and not views:
        raise NotFound(f"no agreement of {unit!r} was in force during {year}")
    ids = {view.id for view in views}
    # Each as the document's date sees it: closed after it, still open in every table.
    findings = [
        f.seen_on(day)
        for f in data.findings
        if _open_during(f, year) and (not unit or f.agreement_id in ids)
    ]
    content = Content(year, day, settings, views, data.evaluations, findings, numbers, unit)
    content.paper, content.signed_on = chosen_paper, signed_on
    content.sheets = [
        _register_sheet(views),
        Sheet(
            f"Evaluasi {year}",
            EVALUATION_COLUMNS,
            [evaluation_row(i, v, data.evaluations.get(v.id)) for i, v in enumerate(views, 1)],
            level_column=4,
        ),
        Sheet(
            "Temuan & Tindak Lanjut",
            FINDING_COLUMNS,
            [finding_row(i, f) for i, f in enumerate(findings, 1)],
        ),
    ]
    if regions:
        scoped = replace(data, views=[v for v in data.views if matches(v)])
        own = content.region or "Pemerintah Daerah"
        content.regions = by_region(scoped, own_region=own)
        region_of = {view.id: view.region or own for view in views}
        by_row = [region_of[view.id] for view in views]
        register, evaluated, found = content.sheets
        content.sheets = [
            region_sheet(content.regions),
            _with_region(register, by_row),
            _with_region(evaluated, by_row),
            _with_region(found, [region_of.get(f.agreement_id, "") for f in findings]),
        ]
    sent = forms_sheet(data, unit=unit, day=signed_on or day)
    if sent is not None:
        content.sheets.insert(2, sent)
    return content


def _with_region(sheet: Sheet, regions: Sequence[str]) -> Sheet:
    """The sheet with a Daerah column after No: which region each row belongs to."""
    level = sheet.level_column + 1 if sheet.level_column is not None else None
    return Sheet(
        sheet.name,
        [sheet.columns[0], Column("Daerah", key="region"), *sheet.columns[1:]],
        [(row[0], region, *row[1:]) for row, region in zip(sheet.rows, regions, strict=True)],
        level_column=level,
    )


FORMS_COLUMNS = [
    Column("No", INTEGER, "no"),
    Column("Perangkat Daerah", key="unit"),
    Column("Formulir Dikirim", DATE, "form_sent_on"),
    Column("Batas Waktu", DATE, "form_due_on"),
    Column("Berlaku", INTEGER, "in_force"),
    Column("Dijawab", INTEGER, "answered"),
    Column("Diajukan", INTEGER, "submitted"),
    Column("Dikembalikan", INTEGER, "returned"),
    Column("Diverifikasi", INTEGER, "evaluated"),
    Column("Lewat Batas Waktu", key="overdue"),
]


def forms_sheet(data: YearData, *, unit: str | None, day: date) -> Sheet | None:
    """The year's OPD forms (evaluate YEAR --forms): per OPD when its form was sent,
    the deadline, how many agreements are answered, submitted, returned and
    verified, and whether it is past the deadline on ``day``. None when no form
    was sent: the workbook of an office that does not use them is unchanged."""
    if not data.forms:
        return None
    rows: list[tuple[Any, ...]] = []
    for group in board(data, unit=unit, today=day).groups:
        rows.append(
            (
                len(rows) + 1,
                group.unit,
                group.form_sent_on,
                group.form_due_on,
                len(group.rows),
                group.answered,
                group.submitted,
                group.returned,
                group.evaluated,
                "Ya" if group.overdue else None,
            )
        )
    return Sheet("Formulir OPD", FORMS_COLUMNS, rows)


def _register_sheet(views: Sequence[AgreementView]) -> Sheet:
    return Sheet(
        "Daftar Kerja Sama", REGISTER_COLUMNS, [register_row(i, v) for i, v in enumerate(views, 1)]
    )


def _all_evaluations_sheet(session: Session, views: Sequence[AgreementView]) -> Sheet:
    """Every year's evaluations, for the whole-register export."""
    from sqlmodel import select

    from kerjasama_cli.db.models import Evaluation

    by_id = {view.id: view for view in views}
    rows: list[tuple[Any, ...]] = []
    years = sorted(session.scalars(select(Evaluation.year).distinct()))
    for year in years:
        for agreement_id, evaluation in sorted(evaluations_of(session, year).items()):
            view = by_id.get(agreement_id)
            if view is not None:
                rows.append((year, *evaluation_row(len(rows) + 1, view, evaluation)))
    columns = [Column("Tahun", INTEGER, "year"), *EVALUATION_COLUMNS]
    return Sheet("Evaluasi", columns, rows, level_column=5)
