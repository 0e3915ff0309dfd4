"""Reading an agreement's fields from what people type, and settling them together.

One reader per field serves the commands' options and the import's cells; the
labels say how the user named the field in messages (an option or a column).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from kerjasama_cli import parse, vocab
from kerjasama_cli.errors import InvalidValue

CLEAR = ("", "-", "–", "—")  # typed to mean "unknown / remove this value"


@dataclass(frozen=True)
class PartnerSpec:
    name: str
    kind: str | None = None


# How each field is read from text. The labels say how the user named it in

# error messages (an option for the CLI, a column for imports).
def _text(value: str, _field: str, _label: str) -> str:
    return " ".join(value.split()) if "\n" not in value else value.strip()


def _vocab(vocabulary: vocab.Vocabulary) -> Callable[[str, str, str], str]:
    def read(value: str, field_name: str, label: str) -> str:
        return vocabulary.match(value, field_name=field_name, label=label)

    return read


def _date(value: str, field_name: str, label: str) -> date:
    return parse.parse_date(value, field=field_name, label=label)


def _period_start(value: str, field_name: str, label: str) -> date:
    """A signing or start date: a whole date, or a month or year (its first day)."""
    return parse.parse_partial_date(value, field=field_name, label=label)


def _period_end(value: str, field_name: str, label: str) -> date:
    """An end date: a whole date, or a month or year (its last day); or written as a
    term would be ("Sampai dengan tanggal 31 Desember 2024")."""
    try:
        return parse.parse_partial_date(value, field=field_name, label=label, end=True)
    except InvalidValue:
        try:
            meaning = parse.term_meaning(value)
        except InvalidValue:
            meaning = None
        if meaning is not None and meaning.end is not None and meaning.start is None:
            return meaning.end
        raise


class _NoValue:
    """What "Tidak ada", "Non Anggaran", "Nihil" in a value mean: no amount, and no
    funding needed (settle() turns it into both)."""

    def __repr__(self) -> str:
        return "NO_VALUE"

    def __reduce__(self) -> str:
        return "NO_VALUE"


NO_VALUE: Any = _NoValue()


def _money(value: str, field_name: str, label: str) -> Any:
    # An amount starts with a digit or "Rp"; only words may mean "no value".
    if (
        not value[:1].isdigit()
        and value[:2].casefold() != "rp"
        and vocab.FUNDING.lookup(value) == "tanpa-biaya"
    ):
        return NO_VALUE
    return parse.parse_money(value, field=field_name, label=label)


def _bidang(value: str, _field: str, label: str) -> str:
    return vocab.match_bidang(value, label=label)


FIELD_READERS: dict[str, Callable[[str, str, str], Any]] = {
    "number": _text,
    "partner_number": _text,
    "title": _text,
    "scope": _text,
    "kind": _vocab(vocab.KINDS),
    "ksdd_category": _vocab(vocab.KSDD_CATEGORIES),
    "bidang": _bidang,
    "signed_on": _period_start,
    "starts_on": _period_start,
    "ends_on": _period_end,
    "term_text": _text,
    "value": _money,
    "funding": _vocab(vocab.FUNDING),
    "dprd": _vocab(vocab.DPRD),
    "dprd_number": _text,
    "dprd_date": _date,
    "note": _text,
}
REQUIRED = ("number", "title")
_PARTIAL = parse.PartialDate
# The dates that may be known only to the month or the year, each with its
# precision beside it (``signed_on_precision``: None, 'month' or 'year').
PRECISE_DATES = ("signed_on", "starts_on", "ends_on")
PRECISIONS = tuple(f"{name}_precision" for name in PRECISE_DATES)


def read_field(name: str, text: str | None, label: str | None = None) -> Any:
    """One field's value from text: None when the text means "unknown"."""
    if text is None or text.strip() in CLEAR:
        return None
    return FIELD_READERS[name](text.strip(), name, label or name)


def read_fields(
    raw: Mapping[str, str | None], labels: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Parse the given fields (None = not given); raise on the first unreadable one."""
    labels = labels or {}
    return {
        name: read_field(name, text, labels.get(name))
        for name, text in raw.items()
        if text is not None
    }



@dataclass
class Change:
    field: str
    old: str | None
    new: str | None



def as_text(value: Any) -> str | None:
    """How a value is written into history."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    return str(value)



def partner_specs(
    names: Iterable[str], kinds: Sequence[str] = (), *, label: str = "--partner-kind"
) -> list[PartnerSpec]:
    """Partners with their kinds: one kind for all, or one kind per partner in order."""
    cleaned = vocab.unique(names)
    codes = [vocab.PARTNER_KINDS.match(k, field_name="partner_kind", label=label) for k in kinds]
    if len(codes) > 1 and len(codes) != len(cleaned):
        raise InvalidValue(
            "partner_kind",
            ", ".join(kinds),
            f"gives {len(codes)} kinds for {len(cleaned)} partners",
            label=label,
            hint="give one kind for all partners, or one per --partner in order",
        )
    if len(codes) == 1:
        codes = codes * len(cleaned)
    return [
        PartnerSpec(name, codes[index] if codes else None) for index, name in enumerate(cleaned)
    ]



def settle(
    values: MutableMapping[str, Any], labels: Mapping[str, str], *, derive: bool = True
) -> None:
    """Complete and check one agreement's values, as add, update and import all do.

    Splits a date known only to its month or year into the date and its
    precision; turns a value of "Tidak ada" into no value (and, with no funding
    given, funding 'tanpa-biaya'); works the end date out of the term (when
    ``derive`` and no end was typed: "2 tahun sejak tanggal 1 Januari 2022" also
    sets the start); reads a DPRD approval number or date as approval; and
    raises InvalidValue for an end before the start or a KSDD category on
    another kind.
    """
    for name in PRECISE_DATES:
        value = values.get(name)
        if value.__class__ is _PARTIAL:  # run for every row of an import: no call
            values[name], values[f"{name}_precision"] = value.plain(), value.precision
    if values.get("value") is NO_VALUE:
        values["value"] = None
        if not values.get("funding"):
            values["funding"] = "tanpa-biaya"
    if (
        derive
        and values.get("term_text")
        and (values.get("ends_on") is None or values.get("ends_on_derived"))
    ):
        _derive_end(values, labels)
    start = values.get("starts_on") or values.get("signed_on")
    end = values.get("ends_on")
    if end is not None and start is not None and end < start:
        which = "start" if values.get("starts_on") else "signing"
        raise InvalidValue(
            "ends_on",
            end.isoformat(),
            f"is before the {which} date {start.isoformat()}",
            label=labels.get("ends_on", "ends_on"),
        )
    kind = values.get("kind")
    if values.get("ksdd_category") is not None and kind not in (None, "ksdd"):
        raise InvalidValue(
            "ksdd_category",
            values["ksdd_category"],
            f"applies to KSDD only, and this agreement is {kind}",
            label=labels.get("ksdd_category", "ksdd_category"),
        )
    if values.get("dprd_number") or values.get("dprd_date"):
        if values.get("dprd") in (None, "perlu"):
            values["dprd"] = "disetujui"  # an approval number or date means it was approved
        elif values["dprd"] != "disetujui":
            raise InvalidValue(
                "dprd",
                values["dprd"],
                "conflicts with the DPRD approval number/date given",
                label=labels.get("dprd", "dprd"),
            )




def _derive_end(values: MutableMapping[str, Any], labels: Mapping[str, str]) -> None:
    if values.get("starts_on"):
        start, precision = values["starts_on"], values.get("starts_on_precision")
    else:
        start, precision = values.get("signed_on"), values.get("signed_on_precision")
    try:
        derived = parse.derive_term(values["term_text"], start, precision)
    except InvalidValue as error:
        raise InvalidValue(
            "term_text",
            values["term_text"],
            error.reason,
            label=labels.get("term_text", "term_text"),
        ) from None
    if derived is None:
        if values.get("ends_on_derived"):  # the term changed and names no end any more
            values["ends_on"], values["ends_on_derived"] = None, False
            values["ends_on_precision"] = None
        return
    values["ends_on"], values["ends_on_derived"] = derived.end, True
    values["ends_on_precision"] = derived.precision
    if derived.start is not None and not values.get("starts_on"):
        start = derived.start
        values["starts_on"] = start.plain() if isinstance(start, parse.PartialDate) else start
        values["starts_on_precision"] = getattr(start, "precision", None)


def no_end_reason(values: Mapping[str, Any]) -> str | None:
    """Why an agreement with a term has no end date (a warning), or None."""
    term = values.get("term_text")
    if not term or values.get("ends_on") or values.get("terminated_on"):
        return None
    if parse.term_meaning(term) is not None:
        return "there is no signing or start date to count it from"
    return "the term names no end"
