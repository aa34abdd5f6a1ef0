"""RAG metrics over plain values (RAG_RULES): earned value, cost, slippage, thresholds.

Functions take columns or scalars, so the engine calls them on a tracker's columns
and the worksheet functions on a range's cells: one definition of each metric.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from addin.core.domain import MILESTONE_ACHIEVED, Rag
from addin.core.settings import RagSettings

# --- earned value ------------------------------------------------------------------------


def finite(value: float | None) -> float | None:
    """The value when it is a finite number; None ("none") for infinity, NaN or None."""
    return value if value is not None and math.isfinite(value) else None


def _quotient(top: float | None, bottom: float | None) -> float | None:
    """``top / bottom`` when both are finite and ``bottom`` is positive, and so is the result."""
    if top is None or bottom is None or not (math.isfinite(top) and math.isfinite(bottom)):
        return None
    return finite(top / bottom) if bottom > 0 else None


def planned_fraction(start: dt.date, finish: dt.date, status_date: dt.date) -> float:
    """Share of a task's planned duration elapsed at ``status_date``, in days, clamped to 0-1.

    ``(d - start + 1) / (finish - start + 1)``; a task whose finish is before its
    start counts as fully planned once started.
    """
    span = (finish - start).days + 1
    if span <= 0:
        return 1.0 if status_date >= start else 0.0
    p = ((status_date - start).days + 1) / span
    return 0.0 if p < 0 else 1.0 if p > 1 else p


@dataclass(frozen=True)
class EarnedValue:
    """Planned value, earned value and the total weight of the tasks counted."""

    pv: float
    ev: float
    total: float

    @property
    def spi(self) -> float | None:
        """Schedule performance index EV / PV; None when PV is 0 or a sum is not finite."""
        return _quotient(self.ev, self.pv)

    @property
    def pct_complete(self) -> float | None:
        """Overall % complete EV / total weight (a fraction); None when nothing is weighted."""
        return _quotient(self.ev, self.total)


def earned_value(
    budgets: Sequence[float | None],
    starts: Sequence[dt.date | None],
    finishes: Sequence[dt.date | None],
    pct_complete: Sequence[float | None],
    status_date: dt.date,
    cancelled: Sequence[bool] | None = None,
) -> EarnedValue:
    """Earned value over tasks given as parallel columns (RAG_RULES v1).

    Weight is the task's Budget when any task in the file has a positive Budget
    (a missing Budget is then 0), else its planned duration in days. Cancelled
    tasks and tasks without both planned dates are left out of the sums. A blank
    % Complete is 0.
    """
    n = len(starts)
    keep = [
        i
        for i in range(n)
        if starts[i] is not None
        and finishes[i] is not None
        and not (cancelled is not None and cancelled[i])
    ]
    by_budget = any((b or 0) > 0 for b in budgets)
    pv = ev = total = 0.0
    for i in keep:
        start, finish = starts[i], finishes[i]
        assert start is not None and finish is not None
        w = (budgets[i] or 0.0) if by_budget else float(max((finish - start).days + 1, 0))
        pv += w * planned_fraction(start, finish, status_date)
        ev += w * (pct_complete[i] or 0.0)
        total += w
    return EarnedValue(pv, ev, total)


def spi(
    budgets: Sequence[float | None],
    starts: Sequence[dt.date | None],
    finishes: Sequence[dt.date | None],
    pct_complete: Sequence[float | None],
    status_date: dt.date,
) -> float | None:
    """SPI = EV / PV over tasks given as columns; None when PV is 0."""
    return earned_value(budgets, starts, finishes, pct_complete, status_date).spi


def _money_sum(amounts: Iterable[float]) -> float | None:
    """Sum amounts of money exactly and drop float noise below a millionth of the unit.

    None when the sum is not a finite number (it overflows, or an amount is not finite).
    """
    try:
        return finite(round(math.fsum(amounts), 6))
    except (OverflowError, ValueError):  # fsum: "intermediate overflow", or inf + -inf
        return None


def actual_cost(
    periods: Sequence[dt.date | None], actuals: Sequence[float | None], status_date: dt.date
) -> float | None:
    """AC = sum of Actual for periods whose first day is on or before the status date.

    Money is summed as money: exactly (``math.fsum``), then rounded to a millionth of the
    currency unit, so the binary noise of amounts typed in cents does not show
    (1350592.39, not 1350592.3900000001). None when the sum is not a finite number.
    """
    return _money_sum(
        (a or 0.0)
        for p, a in zip(periods, actuals, strict=True)
        if p is not None and p <= status_date
    )


def eac(
    periods: Sequence[dt.date | None],
    actuals: Sequence[float | None],
    forecasts: Sequence[float | None],
    status_date: dt.date,
) -> float | None:
    """EAC = AC + sum of Forecast for periods after the status date (summed exactly).

    None when the sum is not a finite number.
    """
    rows = list(zip(periods, actuals, forecasts, strict=True))
    spent = [(a or 0.0) for p, a, _ in rows if p is not None and p <= status_date]
    ahead = [(f or 0.0) for p, _, f in rows if p is not None and p > status_date]
    return _money_sum(spent + ahead)


def cpi(bac: float | None, pct_complete: float | None, ac: float | None) -> float | None:
    """CPI = BAC x overall % complete / AC; None when AC is 0 or an input is missing.

    None too when the result is not a finite number.
    """
    if bac is None or pct_complete is None or not ac:
        return None
    return finite(bac * pct_complete / ac)


def vac_pct(eac_value: float | None, bac: float | None) -> float | None:
    """VAC % = (EAC - BAC) / BAC as a fraction (0.12 = 12 % over); None when BAC is 0.

    None too when the result is not a finite number.
    """
    if eac_value is None or not bac:
        return None
    return finite((eac_value - bac) / bac)


# --- milestones ----------------------------------------------------------------------------


def milestone_slippage(
    status: str | None, baseline: dt.date | None, forecast: dt.date | None
) -> int | None:
    """Slippage in days, Forecast Date - Baseline Date, of a milestone not Achieved; else None."""
    if status == MILESTONE_ACHIEVED or baseline is None or forecast is None:
        return None
    return (forecast - baseline).days


def milestone_overdue(status: str | None, forecast: dt.date | None, status_date: dt.date) -> bool:
    """True when a milestone is not Achieved and its Forecast Date is before the Status Date."""
    return status != MILESTONE_ACHIEVED and forecast is not None and forecast < status_date


# --- thresholds ----------------------------------------------------------------------------

#: Metrics :func:`metric_rag` knows, and whether a higher value is worse.
METRICS: dict[str, bool] = {
    "spi": False,
    "cpi": False,
    "vac_pct": True,
    "slippage_days": True,
    "finish_slip_days": True,
}


def thresholds(metric: str, rag: RagSettings) -> tuple[float, float]:
    """Return the (red, amber) thresholds of a metric under these settings."""
    s, c = rag.schedule, rag.cost
    table: dict[str, tuple[float, float]] = {
        "spi": (s.spi_red, s.spi_amber),
        "cpi": (c.cpi_red, c.cpi_amber),
        "vac_pct": (c.vac_red, c.vac_amber),
        "slippage_days": (s.slippage_red_days, s.slippage_amber_days),
        "finish_slip_days": (s.finish_slip_red_days, s.finish_slip_amber_days),
    }
    if metric not in table:
        raise KeyError(f"unknown metric {metric!r}; expected one of {', '.join(METRICS)}")
    return table[metric]


def metric_rag(metric: str, value: float | None, rag: RagSettings) -> Rag:
    """RAG of one metric value: Red/Amber past the thresholds, else Green (None is Green).

    For ``spi`` and ``cpi`` lower is worse (Red when ``value < red``); for
    ``vac_pct``, ``slippage_days`` and ``finish_slip_days`` higher is worse (Red
    when ``value > red``).
    """
    red, amber = thresholds(metric, rag)
    if value is None:
        return Rag.GREEN
    if METRICS[metric]:
        return Rag.RED if value > red else Rag.AMBER if value > amber else Rag.GREEN
    return Rag.RED if value < red else Rag.AMBER if value < amber else Rag.GREEN
