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
actual cost) comes back blank (``""``), which ``PMO_RAG`` treats as triggering nothing.

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
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, ParamSpec

from addin.app import functions as uc
from addin.app.settings import CONFIG_ENV
from addin.core.errors import PmoError
from addin.core.rules import RuleId
from addin.core.settings import Settings
from addin.excel.xlfunc import arg, func
from addin.read.coerce import coerce_choice, coerce_date, coerce_number, coerce_percent
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
    "udf_settings",
]

#: Function category in Excel's Insert Function dialog.
CATEGORY = "PMO"
#: Prefix of every error value.
ERROR = "#PMO:"

P = ParamSpec("P")

_PROBLEM_WORDS: dict[str, str] = {
    RuleId.VALUE_NOT_A_DATE: "is not a date",
    RuleId.VALUE_NOT_A_NUMBER: "is not a number",
    RuleId.VALUE_NOT_A_PERCENT: "is not a percentage",
}


class BadInput(Exception):
    """An argument the user must fix; its message follows ``#PMO:`` in the cell."""


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


# --- turning cell values into typed values ------------------------------------------------


def _cells(value: Any, name: str) -> list[Any]:
    """One column or row of cells as a flat list (a single cell is a list of one)."""
    if isinstance(value, list | tuple):
        rows = list(value)
        if rows and all(isinstance(r, list | tuple) for r in rows):
            if all(len(r) == 1 for r in rows):
                return [r[0] for r in rows]
            if len(rows) == 1:
                return list(rows[0])
            raise BadInput(f"{name} must be one column or one row of cells")
        return rows
    return [value]


def _one(value: Any, name: str) -> Any:
    """A single cell's value (a one-cell range is accepted)."""
    cells = _cells(value, name)
    if len(cells) != 1:
        raise BadInput(f"{name} must be a single cell, got {len(cells)} cells")
    return cells[0]


def _checked(
    typed: tuple[list[Any], Mapping[int, str]],
    raw: Sequence[Any],
    name: str,
    *,
    single: bool = False,
) -> list[Any]:
    """The typed values, or :class:`BadInput` naming the first cell that could not be read."""
    values, problems = typed
    if problems:
        i = min(problems)
        where = "" if single else f" (cell {i + 1})"
        words = _PROBLEM_WORDS.get(problems[i], "is not valid")
        raise BadInput(f"{name}: {raw[i]!r}{where} {words}")
    return values


def _dates(value: Any, name: str, settings: Settings) -> list[Any]:
    raw = _cells(value, name)
    return _checked(coerce_date(raw, day_first=settings.reader.day_first), raw, name)


def _numbers(value: Any, name: str) -> list[Any]:
    raw = _cells(value, name)
    return _checked(coerce_number(raw), raw, name)


def _percents(value: Any, name: str) -> list[Any]:
    raw = _cells(value, name)
    return _checked(coerce_percent(raw), raw, name)


def _date(value: Any, name: str, settings: Settings) -> dt.date:
    raw = _one(value, name)
    typed = coerce_date([raw], day_first=settings.reader.day_first)
    d: dt.date | None = _checked(typed, [raw], name, single=True)[0]
    if d is None:
        raise BadInput(f"{name} is blank; give a date")
    return d


def _number(value: Any, name: str) -> float | None:
    raw = _one(value, name)
    if isinstance(raw, str) and raw.strip().endswith("%"):
        typed = coerce_percent([raw])
    else:
        typed = coerce_number([raw])
    n: float | None = _checked(typed, [raw], name, single=True)[0]
    return n


def _percent(value: Any, name: str) -> float | None:
    raw = _one(value, name)
    p: float | None = _checked(coerce_percent([raw]), [raw], name, single=True)[0]
    return p


def _same_length(**columns: Sequence[Any]) -> None:
    sizes = {name: len(cells) for name, cells in columns.items()}
    if len(set(sizes.values())) > 1:
        listed = ", ".join(f"{name} {n}" for name, n in sizes.items())
        raise BadInput(f"the ranges must have the same number of cells ({listed})")


def _blank_if_none(value: float | None) -> Any:
    return "" if value is None else value


# --- the worksheet functions -----------------------------------------------------------------


@func(category=CATEGORY)
@arg("budgets", ndim=1, doc="Tasks' Budget column (all blank: weigh by duration).")
@arg("planned_starts", ndim=1, doc="Tasks' Planned Start column (dates or text dates).")
@arg("planned_finishes", ndim=1, doc="Tasks' Planned Finish column.")
@arg("pct_complete", ndim=1, doc='Tasks\' % Complete column (0.5, 50 or "50%").')
@arg("status_date", doc="The Status Date: the day SPI is measured at.")
@arg("statuses", ndim=1, doc="Optional: tasks' Status column; Cancelled tasks are left out.")
@_safe
def PMO_SPI(
    budgets: Any,
    planned_starts: Any,
    planned_finishes: Any,
    pct_complete: Any,
    status_date: Any,
    statuses: Any = None,
) -> Any:
    """SPI = EV / PV of a task list, weighted by Budget (or duration); blank when PV is 0."""
    settings = udf_settings()
    d = _date(status_date, "status_date", settings)
    starts = _dates(planned_starts, "planned_starts", settings)
    finishes = _dates(planned_finishes, "planned_finishes", settings)
    pct = _percents(pct_complete, "pct_complete")
    costs = [None] * len(starts) if _is_blank(budgets) else _numbers(budgets, "budgets")
    columns: dict[str, Sequence[Any]] = {
        "budgets": costs,
        "planned_starts": starts,
        "planned_finishes": finishes,
        "pct_complete": pct,
    }
    cancelled = None
    if not _is_blank(statuses):
        raw = _cells(statuses, "statuses")
        index = uc.task_statuses(settings)
        cancelled = [s == "Cancelled" for s in coerce_choice(raw, index)[0]]
        columns["statuses"] = cancelled
    _same_length(**columns)
    return _blank_if_none(uc.schedule_performance(costs, starts, finishes, pct, d, cancelled))


@func(category=CATEGORY)
@arg("bac", doc="Budget at completion (the Project sheet's Budget).")
@arg("pct_complete_overall", doc='Overall % complete (0.4, 40 or "40%"), e.g. EV / total.')
@arg("actual_cost", doc="Actual cost to date (AC).")
@_safe
def PMO_CPI(bac: Any, pct_complete_overall: Any, actual_cost: Any) -> Any:
    """Cost performance index BAC x % complete / AC (PMO RAG rules v1); blank when AC is 0."""
    udf_settings()  # a bad settings file is reported by every function
    return _blank_if_none(
        uc.cost_performance(
            _number(bac, "bac"),
            _percent(pct_complete_overall, "pct_complete_overall"),
            _number(actual_cost, "actual_cost"),
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
    d = _date(status_date, "status_date", settings)
    months = _dates(periods, "periods", settings)
    spent = _numbers(actuals, "actuals")
    ahead = _numbers(forecasts, "forecasts")
    _same_length(periods=months, actuals=spent, forecasts=ahead)
    return _blank_if_none(uc.estimate_at_completion(months, spent, ahead, d))


@func(category=CATEGORY)
@arg("metric", doc="spi, cpi, vac_pct, slippage_days or finish_slip_days.")
@arg("value", doc="The metric's value; blank triggers nothing (Green).")
@_safe
def PMO_RAG(metric: Any, value: Any) -> Any:
    """Red, Amber or Green for one metric value under the configured RAG thresholds."""
    settings = udf_settings()
    name = _one(metric, "metric")
    key = name.strip().casefold() if isinstance(name, str) else ""
    if key not in uc.METRICS:
        shown = name if isinstance(name, str) else "" if name is None else str(name)
        raise BadInput(f"unknown metric {shown!r} (use {', '.join(uc.METRICS)})")
    return uc.rag_of(key, _number(value, "value"), settings)


@func(category=CATEGORY)
@arg("value", doc="The value to check, as typed in a tracker cell.")
@arg("field", doc='The tracker field, e.g. "Planned Finish", "% Complete", "RAID.Status".')
@_safe
def PMO_CHECK(value: Any, field: Any) -> Any:
    """Blank when the value is valid for the tracker field, else what is wrong with it."""
    settings = udf_settings()
    name = _one(field, "field")
    if not isinstance(name, str) or not name.strip():
        raise BadInput('field is blank; give a tracker header such as "Planned Finish"')
    try:
        finding = uc.check(name.strip(), _one(value, "value"), settings)
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
    where = _one(path, "path")
    if not isinstance(where, str) or not where.strip():
        raise BadInput("path is blank; give the full path of a portfolio workbook")
    wanted = _one(column, "column")
    key = uc.COLUMNS.get(wanted.strip().casefold()) if isinstance(wanted, str) else None
    if key is None:
        raise BadInput(
            f"unknown column {wanted!r} (use a Projects header such as 'Overall RAG' "
            "or its key 'overall_rag')"
        )
    pid = _one(project_id, "project_id")
    if pid is None or not str(pid).strip():
        raise BadInput("project_id is blank")
    try:
        value = uc.project_value(Path(where.strip()).expanduser(), str(pid), key, settings)
    except KeyError as exc:
        raise BadInput(str(exc.args[0])) from None
    return "" if value is None else value


# --- PMO_LOAD -------------------------------------------------------------------------------


def _period_day(value: Any, settings: Settings) -> dt.date:
    """A day of the period asked for: a date (or its text), or ``Jan-27``, ``2027-W05``."""
    raw = _one(value, "period")
    if isinstance(raw, str):
        header = parse_period_header(raw)
        if header is not None and header.start is not None:
            return header.start
    return _date(raw, "period", settings)


@func(category=CATEGORY)
@arg("person", doc="A person as the capacity list and the trackers name them.")
@arg("period", doc='A date in the month (or week), or "Jan-27", "2027-W05".')
@arg("portfolio", doc="Optional: the portfolio workbook (default [resources] portfolio).")
@_safe
def PMO_LOAD(person: Any, period: Any, portfolio: Any = None) -> Any:
    """A person's load in a period over every project: demand / capacity (1.2 = 120 %)."""
    settings = udf_settings()
    who = _one(person, "person")
    if not isinstance(who, str) or not who.strip():
        raise BadInput("person is blank; give a name from the capacity list")
    day = _period_day(period, settings)
    where = _one(portfolio, "portfolio") if not _is_blank(portfolio) else None
    if where is None:
        where = settings.resources.portfolio or None
    if not isinstance(where, str) or not where.strip():
        raise BadInput("no portfolio: give its path, or set [resources] portfolio in the pmo.toml")
    try:
        value = uc.person_load(Path(where.strip()).expanduser(), who, day, settings)
    except KeyError as exc:
        raise BadInput(str(exc.args[0])) from None
    return _blank_if_none(value)


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return all(_is_blank(v) for v in value)
    return False


def clear_caches() -> None:
    """Forget cached settings and portfolios (tests; Excel re-reads changed files anyway)."""
    uc.clear_caches()
