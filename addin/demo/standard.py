"""Standard-size trackers for the benchmarks: one fast, seeded tracker of ~260 rows."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from addin.core.domain import Rag
from addin.core.kinds import (
    Project,
)
from addin.core.tracker import Tracker
from addin.demo.plans import _add_months, _at, _Knobs, _month_start, _PlanItem, _weekday
from addin.demo.records import _budget, _milestones, _raid, _round_to, _tasks
from addin.demo.vocabulary import _GENERIC_DELIVERABLES, _GENERIC_NAMES, _GENERIC_STEPS, _PROGRAMMES

# --- standard-size trackers (benchmarks) ---------------------------------------------------


def _generic_plan(
    rng: random.Random, start: dt.date, finish: dt.date, count: int, team: Sequence[str]
) -> list[_PlanItem]:
    span = max(30, (finish - start).days)
    per_stream = 10
    items: list[_PlanItem] = []
    deliverables = list(_GENERIC_DELIVERABLES)
    for i in range(count):
        stream, step = divmod(i, per_stream)
        deliverable = deliverables[stream % len(deliverables)]
        if stream >= len(deliverables):
            deliverable = f"{deliverable} {stream // len(deliverables) + 1}"
        phase = _GENERIC_STEPS[step % len(_GENERIC_STEPS)]
        s = rng.uniform(0, 0.85)
        length = rng.uniform(0.02, 0.15)
        p_start = _weekday(_at(start, span, s))
        p_finish = max(p_start, _weekday(_at(start, span, min(1.0, s + length)), back=True))
        items.append(
            _PlanItem(
                f"{stream + 1}.{step + 1}",
                f"{deliverable}: {phase}",
                p_start,
                p_finish,
                team[stream % len(team)],
            )
        )
    items.sort(key=lambda p: (p.start, p.wbs))
    return items


#: Health profiles of standard trackers: (weight, intended overall RAG, knob changes).
#: About 60% Green, 26% Amber, 13% Red, like a real portfolio.
_STANDARD_PROFILES: tuple[tuple[int, Rag, dict[str, Any]], ...] = (
    (14, Rag.GREEN, {}),
    (2, Rag.AMBER, {"finish_slip": 15}),
    (2, Rag.AMBER, {"overrun": 0.07, "cost_factor": 1.02}),
    (2, Rag.AMBER, {"risk": "amber"}),
    (1, Rag.RED, {"perf": 0.8, "finish_slip": 35}),
    (1, Rag.RED, {"overrun": 0.15, "cost_factor": 1.15}),
    (1, Rag.RED, {"risk": "risky"}),
)


def standard_tracker(
    rng: random.Random,
    project_id: str,
    status_date: dt.date,
    *,
    tasks: int = 200,
    milestones: int = 20,
    months: int = 12,
    raid: int = 30,
) -> Tracker:
    """Return one "standard size" tracker, fast, for benchmarks.

    The project runs ``months`` months around ``status_date`` (about 60% elapsed),
    with performance drawn from ``rng`` so a batch mixes Green, Amber and Red.

    Args:
        rng: The random source (seed it for reproducible batches).
        project_id: Its Project ID, e.g. ``BEN-0001``.
        status_date: Its Status Date.
        tasks: Number of tasks.
        milestones: Number of milestones (at most ``tasks``).
        months: Number of Budget rows (months of the project).
        raid: Number of RAID items.
    """
    programme_name = rng.choice(sorted(_PROGRAMMES))
    programme = _PROGRAMMES[programme_name]
    start = _add_months(_month_start(status_date), -round(months * 0.6))
    finish = _add_months(start, months) - dt.timedelta(days=1)
    knobs = _Knobs(
        status_date=status_date,
        start=start,
        baseline_finish=finish,
        bac=_round_to(rng.uniform(0.3e6, 5e6), 10_000.0),
        team=programme["team"],
        raid_library=programme["raid"],
        sponsor=programme["sponsor"],
    )
    profile = rng.choices(_STANDARD_PROFILES, weights=[w for w, _, _ in _STANDARD_PROFILES])[0]
    _, rag, changes = profile
    knobs = replace(knobs, **changes)
    plan = _generic_plan(rng, start, finish, tasks, knobs.team)
    chosen = set(rng.sample(range(len(plan)), min(milestones, len(plan))))
    plan = [
        _PlanItem(
            p.wbs, p.name, p.start, p.finish, p.lead, f"{p.name.split(':')[0]} milestone {i + 1}"
        )
        if i in chosen
        else p
        for i, p in enumerate(plan)
    ]
    task_rows = _tasks(rng, plan, knobs)
    name = " ".join(rng.choice(words) for words in _GENERIC_NAMES)
    reported = rag if rng.random() < 0.9 else Rag.GREEN
    project = Project(
        project_id=project_id,
        project_name=name,
        programme=programme_name,
        sponsor=knobs.sponsor,
        project_manager=knobs.team[0],
        phase="Execution",
        status_date=status_date,
        start_date=start,
        baseline_finish=finish,
        forecast_finish=knobs.forecast_finish,
        budget=knobs.bac,
        currency="GBP",
        reported_rag=reported.value,
        rag_comment=None if reported is Rag.GREEN else "Generated for benchmarking.",
    )
    return Tracker.build(
        project,
        tasks=task_rows,
        milestones=_milestones(rng, plan, task_rows, knobs),
        budget=_budget(rng, task_rows, knobs, months),
        raid=_raid(rng, knobs, raid),
    )
