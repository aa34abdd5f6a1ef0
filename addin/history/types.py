"""Column types that read a database as untrusted input.

Rows can be edited by hand (SQLite has no types to stop a word in a number column), so
every value read back is checked here, at the edge: a date column gives a date or None,
a number column a finite float or None, a count an int or None, a text column a string
or None. Nothing read is ever evaluated; a tampered value is at worst a blank.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, Float, Integer, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine


def as_date(value: Any) -> dt.date | None:
    """A date from a stored value (a date, or ISO text); anything else is None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def as_number(value: Any) -> float | None:
    """A finite float from a stored value; text, blobs, NaN and infinities are None."""
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def as_count(value: Any) -> int | None:
    """An int from a stored value (a whole float is accepted); anything else is None."""
    number = as_number(value)
    if number is None or not number.is_integer() or abs(number) > 2**53:
        return None
    return int(number)


def as_text(value: Any) -> str | None:
    """Text from a stored value: a string, or a number written out; blobs are None."""
    if value is None or isinstance(value, bytes | bytearray | memoryview):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return str(value)
    return None


class Day(TypeDecorator[dt.date]):
    """A calendar day: ``DATE`` (ISO text in SQLite); read back leniently."""

    impl = Date
    cache_ok = True

    def bind_processor(self, dialect: Dialect) -> Any:
        """Dates go in as ISO text in SQLite, as dates elsewhere."""
        if dialect.name != "sqlite":
            return None

        def process(value: Any) -> str | None:
            day = as_date(value)
            return None if day is None else day.isoformat()

        return process

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        """A day or None, whatever the cell holds."""
        return as_date

    def coerce_compared_value(self, op: Any, value: Any) -> TypeEngine[Any]:
        """Compared with a date parameter, a Day binds it as a Day."""
        return self


class Number(TypeDecorator[float]):
    """A finite float or None."""

    impl = Float
    cache_ok = True

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        """A finite float or None, whatever the cell holds."""
        return as_number


class Count(TypeDecorator[int]):
    """An integer or None."""

    impl = Integer
    cache_ok = True

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        """An int or None, whatever the cell holds."""
        return as_count


class Words(TypeDecorator[str]):
    """Text or None."""

    impl = Text
    cache_ok = True

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        """A string or None, whatever the cell holds."""
        return as_text
