"""The records of the agreements: one in full (`show`, `list`), what a write did,
its history, what is due, and what `check` finds."""

from typing import Literal

from pydantic import ConfigDict
from sqlmodel import Field

from kerjasama_cli.contract.common import (
    Bidang,
    DocType,
    Dprd,
    Funding,
    IsoDate,
    IsoDateTime,
    Kind,
    KsddCategory,
    Money,
    PartnerKind,
    Precision,
    Record,
    Status,
    other_keys_named,
    ref_words,
)

PRECISION = (
    "'month' or 'year' when the {0} is known only to the month or the year (the date "
    "then holds the period's {1} day); null when the day is known"
)


class PartnerRecord(Record):
    """A partner (mitra) of an agreement."""

    name: str = Field(description="The partner's name as the register keeps it.")
    kind: PartnerKind | None = Field(
        description=f"The kind of partner: {ref_words('partner-kinds')}; null when not known."
    )


class UnitRecord(Record):
    """An implementing perangkat daerah (OPD) of an agreement."""

    name: str = Field(description="The OPD's name as the register keeps it.")
    code: str | None = Field(description="The OPD's own code, when one was recorded; else null.")


class AgreementRecord(Record):
    """One agreement (a KB/MoU, a PKS, an adendum, a nota kesepakatan) as every
    command shows it; its status is worked out for the date asked about."""

    id: int = Field(description="The agreement's id in this register (REF `id:N`).")
    doc_type: DocType = Field(description=f"The document type: {ref_words('doc-types')}.")
    number: str = Field(description="The region's document number, as written.")
    region: str = Field(
        description="The region it was merged from by `kerjasama merge`; an empty string "
        "for the register's own agreements."
    )
    partner_number: str | None = Field(
        description="The partner's own number of the document; null when not recorded."
    )
    title: str = Field(description="What it is about (tentang).")
    scope: str | None = Field(description="Its scope (ruang lingkup); null when not recorded.")
    kind: Kind | None = Field(
        description=f"The kind of cooperation: {ref_words('kinds')}; null when not recorded."
    )
    ksdd_category: KsddCategory | None = Field(
        description=f"For a KSDD: {ref_words('ksdd-categories')}; null otherwise."
    )
    bidang: Bidang | None = Field(
        description="The bidang urusan: one of the names `kerjasama ref bidang` lists; "
        "null when not recorded."
    )
    signed_on: IsoDate | None = Field(
        description="The signing date, ISO 8601 date; null when not signed yet."
    )
    starts_on: IsoDate | None = Field(
        description="The start date, ISO 8601 date; null when it starts on signing."
    )
    ends_on: IsoDate | None = Field(
        description="The end date, ISO 8601 date (typed, worked out from the term, or, for "
        "an adendum without its own, the amended document's); null when not known."
    )
    signed_on_precision: Precision | None = Field(
        description=PRECISION.format("signing date", "first")
    )
    starts_on_precision: Precision | None = Field(
        description=PRECISION.format("start date", "first")
    )
    ends_on_precision: Precision | None = Field(description=PRECISION.format("end date", "last"))
    ends_on_derived: bool = Field(
        description="True when the end date was worked out from term_text, not typed."
    )
    original_ends_on: IsoDate | None = Field(
        description="The end date before `kerjasama extend` moved it, ISO 8601 date; null "
        "when never extended so."
    )
    term_text: str | None = Field(
        description="The term (jangka waktu) as written, e.g. '5 (lima) tahun'; null when "
        "not recorded."
    )
    value: Money | None = Field(
        description="The value in Rupiah, exact: an integer when whole, else a number with "
        "the sen as decimals; null when not recorded."
    )
    funding: Funding | None = Field(
        description=f"The funding source: {ref_words('funding')}; null when not recorded."
    )
    dprd: Dprd | None = Field(
        description=f"The DPRD approval: {ref_words('dprd')}; null when not recorded."
    )
    dprd_number: str | None = Field(
        description="The number of the DPRD approval; null when not recorded."
    )
    dprd_date: IsoDate | None = Field(
        description="The date of the DPRD approval, ISO 8601 date; null when not recorded."
    )
    parent_id: int | None = Field(
        description="The id of the document it implements or amends (a PKS's KB); null "
        "when it has none in the register."
    )
    parent_number: str | None = Field(
        description="The number of that document: the linked one's, or the one a file "
        "named that is not in the register yet; null when none."
    )
    unresolved_parent: str | None = Field(
        description="The parent number a file named that is not in the register yet (the "
        "link is made when it arrives); null otherwise."
    )
    renews_id: int | None = Field(
        description="The id of the document this one renews (`extend --number`); null "
        "when it renews none."
    )
    renews_number: str | None = Field(
        description="The number of the document this one renews; null when none."
    )
    file_path: str | None = Field(
        description="The path of the signed document's file; null when none recorded."
    )
    file_sha256: str | None = Field(
        description="The SHA-256 of that file when recorded, 64 hexadecimal digits; null when none."
    )
    note: str | None = Field(description="Keterangan; null when none.")
    terminated_on: IsoDate | None = Field(
        description="The date it was ended early (`kerjasama terminate`), ISO 8601 date; "
        "null when not terminated."
    )
    termination_reason: str | None = Field(
        description="Why it was ended early; null when not terminated."
    )
    version: int = Field(
        description="Its version, raised by every change (a change made on an older "
        "version is refused)."
    )
    created_at: IsoDateTime = Field(
        description="When it entered the register, ISO 8601 date-time in UTC (Z), to the second."
    )
    updated_at: IsoDateTime = Field(
        description="When it last changed, ISO 8601 date-time in UTC (Z), to the second."
    )
    status: Status = Field(
        description=f"Its status on the date asked about (derived, never typed): "
        f"{ref_words('statuses')}."
    )
    renewed_by: list[str] = Field(
        description="The numbers of the documents that renew it; empty when none."
    )
    partners: list[PartnerRecord] = Field(description="Its partners, in the register's order.")
    units: list[UnitRecord] = Field(description="Its implementing OPDs, in the register's order.")
    pks_count: int = Field(description="How many PKS implement it (for a KB); 0 otherwise.")
    pks_since: IsoDate | None = Field(
        description="For a KB: when its first PKS was signed (or began), ISO 8601 date; "
        "null when it has none."
    )
    ends_on_inherited: bool = Field(
        description="True for an adendum without an end of its own: ends_on is then the "
        "end of the document it amends."
    )


class ChangeRecord(Record):
    """One field a command changed, as its history keeps it."""

    field: str = Field(
        description="The field changed: its snake_case name ('value'); of an evaluation, "
        "as its history names it ('evaluasi 2021: level')."
    )
    old: str | None = Field(description="The value before, as text; null when it had none.")
    new: str | None = Field(description="The value after, as text; null when cleared.")


class AgreementChange(Record):
    """What a command that writes an agreement did."""

    id: int = Field(description="The id of the agreement written (a new one's, when created).")
    doc_type: DocType = Field(description=f"Its document type: {ref_words('doc-types')}.")
    number: str = Field(description="Its number.")
    created: bool = Field(
        description="True when the command created it (add-*, or `extend --number`)."
    )
    changes: list[ChangeRecord] = Field(
        description="Each field changed, in order; empty when nothing changed."
    )


class HistoryEntry(Record):
    """One line of an agreement's history."""

    at: IsoDateTime = Field(description="When, ISO 8601 date-time in UTC (Z), to the second.")
    user: str = Field(description="The login name of who ran the command.")
    command: str = Field(description="The kerjasama command that made the change.")
    field: str = Field(
        description="What changed: a field's name, or what happened ('dibuat' when it was "
        "created, 'evaluasi 2021: level' for an evaluation)."
    )
    old: str | None = Field(description="The value before, as text; null when it had none.")
    new: str | None = Field(description="The value after, as text; null when cleared.")


class HistoryRecord(Record):
    """An agreement and every change ever made to it."""

    agreement: AgreementRecord = Field(description="The agreement as it is today.")
    history: list[HistoryEntry] = Field(description="Every change, oldest first.")


class DueGroups(Record):
    """The agreements ending soon, grouped: 'overdue', then one group per limit in
    days ('7', '30', '60', '90', each below --within, and the --within days
    itself), each holding those ending within it and not in an earlier group."""

    model_config = ConfigDict(extra="allow", json_schema_extra=other_keys_named("^[0-9]+$"))
    __pydantic_extra__: dict[str, list[AgreementRecord]]

    overdue: list[AgreementRecord] = Field(
        description="Ended within --overdue-days with nothing decided (not extended, "
        "renewed or terminated), by end date."
    )


class OverdueForm(Record):
    """An OPD whose evaluation form (evaluate YEAR --forms) is past its deadline."""

    unit: str = Field(description="The OPD's name.")
    year: int = Field(description="The evaluation year of the form.")
    sent_on: IsoDate = Field(description="When the form was last sent, ISO 8601 date.")
    due_on: IsoDate = Field(description="The deadline it gave, ISO 8601 date.")
    in_force: int = Field(description="Its agreements in force during that year.")
    answered: int = Field(description="How many of them have an answer (any state).")


class DueRecord(Record):
    """What needs attention on a date."""

    as_of: IsoDate = Field(description="The date it is worked out for, ISO 8601 date.")
    within_days: int = Field(description="How many days ahead it looks (--within).")
    groups: DueGroups = Field(description="The agreements ending soon or overdue, by group.")
    kb_without_pks: list[AgreementRecord] = Field(
        description="The KBs in force that no PKS implements yet."
    )
    overdue_forms: list[OverdueForm] = Field(
        description="The OPDs whose evaluation form is past its deadline with agreements "
        "unanswered, by year and name; empty when none."
    )


class CheckProblem(Record):
    """One problem `kerjasama check` finds in the register."""

    code: str = Field(
        description="What is wrong, as a stable code (e.g. 'pks-outlives-kb', "
        "'end-before-start', 'missing-end-date')."
    )
    severity: Literal["error", "warning"] = Field(
        description="'error': the register contradicts itself; 'warning': it is incomplete."
    )
    agreement_id: int = Field(description="The id of the agreement concerned.")
    number: str = Field(description="Its number.")
    message: str = Field(description="The problem, in one line of English.")
