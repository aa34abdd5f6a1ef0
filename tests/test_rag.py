"""RAG engine (addin/rag/) against shared/RAG_RULES.md v1 and v2, with hand-computed cases.

Every expected number below is worked out by hand from the rules, with the
arithmetic in a comment; the code is never asked what the answer should be.
Conventions used throughout:

* ``D`` is the tracker's Status Date (31 Mar 2026); ``day(n)`` is ``D + n`` days.
* Tasks that "have elapsed" run from ``day(-30)`` to ``day(-1)``, so their planned
  fraction p is 1; with pct 1.0 (done) or 0.0 (not started) EV and PV are whole numbers
  and SPI is an exact ratio of integers.
* Reasons are checked for their key word and numbers, not their full wording.
* v2 (a dimension without evidence is No data) has its own table in test_rag_v2.py; here
  the v1 cases hold wherever the tracker has evidence, and say No data where it has not.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from addin.core.domain import Rag, derived_severity, severity_of, worst
from addin.core.kinds import BudgetLine, Milestone, Project, RaidItem, Task
from addin.core.settings import Settings
from addin.core.tracker import Tracker
from addin.rag import (
    Assessment,
    Dimension,
    Dimensions,
    Metrics,
    ScheduleQuality,
    actual_cost,
    assess,
    conclude,
    cost_dimension,
    cpi,
    dimensions,
    eac,
    earned_value,
    measure,
    metric_rag,
    planned_fraction,
    risk_dimension,
    schedule_dimension,
    spi,
    thresholds,
    vac_pct,
)

FAST = hsettings(max_examples=150, deadline=None, derandomize=True)

D = dt.date(2026, 3, 31)
DEFAULT = Settings()
R, A, G, N = Rag.RED, Rag.AMBER, Rag.GREEN, Rag.NO_DATA
SEVERITY_RANK = {G: 0, A: 1, R: 2}  # written from the rules: Green > Amber > Red


def day(n: int) -> dt.date:
    return D + dt.timedelta(days=n)


def task(
    budget: float | None = None,
    pct: float | None = 0.0,
    start: dt.date | None = None,
    finish: dt.date | None = None,
    status: str | None = None,
    tid: str = "T",
) -> Task:
    """A task; by default one that has fully elapsed at D (30 days to D - 1: p = 1)."""
    return Task(
        task_id=tid,
        task_name="work",
        planned_start=start or day(-30),
        planned_finish=finish or day(-1),
        pct_complete=pct,
        budget=budget,
        status=status,
    )


def milestone(
    baseline: dt.date, forecast: dt.date | None, status: str | None = "On Track"
) -> Milestone:
    return Milestone(
        milestone_id="M",
        milestone="m",
        baseline_date=baseline,
        forecast_date=forecast,
        status=status,
    )


def line(period: dt.date, actual: float | None = None, forecast: float | None = None) -> BudgetLine:
    return BudgetLine(period=period, actual=actual, forecast=forecast)


def raid(
    type_: str | None = "Risk",
    status: str | None = "Open",
    severity: str | None = None,
    p: int | None = None,
    i: int | None = None,
    due: dt.date | None = None,
) -> RaidItem:
    return RaidItem(
        raid_id="R",
        type=type_,
        title="t",
        status=status,
        severity=severity,
        probability=p,
        impact=i,
        due=due,
    )


def tracker(
    tasks: Sequence[Task] = (),
    milestones: Sequence[Milestone] = (),
    lines: Sequence[BudgetLine] = (),
    items: Sequence[RaidItem] = (),
    **project: Any,
) -> Tracker:
    fields: dict[str, Any] = {"project_id": "PRJ-0001", "status_date": D}
    fields.update(project)
    return Tracker.build(
        Project(**fields),
        tasks=list(tasks),
        milestones=list(milestones),
        budget=list(lines),
        raid=list(items),
    )


def blank_metrics(**changes: Any) -> Metrics:
    """Metrics where every metric is none / zero, i.e. nothing triggers."""
    base = Metrics(
        status_date=D,
        pv=None,
        ev=None,
        spi=None,
        pct_complete=None,
        bac=None,
        ac=None,
        eac=None,
        cpi=None,
        vac_pct=None,
        max_slippage=None,
        overdue_milestones=0,
        finish_slip=None,
        open_critical=0,
        open_high=0,
        overdue_risks=0,
    )
    return dataclasses.replace(base, **changes)


_NUM = re.compile(r"\d+(?:\.\d+)?")


def _matches(reason: str, key: str, numbers: Sequence[str]) -> bool:
    return key.casefold() in reason.casefold() and not (
        Counter(numbers) - Counter(_NUM.findall(reason))
    )


def assert_reasons(reasons: Sequence[str], expected: Sequence[tuple[str, ...]]) -> None:
    """Each expected (key word, *numbers) is carried by its own reason, and nothing else is."""
    left = list(reasons)
    for key, *numbers in expected:
        hit = next((r for r in left if _matches(r, key, numbers)), None)
        assert hit is not None, f"no reason with {key!r} and {numbers} among {list(reasons)}"
        left.remove(hit)
    assert left == [], f"unexpected reasons {left} (expected {list(expected)})"


def rag_settings(**sections: Any) -> Settings:
    return Settings.model_validate({"rag": sections})


# --- planned fraction ------------------------------------------------------------------------

JAN = dt.date(2026, 1, 1)
JAN10 = dt.date(2026, 1, 10)


@pytest.mark.parametrize(
    ("start", "finish", "d", "expected"),
    [
        # 10-day task 1-10 Jan: p = (d - 1 Jan + 1) / 10, clamped to 0-1
        (JAN, JAN10, dt.date(2025, 12, 30), 0.0),  # (-2+1)/10 < 0 -> 0
        (JAN, JAN10, dt.date(2025, 12, 31), 0.0),  # (-1+1)/10 = 0
        (JAN, JAN10, JAN, 0.1),  # (0+1)/10
        (JAN, JAN10, dt.date(2026, 1, 5), 0.5),  # (4+1)/10
        (JAN, JAN10, dt.date(2026, 1, 9), 0.9),  # (8+1)/10
        (JAN, JAN10, JAN10, 1.0),  # (9+1)/10
        (JAN, JAN10, dt.date(2026, 2, 1), 1.0),  # 32/10 -> clamped to 1
        # one-day task: span 1
        (JAN, JAN, dt.date(2025, 12, 31), 0.0),
        (JAN, JAN, JAN, 1.0),
        # 4-day task 1-4 Jan at 2 Jan: (1+1)/4
        (JAN, dt.date(2026, 1, 4), dt.date(2026, 1, 2), 0.5),
    ],
)
def test_planned_fraction(start: dt.date, finish: dt.date, d: dt.date, expected: float) -> None:
    assert planned_fraction(start, finish, d) == pytest.approx(expected)


@FAST
@given(
    start=st.dates(dt.date(2000, 1, 1), dt.date(2040, 1, 1)),
    span=st.integers(0, 2000),
    d1=st.dates(dt.date(1999, 1, 1), dt.date(2046, 1, 1)),
    d2=st.dates(dt.date(1999, 1, 1), dt.date(2046, 1, 1)),
)
def test_planned_fraction_is_a_clamped_nondecreasing_fraction(
    start: dt.date, span: int, d1: dt.date, d2: dt.date
) -> None:
    finish = start + dt.timedelta(days=span)
    lo, hi = sorted((d1, d2))
    p_lo, p_hi = planned_fraction(start, finish, lo), planned_fraction(start, finish, hi)
    assert 0.0 <= p_lo <= p_hi <= 1.0
    assert planned_fraction(start, finish, finish) == 1.0
    assert planned_fraction(start, finish, start - dt.timedelta(days=1)) == 0.0


# --- earned value ------------------------------------------------------------------------------

T1 = (dt.date(2026, 3, 1), dt.date(2026, 3, 10))  # 10 days
T2 = (dt.date(2026, 3, 27), dt.date(2026, 4, 5))  # 10 days; at D: (4+1)/10 = 0.5
T3 = (dt.date(2026, 4, 6), dt.date(2026, 4, 30))  # 25 days, not started at D: p = 0


@pytest.mark.parametrize(
    ("budgets", "pcts", "cancelled", "expected"),
    [
        # By duration (no positive Budget): w = 10, 10, 25.
        # PV = 10*1 + 10*0.5 + 25*0 = 15; EV = 10*1 + 10*0.2 + 25*0 = 12; total 45
        ([None, None, None], [1.0, 0.2, 0.0], None, (15.0, 12.0, 45.0)),
        # Budgets all 0 -> still by duration
        ([0, 0, 0], [1.0, 0.2, 0.0], None, (15.0, 12.0, 45.0)),
        # By Budget: w = 300, 400, 300. PV = 300 + 200 + 0 = 500; EV = 300 + 100 + 0 = 400
        ([300, 400, 300], [1.0, 0.25, 0.0], None, (500.0, 400.0, 1000.0)),
        # One positive Budget -> by Budget, missing = 0: w = 0, 400, 0
        # PV = 400*0.5 = 200; EV = 400*0.25 = 100; total 400
        ([None, 400, None], [1.0, 0.25, 0.0], None, (200.0, 100.0, 400.0)),
        # Cancelled task (the first) left out: PV = 200, EV = 100, total 700
        ([300, 400, 300], [1.0, 0.25, 0.0], [True, False, False], (200.0, 100.0, 700.0)),
        # Cancelled + duration: w = 10 (T2), 25 (T3); PV = 5; EV = 10*0.2 = 2; total 35
        ([None, None, None], [1.0, 0.2, 0.0], [True, False, False], (5.0, 2.0, 35.0)),
        # v2: a blank % Complete (no Status to infer it from) is unknown progress, left out
        # of PV, EV and the total: only T2 counts: PV = 400*0.5 = 200, EV = 100, total 400
        ([300, 400, 300], [None, 0.25, None], None, (200.0, 100.0, 400.0)),
    ],
)
def test_earned_value(
    budgets: list[float | None],
    pcts: list[float | None],
    cancelled: list[bool] | None,
    expected: tuple[float, float, float],
) -> None:
    starts = [T1[0], T2[0], T3[0]]
    finishes = [T1[1], T2[1], T3[1]]
    ev = earned_value(budgets, starts, finishes, pcts, D, cancelled)
    assert (ev.pv, ev.ev, ev.total) == pytest.approx(expected)


def test_earned_value_spi_and_overall_pct() -> None:
    # PV 500, EV 400, total 1000 -> SPI 0.8, overall % complete 0.4
    ev = earned_value(
        [300, 400, 300], [T1[0], T2[0], T3[0]], [T1[1], T2[1], T3[1]], [1.0, 0.25, 0.0], D
    )
    assert (ev.spi, ev.pct_complete) == pytest.approx((0.8, 0.4))


@pytest.mark.parametrize(
    ("budgets", "starts", "finishes", "pcts", "expected"),
    [
        # every task starts after D: PV = 0 -> SPI none, even with progress reported
        ([None], [day(1)], [day(10)], [0.5], None),
        # no tasks at all
        ([], [], [], [], None),
        # 20-day elapsed task done 17/20 by duration: 2 tasks w=17 (done) and w=3 (not)
        ([None, None], [day(-17), day(-3)], [day(-1), day(-1)], [1.0, 0.0], 0.85),
    ],
)
def test_spi_function(
    budgets: list[float | None],
    starts: list[dt.date],
    finishes: list[dt.date],
    pcts: list[float | None],
    expected: float | None,
) -> None:
    assert spi(budgets, starts, finishes, pcts, D) == expected


@FAST
@given(
    rows=st.lists(
        st.tuples(
            st.integers(1, 10_000),  # budget
            st.integers(-60, 60),  # start offset
            st.integers(0, 90),  # span
            st.sampled_from([0.0, 0.25, 0.5, 1.0]),
        ),
        min_size=1,
        max_size=6,
    ),
    k=st.integers(2, 1000),
)
def test_spi_is_invariant_when_every_budget_is_scaled(
    rows: list[tuple[int, int, int, float]], k: int
) -> None:
    starts = [day(s) for _, s, _, _ in rows]
    finishes = [day(s + n) for _, s, n, _ in rows]
    pcts = [p for *_, p in rows]
    one = spi([b for b, *_ in rows], starts, finishes, pcts, D)
    many = spi([b * k for b, *_ in rows], starts, finishes, pcts, D)
    assert (one is None) == (many is None)
    if one is not None:
        assert many == pytest.approx(one)


# --- cost metrics ------------------------------------------------------------------------------

FEB1, MAR1, APR1 = dt.date(2026, 2, 1), dt.date(2026, 3, 1), dt.date(2026, 4, 1)


@pytest.mark.parametrize(
    ("d", "ac", "eac_value"),
    [
        # d = 1 Mar: Feb and Mar have first day <= d -> AC = 100 + 200 = 300;
        # EAC = 300 + Apr forecast 40 = 340
        (MAR1, 300.0, 340.0),
        # d = 28 Feb: only Feb -> AC = 100; EAC = 100 + 20 + 40 = 160
        (dt.date(2026, 2, 28), 100.0, 160.0),
        # d before every period: AC = 0; EAC = 10 + 20 + 40 = 70
        (dt.date(2026, 1, 15), 0.0, 70.0),
        # d after every period: AC = 600; EAC = 600
        (dt.date(2026, 4, 30), 600.0, 600.0),
    ],
)
def test_actual_cost_and_eac(d: dt.date, ac: float, eac_value: float) -> None:
    periods = [FEB1, MAR1, APR1]
    actuals = [100.0, 200.0, 300.0]
    forecasts = [10.0, 20.0, 40.0]
    assert actual_cost(periods, actuals, d) == ac
    assert eac(periods, actuals, forecasts, d) == eac_value


def test_blank_actuals_and_forecasts_count_as_nothing() -> None:
    # AC = 100 + 0; EAC = 100 + 0 (blank Apr forecast)
    assert actual_cost([FEB1, MAR1], [100.0, None], MAR1) == 100.0
    assert eac([FEB1, MAR1, APR1], [100.0, None, None], [5.0, 5.0, None], MAR1) == 100.0


def test_money_in_cents_sums_without_float_noise() -> None:
    # 0.10 + 0.20 is 0.30000000000000004 in plain float arithmetic
    months = [FEB1, MAR1, APR1]
    assert actual_cost(months[:2], [0.10, 0.20], MAR1) == 0.30
    assert eac(months, [0.10, 0.20, None], [0.0, 0.0, 0.70], MAR1) == 1.00
    cents = [112_549.37, 98_311.02, 140_777.45, 131_002.18, 125_950.77, 119_001.60]
    assert actual_cost([FEB1] * 6, cents, MAR1) == 727_592.39


@pytest.mark.parametrize(
    ("bac", "pct", "ac", "expected"),
    [
        (1000.0, 0.5, 400.0, 1.25),  # 1000*0.5/400
        (1000.0, 0.4, 500.0, 0.8),  # 1000*0.4/500
        (1000.0, 0.5, 0.0, None),  # AC = 0 -> none
        (1000.0, 0.5, None, None),  # no AC (no Budget rows) -> none
        (None, 0.5, 400.0, None),  # no BAC
        (1000.0, None, 400.0, None),  # no % complete
        (0.0, 0.5, 400.0, 0.0),  # BAC 0 -> 0*0.5/400
    ],
)
def test_cpi(
    bac: float | None, pct: float | None, ac: float | None, expected: float | None
) -> None:
    assert cpi(bac, pct, ac) == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize(
    ("eac_value", "bac", "expected"),
    [
        (1100.0, 1000.0, 0.1),  # (1100-1000)/1000
        (900.0, 1000.0, -0.1),
        (1000.0, 1000.0, 0.0),
        (1000.0, 0.0, None),  # BAC 0 -> none
        (1000.0, None, None),
        (None, 1000.0, None),
    ],
)
def test_vac_pct(eac_value: float | None, bac: float | None, expected: float | None) -> None:
    assert vac_pct(eac_value, bac) == (pytest.approx(expected) if expected is not None else None)


# --- severity --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("p", "i", "expected"),
    [
        (5, 5, "Critical"),  # 25
        (5, 4, "Critical"),  # 20 >= 20
        (4, 5, "Critical"),
        (4, 4, "High"),  # 16
        (3, 5, "High"),  # 15
        (4, 3, "High"),  # 12 >= 12
        (3, 4, "High"),
        (2, 5, "Medium"),  # 10
        (3, 3, "Medium"),  # 9
        (2, 3, "Medium"),  # 6 >= 6
        (1, 5, "Low"),  # 5
        (1, 1, "Low"),
        (None, 5, None),
        (5, None, None),
    ],
)
def test_derived_severity(p: int | None, i: int | None, expected: str | None) -> None:
    assert derived_severity(p, i, DEFAULT.rag.severity) == expected


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (raid(severity="Low", p=5, i=5), "Low"),  # stated severity wins
        (raid(severity="Critical", p=1, i=1), "Critical"),
        (raid(p=4, i=3), "High"),  # blank -> derived from 12
        (raid(), None),  # nothing to derive from
    ],
)
def test_severity_of(item: RaidItem, expected: str | None) -> None:
    scores = DEFAULT.rag.severity
    assert severity_of(item.severity, item.probability, item.impact, scores) == expected


# --- thresholds and metric RAG ---------------------------------------------------------------


def test_thresholds_are_the_rules_v1_defaults() -> None:
    assert {
        m: thresholds(m, DEFAULT.rag)
        for m in ("spi", "cpi", "vac_pct", "slippage_days", "finish_slip_days")
    } == {
        "spi": (0.85, 0.95),
        "cpi": (0.85, 0.95),
        "vac_pct": (0.10, 0.05),
        "slippage_days": (30, 10),
        "finish_slip_days": (30, 10),
    }


def test_thresholds_unknown_metric() -> None:
    with pytest.raises(KeyError):
        thresholds("velocity", DEFAULT.rag)


@pytest.mark.parametrize(
    ("metric", "value", "expected"),
    [
        # SPI: Red when < 0.85, Amber when < 0.95
        ("spi", 0.0, R),
        ("spi", 0.84, R),
        ("spi", 0.8499, R),
        ("spi", 0.85, A),  # not < 0.85
        ("spi", 0.86, A),
        ("spi", 0.9499, A),
        ("spi", 0.95, G),  # not < 0.95
        ("spi", 1.2, G),
        ("spi", None, N),  # v2: no value is no evidence
        # CPI: same thresholds
        ("cpi", 0.84, R),
        ("cpi", 0.85, A),
        ("cpi", 0.94, A),
        ("cpi", 0.95, G),
        ("cpi", None, N),
        # VAC %: Red when > 10 %, Amber when > 5 %
        ("vac_pct", 0.11, R),
        ("vac_pct", 0.1001, R),
        ("vac_pct", 0.10, A),  # not > 10 %
        ("vac_pct", 0.06, A),
        ("vac_pct", 0.0501, A),
        ("vac_pct", 0.05, G),  # not > 5 %
        ("vac_pct", 0.0, G),
        ("vac_pct", -0.3, G),
        ("vac_pct", None, N),
        # slippage days: Red when > 30, Amber when > 10
        ("slippage_days", 31, R),
        ("slippage_days", 30, A),
        ("slippage_days", 11, A),
        ("slippage_days", 10, G),
        ("slippage_days", 0, G),
        ("slippage_days", -5, G),
        ("slippage_days", None, N),
        # finish slip days: same
        ("finish_slip_days", 31, R),
        ("finish_slip_days", 30, A),
        ("finish_slip_days", 11, A),
        ("finish_slip_days", 10, G),
        ("finish_slip_days", None, N),
    ],
)
def test_metric_rag_at_and_around_thresholds(
    metric: str, value: float | None, expected: Rag
) -> None:
    assert metric_rag(metric, value, DEFAULT.rag) is expected


@FAST
@given(
    metric=st.sampled_from(["spi", "cpi", "vac_pct", "slippage_days", "finish_slip_days"]),
    a=st.floats(-100, 100, allow_nan=False),
    b=st.floats(-100, 100, allow_nan=False),
)
def test_metric_rag_is_monotone(metric: str, a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    lower_is_worse = metric in ("spi", "cpi")
    r_lo = SEVERITY_RANK[metric_rag(metric, lo, DEFAULT.rag)]
    r_hi = SEVERITY_RANK[metric_rag(metric, hi, DEFAULT.rag)]
    assert (r_lo >= r_hi) if lower_is_worse else (r_lo <= r_hi)


@pytest.mark.parametrize(
    ("rags", "expected"),
    [
        ((), N),  # v2: nothing known
        ((N,), N),
        ((N, N, N), N),
        ((G, N), G),  # No data neither improves nor worsens what is known
        ((N, A, N), A),
        ((R, N, G), R),
        ((G,), G),
        ((G, G, G), G),
        ((G, A, G), A),
        ((A, A), A),
        ((G, R, A), R),
        ((R, G), R),
        ((A, R), R),
    ],
)
def test_worst(rags: tuple[Rag, ...], expected: Rag) -> None:
    assert worst(rags) is expected


# --- dimensions from metrics ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected", "reasons"),
    [
        ({}, N, [("no tasks",)]),  # v2: no evidence at all
        ({"spi": 0.81}, R, [("SPI", "0.81", "0.85")]),
        ({"spi": 0.85}, A, [("SPI", "0.85", "0.95")]),
        ({"spi": 0.95}, G, None),
        ({"overdue_milestones": 1}, R, [("overdue", "1")]),
        ({"overdue_milestones": 2}, R, [("overdue", "2")]),
        ({"max_slippage": 31}, R, [("slip", "31", "30")]),
        ({"max_slippage": 30}, A, [("slip", "30", "10")]),
        ({"max_slippage": 11}, A, [("slip", "11", "10")]),
        ({"max_slippage": 10}, G, None),
        ({"finish_slip": 31}, R, [("finish", "31", "30")]),
        ({"finish_slip": 30}, A, [("finish", "30", "10")]),
        ({"finish_slip": 10}, G, None),
        # Red with Amber-level evidence alongside
        ({"spi": 0.7, "max_slippage": 12}, R, [("SPI", "0.70", "0.85"), ("slip", "12", "10")]),
        (
            {"spi": 0.9, "max_slippage": 20, "finish_slip": 15},
            A,
            [("SPI", "0.90", "0.95"), ("milestone", "20", "10"), ("finish", "15", "10")],
        ),
    ],
)
def test_schedule_dimension(
    changes: dict[str, Any], expected: Rag, reasons: list[tuple[str, ...]] | None
) -> None:
    dim = schedule_dimension(blank_metrics(**changes), DEFAULT.rag)
    assert dim.rag is expected
    if reasons is not None:
        assert_reasons(dim.reasons, reasons)


@pytest.mark.parametrize(
    ("changes", "expected", "reasons"),
    [
        ({}, N, [("no Budget",)]),  # v2: no evidence at all
        ({"vac_pct": 0.11}, R, [("VAC", "11.0", "10")]),
        ({"vac_pct": 0.10}, A, [("VAC", "10.0", "5")]),
        ({"vac_pct": 0.05, "bac": 1000.0, "cost_lines": 1}, G, None),
        ({"cpi": 0.81}, R, [("CPI", "0.81", "0.85")]),
        ({"cpi": 0.85}, A, [("CPI", "0.85", "0.95")]),
        ({"cpi": 0.95, "bac": 1000.0}, G, None),
        ({"vac_pct": 0.2, "cpi": 0.9}, R, [("VAC", "20.0", "10"), ("CPI", "0.90", "0.95")]),
    ],
)
def test_cost_dimension(
    changes: dict[str, Any], expected: Rag, reasons: list[tuple[str, ...]] | None
) -> None:
    dim = cost_dimension(blank_metrics(**changes), DEFAULT.rag)
    assert dim.rag is expected
    if reasons is not None:
        assert_reasons(dim.reasons, reasons)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, N),  # v2: no RAID table found
        ({"raid_found": True}, G),
        ({"open_critical": 1}, R),
        ({"open_high": 3}, R),
        ({"open_high": 2, "open_critical": 1}, R),
        ({"open_high": 2}, A),
        ({"open_high": 1}, A),
        ({"overdue_risks": 1}, A),
        ({"overdue_risks": 4}, A),
    ],
)
def test_risk_dimension(changes: dict[str, Any], expected: Rag) -> None:
    assert risk_dimension(blank_metrics(**changes), DEFAULT.rag).rag is expected


@pytest.mark.parametrize(
    ("dimension", "changes"),
    [
        # Spec: reasons in words so an analyst can defend the RAG ("SPI 0.81 < 0.85").
        # A value just under a threshold must not read as e.g. "SPI 0.85 < 0.85".
        (schedule_dimension, {"spi": 0.849}),
        (schedule_dimension, {"spi": 0.9499}),
        (cost_dimension, {"cpi": 0.849}),
        (cost_dimension, {"cpi": 0.9499}),
        (cost_dimension, {"vac_pct": 0.10004}),
        (cost_dimension, {"vac_pct": 0.05004}),
    ],
)
def test_reason_numbers_hold_as_shown(dimension: Any, changes: dict[str, Any]) -> None:
    dim = dimension(blank_metrics(**changes), DEFAULT.rag)
    assert dim.rag is not G
    for reason in dim.reasons:
        shown, bound = (float(x) for x in _NUM.findall(reason)[:2])
        assert (shown < bound) if "<" in reason else (shown > bound), reason


# --- whole tracker: every metric, hand-computed ------------------------------------------------


def full_tracker(reported: str | None = "Amber") -> Tracker:
    return tracker(
        tasks=[
            # T1 1-10 Mar, budget 300, done, p = 1          -> PV 300, EV 300
            task(300, 1.0, *T1, status="Complete", tid="T1"),
            # T2 27 Mar-5 Apr (10 d), budget 400, 25 %, p = 5/10 -> PV 200, EV 100
            task(400, 0.25, *T2, status="In Progress", tid="T2"),
            # T3 from 6 Apr, budget 300, p = 0               -> PV 0, EV 0
            task(300, 0.0, *T3, status="Not Started", tid="T3"),
            # T4 Cancelled: left out entirely (else PV would grow by 500)
            task(500, 0.0, dt.date(2026, 3, 1), D, status="Cancelled", tid="T4"),
        ],
        # PV 500, EV 400, total weight 1000 -> SPI 0.8, overall % complete 0.4
        lines=[
            line(FEB1, 200, 150),  # first day <= D: actual 200 counts, forecast not
            line(MAR1, 300, 250),  # first day <= D: actual 300 counts, forecast not
            line(APR1, None, 400),  # after D: forecast 400 counts
            line(dt.date(2026, 5, 1), None, 250),  # after D: forecast 250 counts
        ],
        # AC = 500; EAC = 500 + 650 = 1150; CPI = 1000 * 0.4 / 500 = 0.8;
        # VAC % = (1150 - 1000) / 1000 = 0.15
        milestones=[
            milestone(dt.date(2026, 3, 15), dt.date(2026, 3, 20), "Achieved"),  # ignored
            milestone(dt.date(2026, 4, 10), dt.date(2026, 4, 22)),  # slip 12, not overdue
            milestone(dt.date(2026, 3, 25), dt.date(2026, 3, 28), "Late"),  # slip 3, overdue
        ],
        items=[
            raid("Risk", "Open", p=5, i=4),  # 5*4 = 20 -> Critical
            raid("Issue", "Mitigating", "High", due=dt.date(2026, 3, 30)),  # High, past due
            raid("Risk", "Closed", "Critical", due=dt.date(2026, 1, 1)),  # closed: nothing
            raid("Assumption", "Open", "Critical", due=dt.date(2026, 1, 1)),  # not risk/issue
            raid("Risk", "Open", "Medium", due=dt.date(2026, 4, 15)),  # not yet due
        ],
        budget=1000.0,
        baseline_finish=dt.date(2026, 6, 30),
        forecast_finish=dt.date(2026, 7, 15),  # finish slip 15
        reported_rag=reported,
    )


FULL_METRICS = Metrics(
    status_date=D,
    pv=500.0,
    ev=400.0,
    spi=0.8,
    pct_complete=0.4,
    bac=1000.0,
    ac=500.0,
    eac=1150.0,
    cpi=0.8,
    vac_pct=0.15,
    max_slippage=12,
    overdue_milestones=1,
    finish_slip=15,
    open_critical=1,
    open_high=1,
    overdue_risks=1,
    # v2 evidence: taken at D; 3 tasks planned (T4 Cancelled), all of known progress;
    # 3 milestones with Baseline and Forecast; 4 budget lines with a value; a RAID table
    judged_on=D,
    tasks_planned=3,
    progress_unknown=0,
    unknown_weight=0.0,
    milestones_dated=3,
    cost_lines=4,
    raid_found=True,
    # schedule quality at D: BEI = 1 done (T1) / 1 due by D (T1) = 1.0; nothing finished
    # (no Actual Finish) -> missed none; incomplete T2 (27 Mar-5 Apr: 6 working days) and
    # T3 (6-30 Apr: 19) -> none over 44 -> 0.0; no actuals, neither due before D -> 0
    # invalid; neither has an Owner -> 100 % unassigned, the one warning
    quality=ScheduleQuality(
        bei=1.0,
        missed_tasks_pct=None,
        high_duration_pct=0.0,
        invalid_dates=0,
        unassigned_pct=1.0,
        warnings=("unassigned 100 % > 0 %",),
    ),
)


def _approx_metrics(m: Metrics) -> dict[str, Any]:
    return {
        k: pytest.approx(v) if isinstance(v, float) else v for k, v in dataclasses.asdict(m).items()
    }


def test_measure_every_metric_of_a_tracker() -> None:
    assert dataclasses.asdict(measure(full_tracker(), DEFAULT)) == _approx_metrics(FULL_METRICS)


def test_assess_a_whole_tracker() -> None:
    a = assess(full_tracker("Amber"), DEFAULT, as_of=D)
    assert isinstance(a, Assessment)
    assert dataclasses.asdict(a.metrics) == _approx_metrics(FULL_METRICS)
    assert (a.schedule.rag, a.cost.rag, a.risk.rag, a.overall) == (R, R, R, R)
    assert (a.reported, a.stale, a.stale_days, a.optimism) == (A, False, 0, True)
    assert_reasons(
        a.schedule.reasons,
        [
            ("SPI", "0.80", "0.85"),
            ("overdue", "1"),
            ("milestone", "12", "10"),
            ("finish", "15", "10"),
        ],
    )
    assert_reasons(a.cost.reasons, [("VAC", "15.0", "10"), ("CPI", "0.80", "0.85")])
    assert_reasons(a.risk.reasons, [("Critical", "1"), ("due", "1")])


def test_dimensions_then_conclude_equals_assess() -> None:
    dims = dimensions(full_tracker(), DEFAULT)
    assert isinstance(dims, Dimensions)
    assert conclude(dims, "Amber", DEFAULT, D) == assess(full_tracker(), DEFAULT, as_of=D)


# --- Schedule from trackers --------------------------------------------------------------------


def _spi_tracker(done: int, rest: int, *, by_budget: bool = True) -> Tracker:
    """Two elapsed tasks (p = 1): one done, one not started.

    By budget: weights ``done`` and ``rest``; by duration: tasks of ``done`` and ``rest``
    days. Either way PV = done + rest and EV = done, so SPI = done / (done + rest).
    """
    if by_budget:
        return tracker(tasks=[task(done, 1.0), task(rest, 0.0)])
    return tracker(
        tasks=[
            task(None, 1.0, day(-done), day(-1)),
            task(None, 0.0, day(-rest), day(-1)),
        ]
    )


@pytest.mark.parametrize(
    ("done", "rest", "by_budget", "expected", "reasons"),
    [
        (81, 19, True, R, [("SPI", "0.81", "0.85")]),  # 81/100
        (84, 16, True, R, [("SPI", "0.84", "0.85")]),  # 84/100
        (85, 15, True, A, [("SPI", "0.85", "0.95")]),  # 85/100: not < 0.85
        (88, 12, True, A, [("SPI", "0.88", "0.95")]),
        (94, 6, True, A, [("SPI", "0.94", "0.95")]),
        (95, 5, True, G, None),  # 95/100: not < 0.95
        (100, 0, True, G, None),
        (17, 3, False, A, [("SPI", "0.85", "0.95")]),  # by duration: 17/20
        (21, 4, False, R, [("SPI", "0.84", "0.85")]),  # by duration: 21/25
        (19, 1, False, G, None),  # by duration: 19/20 = 0.95
    ],
)
def test_schedule_rag_from_spi(
    done: int, rest: int, by_budget: bool, expected: Rag, reasons: list[tuple[str, ...]] | None
) -> None:
    a = assess(_spi_tracker(done, rest, by_budget=by_budget), DEFAULT, as_of=D)
    assert a.metrics.spi == pytest.approx(done / (done + rest))
    assert a.schedule.rag is expected
    if reasons is not None:
        assert_reasons(a.schedule.reasons, reasons)


@pytest.mark.parametrize(
    ("pct", "spi_value", "expected"),
    [
        # one task 27 Mar-5 Apr (10 d), p = 5/10 = 0.5, budget 200: PV = 100
        (0.5, 1.0, G),  # EV 100 -> 1.0
        (0.45, 0.9, A),  # EV 90 -> 0.9
        (0.4, 0.8, R),  # EV 80 -> 0.8
    ],
)
def test_schedule_uses_the_planned_fraction(pct: float, spi_value: float, expected: Rag) -> None:
    a = assess(tracker(tasks=[task(200, pct, *T2)]), DEFAULT, as_of=D)
    assert (a.metrics.pv, a.metrics.ev, a.metrics.spi) == pytest.approx(
        (100.0, 200 * pct, spi_value)
    )
    assert a.schedule.rag is expected


@pytest.mark.parametrize(
    "tasks",
    [
        [],  # no tasks: no PV
        [task(100, 0.3, day(1), day(10))],  # starts tomorrow: PV = 0, progress or not
        [task(100, 0.0, day(-5), day(5), status="Cancelled")],  # only a Cancelled task
    ],
)
def test_spi_none_is_no_data(tasks: list[Task]) -> None:
    # v1: "none triggers nothing" (Green); v2: with no milestone or finish dates either,
    # Schedule has no evidence: No data
    a = assess(tracker(tasks=tasks), DEFAULT, as_of=D)
    assert (a.metrics.spi, a.schedule.rag) == (None, N)


@pytest.mark.parametrize(
    ("slips", "expected", "reasons"),
    [
        # milestones well ahead (baseline 30 Apr), so none is overdue
        ([10], G, None),
        ([11], A, [("milestone", "11", "10")]),
        ([30], A, [("milestone", "30", "10")]),  # not > 30
        ([31], R, [("milestone", "31", "30")]),
        ([5, 31, 12], R, [("milestone", "31", "30")]),  # the max counts
        ([-20, 3], G, None),  # early is fine
    ],
)
def test_schedule_rag_from_milestone_slippage(
    slips: list[int], expected: Rag, reasons: list[tuple[str, ...]] | None
) -> None:
    base = day(30)
    t = tracker(milestones=[milestone(base, base + dt.timedelta(days=s)) for s in slips])
    a = assess(t, DEFAULT, as_of=D)
    assert (a.metrics.max_slippage, a.metrics.overdue_milestones) == (max(slips), 0)
    assert a.schedule.rag is expected
    if reasons is not None:
        assert_reasons(a.schedule.reasons, reasons)


@pytest.mark.parametrize(
    ("ms", "overdue", "max_slip", "expected"),
    [
        # forecast before D, not Achieved -> overdue -> Red even with no slippage
        (milestone(day(-1), day(-1), "On Track"), 1, 0, R),
        (milestone(day(-10), day(-3), None), 1, 7, R),
        # forecast on D is not "before D"
        (milestone(D, D, "On Track"), 0, 0, G),
        # Achieved milestones are neither overdue nor slipping
        (milestone(day(-100), day(-1), "Achieved"), 0, None, G),
        (milestone(day(10), day(200), "Achieved"), 0, None, G),
    ],
)
def test_schedule_rag_from_overdue_milestones(
    ms: Milestone, overdue: int, max_slip: int | None, expected: Rag
) -> None:
    a = assess(tracker(milestones=[ms]), DEFAULT, as_of=D)
    assert (a.metrics.overdue_milestones, a.metrics.max_slippage) == (overdue, max_slip)
    assert a.schedule.rag is expected
    if expected is R:
        assert_reasons(a.schedule.reasons, [("overdue", "1")])


@pytest.mark.parametrize(
    ("slip", "expected", "reasons"),
    [
        (-15, G, None),
        (0, G, None),
        (10, G, None),
        (11, A, [("finish", "11", "10")]),
        (30, A, [("finish", "30", "10")]),  # not > 30
        (31, R, [("finish", "31", "30")]),
    ],
)
def test_schedule_rag_from_finish_slip(
    slip: int, expected: Rag, reasons: list[tuple[str, ...]] | None
) -> None:
    baseline = dt.date(2026, 9, 30)
    t = tracker(baseline_finish=baseline, forecast_finish=baseline + dt.timedelta(days=slip))
    a = assess(t, DEFAULT, as_of=D)
    assert (a.metrics.finish_slip, a.schedule.rag) == (slip, expected)
    if reasons is not None:
        assert_reasons(a.schedule.reasons, reasons)


# --- Cost from trackers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("forecast", "vac", "expected", "reasons"),
    [
        # BAC 1000; AC = 600 (Mar, <= D); EAC = 600 + Apr forecast
        (0, -0.4, G, None),  # EAC 600
        (450, 0.05, G, None),  # EAC 1050: 5 % is not > 5 %
        (451, 0.051, A, [("VAC", "5.1", "5")]),  # EAC 1051
        (500, 0.10, A, [("VAC", "10.0", "5")]),  # EAC 1100: 10 % is not > 10 %
        (501, 0.101, R, [("VAC", "10.1", "10")]),  # EAC 1101
        (700, 0.3, R, [("VAC", "30.0", "10")]),  # EAC 1300
    ],
)
def test_cost_rag_from_vac(
    forecast: float, vac: float, expected: Rag, reasons: list[tuple[str, ...]] | None
) -> None:
    # no tasks -> no % complete -> CPI none, so only VAC can trigger
    t = tracker(
        lines=[line(MAR1, 600, 999), line(APR1, 777, forecast)],  # Mar forecast, Apr actual ignored
        budget=1000.0,
    )
    a = assess(t, DEFAULT, as_of=D)
    assert (a.metrics.ac, a.metrics.eac, a.metrics.cpi) == (600.0, 600.0 + forecast, None)
    assert a.metrics.vac_pct == pytest.approx(vac)
    assert a.cost.rag is expected
    if reasons is not None:
        assert_reasons(a.cost.reasons, reasons)


@pytest.mark.parametrize(
    ("done", "expected", "reasons"),
    [
        # BAC 1000, AC 1000 and EAC 1000 (VAC 0); tasks by budget done/100 -> % complete
        # done/100, CPI = 1000 * done/100 / 1000 = done/100
        (50, R, [("CPI", "0.50", "0.85")]),
        (84, R, [("CPI", "0.84", "0.85")]),
        (85, A, [("CPI", "0.85", "0.95")]),  # not < 0.85
        (94, A, [("CPI", "0.94", "0.95")]),
        (95, G, None),  # not < 0.95
        (100, G, None),
    ],
)
def test_cost_rag_from_cpi(done: int, expected: Rag, reasons: list[tuple[str, ...]] | None) -> None:
    t = tracker(
        tasks=[task(done, 1.0), task(100 - done, 0.0)],
        lines=[line(MAR1, 1000, None)],
        budget=1000.0,
    )
    a = assess(t, DEFAULT, as_of=D)
    assert (a.metrics.cpi, a.metrics.vac_pct) == pytest.approx((done / 100, 0.0))
    assert a.cost.rag is expected
    if reasons is not None:
        assert_reasons(a.cost.reasons, reasons)


@pytest.mark.parametrize(
    ("t", "metrics", "expected"),
    [
        # no Budget rows: no AC, no EAC -> no CPI, no VAC -> nothing triggers; v2: and no
        # evidence, so No data (v1 said Green), however far behind
        (
            tracker(tasks=[task(10, 0.0), task(90, 0.0)], budget=1000.0),
            {"ac": None, "eac": None, "cpi": None, "vac_pct": None},
            N,
        ),
        # Budget rows but nothing spent yet: AC = 0 -> CPI none; EAC = 900 -> VAC -10 %
        (
            tracker(
                tasks=[task(10, 0.0), task(90, 0.0)],
                lines=[line(MAR1, 0, None), line(APR1, None, 900)],
                budget=1000.0,
            ),
            {"ac": 0.0, "eac": 900.0, "cpi": None, "vac_pct": pytest.approx(-0.1)},
            G,  # BAC and budget lines with values: evidence; VAC -10 % is Green
        ),
        # BAC blank: no VAC, no CPI, even with heavy spend; v2: no BAC, No data
        (
            tracker(tasks=[task(10, 0.0)], lines=[line(MAR1, 5000, None)]),
            {"ac": 5000.0, "eac": 5000.0, "cpi": None, "vac_pct": None},
            N,
        ),
    ],
)
def test_cost_metric_none_triggers_nothing(
    t: Tracker, metrics: dict[str, Any], expected: Rag
) -> None:
    a = assess(t, DEFAULT, as_of=D)
    assert {k: getattr(a.metrics, k) for k in metrics} == metrics
    assert a.cost.rag is expected


def test_bac_zero_gives_no_vac() -> None:
    # BAC 0 -> VAC none; CPI = 0 * 0.5 / 100 = 0 (the rules only make CPI none when AC = 0)
    t = tracker(tasks=[task(50, 1.0), task(50, 0.0)], lines=[line(MAR1, 100, None)], budget=0.0)
    m = assess(t, DEFAULT, as_of=D).metrics
    assert (m.vac_pct, m.cpi) == (None, 0.0)


# --- Risk from trackers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "counts", "expected", "reasons"),
    [
        ([], (0, 0, 0), G, None),
        # any open Critical risk/issue -> Red
        ([raid("Risk", "Open", "Critical")], (1, 0, 0), R, [("Critical", "1")]),
        ([raid("Issue", "Open", "Critical")], (1, 0, 0), R, [("Critical", "1")]),
        ([raid("Risk", "Mitigating", "Critical")], (1, 0, 0), R, [("Critical", "1")]),
        # Closed items do not count
        ([raid("Risk", "Closed", "Critical")], (0, 0, 0), G, None),
        ([raid("Issue", "Closed", "High", due=day(-30))], (0, 0, 0), G, None),
        # Assumptions and Dependencies do not count for risk
        ([raid("Assumption", "Open", "Critical")], (0, 0, 0), G, None),
        ([raid("Dependency", "Open", "High", due=day(-3))], (0, 0, 0), G, None),
        # >= 3 open High-or-Critical -> Red; 1 or 2 open High -> Amber
        ([raid(severity="High")] * 3, (0, 3, 0), R, [("High", "3")]),
        ([raid(severity="High")] * 2, (0, 2, 0), A, [("High", "2")]),
        ([raid(severity="High")], (0, 1, 0), A, [("High", "1")]),
        (
            [raid(severity="High"), raid("Issue", severity="High"), raid(severity="Critical")],
            (1, 2, 0),
            R,
            [("Critical", "1"), ("High", "3")],
        ),
        ([raid(severity="Medium")] * 5, (0, 0, 0), G, None),
        ([raid(severity="Low")] * 5, (0, 0, 0), G, None),
        # severity derived from Probability x Impact when blank
        ([raid(p=5, i=4)], (1, 0, 0), R, [("Critical", "1")]),  # 20
        ([raid(p=4, i=3)], (0, 1, 0), A, [("High", "1")]),  # 12
        ([raid(p=2, i=5)], (0, 0, 0), G, None),  # 10 Medium
        ([raid(severity="Low", p=5, i=5)], (0, 0, 0), G, None),  # stated wins
        # an open risk/issue with Due < d -> Amber; Due = d is not past
        ([raid(severity="Low", due=day(-1))], (0, 0, 1), A, [("due", "1")]),
        ([raid("Issue", "Mitigating", "Medium", due=day(-1))], (0, 0, 1), A, [("due", "1")]),
        ([raid(severity="Low", due=D)], (0, 0, 0), G, None),
        ([raid(severity="Low", due=day(1))], (0, 0, 0), G, None),
        ([raid("Assumption", "Open", "Low", due=day(-1))], (0, 0, 0), G, None),
        (
            [raid(severity="High", due=day(-2)), raid(severity="Low", due=day(-9))],
            (0, 1, 2),
            A,
            [("High", "1"), ("due", "2")],
        ),
    ],
)
def test_risk_rag(
    items: list[RaidItem],
    counts: tuple[int, int, int],
    expected: Rag,
    reasons: list[tuple[str, ...]] | None,
) -> None:
    a = assess(tracker(items=items), DEFAULT, as_of=D)
    m = a.metrics
    assert (m.open_critical, m.open_high, m.overdue_risks) == counts
    assert a.risk.rag is expected
    if reasons is not None:
        assert_reasons(a.risk.reasons, reasons)


# --- Overall, stale, optimism ------------------------------------------------------------------


def three(s: Rag, c: Rag, r: Rag, metrics: Metrics | None = None) -> Dimensions:
    """Dimensions with these Schedule, Cost and Risk RAGs."""
    judged = (("Schedule", Dimension(s)), ("Cost", Dimension(c)), ("Risk", Dimension(r)))
    return Dimensions(metrics or blank_metrics(), judged)


def evidenced(slips: Sequence[int] = (0,), **project: Any) -> Tracker:
    """A tracker with evidence for every dimension: milestones far ahead slipping ``slips``
    days, a Budget and a budget line (VAC -90 %: Green), an empty RAID log (Green)."""
    return tracker(
        milestones=[milestone(day(100), day(100 + s)) for s in slips],
        lines=[line(MAR1, 100, None)],
        budget=1000.0,
        **project,
    )


@pytest.mark.parametrize(("s", "c", "r"), list(itertools.product((R, A, G), repeat=3)))
def test_overall_is_the_worst_dimension(s: Rag, c: Rag, r: Rag) -> None:
    dims = three(s, c, r)
    expected = R if R in (s, c, r) else A if A in (s, c, r) else G
    assert conclude(dims, None, DEFAULT, D).overall is expected


@pytest.mark.parametrize(
    ("age", "base", "stale", "overall"),
    [
        (0, G, False, G),
        (14, G, False, G),  # exactly 14 days is not stale
        (15, G, True, A),  # > 14 -> at least Amber
        (15, A, True, A),
        (15, R, True, R),  # already worse: stays Red
        (90, G, True, A),
    ],
)
def test_stale(age: int, base: Rag, stale: bool, overall: Rag) -> None:
    # base Schedule RAG from slippage: G 0 d, A 20 d, R 40 d (milestones far ahead)
    slip = {G: [0], A: [20], R: [40]}[base]
    a = assess(evidenced(slip), DEFAULT, as_of=day(age))
    assert (a.stale, a.stale_days, a.overall) == (stale, age, overall)
    assert any(_matches(r, "stale", [str(age), "14"]) for r in a.reasons) is stale


@pytest.mark.parametrize(
    ("reported", "overall", "optimism"),
    [
        ("Green", G, False),
        ("Green", A, True),
        ("Green", R, True),
        ("Amber", G, False),
        ("Amber", A, False),
        ("Amber", R, True),
        ("Red", G, False),
        ("Red", A, False),
        ("Red", R, False),
        (None, R, False),
    ],
)
def test_optimism(reported: str | None, overall: Rag, optimism: bool) -> None:
    a = conclude(three(overall, G, G), reported, DEFAULT, D)
    assert (a.overall, a.optimism) == (overall, optimism)


def test_stale_green_report_is_optimistic() -> None:
    # All dimensions Green, but 20 days old -> Overall Amber; reported Green is optimism
    a = assess(evidenced(reported_rag="Green"), DEFAULT, as_of=day(20))
    assert (a.schedule.rag, a.cost.rag, a.risk.rag) == (G, G, G)
    assert (a.overall, a.stale, a.reported, a.optimism) == (A, True, G, True)


@FAST
@given(
    s=st.sampled_from([R, A, G]),
    c=st.sampled_from([R, A, G]),
    r=st.sampled_from([R, A, G]),
    age=st.integers(0, 60),
    reported=st.sampled_from(["Red", "Amber", "Green", None]),
)
def test_overall_is_never_better_than_a_dimension(
    s: Rag, c: Rag, r: Rag, age: int, reported: str | None
) -> None:
    a = conclude(three(s, c, r), reported, DEFAULT, day(age))
    assert all(SEVERITY_RANK[a.overall] >= SEVERITY_RANK[x] for x in (s, c, r))
    if age > 14:
        assert SEVERITY_RANK[a.overall] >= SEVERITY_RANK[A]
    else:
        assert a.overall is worst((s, c, r))
    assert a.optimism is (
        reported is not None and SEVERITY_RANK[Rag(reported)] < SEVERITY_RANK[a.overall]
    )


# --- thresholds from settings move the outcome -----------------------------------------------


@pytest.mark.parametrize(
    ("t", "settings", "attr", "default", "moved"),
    [
        # SPI 0.88: Amber by default; Red under spi_red 0.9
        (
            _spi_tracker(88, 12),
            rag_settings(schedule={"spi_red": 0.9, "spi_amber": 0.97}),
            "schedule",
            A,
            R,
        ),
        # SPI 0.96: Green by default; Amber under spi_amber 0.97
        (
            _spi_tracker(96, 4),
            rag_settings(schedule={"spi_red": 0.9, "spi_amber": 0.97}),
            "schedule",
            G,
            A,
        ),
        # SPI 0.80: Red by default; Green when thresholds drop to 0.5/0.7
        (
            _spi_tracker(80, 20),
            rag_settings(schedule={"spi_red": 0.5, "spi_amber": 0.7}),
            "schedule",
            R,
            G,
        ),
        # milestone slip 21: Amber by default; Red under slippage_red_days 20
        (
            tracker(milestones=[milestone(day(10), day(31))]),
            rag_settings(schedule={"slippage_red_days": 20, "slippage_amber_days": 5}),
            "schedule",
            A,
            R,
        ),
        # milestone slip 6: Green by default; Amber under slippage_amber_days 5
        (
            tracker(milestones=[milestone(day(10), day(16))]),
            rag_settings(schedule={"slippage_red_days": 20, "slippage_amber_days": 5}),
            "schedule",
            G,
            A,
        ),
        # finish slip 25: Amber by default; Red under finish_slip_red_days 20
        (
            tracker(baseline_finish=day(50), forecast_finish=day(75)),
            rag_settings(schedule={"finish_slip_red_days": 20, "finish_slip_amber_days": 5}),
            "schedule",
            A,
            R,
        ),
        # overdue milestone: Red by default; switched off -> Green (no slippage)
        (
            tracker(milestones=[milestone(day(-2), day(-2))]),
            rag_settings(schedule={"overdue_milestone_red": False}),
            "schedule",
            R,
            G,
        ),
        # VAC 15 %: Red by default; Amber under vac_red 0.2
        (
            tracker(lines=[line(MAR1, 1150, None)], budget=1000.0),
            rag_settings(cost={"vac_red": 0.2, "vac_amber": 0.1}),
            "cost",
            R,
            A,
        ),
        # VAC 7 %: Amber by default; Green under vac_amber 0.1
        (
            tracker(lines=[line(MAR1, 1070, None)], budget=1000.0),
            rag_settings(cost={"vac_red": 0.2, "vac_amber": 0.1}),
            "cost",
            A,
            G,
        ),
        # CPI 0.84: Red by default; Green under cpi 0.5/0.6
        (
            tracker(
                tasks=[task(84, 1.0), task(16, 0.0)], lines=[line(MAR1, 1000, None)], budget=1000.0
            ),
            rag_settings(cost={"cpi_red": 0.5, "cpi_amber": 0.6}),
            "cost",
            R,
            G,
        ),
        # 2 open High: Amber by default; Red when 2 High-or-Critical make Red
        (
            tracker(items=[raid(severity="High")] * 2),
            rag_settings(risk={"high_or_critical_red": 2}),
            "risk",
            A,
            R,
        ),
        # 1 open Critical: Red by default; not Red when 2 Criticals are needed
        (
            tracker(items=[raid(severity="Critical")]),
            rag_settings(risk={"critical_red": 2}),
            "risk",
            R,
            A,
        ),
        # 1 open High: Amber by default; Green when 2 are needed for Amber
        (
            tracker(items=[raid(severity="High")]),
            rag_settings(risk={"high_amber": 2}),
            "risk",
            A,
            G,
        ),
        # past-due Low risk: Amber by default; switched off -> Green
        (
            tracker(items=[raid(severity="Low", due=day(-1))]),
            rag_settings(risk={"overdue_amber": False}),
            "risk",
            A,
            G,
        ),
        # P2 x I5 = 10: Medium (Green) by default; High (Amber) when high = 10
        (
            tracker(items=[raid(p=2, i=5)]),
            rag_settings(severity={"critical": 20, "high": 10, "medium": 6}),
            "risk",
            G,
            A,
        ),
    ],
)
def test_settings_thresholds_move_the_outcome(
    t: Tracker, settings: Settings, attr: str, default: Rag, moved: Rag
) -> None:
    assert getattr(assess(t, DEFAULT, as_of=D), attr).rag is default
    assert getattr(assess(t, settings, as_of=D), attr).rag is moved


def test_settings_thresholds_appear_in_reasons() -> None:
    s = rag_settings(schedule={"spi_red": 0.9, "spi_amber": 0.97})
    a = assess(_spi_tracker(88, 12), s, as_of=D)
    assert_reasons(a.schedule.reasons, [("SPI", "0.88", "0.9")])


@pytest.mark.parametrize(("age", "stale"), [(7, False), (8, True)])
def test_stale_days_from_settings(age: int, stale: bool) -> None:
    a = assess(evidenced(), rag_settings(stale_days=7), as_of=day(age))
    assert (a.stale, a.overall) == (stale, A if stale else G)
