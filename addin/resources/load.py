"""Load: each person's demand against their capacity, per period (RAG_RULES v2 "Resources").

Capacity of a person in a period = FTE x working days of the period within their Start
and End x (1 - non-project share). Utilisation = demand / capacity; above
``over_amber`` (100 %) a person is over-allocated (Amber), above ``over_red`` (120 %)
Red. Without a capacity list everyone who is asked for time counts as one full-time
person with no end date (and names are not checked).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from addin.core.domain import Rag
from addin.core.findings import Finding
from addin.core.periods import Calendar, PeriodKind, period_end
from addin.core.settings import ResourceSettings
from addin.resources.capacity import CapacityList, Member
from addin.resources.demand import Demand
from addin.resources.names import name_key

#: Team of people the capacity list does not know (or when there is no list).
NO_TEAM = "(no team)"
#: Team of people a capacity list was given but does not list.
UNLISTED = "(not in the capacity list)"


@dataclass(frozen=True, slots=True)
class PeriodLoad:
    """One person in one period: days asked, days available, and by which projects."""

    demand: float
    capacity: float | None
    projects: tuple[tuple[str, float], ...] = ()

    @property
    def utilisation(self) -> float | None:
        """Demand / capacity (None when the capacity is unknown or nil)."""
        if not self.capacity:
            return None
        return self.demand / self.capacity


@dataclass(frozen=True)
class PersonLoad:
    """One person over the run's periods."""

    key: str
    name: str
    role: str | None
    team: str
    member: Member | None
    periods: dict[dt.date, PeriodLoad] = field(default_factory=dict)

    def at(self, period: dt.date) -> PeriodLoad | None:
        """The person's load in a period (None: nothing asked and no capacity known)."""
        return self.periods.get(period)

    def peak(self, periods: Sequence[dt.date]) -> float:
        """The highest utilisation over ``periods`` (0 when none is known)."""
        found = [p.utilisation for d in periods if (p := self.periods.get(d)) is not None]
        return max((u for u in found if u is not None), default=0.0)


@dataclass
class ResourceLoad:
    """Demand against capacity over the portfolio: the product of the resource step.

    Attributes:
        kind: Months or weeks.
        as_of: The run's date.
        periods: Every period with demand or shown (sorted).
        window: The periods the Capacity sheet shows (around ``as_of``).
        people: Everyone with demand or capacity, by team then name.
        roles: Role -> period -> (demand, capacity) in days.
        unassigned: Period -> days asked of nobody (no person, no role).
        capacity_file: The capacity list used ("" when none: everyone full time).
        findings: The resource findings of the portfolio (over-allocated, unknown names ...).
    """

    kind: PeriodKind
    as_of: dt.date
    periods: list[dt.date] = field(default_factory=list)
    window: list[dt.date] = field(default_factory=list)
    people: list[PersonLoad] = field(default_factory=list)
    roles: dict[str, dict[dt.date, tuple[float, float]]] = field(default_factory=dict)
    unassigned: dict[dt.date, float] = field(default_factory=dict)
    capacity_file: str = ""
    findings: list[Finding] = field(default_factory=list)

    def person(self, name: str) -> PersonLoad | None:
        """The load of a person by name (any spelling that folds the same)."""
        key = name_key(name)
        return next((p for p in self.people if p.key == key), None)

    def ahead(self, n: int) -> list[dt.date]:
        """The ``n`` periods from the one holding the as-of date on."""
        start = [p for p in self.window if period_end(p, self.kind) >= self.as_of]
        return start[:n]


def capacity_of(member: Member | None, period: dt.date, kind: PeriodKind, cal: Calendar) -> float:
    """Days a person can give projects in a period (a full-time person when unknown)."""
    first, last = period, period_end(period, kind)
    if member is None:
        return float(cal.working_days(first, last))
    if member.start and member.start > first:
        first = member.start
    if member.end and member.end < last:
        last = member.end
    return member.fte * cal.working_days(first, last) * (1 - member.non_project)


def level(utilisation: float | None, settings: ResourceSettings) -> Rag | None:
    """Red above ``over_red``, Amber above ``over_amber``, else None (not over-allocated)."""
    if utilisation is None:
        return None
    if utilisation > settings.over_red + 1e-9:
        return Rag.RED
    if utilisation > settings.over_amber + 1e-9:
        return Rag.AMBER
    return None


def aggregate(
    demand: Demand,
    capacity: CapacityList | None,
    calendar: Calendar,
    kind: PeriodKind,
    window: list[dt.date],
) -> tuple[list[PersonLoad], dict[str, dict[dt.date, tuple[float, float]]], dict[dt.date, float]]:
    """People's loads, roles' demand and capacity, and demand of nobody, from the demand."""
    asked: dict[str, dict[dt.date, dict[str, float]]] = {}
    names: dict[str, str] = {}
    role_of: dict[str, str | None] = {}
    team_of: dict[str, str | None] = {}
    role_rows: dict[str, dict[dt.date, float]] = {}
    nobody: dict[dt.date, float] = {}
    for pid, name, role, team, period, days in zip(
        demand.project_ids,
        demand.names,
        demand.roles,
        demand.teams,
        demand.periods,
        demand.days,
        strict=True,
    ):
        if name:
            key = name_key(name)
            names.setdefault(key, name)
            if key not in role_of or role_of[key] is None:
                role_of[key] = role
            if key not in team_of or team_of[key] is None:
                team_of[key] = team
            projects = asked.setdefault(key, {}).setdefault(period, {})
            projects[pid or "?"] = projects.get(pid or "?", 0.0) + days
        elif role:
            by_period = role_rows.setdefault(role, {})
            by_period[period] = by_period.get(period, 0.0) + days
        else:
            nobody[period] = nobody.get(period, 0.0) + days
    members = {m.key: m for m in capacity.people} if capacity is not None else {}
    keys = list(dict.fromkeys([*members, *asked]))
    people: list[PersonLoad] = []
    for key in keys:
        member = members.get(key)
        listed = capacity is None or member is not None
        periods: dict[dt.date, PeriodLoad] = {}
        for period in sorted({*asked.get(key, {}), *window}):
            projects = asked.get(key, {}).get(period, {})
            cap = capacity_of(member, period, kind, calendar) if listed else None
            ranked = tuple(sorted(projects.items(), key=lambda kv: (-kv[1], kv[0])))
            periods[period] = PeriodLoad(sum(projects.values()), cap, ranked)
        if member is not None:
            name, role, team = member.name, member.role, member.team or NO_TEAM
        else:
            name, role = names[key], role_of.get(key)
            team = (team_of.get(key) or NO_TEAM) if capacity is None else UNLISTED
        people.append(PersonLoad(key, name, role, team, member, periods))
    people.sort(key=lambda p: (p.team == UNLISTED, p.team.casefold(), p.name.casefold()))
    return people, _roles(people, role_rows), nobody


def _roles(
    people: list[PersonLoad], role_rows: dict[str, dict[dt.date, float]]
) -> dict[str, dict[dt.date, tuple[float, float]]]:
    out: dict[str, dict[dt.date, list[float]]] = {}
    for p in people:
        role = p.role or "(no role)"
        for period, load in p.periods.items():
            cell = out.setdefault(role, {}).setdefault(period, [0.0, 0.0])
            cell[0] += load.demand
            cell[1] += load.capacity or 0.0
    for role, by_period in role_rows.items():
        for period, days in by_period.items():
            out.setdefault(role, {}).setdefault(period, [0.0, 0.0])[0] += days
    return {
        role: {d: (v[0], v[1]) for d, v in sorted(by_period.items())}
        for role, by_period in sorted(out.items(), key=lambda kv: kv[0].casefold())
    }
