"""Issue 12, header recall on real trackers (round 3): layouts and words seen in real files.

Each case is a general rule a few lines of workbook show: a lessons log in its own words,
a lone ``Project: X`` title line reported as the Project block, a reporting period as the
Status Date.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from addin.core.settings import Settings
from addin.read import read_tracker
from tests.sheetbook import book

D = dt.date


def test_a_lessons_log_in_its_own_words_is_read(tmp_path: Path) -> None:
    rows = [
        ["LESSONS LEARNED"],
        [],
        ["WIN / ISSUE", "Category", "Describe What Happened", "What Was the Impact?",
         "How Does This Change Future Projects?"],
        ["WIN", "Schedule", "Early prototype", "Saved a week", "Prototype first"],
        ["ISSUE", "Scope", "Late requirements", "Rework", "Freeze scope at gate 2"],
    ]  # fmt: skip
    read = read_tracker(book(tmp_path / "ll.xlsx", {"Lessons Learned": rows}), Settings())
    info = read.tables["Lessons"]
    assert (info.header_row, info.rows) == (2, 2)
    assert info.columns == {
        "Type": "A",
        "Category": "B",
        "Lesson": "C",
        "Recommendation": "E",
    }
    assert read.tracker.table("Lessons").col("type") == ["Went well", "To improve"]


def test_a_lone_project_title_line_is_reported_as_the_project_block(tmp_path: Path) -> None:
    rows = [
        ["Resource Allocation Plan"],
        ["Project: Churn Prediction"],
        [],
        ["Resource Name", "Role", "Month", "Planned Days"],
        ["Ann", "Analyst", D(2026, 1, 1), 10],
        ["Bob", "Engineer", D(2026, 1, 1), 12],
    ]
    read = read_tracker(book(tmp_path / "r.xlsx", {"Human Resources": rows}), Settings())
    assert read.tracker.project.project_name == "Churn Prediction"
    block = read.tables["Project"]
    assert (block.sheet, block.header_row, block.rows) == ("Human Resources", 1, 1)
    assert block.columns == {"Project Name": "A2"}


def test_a_reporting_period_is_the_status_date_as_of_its_last_day(tmp_path: Path) -> None:
    rows = [
        ["Proyecto:", "Retención de clientes"],
        ["ID:", "LTV"],
        ["Gerente del proyecto:", "Andrea"],
        ["Periodo:", "02/03/2026 - 13/03/2026"],
        [],
        ["Tarea", "Inicio", "Fin"],
        ["Diseño", D(2026, 3, 2), D(2026, 3, 6)],
    ]
    read = read_tracker(book(tmp_path / "s.xlsx", {"Sprint 2": rows}), Settings())
    assert read.tables["Project"].columns["Status Date"] == "B4"
    assert read.tracker.project.status_date == D(2026, 3, 13)
