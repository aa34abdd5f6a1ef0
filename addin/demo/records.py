"""The sample trackers' records: tasks, milestones, budget lines and RAID items."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import replace

from addin.core.domain import derived_severity
from addin.core.kinds import (
    BudgetLine,
    Milestone,
    RaidItem,
    Task,
)
from addin.core.settings import SeverityScores
from addin.demo.plans import _add_months, _fraction, _Knobs, _month_start, _PlanItem, _weekday
from addin.demo.vocabulary import _NOTES

# --- generation ----------------------------------------------------------------------------


def _round_to(value: float, step: float) -> float:
    return round(value / step) * step


def _task_budgets(rng: random.Random, plan: Sequence[_PlanItem], bac: float) -> list[float]:
    raw = [((p.finish - p.start).days + 1) * rng.uniform(0.7, 1.3) for p in plan]
    total = sum(raw) or 1.0
    budgets = [_round_to(bac * r / total, 10.0) for r in raw]
    budgets[budgets.index(max(budgets))] += round(bac - sum(budgets), 2)
    return budgets


def _progress(rng: random.Random, p: float) -> float:
    """% Complete of a task whose (performance-adjusted) planned fraction is ``p``."""
    if p <= 0:
        return 0.0
    if p >= 1:
        return 1.0
    pct = p * rng.uniform(0.96, 1.04)
    return min(0.95, max(0.05, round(pct * 20) / 20))


def _tasks(rng: random.Random, plan: Sequence[_PlanItem], knobs: _Knobs) -> list[Task]:
    """Tasks with progress as if the plan ran at ``knobs.perf`` of its planned pace.

    Work that the plan expected by date ``t`` is done by ``start + (t - start) / perf``:
    a late project (perf < 1) still finishes its early tasks, only later.
    """
    d, start, perf = knobs.status_date, knobs.start, knobs.perf
    effective = start + dt.timedelta(days=(d - start).days * perf)

    def when(planned: dt.date, jitter: int) -> dt.date:
        real = start + dt.timedelta(days=round((planned - start).days / perf) + jitter)
        return min(d, real)

    budgets = _task_budgets(rng, plan, knobs.bac)
    future = [i for i, p in enumerate(plan) if p.start > d + dt.timedelta(days=30)]
    cancelled = set(rng.sample(future, min(knobs.cancel, len(future))))
    tasks: list[Task] = []
    for i, (item, budget) in enumerate(zip(plan, budgets, strict=True)):
        pct = (
            0.0 if i in cancelled else _progress(rng, _fraction(item.start, item.finish, effective))
        )
        status = "Not Started"
        actual_start = actual_finish = None
        if i in cancelled:
            status = "Cancelled"
        elif pct >= 1:
            status = "Complete"
            actual_start = when(item.start, rng.randint(-2, 2))
            actual_finish = max(actual_start, when(item.finish, rng.randint(-2, 3)))
        elif pct > 0:
            status = "In Progress"
            actual_start = when(item.start, rng.randint(0, 3))
        owner: str | None = item.lead
        if (
            status == "Not Started"
            and item.start > d + dt.timedelta(days=60)
            and rng.random() < 0.2
        ):
            owner = None
        note = rng.choice(_NOTES) if rng.random() < 0.12 else None
        if status == "Cancelled":
            note = "Descoped at change board"
        tasks.append(
            Task(
                task_id=f"T-{i + 1:03d}",
                wbs=item.wbs,
                task_name=item.name,
                owner=owner,
                planned_start=item.start,
                planned_finish=item.finish,
                actual_start=actual_start,
                actual_finish=actual_finish,
                pct_complete=pct,
                status=status,
                budget=budget,
                notes=note,
            )
        )
    in_progress = [
        i
        for i, t in enumerate(tasks)
        if t.status == "In Progress" and not (t.wbs or "").startswith("1.")
    ]
    for i in in_progress[: knobs.hold]:
        tasks[i] = replace(tasks[i], status="On Hold", notes="Paused pending security sign-off")
    return tasks


def _milestones(
    rng: random.Random, plan: Sequence[_PlanItem], tasks: Sequence[Task], knobs: _Knobs
) -> list[Milestone]:
    d = knobs.status_date
    span = max(1, (knobs.baseline_finish - d).days)
    pairs = sorted(
        (
            (p, t)
            for p, t in zip(plan, tasks, strict=True)
            if p.milestone and t.status != "Cancelled"
        ),
        key=lambda pt: pt[0].finish,
    )
    out: list[Milestone] = []
    overdue_left = knobs.overdue_milestone
    for n, (item, task) in enumerate(pairs, start=1):
        baseline = item.finish
        actual = forecast = None
        if task.status == "Complete":
            status = "Achieved"
            actual = task.actual_finish
            forecast = actual
        else:
            ahead = min(1.0, max(0.0, (baseline - d).days / span))
            slip = (
                round(knobs.finish_slip * (0.4 + 0.6 * ahead))
                if knobs.finish_slip
                else rng.randint(0, 3)
            )
            if baseline == knobs.baseline_finish:
                slip = knobs.finish_slip
            forecast = baseline + dt.timedelta(days=slip)
            if baseline < d and overdue_left:
                forecast = baseline  # never re-forecast: overdue
                overdue_left = False
            elif forecast < d:
                forecast = _weekday(d + dt.timedelta(days=rng.randint(7, 21)))
            gap = (forecast - baseline).days
            status = "Late" if forecast < d or gap > 30 else "At Risk" if gap > 10 else "On Track"
            if status == "On Track" and item.start > d:
                status = "Not Started"
        out.append(
            Milestone(
                milestone_id=f"M-{n:02d}",
                milestone=item.milestone,
                baseline_date=baseline,
                forecast_date=forecast,
                actual_date=actual,
                status=status,
                owner=item.lead,
            )
        )
    return out


def _overlap_days(a0: dt.date, a1: dt.date, b0: dt.date, b1: dt.date) -> int:
    return max(0, (min(a1, b1) - max(a0, b0)).days + 1)


def _budget(
    rng: random.Random, tasks: Sequence[Task], knobs: _Knobs, months: int | None = None
) -> list[BudgetLine]:
    d = knobs.status_date
    first = _month_start(knobs.start)
    last = _month_start(max(knobs.baseline_finish, knobs.forecast_finish))
    count = months or ((last.year - first.year) * 12 + last.month - first.month + 1)
    periods = [_add_months(first, k) for k in range(count)]
    ends = [_add_months(p, 1) - dt.timedelta(days=1) for p in periods]
    planned = [0.0] * count
    for t in tasks:
        if t.planned_start is None or t.planned_finish is None or not t.budget:
            continue
        days = (t.planned_finish - t.planned_start).days + 1
        for k in range(count):
            share = _overlap_days(t.planned_start, t.planned_finish, periods[k], ends[k])
            if share:
                planned[k] += t.budget * share / days
    planned = [_round_to(v, 100.0) for v in planned]
    planned[planned.index(max(planned))] += round(knobs.bac - sum(planned), 2)

    weights = [(t.budget or 0.0) for t in tasks if t.status != "Cancelled"]
    earned = sum(
        (t.budget or 0.0) * (t.pct_complete or 0.0) for t in tasks if t.status != "Cancelled"
    )
    pct_overall = earned / sum(weights) if sum(weights) else 0.0
    ac_total = knobs.bac * pct_overall * knobs.cost_factor
    past = [k for k in range(count) if periods[k] <= d]
    futures = [k for k in range(count) if periods[k] > d]
    noisy = [planned[k] * rng.uniform(0.9, 1.1) for k in past]
    total = sum(noisy) or 1.0
    actual = {k: round(ac_total * v / total, 2) for k, v in zip(past, noisy, strict=True)}
    if past:
        actual[past[-1]] = round(actual[past[-1]] + ac_total - sum(actual.values()), 2)
    remaining = max(0.0, knobs.bac * (1 + knobs.overrun) - sum(actual.values()))
    base = sum(planned[k] for k in futures) / max(1, len(futures))
    fweights = [planned[k] if planned[k] > 0 else base for k in futures]
    fsum = sum(fweights) or 1.0
    forecast = {
        k: _round_to(remaining * w / fsum, 1.0) for k, w in zip(futures, fweights, strict=True)
    }
    if futures:
        forecast[futures[-1]] += round(remaining - sum(forecast.values()), 2)
    lines = []
    for k, period in enumerate(periods):
        act = actual.get(k)
        lines.append(
            BudgetLine(
                period=period,
                planned=planned[k],
                actual=act,
                forecast=act if act is not None else forecast.get(k, 0.0),
            )
        )
    return lines


#: Severity scores the samples are designed against (the defaults of RAG_RULES v1).
_DEFAULT_SCORES = SeverityScores()
#: Probability x Impact pairs that give each severity under the default scores.
_SCORES: dict[str, tuple[tuple[int, int], ...]] = {
    "Low": ((1, 3), (2, 2), (1, 5), (1, 4)),
    "Medium": ((2, 3), (3, 3), (2, 5), (3, 2), (2, 4)),
    "High": ((3, 4), (4, 3), (4, 4), (3, 5)),
    "Critical": ((4, 5), (5, 4), (5, 5)),
}

_RISK_PROFILES: dict[str, tuple[str, ...]] = {
    # severities of the OPEN risks and issues, beyond which everything is Low/Medium
    "calm": (),
    "amber": ("High",),
    "risky": ("Critical", "High", "High", "High"),
}


def _raid(rng: random.Random, knobs: _Knobs, count: int | None = None) -> list[RaidItem]:
    d, start = knobs.status_date, knobs.start
    library = list(knobs.raid_library)
    rng.shuffle(library)
    n = count or rng.randint(9, min(14, len(library)))
    scores = _DEFAULT_SCORES
    owners = [*knobs.team[:6], knobs.sponsor] if knobs.sponsor else list(knobs.team)
    serious = list(_RISK_PROFILES[knobs.risk])
    items: list[RaidItem] = []
    days_running = max(14, (d - start).days)
    for i in range(n):
        kind, title, action = library[i % len(library)]
        if i >= len(library):
            title = f"{title} (phase {i // len(library) + 1})"
        raised = start + dt.timedelta(days=rng.randint(0, days_running - 7))
        closed = i % 4 == 3 and not (kind == "Risk" and serious)
        probability = impact = None
        severity: str | None
        if kind in ("Risk", "Issue") and serious and not closed:
            severity = serious.pop(0)
        else:
            severity = rng.choice(("Low", "Medium", "Medium"))
        if kind == "Risk":
            probability, impact = rng.choice(_SCORES[severity])
            severity = derived_severity(probability, impact, scores)
        else:
            impact = {"Low": 2, "Medium": 3, "High": 4, "Critical": 5}[severity]
        if closed:
            status = "Closed"
            due = min(d - dt.timedelta(days=1), raised + dt.timedelta(days=rng.randint(14, 60)))
        else:
            status = "Mitigating" if rng.random() < 0.5 else "Open"
            due = _weekday(d + dt.timedelta(days=rng.randint(10, 75)))
        items.append(
            RaidItem(
                raid_id=f"{kind[0]}-{i + 1:03d}",
                type=kind,
                title=title,
                owner=owners[i % len(owners)],
                raised=raised,
                due=due,
                probability=probability,
                impact=impact,
                severity=severity,
                status=status,
                mitigation=action,
            )
        )
    return items
