"""Run the per-file work on a Dask cluster: ``pmo consolidate … --executor tcp://host:8786``.

The files are split into batches (:func:`batch_size`: 100 to 1,000 files) submitted
through ``Client.get_executor()``. A Dask worker runs its batch through the same isolated
process pool as a local run (:func:`addin.engine.workers.run_isolated`, one process per
batch, started from a fork server that has the engine imported), so every guarantee of a
local run holds on the cluster: each file's time and memory limit, one line per failed
file, a crash in a native parser costs one file, never the batch. Relative paths mean
what they mean here: the batch's process starts in this run's working folder, so the
cluster must see the files at the same paths (shared storage; docs/scale-out.md).

What cannot work for the whole run (no scheduler, no workers, workers that cannot start
processes or do not see the files where this machine does, another version of the add-in or
missing packages on the cluster: a first small task finds these before any file is sent,
and each batch checks its own again) is one :class:`~addin.core.errors.ExecutorError` line,
and nothing is written (not a portfolio of files "not found"); a batch whose Dask workers
died as often as Dask retries it (``KilledWorker``) is one line per file of that batch, and
the run goes on. A cluster that goes away during the run (the scheduler lost, or no worker
left for ``connect_timeout_seconds``) is one :class:`~addin.core.errors.ExecutorError` line
too, not a wait without end: the run cannot be finished as asked. Dask's own log records
stay out of the terminal while a run uses the cluster (they would print tracebacks under
that one line).
``distributed`` is imported only here, on use: a local run never pays for it.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import math
import multiprocessing as mp
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import addin
from addin.core.errors import ExecutorError
from addin.core.settings import EngineSettings, LimitSettings
from addin.core.words import one_line, printable
from addin.engine.wire import Outcome
from addin.engine.workers import run_isolated

T = TypeVar("T")
R = TypeVar("R")

BATCH_MIN = 100
BATCH_MAX = 1_000
#: Batches per worker thread when the size is picked: enough to balance uneven files.
BATCHES_PER_THREAD = 4
#: Modules the fork server imports once, so each batch's process starts warm.
_PRELOAD = ["addin.engine.consolidate", "addin.engine.pipeline"]
#: The loggers a run on the cluster keeps quiet, with those under them (see :func:`_quiet`).
_DASK_LOGS = ("distributed", "tornado", "asyncio")
#: Files of a batch (the first this machine sees) its worker checks it sees before reading.
SAMPLES = 5
#: Seconds a run waits on its batches before it asks the scheduler whether it has workers.
POLL_SECONDS = 2.0
_DOCS = "see docs/scale-out.md"


class _CannotRun(RuntimeError):
    """Raised on a Dask worker when no batch can run there; the run stops with its message."""


def batch_size(files: int, threads: int, configured: int = 0) -> int:
    """Files per Dask task: ``configured`` when set, else 100-1,000 (several per thread)."""
    if configured:
        return configured
    share = math.ceil(files / max(1, threads * BATCHES_PER_THREAD))
    return max(BATCH_MIN, min(BATCH_MAX, share))


@dataclass(frozen=True)
class Batch:
    """One Dask task: a run of consecutive items and how to treat each (picklable)."""

    start: int
    items: Sequence[Any]
    fn: Callable[[Any], Any]
    limits: LimitSettings
    initializer: Callable[..., None] | None
    initargs: tuple[Any, ...]
    activity: str
    cwd: str
    version: str
    #: A few of its files that this machine sees (see :func:`fit_to_run`).
    samples: tuple[str, ...] = ()


def _enter(cwd: str, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    """In a batch's process: start in the run's working folder, then the run's own set-up."""
    with contextlib.suppress(OSError):  # relative paths then fail per file, with a reason
        os.chdir(cwd)
    if initializer is not None:
        initializer(*initargs)


def fit_to_run(version: str, samples: Sequence[str] = ()) -> str:
    """On a Dask worker: raise unless it can run this run's batches; return its version.

    Raises:
        _CannotRun: this worker has another version of the add-in, is a daemon process
            (which may not start the per-file process), or sees none of ``samples`` (files
            this machine sees, by absolute path): the share is not mounted there, or not at
            the same path. One file missing is that file's failure; all of them, the
            cluster's, which would make a portfolio of files "not found".
    """
    if version != addin.__version__:
        raise _CannotRun(
            f"the Dask workers run pmo-addin {addin.__version__}, this run {version}: "
            f"install the same version on the scheduler and the workers ({_DOCS})"
        )
    if mp.current_process().daemon:
        raise _CannotRun(
            "the Dask workers are daemon processes, which may not start a process per file: "
            f"start them with DASK_DISTRIBUTED__WORKER__DAEMON=False ({_DOCS})"
        )
    if samples and not any(Path(sample).is_file() for sample in samples):
        raise _CannotRun(
            f"the Dask workers do not see this run's files ({printable(samples[0])} is not "
            f"there): they must see them at the same paths, on shared storage ({_DOCS})"
        )
    return version


def run_batch(batch: Batch) -> list[Outcome[Any]]:
    """On a Dask worker: the batch through an isolated process pool of one process.

    Raises:
        _CannotRun: see :func:`fit_to_run` (checked again: workers may join mid-run).
    """
    fit_to_run(batch.version, batch.samples)
    method = "forkserver" if "forkserver" in mp.get_all_start_methods() else None
    if method is not None:
        mp.set_forkserver_preload(_PRELOAD)
    outcomes = []
    for outcome in run_isolated(
        batch.items,
        batch.fn,
        jobs=1,
        timeout=batch.limits.timeout_seconds,
        memory_mb=batch.limits.worker_memory_mb,
        initializer=_enter,
        initargs=(batch.cwd, batch.initializer, batch.initargs),
        activity=batch.activity,
        start_method=method,
    ):
        outcome.index += batch.start
        outcomes.append(outcome)
    return outcomes


def _connect(engine: EngineSettings, samples: Sequence[str]) -> Any:
    from distributed import Client

    address, wait = engine.executor, engine.connect_timeout_seconds
    try:
        client = Client(address, timeout=wait, set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as exc:
        raise ExecutorError(
            f"cannot reach the Dask scheduler at {address}: {one_line(str(exc))} ({_DOCS})"
        ) from None
    try:
        client.wait_for_workers(1, timeout=wait)
    except (OSError, TimeoutError) as exc:
        client.close()  # type: ignore[no-untyped-call]
        raise ExecutorError(
            f"no Dask worker joined the scheduler at {address} within {wait:g} s ({_DOCS})"
        ) from exc
    try:  # one small task first: a cluster that cannot run ours says so before any file
        client.submit(fit_to_run, addin.__version__, samples, pure=False).result(timeout=wait)
    except Exception as exc:
        client.close()  # type: ignore[no-untyped-call]
        raise _stopped(address, exc) from None
    return client


def _stopped(address: str, exc: BaseException) -> ExecutorError:
    """The one line that stops a run the cluster at ``address`` cannot run."""
    if isinstance(exc, _CannotRun):
        return ExecutorError(str(exc))
    reason = f"{type(exc).__name__}: {one_line(str(exc))[:300]}"
    return ExecutorError(
        f"the Dask cluster at {address} cannot run pmo's tasks ({reason}); the scheduler and "
        f"the workers need the same Python packages as this machine ({_DOCS})"
    )


def run_on_cluster(
    items: Sequence[T],
    fn: Callable[[T], R],
    limits: LimitSettings,
    engine: EngineSettings,
    *,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
    activity: str = "reading",
    paths: Sequence[str] = (),
) -> Iterator[Outcome[R]]:
    """:func:`~addin.engine.workers.run_bounded` on the Dask cluster at ``engine.executor``.

    ``paths``: the file each item reads, in the same order (or none): the workers must see
    them where this machine does.

    Yields:
        One :class:`~addin.engine.wire.Outcome` per item (index into ``items``), a batch
        at a time as batches finish.

    Raises:
        ExecutorError: the cluster cannot run this work (the message says why, in one line).
    """
    if not items:
        return
    from distributed import KilledWorker

    with _quiet():
        client = _connect(engine, _samples(paths))
        pending: dict[Future[list[Outcome[R]]], Batch] = {}
        given = 0
        try:
            threads = sum(client.nthreads().values())
            size = batch_size(len(items), threads, engine.batch_size)
            executor = client.get_executor(pure=False)
            cwd, version = str(Path.cwd()), addin.__version__
            for start in range(0, len(items), size):
                batch = Batch(
                    start, list(items[start : start + size]), fn, limits, initializer, initargs,
                    activity, cwd, version, _samples(paths[start : start + size]),
                )  # fmt: skip
                pending[executor.submit(run_batch, batch)] = batch
            sizes = {future: len(batch.items) for future, batch in pending.items()}
            for future in _finished(client, sizes, engine):
                batch = pending.pop(future)
                try:
                    outcomes = future.result()
                except KilledWorker as exc:  # its Dask workers died, as often as Dask allows
                    reason = (
                        f"the Dask workers {activity} this file's batch died "
                        f"({one_line(str(exc))[:200]})"
                    )
                    outcomes = [
                        Outcome(batch.start + i, error=reason) for i in range(len(batch.items))
                    ]
                except CancelledError:  # not by this run: Dask's, on losing the scheduler
                    raise _lost(
                        engine.executor, given, len(items), "its connection closed"
                    ) from None
                except Exception as exc:  # not a file's fault (those are outcomes): the cluster's
                    raise _stopped(engine.executor, exc) from None
                given += len(outcomes)
                yield from outcomes
        finally:
            for future in pending:
                future.cancel()
            client.close()


def _samples(paths: Iterable[str]) -> tuple[str, ...]:
    """The first :data:`SAMPLES` of ``paths`` that are files here, absolute (for a worker).

    A file missing here too is not the cluster's fault: it fails on its own.
    """
    found = (str(Path(path).absolute()) for path in paths if Path(path).is_file())
    return tuple(itertools.islice(found, SAMPLES))


def _finished(
    client: Any, sizes: dict[Future[T], int], engine: EngineSettings
) -> Iterator[Future[T]]:
    """Each future (a batch of ``sizes[future]`` files) as it finishes, while it can.

    Raises:
        ExecutorError: the scheduler cannot be asked, or it has had no worker for
            ``engine.connect_timeout_seconds`` (Dask would hold the batches for a worker
            without end).
    """
    total, waiting, alone_since = sum(sizes.values()), set(sizes), None
    while waiting:
        done, waiting = wait(waiting, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
        if done:
            alone_since = None
            yield from done
            continue
        try:
            workers = client.nthreads()
        except Exception:  # whatever the reason (closed, timed out), the scheduler is gone
            unread = sum(sizes[future] for future in waiting)
            raise _lost(engine.executor, total - unread, total, "it stopped answering") from None
        if workers:
            alone_since = None
        elif alone_since is None:
            alone_since = time.monotonic()
        elif time.monotonic() - alone_since >= engine.connect_timeout_seconds:
            unread = sum(sizes[future] for future in waiting)
            raise ExecutorError(
                f"the Dask scheduler at {engine.executor} has had no worker for "
                f"{engine.connect_timeout_seconds:g} s, with {unread:,} of {total:,} "
                f"files not read: start workers and run again ({_DOCS})"
            )


def _lost(address: str, given: int, total: int, reason: str) -> ExecutorError:
    """The one line that stops a run whose scheduler went away."""
    return ExecutorError(
        f"lost the Dask scheduler at {address} after {given:,} of {total:,} files ({reason}): "
        f"run again when it is back ({_DOCS})"
    )


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Dask's log records kept out of the terminal: the run says what went wrong, in one line.

    Dask's client logs through ``distributed`` (some of whose loggers, such as
    ``distributed.client``, have their own level and handler) and through the event loop it
    runs on (``tornado``, ``asyncio``): the level of each is raised, then put back.
    """
    names = [n for n in logging.root.manager.loggerDict if n.split(".")[0] in _DASK_LOGS]
    loggers = [logging.getLogger(name) for name in [*_DASK_LOGS, *names]]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
