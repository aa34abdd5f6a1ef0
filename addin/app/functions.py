"""Use cases behind the worksheet functions: metrics, one value checked, a portfolio lookup.

Each worksheet function (:mod:`addin.excel.udfs`) turns Excel's cell values into typed
values and makes one call here. Settings are the ones :mod:`addin.app.settings` finds
with no folder (``$PMO_CONFIG``, else the defaults), loaded once per file version;
portfolios are read once per file version too, because Excel recalculates often.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from addin.app.resources import LOAD_KINDS, capacity_list, capacity_path, resource_step
from addin.app.settings import settings_file
from addin.checks import check_value
from addin.core.errors import OutputError, os_reason
from addin.core.findings import Finding
from addin.core.periods import period_start
from addin.core.settings import Settings, load_settings
from addin.engine.run import ProjectStatus
from addin.outputs.portfolio import PROJECT_COLUMNS, read_portfolio
from addin.outputs.portfolio.columns import FLAG_KEYS
from addin.rag import METRICS, cpi, eac, earned_value, metric_rag
from addin.read.fields import choice_indexes
from addin.resources import ResourceLoad
from addin.resources.names import near_matches

__all__ = [
    "COLUMNS",
    "METRICS",
    "check",
    "clear_caches",
    "cost_performance",
    "estimate_at_completion",
    "function_settings",
    "person_load",
    "project_value",
    "rag_of",
    "schedule_performance",
    "task_statuses",
    "trend_values",
]

_DEFAULTS = Settings.default()
_lock = threading.Lock()
_settings_cache: dict[str, tuple[tuple[int, int], Settings]] = {}
#: Resolved path -> (file version, Project ID (folded) -> project); a few files at most.
_portfolio_cache: dict[str, tuple[tuple[int, int, int], dict[str, ProjectStatus]]] = {}
_PORTFOLIO_CACHE_SIZE = 8
#: (portfolio, capacity list, settings) -> (files' versions, the resource load).
_load_cache: dict[tuple[str, str, str], tuple[Any, ResourceLoad]] = {}
#: ``PMO_TREND`` values by (history, settings, project, metric, periods), with the history's
#: stamp when read: the database is asked again only when it may have changed.
_trend_cache: dict[tuple[str, str, str, str, int], tuple[object, list[Any]]] = {}
_TREND_CACHE_SIZE = 4096
#: How long ``PMO_TREND`` serves a database server's values before asking again, in seconds
#: (a SQLite file is asked again as soon as it changes).
TREND_SECONDS = 5.0

#: Folded header or key of every Projects column -> its key.
COLUMNS: dict[str, str] = {
    **{c.key.casefold(): c.key for c in PROJECT_COLUMNS},
    **{c.header.casefold(): c.key for c in PROJECT_COLUMNS},
}


def function_settings() -> Settings:
    """The worksheet functions' settings: ``$PMO_CONFIG`` if set, else the defaults.

    Raises:
        ConfigError: the file is missing or invalid.
    """
    path = settings_file()
    if path is None:
        return _DEFAULTS
    try:
        st = path.stat()
        stamp = (st.st_size, st.st_mtime_ns)
    except OSError:
        stamp = (-1, -1)
    key = str(path)
    with _lock:
        hit = _settings_cache.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
    settings = load_settings(path)
    with _lock:
        _settings_cache.clear()
        _settings_cache[key] = (stamp, settings)
    return settings


def schedule_performance(
    budgets: Sequence[float | None],
    starts: Sequence[dt.date | None],
    finishes: Sequence[dt.date | None],
    pct_complete: Sequence[float | None],
    status_date: dt.date,
    cancelled: Sequence[bool] | None = None,
    statuses: Sequence[str | None] | None = None,
    settings: Settings = _DEFAULTS,
) -> float | None:
    """SPI = EV / PV over tasks given as columns (RAG_RULES v2); None when PV is 0.

    None too when tasks of unknown progress (no % Complete, and no Status that says
    Complete or Not Started) hold more than ``rag.unknown_progress_max`` of the weight.
    """
    return earned_value(
        budgets,
        starts,
        finishes,
        pct_complete,
        status_date,
        cancelled,
        statuses,
        settings.rag.unknown_progress_max,
    ).spi


def cost_performance(bac: float | None, pct: float | None, ac: float | None) -> float | None:
    """CPI = BAC x overall % complete / AC; None when AC is 0 or an input is missing."""
    return cpi(bac, pct, ac)


def estimate_at_completion(
    periods: Sequence[dt.date | None],
    actuals: Sequence[float | None],
    forecasts: Sequence[float | None],
    status_date: dt.date,
) -> float | None:
    """EAC = actuals up to the status date + forecasts after it (None when not finite)."""
    return eac(periods, actuals, forecasts, status_date)


def rag_of(metric: str, value: float | None, settings: Settings) -> str:
    """Red, Amber or Green of one metric value under the settings' thresholds.

    ``No data`` when there is no value (RAG_RULES v2: a metric that is none is no
    evidence, never Green).
    """
    return metric_rag(metric, value, settings.rag).value


def check(field: str, value: Any, settings: Settings) -> Finding | None:
    """Check one value against one tracker field (None when it is valid)."""
    return check_value(field, value, settings)


def task_statuses(settings: Settings) -> dict[str, str]:
    """Folded task-status spelling -> canonical status (Cancelled tasks leave the plan)."""
    return choice_indexes(settings)["task_status"]


def _projects(path: Path, settings: Settings) -> dict[str, ProjectStatus]:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise OutputError(f"{path}: file not found") from None
    except OSError as exc:
        raise OutputError(f"{path}: cannot read ({os_reason(exc)})") from None
    stamp = (st.st_size, st.st_mtime_ns, st.st_ino)
    key = str(path)
    with _lock:
        hit = _portfolio_cache.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
    run = read_portfolio(path, settings.limits, kinds=(), findings="none")  # its projects only
    rows = {
        p.project_id.strip().casefold(): p for p in run.projects if p.project_id not in (None, "")
    }
    with _lock:
        _portfolio_cache.pop(key, None)
        while len(_portfolio_cache) >= _PORTFOLIO_CACHE_SIZE:
            _portfolio_cache.pop(next(iter(_portfolio_cache)))
        _portfolio_cache[key] = (stamp, rows)
    return rows


def project_value(path: Path, project_id: str, key: str, settings: Settings) -> Any:
    """One Projects value of one project in a portfolio workbook (as the sheet shows it).

    Raises:
        OutputError: the file is missing or not a portfolio.
        KeyError: no such project in it (the message says which).
    """
    project = _projects(path, settings).get(project_id.strip().casefold())
    if project is None:
        raise KeyError(f"no project {project_id.strip()!r} in {path.name}")
    value = project.value(key)
    if key in FLAG_KEYS:
        return "Yes" if value else "No"
    return value


@functools.cache
def trend_metrics() -> dict[str, str]:
    """Projects columns ``PMO_TREND`` may ask for: folded header or key -> key.

    Computed on first use: the history layer (SQLAlchemy) is imported only by the worksheet
    function that reads the history, not by every workbook that loads the add-in.
    """
    import addin.history.read as history_read

    return {name: key for name, key in COLUMNS.items() if key in history_read.METRICS}


#: Most snapshots ``PMO_TREND`` returns.
MAX_PERIODS = 520


def trend_values(project_id: str, metric: str, periods: int, settings: Settings) -> list[Any]:
    """The last ``periods`` values of a Projects column for a project, oldest first.

    From the history the settings configure (``[history] url``): a worksheet function has
    no portfolio beside it to find one.

    Raises:
        HistoryError: no history configured, or it could not be read.
        KeyError: unknown metric, or no such project in the history (the message says).
    """
    from addin.app.history import HistoryError, history_url, metric_values

    key = trend_metrics().get(metric.strip().casefold())
    if key is None:
        raise KeyError(
            f"unknown metric {metric!r} (a Projects column such as 'SPI', 'CPI' or 'Overall RAG')"
        )
    if not settings.history.url.strip():
        raise HistoryError(
            "no history configured: set [history] url in the pmo.toml that PMO_CONFIG names"
        )
    url = history_url(None, settings)
    periods = max(1, min(int(periods), MAX_PERIODS))
    wanted = (url.shown, settings.fingerprint, project_id.strip(), key, periods)
    stamp = _history_stamp(url.path)
    with _lock:
        hit = _trend_cache.get(wanted)
        if hit is not None and hit[0] == stamp:
            return list(hit[1])
    values = [value for _, value in metric_values(url, settings, project_id, key, periods)]
    with _lock:
        while len(_trend_cache) >= _TREND_CACHE_SIZE:
            _trend_cache.pop(next(iter(_trend_cache)))
        _trend_cache[wanted] = (stamp, values)
    return list(values)


def _history_stamp(path: Path | None) -> object:
    """What says whether the history may have changed since values were read.

    A SQLite file's and its WAL's versions; for a server, the :data:`TREND_SECONDS` window
    we are in (asked again after it).
    """
    if path is None:
        return int(time.monotonic() // TREND_SECONDS)
    stamps: list[tuple[int, int, int] | None] = []
    for part in (path, path.with_name(path.name + "-wal")):
        try:
            st = part.stat()
        except OSError:
            stamps.append(None)
        else:
            stamps.append((st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(stamps)


def _stamp(path: Path) -> tuple[int, int, int]:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise OutputError(f"{path}: file not found") from None
    except OSError as exc:
        raise OutputError(f"{path}: cannot read ({os_reason(exc)})") from None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def _load(path: Path, settings: Settings) -> ResourceLoad:
    """The resource load of a portfolio workbook under the settings (cached per file version)."""
    capacity = capacity_path(settings)
    key = (str(path), str(capacity), settings.fingerprint)
    stamp = (_stamp(path), _stamp(capacity) if capacity is not None else None)
    with _lock:
        hit = _load_cache.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
    run = read_portfolio(path, settings.limits, kinds=LOAD_KINDS, findings="none")
    load = resource_step(run, settings, capacity_list(settings), add_findings=False)
    if load is None:
        raise OutputError(f"{path.name} holds no resource plans and no capacity list is set")
    with _lock:
        while len(_load_cache) >= _PORTFOLIO_CACHE_SIZE:
            _load_cache.pop(next(iter(_load_cache)))
        _load_cache[key] = (stamp, load)
    return load


def person_load(path: Path, person: str, day: dt.date, settings: Settings) -> float | None:
    """A person's utilisation (demand / capacity) in the period holding ``day``.

    None when nothing is asked of them then, or their capacity is unknown.

    Raises:
        OutputError: the file is missing, not a portfolio, or holds no resource data.
        KeyError: nobody of that name in the portfolio's plans or the capacity list (with
            near matches).
    """
    load = _load(path, settings)
    found = load.person(person)
    if found is None:
        near = near_matches(person, [p.name for p in load.people])
        hint = f" (did you mean {' or '.join(near)}?)" if near else ""
        raise KeyError(f"no {person.strip()!r} in {path.name}'s resource plans{hint}")
    cell = found.at(period_start(day, load.kind))
    if cell is None or cell.demand <= 0:
        return 0.0 if cell is not None and cell.capacity else None
    return cell.utilisation


def clear_caches() -> None:
    """Forget cached settings and portfolios (tests; files are re-read when they change)."""
    with _lock:
        _settings_cache.clear()
        _portfolio_cache.clear()
        _load_cache.clear()
        _trend_cache.clear()
