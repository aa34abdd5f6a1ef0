"""Resources across projects: who is over-allocated, when, and by which projects.

A layer between the engine and the outputs: it takes a consolidated
:class:`~addin.engine.run.PortfolioRun` (every tracker's Resources rows and tasks) and
the PMO's capacity list, and works out demand (:mod:`.demand`), load against capacity
(:mod:`.load`) and the portfolio-wide findings (:mod:`.findings`) once per run.
:func:`plan_resources` is the one entry point; the outputs (the portfolio's Capacity
sheet, the dashboard's Resources page, ``PMO_LOAD``) read its :class:`ResourceLoad`.
"""

from __future__ import annotations

from addin.core.bulk import bulk
from addin.core.periods import Calendar, PeriodKind, period_start, shift
from addin.core.rules import RuleBook
from addin.core.settings import Settings
from addin.core.words import printable
from addin.engine.run import PortfolioRun
from addin.resources.capacity import CapacityList, Member, read_capacity
from addin.resources.demand import Asked, demand, has_resource_data
from addin.resources.findings import after_leaving, over_allocated, unknown_people
from addin.resources.load import PeriodLoad, PersonLoad, ResourceLoad, aggregate, level


def _files(run: PortfolioRun) -> dict[str, str]:
    """Project ID -> the tracker file it came from (the one the Projects row took)."""
    shown = {p.project_id: p.source_file for p in run.projects if p.project_id}
    out: dict[str, str] = {}
    for e in run.load_log:
        if e.project_id in shown and printable(e.file) == shown[e.project_id]:
            out.setdefault(e.project_id, e.file)
    return {pid: out.get(pid, file) for pid, file in shown.items()}


def plan_resources(
    run: PortfolioRun,
    settings: Settings,
    capacity: CapacityList | None = None,
    *,
    kind: PeriodKind | None = None,
) -> ResourceLoad:
    """Demand, capacity, utilisation and findings of a portfolio run.

    Args:
        run: The consolidated portfolio (or one read back from a portfolio workbook).
        settings: ``[resources]`` (default load, thresholds, periods shown) and the rules.
        capacity: The PMO's capacity list; None counts everyone as one full-time person.
        kind: Months or weeks (default: ``[resources] period``).
    """
    with bulk():  # hundreds of thousands of small dicts, no reference cycle among them
        return _plan(run, settings, capacity, kind or PeriodKind(settings.resources.period))


def _plan(
    run: PortfolioRun, settings: Settings, capacity: CapacityList | None, kind: PeriodKind
) -> ResourceLoad:
    res = settings.resources
    calendar = Calendar(capacity.holidays if capacity is not None else ())
    asked = demand(run, res, capacity, calendar, kind)
    now = period_start(run.as_of, kind)
    window = [shift(now, kind, n) for n in range(-res.past_periods, res.ahead_periods)]
    people, roles = aggregate(asked, capacity, calendar, kind, window)
    files = _files(run)
    rules = RuleBook(dict(settings.rules))
    ahead = window[res.past_periods :]
    found = list(over_allocated(people, asked, ahead, kind, files, settings, rules))
    if capacity is not None:
        found += unknown_people(asked, capacity, files, rules)
        found += after_leaving(asked, capacity, kind, files, settings, rules)
        found += capacity.findings
    periods = sorted({*asked.periods, *window})
    return ResourceLoad(
        kind=kind,
        as_of=run.as_of,
        periods=periods,
        window=window,
        people=people,
        roles=roles,
        unassigned=asked.nobody,
        capacity_file=capacity.path if capacity is not None else "",
        findings=found,
    )


#: Where a run keeps its resource load (:attr:`addin.engine.run.PortfolioRun.derived`).
_DERIVED = "resources"


def attach(run: PortfolioRun, load: ResourceLoad) -> None:
    """Keep a run's resource load with it, for the outputs that show it."""
    run.derived[_DERIVED] = load


def load_of(run: PortfolioRun) -> ResourceLoad | None:
    """The resource load attached to a run (None: the run has no resource data)."""
    found = run.derived.get(_DERIVED)
    return found if isinstance(found, ResourceLoad) else None


__all__ = [
    "Asked",
    "CapacityList",
    "Member",
    "PeriodLoad",
    "PersonLoad",
    "ResourceLoad",
    "attach",
    "has_resource_data",
    "level",
    "load_of",
    "plan_resources",
    "read_capacity",
]
