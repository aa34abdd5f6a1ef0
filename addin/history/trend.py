"""The trend over the last snapshots: RAG mix, movers with reasons, strips, lines, MTA.

Pure: frames in (oldest first, the reported run last), :class:`~addin.engine.trend.TrendData`
out. Movers follow RAG_RULES v2 "Trend": against the previous snapshot of the same
project, **new Red** (Red now, not before), **worsened** (Overall worse), **recovered**
(better), **stale again** (stale now, not before), with SPI and CPI deltas; a RAG word
that has no rank (RAG v2's "No data", or any word a later version adds) moves a project
only as **changed**, never as better or worse. A milestone whose forecast moved later by
more than :data:`SLIP_DAYS` since the previous snapshot is slipping.
"""

from __future__ import annotations

from collections.abc import Sequence

from addin.core.domain import RAG_ORDER
from addin.engine.trend import (
    CHANGED,
    MOVER_KINDS,
    NEW_RED,
    RAG_RANK,
    RECOVERED,
    STALE_AGAIN,
    WORSENED,
    MetricLine,
    MilestoneTrend,
    Mover,
    RagMix,
    RagStrip,
    Slip,
    TrendData,
)
from addin.history.frames import Frame, ProjectPoint

#: Snapshots in the window (RAG mix, SPI/CPI lines, milestone trend).
WINDOW = 12
#: Snapshots in each project's RAG strip.
STRIP = 8
#: Projects on each of the SPI and CPI charts.
WORST = 10
#: Milestones on the milestone trend chart.
MTA = 5
#: A forecast moved later by more than this many days is a slipping milestone.
SLIP_DAYS = 7
DIMENSIONS = ("Schedule", "Cost", "Risk")


def rank(word: str | None) -> int | None:
    """Red 2, Amber 1, Green 0; any other word (or none) has no rank."""
    return None if word is None else RAG_RANK.get(word)


def _mix(frame: Frame) -> RagMix:
    words = [p.overall for p in frame.projects.values()]
    red, amber, green = (words.count(w) for w in ("Red", "Amber", "Green"))
    return RagMix(frame.as_of, red, amber, green, len(words) - red - amber - green)


def _dimension(p: ProjectPoint, name: str) -> str:
    return {"Schedule": p.schedule, "Cost": p.cost, "Risk": p.risk}[name]


def _reasons_of(p: ProjectPoint, name: str) -> list[str]:
    return [r.partition(": ")[2] for r in p.reasons if r.startswith((f"{name} ", f"{name}:"))]


def _worse(before: ProjectPoint | None, now: ProjectPoint) -> str:
    parts: list[str] = []
    for name in DIMENSIONS:
        was = _dimension(before, name) if before is not None else None
        is_ = _dimension(now, name)
        r_was, r_is = rank(was), rank(is_)
        if r_is is not None and r_is > 0 and (r_was is None or r_is > r_was):
            why = "; ".join(_reasons_of(now, name))
            parts.append(f"{name} {was or 'new'} → {is_}" + (f": {why}" if why else ""))
    if now.stale and (before is None or not before.stale):
        parts.append("Stale: " + "; ".join(_reasons_of(now, "Stale")))
    if not parts:
        parts = list(now.reasons)
    return "; ".join(parts)


def _better(before: ProjectPoint, now: ProjectPoint) -> str:
    parts: list[str] = []
    for name in DIMENSIONS:
        r_was, r_is = rank(_dimension(before, name)), rank(_dimension(now, name))
        if r_was is not None and r_is is not None and r_is < r_was:
            was = "; ".join(_reasons_of(before, name))
            parts.append(
                f"{name} {_dimension(before, name)} → {_dimension(now, name)}"
                + (f" (was: {was})" if was else "")
            )
    if before.stale and not now.stale:
        parts.append("no longer stale")
    return "; ".join(parts) or "; ".join(before.reasons)


def mover(before: ProjectPoint | None, now: ProjectPoint) -> Mover | None:
    """How a project moved since the previous snapshot (None: it did not)."""
    was = before.overall if before is not None else None
    r_was, r_is = rank(was), rank(now.overall)
    kind: str | None = None
    reason = ""
    if now.overall == "Red" and was != "Red":
        kind, reason = NEW_RED, _worse(before, now)
        if before is None:
            reason = "new in the portfolio; " + reason
    elif before is None:
        return None
    elif r_was is not None and r_is is not None and r_is > r_was:
        kind, reason = WORSENED, _worse(before, now)
    elif r_was is not None and r_is is not None and r_is < r_was:
        kind, reason = RECOVERED, _better(before, now)
    elif now.stale and not before.stale:
        kind, reason = STALE_AGAIN, "; ".join(_reasons_of(now, "Stale")) or "stale"
    elif was != now.overall:
        kind = CHANGED
        reason = f"Overall {was or '(blank)'} → {now.overall or '(blank)'}"
        if now.reasons:
            reason += ": " + "; ".join(now.reasons)
    if kind is None:
        return None
    return Mover(
        kind=kind,
        project_id=now.project_id,
        project_name=now.project_name,
        before=was,
        now=now.overall,
        reason=reason,
        spi_before=before.spi if before is not None else None,
        spi_now=now.spi,
        cpi_before=before.cpi if before is not None else None,
        cpi_now=now.cpi,
    )


def _worst_first(p: ProjectPoint) -> tuple[int, str]:
    """Worst Overall first, as the dashboard sorts (Red, No data, Amber, Green, others)."""
    return (-RAG_ORDER.get(p.overall, -1), p.project_id)


def movers(previous: Frame, current: Frame) -> tuple[Mover, ...]:
    """Every project that moved, by kind (:data:`MOVER_KINDS` order), then worst now."""
    found = [
        m
        for p in sorted(current.projects.values(), key=_worst_first)
        if (m := mover(previous.projects.get(p.project_id), p)) is not None
    ]
    order = {k: i for i, k in enumerate(MOVER_KINDS)}
    return tuple(sorted(found, key=lambda m: order[m.kind]))


def _line(frames: Sequence[Frame], pid: str, name: str, metric: str) -> MetricLine:
    values = tuple(getattr(f.projects[pid], metric) if pid in f.projects else None for f in frames)
    return MetricLine(pid, name, values)


def _worst_lines(frames: Sequence[Frame], metric: str, n: int) -> tuple[MetricLine, ...]:
    current = frames[-1]
    known = [p for p in current.projects.values() if getattr(p, metric) is not None]
    known.sort(key=lambda p: (getattr(p, metric), p.project_id))
    return tuple(_line(frames, p.project_id, p.project_name, metric) for p in known[:n])


def _milestones(frames: Sequence[Frame], n: int) -> tuple[MilestoneTrend, ...]:
    current = frames[-1]
    found: list[MilestoneTrend] = []
    for key, point in current.milestones.items():
        series = tuple(f.dates.get(key) for f in frames)
        known = [d for d in series if d is not None]
        if len(known) < 2:
            continue
        moved = (known[-1] - known[0]).days
        if moved <= 0:
            continue
        found.append(MilestoneTrend(key[0], key[1], point.milestone, point.baseline, series, moved))
    found.sort(key=lambda m: (-m.moved_days, m.project_id, m.milestone_id))
    return tuple(found[:n])


def slips(previous: Frame, current: Frame, days: int = SLIP_DAYS) -> tuple[Slip, ...]:
    """Milestones whose date moved later by more than ``days`` since ``previous``, most first."""
    found: list[Slip] = []
    for key, now in current.dates.items():
        was = previous.dates.get(key)
        if was is not None and now is not None and (now - was).days > days:
            point = current.milestones.get(key)
            found.append(Slip(key[0], key[1], point.milestone if point else "", was, now))
    found.sort(key=lambda s: (-s.moved_days, s.project_id, s.milestone_id))
    return tuple(found)


def slipping(previous: Frame, current: Frame, days: int = SLIP_DAYS) -> int:
    """How many milestones moved later by more than ``days`` since ``previous``."""
    return len(slips(previous, current, days))


def trend_data(
    frames: Sequence[Frame],
    *,
    window: int = WINDOW,
    strip: int = STRIP,
    worst: int = WORST,
    mta: int = MTA,
) -> TrendData:
    """The Trends page's data from frames, oldest first (the reported run last).

    Raises:
        ValueError: no frames.
    """
    if not frames:
        raise ValueError("a trend needs at least one snapshot")
    frames = list(frames)[-window:]
    current = frames[-1]
    previous = frames[-2] if len(frames) > 1 else None
    moved = movers(previous, current) if previous is not None else ()
    slipped = slips(previous, current) if previous is not None else ()
    first = {m.project_id: i for i, m in enumerate(moved)}
    order = sorted(
        current.projects.values(),
        key=lambda p: (first.get(p.project_id, len(first)), *_worst_first(p)),
    )
    recent = frames[-strip:]
    strips = tuple(
        RagStrip(
            p.project_id,
            p.project_name,
            tuple(
                f.projects[p.project_id].overall if p.project_id in f.projects else None
                for f in recent
            ),
        )
        for p in order
    )
    return TrendData(
        dates=tuple(f.as_of for f in frames),
        mix=tuple(_mix(f) for f in frames),
        previous_as_of=previous.as_of if previous is not None else None,
        movers=moved,
        strip_dates=tuple(f.as_of for f in recent),
        strips=strips,
        spi=_worst_lines(frames, "spi", worst),
        cpi=_worst_lines(frames, "cpi", worst),
        milestones=_milestones(frames, mta),
        slipping=len(slipped),
        slips=slipped,
        dropped=tuple(sorted(set(previous.projects) - set(current.projects)))
        if previous is not None
        else (),
    )
