"""RAG metrics over plain values (RAG_RULES): earned value, cost, slippage, thresholds.

Functions take columns or scalars, so the engine calls them on a tracker's columns
and the worksheet functions on a range's cells: one definition of each metric.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from addin.core.domain import MILESTONE_ACHIEVED, TASK_COMPLETE, TASK_NOT_STARTED, Rag
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


def task_progress(pct_complete: float | None, status: str | None) -> float | None:
    """A task's progress as a fraction: its % Complete, else what its Status says, else None.

    RAG_RULES v2: a blank % Complete is taken from Status (Complete 100 %, Not Started
    0 %); any other Status leaves the progress unknown (None), never 0 %.
    """
    if pct_complete is not None:
        return pct_complete
    if status == TASK_COMPLETE:
        return 1.0
    if status == TASK_NOT_STARTED:
        return 0.0
    return None


@dataclass(frozen=True)
class EarnedValue:
    """Planned value, earned value and the weights of the tasks counted and left out.

    Attributes:
        pv: Planned value over tasks of known progress.
        ev: Earned value over the same tasks.
        total: Their total weight.
        unknown: The weight of tasks whose progress is unknown (left out of the sums).
        tasks: Tasks counted (both planned dates, not Cancelled), known progress or not.
        unknown_tasks: Of those, tasks whose progress is unknown.
        unknown_max: Above this share of unknown weight, SPI and % complete are none.
    """

    pv: float
    ev: float
    total: float
    unknown: float = 0.0
    tasks: int = 0
    unknown_tasks: int = 0
    unknown_max: float = 0.5

    @property
    def unknown_share(self) -> float:
        """Share of the weight whose progress is unknown (0 when there is no weight)."""
        whole = self.total + self.unknown
        return self.unknown / whole if whole > 0 else 0.0

    @property
    def too_unknown(self) -> bool:
        """True when more than ``unknown_max`` of the weight has unknown progress."""
        return self.unknown_share > self.unknown_max or (self.unknown_tasks > 0 and not self.total)

    @property
    def spi(self) -> float | None:
        """Schedule performance index EV / PV; None when PV is 0 or not finite, or unknown.

        Unknown: more than ``unknown_max`` of the weight has unknown progress.
        """
        return None if self.too_unknown else _quotient(self.ev, self.pv)

    @property
    def pct_complete(self) -> float | None:
        """Overall % complete EV / total weight (a fraction); None when nothing is weighted.

        None too when more than ``unknown_max`` of the weight has unknown progress.
        """
        return None if self.too_unknown else _quotient(self.ev, self.total)


def earned_value(
    budgets: Sequence[float | None],
    starts: Sequence[dt.date | None],
    finishes: Sequence[dt.date | None],
    pct_complete: Sequence[float | None],
    status_date: dt.date,
    cancelled: Sequence[bool] | None = None,
    statuses: Sequence[str | None] | None = None,
    unknown_max: float = 0.5,
) -> EarnedValue:
    """Earned value over tasks given as parallel columns (RAG_RULES v2).

    Weight is the task's Budget when any task in the file has a positive Budget
    (a missing Budget is then 0), else its planned duration in days. Cancelled
    tasks and tasks without both planned dates are left out. A blank % Complete is
    taken from the task's Status (:func:`task_progress`); a task whose progress is
    still unknown is left out of PV, EV and the total, and counted in ``unknown``.

    Args:
        budgets: Each task's Budget.
        starts: Planned Start.
        finishes: Planned Finish.
        pct_complete: % Complete as a fraction (None: blank).
        status_date: The day PV is planned up to.
        cancelled: True for a Cancelled task (left out).
        statuses: Each task's Status (canonical words), to infer a blank % Complete.
        unknown_max: SPI and % complete are none above this share of unknown weight.
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
    pv = ev = total = unknown = 0.0
    unknown_tasks = 0
    for i in keep:
        start, finish = starts[i], finishes[i]
        assert start is not None and finish is not None
        w = (budgets[i] or 0.0) if by_budget else float(max((finish - start).days + 1, 0))
        progress = task_progress(pct_complete[i], statuses[i] if statuses is not None else None)
        if progress is None:
            unknown += w
            unknown_tasks += 1
            continue
        pv += w * planned_fraction(start, finish, status_date)
        ev += w * progress
        total += w
    return EarnedValue(pv, ev, total, unknown, len(keep), unknown_tasks, unknown_max)


def spi(
    budgets: Sequence[float | None],
    starts: Sequence[dt.date | None],
    finishes: Sequence[dt.date | None],
    pct_complete: Sequence[float | None],
    status_date: dt.date,
    statuses: Sequence[str | None] | None = None,
) -> float | None:
    """SPI = EV / PV over tasks given as columns; None when PV is 0 or progress is unknown."""
    return earned_value(budgets, starts, finishes, pct_complete, status_date, statuses=statuses).spi


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


# --- words ----------------------------------------------------------------------------------


def shown(
    value: float, threshold: float, decimals: int = 2, *, scale: float = 1.0, sign: str = ""
) -> str:
    """Format ``value`` so the text never contradicts its comparison with ``threshold``.

    ``0.849`` against ``0.85`` shows as ``0.849`` rather than a misleading
    ``0.85 < 0.85``: decimals are added until the rounded value and the rounded
    threshold differ the way the real numbers do (up to 6 decimals).
    """
    for d in range(decimals, 7):
        a, b = round(value * scale, d), round(threshold * scale, d)
        if (a < b) == (value < threshold) and (a > b) == (value > threshold):
            return f"{value * scale:{sign}.{d}f}"
    return f"{value * scale:{sign}.6f}"


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
    """RAG of one metric value: Red/Amber past the thresholds, else Green; None is No data.

    For ``spi`` and ``cpi`` lower is worse (Red when ``value < red``); for
    ``vac_pct``, ``slippage_days`` and ``finish_slip_days`` higher is worse (Red
    when ``value > red``).
    """
    red, amber = thresholds(metric, rag)
    if value is None:  # RAG_RULES v2: a metric that is none is no evidence, never Green
        return Rag.NO_DATA
    if METRICS[metric]:
        return Rag.RED if value > red else Rag.AMBER if value > amber else Rag.GREEN
    return Rag.RED if value < red else Rag.AMBER if value < amber else Rag.GREEN
