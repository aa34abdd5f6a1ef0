"""Reading the history: the snapshots, one project's timeline, one metric's last values.

Every value comes back through :mod:`addin.history.types` (a tampered row gives blanks,
never an error or anything executed), and every value the caller gives is a bound
parameter; a metric name is looked up among the Projects columns, never pasted into SQL.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

import addin.history.schema as schema
from addin.history.frames import split_reasons
from addin.history.save import SnapshotInfo
from addin.history.trend import SLIP_DAYS


def snapshots(conn: Connection) -> list[SnapshotInfo]:
    """Every snapshot, oldest first."""
    s = schema.snapshots
    out = []
    for r in conn.execute(select(s).order_by(s.c.as_of)):
        m = r._mapping
        if m["as_of"] is None:
            continue
        out.append(
            SnapshotInfo(
                as_of=m["as_of"],
                portfolio=m["portfolio"] or "",
                source=m["source"] or "",
                saved_at=m["saved_at"] or "",
                projects=m["projects"] or 0,
                red=m["red"] or 0,
                amber=m["amber"] or 0,
                green=m["green"] or 0,
                other=m["other"] or 0,
                files=m["files"] or 0,
                errors=m["errors"] or 0,
            )
        )
    return out


@dataclass(frozen=True)
class TimelineEntry:
    """One project at one snapshot, and what changed since the one before."""

    as_of: dt.date
    project_name: str
    overall: str
    schedule: str
    cost: str
    risk: str
    reported: str
    stale: bool
    spi: float | None
    cpi: float | None
    finish_slip_days: int | None
    max_slippage_days: int | None
    reasons: tuple[str, ...]
    changes: tuple[str, ...]


_TIMELINE = (
    "project_name",
    "overall_rag",
    "schedule_rag",
    "cost_rag",
    "risk_rag",
    "reported_rag",
    "stale",
    "spi",
    "cpi",
    "finish_slip_days",
    "max_slippage_days",
    "rag_reasons",
)


#: Slipping milestones named per snapshot in a timeline; the rest are counted.
MILESTONE_LINES = 5


def _delta(name: str, before: float | None, now: float | None, fmt: str = "+.2f") -> str | None:
    if before is None or now is None or abs(now - before) < 0.005:
        return None
    return f"{name} {before:.2f} → {now:.2f} ({now - before:{fmt}})"


def _milestone_moves(conn: Connection, project_id: str) -> dict[dt.date, list[str]]:
    """Per snapshot: the project's slipping milestones, and how many others moved.

    Slipping: forecast later by more than a week since the snapshot before (the first
    few by name).
    """
    s, m = schema.snapshots, schema.milestones
    stmt = (
        select(s.c.as_of, m.c.milestone_id, m.c.milestone, m.c.forecast_date)
        .join(s, s.c.id == m.c.snapshot_id)
        .where(m.c.project_id == project_id)
        .order_by(s.c.as_of)
    )
    last: dict[str, dt.date] = {}
    out: dict[dt.date, list[str]] = {}
    others: dict[dt.date, int] = {}
    for as_of, mid, name, forecast in conn.execute(stmt):
        if not mid or forecast is None or as_of is None:
            continue
        before = last.get(mid)
        last[mid] = forecast
        if before is None or before == forecast:
            continue
        days = (forecast - before).days
        if days > SLIP_DAYS:
            out.setdefault(as_of, []).append(
                f"{mid} {name or ''}".strip() + f" slipping: forecast {before} → {forecast} "
                f"({days:+d} days)"
            )
        else:
            others[as_of] = others.get(as_of, 0) + 1
    for lines in out.values():
        if len(lines) > MILESTONE_LINES:
            lines[MILESTONE_LINES:] = [f"and {len(lines) - MILESTONE_LINES} more slipping"]
    for as_of, n in others.items():
        out.setdefault(as_of, []).append(
            f"{n} other milestone forecast{'s' if n != 1 else ''} moved by {SLIP_DAYS} days or less"
        )
    return out


def resolve_project(conn: Connection, project_id: str) -> str | None:
    """The stored spelling of a Project ID given in any case (None: never seen)."""
    p = schema.projects
    wanted = project_id.strip()
    found = conn.execute(
        select(p.c.project_id).where(func.lower(p.c.project_id) == wanted.casefold()).limit(1)
    ).scalar()
    return found if isinstance(found, str) else None


def timeline(conn: Connection, project_id: str) -> list[TimelineEntry]:
    """One project at every snapshot that holds it, oldest first, with what changed."""
    s, p = schema.snapshots, schema.projects
    stmt = (
        select(s.c.as_of, *(p.c[n] for n in _TIMELINE))
        .join(s, s.c.id == p.c.snapshot_id)
        .where(p.c.project_id == project_id)
        .order_by(s.c.as_of)
    )
    moves = _milestone_moves(conn, project_id)
    out: list[TimelineEntry] = []
    before: TimelineEntry | None = None
    for r in conn.execute(stmt):
        m = r._mapping
        if m["as_of"] is None:
            continue
        entry = TimelineEntry(
            as_of=m["as_of"],
            project_name=m["project_name"] or "",
            overall=m["overall_rag"] or "",
            schedule=m["schedule_rag"] or "",
            cost=m["cost_rag"] or "",
            risk=m["risk_rag"] or "",
            reported=m["reported_rag"] or "",
            stale=bool(m["stale"]),
            spi=m["spi"],
            cpi=m["cpi"],
            finish_slip_days=m["finish_slip_days"],
            max_slippage_days=m["max_slippage_days"],
            reasons=split_reasons(m["rag_reasons"]),
            changes=(),
        )
        changes = _changes(before, entry) + moves.get(entry.as_of, [])
        entry = dataclasses.replace(entry, changes=tuple(changes))
        out.append(entry)
        before = entry
    return out


def _changes(before: TimelineEntry | None, now: TimelineEntry) -> list[str]:
    if before is None:
        return ["first snapshot"]
    out: list[str] = []
    for name, was, is_ in (
        ("Overall", before.overall, now.overall),
        ("Schedule", before.schedule, now.schedule),
        ("Cost", before.cost, now.cost),
        ("Risk", before.risk, now.risk),
    ):
        if was != is_:
            out.append(f"{name} {was or '(blank)'} → {is_ or '(blank)'}")
    if now.stale != before.stale:
        out.append("now stale" if now.stale else "no longer stale")
    for text in (_delta("SPI", before.spi, now.spi), _delta("CPI", before.cpi, now.cpi)):
        if text:
            out.append(text)
    if (
        before.finish_slip_days is not None
        and now.finish_slip_days is not None
        and before.finish_slip_days != now.finish_slip_days
    ):
        out.append(f"finish slip {before.finish_slip_days} → {now.finish_slip_days} days")
    new = [r for r in now.reasons if r not in before.reasons]
    out += [f"new reason: {r}" for r in new]
    return out


#: Projects columns a worksheet function may ask for (JSON key -> column).
METRICS = tuple(n for n in schema.PROJECT_TYPES if n not in ("project_id", "source_file"))


def series(
    conn: Connection, project_id: str, metric: str, periods: int
) -> list[tuple[dt.date, Any]]:
    """The last ``periods`` values of one Projects column for a project, oldest first.

    Raises:
        KeyError: ``metric`` is not a Projects column (the message lists them).
    """
    if metric not in METRICS:
        raise KeyError(f"unknown metric {metric!r} (use one of: {', '.join(METRICS)})")
    s, p = schema.snapshots, schema.projects
    column = p.c[metric]
    stmt = (
        select(s.c.as_of, column)
        .join(s, s.c.id == p.c.snapshot_id)
        .where(p.c.project_id == project_id)
        .order_by(s.c.as_of.desc())
        .limit(max(periods, 1))
    )
    rows = [(d, v) for d, v in conn.execute(stmt) if d is not None]
    return rows[::-1]
