"""Reading an agreement's fields from what people type, and settling them together.

One reader per field serves the commands' options and the import's cells; the
labels say how the user named the field in messages (an option or a column).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
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


def _money(value: str, field_name: str, label: str) -> Decimal:
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
    "signed_on": _date,
    "starts_on": _date,
    "ends_on": _date,
    "term_text": _text,
    "value": _money,
    "funding": _vocab(vocab.FUNDING),
    "dprd": _vocab(vocab.DPRD),
    "dprd_number": _text,
    "dprd_date": _date,
    "note": _text,
}
REQUIRED = ("number", "title")


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

    Works the end date out of the term (when ``derive`` and no end was typed),
    reads a DPRD approval number or date as approval, and raises InvalidValue
    for an end before the start or a KSDD category on another kind.
    """
    start = values.get("starts_on") or values.get("signed_on")
    if (
        derive
        and values.get("term_text")
        and (values.get("ends_on") is None or values.get("ends_on_derived"))
    ):
        derived = parse.derive_end(values["term_text"], start)
        if derived is not None:
            values["ends_on"], values["ends_on_derived"] = derived, True
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


