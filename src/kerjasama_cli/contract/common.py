"""What every record of the JSON contract shares: the base class, dates, money,
and the codes of the vocabulary as the schema's enumerations.

A record is a pydantic model declared through SQLModel (no ``table=True``): it
describes a JSON object the CLI prints, key by key, and forbids any other key,
so a key added, renamed or dropped in an output no longer fits its schema.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import ConfigDict, GetJsonSchemaHandler, StringConstraints
from pydantic.config import JsonDict
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import CoreSchema, core_schema
from sqlmodel import SQLModel

from kerjasama_cli import vocab
from kerjasama_cli.parse.dates import PRECISIONS


class Record(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]


class ContractSchema(GenerateJsonSchema):
    """pydantic's JSON Schema, draft 2020-12, without what would mislead a reader:
    no default values (a key of the contract is present or, where a record says
    so, absent; never filled in) and no titles made up from the field names."""

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        return self.generate_inner(schema["schema"])

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


@dataclass(frozen=True)
class OneOf:
    """Annotation: the string is one of ``values`` (an ``enum`` in the schema)."""

    values: tuple[str, ...]

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        found = handler(schema)
        found["enum"] = list(self.values)
        return found


@dataclass(frozen=True)
class KeyedBy:
    """Annotation: an object whose keys are ``keys`` (each of them, with ``every``)."""

    keys: tuple[str, ...]
    every: bool = False

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        found = handler(schema)
        found["propertyNames"] = {"enum": list(self.keys)}
        if self.every:
            found["required"] = list(self.keys)
        return found


@dataclass(frozen=True)
class EveryKeyOrNone:
    """Annotation: an object with every one of ``keys``, or an empty object."""

    keys: tuple[str, ...]

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        full = handler(schema)
        full["propertyNames"] = {"enum": list(self.keys)}
        full["required"] = list(self.keys)
        return {"anyOf": [full, {"type": "object", "maxProperties": 0}]}


def other_keys_named(regex: str) -> Callable[[JsonDict], None]:
    """A record's ``json_schema_extra``: the keys it does not declare, typed by its
    ``__pydantic_extra__``, are those whose name matches ``regex``, and no other."""

    def named(schema: JsonDict) -> None:
        schema["patternProperties"] = {regex: schema.pop("additionalProperties")}
        schema["additionalProperties"] = False

    return named


def codes(vocabulary: vocab.Vocabulary) -> tuple[str, ...]:
    return tuple(vocabulary.codes)


def labels(vocabulary: vocab.Vocabulary) -> tuple[str, ...]:
    return tuple(term.label for term in vocabulary.terms)


def with_dash(values: Iterable[str]) -> tuple[str, ...]:
    """Keys of a count by code, where '-' counts the agreements that have none."""
    return (*values, "-")


# Dates and times. Every date of the contract is an ISO 8601 calendar date
# (format: date, "2024-03-13"); every moment ISO 8601 in UTC with a Z
# (format: date-time, "2026-11-28T11:02:33Z"), to the second.
IsoDate = date
IsoDateTime = datetime
# In the export file a date is written to the precision known: "2021-08-19",
# "2021-08" (known to the month) or "2021" (to the year).
DATE_AS_KNOWN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
DateAsKnown = Annotated[str, StringConstraints(pattern=DATE_AS_KNOWN)]

# Rupiah, exact: an integer when whole (every amount the office types), a number
# with the sen as decimals otherwise.
Money = float

DocType = Annotated[str, OneOf(codes(vocab.DOC_TYPES))]
Kind = Annotated[str, OneOf(codes(vocab.KINDS))]
KsddCategory = Annotated[str, OneOf(codes(vocab.KSDD_CATEGORIES))]
Bidang = Annotated[str, OneOf(codes(vocab.BIDANG))]
Funding = Annotated[str, OneOf(codes(vocab.FUNDING))]
Dprd = Annotated[str, OneOf(codes(vocab.DPRD))]
PartnerKind = Annotated[str, OneOf(codes(vocab.PARTNER_KINDS))]
Status = Annotated[str, OneOf(codes(vocab.STATUSES))]
Level = Annotated[str, OneOf(codes(vocab.LEVELS))]
Recommendation = Annotated[str, OneOf(codes(vocab.RECOMMENDATIONS))]
FindingCategory = Annotated[str, OneOf(codes(vocab.FINDING_CATEGORIES))]
FindingStatus = Annotated[str, OneOf(codes(vocab.FINDING_STATUSES))]
BidangGroup = Annotated[str, OneOf(tuple(vocab.BIDANG_GROUPS.values()))]
Precision = Annotated[str, OneOf(tuple(PRECISIONS))]

# The export file shows the labels, as its sheets do ("Kesepakatan Bersama").
DocTypeLabel = Annotated[str, OneOf(labels(vocab.DOC_TYPES))]
KindLabel = Annotated[str, OneOf(labels(vocab.KINDS))]
FundingLabel = Annotated[str, OneOf(labels(vocab.FUNDING))]
StatusLabel = Annotated[str, OneOf(labels(vocab.STATUSES))]
LevelLabel = Annotated[str, OneOf(labels(vocab.LEVELS))]
RecommendationLabel = Annotated[str, OneOf(labels(vocab.RECOMMENDATIONS))]
FindingCategoryLabel = Annotated[str, OneOf(labels(vocab.FINDING_CATEGORIES))]
FindingStatusLabel = Annotated[str, OneOf(labels(vocab.FINDING_STATUSES))]


def ref_words(command: str) -> str:
    return f"one of the codes `kerjasama ref {command}` lists"
