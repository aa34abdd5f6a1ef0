"""Every metric of a tracker, and the evidence each dimension is judged from (RAG_RULES v2).

``d`` is the tracker's Status Date; when it is blank, the day the caller judges on (the
consolidation's as-of date). Metrics are taken over the tracker's columns with the
functions of :mod:`addin.rag.metrics`, the same ones the worksheet functions use.
"""

from __future__ import annotations

import datetime as dt

from addin.core.domain import TASK_CANCELLED, counts_for_risk, severity_of
from addin.core.settings import Settings
from addin.core.tracker import Tracker
from addin.rag.metrics import (
    actual_cost,
    cpi,
    eac,
    earned_value,
    finite,
    milestone_overdue,
    milestone_slippage,
    vac_pct,
)
from addin.rag.model import Metrics
from addin.rag.quality import schedule_quality


def _milestones(tracker: Tracker, d: dt.date) -> tuple[list[int], int, int]:
    """Slippages of milestones not Achieved, overdue milestones, and dated milestones."""
    slips: list[int] = []
    overdue = dated = 0
    ms = tracker.table("Milestones")
    for status, baseline, forecast, actual in zip(
        ms.col("status"),
        ms.col("baseline_date"),
        ms.col("forecast_date"),
        ms.col("actual_date"),
        strict=True,
    ):
        slip = milestone_slippage(status, baseline, forecast)
        if slip is not None:
            slips.append(slip)
        overdue += milestone_overdue(status, forecast, d)
        dated += baseline is not None and (forecast is not None or actual is not None)
    return slips, overdue, dated


def _risks(tracker: Tracker, settings: Settings, d: dt.date) -> tuple[int, int, int]:
    """Open Critical and High risks/issues, and open ones past their Due date."""
    scores = settings.rag.severity
    critical = high = overdue = 0
    raid = tracker.table("RAID")
    for type_, status, stated, probability, impact, due in zip(
        raid.col("type"),
        raid.col("status"),
        raid.col("severity"),
        raid.col("probability"),
        raid.col("impact"),
        raid.col("due"),
        strict=True,
    ):
        if not counts_for_risk(type_, status):
            continue
        sev = severity_of(stated, probability, impact, scores)
        if sev == "Critical":
            critical += 1
        elif sev == "High":
            high += 1
        if due is not None and due < d:
            overdue += 1
    return critical, high, overdue


def measure(tracker: Tracker, settings: Settings, as_of: dt.date | None = None) -> Metrics:
    """Compute every metric of a tracker. ``d`` is its Status Date (``as_of`` if blank)."""
    p = tracker.project
    d = p.status_date or as_of or dt.date.today()
    tasks = tracker.table("Tasks")
    statuses = tasks.col("status")
    ev = earned_value(
        tasks.col("budget"),
        tasks.col("planned_start"),
        tasks.col("planned_finish"),
        tasks.col("pct_complete"),
        d,
        [s == TASK_CANCELLED for s in statuses],
        statuses,
        settings.rag.unknown_progress_max,
    )
    lines = tracker.table("Budget")
    if len(lines):
        periods, actuals = lines.col("period"), lines.col("actual")
        ac: float | None = actual_cost(periods, actuals, d)
        eac_value: float | None = eac(periods, actuals, lines.col("forecast"), d)
    else:
        ac = eac_value = None
    pct = ev.pct_complete
    bac = p.budget
    weighted = ev.total > 0
    pv, earned = (finite(ev.pv), finite(ev.ev)) if weighted else (None, None)
    cpi_value, vac = cpi(bac, pct, ac), vac_pct(eac_value, bac)
    gaps = {  # a metric whose inputs are all there, yet whose result is not a number
        "PV": weighted and pv is None,
        "EV": weighted and earned is None,
        "SPI": pv is not None
        and pv > 0
        and earned is not None
        and not ev.too_unknown
        and ev.spi is None,
        "% complete": weighted and earned is not None and not ev.too_unknown and pct is None,
        "AC": bool(len(lines)) and ac is None,
        "EAC": bool(len(lines)) and eac_value is None,
        "CPI": None not in (bac, pct, ac) and bool(ac) and cpi_value is None,
        "VAC %": eac_value is not None and bool(bac) and vac is None,
    }
    slips, overdue, dated = _milestones(tracker, d)
    finish_slip = (
        (p.forecast_finish - p.baseline_finish).days
        if p.forecast_finish is not None and p.baseline_finish is not None
        else None
    )
    critical, high, overdue_risks = _risks(tracker, settings, d)
    cost_lines = sum(
        1
        for a, f in zip(lines.col("actual"), lines.col("forecast"), strict=True)
        if a is not None or f is not None
    )
    return Metrics(
        status_date=p.status_date,
        pv=pv,
        ev=earned,
        spi=ev.spi,
        pct_complete=pct,
        bac=bac,
        ac=ac,
        eac=eac_value,
        cpi=cpi_value,
        vac_pct=vac,
        max_slippage=max(slips) if slips else None,
        overdue_milestones=overdue,
        finish_slip=finish_slip,
        open_critical=critical,
        open_high=high,
        overdue_risks=overdue_risks,
        not_computable=tuple(name for name, gap in gaps.items() if gap),
        judged_on=d,
        tasks_planned=ev.tasks,
        progress_unknown=ev.unknown_tasks,
        unknown_weight=ev.unknown_share,
        milestones_dated=dated,
        cost_lines=cost_lines,
        raid_found="RAID" in tracker.tables,
        quality=schedule_quality(tasks, d, settings.rag.quality),
    )
