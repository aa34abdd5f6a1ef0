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


def test_a_row_closing_its_group_with_the_sum_of_its_lines_is_no_task(tmp_path: Path) -> None:
    """``2 | Milestone 2 | 30`` below ``2.a`` .. ``2.c``: a subtotal whatever its label;
    the first group's title beside a second header row's role names is a heading."""
    rows = [
        ["Activity", "Activity Name", "Hours", "Cost ($)", "Role", None, "PSS"],
        ["1", "Deliver white paper", None, None, None, None, "Sr Rsrch"],
        ["1.a", "Research methods", 20, 2200, "Researcher"],
        ["1.b", "Write paper", 10, 1100, "Researcher"],
        ["1", "Milestone 1", 30, 3300, "Deliverable: paper"],
        ["2", "Build prototype"],
        ["2.a", "Code", 40, 3000, "Programmer"],
        ["2.b", "Test", 16, 1200, "Tester"],
        ["2.c", "Review", 4, 440, "Lead"],
        ["2", "Phase B", 60, 4640, "Deliverable: prototype"],
    ]
    read = read_tracker(book(tmp_path / "cost.xlsx", {"Cost - Labor": rows}), Settings())
    names = [t.task_name for t in read.tracker.tasks]
    assert names == ["Research methods", "Write paper", "Code", "Test", "Review"]
    dropped = {
        f.cell for f in read.findings if f.rule in ("row.not_a_record", "row.section_heading")
    }
    assert dropped == {"B2", "B5", "B6", "B10"}


def test_a_chart_with_no_header_over_its_names_is_a_task_list(tmp_path: Path) -> None:
    """Names in A under a row of weekly dates, the bars drawn as fill: the plan's tasks."""
    weeks = [D(2023, 10, 2) + dt.timedelta(weeks=k) for k in range(8)]
    rows = [
        [None, None, None, "Название проекта:", None, "Компьютерная система"],
        ["Team Leader", "Мельникова"],
        [],
        [None, None, *weeks],
        ["Планирование проекта"],
        ["Написание кода"],
        ["Тестирование"],
    ]
    read = read_tracker(book(tmp_path / "plan.xlsx", {"Лист1": rows}), Settings())
    assert read.status.read_as_tracker
    assert (read.tables["Tasks"].header_row, read.tables["Tasks"].rows) == (3, 3)
    assert [t.task_name for t in read.tracker.tasks] == [
        "Планирование проекта",
        "Написание кода",
        "Тестирование",
    ]
    assert read.tables["Project"].columns == {"Project Name": "F1"}


def test_a_log_or_a_timesheet_under_dates_is_no_chart(tmp_path: Path) -> None:
    """Values in the band (a daily log, hours): not bars drawn in fill, so no task list."""
    days = [D(2026, 1, 5) + dt.timedelta(days=k) for k in range(5)]
    rows = [[None, *days], ["Tender A", "called"], ["Tender B"], ["Account C", None, "met"]]
    read = read_tracker(book(tmp_path / "log.xlsx", {"Log": rows}), Settings())
    assert not read.status.read_as_tracker


def test_text_left_under_a_merge_is_not_read_as_a_label(tmp_path: Path) -> None:
    """A one-page report keeps stale texts in cells a merge covers (``BAC=`` under the
    shown ``AC=``): Excel shows only each merge's first cell, and so does the reader."""
    rows = [
        ["Project Name:", None, "Apollo"],
        ["Project Manager:", None, "Ann"],
        ["Report Date:", None, D(2026, 3, 2)],
        ["AC=", "BAC=", 40000],
        ["BAC =", "AC =", 150000],
        [],
        ["Task", "Start", "Finish"],
        ["Design", D(2026, 1, 5), D(2026, 1, 9)],
    ]
    merges = {"Report": ["A4:B4", "A5:B5"]}
    path = book(tmp_path / "oppm.xlsx", {"Report": rows}, merges)
    read = read_tracker(path, Settings())
    assert read.tables["Project"].columns["Budget"] == "C5"
    assert read.tracker.project.budget == 150000


def test_a_second_budget_table_is_said_to_be_one(tmp_path: Path) -> None:
    """Budget is read from one sheet (two would count the actuals twice); the other sheet's
    finding says it is a second Budget table, not 'too little for a Budget table'."""
    weekly = [["Period", "Planned", "Actual"], [D(2026, 1, 1), 100, 90], [D(2026, 2, 1), 100, 80]]
    ledger = [
        ["Item", "Cost", "Date"],
        ["Licence", 90, D(2026, 1, 5)],
        ["Server", 80, D(2026, 2, 3)],
    ]
    tasks = [["Task", "Start", "Finish"], ["Build", D(2026, 1, 5), D(2026, 2, 27)]]
    path = book(tmp_path / "b.xlsx", {"Plan": tasks, "Budget": weekly, "Actual Costs": ledger})
    read = read_tracker(path, Settings())
    assert read.tables["Budget"].sheet == "Budget"
    (why,) = [f.message for f in read.findings if f.rule == "sheet.ignored"]
    assert "a second Budget table; Budget is read from one sheet, 'Budget'" in why


def test_common_headers_of_risk_logs_budgets_and_plans_are_read(tmp_path: Path) -> None:
    """'Score' / 'PxI' is the risk's severity (a score read as P x I), 'Budget' beside a
    period the planned amount, 'Sub-task' a task name."""
    raid = [["Risk", "Owner", "Probability", "Impact", "PxI"], ["Late supplier", "Ann", 4, 5, 20]]
    budget = [["Month", "Budget", "Actual"], [D(2026, 1, 1), 100, 90]]
    plan = [["Sub-task", "Start", "Finish"], ["Build", D(2026, 1, 5), D(2026, 2, 27)]]
    path = book(tmp_path / "t.xlsx", {"Plan": plan, "Costs": budget, "Risks": raid})
    read = read_tracker(path, Settings())
    assert read.tables["RAID"].columns["Severity"] == "E"
    assert read.tables["Budget"].columns == {"Period": "A", "Planned": "B", "Actual": "C"}
    assert read.tables["Tasks"].columns["Task Name"] == "A"


def test_a_box_of_main_risks_beside_the_progress_list_is_read(tmp_path: Path) -> None:
    """'Principais Riscos' over one line, right of a list whose header row shares the line's
    row: the box is a RAID list of one risk, and neither table ends the other."""
    rows = [
        ["SEMANA 1"],
        [],
        ["Progressos", None, None, "Principais Riscos"],
        ["Atividade", "Responsável", None, "Indisponibilidade da Azure"],
        ["Componente Text", "Lincoln"],
        ["Dockerfile Java", "Vinicius"],
        ["Deploy", "Ana"],
    ]
    read = read_tracker(book(tmp_path / "s.xlsx", {"Semana 1": rows}), Settings())
    assert (read.tables["RAID"].header_row, read.tables["RAID"].columns) == (2, {"Title": "D"})
    assert [r.title for r in read.tracker.raid] == ["Indisponibilidade da Azure"]
    assert read.tables["Tasks"].rows == 3


def test_a_word_in_a_list_or_a_label_in_a_row_of_figures_is_no_risk_box(tmp_path: Path) -> None:
    rows = [
        ["Task", "Start", "Finish"],
        ["Build", D(2026, 1, 5), D(2026, 2, 27)],
        [],
        ["A", "Scope"],
        ["B", "Team"],
        ["C", "Risk"],
        ["D", "Organisational benefits"],
        [],
        ["Risk (Contingency)", 40, 4000],
        ["Total (Scheduled)", 456, 50700],
    ]
    read = read_tracker(book(tmp_path / "r.xlsx", {"Report": rows}), Settings())
    assert "RAID" not in read.tables
