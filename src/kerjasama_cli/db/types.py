"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

_SEN = Decimal(100)


class Rupiah(TypeDecorator[Decimal]):
    """An exact Rupiah amount, stored as a whole number of sen.

    SQLite has no exact decimal type (it would round through a float), so an
    integer of sen is the one representation that is exact, sortable and
    summable in SQL on both backends.
    """

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        sen = Decimal(value) * _SEN
        if sen != sen.to_integral_value():
            raise ValueError(f"{value} has more than two decimals")
        return int(sen)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        amount = Decimal(int(value)) / _SEN
        return amount.quantize(Decimal(1)) if amount % 1 == 0 else amount.quantize(Decimal("0.01"))
