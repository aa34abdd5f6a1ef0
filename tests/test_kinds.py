"""The sheet-kind registry (addin/core/kinds) against TRACKER_SPEC, and the tracker types.

Expected column orders, types and requirements are written by hand from
shared/TRACKER_SPEC.md (v1; the v1.1 Workstream task column is added, last).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from addin.core import kinds as schema
from addin.core.kinds import (
    Allocation,
    BudgetLine,
    Lesson,
    Milestone,
    Project,
    RaidItem,
    Record,
    Task,
)
from addin.core.kinds import ValueType as Kind
from addin.core.settings import Settings
from addin.core.tracker import Table, Tracker, replace

d = dt.date

# --- column order, kinds and requirements from TRACKER_SPEC v1 ----------------------------------

SPEC_HEADERS = {
    "Project": [
        "Project ID",
        "Project Name",
        "Programme",
        "Sponsor",
        "Project Manager",
        "Phase",
        "Status Date",
        "Start Date",
        "Baseline Finish",
        "Forecast Finish",
        "Budget",
        "Currency",
        "Reported RAG",
        "RAG Comment",
        "Template Version",
    ],
    "Tasks": [
        "Task ID",
        "WBS",
        "Task Name",
        "Owner",
        "Planned Start",
        "Planned Finish",
        "Actual Start",
        "Actual Finish",
        "% Complete",
        "Status",
        "Budget",
        "Notes",
        "Workstream",
        "Baseline Start",
        "Baseline Finish",
        "Effort",
    ],
    "Milestones": [
        "Milestone ID",
        "Milestone",
        "Baseline Date",
        "Forecast Date",
        "Actual Date",
        "Status",
        "Owner",
    ],
    "Budget": ["Period", "Planned", "Actual", "Forecast"],
    "RAID": [
        "ID",
        "Type",
        "Title",
        "Owner",
        "Raised",
        "Due",
        "Probability",
        "Impact",
        "Severity",
        "Status",
        "Mitigation / Action",
    ],
    # v1.1: the long layout; FTE is the wide layout's (and the long one's) share of time
    "Resources": ["Person", "Role", "Team", "Period", "Planned", "Actual", "FTE"],
    "Lessons": [
        "ID",
        "Date",
        "Category",
        "Type",
        "Lesson",
        "Recommendation",
        "Owner",
        "Tags",
    ],
}

#: Fields the spec requires unconditionally ("required" / "yes"); conditional ones are not.
SPEC_REQUIRED = {
    "Project": {
        "Project ID",
        "Project Name",
        "Sponsor",
        "Project Manager",
        "Phase",
        "Status Date",
        "Start Date",
        "Baseline Finish",
        "Forecast Finish",
        "Budget",
        "Reported RAG",
    },
    "Tasks": {"Task ID", "Task Name", "Planned Start", "Planned Finish"},
    "Milestones": {"Milestone ID", "Milestone", "Baseline Date"},
    "Budget": {"Period"},
    "RAID": {"ID", "Title"},
    "Resources": set(),
    "Lessons": {"Lesson", "Category"},
}

#: Kinds of the typed columns; every other column is text.
SPEC_KINDS = {
    "Project": {
        "Phase": Kind.CHOICE,
        "Status Date": Kind.DATE,
        "Start Date": Kind.DATE,
        "Baseline Finish": Kind.DATE,
        "Forecast Finish": Kind.DATE,
        "Budget": Kind.NUMBER,
        "Reported RAG": Kind.CHOICE,
    },
    "Tasks": {
        "Planned Start": Kind.DATE,
        "Planned Finish": Kind.DATE,
        "Actual Start": Kind.DATE,
        "Actual Finish": Kind.DATE,
        "% Complete": Kind.PERCENT,
        "Status": Kind.CHOICE,
        "Budget": Kind.NUMBER,
        "Baseline Start": Kind.DATE,
        "Baseline Finish": Kind.DATE,
        "Effort": Kind.NUMBER,
    },
    "Milestones": {
        "Baseline Date": Kind.DATE,
        "Forecast Date": Kind.DATE,
        "Actual Date": Kind.DATE,
        "Status": Kind.CHOICE,
    },
    "Budget": {
        "Period": Kind.DATE,
        "Planned": Kind.NUMBER,
        "Actual": Kind.NUMBER,
        "Forecast": Kind.NUMBER,
    },
    "RAID": {
        "Type": Kind.CHOICE,
        "Raised": Kind.DATE,
        "Due": Kind.DATE,
        "Probability": Kind.INTEGER,
        "Impact": Kind.INTEGER,
        "Severity": Kind.CHOICE,
        "Status": Kind.CHOICE,
    },
    "Resources": {
        "Period": Kind.DATE,
        "Planned": Kind.NUMBER,
        "Actual": Kind.NUMBER,
        "FTE": Kind.PERCENT,
    },
    "Lessons": {"Date": Kind.DATE, "Category": Kind.CHOICE, "Type": Kind.CHOICE},
}

#: Allowed values of each dropdown, from the spec.
SPEC_CHOICES = {
    ("Project", "Phase"): ["Initiation", "Planning", "Execution", "Closing", "Closed"],
    ("Project", "Reported RAG"): ["Red", "Amber", "Green"],
    ("Tasks", "Status"): ["Not Started", "In Progress", "Complete", "On Hold", "Cancelled"],
    ("Milestones", "Status"): ["Not Started", "On Track", "At Risk", "Late", "Achieved"],
    ("RAID", "Type"): ["Risk", "Assumption", "Issue", "Dependency"],
    ("RAID", "Severity"): ["Low", "Medium", "High", "Critical"],
    ("RAID", "Status"): ["Open", "Mitigating", "Closed"],
    ("Lessons", "Category"): [
        "Schedule",
        "Cost",
        "Scope",
        "Quality",
        "Risk",
        "Resourcing",
        "Stakeholder",
        "Supplier",
        "Technical",
        "Governance",
    ],
    ("Lessons", "Type"): ["Went well", "To improve"],
}

MODELS: dict[str, type[Record]] = {
    "Project": Project,
    "Tasks": Task,
    "Milestones": Milestone,
    "Budget": BudgetLine,
    "RAID": RaidItem,
    "Resources": Allocation,
    "Lessons": Lesson,
}


def test_sheets_in_workbook_order() -> None:
    assert [(s.key, s.record, s.layout) for s in schema.KINDS] == [
        ("Project", Project, "keyvalue"),
        ("Tasks", Task, "table"),
        ("Milestones", Milestone, "table"),
        ("Budget", BudgetLine, "table"),
        ("RAID", RaidItem, "table"),
        ("Resources", Allocation, "table"),
        ("Lessons", Lesson, "table"),
    ]
    assert schema.kind("Resources").matrix is not None  # also read laid out wide


@pytest.mark.parametrize("key", list(SPEC_HEADERS))
def test_headers_in_spec_order(key: str) -> None:
    assert list(schema.kind(key).headers) == SPEC_HEADERS[key]


@pytest.mark.parametrize("key", list(SPEC_HEADERS))
def test_required_columns(key: str) -> None:
    assert {f.header for f in schema.kind(key).fields if f.required} == SPEC_REQUIRED[key]


@pytest.mark.parametrize("key", list(SPEC_HEADERS))
def test_column_kinds(key: str) -> None:
    expected = {h: SPEC_KINDS[key].get(h, Kind.TEXT) for h in SPEC_HEADERS[key]}
    assert {f.header: f.type for f in schema.kind(key).fields} == expected


@pytest.mark.parametrize(("where", "values"), list(SPEC_CHOICES.items()))
def test_choice_columns_use_the_spec_values(where: tuple[str, str], values: list[str]) -> None:
    key, header = where
    spec = next(f for f in schema.kind(key).fields if f.header == header)
    assert spec.choices is not None
    assert list(Settings().allowed.of(spec.choices)) == values


@pytest.mark.parametrize("key", list(MODELS))
def test_every_field_carries_column_metadata(key: str) -> None:
    model = MODELS[key]
    spec = schema.kind(key)
    names = [f.name for f in dataclasses.fields(model)]
    # every attribute but where the record was read (row, sheet, pass-through columns) is a field
    assert [n for n in names if n not in ("row", "sheet", "extra")] == [f.name for f in spec.fields]
    for f in spec.fields:
        assert isinstance(f.header, str)
        assert f.header.strip() == f.header != ""
        assert all(s.strip() == s != "" for s in f.synonyms)
        assert (f.choices is not None) is (f.type is Kind.CHOICE)


def test_a_field_without_its_metadata_is_refused() -> None:
    @dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
    class Bare(Record):
        colour: str | None = None

    with pytest.raises(TypeError, match=r"Bare\.colour needs exactly one Field"):
        schema.fields_of(Bare)


def test_bounds_are_declared_with_the_fields() -> None:
    bounds = {
        (k.key, f.name): (f.ge, f.le)
        for k in schema.KINDS
        for f in k.fields
        if f.ge is not None or f.le is not None
    }
    assert bounds == {
        ("Project", "budget"): (0, None),
        ("Tasks", "pct_complete"): (0, 1),
        ("Tasks", "budget"): (0, None),
        ("Tasks", "effort"): (0, None),
        ("Budget", "planned"): (0, None),
        ("Budget", "actual"): (0, None),
        ("Budget", "forecast"): (0, None),
        ("RAID", "probability"): (1, 5),
        ("RAID", "impact"): (1, 5),
        ("Resources", "planned"): (0, None),
        ("Resources", "actual"): (0, None),
        ("Resources", "fte"): (0, None),
    }


def test_sheet_lookup() -> None:
    assert schema.kind("RAID").field("mitigation").header == "Mitigation / Action"
    with pytest.raises(KeyError):
        schema.kind("Gantt")
    with pytest.raises(KeyError):
        schema.kind("Tasks").field("colour")


# --- valid rows ---------------------------------------------------------------------------------

VALID = [
    (
        Project,
        {
            "project_id": "PRJ-0042",
            "project_name": "Alpha",
            "programme": "Digital",
            "sponsor": "Sam",
            "project_manager": "Pat",
            "phase": "Execution",
            "status_date": d(2026, 3, 31),
            "start_date": d(2026, 1, 5),
            "baseline_finish": d(2026, 9, 30),
            "forecast_finish": d(2026, 10, 15),
            "budget": 250000.0,
            "currency": "GBP",
            "reported_rag": "Amber",
            "rag_comment": "Supplier late",
            "template_version": "1.0",
        },
    ),
    (Project, {}),  # gaps are validation findings, not model errors
    (
        Task,
        {
            "task_id": "T1",
            "wbs": "1.1",
            "task_name": "Design",
            "owner": "Ann",
            "planned_start": d(2026, 1, 5),
            "planned_finish": d(2026, 1, 30),
            "actual_start": d(2026, 1, 6),
            "actual_finish": d(2026, 1, 29),
            "pct_complete": 1.0,
            "status": "Complete",
            "budget": 12000.0,
            "notes": "ok",
        },
    ),
    (Task, {"task_id": "T2", "pct_complete": 0.0, "budget": 0.0}),  # bounds are inclusive
    (
        Milestone,
        {
            "milestone_id": "M1",
            "milestone": "Go-live",
            "baseline_date": d(2026, 6, 1),
            "forecast_date": d(2026, 6, 15),
            "actual_date": None,
            "status": "At Risk",
            "owner": "Pat",
        },
    ),
    (
        BudgetLine,
        {"period": d(2026, 1, 1), "planned": 1000.0, "actual": 950.5, "forecast": 0.0},
    ),
    (
        RaidItem,
        {
            "raid_id": "R1",
            "type": "Risk",
            "title": "Supplier insolvency",
            "owner": "Sam",
            "raised": d(2026, 1, 10),
            "due": d(2026, 4, 30),
            "probability": 1,
            "impact": 5,
            "severity": "High",
            "status": "Open",
            "mitigation": "Second supplier",
        },
    ),
    (RaidItem, {"raid_id": "R2", "probability": 5, "impact": 1}),
]


@pytest.mark.parametrize(("model", "data"), VALID)
def test_valid_rows_round_trip(model: type[Record], data: dict[str, Any]) -> None:
    record = model(**data)
    assert {k: v for k, v in record.data().items() if k in data} == data
    assert (record.row, record.sheet, record.extra) == (None, "", {})
    assert model(**record.data()) == record


def test_extra_columns_pass_through_and_data_is_the_fields_only() -> None:
    t = Task(task_id="T1", row=7, sheet="Plan", extra={"Colour": "Blue"})
    assert (t.row, t.sheet, t.extra) == (7, "Plan", {"Colour": "Blue"})
    assert list(t.data()) == [f.name for f in schema.kind("Tasks").fields]
    assert t.data(exclude={"workstream"})["task_id"] == "T1"


def test_tracker_holds_the_tables_as_columns() -> None:
    tasks = [Task(task_id="T1", row=1, sheet="Tasks"), Task(task_id="T2", row=2, sheet="Tasks")]
    tr = Tracker.build(Project(project_id="PRJ-0001"), tasks=tasks)
    assert [tr.rows(k) for k in ("Tasks", "Milestones", "Budget", "RAID")] == [tasks, [], [], []]
    table = tr.table("Tasks")
    assert (table.col("task_id"), table.rows, table.sheets) == (["T1", "T2"], [1, 2], ["Tasks"] * 2)
    assert Table.of("Tasks", table.records()) == table
    assert replace(tr, tasks=tasks[:1]).tasks == tasks[:1]
    assert replace(tr, project=Project(project_id="X-001")).project.project_id == "X-001"
    with pytest.raises(TypeError, match="no tracker kind 'gantt'"):
        Tracker.build(gantt=[])


def test_tables_concatenate_and_select_rows() -> None:
    a = Table.of("RAID", [RaidItem(raid_id="R1", row=1, sheet="Risks")])
    b = Table.of("RAID", [RaidItem(raid_id="I1", row=1, sheet="Issues", extra={"X": 1})])
    both = Table.concat("RAID", [a, b])
    assert (both.col("raid_id"), both.sheets) == (["R1", "I1"], ["Risks", "Issues"])
    assert both.extra == [{}, {"X": 1}]
    assert both.select([1]).col("raid_id") == ["I1"]
    assert len(Table.concat("RAID", [])) == 0


def test_records_are_frozen() -> None:
    t = Task(task_id="T1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.task_id = "T2"  # type: ignore[misc]
