"""Rupiah as offices type it: dot thousands, comma sen, "Rp 1,25 miliar", ",-"."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from kerjasama_cli.errors import InvalidValue

_MONEY_SCALE = {
    "ribu": Decimal(1_000),
    "rb": Decimal(1_000),
    "juta": Decimal(1_000_000),
    "jt": Decimal(1_000_000),
    "miliar": Decimal(1_000_000_000),
    "milyar": Decimal(1_000_000_000),
    "m": Decimal(1_000_000_000),
    "triliun": Decimal(1_000_000_000_000),
    "t": Decimal(1_000_000_000_000),
}
_CURRENCY_PREFIX = re.compile(r"^(rp\.?|idr)\s*", re.IGNORECASE)
_DOT_GROUPS = re.compile(r"\d{1,3}(\.\d{3})+")
# English grouping is read only when unmistakable ("1,250,000"): "1,255" could be
# a mistyped decimal, and a wrong amount in the register is worse than a question.
_COMMA_GROUPS = re.compile(r"\d{1,3}(,\d{3}){2,}")
MONEY_FORMS = "1250000, 1.250.000, Rp 1.250.000,00 or Rp 1,25 miliar"


def parse_money(text: str, *, field: str = "value", label: str | None = None) -> Decimal:
    """Read a Rupiah amount: dots group thousands, a comma starts the sen.

    >>> parse_money("Rp 1.250.000,50")
    Decimal('1250000.50')
    """
    raw = text

    def invalid(reason: str = "is not an amount of money") -> InvalidValue:
        return InvalidValue(field, raw, reason, label=label, hint=f"write it as {MONEY_FORMS}")

    value = _CURRENCY_PREFIX.sub("", text.strip())
    # "Rp 1.250.000,-" is how cheques and contracts close an amount.
    value = value.replace("\u00a0", " ").strip()
    if value.endswith(",-") or value.endswith(".-"):
        value = value[:-2].strip()
    scale = Decimal(1)
    words = value.lower().split()
    if len(words) == 2 and words[1] in _MONEY_SCALE:
        scale = _MONEY_SCALE[words[1]]
        value = words[0]
    value = value.replace(" ", "")
    if not value or value.startswith("-"):
        raise invalid("is not a positive amount" if value.startswith("-") else "is empty")

    if "," in value and "." in value:
        whole, _, sen = value.rpartition(",")
        if not _DOT_GROUPS.fullmatch(whole) or not sen.isdigit():
            raise invalid()
        number = whole.replace(".", "") + "." + sen
    elif "," in value:
        whole, _, sen = value.rpartition(",")
        if _COMMA_GROUPS.fullmatch(value) and scale == 1:
            number = value.replace(",", "")  # English grouping: 1,250,000
        elif whole.isdigit() and sen.isdigit():
            number = whole + "." + sen
        else:
            raise invalid()
    elif "." in value:
        if _DOT_GROUPS.fullmatch(value):
            number = value.replace(".", "")
        elif re.fullmatch(r"\d+\.\d{1,2}", value):
            number = value  # a machine-written decimal such as 1250000.5
        else:
            raise invalid()
    elif value.isdigit():
        number = value
    else:
        raise invalid()
    try:
        amount = Decimal(number) * scale
    except InvalidOperation:
        raise invalid() from None
    return _exact_rupiah(amount, invalid)


# A register stores whole sen in 64 bits; no agreement is worth a thousand trillion.
MAX_RUPIAH = Decimal(10) ** 15


def _exact_rupiah(amount: Decimal, invalid: Callable[[str], InvalidValue]) -> Decimal:
    if not amount.is_finite() or amount < 0:
        raise invalid("is not a positive amount")
    if amount > MAX_RUPIAH:
        raise invalid("is more than Rp 1.000.000.000.000.000: a typing error?")
    if amount != amount.quantize(Decimal("0.01")):
        raise invalid("has more than two decimals (sen)")
    return amount.quantize(Decimal("0.01")) if amount % 1 else amount.quantize(Decimal(1))


def rupiah_from_number(
    number: float | Decimal, *, field: str = "value", label: str | None = None
) -> Decimal:
    """A spreadsheet's numeric cell as Rupiah, held to the same rules as typed text."""

    def invalid(reason: str = "is not an amount of money") -> InvalidValue:
        return InvalidValue(field, number, reason, label=label)

    try:
        amount = Decimal(str(number))
    except InvalidOperation:
        raise invalid() from None
    return _exact_rupiah(amount, invalid)


def format_rupiah(amount: Decimal, *, with_sen: bool = False) -> str:
    """'Rp 1.250.000' (dot thousands, comma sen)."""
    quantum = Decimal("0.01") if with_sen or amount % 1 else Decimal(1)
    text = f"{amount.quantize(quantum):,}"
    return "Rp " + text.replace(",", "_").replace(".", ",").replace("_", ".")
