"""One small tracker per rule: the exact (sheet, cell, rule) list each defect produces."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from addin.checks.context import date_formatter
from addin.core.findings import FileStatus, Severity
from addin.core.kinds import Allocation, RaidItem, Task
from addin.core.rules import RULES
from addin.core.settings import Settings
from addin.core.tracker import Tracker, replace
from addin.engine.validate import read_and_check
from tests.builders import (
    AS_OF,
    D,
    base_budget,
    base_milestones,
    base_project,
    base_raid,
    base_tasks,
    base_tracker,
    poke,
    write,
)

Mutate = Callable[[], Tracker]


def _task(i: int, **changes: Any) -> list[Task]:
    tasks = base_tasks()
    tasks[i] = replace(tasks[i], **changes)
    return tasks


def _raid(i: int, **changes: Any) -> list[RaidItem]:
    items = base_raid()
    items[i] = replace(items[i], **changes)
    return items


# (id, tracker, raw cell overrides, expected [(sheet, cell, rule)])
CASES: list[tuple[str, Tracker, dict[tuple[str, str], Any], list[tuple[str, str, str]]]] = [
    ("clean", base_tracker(), {}, []),
    # -- Project
    (
        "project id format",
        base_tracker(project=base_project(project_id="prj42")),
        {},
        [("Project", "B1", "project.id_format")],
    ),
    (
        "project required fields",
        base_tracker(project=base_project(sponsor=None, phase=None)),
        {},
        [("Project", "B4", "value.required"), ("Project", "B6", "value.required")],
    ),
    (
        "status date in the future",
        base_tracker(project=base_project(status_date=D(2026, 11, 27))),
        {},
        [("Project", "B7", "project.status_date_future")],
    ),
    (
        "stale report",
        base_tracker(project=base_project(status_date=D(2026, 11, 1))),
        {},
        [("Project", "B7", "project.stale")],
    ),
    (
        "baseline and forecast before start",
        base_tracker(
            project=base_project(baseline_finish=D(2025, 12, 1), forecast_finish=D(2025, 12, 2))
        ),
        {},
        [
            ("Project", "B9", "project.baseline_before_start"),
            ("Project", "B10", "project.forecast_before_start"),
        ],
    ),
    (
        "amber without comment",
        base_tracker(project=base_project(reported_rag="Amber")),
        {},
        [("Project", "B14", "project.rag_comment_required")],
    ),
    (
        "currency not ISO",
        base_tracker(project=base_project(currency="Pounds")),
        {},
        [("Project", "B12", "project.currency_code")],
    ),
    (
        "phase not allowed",
        base_tracker(),
        {("Project", "B6"): "Doing"},
        [("Project", "B6", "value.not_allowed")],
    ),
    (
        "status date not a date",
        base_tracker(),
        {("Project", "B7"): "last Friday"},
        [("Project", "B7", "value.not_a_date")],
    ),
    (
        "negative budget",
        base_tracker(),
        {("Project", "B11"): -5},
        [("Project", "B11", "value.out_of_range")],
    ),
    # -- Tasks
    (
        "task finish before start",
        base_tracker(tasks=_task(2, planned_finish=D(2027, 1, 15))),
        {},
        [("Tasks", "F4", "task.finish_before_start")],
    ),
    (
        "task actual finish before actual start",
        base_tracker(tasks=_task(0, actual_finish=D(2026, 1, 2))),
        {},
        [("Tasks", "H2", "task.actual_finish_before_start")],
    ),
    (
        "task owner required unless not started",
        base_tracker(tasks=_task(1, owner=None)),
        {},
        [("Tasks", "D3", "task.owner_required")],
    ),
    (
        "complete but not 100",
        base_tracker(tasks=_task(0, pct_complete=0.6)),
        {},
        [("Tasks", "I2", "task.complete_not_100")],
    ),
    (
        "complete without actual finish",
        base_tracker(tasks=_task(0, actual_finish=None)),
        {},
        [("Tasks", "H2", "task.complete_without_finish")],
    ),
    (
        "100 and finished but not complete",
        base_tracker(tasks=_task(1, pct_complete=1.0, actual_finish=D(2026, 11, 2))),
        {},
        [("Tasks", "J3", "task.done_not_complete")],
    ),
    (
        "actual start on a not-started task",
        base_tracker(tasks=_task(2, actual_start=D(2026, 11, 2), owner="Eve")),
        {},
        [("Tasks", "J4", "task.started_not_started")],
    ),
    (
        "actual date after status date",
        base_tracker(tasks=_task(1, actual_start=D(2026, 11, 18))),
        {},
        [("Tasks", "G3", "task.actual_after_status_date")],
    ),
    (
        "duplicate task id",
        base_tracker(tasks=_task(2, task_id="T-001")),
        {},
        [("Tasks", "A4", "task.duplicate_id")],
    ),
    (
        "task name required",
        base_tracker(tasks=_task(1, task_name=None)),
        {},
        [("Tasks", "C3", "value.required")],
    ),
    (
        "task text in a date column",
        base_tracker(),
        {("Tasks", "E3"): "soon"},
        [("Tasks", "E3", "value.not_a_date")],
    ),
    (
        "percent over 100",
        base_tracker(),
        {("Tasks", "I3"): 1.5},
        [("Tasks", "I3", "value.out_of_range")],
    ),
    (
        "status not allowed",
        base_tracker(),
        {("Tasks", "J3"): "Nearly there"},
        [("Tasks", "J3", "value.not_allowed")],
    ),
    # -- Milestones
    (
        "milestone forecast required unless achieved",
        base_tracker(
            milestones=[
                base_milestones()[0],
                replace(base_milestones()[1], **{"forecast_date": None}),
            ]
        ),
        {},
        [("Milestones", "D3", "milestone.forecast_required")],
    ),
    (
        "achieved without actual date",
        base_tracker(
            milestones=[
                replace(base_milestones()[0], **{"actual_date": None}),
                base_milestones()[1],
            ]
        ),
        {},
        [("Milestones", "E2", "milestone.achieved_without_date")],
    ),
    (
        "duplicate milestone id",
        base_tracker(
            milestones=[
                base_milestones()[0],
                replace(base_milestones()[1], **{"milestone_id": "m-01"}),
            ]
        ),
        {},
        [("Milestones", "A3", "milestone.duplicate_id")],
    ),
    (
        "milestone achieved after status date",
        base_tracker(
            milestones=[
                replace(base_milestones()[0], **{"actual_date": D(2026, 11, 19)}),
                base_milestones()[1],
            ]
        ),
        {},
        [("Milestones", "E2", "milestone.actual_after_status_date")],
    ),
    # -- Budget
    (
        "period not first of month",
        base_tracker(
            budget=[
                *base_budget()[:2],
                replace(base_budget()[2], **{"period": D(2026, 12, 15)}),
            ]
        ),
        {},
        [("Budget", "A4", "budget.period_not_month_start")],
    ),
    (
        "actual cost after status date",
        base_tracker(budget=[*base_budget()[:2], replace(base_budget()[2], **{"actual": 500.0})]),
        {},
        [("Budget", "C4", "budget.actual_after_status_date")],
    ),
    (
        "duplicate period",
        base_tracker(budget=[*base_budget()[:2], replace(base_budget()[1], **{"planned": 1.0})]),
        {},
        [("Budget", "A4", "budget.duplicate_period")],
    ),
    (
        "a budget too small to divide by",
        base_tracker(project=base_project(budget=5e-324)),
        {},
        [("Project", "B11", "metric.not_computable")],
    ),
    # -- RAID
    (
        "open risk needs owner and due",
        base_tracker(raid=_raid(0, owner=None, due=None)),
        {},
        [("RAID", "D2", "raid.owner_required"), ("RAID", "F2", "raid.due_required")],
    ),
    (
        "open high risk needs an action",
        base_tracker(raid=_raid(0, probability=4, impact=4, severity="High", mitigation=None)),
        {},
        [("RAID", "K2", "raid.action_required")],
    ),
    (
        "derived critical needs an action",
        base_tracker(raid=_raid(0, probability=5, impact=4, severity=None, mitigation=None)),
        {},
        [("RAID", "K2", "raid.action_required")],
    ),
    (
        "severity disagrees with scores",
        base_tracker(raid=_raid(0, severity="Low")),
        {},
        [("RAID", "I2", "raid.severity_mismatch")],
    ),
    (
        "probability on an assumption",
        base_tracker(raid=_raid(1, probability=3)),
        {},
        [("RAID", "G3", "raid.probability_not_risk")],
    ),
    (
        "duplicate raid id",
        base_tracker(raid=_raid(1, raid_id="R-01")),
        {},
        [("RAID", "A3", "raid.duplicate_id")],
    ),
    (
        "probability outside 1-5",
        base_tracker(),
        {("RAID", "G2"): 7},
        [("RAID", "G2", "value.out_of_range")],
    ),
    (
        "open risk with no severity and no scores",
        base_tracker(raid=_raid(0, probability=None, impact=None, severity=None)),
        {},
        [("RAID", "I2", "raid.severity_missing")],
    ),
    # -- Resources (v1.1): the per-tracker rules; the portfolio's in test_resource_load.py
    (
        "task effort with no owner",
        base_tracker(),
        {("Tasks", "P4"): 6, ("Tasks", "D4"): None},
        [("Tasks", "P4", "resource.unassigned_effort")],
    ),
    (
        "a person's FTE over 100 % and a row naming nobody",
        base_tracker(
            resources=[
                Allocation(person="Ann Lee", period=D(2027, 1, 1), fte=3.0),
                Allocation(period=D(2027, 1, 1), planned=4.0),
            ]
        ),
        {},
        [
            ("Resources", "G2", "value.out_of_range"),
            ("Resources", "E3", "resource.unassigned_effort"),
        ],
    ),
]


@pytest.mark.parametrize(
    ("tracker", "raw", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_rule_points_at_its_cell(
    tmp_path: Path,
    tracker: Tracker,
    raw: dict[tuple[str, str], Any],
    expected: list[tuple[str, str, str]],
) -> None:
    path = write(tmp_path / "t.xlsx", tracker)
    if raw:
        poke(path, raw)
    _, report = read_and_check(path, Settings(), as_of=AS_OF)
    assert [(f.sheet, f.cell, f.rule) for f in report.findings] == expected
    assert all(f.rule in RULES for f in report.findings)
    assert report.status is (FileStatus.INVALID if report.errors else FileStatus.VALID)


def test_every_rule_id_is_exercised_somewhere() -> None:
    """The table above plus the structural tests cover every tracker rule in the registry."""
    covered = {rule for case in CASES for _, _, rule in case[3]}
    structural = {
        "file.unreadable",
        "file.not_a_tracker",
        "sheet.missing",
        "sheet.no_header",
        "column.missing",
        "column.duplicate",
        "sheet.truncated",
        "value.not_calculated",
        "value.not_a_number",
        "value.not_a_percent",
        "value.too_long",
        "project.duplicate_id",
        "row.section_heading",
        # the Lessons sheet's rules: tests/test_lessons.py
        "lesson.duplicate_id",
        "lesson.date_after_status_date",
        "lesson.recommendation_missing",
        # a wide resource plan (tests/test_resource_plans.py)
        "resource.period_header",
        "resource.not_read",
        "resource.drawn_in_colour",  # tests/test_resource_fills.py
        # issue 12's reader findings: tests/test_identity.py, test_sheets_accounted.py
        "row.not_a_record",
        "sheet.ignored",
        "identity.inferred",
        "workbook.several_projects",
        # [[mapping]] overrides of pmo.toml: tests/test_mapping_overrides.py
        "mapping.applied",
        "mapping.not_applied",
    }
    #: Findings of the portfolio's resource step, not of one tracker (test_resource_load.py).
    portfolio = {"resource.over_allocated", "resource.unknown_person", "resource.after_leaving"}
    assert set(RULES) - covered - structural - portfolio == set()


def test_finding_carries_file_field_severity_message_and_value(tmp_path: Path) -> None:
    tracker = base_tracker(tasks=_task(2, planned_finish=D(2027, 1, 15)))
    path = write(tmp_path / "t.xlsx", tracker)
    _, report = read_and_check(path, Settings(), as_of=AS_OF)
    (f,) = report.findings
    assert f.to_dict() == {
        "sheet": "Tasks",
        "cell": "F4",
        "row": 4,
        "column": "F",
        "field": "Planned Finish",
        "rule": "task.finish_before_start",
        "severity": "error",
        "message": "Planned Finish 15/01/2027 is before Planned Start 01/02/2027",
        "value": "15/01/2027",
    }
    assert f.file == str(path)


def test_rules_can_be_relevelled_or_switched_off(tmp_path: Path) -> None:
    path = write(
        tmp_path / "t.xlsx",
        base_tracker(tasks=_task(1, owner=None), project=base_project(currency="Pounds")),
    )
    settings = Settings.model_validate(
        {"rules": {"task.owner_required": "warning", "project.currency_code": "off"}}
    )
    _, report = read_and_check(path, settings, as_of=AS_OF)
    assert [(f.cell, f.rule, f.severity) for f in report.findings] == [
        ("D3", "task.owner_required", Severity.WARNING)
    ]
    assert report.status is FileStatus.VALID


def test_fail_fast_stops_at_first_error(tmp_path: Path) -> None:
    tracker = base_tracker(project=base_project(project_id="bad"), tasks=_task(1, owner=None))
    path = write(tmp_path / "t.xlsx", tracker)
    _, full = read_and_check(path, Settings(), as_of=AS_OF)
    _, fast = read_and_check(path, Settings(), as_of=AS_OF, fail_fast=True)
    assert [f.rule for f in full.findings] == ["project.id_format", "task.owner_required"]
    assert [f.rule for f in fast.findings] == ["project.id_format"]


def test_day_first_setting_changes_ambiguous_text_dates(tmp_path: Path) -> None:
    path = poke(write(tmp_path / "t.xlsx"), {("Project", "B8"): "03/01/2026"})
    day_first, _ = read_and_check(path, Settings(), as_of=AS_OF)
    month_first, _ = read_and_check(
        path, Settings.model_validate({"reader": {"day_first": False}}), as_of=AS_OF
    )
    assert day_first.tracker.project.start_date == dt.date(2026, 1, 3)
    assert month_first.tracker.project.start_date == dt.date(2026, 3, 1)


@pytest.mark.parametrize("excel_format", ["dd/mm/yyyy", "yyyy-mm-dd", "d mmm yyyy", "General"])
def test_a_date_shows_the_same_each_time_it_is_formatted(excel_format: str) -> None:
    """date_formatter keeps what it made (findings show a few days many times): what it
    gives is what formatting each value afresh gives, for dates and datetimes alike."""
    show = date_formatter(excel_format)
    rng = random.Random(17)
    days = [dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(3000)) for _ in range(300)]
    values: list[dt.date] = [*days, *(dt.datetime(d.year, d.month, d.day, 13, 5) for d in days)]
    for value in rng.choices(values, k=5000):
        assert show(value) == date_formatter(excel_format)(value)  # a new one: nothing kept
    assert show(dt.date(2026, 3, 4)) != show(dt.date(2026, 4, 3))
