"""Reading the dates, amounts and terms that Indonesian offices type.

One parser serves CLI options and imports alike. Each function returns a value
or raises ``InvalidValue`` naming the field and the text; none guesses silently.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from kerjasama_cli.errors import InvalidValue

MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
DAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _month_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for number, (indonesian, english) in enumerate(zip(MONTHS_ID, MONTHS_EN, strict=True), 1):
        for name in (indonesian, english):
            table[name.lower()] = number
            table[name.lower()[:3]] = number
    # Older official spellings and common abbreviations.
    table.update(
        {
            "pebruari": 2,
            "peb": 2,
            "pebr": 2,
            "febr": 2,
            "agt": 8,
            "agu": 8,
            "ags": 8,
            "sept": 9,
            "okt": 10,
            "nopember": 11,
            "nop": 11,
            "nov": 11,
            "des": 12,
        }
    )
    return table


_MONTHS = _month_table()
_WEEKDAYS = (
    {name.lower(): index for index, name in enumerate(DAYS_ID)}
    | {name.lower(): index for index, name in enumerate(DAYS_EN)}
    | {"jum'at": 4, "ahad": 6}
)

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_NUMERIC = re.compile(r"(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{2,4})")
_WORDED = re.compile(r"(\d{1,2})\s*[-\s.]\s*([a-z']+)\.?\s*[-\s.,]\s*(\d{2,4})")
_WORDED_EN = re.compile(r"([a-z']+)\.?\s+(\d{1,2}),?\s+(\d{4})")
_WEEKDAY_PREFIX = re.compile(r"^([a-z']+)\s*,\s*")

DATE_FORMS = "2021-08-19, 19/8/2021, 19-08-2021, 19 Agustus 2021 or Kamis, 19 Agustus 2021"


def parse_date(text: str, *, field: str = "date", label: str | None = None) -> date:
    """Read a date in any form an Indonesian office writes it.

    >>> parse_date("Kamis, 19 Agustus 2021")
    datetime.date(2021, 8, 19)
    """
    raw = text
    value = " ".join(text.strip().lower().split())
    weekday: int | None = None
    prefix = _WEEKDAY_PREFIX.match(value)
    if prefix and prefix.group(1) in _WEEKDAYS:
        weekday = _WEEKDAYS[prefix.group(1)]
        value = value[prefix.end() :]

    def invalid(reason: str = "is not a date") -> InvalidValue:
        return InvalidValue(field, raw, reason, label=label, hint=f"write it as {DATE_FORMS}")

    year = month = day = 0
    if match := _ISO.fullmatch(value):
        year, month, day = (int(g) for g in match.groups())
    elif match := _NUMERIC.fullmatch(value):
        day, month, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
        if len(match.group(4)) != 4:
            raise invalid("has a two-digit year; write all four digits")
    elif (match := _WORDED.fullmatch(value)) or (match := _WORDED_EN.fullmatch(value)):
        groups = match.groups()
        day_text, month_text, year_text = (
            (groups[0], groups[1], groups[2])
            if groups[0].isdigit()
            else (groups[1], groups[0], groups[2])
        )
        if month_text not in _MONTHS:
            raise invalid(f"has no month called {month_text!r}")
        if len(year_text) != 4:
            raise invalid("has a two-digit year; write all four digits")
        day, month, year = int(day_text), _MONTHS[month_text], int(year_text)
    else:
        raise invalid()

    if not 1 <= month <= 12:
        raise invalid(f"has no month {month}")
    if not 1900 <= year <= 2200:
        raise invalid(f"has an unlikely year {year}")
    last_day = monthrange(year, month)[1]
    if not 1 <= day <= last_day:
        raise invalid(f"is not a date: {MONTHS_ID[month - 1]} {year} has {last_day} days")
    result = date(year, month, day)
    if weekday is not None and result.weekday() != weekday:
        actual = DAYS_ID[result.weekday()]
        raise invalid(f"names the wrong weekday: {format_date_id(result)} is a {actual}")
    return result


def format_date_id(value: date) -> str:
    """'19 Agustus 2021'."""
    return f"{value.day} {MONTHS_ID[value.month - 1]} {value.year}"


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


_NUMBER_WORDS = {
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
    "sepuluh": 10,
    "sebelas": 11,
    "dua belas": 12,
    "dua puluh": 20,
    "tiga puluh": 30,
}
_DURATION = re.compile(
    r"(?:(?:selama|jangka waktu)\s+)?(\d+|[a-z ]+?)\s*(?:\(\s*[a-z ]+\s*\)\s*)?"
    r"(tahun|thn|th|bulan|bln|hari)\b"
)
_UNTIL = re.compile(
    r"(?:sampai\s+dengan|sampai|hingga|s\.?\s*/?\s*d\.?)\s+(?:tahun\s+|akhir\s+tahun\s+)?(.+)"
)


def _duration_amount(text: str) -> int | None:
    text = text.strip()
    if text.isdigit():
        return int(text)
    return _NUMBER_WORDS.get(text)


def add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, monthrange(year, month)[1]))


def derive_end(term_text: str, start: date | None) -> date | None:
    """The end date a free-text term implies, or None when it implies none.

    "5 (lima) tahun" from 19 Aug 2021 ends 18 Aug 2026 (the day before the
    anniversary: a term of N years counts the signing day as its first day);
    "sampai dengan tahun 2024" ends 31 Dec 2024; "s.d. 30 Juni 2025" ends then.
    """
    meaning = term_meaning(term_text)
    if meaning is None:
        return None
    if isinstance(meaning, date):
        return meaning
    if start is None:
        return None
    months, days = meaning
    return add_months(start, months) + timedelta(days=days - 1)


@lru_cache(maxsize=4096)
def term_meaning(term_text: str) -> date | tuple[int, int] | None:
    """A term as a fixed end date, or as (months, days) from its start; None if neither.

    Cached: a register repeats a handful of terms ("5 (lima) tahun") thousands of times.
    """
    text = " ".join(term_text.strip().lower().split())
    if not text:
        return None
    if until := _UNTIL.search(text):
        target = until.group(1).strip().rstrip(".")
        if re.fullmatch(r"\d{4}", target):
            return date(int(target), 12, 31)
        try:
            return parse_date(target)
        except InvalidValue:
            return None
    total_months = 0
    days = 0
    found = False
    for match in _DURATION.finditer(text):
        amount = _duration_amount(match.group(1))
        if amount is None:
            continue
        found = True
        unit = match.group(2)
        if unit in ("tahun", "thn", "th"):
            total_months += 12 * amount
        elif unit in ("bulan", "bln"):
            total_months += amount
        else:
            days += amount
    if not found or (total_months == 0 and days == 0):
        return None
    return total_months, days


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


def now_utc() -> datetime:
    from datetime import UTC

    return datetime.now(UTC).replace(tzinfo=None)
