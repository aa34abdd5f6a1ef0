"""One file's task in a consolidation, and what is done with it: read, or taken from the cache.

A task (:data:`Task`) is a file's path with its cache entry, looked up as the task is
taken (:class:`Tasks`). A worker (:mod:`addin.engine.workers`) reads the file, or opens
and checks its entry, bounded in time and memory like a file (:func:`work`). An entry
this user's ``pmo`` sealed (:mod:`addin.core.seal`) needs no checks and is taken in the
run's own process (:func:`sealed_here`): sending it to a worker, for the worker to send the
same bytes back, cost a re-run more than the work.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, Protocol, runtime_checkable

import addin.core.timing as timing
from addin.core.list_view import ListView
from addin.core.packed_findings import PackedFindings
from addin.core.settings import Settings
from addin.core.spill import Spill
from addin.core.words import printable
from addin.engine.cache import Key, ResultCache
from addin.engine.cache_payload import loads
from addin.engine.packed import pack_columns
from addin.engine.pipeline import TrackerResult, check_tracker

#: A step an output runs on each tracker's result in the worker that read it (or took it
#: from the cache), so per-file work (rendering its rows, say) is spread over the workers.
Prepare = Callable[[TrackerResult], Any]


@runtime_checkable
class Kept(Protocol):
    """A :data:`Prepare` step whose work the cache keeps beside the result it was made from.

    On a re-run, a cache hit then costs a check of the kept bytes instead of the step
    itself. The engine stores and returns the bytes as they are; only the step reads them.
    """

    def __call__(self, result: TrackerResult) -> Any:
        """What the output makes of one tracker's result."""

    def pack(self, made: Any) -> bytes | None:
        """``made`` as bytes for the cache (None: nothing to keep)."""

    def unpack(self, data: bytes, result: TrackerResult, sealed: bool = False) -> Any | None:
        """What :meth:`pack` kept for ``result``, when it is sound; None to make it again.

        ``sealed``: the bytes come from an entry this user's ``pmo`` sealed (see
        :mod:`addin.core.seal`): what it kept, unchanged, with no need to check it again.
        """


@runtime_checkable
class Held(Protocol):
    """A prepare step whose output can wait for the outputs in a temporary file."""

    def hold(self, made: Any, spill: Spill) -> Any:
        """``made`` with its bulk set aside in ``spill``."""


_WORKER: dict[str, Any] = {}
#: A file's task: its path, its cache entry's bytes and what was kept beside them (or
#: None), and whether the entry is sealed (see :meth:`~addin.engine.cache.ResultCache.entry`).
Task = tuple[str, bytes | None, bytes | None, bool]


def init_worker(
    settings: Settings | str, prepare: Prepare | None = None, pack_from: int | None = None
) -> None:
    """Set a worker up for :func:`work`: the run's settings and its ``prepare`` step.

    ``settings``: the object itself for a worker of this machine (forked, or spawned and
    unpickled: they are not checked again); their JSON for a Dask worker, as the cluster
    has always been sent them. ``pack_from``: a tracker's findings, from this many, are
    sent to the run packed (a large run's local worker: see
    :data:`~addin.engine.consolidate.PACK_FINDINGS_FROM`); None sends them as they are.
    """
    if isinstance(settings, str):
        settings = Settings.model_validate_json(settings)
    _WORKER["settings"] = settings
    _WORKER["prepare"] = prepare
    _WORKER["keeps"] = prepare if isinstance(prepare, Kept) else None  # checked once, not a hit
    _WORKER["pack_from"] = pack_from


def work(task: Task) -> tuple[bool, Any, Any]:
    """One file: its cache entry when it has a sound one, else the pipeline's result.

    Returns:
        (True, the cache entry's bytes, prepared) - the run loads the very bytes checked
        here, which costs it no more than a result sent back, and this worker no pickling -
        or (False, the result of reading the file, prepared): ``prepared`` is what the run's
        ``prepare`` made of a tracker (else None), or took back from the cache.
    """
    path, blob, kept, sealed = task
    prepare: Prepare | None = _WORKER.get("prepare")
    keeps: Kept | None = _WORKER.get("keeps")
    result, prepared = _taken(path, blob, kept, sealed, keeps) if blob else (None, None)
    cached = result is not None
    if result is None:
        with timing.phase("map"):  # what the reader's own phases leave: finding the tables
            result = check_tracker(path, _WORKER["settings"])
    if prepared is None and prepare is not None and result.is_tracker:
        with timing.phase("render rows"):
            prepared = prepare(result)
    if not cached:
        pack_from: int | None = _WORKER.get("pack_from")
        with timing.phase("pack"):  # the run holds the columns deflated: see engine/packed
            for table in result.tables.values():
                table.columns = pack_columns(table.columns)
            if pack_from is not None and len(result.findings) >= pack_from:
                result.findings = PackedFindings(result.findings)
    return cached, (blob if cached else result), prepared


def _taken(
    path: str, blob: bytes, kept: bytes | None, sealed: bool, keeps: Kept | None
) -> tuple[TrackerResult | None, Any]:
    """A cache entry's result when sound, and what ``keeps`` kept beside it when sound."""
    from addin.engine.cached_result import from_cache

    with timing.phase("cache load"):
        result = from_cache(blob, path, checked=not sealed)
    if result is None or kept is None or keeps is None or not result.is_tracker:
        return result, None
    with timing.phase("reuse rows"):
        return result, keeps.unpack(kept, result, sealed)


def sealed_here(
    task: Task, prepare: Prepare | None, keeps: Kept | None
) -> Callable[[], Any] | None:
    """A sealed hit's work, to be done in the run's own process; None: a worker's task.

    For :func:`~addin.engine.workers.run_isolated`'s ``here``. Anything but an entry this
    user's ``pmo`` sealed, whose kept rows are sound, goes to a worker (so does a sealed
    entry that does not load after all: the worker reads the file). ``keeps`` is
    ``prepare`` when it is :class:`Kept` (else None): checked once by the caller, as a
    runtime protocol check costs more than taking a hit's kept rows.
    """
    path, blob, kept, sealed = task
    if not sealed or not blob:
        return None

    def take() -> tuple[bool, TrackerResult, Any] | None:
        result, prepared = _taken(path, blob, kept, sealed, keeps)
        if result is None or (prepared is None and prepare is not None and result.is_tracker):
            return None
        return True, result, prepared

    return take


def reloaded(blob: bytes) -> TrackerResult:
    """The result of a cache entry a worker has loaded and checked: the same bytes again."""
    result: TrackerResult = loads(blob)
    result.seconds = 0.0  # as checked_result sets it
    return result


class Tasks(ListView[Task]):
    """Each file's task - its path, and its cache entry - looked up when the task is sent.

    Looked up before the first task, every file was hashed while the workers waited, and
    every entry of a re-run was held in the main process until the run ended (40 MB of a
    warm run's peak at 1,000 trackers). Now a file is hashed and its entry read when its
    task is taken (by :func:`~addin.engine.workers.run_isolated`, or for a Dask batch),
    while the workers read the files before it; the entry is held until it is sent (or
    taken in the run's process: :func:`sealed_here`).
    """

    def __init__(self, paths: Sequence[str], cache: ResultCache | None, max_bytes: float):
        """Tasks for ``paths``; with a ``cache``, files of at most ``max_bytes`` are looked up."""
        self._paths, self._cache, self._max_bytes = paths, cache, max_bytes
        #: The cache key of each file looked up so far (a file not hashed has none).
        self.keys: dict[str, Key] = {}
        self._times: dict[str, tuple[int, int]] | None = None

    def likely_here(self, index: int) -> bool:
        """Whether a file's task will probably be taken in the run's process (a guess).

        True when the file has the size and modification time its sealed entry was made
        from: a file a re-run need not read (see :func:`sealed_here`). One stat, no hash;
        the task itself still decides. See ``likely_here`` in
        :func:`~addin.engine.workers.run_isolated`.
        """
        if self._times is None:
            self._times = self._cache.sealed_times() if self._cache is not None else {}
        path = self._paths[index]
        stored = self._times.get(printable(path))
        if stored is None:
            return False
        try:
            st = os.stat(path)  # noqa: PTH116 - no Path parsed for each file of a run
        except (OSError, ValueError):
            return False
        return (st.st_size, st.st_mtime_ns) == stored

    def __len__(self) -> int:
        return len(self._paths)

    def _item(self, index: int) -> Task:
        path = self._paths[index]
        if self._cache is None:
            return (path, None, None, False)
        with timing.phase("cache lookup"):
            key, found = self._cache.lookup(path, self._max_bytes)
        if key is not None:
            self.keys[path] = key
        return (path, *(found or (None, None, False)))
