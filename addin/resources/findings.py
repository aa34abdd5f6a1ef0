"""The portfolio's resource findings: over-allocated, unknown names, work after leaving.

They depend on every project and on the capacity list, so they are made once per run
(not per tracker) and point at a tracker cell that caused them:

* ``resource.over_allocated``: one per person and period from the as-of date on
  (``ahead_periods`` of them), at the cell of the project asking most, naming every
  project and its days;
* ``resource.unknown_person``: one per tracker and name not in the capacity list, at
  its first cell, with near matches (``J. Smith`` -> John Smith);
* ``resource.after_leaving``: one per person and tracker asking for days after the
  person's End date, at the first such cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence

from addin.checks.context import date_formatter
from addin.core.cells import parse_a1
from addin.core.findings import Finding
from addin.core.periods import PeriodKind, period_end, period_label
from addin.core.rules import RuleBook, RuleId
from addin.core.settings import Settings
from addin.resources.capacity import CapacityList
from addin.resources.demand import Demand
from addin.resources.load import PersonLoad, level
from addin.resources.names import name_key, near_matches


def _where(cell: str) -> tuple[str, int | None, int | None]:
    """(sheet, row, col) of a source cell ``'Sheet'!C17`` (quotes undone)."""
    sheet, _, ref = cell.rpartition("!")
    if sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    try:
        row, col = parse_a1(ref)
    except (ValueError, KeyError):
        return sheet, None, None
    return sheet, row, col


def _days(value: float) -> str:
    return f"{value:.1f}"


class _First:
    """The first source cell of each (person, period, project), from the demand."""

    def __init__(self, demand: Demand) -> None:
        self.cells: dict[tuple[str, dt.date, str], str] = {}
        for pid, name, period, cell in zip(
            demand.project_ids, demand.names, demand.periods, demand.cells, strict=True
        ):
            if name:
                self.cells.setdefault((name_key(name), period, pid or "?"), cell)


def over_allocated(
    people: Sequence[PersonLoad],
    demand: Demand,
    periods: Sequence[dt.date],
    kind: PeriodKind,
    files: Mapping[str, str],
    settings: Settings,
    rules: RuleBook,
) -> Iterator[Finding]:
    """A finding per person and period in ``periods`` above ``over_amber``."""
    first = _First(demand)
    for p in people:
        for period in periods:
            load = p.periods.get(period)
            if load is None or not load.projects:
                continue
            rag = level(load.utilisation, settings.resources)
            if rag is None or load.capacity is None:
                continue
            top = load.projects[0][0]
            cell = first.cells.get((p.key, period, top), "")
            sheet, row, col = _where(cell)
            named = ", ".join(f"{pid} {_days(days)} d" for pid, days in load.projects)
            f = rules.finding(
                RuleId.RESOURCE_OVER_ALLOCATED,
                file=files.get(top, ""),
                sheet=sheet,
                row=row,
                col=col,
                field="Person",
                value=p.name,
                person=p.name,
                pct=f"{(load.utilisation or 0) * 100:.0f} %",
                period=period_label(period, kind),
                level=rag.value,
                demand=_days(load.demand),
                capacity=_days(load.capacity),
                projects=named,
            )
            if f is not None:
                yield f


def unknown_people(
    demand: Demand, capacity: CapacityList, files: Mapping[str, str], rules: RuleBook
) -> Iterator[Finding]:
    """A finding per tracker and name the capacity list does not hold (with near matches)."""
    known = [m.name for m in capacity.people]
    seen: set[tuple[str, str]] = set()
    for pid, name, cell in zip(demand.project_ids, demand.names, demand.cells, strict=True):
        if not name:
            continue
        key = name_key(name)
        if key in capacity.by_key or (pid or "?", key) in seen:
            continue
        seen.add((pid or "?", key))
        near = near_matches(name, known)
        sheet, row, col = _where(cell)
        f = rules.finding(
            RuleId.RESOURCE_UNKNOWN_PERSON,
            file=files.get(pid or "", ""),
            sheet=sheet,
            row=row,
            col=col,
            field="Person",
            value=name,
            near=f" (did you mean {' or '.join(near)}?)" if near else "",
        )
        if f is not None:
            yield f


def after_leaving(
    demand: Demand,
    capacity: CapacityList,
    kind: PeriodKind,
    files: Mapping[str, str],
    settings: Settings,
    rules: RuleBook,
) -> Iterator[Finding]:
    """A finding per person and tracker asking for days after the person's End date."""
    show = date_formatter(settings.date_format)
    found: dict[tuple[str, str], tuple[dt.date, float, str]] = {}
    for pid, name, period, days, cell in zip(
        demand.project_ids, demand.names, demand.periods, demand.days, demand.cells, strict=True
    ):
        member = capacity.by_key.get(name_key(name)) if name else None
        if member is None or member.end is None or period_end(period, kind) <= member.end:
            continue
        if period <= member.end:  # the period holding the End date: only its days after it
            continue
        key = (member.key, pid or "?")
        first, total, at = found.get(key, (period, 0.0, cell))
        found[key] = (min(first, period), total + days, at if first <= period else cell)
    for (person, pid), (period, total, cell) in found.items():
        member = capacity.by_key[person]
        assert member.end is not None
        sheet, row, col = _where(cell)
        f = rules.finding(
            RuleId.RESOURCE_AFTER_LEAVING,
            file=files.get(pid, ""),
            sheet=sheet,
            row=row,
            col=col,
            field="Person",
            value=member.name,
            person=member.name,
            days=_days(total),
            period=period_label(period, kind),
            end=show(member.end),
        )
        if f is not None:
            yield f
