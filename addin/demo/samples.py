"""Seeded, realistic sample portfolios for demos, tests and benchmarks (see the package)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from addin.core.kinds import (
    Project,
)
from addin.core.rules import RuleId
from addin.core.settings import Settings
from addin.core.tracker import Tracker
from addin.demo.blueprint import Blueprint
from addin.demo.blueprints_a import BLUEPRINTS_A
from addin.demo.blueprints_b import BLUEPRINTS_B
from addin.demo.cases import DEFAULT_SEED, SAMPLES_AS_OF, SAMPLES_CREATED, SampleCase
from addin.demo.drift import write_drifted
from addin.demo.lessons import sample_lessons
from addin.demo.plans import _add_months, _blueprint_plan, _Knobs, _weekday
from addin.demo.records import _budget, _milestones, _raid, _tasks
from addin.demo.staffing import allocations, with_effort
from addin.demo.vocabulary import _PROGRAMMES
from addin.outputs.template import write_tracker

BLUEPRINTS: tuple[Blueprint, ...] = BLUEPRINTS_A + BLUEPRINTS_B

#: The intended case of every sample, by file stem.
SAMPLE_CASES: dict[str, SampleCase] = {
    b.stem: SampleCase(
        stem=b.stem,
        project_id=b.project_id,
        programme=b.programme,
        case=b.case,
        shows=b.shows,
        schedule=b.expect[0],
        cost=b.expect[1],
        risk=b.expect[2],
        overall=b.expect[3],
        stale=b.stale,
        optimism=b.optimism,
        errors=b.errors,
        layout=b.layout,
    )
    for b in BLUEPRINTS
}


def _knobs(b: Blueprint) -> _Knobs:
    programme = _PROGRAMMES[b.programme]
    return _Knobs(
        status_date=b.status_date,
        start=b.start,
        baseline_finish=_weekday(_add_months(b.start, b.months) - dt.timedelta(days=1), back=True),
        bac=b.bac,
        team=programme["team"],
        perf=b.perf,
        cost_factor=b.cost_factor,
        overrun=b.overrun,
        finish_slip=b.finish_slip,
        overdue_milestone=b.overdue_milestone,
        risk=b.risk,
        hold=b.hold,
        cancel=b.cancel,
        raid_library=programme["raid"],
        sponsor=programme["sponsor"],
    )


def _inject_errors(tracker: Tracker, errors: Sequence[RuleId]) -> Tracker:
    """Plant the named data errors, each once, in a realistic place."""
    project = tracker.project
    tasks, milestones = list(tracker.tasks), list(tracker.milestones)
    budget, raid = list(tracker.budget), list(tracker.raid)
    d = project.status_date or SAMPLES_AS_OF
    # RuleId.PROJECT_ID_FORMAT: the blueprint's Project ID is already malformed.
    if RuleId.TASK_FINISH_BEFORE_START in errors:
        i = next(i for i, t in enumerate(tasks) if t.status == "Not Started" and t.planned_start)
        t = tasks[i]
        assert t.planned_start is not None
        tasks[i] = replace(t, planned_finish=t.planned_start - dt.timedelta(days=12))
    if RuleId.TASK_COMPLETE_NOT_100 in errors:
        i = next(i for i, t in reversed(list(enumerate(tasks))) if t.status == "Complete")
        tasks[i] = replace(tasks[i], pct_complete=0.6)
    if RuleId.MILESTONE_FORECAST_REQUIRED in errors:
        i = next(i for i, m in enumerate(milestones) if m.status != "Achieved")
        milestones[i] = replace(milestones[i], forecast_date=None)
    if RuleId.TASK_STARTED_NOT_STARTED in errors:
        i = next(
            i
            for i, t in enumerate(tasks)
            if t.status == "Not Started"
            and t.owner
            and t.planned_start
            and t.planned_start <= d + dt.timedelta(days=40)
        )
        tasks[i] = replace(tasks[i], actual_start=d - dt.timedelta(days=2))
    if RuleId.BUDGET_ACTUAL_AFTER_STATUS_DATE in errors:
        i = next(i for i, b in enumerate(budget) if b.period is not None and b.period > d)
        budget[i] = replace(budget[i], actual=18_450.0)
    if RuleId.RAID_OWNER_REQUIRED in errors or RuleId.RAID_ACTION_REQUIRED in errors:
        i = next(i for i, r in enumerate(raid) if r.severity == "High" and r.status != "Closed")
        update: dict[str, Any] = {}
        if RuleId.RAID_OWNER_REQUIRED in errors:
            update["owner"] = None
        if RuleId.RAID_ACTION_REQUIRED in errors:
            update["mitigation"] = None
        raid[i] = replace(raid[i], **update)
    return tracker.replace(project, tasks=tasks, milestones=milestones, budget=budget, raid=raid)


def _sample(b: Blueprint, rng: random.Random, dated: dt.date | None = None) -> Tracker:
    """One sample tracker; its lessons are dated back from ``dated`` (default: its Status Date)."""
    knobs = _knobs(b)
    plan = _blueprint_plan(b, knobs, rng)
    tasks = _tasks(rng, plan, knobs)
    milestones = _milestones(rng, plan, tasks, knobs)
    budget = _budget(rng, tasks, knobs)
    raid = _raid(rng, knobs)
    project = Project(
        project_id=b.project_id,
        project_name=b.name,
        programme=b.programme,
        sponsor=knobs.sponsor,
        project_manager=b.manager,
        phase=b.phase,
        status_date=b.status_date,
        start_date=b.start,
        baseline_finish=knobs.baseline_finish,
        forecast_finish=knobs.forecast_finish,
        budget=b.bac,
        currency=b.currency,
        reported_rag=b.reported.value,
        rag_comment=b.comment,
    )
    lessons = sample_lessons(
        b.programme, b.project_id, b.manager, dated or b.status_date, b.status_date
    )
    tasks = [  # Effort where someone owns the task (no owner yet: no estimate yet either)
        replace(t, effort=with_effort(t.planned_start, t.planned_finish)) if t.owner else t
        for t in tasks
    ]
    tracker = Tracker.build(
        project,
        tasks=tasks,
        milestones=milestones,
        budget=budget,
        raid=raid,
        resources=allocations(b.project_id),
        lessons=lessons,
    )
    return _inject_errors(tracker, b.errors) if b.errors else tracker


def sample_trackers(
    seed: int = DEFAULT_SEED, as_of: dt.date = SAMPLES_AS_OF
) -> list[tuple[str, Tracker]]:
    """Return the sample portfolio: ``(file stem, tracker)`` pairs, in a stable order.

    Args:
        seed: Seed of the random choices (names, owners, noise). The cases hold for
            any seed; the default is the one the committed samples use.
        as_of: The consolidation date the samples are designed for. Status Dates
            keep their distance to :data:`SAMPLES_AS_OF` (so the stale one stays stale).
    """
    shift = as_of - SAMPLES_AS_OF
    out: list[tuple[str, Tracker]] = []
    for index, blueprint in enumerate(BLUEPRINTS):
        b = blueprint
        if shift:
            b = _shifted(b, shift)
        rng = random.Random(f"{seed}:{index}:{b.stem}")
        out.append((b.stem, _sample(b, rng)))
    return out


def _shifted(b: Blueprint, shift: dt.timedelta) -> Blueprint:
    return replace(b, start=b.start + shift, status_date=b.status_date + shift)


def case_rows() -> list[tuple[str, str, str, str]]:
    """Return ``(file, programme, case, what the data shows)`` for every sample (README table)."""
    return [
        (
            f"{c.stem}.xlsx",
            c.programme,
            c.case + (" (drifted layout)" if c.layout == "drifted" else ""),
            c.shows,
        )
        for c in SAMPLE_CASES.values()
    ]


def write_trackers(
    out: Path, trackers: Sequence[tuple[str, Tracker]], settings: Settings | None = None
) -> list[Path]:
    """Write sample trackers into ``out``, each in its sample's layout (standard or drifted)."""
    settings = settings or Settings()
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for stem, tracker in trackers:
        path = out / f"{stem}.xlsx"
        if SAMPLE_CASES[stem].layout == "drifted":
            written.append(write_drifted(path, tracker, settings, created=SAMPLES_CREATED))
        else:
            written.append(write_tracker(path, tracker, settings, created=SAMPLES_CREATED))
    return written


def write_samples(out: Path, settings: Settings | None = None) -> list[Path]:
    """Write the sample portfolio (the files in ``workbooks/samples``) into ``out``."""
    return write_trackers(out, sample_trackers(DEFAULT_SEED, SAMPLES_AS_OF), settings)
