"""The JSON contract: a JSON Schema (draft 2020-12) for every `--json` output.

Each JSON record the CLI prints is declared once, as a pydantic model (a
SQLModel class without a table) with a description of every key; the schema
of a command's whole output is generated from it, so scripts can validate what
they get, and the tests hold every output to its schema. A key added, renamed
or dropped in an output no longer fits: the change is then made here on
purpose, and announced.

- ``common``      the base record, dates, money, the vocabulary's codes as enums
- ``agreements``  an agreement, what a write did, history, due, check
- ``evaluation``  an evaluation, the year's numbers, the board
- ``findings``    findings and their follow-up log
- ``imports``     import and merge summaries
- ``reference``   vocabularies, settings, this list of schemas
- ``export``      the export file

This module holds the registry: each schema's name, the commands whose output
it describes, and its shape (one record or a list of records).
"""

from dataclasses import dataclass
from types import GenericAlias
from typing import Any, Literal

from kerjasama_cli.contract.agreements import (
    AgreementChange,
    AgreementRecord,
    CheckProblem,
    DueRecord,
    HistoryRecord,
)
from kerjasama_cli.contract.common import ContractSchema, Record
from kerjasama_cli.contract.evaluation import (
    BoardRecord,
    EvaluationChange,
    FormSent,
    StateChange,
)
from kerjasama_cli.contract.export import ExportFile
from kerjasama_cli.contract.findings import FindingAdded, FindingRecord
from kerjasama_cli.contract.imports import ImportSummary, MergeSummary
from kerjasama_cli.contract.reference import (
    BidangRecord,
    ConfigRecord,
    SchemaEntry,
    VocabularyTerm,
)
from kerjasama_cli.errors import NotFound

DIALECT = "https://json-schema.org/draft/2020-12/schema"

# The vocabularies `kerjasama ref NAME --json` prints as terms (bidang has its own).
REF_VOCABULARIES = (
    "doc-types",
    "kinds",
    "partner-kinds",
    "funding",
    "dprd",
    "statuses",
    "ksdd-categories",
    "levels",
    "recommendations",
)
WRITES = ("add-mou", "add-pks", "add-adendum", "update REF", "extend REF", "terminate REF")


@dataclass(frozen=True)
class Contract:
    """One schema: the output of ``commands`` (each as typed after `kerjasama`)."""

    name: str
    commands: tuple[str, ...]
    shape: Literal["record", "list"]
    model: type[Record]
    summary: str


CONTRACTS: dict[str, Contract] = {
    contract.name: contract
    for contract in (
        Contract(
            "agreement", ("show REF --json",), "record", AgreementRecord, "One agreement in full."
        ),
        Contract(
            "agreement-list",
            ("list --json", "list --format json"),
            "list",
            AgreementRecord,
            "The agreements listed, each in full.",
        ),
        Contract(
            "agreement-change",
            tuple(f"{command} --json" for command in WRITES),
            "record",
            AgreementChange,
            "What a command that writes an agreement did.",
        ),
        Contract(
            "history",
            ("history REF --json",),
            "record",
            HistoryRecord,
            "An agreement and every change ever made to it.",
        ),
        Contract(
            "due",
            ("due --json",),
            "record",
            DueRecord,
            "The agreements that need attention: ending soon, overdue, KBs without PKS.",
        ),
        Contract(
            "check",
            ("check --json",),
            "list",
            CheckProblem,
            "The problems found in the register (an empty list when none).",
        ),
        Contract(
            "evaluation-change",
            ("evaluate YEAR REF --json",),
            "record",
            EvaluationChange,
            "What recording one agreement's evaluation did.",
        ),
        Contract(
            "board",
            ("evaluate YEAR --json",),
            "record",
            BoardRecord,
            "The year's evaluation board: agreements by OPD, numbers, findings.",
        ),
        Contract(
            "evaluation-states",
            ("evaluate YEAR --verify REF... --json", "evaluate YEAR REF --return-to-opd --json"),
            "list",
            StateChange,
            "The evaluations the TKKSD verified or returned to their OPD.",
        ),
        Contract(
            "forms",
            ("evaluate YEAR --forms --json",),
            "list",
            FormSent,
            "The OPDs' evaluation forms written, one per OPD.",
        ),
        Contract(
            "finding-added",
            ("finding add REF --json",),
            "record",
            FindingAdded,
            "The finding raised.",
        ),
        Contract(
            "finding",
            ("finding update ID --json",),
            "record",
            FindingRecord,
            "The finding followed up, as it is now.",
        ),
        Contract(
            "finding-list", ("finding list --json",), "list", FindingRecord, "The findings listed."
        ),
        Contract(
            "import",
            ("import FILE... --json", "import FILE... --dry-run --json"),
            "list",
            ImportSummary,
            "What importing each file did (or would do).",
        ),
        Contract(
            "merge",
            ("merge FILE_OR_URL... --json",),
            "list",
            MergeSummary,
            "What merging each region's register did.",
        ),
        Contract(
            "config", ("config show --json",), "record", ConfigRecord, "The office's settings."
        ),
        Contract(
            "vocabulary",
            tuple(f"ref {name} --json" for name in REF_VOCABULARIES),
            "list",
            VocabularyTerm,
            "The terms of one vocabulary.",
        ),
        Contract(
            "bidang",
            ("ref bidang --json",),
            "list",
            BidangRecord,
            "The bidang urusan and the supporting functions.",
        ),
        Contract(
            "export",
            ("export YEAR --json", "export --json"),
            "record",
            ExportFile,
            "The export file (evaluasi-kerja-sama-YEAR.json, register-kerja-sama.json).",
        ),
        Contract(
            "schema-list",
            ("schema --json",),
            "list",
            SchemaEntry,
            "The JSON Schemas of the contract.",
        ),
    )
}


def names() -> list[str]:
    return list(CONTRACTS)


def find(name: str) -> Contract:
    """The contract of that name; NotFound naming the known ones otherwise."""
    found = CONTRACTS.get(name.strip().lower())
    if found is None:
        raise NotFound(
            f"no JSON schema is named {name!r}",
            hint="choose one of: " + ", ".join(CONTRACTS) + " (see: kerjasama schema)",
        )
    return found


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the whole output the contract describes."""
    from pydantic import TypeAdapter

    contract = find(name)
    target: Any = contract.model
    if contract.shape == "list":
        target = GenericAlias(list, (contract.model,))
    generated = TypeAdapter(target).json_schema(schema_generator=ContractSchema)
    generated.pop("title", None)
    generated.pop("description", None)
    printed_by = "; ".join(f"kerjasama {command}" for command in contract.commands)
    return {
        "$schema": DIALECT,
        "title": contract.name,
        "description": f"{contract.summary} The output of: {printed_by}.",
        **generated,
    }


def catalogue() -> list[dict[str, Any]]:
    """Every schema: its name, commands, shape and summary (`kerjasama schema --json`)."""
    return [
        SchemaEntry(
            name=contract.name,
            commands=[f"kerjasama {command}" for command in contract.commands],
            shape=contract.shape,
            description=contract.summary,
        ).model_dump()
        for contract in CONTRACTS.values()
    ]
