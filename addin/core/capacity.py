"""The PMO's capacity list: who can work, how much, from when to when (TRACKER_SPEC v1.1).

One workbook for the whole PMO, not per tracker: a ``Capacity`` sheet (Person, Role,
Team, FTE, Start, End, Non-project %) and an optional ``Holidays`` sheet (Date, Name).
Declared here with the same :class:`~addin.core.kinds.Field` metadata as the tracker's
kinds, so ``pmo new-capacity`` writes its template and :mod:`addin.resources.capacity`
reads it from one declaration. These are not tracker kinds: they are not registered in
:data:`addin.core.kinds.KINDS`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, ClassVar

from addin.core.kinds import Anchor, Field, Layout, Record, SheetKind, ValueType

#: Version of the capacity list's layout, written into its document properties.
CAPACITY_VERSION = "1.0"


@dataclass(frozen=True, slots=True, kw_only=True)
class CapacityEntry(Record):
    """One person of the capacity list."""

    kind: ClassVar[str] = "Capacity"

    person: Annotated[
        str | None,
        Field(
            "Person",
            required=True,
            synonyms=("Name", "Resource", "Resource Name", "Employee", "Staff", "Team Member"),
            width=24,
            note="Written the same way in every tracker's Resources sheet and Owner column.",
        ),
    ] = None
    role: Annotated[
        str | None,
        Field("Role", synonyms=("Job Title", "Position", "Skill"), width=22),
    ] = None
    team: Annotated[
        str | None,
        Field("Team", synonyms=("Department", "Dept", "Group", "Unit", "Practice"), width=20),
    ] = None
    fte: Annotated[
        float | None,
        Field(
            "FTE",
            ValueType.PERCENT,
            synonyms=("Contracted FTE", "FTE %", "Hours %"),
            width=9,
            note="Share of a full-time week the person works: 100% full time, 60% three days.",
            ge=0,
            le=1,
            fraction=True,
        ),
    ] = None
    start: Annotated[
        dt.date | None,
        Field(
            "Start",
            ValueType.DATE,
            synonyms=("Start Date", "Joined", "From", "Available From"),
            note="First day the person is available (blank: available already).",
        ),
    ] = None
    end: Annotated[
        dt.date | None,
        Field(
            "End",
            ValueType.DATE,
            synonyms=("End Date", "Leaves", "Leaving Date", "Until", "Available Until"),
            note="Last day the person is available (blank: no end).",
        ),
    ] = None
    non_project: Annotated[
        float | None,
        Field(
            "Non-project %",
            ValueType.PERCENT,
            synonyms=("Non-project", "Non Project %", "BAU %", "Overhead %", "Admin %"),
            width=12,
            note="Share of the person's time kept for work outside projects (BAU, support).",
            ge=0,
            le=1,
        ),
    ] = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Holiday(Record):
    """One day nobody works (a public holiday, an office closure)."""

    kind: ClassVar[str] = "Holidays"

    date: Annotated[
        dt.date | None,
        Field("Date", ValueType.DATE, required=True, synonyms=("Day", "Holiday Date")),
    ] = None
    name: Annotated[
        str | None, Field("Name", synonyms=("Holiday", "Description", "Occasion"), width=30)
    ] = None


CAPACITY = SheetKind(
    key="Capacity",
    record=CapacityEntry,
    layout=Layout.TABLE,
    anchor=Anchor("person", frozenset({"role", "team", "fte", "start", "end"}), "a person"),
    required=True,
    purpose="One row per person who works on projects: FTE, availability and the share of "
    "time kept for work outside projects.",
    template_rows=300,
)
HOLIDAYS = SheetKind(
    key="Holidays",
    record=Holiday,
    layout=Layout.TABLE,
    anchor=Anchor("date", frozenset({"name"}), "a date"),
    required=False,
    purpose="Days nobody works (public holidays, office closures): they are not working days.",
    template_rows=60,
)
