"""Reading the dates, amounts and terms that Indonesian offices type.

- ``dates``  whole dates in five forms, and dates known only to the month or year
- ``money``  Rupiah: dot thousands, comma sen, "Rp 1,25 miliar"
- ``numbers`` whole numbers and percentages ("75%", "60 persen", "0,75")
- ``terms``  a term's wording ("5 (lima) tahun", "Tahun Anggaran 2021") -> its end

One parser serves CLI options and imports alike. Each function returns a value
or raises ``InvalidValue`` naming the field and the text; none guesses silently.
"""

from kerjasama_cli.parse.dates import (
    DATE_FORMS,
    DAYS_ID,
    FIRST_YEAR,
    LAST_YEAR,
    MONTHS_EN,
    MONTHS_ID,
    PRECISIONS,
    PartialDate,
    check_year,
    format_date_id,
    now_utc,
    parse_date,
    parse_partial_date,
    period,
    with_precision,
)
from kerjasama_cli.parse.money import (
    MAX_RUPIAH,
    MONEY_FORMS,
    format_rupiah,
    parse_money,
    rupiah_from_number,
)
from kerjasama_cli.parse.numbers import (
    PERCENT_FORMS,
    parse_int,
    parse_percent,
    percent_from_number,
)
from kerjasama_cli.parse.terms import (
    DerivedTerm,
    TermMeaning,
    add_months,
    derive_end,
    derive_term,
    number_from_words,
    term_meaning,
)

__all__ = [
    "DATE_FORMS",
    "DAYS_ID",
    "FIRST_YEAR",
    "LAST_YEAR",
    "MAX_RUPIAH",
    "MONEY_FORMS",
    "MONTHS_EN",
    "MONTHS_ID",
    "PERCENT_FORMS",
    "PRECISIONS",
    "DerivedTerm",
    "PartialDate",
    "TermMeaning",
    "add_months",
    "check_year",
    "derive_end",
    "derive_term",
    "format_date_id",
    "format_rupiah",
    "now_utc",
    "number_from_words",
    "parse_date",
    "parse_int",
    "parse_money",
    "parse_partial_date",
    "parse_percent",
    "percent_from_number",
    "period",
    "rupiah_from_number",
    "term_meaning",
    "with_precision",
]
