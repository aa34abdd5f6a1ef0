"""Demand, load and the portfolio's resource findings (RAG_RULES v2 "Resources")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pytest

from addin.app.resources import resource_step
from addin.core.chunked import Chunked
from addin.core.findings import FileStatus, Finding, Severity
from addin.core.periods import Calendar, PeriodKind
from addin.core.rules import RuleId
from addin.core.settings import Settings
from addin.engine.run import KindRows, LoadEntry, PortfolioRun, ProjectStatus
from addin.resources import CapacityList, Member, plan_resources
from addin.resources.names import near_matches, split_owners

AS_OF = dt.date(2026, 11, 20)
JAN, FEB = dt.date(2027, 1, 1), dt.date(2027, 2, 1)


def status(pid: str) -> ProjectStatus:
    values: dict[str, Any] = dict.fromkeys(ProjectStatus.__dataclass_fields__)
    values |= {
        "project_id": pid,
        "overdue_milestones": 0,
        "open_high_risks": 0,
        "schedule_rag": "Green",
        "cost_rag": "Green",
        "risk_rag": "Green",
        "overall_rag": "Green",
        "optimism": False,
        "stale": False,
        "errors": 0,
        "warnings": 0,
        "reasons": (),
        "source_file": f"{pid}.xlsx",
    }
    return ProjectStatus(**values)


def portfolio(
    resources: Sequence[tuple[str, dict[str, Any]]] = (),
    tasks: Sequence[tuple[str, dict[str, Any]]] = (),
) -> PortfolioRun:
    """A run whose trackers hold these Resources rows and tasks: (Project ID, fields)."""
    run = PortfolioRun(name="P", as_of=AS_OF, generated="")
    for key, rows in (("Resources", resources), ("Tasks", tasks)):
        table = KindRows(key)
        for i, (pid, fields) in enumerate(rows):
            table.extend(pid, {k: [v] for k, v in fields.items()}, [f"'{key}'!A{i + 2}"])
        run.tables[key] = table
    pids = sorted({pid for pid, _ in [*resources, *tasks]})
    run.projects = [status(p) for p in pids]
    run.load_log = [LoadEntry(f"{p}.xlsx", FileStatus.VALID, "", p, 1, 0.0) for p in pids]
    return run


CAPACITY = CapacityList(
    "capacity.xlsx",
    (
        Member("Ann Lee", "Developer", "Core", fte=1.0, non_project=0.1),
        Member("John Smith", "Tester", "Core", fte=0.5),
        Member("Bob Roy", "Developer", "Data", end=dt.date(2027, 1, 31)),
    ),
    (dt.date(2027, 1, 1),),
)


def test_calendar_counts_weekdays_less_holidays_and_spreads_by_them() -> None:
    cal = Calendar([dt.date(2027, 1, 1), dt.date(2027, 1, 2)])  # a Friday, and a Saturday
    assert cal.working_days(dt.date(2027, 1, 1), dt.date(2027, 1, 31)) == 20
    assert cal.in_period(FEB, PeriodKind.MONTH) == 20
    parts = cal.spread(dt.date(2027, 1, 25), dt.date(2027, 2, 5), 10.0, PeriodKind.MONTH)
    assert parts == [(JAN, 5.0), (FEB, 5.0)]
    weeks = cal.spread(dt.date(2027, 1, 1), dt.date(2027, 1, 10), 5.0, PeriodKind.WEEK)
    assert weeks == [(dt.date(2027, 1, 4), 5.0)]  # the first "week" has no working day


def test_over_allocation_names_the_person_period_percent_and_projects() -> None:
    run = portfolio(
        resources=[
            ("A-001", {"person": "Ann Lee", "period": JAN, "planned": 12.0}),
            ("B-002", {"person": "ann lee", "period": JAN, "planned": 8.0}),
            ("B-002", {"person": "Ann Lee", "period": FEB, "planned": 5.0}),
        ]
    )
    load = plan_resources(run, Settings(), CAPACITY)
    ann = load.person("Ann Lee")
    assert ann is not None and ann.team == "Core"
    jan = ann.at(JAN)
    assert jan is not None
    assert (jan.demand, jan.capacity) == (20.0, pytest.approx(20 * 0.9))  # 20 working days
    assert jan.projects == (("A-001", 12.0), ("B-002", 8.0))
    over = [f for f in load.findings if f.rule == RuleId.RESOURCE_OVER_ALLOCATED]
    assert [(f.file, f.sheet, f.cell) for f in over] == [("A-001.xlsx", "Resources", "A2")]
    assert over[0].message == (
        "Ann Lee is at 111 % of capacity in Jan 2027 (Amber: 20.0 of 18.0 days): "
        "A-001 12.0 d, B-002 8.0 d"
    )


def test_red_above_120_percent_and_thresholds_are_settings() -> None:
    run = portfolio(resources=[("A-001", {"person": "Ann Lee", "period": JAN, "planned": 22.0})])
    load = plan_resources(run, Settings(), CAPACITY)
    assert "(Red:" in next(f.message for f in load.findings)
    relaxed = Settings().with_changes({"resources.over_amber": 1.3, "resources.over_red": 1.5})
    assert list(plan_resources(run, relaxed, CAPACITY).findings) == []


def test_fte_rows_ask_their_share_of_the_period() -> None:
    run = portfolio(resources=[("A-001", {"person": "John Smith", "period": FEB, "fte": 0.5})])
    load = plan_resources(run, Settings(), CAPACITY)
    feb = load.person("John Smith").at(FEB)  # type: ignore[union-attr]
    assert feb is not None and (feb.demand, feb.capacity) == (10.0, 10.0)
    assert load.findings == []


def test_tasks_effort_is_spread_over_working_days_when_there_is_no_plan() -> None:
    run = portfolio(
        tasks=[
            (
                "C-003",
                {
                    "owner": "Ann Lee",
                    "planned_start": dt.date(2027, 1, 25),
                    "planned_finish": dt.date(2027, 2, 5),
                    "effort": 10.0,
                    "status": "Not Started",
                },
            )
        ]
    )
    load = plan_resources(run, Settings(), CAPACITY)
    ann = load.person("Ann Lee")
    assert ann is not None
    assert [(d, p.demand) for d, p in ann.periods.items() if p.demand] == [(JAN, 5.0), (FEB, 5.0)]


def test_without_effort_the_owner_counts_at_the_default_load() -> None:
    task = {
        "owner": "Ann Lee; John Smith",
        "planned_start": dt.date(2027, 2, 1),
        "planned_finish": dt.date(2027, 2, 28),
        "status": "In Progress",
    }
    load = plan_resources(portfolio(tasks=[("C-003", task)]), Settings(), CAPACITY)
    ann, john = load.person("Ann Lee"), load.person("John Smith")
    assert ann is not None and john is not None
    assert ann.at(FEB).demand == john.at(FEB).demand == 5.0  # type: ignore[union-attr]
    done = {**task, "status": "Complete"}
    assert (
        plan_resources(portfolio(tasks=[("C-003", done)]), Settings(), CAPACITY)
        .person("Ann Lee")
        .at(FEB)
        .demand
        == 0
    )  # type: ignore[union-attr]


def test_a_plan_wins_over_the_tasks_of_its_project() -> None:
    run = portfolio(
        resources=[("A-001", {"person": "Ann Lee", "period": FEB, "planned": 2.0})],
        tasks=[
            (
                "A-001",
                {
                    "owner": "Ann Lee",
                    "planned_start": FEB,
                    "planned_finish": dt.date(2027, 2, 26),
                    "effort": 15.0,
                },
            )
        ],
    )
    load = plan_resources(run, Settings(), CAPACITY)
    assert load.person("Ann Lee").at(FEB).demand == 2.0  # type: ignore[union-attr]


def test_unknown_people_get_their_near_matches_and_leavers_are_reported() -> None:
    run = portfolio(
        resources=[
            ("A-001", {"person": "J. Smith", "period": JAN, "planned": 2.0}),
            ("A-001", {"person": "J. Smith", "period": FEB, "planned": 2.0}),
            ("B-002", {"person": "Bob Roy", "period": JAN, "planned": 4.0}),
            ("B-002", {"person": "Bob Roy", "period": dt.date(2027, 3, 1), "planned": 6.0}),
            ("B-002", {"person": "Bob Roy", "period": dt.date(2027, 4, 1), "planned": 6.0}),
        ]
    )
    load = plan_resources(run, Settings(), CAPACITY)
    found = [(f.rule, f.file, f.cell, f.message) for f in load.findings]
    assert found == [
        (
            RuleId.RESOURCE_UNKNOWN_PERSON,
            "A-001.xlsx",
            "A2",
            "'J. Smith' is not in the capacity list (did you mean John Smith?)",
        ),
        (
            RuleId.RESOURCE_AFTER_LEAVING,
            "B-002.xlsx",
            "A5",
            "Bob Roy is allocated 12.0 days from Mar 2027 on, after their End date 31/01/2027",
        ),
    ]
    unknown = load.person("J. Smith")
    assert unknown is not None and unknown.at(JAN).capacity is None  # type: ignore[union-attr]


def test_without_a_capacity_list_everyone_is_full_time_and_names_are_not_checked() -> None:
    run = portfolio(resources=[("A-001", {"person": "Zed", "period": JAN, "planned": 21.0})])
    load = plan_resources(run, Settings())
    zed = load.person("Zed")
    assert zed is not None and zed.at(JAN).capacity == 21.0  # type: ignore[union-attr]
    assert load.findings == [] and load.capacity_file == ""


def test_weekly_periods_split_a_monthly_plan_by_working_days() -> None:
    run = portfolio(resources=[("A-001", {"person": "Ann Lee", "period": FEB, "planned": 20.0})])
    load = plan_resources(run, Settings(), CAPACITY, kind=PeriodKind.WEEK)
    ann = load.person("Ann Lee")
    assert ann is not None
    weeks = [(d, p.demand) for d, p in ann.periods.items() if p.demand]
    assert weeks == [(dt.date(2027, 2, d), 5.0) for d in (1, 8, 15, 22)]


def test_role_rows_add_to_their_role() -> None:
    run = portfolio(resources=[("A-001", {"role": "Developer", "period": JAN, "planned": 10.0})])
    load = plan_resources(run, Settings(), CAPACITY)
    demand, capacity = load.roles["Developer"][JAN]
    assert demand == 10.0 and capacity == pytest.approx(18.0 + 20.0)  # Ann 90 %, Bob full


def test_names() -> None:
    known = ["John Smith", "Jane Smithers", "Ann Lee"]
    assert near_matches("J. Smith", known) == ["John Smith"]
    assert near_matches("Smith, John", known) == ["John Smith"]
    assert near_matches("Ann Leee", known) == ["Ann Lee"]
    assert near_matches("Zoe", known) == []
    assert split_owners("Ann; Bob & Cy") == ["Ann", "Bob", "Cy"]
    assert split_owners("Smith, John") == ["Smith, John"]


@pytest.mark.parametrize("held", ["end to end", "as one list"])
def test_the_load_s_findings_follow_the_files_own(held: str) -> None:
    """The run keeps its files' own findings as they are (see engine.assemble), load after."""
    run = portfolio(
        resources=[
            ("A-001", {"person": "Ann Lee", "period": JAN, "planned": 12.0}),
            ("B-002", {"person": "Ann Lee", "period": JAN, "planned": 8.0}),
        ]
    )
    own = [Finding(RuleId.VALUE_NOT_ALLOWED, Severity.ERROR, "m", "A-001.xlsx", "Tasks", 1, 1)]
    run.findings = Chunked([own]) if held == "end to end" else list(own)

    load = resource_step(run, Settings(), CAPACITY)

    assert load is not None and load.findings
    assert isinstance(run.findings, Chunked)
    assert list(run.findings) == [*own, *load.findings]
    if held == "end to end":
        assert run.findings.chunks[0] is own  # not copied, nor nested
