"""Consolidate many trackers into one :class:`~addin.engine.run.PortfolioRun`.

Each file goes through the pipeline (:func:`~addin.engine.pipeline.check_tracker`) in
a worker process (:mod:`addin.engine.workers`), so an unreadable, encrypted, hostile or
hanging file becomes one Load Log entry with a one-line reason and the run goes on.
What a worker produces does not depend on the day of the run, so it is cached
(:mod:`addin.engine.cache`) and a weekly re-run re-reads only the trackers that
changed. A cache entry is opened and checked (:mod:`addin.engine.cached_result`) in a
worker too: in parallel, and bounded in time and memory like a file; an entry sealed by
this user (:mod:`addin.core.seal`) needs no checks and is taken in this process
(:mod:`addin.engine.file_task`). Then :func:`~addin.engine.assemble.assemble` adds what
depends on the day.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
import sys
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import addin.core.timing as timing
from addin.core.bulk import bulk
from addin.core.errors import ExecutorError
from addin.core.findings import FileStatus, held_once
from addin.core.ours import skip_reason
from addin.core.packed_findings import PackedFindings
from addin.core.repeated import Consecutive, Repeated
from addin.core.seal import Seal
from addin.core.settings import Settings
from addin.core.shared_values import ValuePool
from addin.core.spill import Spill
from addin.engine.assemble import assemble
from addin.engine.cache import Key, ResultCache
from addin.engine.file_task import (
    Held,
    Kept,
    Prepare,
    Tasks,
    init_worker,
    reloaded,
    sealed_here,
    work,
)
from addin.engine.packed import spill_columns
from addin.engine.pipeline import TrackerResult, failed
from addin.engine.run import PortfolioRun
from addin.engine.superseded import superseded
from addin.engine.wire import Outcome
from addin.engine.workers import run_bounded

Progress = Callable[[int, int, str], None]
V = TypeVar("V")

_MB = 1024 * 1024
#: Fresh results stored in the cache this many at a time, so their values are let go early.
CACHE_BATCH = 100
#: A run of more files than this keeps its memory from growing with them: it sets its
#: tables' columns and prepared rows aside in the ``spill`` folder as they arrive (20,000
#: trackers: 783 -> 521 MB), and holds the values its results share once
#: (:func:`share_values`). A smaller one holds them in memory as they come, ~45 MB a 1,000
#: trackers (messy ones, their Findings rows too), rather than spend ~0.35 s a 1,000
#: writing them to the file and reading them back, and sharing them.
LARGE_RUN = 2_000
#: A large run holds a tracker's findings packed (:mod:`addin.core.packed_findings`) from
#: this many: fewer take less room as the tuples they are, their texts shared over the
#: run (4 findings: 0.6 KB as tuples, 0.85 KB packed; 8: 1.1 against 0.95 KB).
PACK_FINDINGS_FROM = 8


def share_values(result: TrackerResult, pool: ValuePool) -> None:
    """Hold, in place, what ``result``'s tables say on every row in as little as it takes.

    A table's row numbers that count up one by one become :class:`Consecutive`, and the
    sheet name of its every row, when they are all one, that name :class:`Repeated` (one
    string for the run, shared through ``pool``): 4.8 KB a standard tracker as lists. A
    table on several sheets keeps a list of sheet names, equal ones shared (see
    :mod:`addin.core.shared_values`). The values themselves arrive packed, nothing to
    share (see :mod:`addin.engine.packed`). Where each table was found keeps one copy of
    each column-letter map, each table's first columns and the order of the sheets:
    trackers made from one template all have the same (7 KB each). The names of kinds and
    fields, a new string each in every result that arrives, are the run's one copy of each
    (`sys.intern`: 2.8 KB a tracker). Its findings, from :data:`PACK_FINDINGS_FROM` of
    them, are held packed (:mod:`~addin.core.packed_findings`: 5,000 messy bench
    trackers' peak 317 -> 167 MB, 20,000: 1,171 -> 570 MB), as the local worker that
    read the file sent them (:func:`~addin.engine.file_task.init_worker`); fewer keep
    their tuples, their texts the run's first equal ones
    (:func:`~addin.core.findings.held_once`): the same problem in trackers of one
    template reads the same (300 messy bench trackers hold 12,220 messages, 848 texts).
    All of it pickles as the lists it stands for (the cache stores plain lists).
    """
    result.tables = _interned(result.tables)
    result.infos = _interned(result.infos)
    result.lefts = _interned(result.lefts)
    for key, table in result.tables.items():
        table.kind = sys.intern(table.kind)
        table.columns = _interned(table.columns)
        rows = Consecutive.of(table.rows)
        if rows is not None:
            table.rows = rows
        sheets = table.sheets
        if type(sheets) is list and sheets:
            first = sheets[0]
            if sheets.count(first) == len(sheets):
                table.sheets = Repeated(pool.one((key, "#sheet"), first, first), len(sheets))
            else:
                pool.share((key, "#sheet"), sheets)
    for key, info in result.infos.items():
        letters = pool.one(("#letters", key), info.columns, tuple(info.columns.items()))
        if letters is not info.columns:
            result.infos[key] = dataclasses.replace(info, columns=letters)
    for key, lefts in result.lefts.items():
        result.lefts[key] = pool.one(("#lefts", key), lefts, tuple(lefts.items()))
    result.sheet_order = pool.one("#sheet order", result.sheet_order, tuple(result.sheet_order))
    if isinstance(result.findings, PackedFindings):
        pass  # packed by the worker that read the file
    elif len(result.findings) >= PACK_FINDINGS_FROM:
        result.findings = PackedFindings(result.findings)
    else:
        result.findings = held_once(result.findings, pool)


def _interned(named: dict[str, V]) -> dict[str, V]:
    """``named`` with each name the interpreter's one copy of it."""
    return {sys.intern(name): value for name, value in named.items()}


def read_all(
    paths: Sequence[str],
    settings: Settings,
    *,
    jobs: int | None = None,
    cache_path: Path | None = None,
    progress: Progress | None = None,
    prepare: Prepare | None = None,
    phases: dict[str, float] | None = None,
    pool: ValuePool | None = None,
    spill: Path | None = None,
) -> tuple[list[TrackerResult], list[str], int, dict[str, Any], str]:
    """Every file through the pipeline, from the cache where unchanged, else read.

    ``phases``, when given, gets the seconds the workers spent per phase added to it.
    ``pool``, when given, shares equal values among the results as each arrives, in a run
    of more than :data:`LARGE_RUN` files.
    ``spill``, when given, is a folder where, in a run of more than :data:`LARGE_RUN`
    files, the tables' columns, and what ``prepare`` made (when the step can:
    :class:`Held`), wait for the outputs in a temporary file (see :mod:`addin.core.spill`
    and :func:`~addin.engine.packed.spill_columns`).

    Returns:
        One result per path (in order), the paths read this time, the cache hits, what
        ``prepare`` made of each tracker (by path), and why the cache was left unused
        for part of the run (kept as it was: see :meth:`ResultCache.put_many`), or "".

    Raises:
        UnsafePathError: ``cache_path`` is not ours to write (nothing was read).
        ExecutorError: ``settings.engine.executor`` names a Dask cluster that cannot run
            the work (nothing was read), or it went away during the run (what it read is
            in the cache, when there is one).
    """
    total = len(paths)
    cache = None
    if cache_path is not None:
        cache = ResultCache(cache_path, settings.results_fingerprint, seal=Seal.mine())
    max_bytes = settings.limits.max_file_mb * _MB
    tasks = Tasks(paths, cache, max_bytes)
    keys = tasks.keys  # filled as tasks are sent, before their results come back

    keeps = prepare if isinstance(prepare, Kept) else None
    holds = prepare if isinstance(prepare, Held) else None
    aside = Spill(spill) if spill is not None and total > LARGE_RUN else None
    results: dict[str, TrackerResult] = {}
    prepared: dict[str, Any] = {}
    fresh: list[tuple[Key, TrackerResult, bytes | None]] = []
    hits = 0
    read: set[str] = set()
    # A local worker takes the settings as they are (from JSON they would be checked again).
    initargs = (settings if settings.engine.local else settings.model_dump_json(), prepare)
    here = functools.partial(sealed_here, prepare=prepare, keeps=keeps)  # a sealed hit
    if settings.engine.local:
        # A large run's workers send findings packed (the run would pack them: share_values)
        pack_from = PACK_FINDINGS_FROM if total > LARGE_RUN else None
        outcomes = run_bounded(
            tasks,
            work,
            settings.limits,
            jobs=jobs,
            initializer=init_worker,
            initargs=(*initargs, pack_from),
            here=here,
            likely_here=tasks.likely_here,
        )
    else:
        from addin.engine.cluster import run_on_cluster

        outcomes = run_on_cluster(
            tasks,
            work,
            settings.limits,
            settings.engine,
            initializer=init_worker,
            initargs=initargs,
            paths=paths,
            here=here,
            likely_here=tasks.likely_here,
        )
    for done, outcome in enumerate(_kept_if_lost(outcomes, cache, fresh), 1):
        p = paths[outcome.index]
        if phases is not None:
            timing.add(phases, outcome.phases)
        if outcome.value is not None:
            cached, value, made = outcome.value
            if cached:
                hits += 1
                if isinstance(value, TrackerResult):  # taken here (see sealed_here)
                    result = value
                else:
                    with timing.phase("unpickle"):
                        result = reloaded(value)
            else:
                result = value
                read.add(p)
                if p in keys:
                    packed = keeps.pack(made) if keeps is not None and made is not None else None
                    fresh.append((keys[p], result, packed))
                if cache is not None and len(fresh) >= CACHE_BATCH:
                    with timing.phase("cache store"):
                        cache.put_many(fresh)
                    fresh.clear()
            if made is not None:  # after the cache took its copy
                if holds is not None and aside is not None:
                    try:
                        with timing.phase("set rows aside"):
                            made = holds.hold(made, aside)
                    except OSError:  # no room, or no folder: the rest waits in memory
                        aside = None
                prepared[p] = made
            if pool is not None and total > LARGE_RUN:
                with timing.phase("share values"):
                    share_values(result, pool)
            if aside is not None:
                try:
                    with timing.phase("set columns aside"):  # see engine/packed
                        for table in result.tables.values():
                            table.columns = spill_columns(table.columns, aside)
                except OSError:  # no room, or no folder: the rest waits in memory
                    aside = None
            results[p] = result
        else:
            read.add(p)
            results[p] = failed(p, FileStatus.UNREADABLE, outcome.error)
        if progress:
            progress(done, total, p)
    if cache is not None:
        with timing.phase("cache store"):
            cache.put_many(fresh)
            cache.close()
    unsaved = cache.unsaved if cache is not None else ""
    return [results[p] for p in paths], [p for p in paths if p in read], hits, prepared, unsaved


def _kept_if_lost(
    outcomes: Iterator[Outcome[Any]],
    cache: ResultCache | None,
    fresh: list[tuple[Key, TrackerResult, bytes | None]],
) -> Iterator[Outcome[Any]]:
    """``outcomes``; if the cluster goes away during the run, the results read are stored first.

    ``fresh``: the results read and not stored yet (the run's own list, as it stands when
    the cluster goes away). The run's one line then says the cache keeps them.
    """
    try:
        yield from outcomes
    except ExecutorError as exc:
        if cache is None:
            raise
        cache.put_many(fresh)
        fresh.clear()
        cache.close()
        if cache.unsaved or not cache.stored:
            raise
        raise ExecutorError(
            f"{exc}; the {cache.stored:,} files read are in the cache: the next run reads only "
            "the rest"
        ) from None


def _skip_ours(result: TrackerResult, named: bool) -> TrackerResult:
    """An annotated copy found in a folder (known by content) is skipped, not read."""
    reason = skip_reason(result.pmo_output, named=named)
    if reason is None or result.status is FileStatus.SKIPPED:
        return result
    skipped = failed(result.file, FileStatus.SKIPPED, reason)
    skipped.pmo_output = result.pmo_output
    return skipped


def consolidate(
    files: Sequence[Path | str],
    settings: Settings,
    *,
    as_of: dt.date | None = None,
    jobs: int | None = None,
    cache_path: Path | None = None,
    progress: Progress | None = None,
    skipped: Sequence[tuple[Path, str]] = (),
    named: Collection[str] = (),
    prepare: Prepare | None = None,
    spill: Path | None = None,
) -> PortfolioRun:
    """Read every file (in parallel, cached) and assemble the portfolio as of ``as_of``.

    Args:
        files: Workbooks to read (see :func:`addin.engine.discover.discover`).
        settings: Effective settings.
        as_of: The run's date: staleness and future Status Dates (default today).
        jobs: Worker processes (default: CPU count).
        cache_path: SQLite cache file; None for no cache.
        progress: Called as ``progress(done, total, file)`` after each file.
        skipped: Files left out before reading, with their reasons (``skipped`` in the
            Load Log; see :attr:`addin.engine.discover.Discovery.skipped`).
        named: The files named on the command line (normalised paths): an annotated copy
            among them is read; one found in a folder is skipped (see :mod:`addin.core.ours`).
        prepare: A step an output runs on each tracker's result in its worker (a
            module-level function); what it returns is in :attr:`PortfolioRun.prepared`.
        spill: A folder where the tables' columns and what ``prepare`` made wait for the
            outputs, in a temporary file, in a run of more than :data:`LARGE_RUN` files
            (see :func:`read_all`); None: in memory.

    Raises:
        UnsafePathError: ``cache_path`` is not ours to write (nothing was read).
    """
    started = time.perf_counter()
    paths = [str(p) for p in files]
    workers: dict[str, float] = {}
    pool = ValuePool()
    with bulk():  # millions of long-lived objects, next to no cycles: see core/bulk
        results, reread, hits, prepared, unsaved = read_all(
            paths,
            settings,
            jobs=jobs,
            cache_path=cache_path,
            progress=progress,
            prepare=prepare,
            phases=workers,
            pool=pool,
            spill=spill,
        )
        chosen = {os.path.normpath(str(n)) for n in named}
        ordered = [_skip_ours(r, os.path.normpath(r.file) in chosen) for r in results]
        left_out = superseded(
            [(r.file, r.adopted_from) for r in ordered], lambda f: os.path.normpath(f) in chosen
        )
        for i, reason in left_out.items():
            ordered[i] = failed(ordered[i].file, FileStatus.SKIPPED, reason)
        ordered += [failed(str(f), FileStatus.SKIPPED, reason) for f, reason in skipped]
        with timing.phase("assemble"):
            run = assemble(ordered, settings, as_of or dt.date.today(), pool=pool)
    run.reread, run.cache_hits, run.prepared = reread, hits, prepared
    run.cache_unsaved = f"{cache_path}: {unsaved}" if unsaved else ""
    run.phases.workers = workers
    run.seconds = time.perf_counter() - started
    return run
