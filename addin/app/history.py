"""Use cases of the history database: where it is, remember a run, trends, list, show, import.

The command line, the ribbon, the worksheet functions and the demo go through here. The
history is found in one order everywhere: ``--history URL`` (a URL or a file), else
``[history] url`` in the settings, else ``pmo-history.sqlite`` beside the portfolio (for
commands without a portfolio: in the current folder).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import addin.history.export as export
import addin.history.lessons as lessons
import addin.history.read as read
from addin.core.errors import PmoError
from addin.core.settings import Settings
from addin.engine.run import PortfolioRun
from addin.engine.trend import TrendData
from addin.history import HistoryError, HistoryUrl, SnapshotInfo, Store, open_store, save_run
from addin.history.frames import frame_of, read_frames, snapshot_dates
from addin.history.lessons import LessonHit
from addin.history.store import check_file, guarded
from addin.history.trend import WINDOW, trend_data
from addin.history.url import DEFAULT_NAME, parse_url

__all__ = ["HistoryError", "HistoryUrl", "LessonHit", "SnapshotInfo", "history_url"]


def history_url(
    explicit: str | Path | None, settings: Settings, *, portfolio: Path | None = None
) -> HistoryUrl:
    """Where the history is (see the module docstring).

    Raises:
        HistoryError: the URL given or configured is not one we can use.
    """
    if explicit is not None and str(explicit).strip():
        return parse_url(explicit)
    if settings.history.url.strip():
        return parse_url(settings.history.url)
    folder = portfolio.parent if portfolio is not None else Path.cwd()
    return parse_url(folder / DEFAULT_NAME)


def check_target(url: HistoryUrl) -> None:
    """Refuse, before a run, a history file that is not ours to write (not SQLite, a folder).

    Raises:
        HistoryError: one line naming it.
    """
    with guarded(url):
        check_file(url, create=True)


def open_history(url: HistoryUrl, settings: Settings, *, create: bool = True) -> Store:
    """Open (or make) the history database; see :func:`addin.history.open_store`."""
    return open_store(url, create=create, timeout=settings.history.lock_timeout_seconds)


def remember(
    store: Store, run: PortfolioRun, settings: Settings, *, source: str = "consolidate"
) -> SnapshotInfo:
    """Store a run as the snapshot of its as-of date (whole, or nothing).

    Raises:
        HistoryError: nothing of it was stored (one line says why).
    """
    return save_run(store, run, source=source, tasks=settings.history.tasks)


def trend(store: Store, run: PortfolioRun, *, window: int = WINDOW) -> TrendData | None:
    """The Trends page's data: the snapshots before the run's as-of date, then the run.

    The run is the latest point whether or not it has been stored. None when the history
    holds no earlier snapshot: a trend needs two points (a first run has no Trends page).

    Raises:
        HistoryError: the history could not be read.
    """
    with store.reading() as conn:
        dates = [d for d in snapshot_dates(conn, upto=run.as_of) if d != run.as_of]
        if not dates:
            return None
        frames = read_frames(conn, dates[-(window - 1) :] if window > 1 else [])
    return trend_data([*frames, frame_of(run)], window=window)


def saved_line(info: SnapshotInfo, url: HistoryUrl) -> str:
    """The line a command prints after saving a snapshot."""
    how = "replaced" if info.replaced else "saved"
    return (
        f"history: {how} the snapshot of {info.as_of.isoformat()} in {url.shown} "
        f"({info.projects} projects: {info.red} Red, {info.amber} Amber, {info.green} Green)"
    )


def remember_beside(
    run: PortfolioRun, settings: Settings, portfolio: Path, *, source: str = "consolidate"
) -> str:
    """Save a run in the configured history (for the ribbon); the line to show either way."""
    if not settings.history.enabled:
        return "History: off ([history] enabled = false)."
    try:
        url = history_url(None, settings, portfolio=portfolio)
        store = open_history(url, settings)
        try:
            return saved_line(remember(store, run, settings, source=source), url)
        finally:
            store.close()
    except HistoryError as exc:
        return f"history not saved: {exc}"


def trend_beside(
    run: PortfolioRun,
    settings: Settings,
    portfolio: Path | None,
    explicit: str | Path | None = None,
) -> TrendData | None:
    """The trend from the configured history, when there is one (None: no history yet).

    A history that was named (``explicit`` or configured) must exist; the default file
    beside the portfolio is only read when it is there.

    Raises:
        HistoryError: the history could not be read.
    """
    named = (explicit is not None and str(explicit).strip()) or settings.history.url.strip()
    url = history_url(explicit, settings, portfolio=portfolio)
    if not named and url.path is not None and not url.path.exists():
        return None
    store = open_history(url, settings, create=False)
    try:
        return trend(store, run)
    finally:
        store.close()


def _reading(url: HistoryUrl, settings: Settings) -> Store:
    return open_history(url, settings, create=False)


def list_snapshots(url: HistoryUrl, settings: Settings) -> list[SnapshotInfo]:
    """Every snapshot, oldest first (``pmo history list``)."""
    store = _reading(url, settings)
    try:
        with store.reading() as conn:
            return read.snapshots(conn)
    finally:
        store.close()


def project_timeline(
    url: HistoryUrl, settings: Settings, project_id: str
) -> tuple[str, list[read.TimelineEntry]]:
    """A project's timeline (``pmo history show``): its stored ID and one entry per snapshot.

    Raises:
        HistoryError: the history could not be read.
        KeyError: no snapshot holds the project.
    """
    store = _reading(url, settings)
    try:
        with store.reading() as conn:
            found = read.resolve_project(conn, project_id)
            if found is None:
                raise KeyError(f"no project {project_id.strip()!r} in the history")
            return found, read.timeline(conn, found)
    finally:
        store.close()


def export_table(url: HistoryUrl, settings: Settings, table: str, fmt: str, out: TextIO) -> int:
    """Write one history table as CSV or JSON; returns the rows written.

    Raises:
        HistoryError: the history could not be read.
        KeyError: no such table or format.
    """
    store = _reading(url, settings)
    try:
        with store.reading() as conn:
            return export.export(conn, table, fmt, out)
    finally:
        store.close()


@dataclass(frozen=True)
class Imported:
    """What became of one portfolio workbook given to ``pmo history import``."""

    path: Path
    snapshot: SnapshotInfo | None
    reason: str = ""


def import_portfolios(
    paths: Sequence[Path],
    url: HistoryUrl,
    settings: Settings,
    load: Callable[[Path, Settings], PortfolioRun],
) -> list[Imported]:
    """Backfill the history from portfolio workbooks, one snapshot per workbook.

    ``load`` reads a portfolio workbook back (:func:`addin.app.dashboard.load_portfolio`);
    one that cannot be read is reported and the rest are imported.

    Raises:
        HistoryError: the history could not be opened (nothing was imported).
    """
    store = open_history(url, settings)
    out: list[Imported] = []
    try:
        for path in paths:
            try:
                run = load(path, settings)
            except PmoError as exc:
                if isinstance(exc, HistoryError):
                    raise
                why = str(exc)  # the loader's reason names the file: the report names it once
                out.append(Imported(path, None, why.removeprefix(f"{path}: ")))
                continue
            info = save_run(store, run, source=f"import: {path.name}", tasks=settings.history.tasks)
            out.append(Imported(path, info))
    finally:
        store.close()
    return out


def search_lessons(
    url: HistoryUrl,
    settings: Settings,
    query: str,
    *,
    category: str | None = None,
    project: str | None = None,
    limit: int = lessons.DEFAULT_LIMIT,
) -> list[LessonHit]:
    """Lessons learned matching ``query``, most relevant first (``pmo lessons search``)."""
    store = _reading(url, settings)
    try:
        with store.reading() as conn, guarded(url):
            return lessons.search(conn, query, category=category, project=project, limit=limit)
    finally:
        store.close()


def metric_values(
    url: HistoryUrl, settings: Settings, project_id: str, metric: str, periods: int
) -> list[tuple[dt.date, object]]:
    """The last ``periods`` values of a Projects column for a project (``PMO_TREND``).

    Raises:
        HistoryError: the history could not be read.
        KeyError: unknown metric, or no such project in the history.
    """
    store = _reading(url, settings)
    try:
        with store.reading() as conn:
            found = read.resolve_project(conn, project_id)
            if found is None:
                raise KeyError(f"no project {project_id.strip()!r} in the history")
            return read.series(conn, found, metric, periods)
    finally:
        store.close()
