"""Dates, money and terms as Indonesian offices type them."""

from __future__ import annotations

import contextlib
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kerjasama_cli.errors import InvalidValue
from kerjasama_cli.parse import (
    PartialDate,
    derive_end,
    derive_term,
    format_date_id,
    format_rupiah,
    parse_date,
    parse_money,
    parse_partial_date,
    parse_percent,
    period,
)


@pytest.mark.parametrize(
    "text",
    [
        "2021-08-19",
        "19/8/2021",
        "19/08/2021",
        "19-08-2021",
        "19.08.2021",
        "19 Agustus 2021",
        "19 agustus 2021",
        "19 Agt 2021",
        "19-Agu-2021",
        "Kamis, 19 Agustus 2021",
        "kamis,19 Agustus 2021",
        "19 August 2021",
        "August 19, 2021",
        "Thursday, 19 August 2021",
        "  19   Agustus   2021 ",
        "2021-08-19 00:00:00",
    ],
)
def test_every_date_form_reads_the_same_day(text: str) -> None:
    assert parse_date(text) == date(2021, 8, 19)


def test_old_spellings_of_months() -> None:
    assert parse_date("3 Pebruari 2020") == date(2020, 2, 3)
    assert parse_date("12 Nopember 2020") == date(2020, 11, 12)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31 Juni 2022", "Juni 2022 has 30 days"),
        ("29/2/2021", "Februari 2021 has 28 days"),
        ("19/13/2021", "has no month 13"),
        ("19 Agustos 2021", "no month called 'agustos'"),
        ("Jumat, 19 Agustus 2021", "wrong weekday: 19 Agustus 2021 is a Kamis"),
        ("19/8/21", "two-digit year"),
        ("kemarin", "is not a date"),
        ("", "is not a date"),
        ("2021", "is not a date"),
    ],
)
def test_bad_dates_say_why(text: str, reason: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_date(text, field="ends_on", label="--end")
    assert reason in caught.value.message
    assert caught.value.message.startswith("--end: ")


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_indonesian_date_round_trip(value: date) -> None:
    assert parse_date(format_date_id(value)) == value
    assert parse_date(value.strftime("%d/%m/%Y")) == value
    assert parse_date(value.isoformat()) == value


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1250000", Decimal("1250000")),
        ("1.250.000", Decimal("1250000")),
        ("Rp 1.250.000", Decimal("1250000")),
        ("Rp1.250.000", Decimal("1250000")),
        ("Rp. 1.250.000,00", Decimal("1250000")),
        ("Rp 1.250.000,50", Decimal("1250000.50")),
        ("Rp 1.250.000,-", Decimal("1250000")),
        ("IDR 1,250,000", Decimal("1250000")),
        ("1250000.5", Decimal("1250000.50")),
        ("Rp 1,25 miliar", Decimal("1250000000")),
        ("750 juta", Decimal("750000000")),
        ("0", Decimal("0")),
    ],
)
def test_money_forms(text: str, amount: Decimal) -> None:
    assert parse_money(text) == amount


@pytest.mark.parametrize(
    "text", ["Rp 1,2,3 juta", "1.25.000", "satu juta", "-500", "Rp", "1,234,56", "1,255"]
)
def test_bad_money_is_refused(text: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_money(text, label="--value")
    assert caught.value.message.startswith("--value: ")


@given(st.decimals(min_value=0, max_value=10**15, places=2, allow_nan=False))
def test_rupiah_round_trip(amount: Decimal) -> None:
    assert parse_money(format_rupiah(amount)) == amount
    assert parse_money(format_rupiah(amount, with_sen=True)) == amount


def test_format_rupiah() -> None:
    assert format_rupiah(Decimal("1250000000")) == "Rp 1.250.000.000"
    assert format_rupiah(Decimal("1250.5")) == "Rp 1.250,50"


@pytest.mark.parametrize(
    ("term", "start", "end"),
    [
        ("5 tahun", date(2021, 8, 19), date(2026, 8, 18)),
        ("5 (lima) tahun", date(2021, 8, 19), date(2026, 8, 18)),
        ("lima tahun", date(2021, 8, 19), date(2026, 8, 18)),
        ("selama 2 (dua) tahun sejak ditandatangani", date(2020, 1, 1), date(2021, 12, 31)),
        ("8 bulan", date(2021, 4, 12), date(2021, 12, 11)),
        ("1 tahun 6 bulan", date(2021, 1, 1), date(2022, 6, 30)),
        ("sampai dengan tahun 2024", None, date(2024, 12, 31)),
        ("s.d. tahun 2024", None, date(2024, 12, 31)),
        ("s/d 2023", None, date(2023, 12, 31)),
        ("sampai dengan 31 Desember 2023", None, date(2023, 12, 31)),
        ("hingga 30/6/2025", None, date(2025, 6, 30)),
        ("5 tahun", None, None),
        ("sesuai kebutuhan", date(2021, 1, 1), None),
        ("", date(2021, 1, 1), None),
        ("2 tahun", date(2020, 2, 29), date(2022, 2, 27)),
        # As contracts write them.
        ("Sampai dengan tanggal 31 Desember 2024", None, date(2024, 12, 31)),
        ("sampai dengan akhir tahun anggaran 2023", None, date(2023, 12, 31)),
        ("Tahun Anggaran 2021", date(2021, 3, 1), date(2021, 12, 31)),
        ("T.A. 2022", None, date(2022, 12, 31)),
        ("1 (satu) tahun anggaran", date(2021, 7, 5), date(2021, 12, 31)),
        ("2 (dua) tahun anggaran", date(2021, 7, 5), date(2022, 12, 31)),
        ("2 (dua) tahun sejak tanggal 1 Januari 2022", date(2021, 12, 20), date(2023, 12, 31)),
        ("Selama 3 (tiga) tahun", date(2021, 8, 19), date(2024, 8, 18)),
        ("3 (tiga) tahun sejak ditandatangani", date(2021, 8, 19), date(2024, 8, 18)),
        ("selama lima tahun", date(2021, 8, 19), date(2026, 8, 18)),
        ("setahun", date(2021, 8, 19), date(2022, 8, 18)),
        ("dua puluh lima tahun", date(2021, 1, 1), date(2045, 12, 31)),
        ("90 (sembilan puluh) hari", date(2021, 1, 1), date(2021, 3, 31)),
        ("sampai dengan Desember 2025", None, date(2025, 12, 31)),
        ("sampai kegiatan selesai", date(2021, 1, 1), None),
    ],
)
def test_end_derived_from_term(term: str, start: date | None, end: date | None) -> None:
    assert derive_end(term, start) == end


def test_a_term_that_counts_from_its_own_date_sets_the_start() -> None:
    derived = derive_term("2 (dua) tahun sejak tanggal 1 Januari 2022", date(2021, 12, 20))
    assert derived is not None and derived.start == date(2022, 1, 1)


def test_a_term_from_a_month_or_a_year_ends_in_a_month_or_a_year() -> None:
    from_month = derive_term("5 tahun", period(2021, 8, end=False), "month")
    assert from_month is not None
    assert (from_month.end, from_month.precision) == (date(2026, 7, 31), "month")
    from_year = derive_term("3 tahun", period(2021, None, end=False), "year")
    assert from_year is not None and (from_year.end, from_year.precision) == (
        date(2023, 12, 31), "year")


@pytest.mark.parametrize(
    ("text", "reason"),
    [("-5 tahun", "is a negative term"), ("9999 tahun", "longer than 300 years"),
     ("999999999 hari", "longer than 300 years"), ("sampai dengan tahun 0000", "unlikely year"),
     ("250 tahun", "after 2200")],
)
def test_impossible_terms_are_refused(text: str, reason: str) -> None:
    with pytest.raises(InvalidValue, match=reason):
        derive_term(text, date(2021, 1, 1))


@pytest.mark.parametrize(
    ("text", "start", "end", "precision", "shown"),
    [
        ("Agustus 2021", date(2021, 8, 1), date(2021, 8, 31), "month", "Agustus 2021"),
        ("agt 2021", date(2021, 8, 1), date(2021, 8, 31), "month", "Agustus 2021"),
        ("bulan Februari 2020", date(2020, 2, 1), date(2020, 2, 29), "month", "Februari 2020"),
        ("08/2021", date(2021, 8, 1), date(2021, 8, 31), "month", "Agustus 2021"),
        ("2021-08", date(2021, 8, 1), date(2021, 8, 31), "month", "Agustus 2021"),
        ("2021", date(2021, 1, 1), date(2021, 12, 31), "year", "2021"),
        ("Tahun 2021", date(2021, 1, 1), date(2021, 12, 31), "year", "2021"),
        ("19 Agustus 2021", date(2021, 8, 19), date(2021, 8, 19), None, "19 Agustus 2021"),
    ],
)
def test_dates_known_only_to_the_month_or_year(
    text: str, start: date, end: date, precision: str | None, shown: str
) -> None:
    first, last = parse_partial_date(text), parse_partial_date(text, end=True)
    assert (first, last) == (start, end)
    assert getattr(first, "precision", None) == precision
    assert format_date_id(first) == shown


def test_a_partial_date_is_a_date_that_keeps_its_precision_only_as_itself() -> None:
    import copy
    import pickle
    from datetime import timedelta

    month = parse_partial_date("Agustus 2021")
    assert isinstance(month, PartialDate) and month == date(2021, 8, 1)
    assert pickle.loads(pickle.dumps(month)).precision == "month"
    assert copy.deepcopy(month).precision == "month"
    later = month + timedelta(days=1)
    assert type(later) is date and later == date(2021, 8, 2)
    assert type(month.replace(day=5)) is date


@pytest.mark.parametrize("text", ["Agustus", "13/2021", "2021-13", "Foo 2021", "1850"])
def test_what_is_no_date_at_all(text: str) -> None:
    with pytest.raises(InvalidValue):
        parse_partial_date(text)


def test_a_whole_date_keeps_its_reason() -> None:
    with pytest.raises(InvalidValue, match="Juni 2021 has 30 days"):
        parse_partial_date("31 Juni 2021")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("75", 75), ("75%", 75), ("75 %", 75), ("60 persen", 60), ("0,75", 75), ("0.75", 75),
     ("1", 1), ("100", 100), ("87,5%", 88), ("0", 0)],
)
def test_percentages_as_typed(text: str, expected: int) -> None:
    assert parse_percent(text) == expected


@pytest.mark.parametrize("text", ["101", "-5", "abc", "75%%"])
def test_what_is_no_percentage(text: str) -> None:
    with pytest.raises(InvalidValue):
        parse_percent(text)


@given(st.text(max_size=40))
def test_arbitrary_text_never_crashes_the_parsers(text: str) -> None:
    for parser in (parse_date, parse_money, parse_partial_date, parse_percent):
        with contextlib.suppress(InvalidValue):
            parser(text)
    with contextlib.suppress(InvalidValue):
        derive_end(text, date(2021, 1, 1))
