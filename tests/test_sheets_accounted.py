"""Issue 12 item 3: every tabular sheet is read or reported, and every row counted right.

RAID from every risk / assumption / issue / dependency sheet, its Type from the sheet,
``Closed ...`` sheets closed; tasks from every plan sheet with Workstream = the sheet; a
task sheet never read as a RAID log; tables stacked on one sheet read apart; a sheet that
looks like a table and feeds nothing reported (``sheet.ignored``) with the reason; a
workbook of several projects reported as such, never read silently as one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from addin.core.cells import a1
from addin.core.findings import FileStatus
from addin.core.settings import Settings
from addin.engine.validate import read_and_check
from addin.read import ReadResult
from tests.builders import AS_OF
from tests.sheetbook import book

D = dt.date
PLAN = [
    ["Task", "Owner", "Start Date", "End Date", "Status"],
    ["Design", "Ann", D(2026, 1, 5), D(2026, 2, 1), "Complete"],
    ["Build", "Bob", D(2026, 2, 2), D(2026, 3, 1), "In Progress"],
]


def _read(path: Path) -> tuple[ReadResult, Any]:
    return read_and_check(path, Settings(), as_of=AS_OF)


def _rows(read: ReadResult, key: str, *fields: str) -> list[tuple[Any, ...]]:
    table = read.tracker.table(key)
    return [(table.sheets[i], *(table.col(f)[i] for f in fields)) for i in range(len(table))]


def _ignored(report: Any) -> dict[str, str]:
    return {f.sheet: f.message for f in report.findings if f.rule == "sheet.ignored"}


def test_a_raid_log_kept_one_sheet_per_type_keeps_every_row_with_its_type(
    tmp_path: Path,
) -> None:
    path = book(
        tmp_path / "raid.xlsx",
        {
            "Risks": [
                ["Risk #", "Risk Statement", "Risk Owner", "Likelihood", "Impact", "Status"],
                ["R1", "Supplier late", "Ann", 4, 4, "Open"],
                ["R2", "Key person leaves", "Bob", 2, 3, "Open"],
            ],
            "Assumptions": [
                ["ID", "Assumption", "Owner", "Status"],
                ["A1", "Budget holds", "Cy", "Open"],
            ],
            "Issues": [
                ["Issue #", "Issue", "Owner", "Priority", "Status"],
                ["I1", "Server down", "Dee", "High", "Open"],
                ["I2", "Licence expired", "Dee", "Medium", "Open"],
                ["I3", "No test data", "Ed", "High", "Open"],
            ],
            "Dependencies": [
                ["Ref", "Dependency", "Owner", "Due Date"],
                ["D1", "API", "Fay", D(2026, 5, 1)],
            ],
            "Closed Risks": [["Risk ID", "Risk", "Owner"], ["R0", "Old risk", "Gus"]],
        },
    )
    read, report = _read(path)
    parts = [(p.sheet, p.rows) for p in report.tables["RAID"].parts]
    assert parts == [
        ("Risks", 2),
        ("Assumptions", 1),
        ("Issues", 3),
        ("Dependencies", 1),
        ("Closed Risks", 1),
    ]
    got = _rows(read, "RAID", "raid_id", "type", "status")
    assert got == [
        ("Risks", "R1", "Risk", "Open"),
        ("Risks", "R2", "Risk", "Open"),
        ("Assumptions", "A1", "Assumption", "Open"),
        ("Issues", "I1", "Issue", "Open"),
        ("Issues", "I2", "Issue", "Open"),
        ("Issues", "I3", "Issue", "Open"),
        ("Dependencies", "D1", "Dependency", None),
        ("Closed Risks", "R0", "Risk", "Closed"),
    ]
    # every row keeps its source cell: the three open High issues are on Issues rows 2-4
    where = [read.where("RAID", "title", i) for i in range(3, 6)]
    assert [f"{s}!{a1(r, c)}" for s, r, c in where if r is not None and c is not None] == [
        "Issues!B2",
        "Issues!B3",
        "Issues!B4",
    ]


def test_a_plan_kept_one_sheet_per_workstream_is_read_whole_and_no_task_is_a_risk(
    tmp_path: Path,
) -> None:
    web = [
        ["Task ID", "Description", "Owner", "Status", "Notes"],
        ["W1", "Build the web page", "Hal", "In Progress", ""],
        ["W2", "Publish the web page", "Hal", "Not Started", ""],
    ]
    risks = [["Risk", "Owner", "Status"], ["Vendor insolvency", "Ivy", "Open"]]
    path = book(tmp_path / "plan.xlsx", {"Frontend": PLAN, "Web": web, "Risks": risks})
    read, report = _read(path)
    assert [(p.sheet, p.rows) for p in report.tables["Tasks"].parts] == [
        ("Frontend", 2),
        ("Web", 2),
    ]
    assert _rows(read, "Tasks", "task_name", "workstream")[2:] == [
        ("Web", "Build the web page", "Web"),
        ("Web", "Publish the web page", "Web"),
    ]
    assert _rows(read, "RAID", "title") == [("Risks", "Vendor insolvency")]


def test_tables_stacked_on_one_sheet_are_read_apart(tmp_path: Path) -> None:
    status = [
        *PLAN,
        [],
        ["Problems"],
        ["#", "Problem", "Response", "Owner", "Due"],
        [1, "Data is late", "Chase the vendor", "Ann", D(2026, 3, 3)],
        [2, "Test rig broken", "Repair it", "Bob", D(2026, 3, 9)],
        [],
        ["Next steps"],
        ["#", "Activity"],
        [1, "Plan the next sprint"],
    ]
    read, report = _read(book(tmp_path / "s.xlsx", {"Week 12": status}))
    assert (report.tables["Tasks"].rows, report.tables["RAID"].rows) == (2, 2)
    assert report.tables["RAID"].header_row + 1 == 6
    assert _rows(read, "RAID", "title", "mitigation")[0] == (
        "Week 12",
        "Data is late",
        "Chase the vendor",
    )


def test_rows_that_are_no_records_are_left_out_and_said_so(tmp_path: Path) -> None:
    rows = [
        ["ID", "Risk", "Owner", "Impact", "Mitigation"],
        ["R1", "Outage", "Ann", 4, "1. Fail over"],
        [None, None, None, None, "2. Restore"],  # the same risk: its cells merged down
        ["R2", None, None, None, None],  # pre-numbered, empty
        ["R3", "Breach", "Bob", 5, "Encrypt"],
        [None, None, None, 0, None],  # formula residue: no risk, no ID
        ["R4", "Subtotal", None, 9, None],
    ]
    path = book(tmp_path / "r.xlsx", {"Risk Register": rows}, merges={"Risk Register": ["B2:B3"]})
    read, report = _read(path)
    assert _rows(read, "RAID", "raid_id", "title") == [
        ("Risk Register", "R1", "Outage"),
        ("Risk Register", "R3", "Breach"),
    ]
    said = [(f.cell, f.message) for f in report.findings if f.rule == "row.not_a_record"]
    assert said == [
        ("B6", "row 6 has values but no Title or ID: not counted"),
        ("B7", "row 7 is a total ('Subtotal'): not counted"),
    ]


def test_sheets_that_feed_nothing_are_reported_with_the_reason(tmp_path: Path) -> None:
    lookups = [["Region", "Country", "Code"], ["EMEA", "France", "FR"], ["EMEA", "Spain", "ES"]]
    half = [["Owner", "Status", "Comment"], ["Ann", "Open", "x"], ["Bob", "Closed", "y"]]
    key = [["Probability"], [1, "Rare"], [2, "Unlikely"], [3, "Possible"], [4, "Likely"]]
    path = book(
        tmp_path / "p.xlsx",
        {
            "Plan": PLAN,
            "Example Plan": PLAN,
            "Later": [PLAN[0]],
            "Lookups": lookups,
            "Actions": half,
            "Risk Key": key,
        },
    )
    _, report = _read(path)
    assert [(p.sheet, p.rows) for p in report.tables["Tasks"].parts] == []
    assert report.tables["Tasks"].sheet == "Plan"
    ignored = _ignored(report)
    assert set(ignored) == {"Example Plan", "Later", "Lookups", "Actions", "Risk Key"}
    assert "an example or template sheet" in ignored["Example Plan"]
    assert "row 1" in ignored["Later"] and "no rows below it" in ignored["Later"]
    assert "none of its cells names a field" in ignored["Lookups"]
    assert "names Owner, Status, Notes but no Task Name (a Tasks table" in ignored["Actions"]
    assert "a scoring key" in ignored["Risk Key"]
    located = {f.sheet: f.cell for f in report.findings if f.rule == "sheet.ignored"}
    assert all(located.values()), located


def test_a_list_of_projects_is_no_one_projects_tracker(tmp_path: Path) -> None:
    overview = [
        ["Project ID", "Project Name", "Budget", "Start Date", "Project Manager"],
        ["P-001", "CRM", 50000, D(2026, 1, 1), "Ann"],
        ["P-002", "ERP", 90000, D(2026, 2, 1), "Bob"],
        ["P-003", "Web", 20000, D(2026, 3, 1), "Cy"],
    ]
    milestones = [["Milestone", "Due Date", "Status"], ["Kick-off", D(2026, 1, 9), "Achieved"]]
    path = book(tmp_path / "pf.xlsx", {"Overview": overview, "Milestones": milestones})
    _, report = _read(path)
    assert report.status is FileStatus.NOT_A_TRACKER
    assert report.reason.startswith("not one project's tracker: sheet 'Overview' lists 3 projects")


def test_a_plan_sheet_per_project_beside_a_dashboard_is_reported(tmp_path: Path) -> None:
    dashboard = [["Project", "RAG"], ["Apollo", "Green"], ["Gemini", "Amber"]]
    path = book(
        tmp_path / "d.xlsx",
        {"Dashboard": dashboard, "Apollo": [["Apollo"], *PLAN], "Gemini": [["Gemini"], *PLAN]},
    )
    _, report = _read(path)
    (f,) = [f for f in report.findings if f.rule == "workbook.several_projects"]
    assert (f.location, f.severity) == ("Dashboard!A1", "warning")
    assert "'Apollo', 'Gemini'" in f.message and "keep one tracker per project" in f.message
