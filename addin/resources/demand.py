"""Demand: the days each project asks of each person (or role) in each period.

Per project, from the first source that has something (TRACKER_SPEC v1.1):

1. its **Resources** rows: Planned days, or FTE x the person's working days in the
   row's period (a row's period is a month when every period of the project is the
   1st of a month, else a week);
2. else each task's **Effort**, spread evenly over the working days from its Planned
   Start to its Planned Finish;
3. else each open task's **Owner** at the default load (``[resources] default_load``
   of their working days over the task).

Amounts are moved to the run's periods (months or ISO weeks) in proportion to working
days, so a weekly plan and a monthly one add up. Cancelled tasks ask nothing; an Owner
cell naming several people (``Ann; Bob``) shares the effort between them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from addin.core.domain import TASK_CANCELLED, TASK_COMPLETE
from addin.core.periods import Calendar, PeriodKind, period_end, period_start
from addin.core.settings import ResourceSettings
from addin.engine.run import PortfolioRun
from addin.resources.capacity import CapacityList, Member
from addin.resources.names import split_owners

#: Where a demand entry comes from.
FROM_RESOURCES, FROM_EFFORT, FROM_OWNER = "Resources", "Effort", "Owner"


@dataclass(slots=True)
class Demand:
    """Demand entries as columns: one per source row and period of the run.

    Attributes:
        project_ids: The project asking.
        names: The person as written (None for a role row, or nobody).
        roles: The row's role (Resources rows), else None.
        teams: The row's team (Resources rows), else None.
        periods: First day of the run's period.
        days: Days asked in that period.
        basis: ``Resources``, ``Effort`` or ``Owner``.
        cells: The source cell (``'Resources'!D5``).
    """

    project_ids: list[str | None] = field(default_factory=list)
    names: list[str | None] = field(default_factory=list)
    roles: list[str | None] = field(default_factory=list)
    teams: list[str | None] = field(default_factory=list)
    periods: list[dt.date] = field(default_factory=list)
    days: list[float] = field(default_factory=list)
    basis: list[str] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.days)

    def add(
        self,
        pid: str | None,
        name: str | None,
        role: str | None,
        team: str | None,
        parts: list[tuple[dt.date, float]],
        basis: str,
        cell: str,
    ) -> None:
        """Append one source row's demand, spread over periods."""
        for period, days in parts:
            if days <= 0:
                continue
            self.project_ids.append(pid)
            self.names.append(name)
            self.roles.append(role)
            self.teams.append(team)
            self.periods.append(period)
            self.days.append(days)
            self.basis.append(basis)
            self.cells.append(cell)


class _Days:
    """The PMO's calendar and the capacity list's names (an Owner cell is split against them).

    An FTE or an Owner's load is a share of *all* the working days of its range, not
    of the person's availability: an allocation after a person's End date still asks
    for those days (and is reported), it does not vanish.
    """

    def __init__(self, calendar: Calendar, capacity: CapacityList | None) -> None:
        self.calendar = calendar
        self.by_key: dict[str, Member] = dict(capacity.by_key) if capacity is not None else {}

    def of(self, first: dt.date, last: dt.date) -> int:
        return self.calendar.working_days(first, last)


def _project_kind(periods: list[dt.date | None]) -> PeriodKind:
    days = [p for p in periods if p is not None]
    return PeriodKind.MONTH if all(p.day == 1 for p in days) else PeriodKind.WEEK


def _from_resources(
    run: PortfolioRun, out: Demand, days: _Days, kind: PeriodKind
) -> set[str | None]:
    """Demand of every project's Resources rows; returns the projects that had any."""
    rows = run.table("Resources")
    cols = rows.columns
    by_project: dict[str | None, list[int]] = {}
    for i, (planned, fte, period) in enumerate(
        zip(cols["planned"], cols["fte"], cols["period"], strict=True)
    ):
        if (planned or fte) and period is not None:
            by_project.setdefault(rows.project_ids[i], []).append(i)
    calendar = days.calendar
    for pid, indexes in by_project.items():
        own = _project_kind([cols["period"][i] for i in indexes])
        for i in indexes:
            start = period_start(cols["period"][i], own)
            end = period_end(start, own)
            person, planned = cols["person"][i], cols["planned"][i]
            amount = planned if planned else cols["fte"][i] * days.of(start, end)
            parts = [(start, amount)] if own is kind else calendar.spread(start, end, amount, kind)
            out.add(
                pid,
                person,
                cols["role"][i],
                cols["team"][i],
                parts,
                FROM_RESOURCES,
                rows.source_cells[i],
            )
    return set(by_project)


def _from_tasks(
    run: PortfolioRun,
    out: Demand,
    days: _Days,
    kind: PeriodKind,
    settings: ResourceSettings,
    skip: set[str | None],
) -> None:
    """Demand of the tasks of projects without Resources rows: Effort, else Owner's load."""
    rows = run.table("Tasks")
    cols = rows.columns
    with_effort = {rows.project_ids[i] for i, e in enumerate(cols["effort"]) if e and e > 0} - skip
    known = days.by_key.keys()
    calendar = days.calendar
    load = settings.default_load
    for i, (pid, owner, start, finish, effort, status) in enumerate(
        zip(
            rows.project_ids,
            cols["owner"],
            cols["planned_start"],
            cols["planned_finish"],
            cols["effort"],
            cols["status"],
            strict=True,
        )
    ):
        if pid in skip or start is None or finish is None or status == TASK_CANCELLED:
            continue
        first, last = min(start, finish), max(start, finish)
        if pid in with_effort:
            if not effort or effort <= 0:
                continue
            people = split_owners(owner, known) if owner else [None]
            share = effort / len(people)
            for person in people:
                parts = calendar.spread(first, last, share, kind)
                out.add(pid, person, None, None, parts, FROM_EFFORT, rows.source_cells[i])
        elif owner and load > 0 and status != TASK_COMPLETE:
            people = split_owners(owner, known)
            for person in people:
                amount = load * days.of(first, last) / len(people)
                parts = calendar.spread(first, last, amount, kind)
                out.add(pid, person, None, None, parts, FROM_OWNER, rows.source_cells[i])


def demand(
    run: PortfolioRun,
    settings: ResourceSettings,
    capacity: CapacityList | None,
    calendar: Calendar,
    kind: PeriodKind,
) -> Demand:
    """Every project's demand in the run's periods (see the module docstring)."""
    out = Demand()
    days = _Days(calendar, capacity)
    planned = _from_resources(run, out, days, kind)
    _from_tasks(run, out, days, kind, settings, planned)
    return out


def has_resource_data(run: PortfolioRun) -> bool:
    """True when any tracker holds a Resources row or a task Effort."""
    rows = run.table("Resources")
    if len(rows):
        return True
    return any(e is not None for e in run.table("Tasks").columns.get("effort", []))
