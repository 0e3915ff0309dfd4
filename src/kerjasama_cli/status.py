"""Derived status and the in-force rule. Status is never typed: it follows from dates.

``draf``           nothing shows it was signed yet (no signing or start date, or
                   the date asked about is before them)
``diakhiri``       terminated early, from the termination date on
``berakhir``       past its end date, and nothing replaced it
``diperpanjang``   past its original end but extended in place, or replaced by a
                   later document (`kerjasama extend`)
``akan-berakhir``  ends within the warning window (default 90 days)
``berlaku``        in force
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Protocol

DEFAULT_WARNING_DAYS = 90


class Dated(Protocol):
    """What the rules read of an agreement: its dates only."""

    @property
    def signed_on(self) -> date | None: ...
    @property
    def starts_on(self) -> date | None: ...
    @property
    def ends_on(self) -> date | None: ...
    @property
    def original_ends_on(self) -> date | None: ...
    @property
    def terminated_on(self) -> date | None: ...


def term_start(agreement: Dated) -> date | None:
    """The term starts at the start date, else at the signing date."""
    return agreement.starts_on or agreement.signed_on


def signed_from(agreement: Dated) -> date | None:
    """The earliest date that shows the document was signed."""
    known = [d for d in (agreement.signed_on, agreement.starts_on) if d is not None]
    return min(known) if known else None


def last_day_in_force(agreement: Dated) -> date | None:
    """The last day it binds: its end, or the day before an early termination."""
    ends = [d for d in (agreement.ends_on,) if d is not None]
    if agreement.terminated_on is not None:
        ends.append(agreement.terminated_on - timedelta(days=1))
    return min(ends) if ends else None


def derive_status(
    agreement: Dated,
    as_of: date,
    *,
    warning_days: int = DEFAULT_WARNING_DAYS,
    replaced: bool = False,
) -> str:
    """The agreement's status on ``as_of``; ``replaced`` when a later document renews it."""
    signed = signed_from(agreement)
    if signed is None or as_of < signed:
        return "draf"
    if agreement.terminated_on is not None and as_of >= agreement.terminated_on:
        return "diakhiri"
    end = agreement.ends_on
    if end is not None and as_of > end:
        return "diperpanjang" if replaced else "berakhir"
    if end is not None and (end - as_of).days <= warning_days and not replaced:
        return "akan-berakhir"
    original = agreement.original_ends_on
    if replaced or (original is not None and as_of > original):
        return "diperpanjang"
    return "berlaku"


def in_force_during(agreement: Dated, year: int) -> bool:
    """True when the term overlaps the calendar year at all.

    The term starts at the start date (else the signing date); an unknown end
    means still in force; a terminated agreement counts up to its termination;
    a document never signed never counts.
    """
    start = term_start(agreement)
    if start is None or start > date(year, 12, 31):
        return False
    last = last_day_in_force(agreement)
    return last is None or last >= date(year, 1, 1)


def in_force_span(agreement: Dated) -> str:
    """'2019–2024', '2021–(no end)' or 'never signed': for messages."""
    start = term_start(agreement)
    if start is None:
        return "never signed"
    last = last_day_in_force(agreement)
    return f"{start.isoformat()} to {last.isoformat() if last else '(no end date)'}"
