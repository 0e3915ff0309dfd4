"""Issue 12 for terms and years: a term whose end no register holds, or a negative
one, is refused as a typed date is (InvalidValue naming the term), never a crash."""

from __future__ import annotations

from datetime import date

import pytest

from kerjasama_cli.errors import InvalidValue
from kerjasama_cli.parse import derive_term, parse_date

SIGNED = date(2021, 8, 19)


@pytest.mark.parametrize(
    ("term", "says"),
    [
        ("9999 tahun", "longer than 300 years"),
        ("999999999 hari", "longer than 300 years"),
        ("9" * 400 + " tahun", "longer than 300 years"),
        ("sampai dengan tahun 0000", "has an unlikely year 0"),
        ("sampai dengan tahun 9999", "has an unlikely year 9999"),
        ("250 tahun", "ends in 2271, after 2200"),
        ("5 tahun sejak 31 Desember 2200", "ends in 2205, after 2200"),
        ("tahun anggaran 0000", "has an unlikely year 0"),
        ("TA 1850", "has an unlikely year 1850"),
        ("t.a. 9999", "has an unlikely year 9999"),
        ("1800 - 2021", "has an unlikely year 1800"),
        ("2021 - 0000", "has an unlikely year 0"),
        ("5 tahun sejak 1 Januari 1850", "has an unlikely year 1850"),
        ("-5 tahun", "is a negative term"),
        ("- 5 (lima) tahun", "is a negative term"),
        ("\u20135 tahun", "is a negative term"),  # an en dash typed as a minus
        ("\u22125 tahun", "is a negative term"),  # the minus sign
    ],
)
def test_a_term_with_an_end_no_register_holds_is_refused(term: str, says: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        derive_term(term, SIGNED)
    assert caught.value.field == "term_text"
    assert says in caught.value.reason


@pytest.mark.parametrize(
    ("term", "end"),
    [
        ("5 (lima) tahun", date(2026, 8, 18)),
        ("sampai dengan tahun 2200", date(2200, 12, 31)),
        ("sampai dengan tahun 1900", date(1900, 12, 31)),
        ("TA 2021", date(2021, 12, 31)),
        ("1 - 2 tahun", date(2023, 8, 18)),  # a dash between numbers, no sign
        ("2021 - 2023", date(2023, 12, 31)),
    ],
)
def test_terms_within_the_years_are_read(term: str, end: date) -> None:
    derived = derive_term(term, SIGNED)
    assert derived is not None and derived.end == end


def test_a_typed_date_and_a_year_have_the_same_range() -> None:
    from kerjasama_cli.parse import FIRST_YEAR, LAST_YEAR, check_year

    assert (FIRST_YEAR, LAST_YEAR) == (1900, 2200)
    assert check_year(1900) == 1900 and check_year(2200) == 2200
    for year in (0, -1, 1899, 2201, 99999, 10**30):
        with pytest.raises(InvalidValue, match=r"is not a year the register accepts \(1900-2200\)"):
            check_year(year, "--year")
    parse_date("1900-01-01")
    parse_date("2200-12-31")
    for text in ("1899-12-31", "2201-01-01"):
        with pytest.raises(InvalidValue, match="unlikely year"):
            parse_date(text, field="ends_on", label="--end")
