"""Period headers of a wide resource plan: a date, ``Jan-27``, ``April``, ``W05``, ``2027-W05``.

A header cell names a period when it is a date, a month with or without a year
(``Jan-27``, ``January 2027``, ``2027-01``, ``Apr``), or an ISO week with or without a
year (``W05``, ``Wk 5``, ``KW 5``, ``2027-W05``, ``W05 2027``). A month or week without a
year is placed by a year hint (the project's Start Date, else its Status Date), rolling
into the next year where the headers wrap (``Nov, Dec, Jan``). Numbered weeks that are
not calendar weeks (``SW 1`` semester weeks, bare numbers ``1, 2, 3``) are recognised
only to say why such a plan cannot be placed in time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from addin.core.dates import MONTHS as _MONTHS
from addin.core.periods import PeriodKind, iso_week_start, period_start

_MONTH_YEAR = re.compile(r"^([a-z]+)\.?\s*['’\-/ ]?\s*(\d{4}|\d{2})$")
_YEAR_MONTH = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_MONTH_SLASH_YEAR = re.compile(r"^(\d{1,2})[-/.](\d{4})$")
_WEEK = re.compile(r"^(?:w|wk|week|kw|cw)\.?\s*(\d{1,2})(?:\s*[-/ ,]\s*(\d{4}|\d{2}))?$")
_YEAR_WEEK = re.compile(r"^(\d{4})\s*-?\s*w\s*(\d{1,2})$")
_RELATIVE = re.compile(r"^(?:sw|sprint|week|wk)\.?\s*(\d{1,3})$")


@dataclass(frozen=True)
class PeriodHeader:
    """What one header cell says about its period.

    Attributes:
        kind: Month or week; None for a date whose kind the row decides.
        start: The period's first day when the cell places it in time (or a date's day).
        number: The month (1-12) or week (1-53) when the cell gives no year.
        relative: True for numbered weeks that are not calendar weeks (``SW 3``, ``3``).
    """

    kind: PeriodKind | None
    start: dt.date | None = None
    number: int | None = None
    relative: bool = False

    @property
    def placed(self) -> bool:
        """True when the header names a day in time (no year hint needed)."""
        return self.start is not None


def _year(text: str) -> int:
    year = int(text)
    return year + (2000 if year < 70 else 1900) if len(text) == 2 else year


def parse_period_header(value: Any) -> PeriodHeader | None:
    """The period a header cell names, or None (see the module docstring)."""
    if isinstance(value, dt.datetime):
        return PeriodHeader(None, value.date())
    if isinstance(value, dt.date):
        return PeriodHeader(None, value)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    if isinstance(value, int | float):
        if float(value).is_integer() and 1 <= value <= 53:
            return PeriodHeader(PeriodKind.WEEK, number=int(value), relative=True)
        return None
    text = " ".join(value.replace("\u00a0", " ").split()).casefold().rstrip(".:")
    if not text or len(text) > 24:
        return None
    month = _MONTHS.get(text)
    if month is not None:
        return PeriodHeader(PeriodKind.MONTH, number=month)
    m = _MONTH_YEAR.match(text)
    if m and m[1] in _MONTHS:
        return PeriodHeader(PeriodKind.MONTH, dt.date(_year(m[2]), _MONTHS[m[1]], 1))
    for pattern, order in ((_YEAR_MONTH, (1, 2)), (_MONTH_SLASH_YEAR, (2, 1))):
        m = pattern.match(text)
        if m and 1 <= int(m[order[1]]) <= 12:
            return PeriodHeader(PeriodKind.MONTH, dt.date(int(m[order[0]]), int(m[order[1]]), 1))
    m = _YEAR_WEEK.match(text)
    if m:
        start = iso_week_start(int(m[1]), int(m[2]))
        return PeriodHeader(PeriodKind.WEEK, start) if start else None
    m = _WEEK.match(text)
    if m and 1 <= int(m[1]) <= 53:
        if m[2]:
            start = iso_week_start(_year(m[2]), int(m[1]))
            return PeriodHeader(PeriodKind.WEEK, start) if start else None
        if not text.startswith(("week", "wk")):
            return PeriodHeader(PeriodKind.WEEK, number=int(m[1]))
    m = _RELATIVE.match(text)
    if m:
        return PeriodHeader(PeriodKind.WEEK, number=int(m[1]), relative=True)
    return None


def row_kind(headers: Sequence[PeriodHeader]) -> PeriodKind:
    """The kind of a row of period headers: months unless they are weeks or dates a week apart."""
    kinds = {h.kind for h in headers if h.kind is not None}
    if kinds:
        return PeriodKind.WEEK if kinds == {PeriodKind.WEEK} else PeriodKind.MONTH
    days = [h.start for h in headers if h.start is not None]
    if all(d.day == 1 for d in days):
        return PeriodKind.MONTH
    return PeriodKind.WEEK


def place(
    headers: Sequence[PeriodHeader], kind: PeriodKind, hint: dt.date | None
) -> list[dt.date | None]:
    """The first day of each header's period; headers without a year are placed by ``hint``.

    Months without a year start in the hint's year (the next year when the first one is
    before the hint's month) and roll over where the numbers go down; ISO week numbers
    likewise. A relative week, or any unplaced header without a hint, gives None.
    """
    out: list[dt.date | None] = []
    year: int | None = None
    last = 0
    for h in headers:
        if h.start is not None:
            out.append(period_start(h.start, kind))
            year, last = None, 0
            continue
        if h.relative or h.number is None or hint is None:
            out.append(None)
            continue
        if year is None:
            now = hint.month if h.kind is PeriodKind.MONTH else hint.isocalendar()[1]
            year = hint.year if h.number >= now else hint.year + 1
        elif h.number <= last:
            year += 1
        last = h.number
        if h.kind is PeriodKind.MONTH:
            out.append(dt.date(year, h.number, 1))
        else:
            out.append(iso_week_start(year, h.number))
    return out
