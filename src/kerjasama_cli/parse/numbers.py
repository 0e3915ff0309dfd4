"""Whole numbers and percentages as people type them."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from kerjasama_cli.errors import InvalidValue


def parse_int(
    text: str, *, field: str, label: str | None = None, low: int = 0, high: int = 10**9
) -> int:
    try:
        number = int(text.strip())
    except ValueError:
        raise InvalidValue(field, text, "is not a whole number", label=label) from None
    if not low <= number <= high:
        raise InvalidValue(field, text, f"must be between {low} and {high}", label=label)
    return number


_PERCENT = re.compile(r"^(\d{1,3}(?:[.,]\d+)?)\s*(%|persen|percent)?$")
PERCENT_FORMS = "75, 75%, 75 %, 60 persen or 0,75"


def percent_from_number(number: float | Decimal | int, *, fraction: bool) -> int | None:
    """A number as a whole percentage: ``fraction`` (a cell formatted as a percentage,
    or "0,75" typed) counts 1 as 100%; None when it is not a percentage at all."""
    try:
        value = Decimal(str(number))
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    if fraction:
        value *= 100
    whole = int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return whole if 0 <= whole <= 100 else None


def parse_percent(text: str, *, field: str = "progress", label: str | None = None) -> int:
    """How far something got, as a whole percentage: "75", "75%", "75 %", "60 persen",
    and "0,75" (a fraction of one, as a cell formatted as a percentage holds it).

    >>> parse_percent("0,75"), parse_percent("60 persen"), parse_percent("87,5%")
    (75, 60, 88)
    """
    match = _PERCENT.fullmatch(" ".join(text.strip().lower().split()))
    if match is None:
        raise InvalidValue(
            field, text, "is not a percentage", label=label, hint=f"write it as {PERCENT_FORMS}"
        )
    number = Decimal(match.group(1).replace(",", "."))
    fraction = match.group(2) is None and 0 < number < 1
    result = percent_from_number(number, fraction=fraction)
    if result is None:
        raise InvalidValue(field, text, "must be between 0 and 100 (%)", label=label)
    return result
