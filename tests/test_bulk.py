"""The bulk insert path the import, merge and copy share: values stored as the ORM would."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from kerjasama_cli.db import bulk
from kerjasama_cli.db.engine import Register
from kerjasama_cli.db.models import Agreement, agreement_table

COLUMNS = (
    "doc_type",
    "number",
    "number_key",
    "title",
    "signed_on",
    "value",
    "note",
    "version",
    "created_at",
    "updated_at",
)
AT = datetime(2021, 3, 4, 5, 6, 7)


def _row(number: int, *, signed: date | None, value: Decimal | None, note: str | None) -> tuple:
    return ("kb", f"KB/{number}", f"kb/{number}", "t", signed, value, note, 1, AT, AT)


def _stored(register: Register) -> dict[str, Agreement]:
    with register.reading() as session:
        return {a.number: a for a in session.scalars(select(Agreement))}


def test_batches_with_and_without_nulls_store_what_was_given(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Batches of 3: the first has a note in no row (the column is left out of
    # its statement), the second in one row, the third is partly empty.
    monkeypatch.setattr(bulk, "BATCH", 3)
    monkeypatch.setattr(bulk, "MEMO_LIMIT", 1)  # the conversion cache emptied as it goes
    rows = [
        _row(1, signed=date(2021, 1, 2), value=Decimal("1500000"), note=None),
        _row(2, signed=None, value=None, note=None),
        _row(3, signed=date(2021, 1, 2), value=Decimal("0.5"), note=None),
        _row(4, signed=date(2022, 12, 31), value=Decimal("1500000"), note="ada"),
        _row(5, signed=None, value=None, note=None),
        _row(6, signed=None, value=None, note=None),
        _row(7, signed=date(2021, 1, 2), value=None, note=""),
    ]
    register = Register.open(db_url, upgrade=True)
    try:
        with register.writing() as session:
            written = bulk.insert_rows(session.connection(), agreement_table, COLUMNS, iter(rows))
        assert written == 7
        stored = _stored(register)
    finally:
        register.close()
    assert [stored[f"KB/{n}"].signed_on for n in range(1, 8)] == [
        date(2021, 1, 2), None, date(2021, 1, 2), date(2022, 12, 31), None, None, date(2021, 1, 2)
    ]
    assert [stored[f"KB/{n}"].value for n in (1, 2, 3, 4)] == [
        Decimal("1500000"), None, Decimal("0.5"), Decimal("1500000")
    ]
    assert [stored[f"KB/{n}"].note for n in range(1, 8)] == [
        None, None, None, "ada", None, None, ""
    ]
    # a column left out gets its server default, not NULL: the region is ''
    assert {a.region for a in stored.values()} == {""}
    assert {a.created_at for a in stored.values()} == {AT}


def test_a_row_of_the_wrong_width_is_refused(db_url: str) -> None:
    register = Register.open(db_url, upgrade=True)
    try:
        with pytest.raises(ValueError), register.writing() as session:
            bulk.insert_rows(
                session.connection(),
                agreement_table,
                COLUMNS,
                [_row(1, signed=None, value=None, note=None), ("kb", "KB/2")],
            )
        assert _stored(register) == {}
    finally:
        register.close()


def test_none_for_a_column_with_a_default_is_stored_as_given_not_defaulted(db_url: str) -> None:
    from sqlalchemy.exc import IntegrityError

    register = Register.open(db_url, upgrade=True)
    try:
        with pytest.raises(IntegrityError), register.writing() as session:
            bulk.insert_rows(
                session.connection(),
                agreement_table,
                (*COLUMNS, "ends_on_derived"),
                [(*_row(1, signed=None, value=None, note=None), None)],
            )
        assert _stored(register) == {}
    finally:
        register.close()
