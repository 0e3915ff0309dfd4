"""Dates as Indonesian offices write them, whole or known only to the month or year.

One parser serves CLI options and imports alike. Each function returns a value
or raises ``InvalidValue`` naming the field and the text; none guesses silently.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import UTC, date, datetime
from typing import Any

from kerjasama_cli.errors import InvalidValue

# The years the register accepts, everywhere: a date, a term's end, an evaluation
# year, a --year filter. Anything outside is a typing error, not a document.
FIRST_YEAR, LAST_YEAR = 1900, 2200
YEARS = f"{FIRST_YEAR}-{LAST_YEAR}"


def check_year(year: int, label: str = "YEAR", *, field: str = "year") -> int:
    """``year`` if the register accepts it (FIRST_YEAR to LAST_YEAR); else InvalidValue.

    The one check behind `evaluate YEAR`, `export YEAR`, `list --year`, `finding
    add --year` and the evaluation core (exit code 2, as any unreadable value).
    """
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidValue(
            field,
            year,
            f"is not a year the register accepts ({YEARS})",
            label=label,
            hint="write all four digits, e.g. 2021",
        )
    return year


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
        if (numeric := _NUMERIC.fullmatch(value)) and 1 <= day <= 12:
            raise InvalidValue(
                field,
                raw,
                f"has no month {month}",
                label=label,
                hint=f"dates are read day first: if it was written month first, write "
                f"{numeric.group(3)}/{numeric.group(1)}/{numeric.group(4)}",
            )
        raise invalid(f"has no month {month}")
    if not FIRST_YEAR <= year <= LAST_YEAR:
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
    """'19 Agustus 2021'; 'Agustus 2021' or '2021' for a date known only that far."""
    precision = getattr(value, "precision", None)
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return f"{MONTHS_ID[value.month - 1]} {value.year}"
    return f"{value.day} {MONTHS_ID[value.month - 1]} {value.year}"


# ------------------------------------------------------------ partial dates

PRECISIONS = ("month", "year")


class PartialDate(date):
    """A date known only to its month or its year ("Agustus 2021", "2021").

    It stands for the period's first day (for a signing or start) or its last
    (for an end), so that every rule that reads dates counts it in force for
    that period; ``precision`` ('month' or 'year') says how it was known, so
    that it is shown as typed. Arithmetic and ``replace`` give plain dates.
    """

    __slots__ = ("precision",)
    precision: str

    def __new__(cls, year: int, month: int = 1, day: int = 1, precision: str = "month") -> Any:
        made = date.__new__(cls, year, month, day)
        made.precision = precision
        return made

    def __reduce__(self) -> Any:
        return (PartialDate, (self.year, self.month, self.day, self.precision))

    def plain(self) -> date:
        return date(self.year, self.month, self.day)

    def __add__(self, other: Any) -> Any:
        return self.plain() + other

    __radd__ = __add__

    def __sub__(self, other: Any) -> Any:
        return self.plain() - other

    def replace(self, *args: Any, **kwargs: Any) -> date:  # type: ignore[override]
        return self.plain().replace(*args, **kwargs)

    def __repr__(self) -> str:
        return f"PartialDate({format_date_id(self)!r})"


def with_precision(value: date | None, precision: str | None) -> date | None:
    """A stored date and its precision as one value (a PartialDate when not to the day)."""
    if value is None or precision not in PRECISIONS:
        return value
    return PartialDate(value.year, value.month, value.day, precision)  # type: ignore[no-any-return]


def period(year: int, month: int | None, *, end: bool) -> PartialDate:
    """The month (or the year, without ``month``) as its first day, or its last."""
    if month is None:
        return PartialDate(year, 12 if end else 1, 31 if end else 1, "year")  # type: ignore[no-any-return]
    day = monthrange(year, month)[1] if end else 1
    return PartialDate(year, month, day, "month")  # type: ignore[no-any-return]


_MONTH_YEAR = re.compile(r"(?:bulan\s+)?([a-z]+)\.?[\s,/-]+(\d{4})")
_NUMERIC_MONTH_YEAR = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{4})|(\d{4})\s*-\s*(\d{1,2})")
_YEAR = re.compile(r"(?:tahun\s+|th\.?\s+|thn\.?\s+)?(\d{4})")
PARTIAL_FORMS = "a whole date, a month (Agustus 2021, 08/2021) or a year (2021)"


def parse_partial_date(
    text: str, *, field: str = "date", label: str | None = None, end: bool = False
) -> date:
    """A whole date as ``parse_date`` reads it, or a month or a year on its own.

    >>> parse_partial_date("Agustus 2021")
    PartialDate('Agustus 2021')
    >>> parse_partial_date("2024", end=True).isoformat()
    '2024-12-31'
    """
    try:
        return parse_date(text, field=field, label=label)
    except InvalidValue as whole:
        value = " ".join(text.strip().lower().split())
        year = month = None
        if (match := _MONTH_YEAR.fullmatch(value)) and match.group(1) in _MONTHS:
            month, year = _MONTHS[match.group(1)], int(match.group(2))
        elif match := _NUMERIC_MONTH_YEAR.fullmatch(value):
            first, second = (
                (match.group(1), match.group(2))
                if match.group(1)
                else (match.group(4), match.group(3))
            )
            month, year = int(first), int(second)
        elif match := _YEAR.fullmatch(value):
            year = int(match.group(1))
        else:
            if whole.hint and whole.reason == "is not a date":
                whole.hint += ", or a month (Agustus 2021) or a year (2021) if the day is unknown"
            raise whole from None
        if month is not None and not 1 <= month <= 12:
            raise InvalidValue(field, text, f"has no month {month}", label=label) from None
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise InvalidValue(field, text, f"has an unlikely year {year}", label=label) from None
        return period(year, month, end=end)


def now_utc() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
