"""The records of what the register accepts and how it is set up: the
vocabularies (`kerjasama ref`), the office's settings (`config show`), and the
list of these schemas themselves (`kerjasama schema`)."""

from typing import Annotated, Literal

from pydantic import ConfigDict, StringConstraints
from sqlmodel import Field

from kerjasama_cli.contract.common import BidangGroup, OneOf, Record
from kerjasama_cli.settings import PAPERS

Paper = Annotated[str, OneOf(PAPERS)]
Digits = Annotated[str, StringConstraints(pattern=r"^[0-9]+$")]
SETTING = "as `config set` stored it; an empty string when not set"


class VocabularyTerm(Record):
    """One accepted value of a vocabulary."""

    code: str = Field(description="The code the register stores and scripts see.")
    label: str = Field(description="The Indonesian label reports show.")
    aliases: list[str] = Field(
        description="Other spellings accepted for it (any case and spacing); empty when none."
    )


class BidangRecord(Record):
    """One bidang urusan of UU 23/2014, or a supporting function."""

    name: str = Field(description="The official name: what the register stores and reports print.")
    group: BidangGroup = Field(description="The group of government affairs it belongs to.")
    aliases: list[str] = Field(
        description="Other names accepted for it (any case and spacing); empty when none."
    )


DateOrEmpty = Annotated[str, StringConstraints(pattern=r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]


class ConfigRecord(Record):
    """Every setting of the office and its value, each as text."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    region: str = Field(description=f"The region, e.g. 'Kabupaten Tanggamus', {SETTING}.")
    office: str = Field(description=f"The office, {SETTING}.")
    signatory_name: str = Field(
        alias="signatory-name", description=f"Who signs the report, {SETTING}."
    )
    signatory_nip: str = Field(
        alias="signatory-nip", description=f"The signatory's NIP, {SETTING}."
    )
    signatory_title: str = Field(
        alias="signatory-title", description=f"The signatory's position, {SETTING}."
    )
    place: str = Field(description=f"Where the report is signed, {SETTING}.")
    evaluator: str = Field(
        description=f"Who records evaluations unless --evaluator says, {SETTING}."
    )
    paper: Paper = Field(description="The paper printed exports are set for (default a4).")
    evaluation_due: DateOrEmpty = Field(
        alias="evaluation-due",
        description="The deadline the OPDs' evaluation forms give, an ISO 8601 date; "
        "an empty string when not set.",
    )
    contact: str = Field(description=f"Where OPDs send their forms back, {SETTING}.")
    warning_days: Digits = Field(
        alias="warning-days",
        description="Days before its end that an agreement reads 'akan-berakhir': a whole "
        "number written as text (default '90').",
    )


class SchemaEntry(Record):
    """One JSON Schema of the contract, as `kerjasama schema` lists it."""

    name: str = Field(description="Its name, for `kerjasama schema NAME`.")
    commands: list[str] = Field(description="The commands whose --json output it describes.")
    shape: Literal["record", "list"] = Field(
        description="'record': the output is one JSON object; 'list': an array of them."
    )
    description: str = Field(description="What the output is, in one sentence.")
