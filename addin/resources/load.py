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
from operator import itemgetter

from addin.core.domain import Rag
from addin.core.findings import Finding
from addin.core.periods import Calendar, PeriodKind, period_end
from addin.core.settings import ResourceSettings
from addin.resources.capacity import CapacityList, Member
from addin.resources.demand import Asked
from addin.resources.names import name_key

#: Team of people the capacity list does not know (or when there is no list).
NO_TEAM = "(no team)"
#: Team of people a capacity list was given but does not list.
UNLISTED = "(not in the capacity list)"


@dataclass(frozen=True, slots=True)
class PeriodLoad:
    """One person in one period: days asked, days available, and by which projects.

    ``unknown``: some project asks an amount it does not say (a plan drawn in colour), so
    ``demand`` is only what is known: a floor.
    """

    demand: float
    capacity: float | None
    projects: tuple[tuple[str, float], ...] = ()
    unknown: bool = False

    @property
    def utilisation(self) -> float | None:
        """Demand / capacity; None when unknown.

        None when the capacity is unknown or nil, or when an unknown amount is asked and
        nothing known beside it (never 0 for that).
        """
        if not self.capacity or (self.unknown and not self.demand):
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


def capacity_of(
    member: Member | None,
    period: dt.date,
    kind: PeriodKind,
    cal: Calendar,
    days: dict[dt.date, int] | None = None,
) -> float:
    """Days a person can give projects in a period (a full-time person when unknown).

    ``days`` caches the working days of whole periods (most people work whole periods).
    """
    last = period_end(period, kind)
    if member is None or (
        (not member.start or member.start <= period) and (not member.end or member.end >= last)
    ):
        whole = days.get(period) if days is not None else None
        if whole is None:
            whole = cal.working_days(period, last)
            if days is not None:
                days[period] = whole
        return float(whole) if member is None else member.fte * whole * (1 - member.non_project)
    first = max(period, member.start) if member.start else period
    end = min(last, member.end) if member.end else last
    return member.fte * cal.working_days(first, end) * (1 - member.non_project)


def level(utilisation: float | None, settings: ResourceSettings) -> Rag | None:
    """Red above ``over_red``, Amber above ``over_amber``, else None (not over-allocated)."""
    if utilisation is None:
        return None
    if utilisation > settings.over_red + 1e-9:
        return Rag.RED
    if utilisation > settings.over_amber + 1e-9:
        return Rag.AMBER
    return None


def _ranked(projects: dict[str, float]) -> tuple[tuple[str, float], ...]:
    if len(projects) == 1:
        return tuple(projects.items())
    # Most days first, then by Project ID (the sort is stable, reverse included).
    return tuple(sorted(sorted(projects.items()), key=itemgetter(1), reverse=True))


def aggregate(
    asked: Asked,
    capacity: CapacityList | None,
    calendar: Calendar,
    kind: PeriodKind,
    window: list[dt.date],
) -> tuple[list[PersonLoad], dict[str, dict[dt.date, tuple[float, float]]]]:
    """People's loads, and roles' demand and capacity, from the folded demand."""
    members = dict(capacity.by_key) if capacity is not None else {}
    keys = list(dict.fromkeys([*members, *asked.by_person, *asked.unknown]))
    people: list[PersonLoad] = []
    whole: dict[dt.date, int] = {}
    shown = set(window)
    none: dict[dt.date, dict[str, float]] = {}
    for key in keys:
        member = members.get(key)
        listed = capacity is None or member is not None
        mine = asked.by_person.get(key, none)
        unsure = asked.unknown.get(key, set())
        periods: dict[dt.date, PeriodLoad] = {}
        simple = member is None or (member.start is None and member.end is None)
        factor = 1.0 if member is None else member.fte * (1 - member.non_project)
        for period in sorted(shown.union(mine, unsure)):
            projects = mine.get(period)
            if not listed:
                cap = None
            elif simple and period in whole:
                cap = factor * whole[period]
            else:
                cap = capacity_of(member, period, kind, calendar, whole)
            drawn = period in unsure
            if projects:
                periods[period] = PeriodLoad(sum(projects.values()), cap, _ranked(projects), drawn)
            else:
                periods[period] = PeriodLoad(0.0, cap, (), drawn)
        if member is not None:
            name, role, team = member.name, member.role, member.team or NO_TEAM
        else:
            name, role = asked.names[key], asked.roles.get(key)
            team = (asked.teams.get(key) or NO_TEAM) if capacity is None else UNLISTED
        people.append(PersonLoad(key, name, role, team, member, periods))
    people.sort(key=lambda p: (p.team == UNLISTED, p.team.casefold(), p.name.casefold()))
    return people, _roles(people, asked.role_rows)


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
