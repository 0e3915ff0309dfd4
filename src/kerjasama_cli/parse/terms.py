"""Terms as contracts write them, and the end date each implies.

"5 (lima) tahun", "Selama 3 (tiga) tahun sejak ditandatangani", "Sampai dengan
tanggal 31 Desember 2024", "s.d. tahun 2024", "Tahun Anggaran 2021",
"1 (satu) tahun anggaran", "2 (dua) tahun sejak tanggal 1 Januari 2022". A term
that names no end ("sesuai kebutuhan") means nothing here: the caller warns.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from kerjasama_cli.errors import InvalidValue
from kerjasama_cli.parse.dates import FIRST_YEAR, LAST_YEAR, PartialDate, parse_partial_date

_UNITS = {
    "satu": 1,
    "se": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
}


def number_from_words(text: str) -> int | None:
    """'lima' 5, 'sebelas' 11, 'dua belas' 12, 'dua puluh lima' 25, '36' 36; else None."""
    words = text.split()
    if len(words) == 1 and words[0].isdigit():
        return int(words[0])
    if words == ["se"]:  # "setahun", "sebulan"
        return 1
    if words == ["sepuluh"]:
        return 10
    if words == ["sebelas"]:
        return 11
    total = 0
    index = 0
    while index < len(words):
        word = words[index]
        following = words[index + 1] if index + 1 < len(words) else None
        if word in _UNITS and word != "se" and following in ("belas", "puluh"):
            total += _UNITS[word] + 10 if following == "belas" else _UNITS[word] * 10
            index += 2
        elif word in ("sepuluh", "sebelas"):
            total += 10 if word == "sepuluh" else 11
            index += 1
        elif word in _UNITS and word != "se":
            total += _UNITS[word]
            index += 1
        else:
            return None
    return total or None


# A minus sign may be typed as a hyphen, an en dash or the sign itself.
_MINUS = "-\u2013\u2212"
_AMOUNT = rf"([{_MINUS}]?\s*\d+|[a-z]+(?: [a-z]+){{0,3}}?|se)"
_DURATION = re.compile(
    _AMOUNT + r"\s*(?:\(\s*[a-z ]+\s*\)\s*)?(tahun|thn|th|bulan|bln|hari)\b(\s+anggaran)?"
)
_UNTIL = re.compile(
    r"(?:sampai\s+dengan|sampai|hingga|\bs\.?\s*/?\s*d\b\.?|berakhir\s+(?:pada\s+)?|"
    r"berlaku\s+sampai)\s+(.+)"
)
_UNTIL_WORDS = re.compile(r"^(?:(?:tanggal|tgl\.?|akhir|tahun|anggaran|bulan)\s+)+")
_FISCAL_YEAR = re.compile(r"(?:tahun\s+anggaran|\bt\.?\s*a\.?)\s+(\d{4})\b")
_SINCE = re.compile(
    r"(?:terhitung\s+(?:mulai|sejak)?|sejak|mulai(?:\s+berlaku)?)\s+"
    r"(?:(?:tanggal|tgl\.?)\s+)?(.+)"
)


_RANGE = re.compile(r"\s+(?:-|–|s\.?\s*/?\s*d\.?|sampai\s+dengan|sampai|hingga)\s+")
_MONTH_WORDS = frozenset(
    (
        *("januari", "februari", "pebruari", "maret", "april", "mei", "juni", "juli"),
        *("agustus", "september", "oktober", "november", "nopember", "desember"),
    )
)


def _range(text: str) -> TermMeaning | None:
    """'2021 - 2023', '12 Maret 2021 s/d 11 Maret 2024': both sides dates."""
    parts = _RANGE.split(text, maxsplit=1)
    if len(parts) != 2:
        return None
    first = re.sub(r"^(?:(?:mulai|dari|sejak|tanggal|tgl\.?)\s+)+", "", parts[0])
    try:
        start = parse_partial_date(first, field="term_text")
        end = parse_partial_date(
            _UNTIL_WORDS.sub("", parts[1]).strip(), field="term_text", end=True
        )
    except InvalidValue as error:
        _refuse_unlikely(text, error)
        return None
    return TermMeaning(end=end.plain() if isinstance(end, PartialDate) else end, start=start)


@dataclass(frozen=True)
class TermMeaning:
    """What a term says: a fixed end, or a length counted from a start."""

    end: date | None = None
    months: int = 0
    days: int = 0
    # "N tahun anggaran": to 31 December of the start's year + N - 1.
    fiscal_years: int = 0
    # "... sejak tanggal 1 Januari 2022": the term counts from here.
    start: date | None = None


def _invalid(text: str, reason: str) -> InvalidValue:
    return InvalidValue("term_text", text, reason)


def _refuse_unlikely(text: str, error: InvalidValue) -> None:
    """A date in a term read as a date but with a year no register holds ("sejak
    tahun 1850", "2021 - 0000") is refused as a typed date is, not taken for
    words that name no date."""
    if "unlikely year" in error.reason or "no month" in error.reason:
        raise _invalid(text, error.reason) from None


@lru_cache(maxsize=4096)
def term_meaning(term_text: str) -> TermMeaning | None:
    """A term's meaning; None when it names no end. Raises for an impossible term.

    Cached: a register repeats a handful of terms ("5 (lima) tahun") thousands of times.
    """
    text = " ".join(term_text.strip().lower().split())
    if not text:
        return None
    # A date alone ("31 Desember 2023"): the end itself.
    if text[:1].isdigit() or text.split()[0] in _MONTH_WORDS:
        try:
            end = parse_partial_date(text, field="term_text", end=True)
        except InvalidValue:
            pass
        else:
            return TermMeaning(end=end.plain() if isinstance(end, PartialDate) else end)
    # A range ("2021 - 2023", "12 Maret 2021 s/d 11 Maret 2024"): a start and an end.
    if (ranged := _range(text)) is not None:
        return ranged
    if until := _UNTIL.search(text):
        target = _UNTIL_WORDS.sub("", until.group(1).strip().rstrip(".")).strip()
        target = re.split(r"\s*[;(]", target)[0].strip()
        try:
            end = parse_partial_date(target, field="term_text", end=True)
        except InvalidValue as error:
            _refuse_unlikely(term_text, error)
            return None
        return TermMeaning(end=end.plain() if isinstance(end, PartialDate) else end)
    start = None
    counted = text
    if since := _SINCE.search(text):
        counted = text[: since.start()]
        try:
            start = parse_partial_date(since.group(1).strip().rstrip("."), field="term_text")
        except InvalidValue as error:
            _refuse_unlikely(term_text, error)
            start = None  # "sejak ditandatangani": from the signing, as usual
    months = days = fiscal = 0
    found = False
    for match in _DURATION.finditer(counted):
        amount_text = match.group(1).strip()
        if amount_text.startswith(tuple(_MINUS)):
            if counted[: match.start()].strip():
                amount_text = amount_text.lstrip(_MINUS + " ")  # "1 - 2 tahun": a dash, no sign
            else:
                raise _invalid(term_text, "is a negative term")
        words = amount_text.split()
        # "selama lima tahun": the number is the last words before the unit.
        amount = next(
            (n for i in range(len(words)) if (n := number_from_words(" ".join(words[i:])))),
            None,
        )
        if amount is None:
            continue
        found = True
        unit, fiscal_years = match.group(2), bool(match.group(3))
        if fiscal_years and unit in ("tahun", "thn", "th"):
            fiscal += amount
        elif unit in ("tahun", "thn", "th"):
            months += 12 * amount
        elif unit in ("bulan", "bln"):
            months += amount
        else:
            days += amount
    if not found:
        if fixed := _FISCAL_YEAR.search(text):
            year = int(fixed.group(1))
            if not FIRST_YEAR <= year <= LAST_YEAR:
                raise _invalid(term_text, f"has an unlikely year {year}")
            return TermMeaning(end=date(year, 12, 31))
        return None
    if months > 12 * 300 or days > 366 * 300 or fiscal > 300:
        raise _invalid(term_text, "is longer than 300 years: a typing error?")
    if months == 0 and days == 0 and fiscal == 0:
        return None
    return TermMeaning(months=months, days=days, fiscal_years=fiscal, start=start)


def add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    if not 1 <= year <= 9999:
        raise _invalid(f"{months} bulan", "ends after the year 9999")
    return date(year, month, min(start.day, monthrange(year, month)[1]))


class DerivedTerm(NamedTuple):
    """What a term works out to (a tuple: one is made for each row of an import)."""

    end: date
    # The end is known as far as the start it counts from: a term of "5 tahun"
    # from "Agustus 2021" ends in "Juli 2026".
    precision: str | None
    # The start the term itself names, if any (a PartialDate when only its month or
    # year is: "2021 - 2023").
    start: date | None


LATEST_YEAR = LAST_YEAR


def derive_term(
    term_text: str, start: date | None, start_precision: str | None = None
) -> DerivedTerm | None:
    """The end a term implies from ``start``; None when it implies none.

    "5 (lima) tahun" from 19 Aug 2021 ends 18 Aug 2026 (the day before the
    anniversary: a term of N years counts the signing day as its first day);
    "sampai dengan tahun 2024" ends 31 Dec 2024; "1 (satu) tahun anggaran" ends
    31 Dec of the signing year.
    """
    meaning = term_meaning(term_text)
    if meaning is None:
        return None
    if meaning.end is not None:
        end, precision = meaning.end, None
        if meaning.start is not None and end < meaning.start:
            raise _invalid(term_text, "ends before it starts")
    else:
        counted_from = meaning.start or start
        if counted_from is None:
            return None
        if meaning.start is None:
            precision = start_precision
        else:
            precision = getattr(meaning.start, "precision", None)
        if meaning.fiscal_years:
            end = date(counted_from.year + meaning.fiscal_years - 1, 12, 31)
            precision = None
        else:
            base = counted_from.plain() if isinstance(counted_from, PartialDate) else counted_from
            end = add_months(base, meaning.months) + timedelta(days=meaning.days - 1)
            if precision == "month":
                end = date(end.year, end.month, monthrange(end.year, end.month)[1])
            elif precision == "year":
                end = date(end.year, 12, 31)
    # The same years as a typed date: an end the register would refuse typed in
    # --end is refused when a term works it out.
    if end.year > LATEST_YEAR:
        raise _invalid(term_text, f"ends in {end.year}, after {LATEST_YEAR}: a typing error?")
    if end.year < FIRST_YEAR:
        raise _invalid(term_text, f"ends in {end.year}, before {FIRST_YEAR}: a typing error?")
    return DerivedTerm(end, precision, meaning.start)


def derive_end(term_text: str, start: date | None) -> date | None:
    """The end date alone (see ``derive_term``)."""
    derived = derive_term(term_text, start)
    return derived.end if derived else None
