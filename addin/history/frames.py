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

from sqlalchemy import select
from sqlalchemy.engine import Connection

import addin.history.schema as schema
from addin.engine.run import PortfolioRun


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
    """One snapshot: its projects, and its milestones by (Project ID, Milestone ID)."""

    as_of: dt.date
    projects: dict[str, ProjectPoint] = field(default_factory=dict)
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
    cols = rows.columns
    for i, pid in enumerate(rows.project_ids):
        mid = cols["milestone_id"][i]
        if not pid or not mid:
            continue
        frame.milestones[(pid, str(mid))] = MilestonePoint(
            _word(cols["milestone"][i]),
            cols["baseline_date"][i],
            cols["forecast_date"][i],
            cols["actual_date"][i],
            _word(cols["status"][i]),
        )
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
    s, p, m = schema.snapshots, schema.projects, schema.milestones
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
    if milestones:
        stmt_m = select(
            m.c.snapshot_id,
            m.c.project_id,
            m.c.milestone_id,
            m.c.milestone,
            m.c.baseline_date,
            m.c.forecast_date,
            m.c.actual_date,
            m.c.status,
        ).where(m.c.snapshot_id.in_(list(ids)))
        for sid, pid, mid, name, base, fc, actual, status in conn.execute(stmt_m):
            if pid and mid:
                frames[ids[sid]].milestones[(pid, mid)] = MilestonePoint(
                    name or "", base, fc, actual, status or ""
                )
    return [frames[d] for d in dates if d in frames]
