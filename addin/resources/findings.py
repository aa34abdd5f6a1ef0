"""The portfolio's resource findings: over-allocated, unknown names, work after leaving.

They depend on every project and on the capacity list, so they are made once per run
(not per tracker) and point at a tracker cell that caused them:

* ``resource.over_allocated``: one per person over-allocated from the as-of date on
  (``ahead_periods`` periods), at their worst period and the cell of the project asking
  most then, naming every project and its days, and the person's other over-allocated
  periods;
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
from addin.core.periods import PeriodKind, period_label
from addin.core.rules import RuleBook, RuleId
from addin.core.settings import Settings
from addin.resources.capacity import CapacityList
from addin.resources.demand import Asked
from addin.resources.load import PersonLoad, level
from addin.resources.names import near_matches


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


#: Other over-allocated periods a finding names before it counts the rest.
NAMED_PERIODS = 6


def over_allocated(
    people: Sequence[PersonLoad],
    asked: Asked,
    periods: Sequence[dt.date],
    kind: PeriodKind,
    files: Mapping[str, str],
    settings: Settings,
    rules: RuleBook,
) -> Iterator[Finding]:
    """A finding per person over-allocated in any of ``periods``, at their worst period.

    It names that period's projects and days, and the person's other over-allocated
    periods with their percentages (the Capacity sheet has every one): a PMO where
    many people are over-allocated gets a finding per person, not per person-month.
    """
    for p in people:
        over: list[tuple[dt.date, float, str]] = []
        for period in periods:
            load = p.periods.get(period)
            if load is None or not load.projects or load.capacity is None:
                continue
            found = level(load.utilisation, settings.resources)
            if found is not None:
                over.append((period, load.utilisation or 0.0, found.value))
        if not over:
            continue
        period, util, rag = max(over, key=lambda o: (o[1], -o[0].toordinal()))
        load = p.periods[period]
        assert load.capacity is not None
        top = load.projects[0][0]
        sheet, row, col = _where(asked.first.get((p.key, period, top), ""))
        named = ", ".join(f"{pid} {_days(days)} d" for pid, days in load.projects)
        others = [f"{period_label(d, kind)} {u * 100:.0f} %" for d, u, _ in over if d != period]
        if others:
            shown = ", ".join(others[:NAMED_PERIODS])
            rest = len(others) - NAMED_PERIODS
            named += f"; also over in {shown}" + (f" and {rest} more" if rest > 0 else "")
        f = rules.finding(
            RuleId.RESOURCE_OVER_ALLOCATED,
            file=files.get(top, ""),
            sheet=sheet,
            row=row,
            col=col,
            field="Person",
            value=p.name,
            person=p.name,
            pct=f"{util * 100:.0f} %",
            period=period_label(period, kind),
            level=rag,
            demand=_days(load.demand),
            capacity=_days(load.capacity),
            projects=named,
        )
        if f is not None:
            yield f


def unknown_people(
    asked: Asked, capacity: CapacityList, files: Mapping[str, str], rules: RuleBook
) -> Iterator[Finding]:
    """A finding per tracker and name the capacity list does not hold (with near matches)."""
    known = [m.name for m in capacity.people]
    cells: dict[tuple[str, str], str] = {}  # (person, project) -> its first cell
    for (key, _, pid), cell in asked.first.items():
        if key not in capacity.by_key and (key, pid) not in cells:
            cells[(key, pid)] = cell
    for (key, pid), cell in cells.items():
        name = asked.names[key]
        near = near_matches(name, known)
        sheet, row, col = _where(cell)
        f = rules.finding(
            RuleId.RESOURCE_UNKNOWN_PERSON,
            file=files.get(pid, ""),
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
    asked: Asked,
    capacity: CapacityList,
    kind: PeriodKind,
    files: Mapping[str, str],
    settings: Settings,
    rules: RuleBook,
) -> Iterator[Finding]:
    """A finding per person and tracker asking for days after the person's End date."""
    show = date_formatter(settings.date_format)
    for member in capacity.people:
        end = member.end
        mine = asked.by_person.get(member.key)
        if end is None or not mine:
            continue
        found: dict[str, tuple[dt.date, float]] = {}
        for period in sorted(p for p in mine if p > end):
            for pid, days in mine[period].items():
                first, total = found.get(pid, (period, 0.0))
                found[pid] = (first, total + days)
        for pid, (period, total) in found.items():
            sheet, row, col = _where(asked.first.get((member.key, period, pid), ""))
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
                end=show(end),
            )
            if f is not None:
                yield f
