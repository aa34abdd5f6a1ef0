"""Reading a tracker's resource plan (TRACKER_SPEC v1.1): long and wide layouts, bad values."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

from addin.core.kinds import Allocation, Layout
from addin.core.periods import PeriodKind
from addin.core.rules import RuleId
from addin.core.settings import Settings
from addin.core.tracker import Tracker
from addin.engine.pipeline import check_tracker
from addin.outputs.template import write_tracker
from addin.read import read_tracker
from addin.read.period_headers import parse_period_header, place, row_kind
from tests.builders import base_project, base_tracker


def book(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """A workbook whose sheets hold these rows (None: an empty cell)."""
    wb = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day))
                elif value is not None:
                    ws.write(r, c, value)
    wb.close()
    return path


PROJECT = [
    ["Project ID", "PRJ-0042"],
    ["Project Name", "Portal"],
    ["Status Date", dt.date(2026, 11, 16)],
    ["Start Date", dt.date(2026, 11, 2)],
]


def resources(path: Path, settings: Settings | None = None) -> tuple[Any, list[Allocation]]:
    read = read_tracker(path, settings or Settings())
    return read, [r for r in read.tracker.rows("Resources") if isinstance(r, Allocation)]


def test_the_template_writes_and_reads_back_a_long_plan(tmp_path: Path) -> None:
    rows = [
        Allocation(
            person="Ann Lee", role="Developer", team="Core", period=dt.date(2027, 1, 1), planned=8.0
        ),
        Allocation(person="Bob Roy", period=dt.date(2027, 2, 1), fte=0.5),
    ]
    path = write_tracker(tmp_path / "t.xlsx", base_tracker().replace(resources=rows))
    read, got = resources(path)
    assert [(a.person, a.role, a.team, a.period, a.planned, a.fte) for a in got] == [
        ("Ann Lee", "Developer", "Core", dt.date(2027, 1, 1), 8.0, None),
        ("Bob Roy", None, None, dt.date(2027, 2, 1), None, 0.5),
    ]
    assert read.tables["Resources"].columns["Person"] == "A"
    assert [f.rule for f in read.findings if f.sheet == "Resources"] == []


def test_a_wide_plan_becomes_one_record_per_filled_period_cell(tmp_path: Path) -> None:
    path = book(
        tmp_path / "wide.xlsx",
        {
            "Project": PROJECT,
            "Resource Plan": [
                ["Resource plan (days per month)"],
                [],
                ["Team Member", "Role", "Jan-27", "Feb-27", "Mar-27", "Total"],
                ["Ann Lee", "Developer", 8, None, 4, 12],
                ["Bob Roy", "Tester", 0, 5, "", 5],
                ["Total", None, 8, 5, 4, 17],
            ],
        },
    )
    read, got = resources(path)
    assert [(a.person, a.role, a.period, a.planned) for a in got] == [
        ("Ann Lee", "Developer", dt.date(2027, 1, 1), 8.0),
        ("Ann Lee", "Developer", dt.date(2027, 3, 1), 4.0),
        ("Bob Roy", "Tester", dt.date(2027, 2, 1), 5.0),
    ]
    layout = read.layout("Resources")
    assert layout is not None and layout.layout is Layout.MATRIX
    table = read.tracker.table("Resources")
    assert table.cols == [2, 4, 3]  # each record keeps its own cell
    result = check_tracker(path, Settings())
    from addin.engine.assemble import source_cells

    assert source_cells(result, "Resources") == [
        "'Resource Plan'!C4",
        "'Resource Plan'!E4",
        "'Resource Plan'!D5",
    ]


def test_hours_and_fte_plans_say_their_unit(tmp_path: Path) -> None:
    path = book(
        tmp_path / "units.xlsx",
        {
            "Project": PROJECT,
            "Resourcing": [
                ["Effort in hours"],
                ["Name", "2027-W05", "2027-W06", "2027-W07"],
                ["Ann Lee", 16, 40, 8],
            ],
            "Staffing": [
                ["Name", "Role", "Jan 2027", "Feb 2027", "Mar 2027"],
                ["Bob Roy", "Tester", "50%", 1, 0.25],
            ],
        },
    )
    _, got = resources(path)
    hours = [(a.person, a.period, a.planned) for a in got if a.person == "Ann Lee"]
    assert hours == [
        ("Ann Lee", dt.date(2027, 2, 1), 2.0),
        ("Ann Lee", dt.date(2027, 2, 8), 5.0),
        ("Ann Lee", dt.date(2027, 2, 15), 1.0),
    ]
    fte = [(a.period, a.fte, a.planned) for a in got if a.person == "Bob Roy"]
    assert fte == [
        (dt.date(2027, 1, 1), 0.5, None),
        (dt.date(2027, 2, 1), 1.0, None),
        (dt.date(2027, 3, 1), 0.25, None),
    ]


def test_months_without_a_year_are_placed_by_the_start_date(tmp_path: Path) -> None:
    path = book(
        tmp_path / "bare.xlsx",
        {
            "Project": PROJECT,  # Start Date 2 Nov 2026
            "Resources": [["Person", "Nov", "Dec", "Jan", "Feb"], ["Ann Lee", 1, 2, 3, 4]],
        },
    )
    _, got = resources(path)
    assert [a.period for a in got] == [
        dt.date(2026, 11, 1),
        dt.date(2026, 12, 1),
        dt.date(2027, 1, 1),
        dt.date(2027, 2, 1),
    ]


def test_bad_values_and_a_stray_header_are_findings_at_their_cells(tmp_path: Path) -> None:
    path = book(
        tmp_path / "bad.xlsx",
        {
            "Project": PROJECT,
            "Resources": [
                ["Person", "Role", "Jan-27", "Q1 note", "Feb-27", "Mar-27"],
                ["Ann Lee", "Dev", "5 days, maybe 6", None, -3, 5],
            ],
        },
    )
    read, got = resources(path)
    found = sorted((f.rule, f.sheet, f.cell) for f in read.findings if f.sheet == "Resources")
    assert found == [
        (RuleId.RESOURCE_PERIOD_HEADER, "Resources", "D1"),
        (RuleId.VALUE_NOT_A_NUMBER, "Resources", "C2"),
        (RuleId.VALUE_OUT_OF_RANGE, "Resources", "E2"),
    ]
    assert [(a.period, a.planned) for a in got] == [(dt.date(2027, 3, 1), 5.0)]


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        (
            [
                ["Role", "Apr-27", "May-27", "Jun-27"],
                ["Architect", None, None, None],
                ["QA", None, None, None],
            ],
            "the period cells B2:D3 hold no amounts (an allocation shown only by cell fill",
        ),
        (
            [["Week"], ["Resource Name", 1, 2, 3, 4], ["Ann Lee", 10, 10, 20, 20]],
            "the period headers '1' .. '4' are numbered weeks with no dates",
        ),
        (
            [[None, "April", "May", "June"], ["Planned", 4, 8, 8], ["Actual", 4, 9, 8]],
            "its rows are measures (Planned, Actual) of a series, not people or roles",
        ),
    ],
    ids=["fill only", "numbered weeks", "transposed series"],
)
def test_a_plan_that_cannot_be_read_says_why(
    tmp_path: Path, rows: list[list[Any]], words: str
) -> None:
    path = book(tmp_path / "plan.xlsx", {"Project": PROJECT, "Resourcing": rows})
    read, got = resources(path)
    assert got == []
    notes = [f for f in read.findings if f.rule == RuleId.RESOURCE_NOT_READ]
    assert len(notes) == 1 and words in notes[0].message
    assert notes[0].sheet == "Resourcing"


def test_a_file_holding_only_an_unreadable_plan_says_why_it_is_not_a_tracker(
    tmp_path: Path,
) -> None:
    path = book(
        tmp_path / "plan.xlsx",
        {"Allocation": [["Titles and Roles", "Apr", "May", "Jun"], ["PM", None, None, None]]},
    )
    read = read_tracker(path, Settings())
    assert read.status == "not_a_tracker"
    assert "sheet 'Allocation': the period cells B2:D2 hold no amounts" in read.reason


def test_a_gantt_of_weeks_beside_task_names_is_not_a_resource_plan(tmp_path: Path) -> None:
    path = book(
        tmp_path / "gantt.xlsx",
        {"Roadmap": [["Task Name", "W01", "W02", "W03", "W04"], ["Design", None, "x", "x", None]]},
    )
    read = read_tracker(path, Settings())
    assert "Resources" not in read.tables
    assert not [f for f in read.findings if f.rule == RuleId.RESOURCE_NOT_READ]


def test_effort_without_owner_and_a_row_without_person_are_unassigned(tmp_path: Path) -> None:
    tracker = base_tracker()
    tasks = list(tracker.tasks)
    from dataclasses import replace

    tasks[1] = replace(tasks[1], owner=None, effort=12.0, status="In Progress")
    rows = [
        Allocation(period=dt.date(2027, 1, 1), planned=5.0),
        Allocation(person="Ann Lee", period=dt.date(2027, 1, 1), fte=3.0),
    ]
    path = write_tracker(
        tmp_path / "t.xlsx", Tracker.build(base_project(), tasks=tasks, resources=rows)
    )
    result = check_tracker(path, Settings())
    found = sorted(
        (f.rule, f.sheet, f.cell)
        for f in result.findings
        if f.rule in (RuleId.RESOURCE_UNASSIGNED_EFFORT, RuleId.VALUE_OUT_OF_RANGE)
    )
    assert found == [
        (RuleId.RESOURCE_UNASSIGNED_EFFORT, "Resources", "E2"),
        (RuleId.RESOURCE_UNASSIGNED_EFFORT, "Tasks", "P3"),
        (RuleId.VALUE_OUT_OF_RANGE, "Resources", "G3"),
    ]


@pytest.mark.parametrize(
    ("text", "kind", "start", "number"),
    [
        ("Jan-27", PeriodKind.MONTH, dt.date(2027, 1, 1), None),
        ("January 2027", PeriodKind.MONTH, dt.date(2027, 1, 1), None),
        ("2027-03", PeriodKind.MONTH, dt.date(2027, 3, 1), None),
        ("Apr", PeriodKind.MONTH, None, 4),
        ("2027-W05", PeriodKind.WEEK, dt.date(2027, 2, 1), None),
        ("W05 2027", PeriodKind.WEEK, dt.date(2027, 2, 1), None),
        ("KW 5", PeriodKind.WEEK, None, 5),
    ],
)
def test_period_headers(
    text: str, kind: PeriodKind, start: dt.date | None, number: int | None
) -> None:
    header = parse_period_header(text)
    assert header is not None
    assert (header.kind, header.start, header.number) == (kind, start, number)


def test_not_period_headers() -> None:
    assert [parse_period_header(t) for t in ("Total", "Role", "Q3", "Weeks 4-18", True)] == [
        None
    ] * 5
    assert parse_period_header("SW 3") is not None and parse_period_header("SW 3").relative  # type: ignore[union-attr]


def test_weeks_without_a_year_roll_into_the_next_year() -> None:
    headers = [parse_period_header(t) for t in ("W51", "W52", "W01")]
    assert all(headers)
    kind = row_kind(headers)  # type: ignore[arg-type]
    assert place(headers, kind, dt.date(2026, 12, 10)) == [  # type: ignore[arg-type]
        dt.date(2026, 12, 14),
        dt.date(2026, 12, 21),
        dt.date(2027, 1, 4),
    ]


def test_a_list_of_many_projects_allocations_is_not_this_trackers_plan(tmp_path: Path) -> None:
    path = book(
        tmp_path / "list.xlsx",
        {
            "Project": PROJECT,
            "Resources": [
                ["Project ID", "Person", "Month", "Planned"],
                ["PRJ-0042", "Ann Lee", dt.date(2027, 1, 1), 5],
                ["PRJ-0077", "Bob Roy", dt.date(2027, 1, 1), 5],
            ],
        },
    )
    read, got = resources(path)
    assert got == []
    (note,) = [f for f in read.findings if f.rule == RuleId.RESOURCE_NOT_READ]
    assert (note.sheet, note.cell) == ("Resources", "A1")
    assert "lists the allocations of 2 projects (column 'Project ID')" in note.message
    one = book(
        tmp_path / "one.xlsx",
        {
            "Project": PROJECT,
            "Resources": [
                ["Project ID", "Person", "Month", "Planned"],
                ["PRJ-0042", "Ann Lee", dt.date(2027, 1, 1), 5],
            ],
        },
    )
    assert len(resources(one)[1]) == 1  # its own Project ID on every row: its plan
