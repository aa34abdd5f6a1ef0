"""What the dashboard's Resources page shows, worked out from a run's resource load (pure).

The people most over-allocated over the next periods (utilisation per period), demand
against capacity by role over the same periods, and the conflicts: each person and
period above the Amber threshold with the projects asking and their days, then the
other resource findings (names not in the capacity list, work after leaving).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from addin.core.periods import period_label
from addin.core.rules import RuleId
from addin.core.settings import Settings
from addin.resources import ResourceLoad, level


@dataclass(frozen=True)
class PersonRow:
    """One person on the page: utilisation per period (None: nothing known)."""

    name: str
    role: str
    team: str
    utilisation: tuple[float | None, ...]
    peak: float


@dataclass(frozen=True)
class RoleRow:
    """Demand and capacity of one role over the page's periods, in days."""

    role: str
    demand: float
    capacity: float


@dataclass(frozen=True)
class Conflict:
    """One person over-allocated in one period, and who asks for what."""

    person: str
    period: str
    start: dt.date
    utilisation: float
    level: str
    demand: float
    capacity: float
    projects: str


@dataclass(frozen=True)
class ResourcePage:
    """Everything the Resources page shows.

    Attributes:
        periods: The page's periods, as labels (``Jan 2027``).
        unit: ``month`` or ``week``.
        people: The most over-allocated people (highest peak first).
        roles: Demand and capacity by role over the periods.
        conflicts: Every person and period above the Amber threshold.
        other: The other resource findings: (rule, person or name, message).
        capacity_file: The capacity list used ("" when none).
        over_amber: Utilisation above which a person is over-allocated.
        over_red: Utilisation above which it is Red.
    """

    periods: tuple[str, ...]
    unit: str
    people: tuple[PersonRow, ...]
    roles: tuple[RoleRow, ...]
    conflicts: tuple[Conflict, ...]
    other: tuple[tuple[str, str, str], ...]
    capacity_file: str
    over_amber: float
    over_red: float


def resource_page(load: ResourceLoad, settings: Settings) -> ResourcePage:
    """The Resources page of a run's load (see the module docstring)."""
    res = settings.resources
    periods = load.ahead(res.dashboard_periods)
    people = sorted(
        (p for p in load.people if p.peak(periods) > 0),
        key=lambda p: (-p.peak(periods), p.name.casefold()),
    )[: res.dashboard_people]
    rows = tuple(
        PersonRow(
            p.name,
            p.role or "",
            p.team,
            tuple(
                load_.utilisation if (load_ := p.periods.get(d)) is not None else None
                for d in periods
            ),
            p.peak(periods),
        )
        for p in people
    )
    roles = tuple(
        RoleRow(
            role,
            sum(by_period.get(d, (0.0, 0.0))[0] for d in periods),
            sum(by_period.get(d, (0.0, 0.0))[1] for d in periods),
        )
        for role, by_period in load.roles.items()
        if any(sum(by_period.get(d, (0.0, 0.0))) for d in periods)
    )
    conflicts: list[Conflict] = []
    for p in load.people:
        for d in periods:
            cell = p.periods.get(d)
            if cell is None or cell.capacity is None:
                continue
            rag = level(cell.utilisation, res)
            if rag is None:
                continue
            named = ", ".join(f"{pid} {days:.1f} d" for pid, days in cell.projects)
            conflicts.append(
                Conflict(
                    p.name,
                    period_label(d, load.kind),
                    d,
                    cell.utilisation or 0.0,
                    rag.value,
                    cell.demand,
                    cell.capacity,
                    named,
                )
            )
    peak = {
        c.person: max(x.utilisation for x in conflicts if x.person == c.person) for c in conflicts
    }
    conflicts.sort(key=lambda c: (-peak[c.person], c.person.casefold(), c.start))
    other = tuple(
        (f.rule, f.value, f.message)
        for f in load.findings
        if f.rule in (RuleId.RESOURCE_UNKNOWN_PERSON, RuleId.RESOURCE_AFTER_LEAVING)
    )
    return ResourcePage(
        periods=tuple(period_label(d, load.kind) for d in periods),
        unit=load.kind.value,
        people=rows,
        roles=roles,
        conflicts=tuple(conflicts),
        other=other,
        capacity_file=load.capacity_file,
        over_amber=res.over_amber,
        over_red=res.over_red,
    )
