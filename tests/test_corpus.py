"""Real trackers written by people outside the team (../shared/corpus/real).

Every workbook is read without an exception; for each, what mapped (sheet, rows)
and the file's status are recorded here, so a change in the reader that maps
less, or more, shows up as a failing line. The corpus is not ours to copy into
the repository, so these tests run when it sits beside the checkout.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from addin.core.findings import FileStatus
from addin.core.settings import Settings
from addin.engine.validate import read_and_check
from tests.conftest import CORPUS

AS_OF = dt.date(2026, 11, 25)
INV, N = FileStatus.INVALID, FileStatus.NOT_A_TRACKER

# file -> (status, {table: (sheet, data rows)}, what we know about it)
EXPECTED: dict[str, tuple[FileStatus, dict[str, tuple[str, int]]]] = {
    # staff/resource blocks above the task table; two "Status" columns; dd/mm/yyyy text dates
    "course-materials_project-tracker.xlsx": (INV, {"Tasks": ("Phase 1", 3)}),
    # legacy .xls; PLAN/ACTUAL header split over two rows; periods instead of finish dates
    "gantt-project-planner_periods.xls": (INV, {"Tasks": ("project", 30)}),
    # milestone section rows (reported as headings, not tasks); weekly Gantt bands beside the data
    "google-pm-capstone_project-plan_gantt.xlsx": (INV, {"Tasks": ("Tasks and Timeline", 50)}),
    # single-sheet RAID log under a summary block; project labels above the table
    "internship_raid-log_single-sheet.xlsx": (
        INV,
        {"RAID": ("RAID LOG", 12), "Project": ("RAID LOG", 1)},
    ),
    # one-page report: only "Label: value" project facts map; the rest is glyphs and colour
    "oppm_one-page-status-report.xlsx": (INV, {"Project": ("Report", 1)}),
    # a portfolio list, a KPI sheet and a milestone tracker ("Due Date" = the planned date)
    "pmo-toolkit_portfolio-kpi-dashboard.xlsx": (INV, {"Milestones": ("Milestone Tracker", 4)}),
    # cost estimates by phase: no period column, nothing maps
    "student_project-budget_est-vs-actual.xlsx": (N, {}),
    # Russian headers, schedule by cell colour only
    "student_project-plan_russian_colour-gantt.xls": (N, {}),
    # 20-sheet workbook: the plan with dates and the risk log map; a second header inside it
    "tpm-handbook_program-workbook_plan-risks-milestones.xlsx": (
        INV,
        {"Tasks": ("Project Plan", 33), "RAID": ("Risk Log", 9)},
    ),
}

pytestmark = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"real corpus not beside the checkout ({CORPUS})"
)


def _corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.glob("*") if p.suffix.lower() in (".xlsx", ".xlsm", ".xls"))


def test_every_corpus_file_is_listed() -> None:
    assert sorted(p.name for p in _corpus_files()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file_reads_and_maps_what_it_should(name: str) -> None:
    status, tables = EXPECTED[name]
    _, report = read_and_check(CORPUS / name, Settings(), as_of=AS_OF)
    assert report.status is status
    assert {k: (t.sheet, t.rows) for k, t in report.tables.items()} == tables
    for f in report.findings:  # every finding says where and why in one line
        assert f.rule and f.message and "\n" not in f.message
        if f.rule not in ("file.not_a_tracker", "file.unreadable", "sheet.missing"):
            assert f.sheet, f
    if status is N:
        assert report.reason.startswith("not a project tracker")


def test_unmapped_sheets_say_what_was_looked_for() -> None:
    _, report = read_and_check(
        CORPUS / "tpm-handbook_program-workbook_plan-risks-milestones.xlsx", Settings(), as_of=AS_OF
    )
    missing = {f.message.split(":")[0] for f in report.findings if f.rule == "sheet.missing"}
    assert missing == {"no Milestones sheet", "no Budget sheet", "no Project sheet"}
