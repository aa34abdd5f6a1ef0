"""Use case: the steering pack (a PowerPoint deck) from a portfolio workbook or a run.

The pack needs the projects, milestones, risks, findings and load log, and for its
resource hot spots the resource plans and tasks; never the budget lines or lessons, so a
portfolio is read back without them. Trends come from the history (the trend the
dashboard's Trends page shows, see :mod:`addin.app.pack_inputs`) or from a previous
portfolio (:func:`trends_from_previous`); hot spots from the run's resource load, worked
out again for a portfolio read back (like the dashboard's Resources page).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from addin.app.dashboard import load_for_output
from addin.app.pack_inputs import hotspots_of, trends_of_history
from addin.app.resources import capacity_list, resource_step
from addin.core.settings import Settings
from addin.engine.run import PortfolioRun, ProjectStatus
from addin.engine.trend import TrendData
from addin.outputs.dashboard.data import ARROW_BETTER, ARROW_WORSE
from addin.outputs.dashboard.summary import summarise
from addin.outputs.pack import Hotspots, MovedMilestone, Mover, Snapshot, Trends, write_pack
from addin.resources import CapacityList, load_of

#: The row kinds the pack reads from a portfolio workbook.
PACK_KINDS = frozenset({"Milestones", "RAID"})
#: A milestone whose forecast moved later by more than this many days is slipping (RAG v2).
SLIP_DAYS = 7


def load_for_pack(
    path: Path,
    settings: Settings,
    *,
    capacity: Path | None = None,
    resources: bool = True,
) -> PortfolioRun:
    """Read a portfolio workbook back for the pack (no Budget or Lessons rows), bounded.

    See :func:`~addin.app.dashboard.load_for_output`: the Tasks and Resources rows are
    read for the hot spots only when they can give some.

    Raises:
        OutputError: not a readable portfolio workbook (one line: why).
    """
    return load_for_output(path, settings, PACK_KINDS, capacity=capacity, resources=resources)


def _delta(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else round(now - before, 4)


def _snapshot(run: PortfolioRun) -> Snapshot:
    counts = Counter(p.overall_rag or "No data" for p in run.projects)
    order = ["Red", "Amber", "Green", *sorted(set(counts) - {"Red", "Amber", "Green"})]
    return Snapshot(run.as_of, tuple((w, counts[w]) for w in order if counts[w]))


def _moved(current: PortfolioRun, previous: PortfolioRun) -> tuple[MovedMilestone, ...]:
    before = {
        (r["project_id"], r["milestone_id"]): r["forecast_date"]
        for r in previous.table("Milestones").rows()
        if r["milestone_id"] and r["forecast_date"] is not None
    }
    out = []
    for r in current.table("Milestones").rows():
        was = before.get((r["project_id"], r["milestone_id"]))
        now = r["forecast_date"]
        if was is not None and now is not None and (now - was).days > SLIP_DAYS:
            out.append(
                MovedMilestone(
                    str(r["project_id"] or ""),
                    str(r["milestone_id"]),
                    str(r["milestone"] or ""),
                    was,
                    now,
                )
            )
    out.sort(key=lambda m: (-m.moved_days, m.project_id, m.milestone_id))
    return tuple(out)


def trends_from_previous(
    current: PortfolioRun, previous: PortfolioRun, settings: Settings
) -> Trends:
    """How the portfolio moved since a previous portfolio (the dashboard's own trend).

    Movers: new Red, worsened and recovered by the dashboard's arrows, stale again when a
    project is stale now and was not before; SPI and CPI deltas; milestones whose
    forecast moved later by more than :data:`SLIP_DAYS` days.
    """
    trend = summarise(current, settings, previous).trend
    assert trend is not None
    now: dict[str, ProjectStatus] = {p.project_id or "": p for p in current.projects}
    then: dict[str, ProjectStatus] = {p.project_id or "": p for p in previous.projects}
    new_reds = {r.project_id for r in trend.new_reds}
    movers = []
    for row in trend.rows:
        p, q = now.get(row.project_id), then.get(row.project_id)
        if p is None or q is None:
            continue
        if row.project_id in new_reds:
            kind = "new Red"
        elif row.arrow == ARROW_WORSE:
            kind = "worsened"
        elif row.arrow == ARROW_BETTER:
            kind = "recovered"
        elif p.stale and not q.stale:
            kind = "stale again"
        else:
            continue
        movers.append(
            Mover(
                project_id=row.project_id,
                project_name=row.project_name,
                kind=kind,
                before=row.before or "",
                now=row.now,
                spi_delta=_delta(p.spi, q.spi),
                cpi_delta=_delta(p.cpi, q.cpi),
                reasons=p.reasons,
            )
        )
    return Trends(
        previous_as_of=previous.as_of,
        movers=tuple(movers),
        moved_milestones=_moved(current, previous),
        snapshots=(_snapshot(previous), _snapshot(current)),
        dropped=trend.dropped,
    )


def steering_pack(
    portfolio: PortfolioRun,
    output: Path,
    settings: Settings,
    *,
    previous: PortfolioRun | None = None,
    history: TrendData | None = None,
    trends: Trends | None = None,
    hotspots: Hotspots | None = None,
    capacity: CapacityList | None = None,
    period: str | None = None,
    template: Path | None = None,
) -> Path:
    """Write the steering pack of a portfolio run.

    Args:
        portfolio: The run (consolidated, or read back with :func:`load_for_pack`).
        output: The deck to write.
        settings: Effective settings.
        previous: Last period's portfolio, for the trends when there is no history.
        history: The history's trend (:func:`addin.app.history.trend`): the trends and
            movers slides (it wins over ``previous``).
        trends: The trends as the pack takes them (wins over both).
        hotspots: The resource hot spots (default: from the run's resource load).
        capacity: The capacity list for a run read back (default: the configured one).
        period: ``month`` or ``week`` for a run read back (default: the settings').
        template: The PMO's own slide master.

    Raises:
        ConfigError: the capacity list the settings name is missing or unreadable.
        OutputError: the template cannot be used or the deck could not be written.
    """
    if trends is None and history is not None:
        trends = trends_of_history(history)
    if trends is None and previous is not None:
        trends = trends_from_previous(portfolio, previous, settings)
    if hotspots is None:
        if load_of(portfolio) is None:  # a run read back: its load worked out again
            if capacity is None:
                capacity = capacity_list(settings)
            resource_step(portfolio, settings, capacity, period=period, add_findings=False)
        hotspots = hotspots_of(portfolio, settings)
    return write_pack(
        output, portfolio, settings, trends=trends, hotspots=hotspots, template=template
    )
