"""The dashboard's schedule and risk lists: slipping milestones, milestones ahead, top risks.

Milestone slippage and overdue status are the engine's own (:mod:`addin.rag`); a
risk's effective severity is its stated one or the one its scores give
(:func:`addin.core.domain.severity_of`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from addin.core.domain import MILESTONE_ACHIEVED, counts_for_risk, severity_of
from addin.core.settings import Settings
from addin.engine.run import PortfolioRun
from addin.outputs.dashboard.data import MilestoneRow, RiskRow, Slippage
from addin.rag import milestone_overdue, milestone_slippage

#: Severities listed on the Top risks sheet, worst first.
TOP_SEVERITIES = ("Critical", "High")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def open_risks(run: PortfolioRun, settings: Settings) -> Iterator[dict[str, Any]]:
    """Open Risks and Issues of the portfolio, each with its effective severity."""
    scores = settings.rag.severity
    for row in run.table("RAID").rows():
        if counts_for_risk(row["type"], row["status"]):
            severity = severity_of(row["severity"], row["probability"], row["impact"], scores)
            yield {**row, "effective_severity": severity}


def slippage_days(milestone: Mapping[str, Any]) -> int | None:
    """Slippage of one milestone row as RAG_RULES v1 defines it, or None.

    Forecast Date - Baseline Date in days, over milestones not Achieved (None when
    Achieved or a date is missing). The per-project maximum of this is the
    engine's ``max_slippage_days``.
    """
    return milestone_slippage(
        milestone.get("status"),
        _day(milestone.get("baseline_date")),
        _day(milestone.get("forecast_date")),
    )


def slippages(portfolio: PortfolioRun, limit: int) -> tuple[Slippage, ...]:
    """The worst positive milestone slippages, worst first (at most ``limit``)."""
    items = []
    for ms in portfolio.table("Milestones").rows():
        days = slippage_days(ms)
        if days is not None and days > 0:
            items.append(
                Slippage(
                    _text(ms.get("project_id")),
                    _text(ms.get("milestone_id")),
                    _text(ms.get("milestone")),
                    days,
                )
            )
    items.sort(key=lambda s: (-s.days, s.project_id, s.milestone_id))
    return tuple(items[:limit])


def milestones_ahead(portfolio: PortfolioRun, ahead_days: int) -> tuple[MilestoneRow, ...]:
    """Milestones overdue, passed since their report, or due within ``ahead_days``."""
    projects = {_text(p.project_id): p for p in portfolio.projects}
    as_of = portfolio.as_of
    out = []
    for ms in portfolio.table("Milestones").rows():
        if ms.get("status") == MILESTONE_ACHIEVED:
            continue
        forecast = _day(ms.get("forecast_date"))
        if forecast is None:
            continue
        project = projects.get(_text(ms.get("project_id")))
        d = (project.status_date if project is not None else None) or as_of
        if milestone_overdue(ms.get("status"), forecast, d):
            when = "Overdue"
        elif forecast < as_of:
            when = "Passed since report"
        elif (forecast - as_of).days <= ahead_days:  # no date arithmetic past 9999-12-31
            when = "Due soon"
        else:
            continue
        out.append(
            MilestoneRow(
                when=when,
                project_id=_text(ms.get("project_id")),
                project_name=_text(project.project_name if project is not None else None),
                milestone_id=_text(ms.get("milestone_id")),
                milestone=_text(ms.get("milestone")),
                owner=_text(ms.get("owner")),
                status=_text(ms.get("status")),
                baseline=_day(ms.get("baseline_date")),
                forecast=forecast,
                slippage_days=slippage_days(ms),
                days_from_as_of=(forecast - as_of).days,
            )
        )
    order = {"Overdue": 0, "Passed since report": 1, "Due soon": 2}
    out.sort(key=lambda m: (order[m.when], m.forecast, m.project_id, m.milestone_id))
    return tuple(out)


def top_risks(portfolio: PortfolioRun, settings: Settings) -> tuple[RiskRow, ...]:
    """Open Critical and High risks and issues, worst and soonest due first."""
    names = {_text(p.project_id): _text(p.project_name) for p in portfolio.projects}
    rank = {s: i for i, s in enumerate(TOP_SEVERITIES)}
    rows = [r for r in open_risks(portfolio, settings) if r["effective_severity"] in rank]
    rows.sort(
        key=lambda r: (
            rank[r["effective_severity"]],
            _day(r.get("due")) is None,
            _day(r.get("due")) or dt.date.max,
            _text(r.get("project_id")),
            _text(r.get("raid_id")),
        )
    )
    return tuple(
        RiskRow(
            severity=r["effective_severity"],
            project_id=_text(r.get("project_id")),
            project_name=names.get(_text(r.get("project_id")), ""),
            raid_id=_text(r.get("raid_id")),
            type=_text(r.get("type")),
            title=_text(r.get("title")),
            owner=_text(r.get("owner")),
            due=_day(r.get("due")),
            status=_text(r.get("status")),
            mitigation=_text(r.get("mitigation")),
        )
        for r in rows
    )
