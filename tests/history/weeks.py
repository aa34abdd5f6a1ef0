"""Small portfolio runs, week by week, for the history tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from addin.engine.run import PortfolioRun
from tests.runs import run_from_rows

D = dt.date
WEEK1, WEEK2, WEEK3 = D(2026, 11, 6), D(2026, 11, 13), D(2026, 11, 20)


def project(pid: str, overall: str, **more: Any) -> dict[str, Any]:
    """A Projects row: Overall RAG and the dimensions (Green unless given)."""
    row: dict[str, Any] = {
        "project_id": pid,
        "project_name": f"Project {pid}",
        "programme": "Alpha",
        "overall_rag": overall,
        "schedule_rag": "Green",
        "cost_rag": "Green",
        "risk_rag": "Green",
        "reported_rag": "Green",
        "stale": "No",
        "optimism": "No",
        "source_file": f"{pid}.xlsx",
    }
    row.update(more)
    return row


def milestone(
    pid: str, mid: str, baseline: dt.date, forecast: dt.date, **more: Any
) -> dict[str, Any]:
    """A Milestones row."""
    return {
        "project_id": pid,
        "milestone_id": mid,
        "milestone": f"Milestone {mid}",
        "baseline_date": baseline,
        "forecast_date": forecast,
        "status": "On Track",
        "source_cell": "Milestones!A2",
        **more,
    }


def lesson(pid: str, lid: str | None, text: str, **more: Any) -> dict[str, Any]:
    """A Lessons row."""
    return {
        "project_id": pid,
        "lesson_id": lid,
        "category": "Supplier",
        "type": "To improve",
        "lesson": text,
        "recommendation": "Do better next time.",
        "source_cell": "Lessons!A2",
        **more,
    }


def week(
    as_of: dt.date,
    projects: Iterable[Mapping[str, Any]],
    *,
    milestones: Iterable[Mapping[str, Any]] = (),
    raid: Iterable[Mapping[str, Any]] = (),
    lessons: Iterable[Mapping[str, Any]] = (),
    findings: Iterable[Mapping[str, Any]] = (),
) -> PortfolioRun:
    """One week's run."""
    projects = list(projects)
    return run_from_rows(
        name="History Test",
        as_of=as_of,
        generated=f"{as_of.isoformat()}T09:00:00",
        projects=projects,
        milestones=milestones,
        raid=raid,
        lessons=lessons,
        findings=findings,
        load_log=[
            {
                "file": p.get("source_file", "x.xlsx"),
                "status": "valid",
                "project_id": p["project_id"],
            }
            for p in projects
        ],
    )
