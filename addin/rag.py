"""RAG status from the data, with reasons (RAG_RULES v1). The one implementation.

Two layers:

* metric functions over plain values (:func:`spi`, :func:`cpi`, :func:`eac`,
  :func:`metric_rag` ...), which the worksheet functions call directly on ranges;
* :func:`assess`, which computes every metric of a :class:`~addin.model.Tracker`
  and the Schedule, Cost, Risk and Overall RAG, each with its reasons in words
  ("SPI 0.81 < 0.85"), plus the stale and optimism flags.

Thresholds always come from :class:`~addin.config.Settings`. A metric that is
``None`` ("none" in the rules) triggers nothing. Every metric is a finite number or
None: one whose inputs are there but whose result is not a number (a budget of
5e-324 divides to infinity; actuals of 1.797e308 overflow their sum) is None, and
:attr:`Metrics.not_computable` names it so validation can say so at the cell.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from addin.config import RagSettings, Settings, SeverityScores
from addin.model import RAG_ORDER, Rag, RaidItem, Tracker
from addin.words import counted

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
    if status == "Achieved" or baseline is None or forecast is None:
        return None
    return (forecast - baseline).days


def milestone_overdue(status: str | None, forecast: dt.date | None, status_date: dt.date) -> bool:
    """True when a milestone is not Achieved and its Forecast Date is before the Status Date."""
    return status != "Achieved" and forecast is not None and forecast < status_date


# --- RAID severity -----------------------------------------------------------------------

SEVERITIES = ("Low", "Medium", "High", "Critical")


def derived_severity(
    probability: int | None, impact: int | None, scores: SeverityScores
) -> str | None:
    """Severity from Probability x Impact (>= critical, >= high, >= medium, else Low)."""
    if probability is None or impact is None:
        return None
    score = probability * impact
    if score >= scores.critical:
        return "Critical"
    if score >= scores.high:
        return "High"
    if score >= scores.medium:
        return "Medium"
    return "Low"


def severity_of(item: RaidItem, scores: SeverityScores) -> str | None:
    """The item's stated Severity, or the one derived from its scores when blank."""
    return item.severity or derived_severity(item.probability, item.impact, scores)


OPEN_STATUSES = frozenset({"Open", "Mitigating"})


def is_open(item: RaidItem) -> bool:
    """True for RAID items whose Status is Open or Mitigating."""
    return item.status in OPEN_STATUSES


def counts_for_risk(item: RaidItem) -> bool:
    """True for open Risks and Issues (and open items of unstated type)."""
    return is_open(item) and item.type in (None, "Risk", "Issue")


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


def worst(rags: Iterable[Rag]) -> Rag:
    """The worst of several RAGs (Green when none)."""
    return max(rags, key=lambda r: RAG_ORDER[r], default=Rag.GREEN)


# --- assessing a tracker -----------------------------------------------------------------


@dataclass(frozen=True)
class Metrics:
    """Every RAG_RULES v1 metric of one project (None = "none")."""

    status_date: dt.date | None
    pv: float | None
    ev: float | None
    spi: float | None
    pct_complete: float | None
    bac: float | None
    ac: float | None
    eac: float | None
    cpi: float | None
    vac_pct: float | None
    max_slippage: int | None
    overdue_milestones: int
    finish_slip: int | None
    open_critical: int
    open_high: int
    overdue_risks: int
    #: Metrics whose inputs are there but whose result is not a finite number (``"SPI"``).
    not_computable: tuple[str, ...] = ()

    @property
    def open_high_or_critical(self) -> int:
        """Open High plus open Critical risks/issues."""
        return self.open_high + self.open_critical


@dataclass(frozen=True)
class Dimension:
    """A RAG and the reasons for it, in words."""

    rag: Rag
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assessment:
    """The computed status of one project."""

    metrics: Metrics
    schedule: Dimension
    cost: Dimension
    risk: Dimension
    overall: Rag
    reported: Rag | None
    stale: bool
    stale_days: int | None
    optimism: bool
    reasons: tuple[str, ...] = field(default=())

    @property
    def top_reason(self) -> str:
        """The first reason behind the overall RAG ("" when Green)."""
        return self.reasons[0] if self.reasons else ""


def _ratio(x: float) -> str:
    return f"{x:.2f}"


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


def schedule_dimension(m: Metrics, rag: RagSettings) -> Dimension:
    """Schedule RAG: SPI, overdue milestones, milestone slippage, finish slip."""
    s = rag.schedule
    red: list[str] = []
    amber: list[str] = []
    level = metric_rag("spi", m.spi, rag)
    if m.spi is not None and level is Rag.RED:
        red.append(f"SPI {shown(m.spi, s.spi_red)} < {s.spi_red:g}")
    elif m.spi is not None and level is Rag.AMBER:
        amber.append(f"SPI {shown(m.spi, s.spi_amber)} < {s.spi_amber:g}")
    if s.overdue_milestone_red and m.overdue_milestones:
        red.append(counted(m.overdue_milestones, "overdue milestone"))
    level = metric_rag("slippage_days", m.max_slippage, rag)
    if level is Rag.RED:
        red.append(f"milestone slippage {m.max_slippage} d > {s.slippage_red_days}")
    elif level is Rag.AMBER:
        amber.append(f"milestone slippage {m.max_slippage} d > {s.slippage_amber_days}")
    level = metric_rag("finish_slip_days", m.finish_slip, rag)
    if level is Rag.RED:
        red.append(f"finish slip {m.finish_slip} d > {s.finish_slip_red_days}")
    elif level is Rag.AMBER:
        amber.append(f"finish slip {m.finish_slip} d > {s.finish_slip_amber_days}")
    if red:
        return Dimension(Rag.RED, tuple(red + amber))
    if amber:
        return Dimension(Rag.AMBER, tuple(amber))
    facts = []
    if m.spi is not None:
        facts.append(f"SPI {_ratio(m.spi)}")
    if m.max_slippage is not None:
        facts.append(f"milestone slippage {m.max_slippage} d")
    if m.finish_slip is not None:
        facts.append(f"finish slip {m.finish_slip} d")
    return Dimension(Rag.GREEN, tuple(facts))


def cost_dimension(m: Metrics, rag: RagSettings) -> Dimension:
    """Cost RAG: VAC % and CPI."""
    c = rag.cost
    red: list[str] = []
    amber: list[str] = []
    level = metric_rag("vac_pct", m.vac_pct, rag)
    if m.vac_pct is not None and level is Rag.RED:
        red.append(
            f"VAC {shown(m.vac_pct, c.vac_red, 1, scale=100, sign='+')} % > {c.vac_red * 100:g} %"
        )
    elif m.vac_pct is not None and level is Rag.AMBER:
        amber.append(
            f"VAC {shown(m.vac_pct, c.vac_amber, 1, scale=100, sign='+')} % "
            f"> {c.vac_amber * 100:g} %"
        )
    level = metric_rag("cpi", m.cpi, rag)
    if m.cpi is not None and level is Rag.RED:
        red.append(f"CPI {shown(m.cpi, c.cpi_red)} < {c.cpi_red:g}")
    elif m.cpi is not None and level is Rag.AMBER:
        amber.append(f"CPI {shown(m.cpi, c.cpi_amber)} < {c.cpi_amber:g}")
    if red:
        return Dimension(Rag.RED, tuple(red + amber))
    if amber:
        return Dimension(Rag.AMBER, tuple(amber))
    facts = []
    if m.vac_pct is not None:
        facts.append(f"VAC {m.vac_pct * 100:+.1f} %")
    if m.cpi is not None:
        facts.append(f"CPI {_ratio(m.cpi)}")
    return Dimension(Rag.GREEN, tuple(facts))


def risk_dimension(m: Metrics, rag: RagSettings) -> Dimension:
    """Risk RAG: open Critical and High risks/issues, and open items past their due date."""
    r = rag.risk
    red: list[str] = []
    amber: list[str] = []
    if m.open_critical >= r.critical_red:
        red.append(
            counted(m.open_critical, "open Critical risk/issue", "open Critical risks/issues")
        )
    if m.open_high_or_critical >= r.high_or_critical_red:
        red.append(
            f"{m.open_high_or_critical} open High/Critical risks/issues >= {r.high_or_critical_red}"
        )
    if m.open_high_or_critical >= r.high_amber and not red:
        amber.append(
            counted(m.open_high_or_critical, "open High risk/issue", "open High risks/issues")
        )
    if r.overdue_amber and m.overdue_risks:
        amber.append(
            counted(
                m.overdue_risks,
                "open risk/issue past its due date",
                "open risks/issues past their due date",
            )
        )
    if red:
        return Dimension(Rag.RED, tuple(red + amber))
    if amber:
        return Dimension(Rag.AMBER, tuple(amber))
    return Dimension(Rag.GREEN, ("no open High or Critical risks/issues",))


def measure(tracker: Tracker, settings: Settings, as_of: dt.date | None = None) -> Metrics:
    """Compute every metric of a tracker. ``d`` is its Status Date (``as_of`` if blank)."""
    p = tracker.project
    d = p.status_date or as_of or dt.date.today()
    tasks = tracker.tasks
    ev = earned_value(
        [t.budget for t in tasks],
        [t.planned_start for t in tasks],
        [t.planned_finish for t in tasks],
        [t.pct_complete for t in tasks],
        d,
        [t.status == "Cancelled" for t in tasks],
    )
    lines = tracker.budget
    if lines:
        periods = [b.period for b in lines]
        ac: float | None = actual_cost(periods, [b.actual for b in lines], d)
        eac_value: float | None = eac(
            periods, [b.actual for b in lines], [b.forecast for b in lines], d
        )
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
        "AC": bool(lines) and ac is None,
        "EAC": bool(lines) and eac_value is None,
        "CPI": None not in (bac, pct, ac) and bool(ac) and cpi_value is None,
        "VAC %": eac_value is not None and bool(bac) and vac is None,
    }

    slips: list[int] = []
    overdue = 0
    for ms in tracker.milestones:
        slip = milestone_slippage(ms.status, ms.baseline_date, ms.forecast_date)
        if slip is not None:
            slips.append(slip)
        overdue += milestone_overdue(ms.status, ms.forecast_date, d)
    finish_slip = (
        (p.forecast_finish - p.baseline_finish).days
        if p.forecast_finish is not None and p.baseline_finish is not None
        else None
    )

    scores = settings.rag.severity
    critical = high = overdue_risks = 0
    for item in tracker.raid:
        if not counts_for_risk(item):
            continue
        sev = severity_of(item, scores)
        if sev == "Critical":
            critical += 1
        elif sev == "High":
            high += 1
        if item.due is not None and item.due < d:
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
