"""Assess a tracker: every metric, the three dimensions, Overall, stale and optimism.

:func:`dimensions` depends only on the tracker (cacheable); :func:`conclude` adds
what depends on the day of the run (stale, Overall, optimism).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from addin.core.domain import (
    RAG_ORDER,
    TASK_CANCELLED,
    Rag,
    counts_for_risk,
    severity_of,
    worst,
)
from addin.core.settings import Settings
from addin.core.tracker import Tracker
from addin.rag.dimensions import (
    Assessment,
    Dimension,
    Metrics,
    cost_dimension,
    risk_dimension,
    schedule_dimension,
)
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


def measure(tracker: Tracker, settings: Settings, as_of: dt.date | None = None) -> Metrics:
    """Compute every metric of a tracker. ``d`` is its Status Date (``as_of`` if blank)."""
    p = tracker.project
    d = p.status_date or as_of or dt.date.today()
    tasks = tracker.table("Tasks")
    ev = earned_value(
        tasks.col("budget"),
        tasks.col("planned_start"),
        tasks.col("planned_finish"),
        tasks.col("pct_complete"),
        d,
        [s == TASK_CANCELLED for s in tasks.col("status")],
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
        "SPI": pv is not None and pv > 0 and earned is not None and ev.spi is None,
        "% complete": weighted and earned is not None and pct is None,
        "AC": bool(len(lines)) and ac is None,
        "EAC": bool(len(lines)) and eac_value is None,
        "CPI": None not in (bac, pct, ac) and bool(ac) and cpi_value is None,
        "VAC %": eac_value is not None and bool(bac) and vac is None,
    }

    slips: list[int] = []
    overdue = 0
    ms = tracker.table("Milestones")
    for status, baseline, forecast in zip(
        ms.col("status"), ms.col("baseline_date"), ms.col("forecast_date"), strict=True
    ):
        slip = milestone_slippage(status, baseline, forecast)
        if slip is not None:
            slips.append(slip)
        overdue += milestone_overdue(status, forecast, d)
    finish_slip = (
        (p.forecast_finish - p.baseline_finish).days
        if p.forecast_finish is not None and p.baseline_finish is not None
        else None
    )

    scores = settings.rag.severity
    critical = high = overdue_risks = 0
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
            overdue_risks += 1

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
    )


@dataclass(frozen=True)
class Dimensions:
    """The date-independent part of an assessment: metrics and the three dimensions."""

    metrics: Metrics
    schedule: Dimension
    cost: Dimension
    risk: Dimension


def dimensions(tracker: Tracker, settings: Settings, as_of: dt.date | None = None) -> Dimensions:
    """Compute the metrics and the Schedule, Cost and Risk RAG of a tracker.

    These depend only on the tracker (``as_of`` is used as ``d`` only when the
    Status Date is blank), so they can be cached between runs.
    """
    m = measure(tracker, settings, as_of)
    rag = settings.rag
    return Dimensions(m, schedule_dimension(m, rag), cost_dimension(m, rag), risk_dimension(m, rag))


def conclude(
    dims: Dimensions, reported_rag: str | None, settings: Settings, as_of: dt.date
) -> Assessment:
    """Overall RAG, stale and optimism flags, and reasons, from the dimensions on a given day.

    Overall is the worst dimension; a stale report (Status Date more than
    ``stale_days`` before ``as_of``) is at least Amber; optimism means the
    project manager's Reported RAG is better than Overall.
    """
    rag = settings.rag
    m = dims.metrics
    overall = worst((dims.schedule.rag, dims.cost.rag, dims.risk.rag))
    reasons: list[str] = []
    for name, dim in (("Schedule", dims.schedule), ("Cost", dims.cost), ("Risk", dims.risk)):
        if dim.rag is not Rag.GREEN:
            reasons.extend(f"{name} {dim.rag.value}: {why}" for why in dim.reasons)
    stale_days = (as_of - m.status_date).days if m.status_date is not None else None
    stale = stale_days is not None and stale_days > rag.stale_days
    if stale:
        reasons.append(f"Stale: Status Date is {stale_days} days old (> {rag.stale_days})")
        overall = worst((overall, Rag.AMBER))
    reported = Rag(reported_rag) if reported_rag in ("Red", "Amber", "Green") else None
    optimism = reported is not None and RAG_ORDER[reported] < RAG_ORDER[overall]
    return Assessment(
        metrics=m,
        schedule=dims.schedule,
        cost=dims.cost,
        risk=dims.risk,
        overall=overall,
        reported=reported,
        stale=stale,
        stale_days=stale_days,
        optimism=optimism,
        reasons=tuple(reasons),
    )


def assess(tracker: Tracker, settings: Settings, as_of: dt.date | None = None) -> Assessment:
    """Compute metrics, the three dimensions, Overall, and the stale and optimism flags.

    Args:
        tracker: The project's tracker.
        settings: Thresholds (``settings.rag``).
        as_of: The consolidation date that decides staleness (default today).
    """
    as_of = as_of or dt.date.today()
    return conclude(
        dimensions(tracker, settings, as_of), tracker.project.reported_rag, settings, as_of
    )
