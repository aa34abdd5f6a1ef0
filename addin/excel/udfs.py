"""Worksheet functions: ``=PMO_SPI(...)``, ``=PMO_RAG(...)`` and friends, through xlwings.

Each function is one call into :mod:`addin.app.functions` (the metrics, a value
checked, a portfolio lookup) after the cell values Excel passes have been turned into
typed values by :mod:`addin.read.coerce` (so dates may be Excel serials, datetimes
or text, and percentages ``0.5``, ``50`` or ``"50%"``, exactly as the reader
accepts them). No metric is computed here.

Errors never escape as a traceback: bad input gives a string starting with
``#PMO:`` that says what to fix, e.g.
``#PMO: unknown metric 'spy' (use spi, cpi, vac_pct, slippage_days, finish_slip_days)``.
A metric that is "none" in RAG_RULES (SPI with nothing planned yet, CPI with no
actual cost) comes back blank (``""``), which ``PMO_RAG`` turns into ``No data``
(RAG_RULES v2: no evidence is never Green).

Settings come from the file named by the ``PMO_CONFIG`` environment variable, or
the defaults when it is not set; they are loaded once and re-loaded when that
file changes. A bad settings file makes every function return ``#PMO: <reason>``.

The decorators are xlwings' own (``xw.func``/``xw.arg``), applied through
:mod:`addin.excel.xlfunc`, which also records them: ``pmo build-addin`` replays
them to generate the add-in's VBA wrappers (:mod:`addin.excel.udf_vba`). On Linux
the xlwings decorators do nothing, so these are plain functions that tests call
directly. On Windows xlwings turns every parameter's annotation into a
converter, so parameters and returns are annotated ``Any`` (the plain
value converter), never ``X | None``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ParamSpec

from addin.app import functions as uc
from addin.app.settings import CONFIG_ENV
from addin.core.errors import PmoError
from addin.core.settings import Settings
from addin.excel import udf_args as cell
from addin.excel.udf_args import BadInput
from addin.excel.xlfunc import arg, func
from addin.read.coerce import coerce_choice, coerce_number
from addin.read.period_headers import parse_period_header

__all__ = [
    "CONFIG_ENV",
    "PMO_CHECK",
    "PMO_CPI",
    "PMO_EAC",
    "PMO_LOAD",
    "PMO_PORTFOLIO",
    "PMO_RAG",
    "PMO_SPI",
    "PMO_TREND",
    "udf_settings",
]

#: Function category in Excel's Insert Function dialog.
CATEGORY = "PMO"
#: Prefix of every error value.
ERROR = "#PMO:"

P = ParamSpec("P")


def _safe(fn: Callable[P, Any]) -> Callable[P, Any]:
    """Turn every failure of a worksheet function into a ``#PMO:`` string."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Any:
        try:
            return fn(*args, **kwargs)
        except (BadInput, PmoError) as exc:
            return f"{ERROR} {exc}"
        except Exception as exc:  # a worksheet function never shows a traceback
            return f"{ERROR} internal error ({type(exc).__name__}: {exc})"

    return wrapper


# --- settings -------------------------------------------------------------------------------


def udf_settings() -> Settings:
    """The settings the worksheet functions use: ``$PMO_CONFIG`` if set, else the defaults.

    Raises:
        ConfigError: the file is missing or invalid (shown as ``#PMO: <reason>``).
    """
    return uc.function_settings()


# --- the worksheet functions -----------------------------------------------------------------


@func(category=CATEGORY)
@arg("budgets", ndim=1, doc="Tasks' Budget column (all blank: weigh by duration).")
@arg("planned_starts", ndim=1, doc="Tasks' Planned Start column (dates or text dates).")
@arg("planned_finishes", ndim=1, doc="Tasks' Planned Finish column.")
@arg("pct_complete", ndim=1, doc='Tasks\' % Complete column (0.5, 50 or "50%").')
@arg("status_date", doc="The Status Date: the day SPI is measured at.")
@arg(
    "statuses",
    ndim=1,
    doc="Optional: tasks' Status column; Cancelled tasks are left out, and a blank % Complete "
    "is 100 % for Complete, 0 % for Not Started.",
)
@_safe
def PMO_SPI(
    budgets: Any,
    planned_starts: Any,
    planned_finishes: Any,
    pct_complete: Any,
    status_date: Any,
    statuses: Any = None,
) -> Any:
    """SPI = EV / PV of tasks, weighted by Budget (or duration); blank if PV is 0 or unknown."""
    # Unknown (RAG_RULES v2): a task with a blank % Complete and a Status that is neither
    # Complete nor Not Started is left out; when such tasks hold more than
    # rag.unknown_progress_max of the weight, SPI is blank.
    settings = udf_settings()
    d = cell.date(status_date, "status_date", settings)
    starts = cell.dates(planned_starts, "planned_starts", settings)
    finishes = cell.dates(planned_finishes, "planned_finishes", settings)
    pct = cell.percents(pct_complete, "pct_complete")
    costs = [None] * len(starts) if cell.is_blank(budgets) else cell.numbers(budgets, "budgets")
    columns: dict[str, Sequence[Any]] = {
        "budgets": costs,
        "planned_starts": starts,
        "planned_finishes": finishes,
        "pct_complete": pct,
    }
    cancelled = words = None
    if not cell.is_blank(statuses):
        raw = cell.cells(statuses, "statuses")
        words = coerce_choice(raw, uc.task_statuses(settings))[0]
        cancelled = [s == "Cancelled" for s in words]
        columns["statuses"] = words
    cell.same_length(**columns)
    return cell.blank_if_none(
        uc.schedule_performance(costs, starts, finishes, pct, d, cancelled, words, settings)
    )


@func(category=CATEGORY)
@arg("bac", doc="Budget at completion (the Project sheet's Budget).")
@arg("pct_complete_overall", doc='Overall % complete (0.4, 40 or "40%"), e.g. EV / total.')
@arg("actual_cost", doc="Actual cost to date (AC).")
@_safe
def PMO_CPI(bac: Any, pct_complete_overall: Any, actual_cost: Any) -> Any:
    """Cost performance index BAC x % complete / AC (PMO RAG rules v1); blank when AC is 0."""
    udf_settings()  # a bad settings file is reported by every function
    return cell.blank_if_none(
        uc.cost_performance(
            cell.number(bac, "bac"),
            cell.percent(pct_complete_overall, "pct_complete_overall"),
            cell.number(actual_cost, "actual_cost"),
        )
    )


@func(category=CATEGORY)
@arg("periods", ndim=1, doc="Budget sheet's Period column (first day of each month).")
@arg("actuals", ndim=1, doc="Budget sheet's Actual column.")
@arg("forecasts", ndim=1, doc="Budget sheet's Forecast column.")
@arg("status_date", doc="The Status Date: actuals up to it, forecasts after it.")
@_safe
def PMO_EAC(periods: Any, actuals: Any, forecasts: Any, status_date: Any) -> Any:
    """Estimate at completion: actuals for periods up to the Status Date plus later forecasts."""
    settings = udf_settings()
    d = cell.date(status_date, "status_date", settings)
    months = cell.dates(periods, "periods", settings)
    spent = cell.numbers(actuals, "actuals")
    ahead = cell.numbers(forecasts, "forecasts")
    cell.same_length(periods=months, actuals=spent, forecasts=ahead)
    return cell.blank_if_none(uc.estimate_at_completion(months, spent, ahead, d))


@func(category=CATEGORY)
@arg("metric", doc="spi, cpi, vac_pct, slippage_days or finish_slip_days.")
@arg("value", doc="The metric's value; blank (no value) gives No data.")
@_safe
def PMO_RAG(metric: Any, value: Any) -> Any:
    """Red, Amber or Green for one metric value under the RAG thresholds; No data when blank."""
    settings = udf_settings()
    name = cell.one(metric, "metric")
    key = name.strip().casefold() if isinstance(name, str) else ""
    if key not in uc.METRICS:
        shown = name if isinstance(name, str) else "" if name is None else str(name)
        raise BadInput(f"unknown metric {shown!r} (use {', '.join(uc.METRICS)})")
    return uc.rag_of(key, cell.number(value, "value"), settings)


@func(category=CATEGORY)
@arg("value", doc="The value to check, as typed in a tracker cell.")
@arg("field", doc='The tracker field, e.g. "Planned Finish", "% Complete", "RAID.Status".')
@_safe
def PMO_CHECK(value: Any, field: Any) -> Any:
    """Blank when the value is valid for the tracker field, else what is wrong with it."""
    settings = udf_settings()
    name = cell.one(field, "field")
    if not isinstance(name, str) or not name.strip():
        raise BadInput('field is blank; give a tracker header such as "Planned Finish"')
    try:
        finding = uc.check(name.strip(), cell.one(value, "value"), settings)
    except KeyError as exc:
        raise BadInput(str(exc.args[0]) if exc.args else f"unknown field {name!r}") from None
    return "" if finding is None else finding.message


# --- PMO_PORTFOLIO ------------------------------------------------------------------------


@func(category=CATEGORY)
@arg("path", doc="Full path of a portfolio workbook written by Consolidate.")
@arg("project_id", doc='The Project ID, e.g. "PRJ-0042".')
@arg("column", doc='A Projects column: header ("Overall RAG") or key ("overall_rag").')
@_safe
def PMO_PORTFOLIO(path: Any, project_id: Any, column: Any) -> Any:
    """One value from a portfolio workbook's Projects sheet, e.g. a project's Overall RAG."""
    settings = udf_settings()
    where = cell.one(path, "path")
    if not isinstance(where, str) or not where.strip():
        raise BadInput("path is blank; give the full path of a portfolio workbook")
    wanted = cell.one(column, "column")
    key = uc.COLUMNS.get(wanted.strip().casefold()) if isinstance(wanted, str) else None
    if key is None:
        raise BadInput(
            f"unknown column {wanted!r} (use a Projects header such as 'Overall RAG' "
            "or its key 'overall_rag')"
        )
    pid = cell.one(project_id, "project_id")
    if pid is None or not str(pid).strip():
        raise BadInput("project_id is blank")
    try:
        value = uc.project_value(Path(where.strip()).expanduser(), str(pid), key, settings)
    except KeyError as exc:
        raise BadInput(str(exc.args[0])) from None
    return "" if value is None else value


# --- PMO_TREND ----------------------------------------------------------------------------


@func(category=CATEGORY)
@arg("project_id", doc='The Project ID, e.g. "PRJ-0042".')
@arg("metric", doc='A Projects column: "SPI", "CPI", "Overall RAG" ... (header or key).')
@arg("periods", doc="Optional: how many snapshots, the latest last (default 12).")
@_safe
def PMO_TREND(project_id: Any, metric: Any, periods: Any = None) -> Any:
    """A project's last values of a metric from the history (a row, oldest first)."""
    settings = udf_settings()
    pid = cell.one(project_id, "project_id")
    if pid is None or not str(pid).strip():
        raise BadInput("project_id is blank")
    wanted = cell.one(metric, "metric")
    if not isinstance(wanted, str) or not wanted.strip():
        raise BadInput("metric is blank; give a Projects column such as 'SPI' or 'Overall RAG'")
    count = 12 if cell.is_blank(periods) else coerce_number([cell.one(periods, "periods")])[0][0]
    if count is None or count < 1 or count != int(count):
        raise BadInput(f"periods must be a whole number from 1, got {periods!r}")
    try:
        values = uc.trend_values(str(pid), wanted, int(count), settings)
    except KeyError as exc:
        raise BadInput(str(exc.args[0])) from None
    row = ["" if v is None else v for v in values]
    return row[0] if len(row) == 1 else [row]


# --- PMO_LOAD -------------------------------------------------------------------------------


def _period_day(value: Any, settings: Settings) -> dt.date:
    """A day of the period asked for: a date (or its text), or ``Jan-27``, ``2027-W05``."""
    raw = cell.one(value, "period")
    if isinstance(raw, str):
        header = parse_period_header(raw)
        if header is not None and header.start is not None:
            return header.start
    return cell.date(raw, "period", settings)


@func(category=CATEGORY)
@arg("person", doc="A person as the capacity list and the trackers name them.")
@arg("period", doc='A date in the month (or week), or "Jan-27", "2027-W05".')
@arg("portfolio", doc="Optional: the portfolio workbook (default [resources] portfolio).")
@_safe
def PMO_LOAD(person: Any, period: Any, portfolio: Any = None) -> Any:
    """A person's load in a period over every project: demand / capacity (1.2 = 120 %)."""
    settings = udf_settings()
    who = cell.one(person, "person")
    if not isinstance(who, str) or not who.strip():
        raise BadInput("person is blank; give a name from the capacity list")
    day = _period_day(period, settings)
    where = cell.one(portfolio, "portfolio") if not cell.is_blank(portfolio) else None
    if where is None:
        where = settings.resources.portfolio or None
    if not isinstance(where, str) or not where.strip():
        raise BadInput("no portfolio: give its path, or set [resources] portfolio in the pmo.toml")
    try:
        value = uc.person_load(Path(where.strip()).expanduser(), who, day, settings)
    except KeyError as exc:
        raise BadInput(str(exc.args[0])) from None
    return cell.blank_if_none(value)


def clear_caches() -> None:
    """Forget cached settings and portfolios (tests; Excel re-reads changed files anyway)."""
    uc.clear_caches()
