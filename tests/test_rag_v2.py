"""RAG_RULES v2 (shared/RAG_RULES.md, section "v2"), as a table of hand-worked cases.

* Each dimension with and without evidence: without it, **No data** with a reason naming
  what is missing, never Green.
* Overall: the worst dimension with data; at least Amber when Schedule or Cost has no
  data (``rag.no_data_floor``); No data when nothing is known; optimism only then judged.
* A missing Status Date: judged as of the run's date, stale with "no Status Date".
* Unknown progress is not 0 %: taken from Status, else left out of EV and PV.
* Schedule quality (BEI, missed tasks, high duration, invalid dates, unassigned).

``D`` is the Status Date (31 Mar 2026); ``day(n)`` is ``D + n`` days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pytest

from addin.core.domain import RAG_ORDER, Rag, at_least, parse_rag, rag_rank, worst
from addin.core.kinds import BudgetLine, Milestone, Project, RaidItem, Task
from addin.core.settings import Settings
from addin.core.tracker import Table, Tracker
from addin.rag import (
    Dimension,
    ScheduleQuality,
    assess,
    conclude,
    dimensions,
    registered,
    schedule_quality,
    working_days,
)

D = dt.date(2026, 3, 31)
R, A, G, N = Rag.RED, Rag.AMBER, Rag.GREEN, Rag.NO_DATA
DEFAULT = Settings()


def day(n: int) -> dt.date:
    return D + dt.timedelta(days=n)


def task(
    pct: float | None = 1.0,
    status: str | None = None,
    start: int = -30,
    finish: int = -1,
    **more: Any,
) -> Task:
    """A 30-day task that has fully elapsed at D by default (planned fraction 1)."""
    return Task(
        task_id="T",
        task_name="work",
        planned_start=day(start),
        planned_finish=day(finish),
        pct_complete=pct,
        status=status,
        **more,
    )


def build(
    *,
    tasks: Sequence[Task] | None = None,
    milestones: Sequence[Milestone] | None = None,
    lines: Sequence[BudgetLine] | None = None,
    raid: Sequence[RaidItem] | None = None,
    **project: Any,
) -> Tracker:
    """A tracker holding only the kinds given (None: the tracker has no such table)."""
    fields: dict[str, Any] = {"project_id": "PRJ-0001", "status_date": D}
    fields.update(project)
    kinds = {"tasks": tasks, "milestones": milestones, "budget": lines, "raid": raid}
    given = {k: list(v) for k, v in kinds.items() if v is not None}
    return Tracker.build(Project(**fields), **given)


ON_TIME = Milestone(milestone_id="M", milestone="m", baseline_date=day(30), forecast_date=day(30))
SPENT = BudgetLine(period=dt.date(2026, 3, 1), actual=100.0)
#: Evidence for each dimension, Green: a milestone on time; a Budget and a line with an
#: Actual (EAC 100 of 1000: VAC -90 %); an empty RAID log.
SCHEDULE: dict[str, Any] = {"milestones": [ON_TIME]}
COST: dict[str, Any] = {"lines": [SPENT], "budget": 1000.0}
RISK: dict[str, Any] = {"raid": []}


# --- each dimension, with and without evidence ----------------------------------------------


@pytest.mark.parametrize(
    ("parts", "expected", "why"),
    [
        # no evidence of any kind
        ({}, N, "no tasks with Planned Start and Planned Finish"),
        # tasks that have not started yet: PV 0, SPI none
        ({"tasks": [task(0.0, start=1, finish=10)]}, N, "no work planned by the Status Date"),
        # a milestone with a Forecast but no Baseline, not yet due: no slippage, not overdue
        (
            {"milestones": [Milestone(milestone_id="M", milestone="m", forecast_date=day(9))]},
            N,
            "no milestone with Baseline and Forecast dates",
        ),
        # evidence: SPI computable (done on time)
        ({"tasks": [task(1.0)]}, G, "SPI 1.00"),
        # evidence: a milestone with Baseline and Forecast
        (SCHEDULE, G, "milestone slippage 0 d"),
        # evidence: an Achieved milestone with Baseline and Actual (no slippage counted)
        (
            {
                "milestones": [
                    Milestone(
                        milestone_id="M",
                        milestone="m",
                        baseline_date=day(-9),
                        actual_date=day(-9),
                        status="Achieved",
                    )
                ]
            },
            G,
            None,
        ),
        # evidence: Baseline and Forecast Finish
        ({"baseline_finish": day(60), "forecast_finish": day(60)}, G, "finish slip 0 d"),
        # a trigger that fires is evidence: overdue milestone with no Baseline -> Red
        (
            {"milestones": [Milestone(milestone_id="M", milestone="m", forecast_date=day(-2))]},
            R,
            "1 overdue milestone",
        ),
    ],
)
def test_schedule_evidence(parts: dict[str, Any], expected: Rag, why: str | None) -> None:
    dim = assess(build(**parts), DEFAULT, D).schedule
    assert dim.rag is expected
    if why is not None:
        assert any(why in r for r in dim.reasons), dim.reasons


@pytest.mark.parametrize(
    ("parts", "expected", "why"),
    [
        ({}, N, "no Budget (BAC), no budget lines with Actual or Forecast"),
        ({"budget": 1000.0}, N, "no budget lines with Actual or Forecast"),
        ({"budget": 1000.0, "lines": []}, N, "no budget lines with Actual or Forecast"),
        # budget lines, but neither Actual nor Forecast in any (v1: EAC 0, VAC -100 %: Green)
        (
            {"budget": 1000.0, "lines": [BudgetLine(period=dt.date(2026, 3, 1), planned=50.0)]},
            N,
            "no budget lines with Actual or Forecast",
        ),
        ({"lines": [SPENT]}, N, "no Budget (BAC)"),
        ({"budget": 0.0, "lines": [SPENT]}, N, "no Budget (BAC)"),
        (COST, G, "VAC -90.0 %"),
        # a Forecast alone is evidence too (EAC 900 of 1000)
        (
            {"budget": 1000.0, "lines": [BudgetLine(period=day(1), forecast=900.0)]},
            G,
            "VAC -10.0 %",
        ),
        # VAC 15 % -> Red
        ({"budget": 1000.0, "lines": [BudgetLine(period=day(-5), actual=1150.0)]}, R, "VAC"),
    ],
)
def test_cost_evidence(parts: dict[str, Any], expected: Rag, why: str) -> None:
    dim = assess(build(**parts), DEFAULT, D).cost
    assert dim.rag is expected
    assert any(why in r for r in dim.reasons), dim.reasons


OPEN_CRITICAL = RaidItem(raid_id="R", type="Risk", title="t", status="Open", severity="Critical")
CLOSED = RaidItem(raid_id="R", type="Risk", title="t", status="Closed", severity="Critical")


@pytest.mark.parametrize(
    ("raid", "expected", "why"),
    [
        (None, N, "no RAID log (risks and issues) found"),  # no RAID table at all
        ([], G, "no open High or Critical"),  # a found log with no rows: evidence of none
        ([CLOSED], G, "no open High or Critical"),
        ([OPEN_CRITICAL], R, "1 open Critical risk/issue"),
    ],
)
def test_risk_evidence(raid: list[RaidItem] | None, expected: Rag, why: str) -> None:
    dim = assess(build(raid=raid), DEFAULT, D).risk
    assert dim.rag is expected
    assert any(why in r for r in dim.reasons), dim.reasons


def test_no_data_reasons_name_the_dimension_in_overall_reasons() -> None:
    a = assess(build(**SCHEDULE, **RISK), DEFAULT, D)
    assert "Cost No data: no Budget (BAC), no budget lines with Actual or Forecast" in a.reasons


# --- Overall ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "overall", "floor_reason"),
    [
        ({**SCHEDULE, **COST, **RISK}, G, None),  # everything known and Green
        ({**SCHEDULE, **RISK}, A, "Overall at least Amber: no data for Cost"),
        ({**COST, **RISK}, A, "Overall at least Amber: no data for Schedule"),
        ({**RISK}, A, "Overall at least Amber: no data for Schedule or Cost"),
        ({**SCHEDULE, **COST}, G, None),  # Risk without data does not floor Overall
        ({"raid": [OPEN_CRITICAL], **SCHEDULE}, R, None),  # the floor never lowers a Red
        ({}, N, None),  # nothing known: No data, never Green, no floor
    ],
)
def test_overall(parts: dict[str, Any], overall: Rag, floor_reason: str | None) -> None:
    a = assess(build(**parts, reported_rag="Green"), DEFAULT, D)
    assert a.overall is overall
    floors = [r for r in a.reasons if r.startswith("Overall at least")]
    assert floors == ([floor_reason] if floor_reason else [])
    # optimism is judged only when Overall has data
    assert a.optimism is (overall in (A, R))


@pytest.mark.parametrize(("floor", "overall"), [("Amber", A), ("Red", R), ("none", G)])
def test_the_no_data_floor_is_a_setting(floor: str, overall: Rag) -> None:
    settings = DEFAULT.with_changes({"rag.no_data_floor": floor})
    assert assess(build(**SCHEDULE, **RISK), settings, D).overall is overall


def test_nothing_known_stays_no_data_even_when_stale_or_floored_red() -> None:
    red_floor = DEFAULT.with_changes({"rag.no_data_floor": "Red"})
    for settings, as_of in ((DEFAULT, day(60)), (red_floor, D)):
        a = assess(build(reported_rag="Green"), settings, as_of)
        assert (a.overall, a.optimism) == (N, False)


def test_an_extra_dimension_judged_outside_the_tracker_joins_overall() -> None:
    # the place a dimension judged across trackers (resources) plugs in
    dims = dimensions(build(**SCHEDULE, **COST, **RISK), DEFAULT)
    extra = (("Resources", Dimension(R, ("Ann 130 % in May > 120 %",))),)
    a = conclude(dims, None, DEFAULT, D, extra=extra)
    assert a.overall is R
    assert a.dimension("Resources").rag is R
    assert "Resources Red: Ann 130 % in May > 120 %" in a.reasons


def test_the_registered_dimensions_and_their_floors() -> None:
    assert [(s.name, s.floor) for s in registered()] == [
        ("Schedule", True),
        ("Cost", True),
        ("Risk", False),
    ]


# --- a missing Status Date --------------------------------------------------------------------


def test_no_status_date_is_stale_and_judged_as_of_the_run() -> None:
    # One 30-day task, day(-30)..day(-1), 50 % done. As of D: fully planned (PV = w) ->
    # SPI 0.5. As of day(-15): 16 of 30 days planned -> SPI 0.5 / (16/30) = 0.9375.
    t = build(tasks=[task(0.5)], **COST, **RISK, status_date=None)
    a = assess(t, DEFAULT, D)
    assert a.metrics.judged_on == D
    assert a.metrics.spi == pytest.approx(0.5)
    assert (a.stale, a.stale_days) == (True, None)
    assert "Stale: no Status Date" in a.reasons
    earlier = assess(t, DEFAULT, day(-15))
    assert earlier.metrics.spi == pytest.approx(0.5 / (16 / 30))


def test_no_status_date_makes_a_green_project_amber() -> None:
    known = build(**SCHEDULE, **COST, **RISK, reported_rag="Green")
    assert assess(known, DEFAULT, D).overall is G
    undated = build(**SCHEDULE, **COST, **RISK, reported_rag="Green", status_date=None)
    a = assess(undated, DEFAULT, D)
    assert (a.overall, a.stale, a.optimism) == (A, True, True)


# --- unknown progress ----------------------------------------------------------------------------


def test_a_missing_pct_complete_is_not_zero() -> None:
    # The tracker: no % Complete column, two tasks Done (Complete), two In Progress.
    # v1 counted every blank as 0 %: SPI 0.00, Red. v2: Complete -> 100 %; In Progress with
    # no % is unknown and left out (half the weight: not more than half) -> EV 2w / PV 2w.
    tasks = [task(None, "Complete")] * 2 + [task(None, "In Progress")] * 2
    a = assess(build(tasks=tasks, **COST, **RISK), DEFAULT, D)
    assert a.metrics.spi == pytest.approx(1.0)
    assert a.schedule.rag is G
    assert (a.metrics.progress_unknown, a.metrics.tasks_planned) == (2, 4)
    assert "Schedule Green: progress unknown for 2 of 4 tasks" in a.reasons


def test_not_started_with_no_pct_is_zero() -> None:
    tasks = [task(None, "Complete"), task(None, "Not Started")]
    a = assess(build(tasks=tasks), DEFAULT, D)
    assert (a.metrics.spi, a.metrics.progress_unknown) == (pytest.approx(0.5), 0)
    assert a.schedule.rag is R


def test_mostly_unknown_progress_gives_no_spi() -> None:
    # 3 of 4 equal tasks unknown: more than half the weight -> SPI none -> No data
    tasks = [task(None, "Complete")] + [task(None, "In Progress")] * 3
    a = assess(build(tasks=tasks), DEFAULT, D)
    assert (a.metrics.spi, a.metrics.pct_complete) == (None, None)
    assert a.schedule.rag is N
    assert a.schedule.reasons[0].startswith("progress unknown for 3 of 4 tasks")
    assert sum("progress unknown" in r for r in a.reasons) == 1  # said once


def test_unknown_progress_share_is_a_setting() -> None:
    tasks = [task(None, "Complete")] + [task(None, "In Progress")] * 3
    lenient = DEFAULT.with_changes({"rag.unknown_progress_max": 0.8})
    assert assess(build(tasks=tasks), lenient, D).metrics.spi == pytest.approx(1.0)


# --- the order of RAG words ---------------------------------------------------------------------


def test_rag_order_no_data_between_red_and_amber() -> None:
    assert sorted(Rag, key=rag_rank, reverse=True) == [R, N, A, G]
    assert RAG_ORDER == {"Green": 0, "Amber": 1, "No data": 2, "Red": 3}
    ranks = (rag_rank("No data"), rag_rank(""), rag_rank(None), rag_rank("Purple"))
    assert ranks == (2, -1, -1, -1)
    assert (parse_rag("No data"), parse_rag("no data"), parse_rag(3)) == (N, None, None)
    assert (worst([G, N]), worst([N, N]), worst([]), worst([A, N, R])) == (G, N, N, R)
    assert (at_least(G, A), at_least(N, A), at_least(R, A), at_least(N, R)) == (A, N, R, R)


# --- schedule quality ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "finish", "days"),
    [
        (dt.date(2026, 3, 30), dt.date(2026, 4, 3), 5),  # Mon-Fri
        (dt.date(2026, 3, 28), dt.date(2026, 3, 29), 0),  # Sat-Sun
        (dt.date(2026, 3, 27), dt.date(2026, 4, 5), 6),  # Fri .. Sun a week later
        (dt.date(2026, 3, 2), dt.date(2026, 5, 1), 45),  # 9 whole weeks (Mon 2 Mar-Fri 1 May)
        (dt.date(2026, 3, 2), dt.date(2026, 3, 1), 0),  # finish before start
    ],
)
def test_working_days(start: dt.date, finish: dt.date, days: int) -> None:
    assert working_days(start, finish) == days


def test_schedule_quality_hand_computed() -> None:
    mar2, may1 = dt.date(2026, 3, 2), dt.date(2026, 5, 1)  # 45 working days: "high"
    tasks = Table.of(
        "Tasks",
        [
            # due by D (finish day(-1)) and Complete, finished on time
            task(1.0, "Complete", actual_finish=day(-1), owner="Ann"),
            # due by D, Complete, finished 3 days late
            task(1.0, "Complete", finish=-5, actual_finish=day(-2), owner="Ann"),
            # due by D, not done, no Owner: invalid (incomplete, due before D), unassigned
            task(0.5, "In Progress", finish=-3),
            # not due, long (45 working days), an Actual Start after D: invalid
            Task(
                task_id="T4",
                task_name="long",
                owner="Bo",
                planned_start=mar2,
                planned_finish=may1,
                actual_start=day(2),
                status="In Progress",
            ),
            # Cancelled: left out of everything
            task(0.0, "Cancelled", finish=-3),
        ],
    )
    q = schedule_quality(tasks, D, DEFAULT.rag.quality)
    # BEI = 2 done / 3 due; missed = 1 late / 2 finished; high duration = 1 / 2
    # incomplete with dates; invalid = 2 tasks; unassigned = 1 / 2 incomplete
    assert q == ScheduleQuality(
        bei=pytest.approx(2 / 3),
        missed_tasks_pct=0.5,
        high_duration_pct=0.5,
        invalid_dates=2,
        unassigned_pct=0.5,
        warnings=(
            "BEI 0.67 < 0.95",
            "missed tasks 50 % > 5 %",
            "high duration (> 44 working days) 50 % > 5 %",
            "2 tasks with invalid dates",
            "unassigned 50 % > 0 %",
        ),
    )


def test_schedule_quality_without_tasks_is_none_and_warns_nothing() -> None:
    assert schedule_quality(Table.empty("Tasks"), D, DEFAULT.rag.quality) == ScheduleQuality()
    clean = Table.of("Tasks", [task(1.0, "Complete", actual_finish=day(-1), owner="Ann")])
    q = schedule_quality(clean, D, DEFAULT.rag.quality)
    assert (q.bei, q.missed_tasks_pct, q.high_duration_pct, q.invalid_dates) == (1.0, 0.0, None, 0)
    assert (q.unassigned_pct, q.warnings) == (None, ())
