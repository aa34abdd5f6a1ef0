"""A Gantt chart with no header over its task column: names beside a band of dates.

A plan drawn as a chart often heads nothing but its time axis: a row of dates (one per
week, day or month) across, the tasks' names in a column to its left, one a row, and the
bars drawn as cell fill, so the band below the dates holds no value. A person reads the
names as the plan's tasks (with no dates of their own). Found only where no sheet of the
workbook holds a task table with a header, and only when

- the date row holds at least :data:`MIN_DATES` dates in adjacent columns, ascending;
- below it, at least :data:`MIN_TASKS` rows in a row hold a text in one column left of
  the band and nothing else: no value in the band (a log or a timesheet writes there).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from addin.read.grid import Grid
from addin.read.headers import HeaderMatch

#: Dates a time axis needs, and named rows below it.
MIN_DATES, MIN_TASKS = 4, 3
#: Rows from the top searched for the time axis.
SCAN_ROWS = 40


def _is_date(v: Any) -> bool:
    return isinstance(v, dt.date)


def _day(v: dt.date) -> dt.date:
    return v.date() if isinstance(v, dt.datetime) else v


def _band(row: list[Any]) -> tuple[int, int] | None:
    """(first, last) cell positions of the longest run of ascending dates in a row."""
    best: tuple[int, int] | None = None
    j, n = 0, len(row)
    while j < n:
        if not _is_date(row[j]):
            j += 1
            continue
        k = j
        while k + 1 < n and _is_date(row[k + 1]) and _day(row[k + 1]) > _day(row[k]):
            k += 1
        if k - j + 1 >= MIN_DATES and (best is None or k - j > best[1] - best[0]):
            best = (j, k)
        j = k + 1
    return best


def _names(grid: Grid, i: int, first: int, last: int) -> tuple[int, int] | None:
    """(column position, rows) of the names below row ``i``, or None."""
    col: int | None = None
    count = 0
    for row in grid.rows[i + 1 :]:
        filled = [j for j, v in enumerate(row) if v is not None and v != ""]
        if not filled:
            break
        if len(filled) != 1 or filled[0] >= first or any(first <= j <= last for j in filled):
            break
        j = filled[0]
        v = row[j]
        if not isinstance(v, str) or not v.strip() or (col is not None and j != col):
            break
        col = j
        count += 1
    return (col, count) if col is not None and count >= MIN_TASKS else None


def unheaded_gantt(grid: Grid) -> HeaderMatch | None:
    """The task table of a Gantt chart with no header over its names (see above), or None."""
    for i, row in enumerate(grid.rows[:SCAN_ROWS]):
        band = _band(row)
        if band is None:
            continue
        if any(isinstance(v, str) and v.strip() for v in row[: band[0]]):
            continue  # a header row with texts: the ordinary header search had its turn
        found = _names(grid, i, *band)
        if found is None:
            continue
        col = grid.left + found[0]
        return HeaderMatch(
            row=grid.top + i,
            columns={"task_name": col},
            strength={"task_name": 1},
            candidates={"task_name": [(col, 1)]},
        )
    return None
