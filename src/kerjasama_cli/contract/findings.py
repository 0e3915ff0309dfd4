"""The records of the findings (temuan) and their follow-up log."""

from sqlmodel import Field

from kerjasama_cli.contract.common import (
    FindingCategory,
    FindingStatus,
    IsoDate,
    IsoDateTime,
    Record,
)

CATEGORY = "one of the codes `finding add --category` takes"
STATUS = "one of the codes `finding update --status` takes"


class FindingNote(Record):
    """One line of a finding's follow-up log."""

    at: IsoDateTime | None = Field(
        description="When, ISO 8601 date-time in UTC (Z), to the second; null only on the "
        "closing line of a finding seen as of a date before it was closed, when no line "
        "was written after that date."
    )
    user: str | None = Field(description="The login name of who wrote it; null where at is null.")
    status: FindingStatus | None = Field(
        description=f"The finding's status from then on, {STATUS}; null when the line "
        "changed no status."
    )
    note: str | None = Field(description="What was done; null when nothing was written.")


class FindingRecord(Record):
    """A finding raised on an agreement, with its follow-up."""

    id: int = Field(description="The finding's number (#), as `finding update ID` takes it.")
    agreement_id: int = Field(description="The id of the agreement it was raised on.")
    number: str = Field(description="That agreement's number.")
    title: str = Field(description="That agreement's title.")
    year: int = Field(description="The evaluation year that raised it.")
    category: FindingCategory = Field(description=f"Its category, {CATEGORY}.")
    text: str = Field(description="What was found (uraian).")
    recommendation: str | None = Field(description="What is recommended; null when nothing.")
    owner: str | None = Field(
        description="The OPD that must follow it up; null when none is named."
    )
    due_on: IsoDate | None = Field(description="Its deadline, ISO 8601 date; null when none.")
    status: FindingStatus = Field(
        description=f"Its status, {STATUS}; on a board or in an export, the status it had "
        "on the document's date."
    )
    closed_on: IsoDate | None = Field(
        description="When it was closed, ISO 8601 date; null while open."
    )
    rule: str | None = Field(
        description="The automatic rule that raised it (as AutomaticFinding.rule); null for "
        "one raised by hand."
    )
    notes: list[FindingNote] = Field(description="Its follow-up log, oldest first.")
    later_status: FindingStatus | None = Field(
        description="Seen as of a date before it was closed (a board, an export): its "
        f"status now, {STATUS}; else null."
    )
    seen_day: IsoDate | None = Field(
        description="The date it is seen as of, when later_status is set, ISO 8601 date; else null."
    )
    later_note: str | None = Field(
        description="The note written when it was closed after seen_day; else null."
    )
    last_note: str | None = Field(
        description="The last note of its log that says something; null when none does."
    )


class FindingAdded(Record):
    """The finding `finding add` raised."""

    id: int = Field(description="The new finding's number (#), as `finding update ID` takes it.")
