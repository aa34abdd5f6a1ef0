"""The steering pack's inputs beyond the run: trends from the history, hot spots from resources.

The pack (:mod:`addin.outputs.pack`) knows neither the history nor the resource layer: it
draws two small typed inputs, :class:`~addin.outputs.pack.Trends` and
:class:`~addin.outputs.pack.Hotspots`. They are filled here:

* :func:`trends_of_history` from the history's trend (:class:`~addin.engine.trend.TrendData`,
  the dashboard's Trends page data): the RAG counts of each snapshot of the window, the
  movers since the previous snapshot in the pack's words, with their SPI/CPI deltas and the
  reason the history gives, the milestones that slipped more than a week since then, and
  the projects no longer reported;
* :func:`hotspots_of` from the run's resource load: every person and period over the
  Amber threshold in the periods ahead (the dashboard's Resources page conflicts), worst
  first, with the projects that load them (most days first) and the thresholds.
"""

from __future__ import annotations

from addin.core.domain import Rag
from addin.core.settings import Settings
from addin.engine.run import PortfolioRun
from addin.engine.trend import CHANGED, NEW_RED, RECOVERED, STALE_AGAIN, WORSENED, TrendData
from addin.outputs.dashboard.resource_data import resource_page
from addin.outputs.pack import Hotspot, Hotspots, MovedMilestone, Mover, Snapshot, Trends
from addin.resources import ResourceLoad, load_of

#: The history's mover kinds in the pack's words (RAG_RULES v2 "Trend").
MOVER_WORDS = {
    NEW_RED: "new Red",
    WORSENED: "worsened",
    RECOVERED: "recovered",
    STALE_AGAIN: "stale again",
    CHANGED: "changed",
}


def _delta(change: float | None) -> float | None:
    return None if change is None else round(change, 4)


def trends_of_history(data: TrendData) -> Trends | None:
    """The pack's trends from the history's trend (None: no previous snapshot to compare)."""
    if data.previous_as_of is None:
        return None
    snapshots = tuple(
        Snapshot(
            m.as_of,
            tuple(
                (word, n)
                for word, n in (
                    (Rag.RED.value, m.red),
                    (Rag.AMBER.value, m.amber),
                    (Rag.GREEN.value, m.green),
                    (Rag.NO_DATA.value, m.other),
                )
                if n
            ),
        )
        for m in data.mix
    )
    movers = tuple(
        Mover(
            project_id=m.project_id,
            project_name=m.project_name,
            kind=MOVER_WORDS.get(m.kind, m.kind),
            before=m.before or "",
            now=m.now,
            spi_delta=_delta(m.spi_change),
            cpi_delta=_delta(m.cpi_change),
            reasons=(m.reason,) if m.reason else (),
        )
        for m in data.movers
    )
    moved = tuple(
        MovedMilestone(s.project_id, s.milestone_id, s.milestone, s.before, s.now)
        for s in data.slips
    )
    return Trends(
        previous_as_of=data.previous_as_of,
        movers=movers,
        moved_milestones=moved,
        snapshots=snapshots,
        dropped=data.dropped,
    )


def hotspots_of_load(load: ResourceLoad, settings: Settings) -> Hotspots:
    """Every person and period over the Amber threshold ahead, worst first."""
    page = resource_page(load, settings)
    asked = {p.name: p.periods for p in load.people}
    rows = []
    for c in page.conflicts:
        cell = asked.get(c.person, {}).get(c.start)
        most = sorted(cell.projects if cell is not None else (), key=lambda x: (-x[1], x[0]))
        projects = tuple(pid for pid, _ in most)
        rows.append(Hotspot(c.person, c.period, c.utilisation, c.level, projects))
    rows.sort(key=lambda h: -h.utilisation)  # stable: a person's periods stay in date order
    return Hotspots(tuple(rows), amber_over=page.over_amber, red_over=page.over_red)


def hotspots_of(run: PortfolioRun, settings: Settings) -> Hotspots | None:
    """The hot spots of a run's resource load (None: the run has no resource data)."""
    load = load_of(run)
    return hotspots_of_load(load, settings) if load is not None else None
