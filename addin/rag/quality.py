"""Schedule quality (RAG_RULES v2): DCMA-style checks of a Tasks table, reported beside RAG.

Computed at the status date ``d`` from the checks a tracker without dependencies
supports; none of them changes a RAG. Each metric is None when its denominator is
empty (no tasks due, none finished, none incomplete): no number is made up.

| metric | definition |
|---|---|
| BEI | tasks Complete / tasks with Planned Finish <= d |
| Missed tasks % | tasks finished after their Baseline Finish (Planned Finish when there is no
  baseline) / tasks finished |
| High duration % | incomplete tasks longer than ``high_duration_days`` working days /
  incomplete tasks with planned dates |
| Invalid dates | tasks with an actual date after d, or incomplete with a Planned Finish
  before d |
| Unassigned % | incomplete tasks with no Owner / incomplete tasks |
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from addin.core.domain import TASK_CANCELLED, TASK_COMPLETE
from addin.core.settings import ScheduleQualityThresholds
from addin.core.tracker import Table
from addin.core.words import counted
from addin.rag.metrics import shown


@dataclass(frozen=True)
class ScheduleQuality:
    """The schedule-quality metrics of one tracker and the warnings they raise (None: none)."""

    bei: float | None = None
    missed_tasks_pct: float | None = None
    high_duration_pct: float | None = None
    invalid_dates: int | None = None
    unassigned_pct: float | None = None
    warnings: tuple[str, ...] = ()


def working_days(start: dt.date, finish: dt.date) -> int:
    """Weekdays from ``start`` to ``finish``, both included (0 when finish is before start)."""
    days = (finish - start).days + 1
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    first = start.weekday()
    return weeks * 5 + sum(1 for i in range(rest) if (first + i) % 7 < 5)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _done(status: Any, pct: Any, actual_finish: Any) -> bool:
    return status == TASK_COMPLETE or (pct is not None and pct >= 1) or actual_finish is not None


def _column(tasks: Table, name: str) -> Sequence[Any]:
    """A column of the table, or blanks when the kind has no such field (yet)."""
    found = tasks.columns.get(name)
    return found if found is not None else [None] * len(tasks)


def schedule_quality(
    tasks: Table, d: dt.date, limits: ScheduleQualityThresholds
) -> ScheduleQuality:
    """The schedule-quality metrics of a Tasks table at ``d``, with warnings past ``limits``.

    Cancelled tasks are left out. A task is done when its Status is Complete, its
    % Complete is 100 % or it has an Actual Finish; finished means it has an Actual Finish.
    """
    due = done_count = finished = missed = incomplete = long = dated = invalid = orphan = 0
    rows = zip(
        _column(tasks, "status"),
        _column(tasks, "pct_complete"),
        _column(tasks, "planned_start"),
        _column(tasks, "planned_finish"),
        _column(tasks, "actual_start"),
        _column(tasks, "actual_finish"),
        _column(tasks, "baseline_finish"),
        _column(tasks, "owner"),
        strict=True,
    )
    counted_tasks = 0
    for status, pct, start, finish, a_start, a_finish, baseline, owner in rows:
        if status == TASK_CANCELLED:
            continue
        counted_tasks += 1
        done = _done(status, pct, a_finish)
        done_count += done
        due += finish is not None and finish <= d
        if a_finish is not None:
            finished += 1
            target = baseline or finish
            missed += target is not None and a_finish > target
        bad = any(x is not None and x > d for x in (a_start, a_finish))
        if not done:
            incomplete += 1
            orphan += not owner
            bad = bad or (finish is not None and finish < d)
            if start is not None and finish is not None:
                dated += 1
                long += working_days(start, finish) > limits.high_duration_days
        invalid += bad
    if not counted_tasks:
        return ScheduleQuality()
    q = ScheduleQuality(
        bei=_share(done_count, due),
        missed_tasks_pct=_share(missed, finished),
        high_duration_pct=_share(long, dated),
        invalid_dates=invalid,
        unassigned_pct=_share(orphan, incomplete),
    )
    return dataclasses.replace(q, warnings=quality_warnings(q, limits))


def _pct(value: float, limit: float) -> str:
    return f"{shown(value, limit, 0, scale=100)} % > {limit * 100:g} %"


def quality_warnings(q: ScheduleQuality, limits: ScheduleQualityThresholds) -> tuple[str, ...]:
    """The metrics past their warning thresholds, in words ("BEI 0.80 < 0.95")."""
    out = []
    if q.bei is not None and q.bei < limits.bei_warn:
        out.append(f"BEI {shown(q.bei, limits.bei_warn)} < {limits.bei_warn:g}")
    if q.missed_tasks_pct is not None and q.missed_tasks_pct > limits.missed_tasks_warn:
        out.append(f"missed tasks {_pct(q.missed_tasks_pct, limits.missed_tasks_warn)}")
    if q.high_duration_pct is not None and q.high_duration_pct > limits.high_duration_warn:
        out.append(
            f"high duration (> {limits.high_duration_days} working days) "
            f"{_pct(q.high_duration_pct, limits.high_duration_warn)}"
        )
    if q.invalid_dates is not None and q.invalid_dates > limits.invalid_dates_warn:
        out.append(counted(q.invalid_dates, "task with invalid dates", "tasks with invalid dates"))
    if q.unassigned_pct is not None and q.unassigned_pct > limits.unassigned_warn:
        out.append(f"unassigned {_pct(q.unassigned_pct, limits.unassigned_warn)}")
    return tuple(out)
