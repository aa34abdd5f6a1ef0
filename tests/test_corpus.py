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

# file -> (status, {table: (sheet, data rows)}) as today's reader has it. The comment is what a
# human reads in the file (docs/corpus.md; the ground truth is tests/corpus_truth.py): where
# they differ, the pin records today's reader, not the truth.
#: Where a kind was read: (sheet, rows), or one (sheet, rows) per sheet when several fed it.
Pin = tuple[str, int] | tuple[tuple[str, int], ...]
EXPECTED: dict[str, tuple[FileStatus, dict[str, Pin]]] = {
    # programme HA/DR risk register (14 items, LOW/MEDIUM/HIGH, zero-width spaces): a tracker;
    # merged rows are one item each, 'Risk Status' holding ratings is read as the Severity
    "almp-delivery_ha-risk-register_zero-width-spaces.xlsx": (INV, {"RAID": ("Risk Register", 14)}),
    # programme resourcing plan: 42 roles x Apr..Nov allocation in green fill, cost estimate;
    # the plan is read from the fills (42 role rows), but Apr..Nov have no year and the file
    # no Start Date: no record is placed in time (a resource.not_read says so)
    "almp-delivery_team-structure_sheet-per-workstream_month-fill.xlsx": (
        INV,
        {"Resources": ("Overall Allocation", 42)},
    ),
    # one project's resource plan (prose allocations); the name is a 'Project: ...' title line
    # (resources only; the RACI header row is no longer taken for a Project block; the
    # title line is reported as the Project block: its one label, A3)
    "consultancy-internship_resource-allocation-plan_text-allocations.xlsx": (
        INV,
        {"Resources": ("Human Resources", 8), "Project": ("Human Resources", 1)},
    ),
    # RAID, one sheet per type (7 sheets: assumptions .. closed issues), two-row headers
    "council-it_raid-log_sheet-per-type_two-row-headers.xlsx": (
        INV,
        {
            "RAID": (
                ("Assumptions", 9),
                ("Dependencies", 3),
                ("Risks", 10),
                ("Issues", 1),
                ("Risks - not project specific", 7),
                ("Closed Risks", 4),
                ("Closed Issues", 1),
            )
        },
    ),
    # staff/resource blocks above the task table; two "Status" columns; dd/mm/yyyy text dates
    "course-materials_project-tracker.xlsx": (INV, {"Tasks": ("Phase 1", 3)}),
    # timesheet: one sheet per person, weeks x weekdays in hours; not a tracker
    "dutch_student-team_urenlijst_sheet-per-person.xlsx": (N, {}),
    # French task plan: 14 WBS tasks as Prévision/Réel row pairs, Gantt in fill; the
    # 'Exemple Planification' sheet is another project's example (reported, not read)
    "french_suivi-de-projet_prevision-reel-row-pairs.xlsx": (INV, {"Tasks": ("Planification", 14)}),
    # legacy .xls; PLAN/ACTUAL header split over two rows; periods instead of finish dates
    "gantt-project-planner_periods.xls": (INV, {"Tasks": ("project", 30)}),
    # German resource plan vs actual drawn in colour boxes (10 h each); no numbers: both
    # grids (SOLL rows 3-8, IST rows 12-17) are read from the fills, 6 unlabelled rows each;
    # semester weeks SW 1..SW 14 are no dates, so no record is placed in time
    "german_student-team_ressourcenplanung_soll-ist-colour-boxes.xlsx": (
        INV,
        {"Resources": (("Ressourcenplanung", 6), ("Ressourcenplanung", 6))},
    ),
    # German risk catalogue, 12 risks (numbered empty rows 6, 11, 15 are not), word scales
    "german_student-team_risikoanalyse_word-scales.xlsx": (INV, {"RAID": ("Tabelle1", 12)}),
    # milestone section rows (reported as headings, not tasks); weekly Gantt bands beside the data
    "google-pm-capstone_project-plan_gantt.xlsx": (INV, {"Tasks": ("Tasks and Timeline", 50)}),
    # portfolio list of 50 projects + 220 assignments; not one project's tracker (said so)
    "innovation-portfolio_project-tracker_rag-plus-long-resource-list.xlsx": (N, {}),
    # single-sheet RAID log under a summary block; project labels above the table
    "internship_raid-log_single-sheet.xlsx": (
        INV,
        {"RAID": ("RAID LOG", 12), "Project": ("RAID LOG", 1)},
    ),
    # Italian risk register, 9 risks, Basso/Medio/Alto words
    "italian_event-risk-register_basso-medio-alto.xlsx": (INV, {"RAID": ("Risk register", 9)}),
    # one-page report: only "Label: value" project facts map; the rest is glyphs and colour
    "oppm_one-page-status-report.xlsx": (INV, {"Project": ("Report", 1)}),
    # lessons-learned log (10 lessons) under a date / project / PM block; its own headers
    # (WIN / ISSUE, Describe What Happened, How Does This Change Future Projects?) are read
    "pmis-course_lessons-learned_win-issue-category.xlsx": (
        INV,
        {"Lessons": ("Lessons Learned", 10), "Project": ("Lessons Learned", 1)},
    ),
    # a portfolio list, a KPI sheet and a milestone tracker of no named project; not a tracker
    "pmo-toolkit_portfolio-kpi-dashboard.xlsx": (N, {}),
    # Portuguese weekly status report: done / next activities with owners, one main risk
    # (the 'Principais Riscos' box E12 right of the progress list: its one line E13)
    "portuguese_status-report_sheet-per-week_farol.xlsx": (
        INV,
        {"Tasks": (("Semana 1", 27), ("Semana 1", 10)), "RAID": ("Semana 1", 1)},
    ),
    # risk log and issue log (7 each), words for scales, hidden lookups (their key is used)
    "provensecure_risks-and-issues_word-scales_hidden-lookups.xlsx": (
        INV,
        {"RAID": (("Risks", 7), ("Issues", 7))},
    ),
    # schedule (49 tasks in month blocks, bars in fill) and labour cost plan by task x role
    # (65 lines: the 'Milestone n' rows closing each group with its sums and the first
    # group's title beside the role sub-headers are not records; Schedule not read)
    "provensecure_schedule-and-cost-plan_month-blocks.xlsx": (
        INV,
        {"Tasks": ("Cost - Labor", 65)},
    ),
    # PMO demand vs capacity across three projects in weekly hours; not a tracker
    "resource-management_demand-vs-capacity_weeks.xlsx": (N, {}),
    # an engineer's daily log across ~15 projects, one column per day; not a tracker
    "rnd-engineer_daily-status-log_dates-as-columns.xlsx": (N, {}),
    # Spanish status report per sprint: project block, WBS status with budget, problems
    "spanish_reporte-de-avance_sheet-per-sprint_rav-colour-status.xlsx": (
        INV,
        {
            "Tasks": (("Reporte de Avance Sprint 1", 8), ("Reporte de Avance Sprint 2", 4)),
            "RAID": (("Reporte de Avance Sprint 1", 4), ("Reporte de Avance Sprint 2", 2)),
            "Project": ("Reporte de Avance Sprint 2", 1),
        },
    ),
    # start-up activity tracker, 39 activities with owner / status word / dates / % done
    "startup_activity-milestones_stacked-tables_mixed-dates.xlsx": (
        INV,
        {"Tasks": ("Summary", 39)},
    ),
    # cost estimate by task, expenditure ledger, weekly projected vs actual costs
    # (one Budget table per tracker: the ledger on 'Actual Costs' is not read)
    "student_project-budget_est-vs-actual.xlsx": (
        INV,
        {"Tasks": ("Estimated Costs", 26), "Budget": ("Data Worksheet", 12)},
    ),
    # Russian plan, schedule by cell colour only: the 10 task names in A12:A21 have no
    # header but sit beside the weekly date row 11 (the chart's axis), so they are the tasks;
    # the 'Название проекта:' label (G2) is the Project block
    "student_project-plan_russian_colour-gantt.xls": (
        INV,
        {"Tasks": ("Лист1", 10), "Project": ("Лист1", 1)},
    ),
    # 20-sheet workbook: epics, task list, two versions of the plan, milestones, two risk logs
    # (the second one below the first on 'Risk Log'); the transposed 'Resourcing' is not read
    "tpm-handbook_program-workbook_plan-risks-milestones.xlsx": (
        INV,
        {
            "Tasks": (
                ("Mercury Windows", 16),
                ("Tasks", 33),
                ("Project Plan", 33),
                ("Project Plan w Relays", 39),
            ),
            "Milestones": ("Mercury Simple", 25),
            "RAID": (("Risk Register", 4), ("Risk Log", 3), ("Risk Log", 6)),
        },
    ),
    # a consulting team's monthly allocation across opportunities; not a tracker
    "unisys-app-services_resource-allocation_sheet-per-month.xlsx": (N, {}),
    # a business unit's weekly activity report across deals and capabilities; not a tracker
    "unisys-app-services_weekly-status_sheet-per-area.xlsx": (N, {}),
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
    found = {
        k: tuple((p.sheet, p.rows) for p in t.parts) if t.parts else (t.sheet, t.rows)
        for k, t in report.tables.items()
    }
    assert found == tables
    for f in report.findings:  # every finding says where and why in one line
        assert f.rule and f.message and "\n" not in f.message
        if f.rule not in ("file.not_a_tracker", "file.unreadable", "sheet.missing"):
            assert f.sheet, f
    if status is N:
        assert report.reason.startswith(("not a project tracker", "not one project's tracker"))
    # issue 12: every file is named, every tracker finding has a cell
    assert report.project_id and report.project_name
    for f in report.findings:
        if f.rule not in ("file.not_a_tracker", "file.unreadable", "sheet.missing"):
            assert f.cell, f


def test_unmapped_sheets_say_what_was_looked_for() -> None:
    _, report = read_and_check(
        CORPUS / "tpm-handbook_program-workbook_plan-risks-milestones.xlsx", Settings(), as_of=AS_OF
    )
    missing = {f.message.split(":")[0] for f in report.findings if f.rule == "sheet.missing"}
    assert missing == {"no Budget sheet", "no Project sheet"}


# --- resource plans (TRACKER_SPEC v1.1) ---------------------------------------------------------

#: Every resource plan in the corpus (docs/corpus.md), opened and read by a person first:
#: what the reader takes from it, or why it says it does not. The reasons are the ones a
#: resource manager gets in the Load Log or the Findings sheet.
PLANS_NOT_READ: dict[str, str] = {
    # the PMO's demand vs capacity across three projects, weeks numbered 1..20, no dates
    "resource-management_demand-vs-capacity_weeks.xlsx": (
        "sheet 'Sheet1': the period headers '1' .. '20' are numbered weeks with no dates, so "
        "the plan cannot be placed in time"
    ),
}
#: Plans found in a tracker but not read: (sheet, cell, why) of the ``resource.not_read``.
PLAN_FINDINGS: dict[str, tuple[str, str, str]] = {
    # Planned / Requested / Actual headcount per month, transposed
    "tpm-handbook_program-workbook_plan-risks-milestones.xlsx": (
        "Resourcing",
        "B1",
        "its rows are measures (Planned, Requested, Actual) of a series, not people or roles",
    ),
    # (innovation-portfolio's 220 assignments of 12 of its 50 projects: the workbook lists
    # projects one a row, so it is not one project's tracker at all - see the pins above)
}


@pytest.mark.parametrize("name", sorted(PLANS_NOT_READ))
def test_a_resource_plan_drawn_or_unplaced_is_reported_with_why(name: str) -> None:
    _, report = read_and_check(CORPUS / name, Settings(), as_of=AS_OF)
    assert report.status is N
    assert PLANS_NOT_READ[name] in report.reason


@pytest.mark.parametrize("name", sorted(PLAN_FINDINGS))
def test_a_plan_in_a_tracker_that_is_not_its_own_is_a_finding(name: str) -> None:
    _, report = read_and_check(CORPUS / name, Settings(), as_of=AS_OF)
    sheet, cell, why = PLAN_FINDINGS[name]
    found = [f for f in report.findings if f.rule == "resource.not_read"]
    assert [(f.sheet, f.cell) for f in found] == [(sheet, cell)]
    assert why in found[0].message
    assert "Resources" not in report.tables


#: Plans drawn in cell colour (opened in LibreOffice: the fills are the allocations): where
#: the ``resource.drawn_in_colour`` findings stand, and why no record is placed in time.
PLANS_DRAWN: dict[str, tuple[list[tuple[str, str]], str]] = {
    # green D4:K45 (white cells in D:F of some roles are no allocation): 269 of 336 cells
    "almp-delivery_team-structure_sheet-per-workstream_month-fill.xlsx": (
        [("Overall Allocation", "D4")],
        "the period headers 'Apr' .. 'Nov' have no year",
    ),
    # SOLL: every week of rows 3-8 coloured; IST: weeks 1-2 of rows 12-17
    "german_student-team_ressourcenplanung_soll-ist-colour-boxes.xlsx": (
        [("Ressourcenplanung", "A3"), ("Ressourcenplanung", "A12")],
        "the period headers 'SW 1' .. 'SW 14' are numbered weeks with no dates",
    ),
}


@pytest.mark.parametrize("name", sorted(PLANS_DRAWN))
def test_a_plan_drawn_in_colour_is_found_and_says_its_amounts_are_unknown(name: str) -> None:
    result, report = read_and_check(CORPUS / name, Settings(), as_of=AS_OF)
    cells, why = PLANS_DRAWN[name]
    drawn = [f for f in report.findings if f.rule == "resource.drawn_in_colour"]
    assert [(f.sheet, f.cell) for f in drawn] == cells
    assert all("amounts" in f.message and "unknown" in f.message for f in drawn)
    placed = [f for f in report.findings if f.rule == "resource.not_read"]
    assert len(placed) == len(cells) and all(why in f.message for f in placed)
    assert len(result.tracker.rows("Resources")) == 0  # nothing placed in time, no amount


def test_the_consultancy_plan_is_read_and_its_prose_allocations_are_findings() -> None:
    """Human Resources rows 7-14: Role, Organisation, Allocation, Active Weeks.

    The Allocation column is mostly prose that starts with a value ('100% throughout',
    '50%, tapering to 25% ...'): it is the FTE written in words, so it stays mapped and
    each such cell is a finding at its cell (a prose column that does not start with values,
    such as a description, is not mapped: tests/test_columns*.py).
    """
    result, report = read_and_check(
        CORPUS / "consultancy-internship_resource-allocation-plan_text-allocations.xlsx",
        Settings(),
        as_of=AS_OF,
    )
    rows = result.tracker.rows("Resources")
    firm, client = "AnalystLab Africa Consulting", "Tarrose Retail"
    assert [(r.role, r.team, r.fte, r.period) for r in rows] == [  # type: ignore[attr-defined]
        ("Junior Project Manager", firm, None, None),
        ("Data Engineer", firm, None, None),
        ("Data Scientist", firm, 0.75, None),
        ("IT Lead", client, None, None),
        ("Compliance Officer", client, None, None),
        ("Marketing & Customer Service Team", client, None, None),
        ("Tarrose Retail Internal IT/Data Team", client, None, None),
        ("Sponsor- Head of Marketing & CX", client, None, None),
    ]
    prose = {f.cell for f in report.findings if f.rule == "value.not_a_percent"}
    assert prose == {"C7", "C8", "C10", "C11", "C12", "C13", "C14"}  # '100% throughout' ...
    weeks = {f.cell for f in report.findings if f.rule == "value.not_a_date"}
    assert weeks == {f"D{r}" for r in range(7, 15)}  # 'Weeks 4-18', 'Ad hoc ...'


def test_team_allocation_across_pursuits_is_not_a_project_plan() -> None:
    """Architects' monthly allocation across opportunities and accounts: no period header,
    no one project; the Load Log says it is not a tracker (docs/resources.md)."""
    _, report = read_and_check(
        CORPUS / "unisys-app-services_resource-allocation_sheet-per-month.xlsx",
        Settings(),
        as_of=AS_OF,
    )
    assert report.status is N and not report.tables


def test_sheets_left_out_say_why() -> None:
    _, report = read_and_check(
        CORPUS / "tpm-handbook_program-workbook_plan-risks-milestones.xlsx", Settings(), as_of=AS_OF
    )
    ignored = {f.sheet: f.message for f in report.findings if f.rule == "sheet.ignored"}
    assert "Risk Register" not in ignored and "Tasks" not in ignored
    assert "Stakeholders" in ignored
    # its transposed headcount plan is said once, as resource.not_read (PLAN_FINDINGS)
    assert "Resourcing" not in ignored
    assert all(f.cell for f in report.findings if f.rule == "sheet.ignored")
