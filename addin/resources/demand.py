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
days, so a weekly plan and a monthly one add up. A Resources row with a person and a
period but no amount (a plan drawn in cell colour) asks an *unknown* amount: it is kept
as such (:attr:`Asked.unknown`), never counted as 0, and its project's demand still
comes from its plan, not from its tasks. Cancelled tasks ask nothing; an Owner
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
from addin.resources.names import name_key, split_owners

#: Where a demand entry comes from.
FROM_RESOURCES, FROM_EFFORT, FROM_OWNER = "Resources", "Effort", "Owner"


@dataclass
class Asked:
    """Demand folded by person: what each project asks of whom, per period of the run.

    Attributes:
        by_person: Person key (:func:`~addin.resources.names.name_key`) -> period ->
            Project ID -> days.
        names: Person key -> the name as first written.
        first: (person key, period, Project ID) -> the first source cell asking it.
        roles: Person key -> the first role a row gave.
        teams: Person key -> the first team a row gave.
        role_rows: Role -> period -> days asked of a role, not a person.
        nobody: Period -> days asked of nobody (no person, no role).
        basis: Project ID -> where its demand came from (``Resources``, ``Effort``,
            ``Owner``).
        unknown: Person key -> the periods someone asks an unknown amount of them in.
    """

    by_person: dict[str, dict[dt.date, dict[str, float]]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    first: dict[tuple[str, dt.date, str], str] = field(default_factory=dict)
    roles: dict[str, str | None] = field(default_factory=dict)
    teams: dict[str, str | None] = field(default_factory=dict)
    role_rows: dict[str, dict[dt.date, float]] = field(default_factory=dict)
    nobody: dict[dt.date, float] = field(default_factory=dict)
    basis: dict[str, str] = field(default_factory=dict)
    unknown: dict[str, set[dt.date]] = field(default_factory=dict)

    @property
    def periods(self) -> set[dt.date]:
        """Every period anything is asked in."""
        out = set(self.nobody)
        for person in self.by_person.values():
            out.update(person)
        for role in self.role_rows.values():
            out.update(role)
        return out

    def add(
        self,
        pid: str | None,
        name: str | None,
        role: str | None,
        team: str | None,
        period: dt.date,
        days: float,
        cell: str,
    ) -> None:
        """Add the days one source row asks in one period."""
        if days <= 0:
            return
        if name:
            key = name_key(name)
            if key not in self.names:
                self.names[key] = name
            if self.roles.get(key) is None:
                self.roles[key] = role
            if self.teams.get(key) is None:
                self.teams[key] = team
            project = pid or "?"
            periods = self.by_person.get(key)
            if periods is None:
                periods = self.by_person[key] = {}
            projects = periods.get(period)
            if projects is None:
                projects = periods[period] = {}
            if project in projects:
                projects[project] += days
            else:
                projects[project] = days
                self.first[(key, period, project)] = cell
        elif role:
            by_period = self.role_rows.setdefault(role, {})
            by_period[period] = by_period.get(period, 0.0) + days
        else:
            self.nobody[period] = self.nobody.get(period, 0.0) + days


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
    run: PortfolioRun, out: Asked, days: _Days, kind: PeriodKind
) -> set[str | None]:
    """Demand of every project's Resources rows; returns the projects that had any."""
    rows = run.table("Resources")
    # Read by row number below, so lists of their own for this step (8 bytes a row each).
    persons, roles, teams, periods, planned_, ftes = (
        list(rows.columns[k]) for k in ("person", "role", "team", "period", "planned", "fte")
    )
    pids, cells = list(rows.project_ids), list(rows.source_cells)
    by_project: dict[str | None, list[int]] = {}
    unknown: set[str | None] = set()
    for i, (planned, fte, period) in enumerate(zip(planned_, ftes, periods, strict=True)):
        if (planned or fte) and period is not None:
            by_project.setdefault(pids[i], []).append(i)
        elif planned is None and fte is None and period is not None:
            _unknown(out, persons[i], period, days.calendar, kind)
            unknown.add(pids[i])
    calendar = days.calendar
    bounds: dict[tuple[dt.date, PeriodKind], tuple[dt.date, dt.date]] = {}
    by_person, first_cells, names = out.by_person, out.first, out.names
    names_seen: dict[str, str] = {}  # a name as written -> its key, once folded
    for pid, indexes in by_project.items():
        own = _project_kind([periods[i] for i in indexes])
        same = own is kind
        project = pid or "?"
        for i in indexes:
            at = (periods[i], own)
            found = bounds.get(at)
            if found is None:
                first = period_start(at[0], own)
                found = bounds[at] = (first, period_end(first, own))
            start, end = found
            planned = planned_[i]
            amount = planned if planned else ftes[i] * days.of(start, end)
            name = persons[i]
            if same and name and amount > 0 and name in names_seen:
                # The usual row (one period of the run, a person seen before), folded here:
                # Asked.add, without its per-row first-sight bookkeeping.
                key = names_seen[name]
                if out.roles[key] is None:
                    out.roles[key] = roles[i]
                mine = by_person[key]
                projects = mine.get(start)
                if projects is None:
                    projects = mine[start] = {}
                if project in projects:
                    projects[project] += amount
                else:
                    projects[project] = amount
                    first_cells[(key, start, project)] = cells[i]
                continue
            if same:
                out.add(pid, name, roles[i], teams[i], start, amount, cells[i])
                if name and name_key(name) in names:
                    names_seen[name] = name_key(name)
                continue
            for period, part in calendar.spread(start, end, amount, kind):
                out.add(pid, persons[i], roles[i], teams[i], period, part, cells[i])
        if pid is not None:
            out.basis[pid] = FROM_RESOURCES
    for pid in unknown - set(by_project):
        if pid is not None:
            out.basis[pid] = FROM_RESOURCES
    return set(by_project) | unknown


def _unknown(
    out: Asked, name: str | None, period: dt.date, calendar: Calendar, kind: PeriodKind
) -> None:
    """A person asked an unknown amount in a plan's period (a cell drawn in colour)."""
    if not name:
        return
    key = name_key(name)
    out.names.setdefault(key, name)
    own = PeriodKind.MONTH if period.day == 1 else PeriodKind.WEEK
    start = period_start(period, own)
    periods = out.unknown.setdefault(key, set())
    periods.update(p for p, _ in calendar.spread(start, period_end(start, own), 1.0, kind))


def _from_tasks(
    run: PortfolioRun,
    out: Asked,
    days: _Days,
    kind: PeriodKind,
    settings: ResourceSettings,
    skip: set[str | None],
) -> None:
    """Demand of the tasks of projects without Resources rows: Effort, else Owner's load."""
    rows = run.table("Tasks")
    cols = rows.columns
    efforts = zip(rows.project_ids, cols["effort"], strict=True)
    with_effort = {pid for pid, e in efforts if e and e > 0} - skip
    known = days.by_key.keys()
    calendar = days.calendar
    load = settings.default_load
    for pid, owner, start, finish, effort, status, cell in zip(
        rows.project_ids,
        cols["owner"],
        cols["planned_start"],
        cols["planned_finish"],
        cols["effort"],
        cols["status"],
        rows.source_cells,
        strict=True,
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
                for period, part in calendar.spread(first, last, share, kind):
                    out.add(pid, person, None, None, period, part, cell)
            if pid is not None:
                out.basis[pid] = FROM_EFFORT
        elif owner and load > 0 and status != TASK_COMPLETE:
            people = split_owners(owner, known)
            for person in people:
                amount = load * days.of(first, last) / len(people)
                for period, part in calendar.spread(first, last, amount, kind):
                    out.add(pid, person, None, None, period, part, cell)
            if pid is not None:
                out.basis.setdefault(pid, FROM_OWNER)


def demand(
    run: PortfolioRun,
    settings: ResourceSettings,
    capacity: CapacityList | None,
    calendar: Calendar,
    kind: PeriodKind,
) -> Asked:
    """Every project's demand in the run's periods (see the module docstring)."""
    out = Asked()
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
