"""The records of the export file (`export YEAR --json`, `export --json`): the
year's numbers and every sheet of the workbook, row by row, as the sheets show
them (labels, not codes; dates to the precision known)."""

from typing import Literal

from pydantic import ConfigDict
from sqlmodel import Field

from kerjasama_cli.contract.common import (
    DateAsKnown,
    DocTypeLabel,
    FindingCategoryLabel,
    FindingStatusLabel,
    FundingLabel,
    IsoDate,
    KindLabel,
    LevelLabel,
    Money,
    RecommendationLabel,
    Record,
    StatusLabel,
    other_keys_named,
)
from kerjasama_cli.contract.evaluation import YearNumbers

AS_KNOWN = (
    "ISO 8601 to the precision known: a date ('2021-08-19'), a month ('2021-08') or a year ('2021')"
)
REGION = "The region the row belongs to; only with --by-region (absent otherwise)."
LABEL = "the Indonesian label `kerjasama ref {0}` shows"
NO = "The row's number in its sheet, from 1."


class RegisterRow(Record):
    """One agreement, a row of the sheet 'Daftar Kerja Sama'."""

    no: int = Field(description=NO)
    region: str = Field(default="", description=REGION)
    doc_type: DocTypeLabel = Field(description=f"The document type, {LABEL.format('doc-types')}.")
    number: str = Field(description="The region's document number.")
    partner_number: str | None = Field(description="The partner's number; null when none.")
    title: str = Field(description="What it is about (tentang).")
    partners: str = Field(description="Its partners, joined by '; '; empty when none.")
    kind: KindLabel | None = Field(
        description=f"The kind, {LABEL.format('kinds')}; null when not recorded."
    )
    bidang: str | None = Field(description="The bidang urusan; null when not recorded.")
    units: str = Field(description="Its OPDs, joined by '; '; empty when none.")
    signed_on: DateAsKnown | None = Field(description=f"The signing date, {AS_KNOWN}; or null.")
    starts_on: DateAsKnown | None = Field(description=f"The start date, {AS_KNOWN}; or null.")
    ends_on: DateAsKnown | None = Field(description=f"The end date, {AS_KNOWN}; or null.")
    term_text: str | None = Field(description="The term as written; null when none.")
    value: Money | None = Field(
        description="The value in Rupiah, exact: an integer when whole, else a number with "
        "the sen as decimals; null when not recorded."
    )
    funding: FundingLabel | None = Field(
        description=f"The funding source, {LABEL.format('funding')}; null when not recorded."
    )
    status: StatusLabel = Field(
        description=f"The status on the export's date (as_of), {LABEL.format('statuses')}."
    )
    parent_number: str | None = Field(description="The KB or document it belongs to; or null.")
    note: str | None = Field(description="Keterangan; null when none.")


class EvaluationRow(Record):
    """One agreement in force and its evaluation, a row of the sheet 'Evaluasi YEAR';
    every evaluation field null where it was not evaluated."""

    no: int = Field(description=NO)
    region: str = Field(default="", description=REGION)
    number: str = Field(description="The agreement's number.")
    title: str = Field(description="Its title.")
    units: str = Field(description="Its OPDs, joined by '; '; empty when none.")
    level: LevelLabel | None = Field(
        description=f"The implementation level, {LABEL.format('levels')}; null when not evaluated."
    )
    progress: int | None = Field(
        ge=0, le=100, description="Progress, percent 0-100 (whole); null when not recorded."
    )
    follow_up: str | None = Field(description="Tindak lanjut; null when none.")
    obstacles: str | None = Field(description="Kendala/permasalahan; null when none.")
    benefit: str | None = Field(description="Manfaat; null when none.")
    added_value: str | None = Field(
        description="Inovasi/nilai tambah: what the cooperation added; null when none."
    )
    evidence: str | None = Field(
        description="Bukti dukung: a document number, a link or a file path; null when none."
    )
    recommendation: RecommendationLabel | None = Field(
        description=f"The recommendation, {LABEL.format('recommendations')}; null when none."
    )
    score: int | None = Field(ge=1, le=5, description="The overall score 1-5; null when none.")
    evaluated_on: DateAsKnown | None = Field(
        description=f"When it was evaluated, {AS_KNOWN}; null when not recorded."
    )
    evaluator: str | None = Field(description="Who evaluated; null when not recorded.")
    note: str | None = Field(description="Keterangan; null when none.")


class YearEvaluationRow(EvaluationRow):
    """One evaluation of any year, a row of the whole register's sheet 'Evaluasi'."""

    year: int = Field(description="The evaluation year.")


class FindingRow(Record):
    """One finding open during the year, a row of the sheet 'Temuan & Tindak Lanjut',
    as it stood on the export's date."""

    no: int = Field(description=NO)
    region: str = Field(default="", description=REGION)
    number: str = Field(description="The agreement's number.")
    title: str = Field(description="The agreement's title.")
    year: int = Field(description="The evaluation year that raised it.")
    category: FindingCategoryLabel = Field(description="Its category, as a label.")
    text: str = Field(description="What was found (uraian).")
    recommendation: str | None = Field(description="What is recommended; null when nothing.")
    owner: str | None = Field(description="The OPD that must follow it up; or null.")
    due_on: DateAsKnown | None = Field(description=f"Its deadline, {AS_KNOWN}; or null.")
    status: FindingStatusLabel = Field(description="Its status on the export's date, a label.")
    last_note: str | None = Field(
        description="The last note of its follow-up log (a closing after the export's date "
        "told as such); null when none."
    )


class RegionRow(Record):
    """One region of a roll-up, a row of the sheet 'Per Daerah' (--by-region)."""

    no: int = Field(description=NO)
    region: str = Field(description="The region (the register's own under its config region).")
    in_force: int = Field(description="Its agreements in force during the year.")
    evaluated: int = Field(description="How many of them were evaluated.")
    unevaluated: int = Field(description="How many were not.")
    coverage_pct: float | None = Field(
        ge=0,
        le=100,
        description="evaluated of in_force, percent, 0-100, one decimal; null when none in force.",
    )
    implementation_index: float | None = Field(
        ge=0,
        le=100,
        description="The region's implementation index, 0-100, one decimal; "
        "null when none was evaluated.",
    )
    findings_open: int = Field(description="Its findings open at the year's end.")


class FormRow(Record):
    """One OPD of the year's forms, a row of the sheet 'Formulir OPD' (only once
    forms were sent: evaluate YEAR --forms)."""

    no: int = Field(description=NO)
    unit: str = Field(description="The OPD's name.")
    form_sent_on: DateAsKnown | None = Field(
        description="When its form was last sent, ISO 8601 date; null when never."
    )
    form_due_on: DateAsKnown | None = Field(
        description="The deadline it gave, ISO 8601 date; null when none."
    )
    in_force: int = Field(description="Its agreements in force during the year.")
    answered: int = Field(description="How many have an answer in any state.")
    submitted: int = Field(description="Answers waiting to be verified (diajukan).")
    returned: int = Field(description="Answers returned to the OPD (dikembalikan).")
    evaluated: int = Field(description="Verified answers (diverifikasi).")
    overdue: Literal["Ya"] | None = Field(
        description="'Ya' when the deadline passed on the export's date (--signed-on, "
        "default the day of the export) with agreements unanswered; else null."
    )


class ExportSheets(Record):
    """The workbook's sheets by name, each a list of its rows. A year's export has
    'Daftar Kerja Sama', 'Evaluasi YEAR' (e.g. 'Evaluasi 2021') and 'Temuan &
    Tindak Lanjut', and with --by-region 'Per Daerah'; the whole register's
    (no YEAR) has 'Daftar Kerja Sama', 'Evaluasi' and 'Temuan & Tindak Lanjut'."""

    model_config = ConfigDict(
        extra="allow", json_schema_extra=other_keys_named("^Evaluasi [0-9]{4}$")
    )
    __pydantic_extra__: dict[str, list[EvaluationRow]]

    agreements: list[RegisterRow] = Field(
        alias="Daftar Kerja Sama", description="The agreements in scope."
    )
    all_evaluations: list[YearEvaluationRow] = Field(
        default_factory=list,
        alias="Evaluasi",
        description="Every year's evaluations; only in the whole register's export.",
    )
    findings: list[FindingRow] = Field(
        alias="Temuan & Tindak Lanjut", description="The findings open at any time in scope."
    )
    regions: list[RegionRow] = Field(
        default_factory=list,
        alias="Per Daerah",
        description="The regions; only with --by-region.",
    )
    forms: list[FormRow] = Field(
        default_factory=list,
        alias="Formulir OPD",
        description="The OPDs and their forms; only once forms were sent for the year.",
    )


class ExportFile(Record):
    """The export as one JSON file."""

    title: str = Field(description="The document's title, as the workbook's first line.")
    region: str = Field(description="The region (`config set region`); empty when not set.")
    year: int | None = Field(description="The evaluation year; null for the whole register.")
    as_of: IsoDate = Field(
        description="The date statuses and findings are as of, ISO 8601 date (31 December "
        "of YEAR unless --as-of)."
    )
    numbers: YearNumbers | None = Field(
        description="The year's numbers; null for the whole register."
    )
    sheets: ExportSheets = Field(description="Every sheet, by its name.")
