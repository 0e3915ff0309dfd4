"""Reading an agreement's fields from what people type, and settling them together.

One reader per field serves the commands' options and the import's cells; the
labels say how the user named the field in messages (an option or a column).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from kerjasama_cli import parse, vocab
from kerjasama_cli.db.models import (
    agreement_table,
    evaluation_table,
    finding_table,
    partner_table,
    unit_table,
)
from kerjasama_cli.errors import InvalidValue

CLEAR = ("", "-", "–", "—")  # in a file's cell: "unknown / no value"
DASHES = CLEAR[1:]  # typed in an option: "remove this value" (an empty option is refused)
CLEAR_HINT = "is empty; to clear it, give -"


# ------------------------------------------------------------------ text checks

# What is not text: control characters (a workbook refuses them, PostgreSQL
# refuses NUL, a terminal obeys ESC), lone surrogates (bytes that were not UTF-8,
# as a terminal in another encoding passes them) and the two non-characters.
# Tab and line breaks (LF, CR) are text: titles in spreadsheets carry line breaks.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# Where each typed text is kept. PostgreSQL refuses a value longer than its
# column's VARCHAR(n) where SQLite keeps it whole, so the columns' lengths are
# checked on input, alike on both: a valid SQLite register always copies to
# PostgreSQL. TEXT columns have no limit; they are listed so that one made
# VARCHAR(n) later is checked without another change here.
_STORED_IN = {
    "number": agreement_table.c.number,
    "partner_number": agreement_table.c.partner_number,
    "title": agreement_table.c.title,
    "scope": agreement_table.c.scope,
    "term_text": agreement_table.c.term_text,
    "dprd_number": agreement_table.c.dprd_number,
    "note": agreement_table.c.note,
    "parent_number": agreement_table.c.unresolved_parent,
    "file_path": agreement_table.c.file_path,
    "termination_reason": agreement_table.c.termination_reason,
    "region": agreement_table.c.region,
    "partners": partner_table.c.name,
    "units": unit_table.c.name,
    "owner": unit_table.c.name,
    "follow_up": evaluation_table.c.follow_up,
    "obstacles": evaluation_table.c.obstacles,
    "benefit": evaluation_table.c.benefit,
    "added_value": evaluation_table.c.added_value,
    "evidence": evaluation_table.c.evidence,
    "verified_by": evaluation_table.c.verified_by,
    "evaluator": evaluation_table.c.evaluator,
    "text": finding_table.c.text,
    "recommendation": finding_table.c.recommendation,  # an evaluation's is a code
}
MAX_LENGTHS: dict[str, int] = {
    name: length
    for name, column in _STORED_IN.items()
    if (length := getattr(column.type, "length", None)) is not None
}
# Found by a case-folded key of the same length (number_key, name_key): "ß" folds
# to "ss", so a name that fits may still have a key that does not.
_KEYED = frozenset({"number", "partners", "units", "owner"})


def check_text(name: str, value: str, label: str) -> str:
    """``value``, if it may be stored as field ``name``; else InvalidValue naming ``label``.

    Refuses a control character (tab and line breaks are text) and a value longer
    than its column holds (MAX_LENGTHS, from the tables). Cheap enough for every
    cell of an import: one precompiled search and one dictionary lookup.
    """
    found = _NOT_TEXT.search(value)
    if found is not None:
        raise _not_text(name, value, label, found)
    limit = MAX_LENGTHS.get(name)
    if limit is not None:
        length = len(value)
        if length <= limit and name in _KEYED and not value.isascii():
            folded = len(value.casefold())
            if folded > limit:
                raise InvalidValue(
                    name,
                    _short(value),
                    f"is {folded} characters long once its case is folded to find it "
                    f"(ß is ss); at most {limit} fit",
                    label=label,
                )
        if length > limit:
            raise InvalidValue(
                name,
                _short(value),
                f"is {length} characters long; at most {limit} fit",
                label=label,
                hint="shorten it (a longer text fits in the note)",
            )
    return value


def check_controls(name: str, value: str, label: str) -> None:
    """Only the control-character half of check_text: for text read into something
    else (a date, a vocabulary word), whose own length is not what is stored."""
    found = _NOT_TEXT.search(value)
    if found is not None:
        raise _not_text(name, value, label, found)


def _not_text(name: str, value: str, label: str, found: re.Match[str]) -> InvalidValue:
    char = found.group()
    code = f"U+{ord(char):04X}"
    where = f" at character {found.start() + 1}"
    if "\ud800" <= char <= "\udfff":
        reason = f"contains a byte that is not UTF-8 text ({code}){where}"
        hint = "type it again in a UTF-8 terminal, or save the file as UTF-8"
    elif char in "\ufffe\uffff":
        reason = f"contains a non-character ({code}){where}"
        hint = "remove it; it is no letter of any script"
    else:
        reason = f"contains a control character ({code}){where}"
        hint = "remove it: of the control characters only tab and line breaks are text"
    return InvalidValue(name, _short(value), reason, label=label, hint=hint)


def _short(value: str, keep: int = 60) -> str:
    """A long value as messages quote it: its start, and how long it is."""
    return value if len(value) <= keep else f"{value[:keep]}... ({len(value)} characters)"


def refuse_empty(name: str, text: str, label: str, *, clears: bool = True) -> str:
    """``text`` unless it is empty: an empty option never clears a value silently;
    '-' does (``clears``: the option can clear something)."""
    if not text.strip():
        raise InvalidValue(
            name,
            text,
            CLEAR_HINT if clears else "is empty",
            label=label,
            hint=None if clears else f"give a value, or leave {label} out",
        )
    return text


def read_names(names: Iterable[str], name: str, label: str) -> list[str]:
    """Partners or OPDs as given in options: each once; '-' alone names none (it
    clears the list in update); an empty name is refused, as is one too long."""
    kept = []
    for raw in names:
        refuse_empty(name, raw, label)
        if raw.strip() in DASHES:
            continue
        check_controls(name, raw, label)
        kept.append(check_text(name, vocab.clean_name(raw), label))
    return vocab.unique(kept)


@dataclass(frozen=True)
class PartnerSpec:
    name: str
    kind: str | None = None


# How each field is read from text. The labels say how the user named it in
# error messages (an option for the CLI, a column for imports).
def _text(value: str, field_name: str, label: str) -> str:
    if "\n" in value:
        return check_text(field_name, value.strip(), label)
    cleaned = " ".join(value.split())
    if cleaned != value:  # str.split() takes \x0b, \x1c-\x1f for white space
        check_controls(field_name, value, label)
    return check_text(field_name, cleaned, label)


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
    """One field's value from text: None when not given or '-' (unknown / clear it).

    An empty text is refused ("is empty; to clear it, give -"), as is one with a
    control character, or longer than the field is kept in (check_text).
    """
    if text is None:
        return None
    label = label or name
    refuse_empty(name, text, label)
    check_controls(name, text, label)  # before strip() takes \x0b, \x1c-\x1f for space
    clean = text.strip()
    if clean in DASHES:
        return None
    return FIELD_READERS[name](clean, name, label)


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
    names: Iterable[str],
    kinds: Sequence[str] = (),
    *,
    label: str = "--partner-kind",
    names_label: str = "--partner",
) -> list[PartnerSpec]:
    """Partners with their kinds: one kind for all, or one kind per partner in order.

    Names are checked as read_names checks them ('-' alone names none)."""
    cleaned = read_names(names, "partners", names_label)
    for kind in kinds:
        refuse_empty("partner_kind", kind, label, clears=False)
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
