"""Periods (months, ISO weeks) and working days: the calendar resources are planned on.

A period is named by its first day: the 1st of a month, or the Monday of an ISO week.
Working days are weekdays less a holiday list (the PMO's capacity list's Holidays
sheet). :class:`Calendar` counts them fast (whole weeks by arithmetic, holidays by
bisection) and spreads an amount of effort over the periods of a date range in
proportion to their working days, which is how a task's Effort and an Owner's default
load become demand per period.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from enum import StrEnum
from functools import lru_cache


class PeriodKind(StrEnum):
    """The length of a planning period."""

    MONTH = "month"
    WEEK = "week"


def period_start(day: dt.date, kind: PeriodKind) -> dt.date:
    """The first day of the period holding ``day`` (the 1st, or the ISO week's Monday)."""
    if kind is PeriodKind.MONTH:
        return day.replace(day=1)
    return day - dt.timedelta(days=day.weekday())


def next_period(start: dt.date, kind: PeriodKind) -> dt.date:
    """The first day of the period after the one starting on ``start``."""
    if kind is PeriodKind.WEEK:
        return start + dt.timedelta(days=7)
    return dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)


def shift(start: dt.date, kind: PeriodKind, n: int) -> dt.date:
    """The period ``n`` periods after (or, negative, before) the one starting on ``start``."""
    if kind is PeriodKind.WEEK:
        return start + dt.timedelta(days=7 * n)
    months = start.year * 12 + start.month - 1 + n
    return dt.date(months // 12, months % 12 + 1, 1)


@lru_cache(maxsize=8192)  # a run asks for the same few periods' ends many times
def period_end(start: dt.date, kind: PeriodKind) -> dt.date:
    """The last day of the period starting on ``start``."""
    return next_period(start, kind) - dt.timedelta(days=1)


def periods(first: dt.date, last: dt.date, kind: PeriodKind) -> list[dt.date]:
    """Every period from the one holding ``first`` to the one holding ``last``, in order."""
    out: list[dt.date] = []
    p, end = period_start(first, kind), period_start(last, kind)
    while p <= end:
        out.append(p)
        p = next_period(p, kind)
    return out


def period_label(start: dt.date, kind: PeriodKind) -> str:
    """How a period is written in headers and messages: ``Jan 2027`` or ``2027-W05``."""
    if kind is PeriodKind.MONTH:
        return start.strftime("%b %Y")
    year, week, _ = start.isocalendar()
    return f"{year}-W{week:02d}"


def iso_week_start(year: int, week: int) -> dt.date | None:
    """The Monday of ISO week ``week`` of ``year``, or None when the year has no such week."""
    try:
        return dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        return None


def _weekdays(first: dt.date, last: dt.date) -> int:
    """Weekdays (Monday-Friday) from ``first`` to ``last``, both included."""
    n = (last - first).days + 1
    if n <= 0:
        return 0
    weeks, rest = divmod(n, 7)
    start = first.weekday()
    extra = sum(1 for i in range(rest) if (start + i) % 7 < 5)
    return weeks * 5 + extra


class Calendar:
    """Working days: weekdays less a list of holidays.

    Args:
        holidays: Days nobody works (weekend days among them are ignored).
    """

    def __init__(self, holidays: Iterable[dt.date] = ()) -> None:
        self.holidays = tuple(sorted({d for d in holidays if d.weekday() < 5}))
        self._cache: dict[tuple[dt.date, dt.date], int] = {}

    def working_days(self, first: dt.date, last: dt.date) -> int:
        """Working days from ``first`` to ``last``, both included (0 when ``last`` < ``first``)."""
        key = (first, last)
        found = self._cache.get(key)
        if found is None:
            off = bisect.bisect_right(self.holidays, last) - bisect.bisect_left(
                self.holidays, first
            )
            found = max(0, _weekdays(first, last) - off)
            if len(self._cache) < 100_000:
                self._cache[key] = found
        return found

    def in_period(self, start: dt.date, kind: PeriodKind) -> int:
        """Working days of the period starting on ``start``."""
        return self.working_days(start, period_end(start, kind))

    def spread(
        self, first: dt.date, last: dt.date, amount: float, kind: PeriodKind
    ) -> list[tuple[dt.date, float]]:
        """``amount`` spread over the periods of ``first``..``last`` by their working days.

        A range with no working day at all (a weekend, a holiday) puts the whole amount
        in the period of ``first``, so no effort is ever lost.
        """
        if last < first:
            first, last = last, first
        start = period_start(first, kind)
        end = period_start(last, kind)
        if start == end:
            return [(start, amount)]
        parts: list[tuple[dt.date, int]] = []
        p = start
        while p <= end:
            lo = max(p, first)
            hi = min(period_end(p, kind), last)
            parts.append((p, self.working_days(lo, hi)))
            p = next_period(p, kind)
        total = sum(n for _, n in parts)
        if total == 0:
            return [(start, amount)]
        return [(p, amount * n / total) for p, n in parts if n]
