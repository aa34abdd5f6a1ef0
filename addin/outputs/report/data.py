"""What a one-page status report says about one project, as plain data.

:func:`status_report` reads a one-project :class:`~addin.engine.run.PortfolioRun` (one
tracker through the engine) and the project manager's RAG comment. It computes no RAG:
the dimensions, reasons and metrics are the engine's; milestone slippage and open risks
with their effective severity are the dashboard's helpers
(:mod:`addin.outputs.dashboard.ahead`); planned progress is :func:`addin.rag.earned_value`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from addin.core.domain import MILESTONE_ACHIEVED, TASK_CANCELLED, TASK_COMPLETE
from addin.core.findings import Severity
from addin.core.settings import Settings
from addin.engine.run import PortfolioRun, ProjectStatus
from addin.outputs.dashboard.ahead import open_risks, slippage_days
from addin.rag import earned_value, milestone_overdue

#: Days ahead of the Status Date that "next 30 days" covers.
NEXT_DAYS = 30
#: Severities of open risks and issues, worst first (unstated last).
SEVERITY_ORDER = ("Critical", "High", "Medium", "Low")


@dataclass(frozen=True)
class DimensionLine:
    """One RAG of the report and the reasons behind it."""

    name: str
    rag: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class MilestoneLine:
    """One milestone: baseline, forecast, status, slip and whether it is overdue."""

    milestone: str
    baseline: dt.date | None
    forecast: dt.date | None
    status: str
    slip_days: int | None
    overdue: bool


@dataclass(frozen=True)
class RiskLine:
    """One open risk or issue with its effective severity."""

    severity: str
    raid_id: str
    type: str
    title: str
    owner: str
    due: dt.date | None


@dataclass(frozen=True)
class NextLine:
    """Something due in the next 30 days: a task starting or finishing, or a milestone."""

    when: dt.date
    what: str
    name: str
    owner: str


@dataclass(frozen=True)
class StatusReport:
    """Everything the one-page status report shows."""

    project: ProjectStatus
    as_of: dt.date
    status_date: dt.date
    comment: str
    dimensions: tuple[DimensionLine, ...]
    planned: float | None
    earned: float | None
    milestones: tuple[MilestoneLine, ...]
    risks: tuple[RiskLine, ...]
    findings: tuple[str, ...]
    errors: int
    warnings: int
    next_days: tuple[NextLine, ...]
    currency: str


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _dimensions(p: ProjectStatus) -> tuple[DimensionLine, ...]:
    out = [DimensionLine("Overall", p.overall_rag, p.reasons)]
    for name in ("Schedule", "Cost", "Risk"):
        word = getattr(p, f"{name.lower()}_rag")
        why = p.dimension_reasons(name)
        if not why:
            why = ("no threshold crossed",) if word == "Green" else ()
        out.append(DimensionLine(name, word, why))
    return tuple(out)


def _planned(run: PortfolioRun, d: dt.date) -> float | None:
    """Share of the plan's weight due by ``d`` (PV / total weight), as the engine weighs it."""
    columns = run.table("Tasks").columns
    if not columns["planned_start"]:
        return None
    # earned_value reads by row number: lists of the columns it reads, for this call only
    budget, start, finish, done = (
        list(columns[k]) for k in ("budget", "planned_start", "planned_finish", "pct_complete")
    )
    ev = earned_value(
        budget, start, finish, done, d, [s == TASK_CANCELLED for s in columns["status"]]
    )
    return ev.pv / ev.total if ev.total > 0 else None


def _milestones(run: PortfolioRun, d: dt.date) -> tuple[MilestoneLine, ...]:
    lines = []
    for ms in run.table("Milestones").rows():
        forecast, status = ms.get("forecast_date"), ms.get("status")
        lines.append(
            MilestoneLine(
                milestone=f"{_text(ms.get('milestone_id'))} {_text(ms.get('milestone'))}".strip(),
                baseline=ms.get("baseline_date"),
                forecast=forecast,
                status=_text(status),
                slip_days=slippage_days(ms),
                overdue=milestone_overdue(status, forecast, d),
            )
        )
    # Not achieved first, soonest forecast first; then the achieved ones, latest first.
    lines.sort(
        key=lambda m: (
            m.status == MILESTONE_ACHIEVED,
            (m.forecast or dt.date.max).toordinal() * (1 if m.status != MILESTONE_ACHIEVED else -1),
        )
    )
    return tuple(lines)


def _risks(run: PortfolioRun, settings: Settings, d: dt.date) -> tuple[RiskLine, ...]:
    rank = {s: i for i, s in enumerate(SEVERITY_ORDER)}
    rows = sorted(
        open_risks(run, settings),
        key=lambda r: (
            rank.get(r["effective_severity"], len(rank)),
            r.get("due") or dt.date.max,
            _text(r.get("raid_id")),
        ),
    )
    return tuple(
        RiskLine(
            severity=_text(r["effective_severity"]) or "—",
            raid_id=_text(r.get("raid_id")),
            type=_text(r.get("type")),
            title=_text(r.get("title")),
            owner=_text(r.get("owner")),
            due=r.get("due"),
        )
        for r in rows
    )


def _next(run: PortfolioRun, d: dt.date) -> tuple[NextLine, ...]:
    end = d + dt.timedelta(days=NEXT_DAYS) if d < dt.date.max - dt.timedelta(NEXT_DAYS) else d
    out: list[NextLine] = []

    def soon(day: Any) -> bool:
        return isinstance(day, dt.date) and d < day <= end

    for t in run.table("Tasks").rows():
        if t.get("status") in (TASK_COMPLETE, TASK_CANCELLED):
            continue
        name, owner = _text(t.get("task_name")), _text(t.get("owner"))
        if soon(t.get("planned_start")) and t.get("actual_start") is None:
            out.append(NextLine(t["planned_start"], "Task starts", name, owner))
        if soon(t.get("planned_finish")):
            out.append(NextLine(t["planned_finish"], "Task due", name, owner))
    for ms in run.table("Milestones").rows():
        if ms.get("status") != MILESTONE_ACHIEVED and soon(ms.get("forecast_date")):
            out.append(
                NextLine(
                    ms["forecast_date"],
                    "Milestone",
                    _text(ms.get("milestone")),
                    _text(ms.get("owner")),
                )
            )
    out.sort(key=lambda n: (n.when, n.what != "Milestone", n.name))
    return tuple(out)


def _findings(run: PortfolioRun, p: ProjectStatus) -> tuple[str, ...]:
    lines: list[str] = []
    if p.stale:
        lines.extend(
            p.dimension_reasons("Stale") or [r for r in p.reasons if r.startswith("Stale")]
        )
    if p.optimism:
        lines.append(f"Optimism: reported {p.reported_rag}, the data says {p.overall_rag}")
    ordered = sorted(run.findings, key=lambda f: f.severity is not Severity.ERROR)
    for f in ordered:
        where = f"{f.sheet}!{f.cell}" if f.sheet and f.row is not None else f.sheet or "file"
        lines.append(f"{f.severity.capitalize()} at {where}: {f.message}")
    return tuple(lines)


def status_report(run: PortfolioRun, comment: str | None, settings: Settings) -> StatusReport:
    """The status report of a one-project run (one tracker through the engine).

    Args:
        run: The run; its first project is reported.
        comment: The project manager's RAG comment from the tracker.
        settings: Severity scores, currency.

    Raises:
        ValueError: the run holds no project.
    """
    if not run.projects:
        raise ValueError("no project to report on")
    p = run.projects[0]
    d = p.status_date or run.as_of
    errors = sum(1 for f in run.findings if f.severity is Severity.ERROR)
    return StatusReport(
        project=p,
        as_of=run.as_of,
        status_date=d,
        comment=_text(comment),
        dimensions=_dimensions(p),
        planned=_planned(run, d),
        earned=p.pct_complete,
        milestones=_milestones(run, d),
        risks=_risks(run, settings, d),
        findings=_findings(run, p),
        errors=errors,
        warnings=len(run.findings) - errors,
        next_days=_next(run, d),
        currency=settings.currency,
    )
