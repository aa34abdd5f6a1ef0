"""Consolidate many trackers into one :class:`~addin.engine.run.PortfolioRun`.

Each file goes through the pipeline (:func:`~addin.engine.pipeline.check_tracker`) in
a worker process (:mod:`addin.engine.workers`), so an unreadable, encrypted, hostile or
hanging file becomes one Load Log entry with a one-line reason and the run goes on.
What a worker produces does not depend on the day of the run, so it is cached
(:mod:`addin.engine.cache`) and a weekly re-run re-reads only the trackers that
changed; :func:`~addin.engine.assemble.assemble` adds what does depend on the day.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from addin.core.findings import FileStatus
from addin.core.settings import Settings
from addin.core.words import printable
from addin.engine.assemble import assemble
from addin.engine.cache import Key, ResultCache, file_digest
from addin.engine.pipeline import TrackerResult, check_tracker, failed
from addin.engine.run import PortfolioRun
from addin.engine.workers import run_bounded

Progress = Callable[[int, int, str], None]

_WORKER: dict[str, Any] = {}


def _init_worker(settings_json: str) -> None:
    _WORKER["settings"] = Settings.model_validate_json(settings_json)


def _work(path: str) -> TrackerResult:
    return check_tracker(path, _WORKER["settings"])


def read_all(
    paths: Sequence[str],
    settings: Settings,
    *,
    jobs: int | None = None,
    cache_path: Path | None = None,
    progress: Progress | None = None,
) -> tuple[list[TrackerResult], list[str], int]:
    """Every file through the pipeline, from the cache where unchanged, else in workers.

    Returns:
        One result per path (in order), the paths read this time, and the cache hits.
    """
    total = len(paths)
    results: dict[str, TrackerResult] = {}
    keys: dict[str, Key] = {}
    cache = ResultCache(cache_path, settings.fingerprint) if cache_path else None
    done = 0
    todo: list[str] = []
    for p in paths:
        hit = None
        if cache is not None:
            try:
                size, mtime, digest = file_digest(Path(p))
                keys[p] = Key(printable(p), size, mtime, digest)
                hit = cache.get(keys[p])
            except OSError:
                hit = None
        if isinstance(hit, TrackerResult):
            hit.seconds = 0.0
            results[p] = hit
            done += 1
            if progress:
                progress(done, total, p)
        else:
            todo.append(p)

    fresh: list[tuple[Key, TrackerResult]] = []
    outcomes = run_bounded(
        todo,
        _work,
        settings.limits,
        jobs=jobs,
        initializer=_init_worker,
        initargs=(settings.model_dump_json(),),
    )
    for outcome in outcomes:
        p = todo[outcome.index]
        if outcome.value is not None:
            results[p] = outcome.value
            if p in keys:
                fresh.append((keys[p], outcome.value))
        else:
            results[p] = failed(p, FileStatus.UNREADABLE, outcome.error)
        done += 1
        if progress:
            progress(done, total, p)
    hits = 0
    if cache is not None:
        cache.put_many(fresh)
        hits = cache.hits
        cache.close()
    return [results[p] for p in paths], todo, hits


def consolidate(
    files: Sequence[Path | str],
    settings: Settings,
    *,
    as_of: dt.date | None = None,
    jobs: int | None = None,
    cache_path: Path | None = None,
    progress: Progress | None = None,
) -> PortfolioRun:
    """Read every file (in parallel, cached) and assemble the portfolio as of ``as_of``.

    Args:
        files: Workbooks to read (see :func:`addin.engine.discover.discover`).
        settings: Effective settings.
        as_of: The run's date: staleness and future Status Dates (default today).
        jobs: Worker processes (default: CPU count).
        cache_path: SQLite cache file; None for no cache.
        progress: Called as ``progress(done, total, file)`` after each file.
    """
    started = time.perf_counter()
    results, reread, hits = read_all(
        [str(p) for p in files], settings, jobs=jobs, cache_path=cache_path, progress=progress
    )
    run = assemble(results, settings, as_of or dt.date.today())
    run.reread, run.cache_hits = reread, hits
    run.seconds = time.perf_counter() - started
    return run
