"""The Tasks table: the project's plan, one task per row (TRACKER_SPEC v1, v1.1)."""

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, ClassVar

from addin.core.kinds.spec import Anchor, Field, Layout, Record, SheetKind, ValueType


@dataclass(frozen=True, slots=True, kw_only=True)
class Task(Record):
    """One row of the ``Tasks`` table."""

    kind: ClassVar[str] = "Tasks"

    task_id: Annotated[
        str | None,
        Field(
            "Task ID",
            required=True,
            synonyms=("ID", "Task #", "Task No", "Task Ref", "#"),
            width=10,
        ),
    ] = None
    wbs: Annotated[
        str | None, Field("WBS", synonyms=("WBS Code", "WBS No", "Outline Number"), width=8)
    ] = None
    task_name: Annotated[
        str | None,
        Field(
            "Task Name",
            required=True,
            synonyms=("Task", "Activity", "Task Description", "Description", "Deliverable", "Name"),
            weak=("Description", "Name"),
            width=40,
        ),
    ] = None
    owner: Annotated[
        str | None,
        Field(
            "Owner",
            synonyms=(
                "Responsible",
                "Assigned To",
                "Assignee",
                "Task Owner",
                "Resource",
                "Resourcing",
                "Lead",
            ),
            width=18,
            note="Required unless Status is Not Started.",
        ),
    ] = None
    planned_start: Annotated[
        dt.date | None,
        Field(
            "Planned Start",
            ValueType.DATE,
            required=True,
            synonyms=("Start", "Start Date", "Plan Start", "Begin"),
        ),
    ] = None
    planned_finish: Annotated[
        dt.date | None,
        Field(
            "Planned Finish",
            ValueType.DATE,
            required=True,
            synonyms=(
                "Due Date",
                "Finish",
                "End Date",
                "End",
                "Deadline",
                "Target Date",
                "Due",
                "Plan Finish",
                "Planned End",
                "Finish Date",
            ),
            note="On or after Planned Start.",
        ),
    ] = None
    actual_start: Annotated[
        dt.date | None,
        Field(
            "Actual Start",
            ValueType.DATE,
            synonyms=("Date Started", "Actual Start Date", "Started"),
        ),
    ] = None
    actual_finish: Annotated[
        dt.date | None,
        Field(
            "Actual Finish",
            ValueType.DATE,
            synonyms=(
                "Date Completed",
                "Actual Finish Date",
                "Actual End",
                "Completion Date",
                "Completed On",
            ),
            note="On or after Actual Start; set when the task is Complete.",
        ),
    ] = None
    pct_complete: Annotated[
        float | None,
        Field(
            "% Complete",
            ValueType.PERCENT,
            synonyms=(
                "% Done",
                "Progress",
                "Pct Complete",
                "Percent Complete",
                "% Completed",
                "Complete %",
                "Progress %",
                "Complete",
            ),
            width=11,
            note="0% to 100%.",
            ge=0,
            le=1,
        ),
    ] = None
    status: Annotated[
        str | None,
        Field(
            "Status",
            ValueType.CHOICE,
            synonyms=("Task Status", "State"),
            choices="task_status",
            width=13,
        ),
    ] = None
    budget: Annotated[
        float | None,
        Field(
            "Budget",
            ValueType.NUMBER,
            synonyms=("Cost", "Planned Cost", "Task Budget", "Budgeted Cost"),
            note="The task's share of the project budget (used for earned value).",
            ge=0,
        ),
    ] = None
    notes: Annotated[
        str | None, Field("Notes", synonyms=("Comments", "Comment", "Remarks"), width=40)
    ] = None
    workstream: Annotated[
        str | None,
        Field(
            "Workstream",
            synonyms=("Work Stream", "Stream", "Track"),
            width=18,
            note="The plan sheet a task came from when a tracker keeps one sheet per workstream.",
            since="1.1",
        ),
    ] = None
    baseline_start: Annotated[
        dt.date | None,
        Field(
            "Baseline Start",
            ValueType.DATE,
            synonyms=("Orig. Start", "Original Start", "Baselined Start", "BL Start"),
            note="The Planned Start as first agreed (kept when the plan moves).",
            since="1.1",
        ),
    ] = None
    baseline_finish: Annotated[
        dt.date | None,
        Field(
            "Baseline Finish",
            ValueType.DATE,
            synonyms=(
                "Orig. Finish",
                "Original Finish",
                "Original End",
                "Orig. End",
                "Baseline End",
                "Baseline",
                "BL Finish",
            ),
            note="The Planned Finish as first agreed (kept when the plan moves).",
            since="1.1",
        ),
    ] = None
    effort: Annotated[
        float | None,
        Field(
            "Effort",
            ValueType.NUMBER,
            synonyms=(
                "Effort (days)",
                "Effort Days",
                "Estimated Effort",
                "Planned Effort",
                "Person Days",
                "Man Days",
                "Man-days",
                "Person-days",
                "Work",
            ),
            width=9,
            note="Days of the Owner's work the task takes; spread evenly over its working days "
            "when the Resources sheet does not say otherwise.",
            ge=0,
            unit="days",
            since="1.1",
        ),
    ] = None


KIND = SheetKind(
    key="Tasks",
    record=Task,
    layout=Layout.TABLE,
    sheet_names=(
        "Task List",
        "Task",
        "Plan",
        "Project Plan",
        "Schedule",
        "Work Plan",
        "Workplan",
        "Activities",
    ),
    anchor=Anchor(
        "task_name",
        frozenset(
            {
                "planned_start",
                "planned_finish",
                "actual_start",
                "actual_finish",
                "baseline_start",
                "baseline_finish",
                "pct_complete",
                "effort",
                "wbs",
            }
        ),
        "a task name and a date, progress or owner",
        common=frozenset({"owner", "status", "task_id", "budget"}),
    ),
    several=True,
    sheet_field="workstream",
    purpose="One row per task of the plan. Weights for earned value come from Budget "
    "(or from planned duration when no task has a budget).",
    template_rows=200,
    rule_prefix="task.",
    portfolio="Tasks",
)
