"""Dates and plans of the sample trackers: workstreams turned into dated tasks."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from addin.demo.blueprint import Blueprint
from addin.demo.vocabulary import _PM_TASKS

# --- dates ----------------------------------------------------------------------------------


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, 1)


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _weekday(day: dt.date, *, back: bool = False) -> dt.date:
    """Move a Saturday or Sunday to the Monday after (or the Friday before)."""
    if day.weekday() < 5:
        return day
    step = -1 if back else 1
    while day.weekday() >= 5:
        day += dt.timedelta(days=step)
    return day


def _fraction(start: dt.date, finish: dt.date, d: dt.date) -> float:
    span = (finish - start).days + 1
    if span <= 0:
        return 1.0 if d >= start else 0.0
    return min(1.0, max(0.0, ((d - start).days + 1) / span))


# --- plans ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PlanItem:
    wbs: str
    name: str
    start: dt.date
    finish: dt.date
    lead: str
    milestone: str | None = None


@dataclass(frozen=True)
class _Knobs:
    """The numbers that steer a generated tracker towards its RAG."""

    status_date: dt.date
    start: dt.date
    baseline_finish: dt.date
    bac: float
    team: Sequence[str]
    perf: float = 1.02
    cost_factor: float = 1.0
    overrun: float = 0.0
    finish_slip: int = 0
    overdue_milestone: bool = False
    risk: str = "calm"
    hold: int = 0
    cancel: int = 0
    raid_library: Sequence[tuple[str, str, str]] = ()
    sponsor: str = ""

    @property
    def forecast_finish(self) -> dt.date:
        return self.baseline_finish + dt.timedelta(days=self.finish_slip)


def _at(start: dt.date, span: int, frac: float) -> dt.date:
    return start + dt.timedelta(days=round(span * frac))


def _blueprint_plan(b: Blueprint, knobs: _Knobs, rng: random.Random) -> list[_PlanItem]:
    """Tasks of a sample: project management, then each workstream's deliverables in steps."""
    start, finish = knobs.start, knobs.baseline_finish
    span = (finish - start).days
    items: list[_PlanItem] = []
    for i, (name, s, f, ms) in enumerate(_PM_TASKS, start=1):
        items.append(
            _PlanItem(
                f"1.{i}",
                name,
                _weekday(_at(start, span, s)),
                _weekday(_at(start, span, f), back=True) if f < 1 else finish,
                b.manager,
                ms,
            )
        )
    team = [m for m in knobs.team if m != b.manager]
    step_weights = [1.0 + 0.5 * (k in (1, 2)) for k in range(len(b.steps))]
    total_weight = sum(step_weights)
    for w, (_stream, deliverables) in enumerate(b.workstreams, start=2):
        lead = team[(w - 2) % len(team)]
        lo = 0.08 + 0.03 * ((w - 2) % 3)
        hi = 0.92 - 0.02 * ((w - 1) % 2)
        n = len(deliverables)
        slot = (hi - lo) / (1 + (n - 1) * 0.8)
        for j, deliverable in enumerate(deliverables, start=1):
            s0 = lo + (j - 1) * slot * 0.8
            cursor = s0
            for k, step in enumerate(b.steps, start=1):
                width = slot * step_weights[k - 1] / total_weight
                p_start = _weekday(_at(start, span, cursor))
                p_finish = max(
                    p_start,
                    _weekday(_at(start, span, cursor + width) - dt.timedelta(days=1), back=True),
                )
                last = k == len(b.steps)
                owner = lead if rng.random() < 0.6 else rng.choice(team)
                items.append(
                    _PlanItem(
                        f"{w}.{j}.{k}",
                        f"{deliverable}: {step}",
                        p_start,
                        p_finish,
                        owner,
                        f"{deliverable} {b.milestone_word}" if last else None,
                    )
                )
                cursor += width
    return items
