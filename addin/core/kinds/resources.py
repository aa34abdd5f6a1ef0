"""The Resources sheet: who works on the project, when and how much (TRACKER_SPEC v1.1).

Two layouts, one kind. **Long** (the template's): one row per person (or role) and
period, Planned and Actual in days. **Wide** (:attr:`~addin.core.kinds.spec.Layout.MATRIX`):
one row per person or role, then one column per month or week, values in days, hours
or FTE; the reader (:mod:`addin.read.matrix`) turns each filled period cell into one
record, so both layouts give the same rows. An allocation may be given in days
(Planned) or as a share of the person's time (FTE, ``50%``); demand in days is worked
out over the PMO's calendar at consolidation (:mod:`addin.resources`).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, ClassVar

from addin.core.kinds.spec import Anchor, Field, Layout, Matrix, Record, SheetKind, ValueType


@dataclass(frozen=True, slots=True, kw_only=True)
class Allocation(Record):
    """One row of the ``Resources`` table: one person's (or role's) planned time in a period."""

    kind: ClassVar[str] = "Resources"

    person: Annotated[
        str | None,
        Field(
            "Person",
            synonyms=(
                "Name",
                "Resource",
                "Resource Name",
                "Team Member",
                "Member",
                "Employee",
                "Staff",
                "Staff Name",
                "Person Name",
                "Consultant",
                "Assignee",
                "Who",
            ),
            width=22,
            note="As written in the PMO's capacity list (pick from the list when there is one).",
            since="1.1",
        ),
    ] = None
    role: Annotated[
        str | None,
        Field(
            "Role",
            synonyms=(
                "Job Title",
                "Position",
                "Resource Role",
                "Skill",
                "Discipline",
                "Function",
                "Resource Type",
            ),
            width=20,
            note="The role, when the row is a role rather than a named person.",
            since="1.1",
        ),
    ] = None
    team: Annotated[
        str | None,
        Field(
            "Team",
            synonyms=(
                "Organisation",
                "Organization",
                "Department",
                "Dept",
                "Group",
                "Unit",
                "Practice",
                "Supplier",
                "Vendor",
            ),
            width=18,
            since="1.1",
        ),
    ] = None
    period: Annotated[
        dt.date | None,
        Field(
            "Period",
            ValueType.DATE,
            synonyms=(
                "Month",
                "Week",
                "Week Starting",
                "Week Commencing",
                "Week Beginning",
                "Month Start",
                "Period Start",
                "Active Weeks",
            ),
            note="The first day of the month (or the Monday of the week).",
            since="1.1",
        ),
    ] = None
    planned: Annotated[
        float | None,
        Field(
            "Planned",
            ValueType.NUMBER,
            synonyms=(
                "Planned Days",
                "Days",
                "Plan",
                "Planned Effort",
                "Effort",
                "Effort Days",
                "Allocated Days",
                "Person Days",
                "Man Days",
                "Days Planned",
                "Demand",
            ),
            note="Days planned for the project in the period.",
            ge=0,
            since="1.1",
        ),
    ] = None
    actual: Annotated[
        float | None,
        Field(
            "Actual",
            ValueType.NUMBER,
            synonyms=("Actual Days", "Actuals", "Days Worked", "Actual Effort", "Spent"),
            note="Days worked on the project in the period (up to the Status Date).",
            ge=0,
            since="1.1",
        ),
    ] = None
    fte: Annotated[
        float | None,
        Field(
            "FTE",
            ValueType.PERCENT,
            synonyms=(
                "Allocation",
                "Allocation %",
                "% Allocation",
                "% Allocated",
                "Allocated %",
                "FTE %",
                "% FTE",
                "Load",
                "% Time",
            ),
            width=9,
            note="Instead of Planned days: the share of the person's time (50% = half time).",
            ge=0,
            since="1.1",
            fraction=True,
        ),
    ] = None


KIND = SheetKind(
    key="Resources",
    record=Allocation,
    layout=Layout.TABLE,
    sheet_names=(
        "Resource Plan",
        "Resourcing",
        "Resource",
        "Resource Allocation",
        "Resource Allocations",
        "Allocations",
        "Allocation",
        "Staffing",
        "Staffing Plan",
        "Team Allocation",
        "Resource Planning",
        "Human Resources",
    ),
    anchor=Anchor("period", frozenset({"person", "role"}), "a period and a person or role"),
    several=True,
    required=False,
    since="1.1",
    portfolio="Resources",
    purpose="Who works on the project, when and how much: one row per person (or role) and "
    "month, in days (Planned) or as a share of their time (FTE).",
    template_rows=200,
    rule_prefix="resource.",
    matrix=Matrix(
        keys=("person", "role", "team"),
        anchors=frozenset({"person", "role"}),
        period="period",
        values={"days": "planned", "hours": "planned", "FTE": "fte"},
        unit_words={
            "fte": "FTE",
            "%": "FTE",
            "percent": "FTE",
            "allocation": "FTE",
            "hours": "hours",
            "hour": "hours",
            "hrs": "hours",
            "h": "hours",
            "days": "days",
            "day": "days",
            "person days": "days",
            "man days": "days",
            "pd": "days",
            "md": "days",
        },
        total_words=frozenset({"total", "totals", "sum", "subtotal", "grand total", "gesamt"}),
        measure_words=frozenset(
            {
                "planned",
                "plan",
                "actual",
                "actuals",
                "requested",
                "forecast",
                "budget",
                "demand",
                "capacity",
                "available",
                "allocated",
                "headcount",
            }
        ),
        name_stems=("resourc", "ressourc", "allocation", "staffing", "capacit"),
    ),
)
