"""Snapshots as the trend needs them: per project and per milestone, from the database or a run.

A :class:`Frame` is one snapshot reduced to what trends are made of. The snapshots of the
history are read into frames (:func:`read_frames`: a few columns, the last N snapshots
only); the run being reported becomes a frame without touching the database
(:func:`frame_of`), so a dashboard shows the current week even when the history could
not be written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

import addin.history.schema as schema
from addin.engine.run import PortfolioRun
from addin.history.types import as_date


@dataclass(frozen=True, slots=True)
class ProjectPoint:
    """One project at one snapshot."""

    project_id: str
    project_name: str
    overall: str
    schedule: str
    cost: str
    risk: str
    stale: bool
    spi: float | None
    cpi: float | None
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MilestonePoint:
    """One milestone at one snapshot."""

    milestone: str
    baseline: dt.date | None
    forecast: dt.date | None
    actual: dt.date | None
    status: str


@dataclass
class Frame:
    """One snapshot: its projects, and its milestones by (Project ID, Milestone ID).

    Attributes:
        dates: Each milestone's date at this snapshot: its forecast, or its actual date
            once achieved (what a milestone trend analysis plots).
        milestones: The milestones in full (name, baseline, status): the reported run's
            only; earlier snapshots need their dates alone.
    """

    as_of: dt.date
    projects: dict[str, ProjectPoint] = field(default_factory=dict)
    dates: dict[tuple[str, str], dt.date | None] = field(default_factory=dict)
    milestones: dict[tuple[str, str], MilestonePoint] = field(default_factory=dict)


def split_reasons(text: str | None) -> tuple[str, ...]:
    """The reasons of a stored row (joined with ``"; "`` as on the Projects sheet)."""
    return tuple(r for r in (text or "").split("; ") if r)


def _word(value: object) -> str:
    return value if isinstance(value, str) else ""


def frame_of(run: PortfolioRun) -> Frame:
    """The run being reported, as a frame."""
    frame = Frame(run.as_of)
    for p in run.projects:
        if not p.project_id:
            continue
        frame.projects[p.project_id] = ProjectPoint(
            p.project_id,
            p.project_name or "",
            p.overall_rag,
            p.schedule_rag,
            p.cost_rag,
            p.risk_rag,
            p.stale,
            p.spi,
            p.cpi,
            p.reasons,
        )
    rows = run.table("Milestones")
    read = ("milestone_id", "milestone", "baseline_date", "forecast_date", "actual_date", "status")
    for pid, mid, title, baseline, forecast, actual, status in zip(
        rows.project_ids, *(rows.columns[k] for k in read), strict=True
    ):
        if not pid or not mid:
            continue
        point = MilestonePoint(_word(title), baseline, forecast, actual, _word(status))
        frame.milestones[(pid, str(mid))] = point
        frame.dates[(pid, str(mid))] = point.forecast or point.actual
    return frame


def snapshot_dates(conn: Connection, *, upto: dt.date | None = None) -> list[dt.date]:
    """Every snapshot's as-of date (up to ``upto``), oldest first."""
    s = schema.snapshots
    stmt = select(s.c.as_of).order_by(s.c.as_of)
    if upto is not None:
        stmt = stmt.where(s.c.as_of <= upto)
    return [d for (d,) in conn.execute(stmt) if isinstance(d, dt.date)]


def read_frames(
    conn: Connection, dates: Sequence[dt.date], *, milestones: bool = True
) -> list[Frame]:
    """The snapshots of ``dates`` as frames, in that order."""
    s, p = schema.snapshots, schema.projects
    ids = {
        sid: day
        for sid, day in conn.execute(select(s.c.id, s.c.as_of).where(s.c.as_of.in_(list(dates))))
        if isinstance(day, dt.date)
    }
    frames = {day: Frame(day) for day in ids.values()}
    stmt = select(
        p.c.snapshot_id,
        p.c.project_id,
        p.c.project_name,
        p.c.overall_rag,
        p.c.schedule_rag,
        p.c.cost_rag,
        p.c.risk_rag,
        p.c.stale,
        p.c.spi,
        p.c.cpi,
        p.c.rag_reasons,
    ).where(p.c.snapshot_id.in_(list(ids)))
    for sid, pid, name, overall, sched, cost, risk, stale, spi, cpi, reasons in conn.execute(stmt):
        if not pid:
            continue
        frames[ids[sid]].projects[pid] = ProjectPoint(
            pid,
            name or "",
            overall or "",
            sched or "",
            cost or "",
            risk or "",
            bool(stale),
            spi,
            cpi,
            split_reasons(reasons),
        )
    if milestones and ids:
        # The biggest read of a trend (milestones x snapshots): four columns, straight from
        # the driver, each value checked here (ids are our own integers).
        marks = ", ".join(str(int(i)) for i in ids)
        raw: Any = conn.connection.driver_connection  # rows as plain tuples: the fast path
        cursor = raw.cursor()
        try:
            cursor.execute(
                "SELECT snapshot_id, project_id, milestone_id, forecast_date, actual_date "
                f"FROM milestones WHERE snapshot_id IN ({marks})"
            )
            found = cursor.fetchall()
        finally:
            cursor.close()
        parsed: dict[object, dt.date | None] = {}  # a date repeats across snapshots

        def day_of(value: object) -> dt.date | None:
            if value not in parsed:
                parsed[value] = as_date(value)
            return parsed[value]

        by_id = {sid: frames[day] for sid, day in ids.items()}
        for sid, pid, mid, forecast, actual in found:
            frame = by_id.get(sid)
            if frame is not None and isinstance(pid, str) and isinstance(mid, str):
                frame.dates[(pid, mid)] = day_of(forecast) or day_of(actual)
    return [frames[d] for d in dates if d in frames]
