"""Cell values Excel passes to a worksheet function, as typed values (or a :class:`BadInput`).

Through :mod:`addin.read.coerce`, so dates may be Excel serials, datetimes or text, and
percentages ``0.5``, ``50`` or ``"50%"``, exactly as the reader accepts them. A range is
one column or one row of cells; a single cell is a list of one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from addin.core.rules import RuleId
from addin.core.settings import Settings
from addin.read.coerce import coerce_date, coerce_number, coerce_percent


class BadInput(Exception):
    """An argument the user must fix; its message follows ``#PMO:`` in the cell."""


_PROBLEM_WORDS: dict[str, str] = {
    RuleId.VALUE_NOT_A_DATE: "is not a date",
    RuleId.VALUE_NOT_A_NUMBER: "is not a number",
    RuleId.VALUE_NOT_A_PERCENT: "is not a percentage",
}


def cells(value: Any, name: str) -> list[Any]:
    """One column or row of cells as a flat list (a single cell is a list of one)."""
    if isinstance(value, list | tuple):
        rows = list(value)
        if rows and all(isinstance(r, list | tuple) for r in rows):
            if all(len(r) == 1 for r in rows):
                return [r[0] for r in rows]
            if len(rows) == 1:
                return list(rows[0])
            raise BadInput(f"{name} must be one column or one row of cells")
        return rows
    return [value]


def one(value: Any, name: str) -> Any:
    """A single cell's value (a one-cell range is accepted)."""
    found = cells(value, name)
    if len(found) != 1:
        raise BadInput(f"{name} must be a single cell, got {len(found)} cells")
    return found[0]


def checked(
    typed: tuple[list[Any], Mapping[int, str]],
    raw: Sequence[Any],
    name: str,
    *,
    single: bool = False,
) -> list[Any]:
    """The typed values, or :class:`BadInput` naming the first cell that could not be read."""
    values, problems = typed
    if problems:
        i = min(problems)
        where = "" if single else f" (cell {i + 1})"
        words = _PROBLEM_WORDS.get(problems[i], "is not valid")
        raise BadInput(f"{name}: {raw[i]!r}{where} {words}")
    return values


def dates(value: Any, name: str, settings: Settings) -> list[Any]:
    """A range of dates (blank cells are None)."""
    raw = cells(value, name)
    return checked(coerce_date(raw, day_first=settings.reader.day_first), raw, name)


def numbers(value: Any, name: str) -> list[Any]:
    """A range of numbers (blank cells are None)."""
    raw = cells(value, name)
    return checked(coerce_number(raw), raw, name)


def percents(value: Any, name: str) -> list[Any]:
    """A range of percentages as fractions (blank cells are None)."""
    raw = cells(value, name)
    return checked(coerce_percent(raw), raw, name)


def date(value: Any, name: str, settings: Settings) -> dt.date:
    """One date; blank is refused."""
    raw = one(value, name)
    typed = coerce_date([raw], day_first=settings.reader.day_first)
    d: dt.date | None = checked(typed, [raw], name, single=True)[0]
    if d is None:
        raise BadInput(f"{name} is blank; give a date")
    return d


def number(value: Any, name: str) -> float | None:
    """One number (``"50%"`` is 0.5); blank is None."""
    raw = one(value, name)
    if isinstance(raw, str) and raw.strip().endswith("%"):
        typed = coerce_percent([raw])
    else:
        typed = coerce_number([raw])
    n: float | None = checked(typed, [raw], name, single=True)[0]
    return n


def percent(value: Any, name: str) -> float | None:
    """One percentage as a fraction; blank is None."""
    raw = one(value, name)
    p: float | None = checked(coerce_percent([raw]), [raw], name, single=True)[0]
    return p


def same_length(**columns: Sequence[Any]) -> None:
    """Refuse ranges of different sizes, naming each size."""
    sizes = {name: len(cells) for name, cells in columns.items()}
    if len(set(sizes.values())) > 1:
        listed = ", ".join(f"{name} {n}" for name, n in sizes.items())
        raise BadInput(f"the ranges must have the same number of cells ({listed})")


def blank_if_none(value: float | None) -> Any:
    """A blank cell for a value that is none (RAG_RULES: not computable)."""
    return "" if value is None else value


def is_blank(value: Any) -> bool:
    """Whether an argument is missing: empty, blank text, or a range of blanks."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return all(is_blank(v) for v in value)
    return False
