"""Derived status and the in-force rule, at the edges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from kerjasama_cli.status import derive_status, in_force_during


@dataclass
class Dates:
    signed_on: date | None = date(2021, 1, 10)
    starts_on: date | None = None
    ends_on: date | None = date(2022, 1, 9)
    original_ends_on: date | None = None
    terminated_on: date | None = None


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2021, 1, 9), "draf"),  # the day before signing
        (date(2021, 1, 10), "berlaku"),  # signing day
        (date(2021, 10, 10), "berlaku"),  # 91 days before the end
        (date(2021, 10, 11), "akan-berakhir"),  # exactly 90 days before
        (date(2022, 1, 9), "akan-berakhir"),  # the last day
        (date(2022, 1, 10), "berakhir"),  # the day after
    ],
)
def test_status_at_edges(as_of: date, expected: str) -> None:
    assert derive_status(Dates(), as_of) == expected


def test_warning_window_is_configurable() -> None:
    assert derive_status(Dates(), date(2021, 12, 1), warning_days=30) == "berlaku"
    assert derive_status(Dates(), date(2021, 12, 10), warning_days=30) == "akan-berakhir"


def test_unsigned_is_draft_and_unknown_end_stays_in_force() -> None:
    assert derive_status(Dates(signed_on=None), date(2030, 1, 1)) == "draf"
    assert derive_status(Dates(ends_on=None), date(2099, 1, 1)) == "berlaku"
    assert derive_status(Dates(signed_on=None, starts_on=date(2021, 1, 1)),
                         date(2021, 6, 1)) == "berlaku"


def test_terminated_from_its_date() -> None:
    dates = Dates(terminated_on=date(2021, 6, 1))
    assert derive_status(dates, date(2021, 5, 31)) == "berlaku"
    assert derive_status(dates, date(2021, 6, 1)) == "diakhiri"


def test_extended_in_place_and_replaced() -> None:
    extended = Dates(ends_on=date(2025, 1, 9), original_ends_on=date(2022, 1, 9))
    assert derive_status(extended, date(2022, 1, 9)) == "berlaku"
    assert derive_status(extended, date(2022, 1, 10)) == "diperpanjang"
    assert derive_status(extended, date(2024, 12, 1)) == "akan-berakhir"
    assert derive_status(Dates(), date(2022, 1, 10), replaced=True) == "diperpanjang"
    assert derive_status(Dates(), date(2021, 12, 1), replaced=True) == "diperpanjang"


@pytest.mark.parametrize(
    ("dates", "year", "expected"),
    [
        (Dates(), 2020, False),
        (Dates(), 2021, True),
        (Dates(), 2022, True),  # ends 9 Jan 2022
        (Dates(), 2023, False),
        (Dates(signed_on=date(2021, 12, 31), ends_on=None), 2021, True),
        (Dates(signed_on=date(2022, 1, 1), ends_on=None), 2021, False),
        (Dates(signed_on=date(2019, 1, 1), ends_on=date(2020, 12, 31)), 2021, False),
        (Dates(signed_on=date(2019, 1, 1), ends_on=date(2021, 1, 1)), 2021, True),
        (Dates(ends_on=None), 2040, True),
        (Dates(signed_on=None), 2021, False),
        (Dates(signed_on=None, starts_on=date(2021, 3, 1)), 2021, True),
        # starts_on wins over signed_on for the term's start
        (Dates(signed_on=date(2020, 12, 1), starts_on=date(2022, 1, 1), ends_on=None), 2021,
         False),
        # terminated on 1 Jan 2022: bound through 31 Dec 2021 only
        (Dates(ends_on=None, terminated_on=date(2022, 1, 1)), 2021, True),
        (Dates(ends_on=None, terminated_on=date(2022, 1, 1)), 2022, False),
        (Dates(ends_on=None, terminated_on=date(2022, 1, 2)), 2022, True),
    ],
)
def test_in_force_during_year(dates: Dates, year: int, expected: bool) -> None:
    assert in_force_during(dates, year) is expected
