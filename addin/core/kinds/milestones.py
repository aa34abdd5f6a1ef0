"""The Milestones table: key dates with baseline, forecast and actual (TRACKER_SPEC v1)."""

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, ClassVar

from addin.core.kinds.spec import Anchor, Field, Layout, Record, SheetKind, ValueType


@dataclass(frozen=True, slots=True, kw_only=True)
class Milestone(Record):
    """One row of the ``Milestones`` table."""

    kind: ClassVar[str] = "Milestones"

    milestone_id: Annotated[
        str | None,
        Field(
            "Milestone ID",
            required=True,
            synonyms=("ID", "MS ID", "Milestone #", "Ref", "#"),
            width=12,
        ),
    ] = None
    milestone: Annotated[
        str | None,
        Field(
            "Milestone",
            required=True,
            synonyms=("Milestone Name", "Name", "Description", "Title"),
            weak=("Name", "Description", "Title"),
            width=40,
        ),
    ] = None
    baseline_date: Annotated[
        dt.date | None,
        Field(
            "Baseline Date",
            ValueType.DATE,
            required=True,
            synonyms=(
                "Baseline",
                "Original Date",
                "Planned Date",
                "Baseline Due",
                "Due Date",
                "Due",
                "Target Date",
                "Date",
            ),
        ),
    ] = None
    forecast_date: Annotated[
        dt.date | None,
        Field(
            "Forecast Date",
            ValueType.DATE,
            synonyms=("Forecast", "Expected Date", "Revised Date", "Current Forecast"),
            note="Required unless the milestone is Achieved.",
        ),
    ] = None
    actual_date: Annotated[
        dt.date | None,
        Field(
            "Actual Date",
            ValueType.DATE,
            synonyms=("Actual", "Achieved Date", "Date Achieved", "Achieved On"),
        ),
    ] = None
    status: Annotated[
        str | None,
        Field(
            "Status",
            ValueType.CHOICE,
            synonyms=("Milestone Status", "State"),
            choices="milestone_status",
        ),
    ] = None
    owner: Annotated[
        str | None, Field("Owner", synonyms=("Responsible", "Assigned To", "Accountable"), width=18)
    ] = None


KIND = SheetKind(
    key="Milestones",
    record=Milestone,
    layout=Layout.TABLE,
    sheet_names=(
        "Milestone",
        "Milestone Tracker",
        "Key Milestones",
        "Milestone Plan",
        "Milestone List",
    ),
    anchor=Anchor(
        "milestone",
        frozenset({"baseline_date", "forecast_date", "actual_date"}),
        "a milestone name and a date",
        common=frozenset({"status", "owner", "milestone_id"}),
    ),
    portfolio="Milestones",
    purpose="One row per key milestone. Keep the Baseline Date; move the Forecast Date.",
    template_rows=50,
    rule_prefix="milestone.",
)
