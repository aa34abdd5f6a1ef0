"""Sheet models (addin/model.py) and the layout derived from them (addin/schema.py).

Expected column orders, kinds and requirements are written by hand from
shared/TRACKER_SPEC.md v1.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from addin import schema
from addin.core.settings import Settings
from addin.model import (
    BudgetLine,
    Column,
    Kind,
    Milestone,
    Project,
    RaidItem,
    Record,
    Task,
    Tracker,
)

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
}

MODELS: dict[str, type[Record]] = {
    "Project": Project,
    "Tasks": Task,
    "Milestones": Milestone,
    "Budget": BudgetLine,
    "RAID": RaidItem,
}


def test_sheets_in_workbook_order() -> None:
    assert [(s.key, s.model, s.layout) for s in schema.sheets()] == [
        ("Project", Project, "keyvalue"),
        ("Tasks", Task, "table"),
        ("Milestones", Milestone, "table"),
        ("Budget", BudgetLine, "table"),
        ("RAID", RaidItem, "table"),
    ]


@pytest.mark.parametrize("key", list(SPEC_HEADERS))
def test_headers_in_spec_order(key: str) -> None:
    assert list(schema.sheet(key).headers) == SPEC_HEADERS[key]


@pytest.mark.parametrize("key", list(SPEC_HEADERS))
def test_required_columns(key: str) -> None:
    assert {f.header for f in schema.sheet(key).fields if f.required} == SPEC_REQUIRED[key]


@pytest.mark.parametrize("key", list(SPEC_HEADERS))
def test_column_kinds(key: str) -> None:
    expected = {h: SPEC_KINDS[key].get(h, Kind.TEXT) for h in SPEC_HEADERS[key]}
    assert {f.header: f.kind for f in schema.sheet(key).fields} == expected


@pytest.mark.parametrize(("where", "values"), list(SPEC_CHOICES.items()))
def test_choice_columns_use_the_spec_values(where: tuple[str, str], values: list[str]) -> None:
    key, header = where
    spec = next(f for f in schema.sheet(key).fields if f.header == header)
    assert spec.column.choices is not None
    assert Settings().allowed.of(spec.column.choices) == values


@pytest.mark.parametrize("key", list(MODELS))
def test_every_field_carries_column_metadata(key: str) -> None:
    model = MODELS[key]
    spec = schema.sheet(key)
    columns = {
        name: [m for m in info.metadata if isinstance(m, Column)]
        for name, info in model.model_fields.items()
    }
    # every field but the record plumbing (row index, pass-through columns) has one Column
    assert {n for n, c in columns.items() if len(c) != 1} == {"row", "extra"}
    assert [f.name for f in spec.fields] == [n for n in model.model_fields if columns[n]]
    for f in spec.fields:
        assert isinstance(f.header, str)
        assert f.header.strip() == f.header != ""
        assert all(s.strip() == s != "" for s in f.column.synonyms)
        assert (f.column.choices is not None) is (f.kind is Kind.CHOICE)


def test_sheet_lookup() -> None:
    assert schema.sheet("RAID").field("mitigation").header == "Mitigation / Action"
    with pytest.raises(KeyError):
        schema.sheet("Gantt")
    with pytest.raises(KeyError):
        schema.sheet("Tasks").field("colour")


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
    record = model.model_validate(data)
    dumped = record.model_dump()
    assert {k: dumped[k] for k in data} == data
    assert (dumped["row"], dumped["extra"]) == (None, {})
    assert model.model_validate(dumped) == record


def test_text_is_stripped_and_extra_columns_pass_through() -> None:
    t = Task.model_validate({"task_id": "  T1 ", "row": 7, "extra": {"Colour": "Blue"}})
    assert t.model_dump() == {
        "row": 7,
        "extra": {"Colour": "Blue"},
        "task_id": "T1",
        "wbs": None,
        "task_name": None,
        "owner": None,
        "planned_start": None,
        "planned_finish": None,
        "actual_start": None,
        "actual_finish": None,
        "pct_complete": None,
        "status": None,
        "budget": None,
        "notes": None,
    }


def test_tracker_holds_the_tables() -> None:
    tasks = [Task(task_id="T1"), Task(task_id="T2")]
    tr = Tracker(project=Project(project_id="PRJ-0001"), tasks=tasks)
    assert [tr.rows(k) for k in ("Tasks", "Milestones", "Budget", "RAID")] == [tasks, [], [], []]
    assert Tracker.model_validate(tr.model_dump()) == tr


# --- invalid rows -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "data", "errors"),
    [
        (Task, {"budget": -1}, [(("budget",), "greater_than_equal")]),
        (Task, {"pct_complete": 1.5}, [(("pct_complete",), "less_than_equal")]),
        (Task, {"pct_complete": -0.1}, [(("pct_complete",), "greater_than_equal")]),
        (Task, {"planned_start": "abc"}, [(("planned_start",), "date_from_datetime_parsing")]),
        (
            Task,
            {"budget": -5, "actual_finish": "abc"},
            [
                (("actual_finish",), "date_from_datetime_parsing"),
                (("budget",), "greater_than_equal"),
            ],
        ),
        (Project, {"budget": -0.01}, [(("budget",), "greater_than_equal")]),
        (Project, {"status_date": "abc"}, [(("status_date",), "date_from_datetime_parsing")]),
        (
            Milestone,
            {"baseline_date": "2026-02-30"},
            [(("baseline_date",), "date_from_datetime_parsing")],
        ),
        (BudgetLine, {"actual": -1}, [(("actual",), "greater_than_equal")]),
        (BudgetLine, {"forecast": "lots"}, [(("forecast",), "float_parsing")]),
        (BudgetLine, {"period": "abc"}, [(("period",), "date_from_datetime_parsing")]),
        (RaidItem, {"probability": 6}, [(("probability",), "less_than_equal")]),
        (RaidItem, {"probability": 0}, [(("probability",), "greater_than_equal")]),
        (RaidItem, {"probability": 2.5}, [(("probability",), "int_from_float")]),
        (RaidItem, {"impact": 6}, [(("impact",), "less_than_equal")]),
        (RaidItem, {"due": "abc"}, [(("due",), "date_from_datetime_parsing")]),
        (Task, {"colour": "blue"}, [(("colour",), "extra_forbidden")]),
    ],
)
def test_invalid_rows(model: type[Record], data: dict[str, Any], errors: list[Any]) -> None:
    with pytest.raises(ValidationError) as exc:
        model.model_validate(data)
    assert sorted((e["loc"], e["type"]) for e in exc.value.errors()) == sorted(errors)


def test_records_are_frozen() -> None:
    t = Task(task_id="T1")
    with pytest.raises(ValidationError) as exc:
        t.task_id = "T2"  # type: ignore[misc]
    assert [e["type"] for e in exc.value.errors()] == ["frozen_instance"]
