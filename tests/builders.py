"""Small, hand-made trackers for tests: a clean base and ways to damage it.

``base_tracker()`` is a complete, valid tracker (no findings at ``AS_OF``);
tests change one thing with :func:`addin.core.tracker.replace` or, for values a record
cannot hold (text in a date column, a negative budget), write the file with
:func:`write` and then :func:`poke` raw cell values into it with openpyxl.
Cells follow the governed template's layout: Project values in column B
(row = field order), tables with their header in row 1.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl

from addin.core.kinds import BudgetLine, Milestone, Project, RaidItem, Task
from addin.core.tracker import Tracker
from addin.outputs.template import write_tracker

D = dt.date
AS_OF = D(2026, 11, 20)
STATUS_DATE = D(2026, 11, 16)


def base_project(**changes: Any) -> Project:
    values: dict[str, Any] = {
        "project_id": "PRJ-0042",
        "project_name": "Customer Portal",
        "programme": "Digital",
        "sponsor": "Ann Sponsor",
        "project_manager": "Bob Manager",
        "phase": "Execution",
        "status_date": STATUS_DATE,
        "start_date": D(2026, 1, 5),
        "baseline_finish": D(2027, 3, 31),
        "forecast_finish": D(2027, 3, 31),
        "budget": 100_000.0,
        "currency": "GBP",
        "reported_rag": "Green",
        "rag_comment": None,
        "template_version": "1.0",
    }
    values.update(changes)
    return Project(**values)


def base_tasks() -> list[Task]:
    return [
        Task(
            task_id="T-001",
            wbs="1.1",
            task_name="Discovery",
            owner="Cara",
            planned_start=D(2026, 1, 5),
            planned_finish=D(2026, 2, 27),
            actual_start=D(2026, 1, 5),
            actual_finish=D(2026, 2, 27),
            pct_complete=1.0,
            status="Complete",
            budget=20_000.0,
        ),
        Task(
            task_id="T-002",
            wbs="1.2",
            task_name="Build",
            owner="Dev Team",
            planned_start=D(2026, 3, 2),
            planned_finish=D(2027, 1, 29),
            actual_start=D(2026, 3, 2),
            pct_complete=0.75,
            status="In Progress",
            budget=60_000.0,
        ),
        Task(
            task_id="T-003",
            wbs="1.3",
            task_name="Launch",
            owner=None,
            planned_start=D(2027, 2, 1),
            planned_finish=D(2027, 3, 31),
            pct_complete=0.0,
            status="Not Started",
            budget=20_000.0,
        ),
    ]


def base_milestones() -> list[Milestone]:
    return [
        Milestone(
            milestone_id="M-01",
            milestone="Design signed off",
            baseline_date=D(2026, 2, 27),
            forecast_date=D(2026, 2, 27),
            actual_date=D(2026, 2, 27),
            status="Achieved",
            owner="Cara",
        ),
        Milestone(
            milestone_id="M-02",
            milestone="Go live",
            baseline_date=D(2027, 3, 31),
            forecast_date=D(2027, 3, 31),
            status="On Track",
            owner="Bob Manager",
        ),
    ]


def base_budget() -> list[BudgetLine]:
    return [
        BudgetLine(period=D(2026, 10, 1), planned=8_000.0, actual=8_000.0, forecast=None),
        BudgetLine(period=D(2026, 11, 1), planned=8_000.0, actual=4_000.0, forecast=None),
        BudgetLine(period=D(2026, 12, 1), planned=8_000.0, actual=None, forecast=8_000.0),
    ]


def base_raid() -> list[RaidItem]:
    return [
        RaidItem(
            raid_id="R-01",
            type="Risk",
            title="Supplier capacity",
            owner="Bob Manager",
            raised=D(2026, 9, 1),
            due=D(2026, 12, 15),
            probability=2,
            impact=3,
            severity="Medium",
            status="Open",
            mitigation="Weekly supplier review",
        ),
        RaidItem(
            raid_id="R-02",
            type="Assumption",
            title="Budget approved for FY27",
            owner="Ann Sponsor",
            status="Closed",
        ),
    ]


def base_tracker(**parts: Any) -> Tracker:
    values: dict[str, Any] = {
        "project": base_project(),
        "tasks": base_tasks(),
        "milestones": base_milestones(),
        "budget": base_budget(),
        "raid": base_raid(),
    }
    values.update(parts)
    project = values.pop("project")
    return Tracker.build(project, **values)


def write(path: Path, tracker: Tracker | None = None) -> Path:
    return write_tracker(path, tracker or base_tracker())


def write_projects(folder: Path, ids: list[str]) -> Path:
    """One standard tracker per Project ID in ``folder`` (``p1.xlsx`` ...); the folder."""
    for i, project_id in enumerate(ids, 1):
        write(folder / f"p{i}.xlsx", base_tracker(project=base_project(project_id=project_id)))
    return folder


def poke(path: Path, cells: dict[tuple[str, str], Any]) -> Path:
    """Write raw values into cells ({(sheet, "F3"): value}) with openpyxl; text stays text."""
    wb = openpyxl.load_workbook(path)
    for (sheet, ref), value in cells.items():
        cell = wb[sheet][ref]
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"
    wb.save(path)
    return path
