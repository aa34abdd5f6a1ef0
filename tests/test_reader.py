"""The reader: drifted layouts read the same as the template; structure problems are findings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

from addin.core.findings import FileStatus
from addin.core.settings import Settings
from addin.core.tracker import Tracker, replace
from addin.demo import sample_trackers, write_drifted
from addin.engine.validate import read_and_check
from addin.read import read_tracker
from tests.builders import AS_OF, base_tracker, write


def _values(tracker: Tracker) -> dict[str, Any]:
    """A tracker's data without where it came from (row numbers, pass-through columns)."""
    # A drifted tracker was not made from the template, so it has no Template Version.
    out: dict[str, Any] = {
        "project": tracker.project.data(exclude={"row", "extra", "template_version"})
    }
    for key in ("Tasks", "Milestones", "Budget", "RAID"):
        out[key] = [r.data(exclude={"row", "extra"}) for r in tracker.rows(key)]
    return out


@pytest.mark.parametrize("source", ["base", "sample"])
def test_drifted_layout_reads_the_same_values_and_findings(tmp_path: Path, source: str) -> None:
    tracker = base_tracker() if source == "base" else sample_trackers()[0][1]
    standard = write(tmp_path / "standard.xlsx", tracker)
    drifted = write_drifted(tmp_path / "drifted.xlsx", tracker, Settings())
    std_read, std_report = read_and_check(standard, Settings(), as_of=AS_OF)
    drift_read, drift_report = read_and_check(drifted, Settings(), as_of=AS_OF)
    assert _values(drift_read.tracker) == _values(std_read.tracker)
    assert [f.rule for f in drift_report.findings] == [f.rule for f in std_report.findings]
    # the drifted file really is drifted: other sheet names, a header row below a title
    assert drift_report.tables["Tasks"].sheet != "Tasks"
    assert drift_report.tables["Tasks"].header_row > 0
    assert drift_report.tables["Tasks"].extra_columns  # an unknown column passed through


def test_findings_in_drifted_layout_point_at_the_real_cells(tmp_path: Path) -> None:
    tracker = base_tracker()
    tasks = list(tracker.tasks)
    tasks[1] = replace(tasks[1], **{"owner": None})
    path = write_drifted(tmp_path / "d.xlsx", replace(tracker, **{"tasks": tasks}), Settings())
    read, report = read_and_check(path, Settings(), as_of=AS_OF)
    (f,) = report.findings
    layout = read.layouts["Tasks"][0]
    assert f.rule == "task.owner_required"
    assert f.sheet == report.tables["Tasks"].sheet
    assert (f.row, f.col) == (read.tracker.tasks[1].row, layout.columns["owner"])


def _book(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is not None:
                    ws.write(r, c, v)
    wb.close()
    return path


def test_header_found_under_titles_and_blank_rows_in_any_column(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "t.xlsx",
        {
            "Plan": [
                ["Project plan"],
                [],
                [
                    None,
                    None,
                    "ID",
                    "Activity",
                    "Start",
                    "End Date",
                    "% Done",
                    "Responsible",
                    "Status",
                ],
                [
                    None,
                    None,
                    "A1",
                    "Survey",
                    "01/02/2026",
                    "28/02/2026",
                    "50%",
                    "Kim",
                    "in progress",
                ],
                [],
                [None, None, "A2", "Design", "01/03/2026", "31/03/2026", "0", "", "Not started"],
            ]
        },
    )
    read = read_tracker(path, Settings())
    info = read.tables["Tasks"]
    assert (info.sheet, info.header_row, info.rows) == ("Plan", 2, 2)
    assert info.columns["Task Name"] == "D"
    t1, t2 = read.tracker.tasks
    assert (t1.task_id, t1.owner, t1.pct_complete, t1.status) == ("A1", "Kim", 0.5, "In Progress")
    assert (t2.row, t2.status) == (5, "Not Started")


def test_sheet_found_by_content_when_name_matches_nothing(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "t.xlsx",
        {
            "Sheet7": [
                ["Ref", "Risk Description", "Likelihood", "Impact", "Status", "Owner"],
                ["1", "x", 3, 4, "Open", "Al"],
            ]
        },
    )
    read = read_tracker(path, Settings())
    assert read.tables["RAID"].sheet == "Sheet7"
    assert read.tracker.raid[0].probability == 3


def test_structure_findings_name_the_missing_parts(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "t.xlsx",
        {
            "Tasks": [["Task", "Finish"], ["Build", "01/01/2026"]],
            "Milestones": [["nothing to see"]],
        },
    )
    _, report = read_and_check(path, Settings(), as_of=AS_OF)
    got = [(f.sheet, f.cell, f.rule) for f in report.findings]
    assert ("Tasks", "A1", "column.missing") in got  # Task ID
    assert ("Milestones", "", "sheet.no_header") in got
    assert ("", "", "sheet.missing") in got  # Project, Budget, RAID
    assert report.status is FileStatus.INVALID
    messages = [f.message for f in report.findings if f.rule == "sheet.no_header"]
    assert messages == [
        "no header row with a milestone name and a date found in the first 30 rows "
        "of sheet 'Milestones'"
    ]


def test_not_a_tracker_and_unreadable_have_one_line_reasons(tmp_path: Path) -> None:
    other = _book(tmp_path / "other.xlsx", {"Sales": [["Region", "Revenue"], ["North", 5]]})
    _, report = read_and_check(other, Settings(), as_of=AS_OF)
    assert report.status is FileStatus.NOT_A_TRACKER
    assert "not a project tracker" in report.reason and "\n" not in report.reason
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04 definitely not a zip")
    _, report = read_and_check(junk, Settings(), as_of=AS_OF)
    assert report.status is FileStatus.UNREADABLE
    assert [f.rule for f in report.findings] == ["file.unreadable"]
    assert "\n" not in report.reason


def test_rows_beyond_the_limit_are_reported_not_silently_dropped(tmp_path: Path) -> None:
    rows: list[list[Any]] = [["Task ID", "Task Name", "Planned Start", "Planned Finish"]]
    rows += [[f"T{i}", f"Task {i}", "01/01/2026", "02/01/2026"] for i in range(30)]
    path = _book(tmp_path / "t.xlsx", {"Tasks": rows})
    settings = Settings.model_validate({"limits": {"max_rows": 20}})
    read = read_tracker(path, settings)
    assert len(read.tracker.tasks) == 19
    assert [f.rule for f in read.findings if f.rule == "sheet.truncated"] == ["sheet.truncated"]


def test_empty_template_reads_as_a_tracker_with_required_values_missing(tmp_path: Path) -> None:
    path = write(tmp_path / "t.xlsx", Tracker())
    _, report = read_and_check(path, Settings(), as_of=AS_OF)
    assert report.status is FileStatus.INVALID
    assert {t: i.rows for t, i in report.tables.items() if t != "Project"} == {
        "Tasks": 0,
        "Milestones": 0,
        "Budget": 0,
        "RAID": 0,
        "Resources": 0,
        "Lessons": 0,
    }
    assert {f.rule for f in report.findings} == {"value.required"}


def test_section_heading_rows_are_reported_not_read_as_tasks(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "t.xlsx",
        {
            "Tasks": [
                ["Task ID", "Task Name", "Owner", "Planned Start", "Planned Finish"],
                [None, "Phase 1 - Discovery"],
                ["T1", "Interviews", "Kim", "01/02/2026", "28/02/2026"],
                [None, "Phase 2 - Build"],
                ["T2", "Build", "Lee", "01/03/2026", "31/03/2026"],
            ]
        },
    )
    read = read_tracker(path, Settings())
    assert [t.task_id for t in read.tracker.tasks] == ["T1", "T2"]
    headings = [(f.cell, f.rule, f.value) for f in read.findings if f.rule == "row.section_heading"]
    assert headings == [
        ("B2", "row.section_heading", "Phase 1 - Discovery"),
        ("B4", "row.section_heading", "Phase 2 - Build"),
    ]


def test_text_longer_than_a_cell_holds_is_cut_with_a_warning_at_its_cell(tmp_path: Path) -> None:
    from tests.hostile.make import overlong_cell

    path = overlong_cell(tmp_path / "t.xlsx", "PRJ-0001", chars=40_000)  # not from Excel
    read, report = read_and_check(path, Settings(), as_of=AS_OF)
    (found,) = [f for f in report.findings if f.rule == "value.too_long"]
    assert (found.sheet, found.cell, found.field) == ("Tasks", "C2", "Task Name")
    assert found.message == "Task Name is 40,000 characters long; kept the first 32,767"
    names = read.tracker.table("Tasks").col("task_name")
    assert names[0] == "N" * 32_767
    assert report.status is FileStatus.VALID  # a warning: the rest of the file is read
