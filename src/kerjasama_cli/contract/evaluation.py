"""The records of the annual evaluation: one agreement's evaluation, what
recording it did, the year's numbers, and the board (`evaluate YEAR`)."""

from typing import Annotated

from sqlmodel import Field

from kerjasama_cli import vocab
from kerjasama_cli.contract.agreements import AgreementRecord, ChangeRecord
from kerjasama_cli.contract.common import (
    EveryKeyOrNone,
    FindingCategory,
    IsoDate,
    KeyedBy,
    Level,
    OneOf,
    Recommendation,
    Record,
    codes,
    ref_words,
    with_dash,
)
from kerjasama_cli.contract.findings import FindingRecord
from kerjasama_cli.evaluation import numbers

PERCENT = "percent, 0-100, one decimal"
SCORE = "1-5; null when not scored"

LEVELS = codes(vocab.LEVELS)
EvaluationState = Annotated[str, OneOf(codes(vocab.EVALUATION_STATES))]
# The scalar numbers whose change from the previous year is given, and one count per level.
CHANGED = (
    *numbers.YearNumbers.SCALARS,
    *(f"level_{level}" for level in LEVELS),
)

LevelCounts = Annotated[dict[str, int], KeyedBy(LEVELS, every=True)]
LevelShares = Annotated[dict[str, float | None], KeyedBy(LEVELS, every=True)]
Change = Annotated[dict[str, float | None], EveryKeyOrNone(CHANGED)]
DocTypeCounts = Annotated[dict[str, int], KeyedBy(codes(vocab.DOC_TYPES))]
KindCounts = Annotated[dict[str, int], KeyedBy(with_dash(codes(vocab.KINDS)))]
BidangCounts = Annotated[dict[str, int], KeyedBy(with_dash(codes(vocab.BIDANG)))]
PartnerKindCounts = Annotated[dict[str, int], KeyedBy(with_dash(codes(vocab.PARTNER_KINDS)))]


class Scores(Record):
    """The optional evaluation instrument, each aspect scored 1-5."""

    goal_fit: int | None = Field(ge=1, le=5, description=f"Fit with the goal, {SCORE}.")
    timeliness: int | None = Field(ge=1, le=5, description=f"Timeliness, {SCORE}.")
    partner_contribution: int | None = Field(
        ge=1, le=5, description=f"The partner's contribution, {SCORE}."
    )
    coordination: int | None = Field(ge=1, le=5, description=f"Coordination, {SCORE}.")
    indicator_attainment: int | None = Field(
        ge=1, le=5, description=f"Attainment of the indicators, {SCORE}."
    )
    impact: int | None = Field(ge=1, le=5, description=f"Impact, {SCORE}.")
    document_completeness: int | None = Field(
        ge=1, le=5, description=f"Completeness of the documents, {SCORE}."
    )
    periodic_reporting: int | None = Field(ge=1, le=5, description=f"Periodic reporting, {SCORE}.")
    relevance: int | None = Field(ge=1, le=5, description=f"Relevance, {SCORE}.")


class EvaluationRecord(Record):
    """One agreement's evaluation for one year."""

    agreement_id: int = Field(description="The id of the agreement evaluated.")
    year: int = Field(description="The evaluation year.")
    level: Level = Field(description=f"The implementation level: {ref_words('levels')}.")
    progress: int | None = Field(
        ge=0,
        le=100,
        description="How far it was carried out, percent, 0-100 (whole); null when not recorded.",
    )
    follow_up: str | None = Field(description="Tindak lanjut; null when none.")
    obstacles: str | None = Field(description="Kendala/permasalahan; null when none.")
    recommendation: Recommendation | None = Field(
        description=f"The recommendation: {ref_words('recommendations')}; null when none."
    )
    benefit: str | None = Field(description="Manfaat; null when none.")
    note: str | None = Field(description="Keterangan; null when none.")
    evaluator: str | None = Field(description="Who evaluated; null when not recorded.")
    evaluated_on: IsoDate | None = Field(
        description="When it was evaluated, ISO 8601 date; null when not recorded."
    )
    scores: Scores = Field(description="The instrument's scores, every aspect present.")
    score: int | None = Field(ge=1, le=5, description=f"The overall score, {SCORE}.")
    added_value: str | None = Field(
        description="Inovasi/nilai tambah: what the cooperation added; null when none."
    )
    evidence: str | None = Field(
        description="Bukti dukung: a document number, a link or a file path; null when none."
    )
    points: float = Field(
        ge=0,
        le=100,
        description="Its share of the implementation index, 0-100: terlaksana "
        "100, sebagian its progress (50 when none), belum and tidak 0.",
    )
    state: EvaluationState = Field(
        description="'diajukan' (an OPD's answer, to be checked), 'dikembalikan' (returned "
        "to the OPD to correct) or 'diverifikasi' (checked; what the office records is "
        "verified at once). The year's numbers count only verified evaluations."
    )
    return_note: str | None = Field(
        description="Why the TKKSD returned it to the OPD (evaluate YEAR REF "
        "--return-to-opd --note); null otherwise."
    )


class EvaluationChange(Record):
    """What `evaluate YEAR REF` recorded."""

    agreement_id: int = Field(description="The id of the agreement evaluated.")
    number: str = Field(description="Its number.")
    year: int = Field(description="The evaluation year.")
    created: bool = Field(description="True when this year's evaluation was new.")
    changes: list[ChangeRecord] = Field(
        description="Each field changed, in order, named as its history names it "
        "('evaluasi 2021: level'); empty when nothing changed."
    )


class UnitCoverage(Record):
    """How many of one OPD's agreements in force were evaluated."""

    in_force: int = Field(description="Its agreements in force during the year.")
    evaluated: int = Field(description="How many of them were evaluated.")
    coverage_pct: float | None = Field(
        ge=0, le=100, description=f"evaluated of in_force, {PERCENT}; null when none in force."
    )


class YearNumbers(Record):
    """The year's numbers, as the board, the reports and the workbook print them.
    An agreement with several OPDs counts under each of them; one with none
    under '(tanpa perangkat daerah)'."""

    year: int = Field(description="The year.")
    in_force: int = Field(description="Agreements in force at any time during the year.")
    by_doc_type: DocTypeCounts = Field(
        description="Agreements in force by document type (keys: "
        f"{ref_words('doc-types')}), largest first."
    )
    by_kind: KindCounts = Field(
        description=f"Agreements in force by kind (keys: {ref_words('kinds')}, '-' for "
        "none recorded), largest first."
    )
    by_bidang: BidangCounts = Field(
        description="Agreements in force by bidang urusan (keys: the names `kerjasama ref "
        "bidang` lists, '-' for none recorded), largest first."
    )
    by_unit: dict[str, int] = Field(description="Agreements in force by OPD name, largest first.")
    by_partner_kind: PartnerKindCounts = Field(
        description="Partners of the agreements in force by kind (keys: "
        f"{ref_words('partner-kinds')}, '-' for not known), largest first."
    )
    evaluated: int = Field(
        description="Agreements in force whose evaluation is verified (what every number "
        "here counts)."
    )
    answered: int = Field(
        description="Agreements in force with an evaluation in any state, the OPDs' "
        "answers not yet verified included."
    )
    coverage_pct: float | None = Field(
        ge=0, le=100, description=f"evaluated of in_force, {PERCENT}; null when none in force."
    )
    coverage_by_unit: dict[str, UnitCoverage] = Field(
        description="The coverage of each OPD, by OPD name."
    )
    by_level: LevelCounts = Field(
        description="Evaluated agreements by level: a key for each code `kerjasama ref "
        "levels` lists."
    )
    by_level_pct: LevelShares = Field(
        description=f"The same as shares of the evaluated, {PERCENT}; null when none was evaluated."
    )
    implementation_index: float | None = Field(
        ge=0,
        le=100,
        description="The mean of the evaluated agreements' points, 0-100, "
        "one decimal; null when none was evaluated.",
    )
    index_by_unit: dict[str, float | None] = Field(
        description="The implementation index of each OPD, by OPD name, 0-100, one "
        "decimal; null for an OPD none of whose agreements was evaluated."
    )
    kb_without_pks: int = Field(description="KBs in force with no PKS by the year's end.")
    ending_next_year: int = Field(description="Agreements whose end falls in the next year.")
    findings_raised: int = Field(description="Findings raised for this year.")
    findings_closed: int = Field(description="Findings closed during the year.")
    findings_open: int = Field(description="Findings open at the year's end (or --as-of).")
    findings_overdue: int = Field(description="Of those, the ones past their deadline.")
    previous: "YearNumbers | None" = Field(
        description="The previous year's numbers (their own previous null, change empty) "
        "when that year was evaluated; else null."
    )
    change: Change = Field(
        description="The change of each scalar number from the previous year (this minus "
        "that, one decimal; null where either is null) and of each level's count "
        "(level_<code>); an empty object when there is no previous year."
    )


class BoardAgreement(AgreementRecord):
    """An agreement in force during the year, with its evaluation."""

    evaluation: EvaluationRecord | None = Field(
        description="Its evaluation for the year; null when not evaluated yet."
    )


class UnitGroup(Record):
    """One OPD's agreements in force during the year."""

    unit: str = Field(description="The OPD's name ('(tanpa perangkat daerah)' for none).")
    in_force: int = Field(description="Its agreements in force during the year.")
    evaluated: int = Field(description="How many of them have a verified evaluation.")
    coverage_pct: float = Field(ge=0, le=100, description=f"evaluated of in_force, {PERCENT}.")
    answered: int = Field(description="How many have an answer in any state.")
    submitted: int = Field(description="Of those, answers waiting to be verified (diajukan).")
    returned: int = Field(description="Of those, answers returned to the OPD (dikembalikan).")
    form_sent_on: IsoDate | None = Field(
        description="When its evaluation form was last sent (evaluate YEAR --forms), ISO "
        "8601 date; null when never."
    )
    form_due_on: IsoDate | None = Field(
        description="The deadline that form gave, ISO 8601 date; null when none."
    )
    overdue: bool = Field(
        description="The deadline has passed (today) with agreements still unanswered."
    )
    agreements: list[BoardAgreement] = Field(description="The agreements, each with its level.")


class AutomaticFinding(Record):
    """A finding the evaluation makes by itself (stored with --record-auto)."""

    rule: str = Field(
        description="The rule that found it, as a stable code (e.g. 'kb-without-pks')."
    )
    agreement_id: int = Field(description="The id of the agreement concerned.")
    number: str = Field(description="Its number.")
    category: FindingCategory = Field(
        description="The finding's category, one of the codes of `finding add --category`."
    )
    text: str = Field(description="What was found, in Indonesian.")
    owner: str | None = Field(
        description="The OPD that must follow it up (the agreement's first); null when none."
    )
    recorded: bool = Field(description="True when it is already stored as a finding.")


class BoardRecord(Record):
    """The year's evaluation board (Evaluasi Pelaksanaan Kerja Sama Daerah)."""

    year: int = Field(description="The evaluation year.")
    groups: list[UnitGroup] = Field(
        description="The agreements in force by OPD, OPDs by name; an agreement with "
        "several OPDs is under each."
    )
    numbers: YearNumbers = Field(description="The year's numbers.")
    open_findings: list[FindingRecord] = Field(
        description="The findings open at the year's end, each as it stood then."
    )
    automatic_findings: list[AutomaticFinding] = Field(
        description="What the evaluation finds by itself."
    )


class FormSent(Record):
    """One OPD's evaluation form, written by `evaluate YEAR --forms`."""

    unit: str = Field(
        description="The OPD the form is for, as the register names it; the agreements "
        "without an OPD are on one form named '(tanpa perangkat daerah)'."
    )
    agreements: int = Field(ge=1, description="How many agreements (rows) the form holds.")
    file: str = Field(description="The form's file, an absolute path.")


class StateChange(Record):
    """An evaluation the TKKSD verified or returned (`evaluate YEAR --verify`,
    `--return-to-opd`)."""

    agreement_id: int = Field(description="The id of the agreement whose evaluation it is.")
    number: str = Field(description="Its number.")
    year: int = Field(description="The evaluation year.")
    state: EvaluationState = Field(
        description="Its state now: 'diverifikasi' (verified) or 'dikembalikan' (returned "
        "to the OPD to correct)."
    )
    changed: bool = Field(description="False when it was already in that state.")
