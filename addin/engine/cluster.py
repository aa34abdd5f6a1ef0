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
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, wait
from pathlib import Path
from typing import Any, TypeVar

import addin
from addin.core.errors import ExecutorError
from addin.core.settings import EngineSettings, LimitSettings
from addin.core.words import one_line
from addin.engine.cluster_batch import DOCS as _DOCS
from addin.engine.cluster_batch import Batch, CannotRun, fit_to_run, run_batch
from addin.engine.wire import Outcome

T = TypeVar("T")
R = TypeVar("R")

BATCH_MIN = 100
BATCH_MAX = 1_000
#: Batches per worker thread when the size is picked: enough to balance uneven files.
BATCHES_PER_THREAD = 4
#: The loggers a run on the cluster keeps quiet, with those under them (see :func:`_quiet`).
_DASK_LOGS = ("distributed", "tornado", "asyncio")
#: Files of a batch (the first this machine sees) its worker checks it sees before reading.
SAMPLES = 5
#: Seconds a run waits on its batches before it asks the scheduler whether it has workers.
POLL_SECONDS = 2.0


def batch_size(files: int, threads: int, configured: int = 0) -> int:
    """Files per Dask task: ``configured`` when set, else 100-1,000 (several per thread)."""
    if configured:
        return configured
    share = math.ceil(files / max(1, threads * BATCHES_PER_THREAD))
    return max(BATCH_MIN, min(BATCH_MAX, share))


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
    except TimeoutError:  # queued behind other work (a shared cluster), or stuck: not ours
        client.close()  # type: ignore[no-untyped-call]
        raise ExecutorError(
            f"the Dask cluster at {address} did not run a first small task within {wait:g} s: "
            "its workers are busy with other work, or stuck; run again when they are free, "
            f"or raise [engine] connect_timeout_seconds ({_DOCS})"
        ) from None
    except Exception as exc:
        client.close()  # type: ignore[no-untyped-call]
        raise _stopped(address, exc) from None
    return client


def _stopped(address: str, exc: BaseException) -> ExecutorError:
    """The one line that stops a run the cluster at ``address`` cannot run."""
    if isinstance(exc, CannotRun):
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
    here: Callable[[T], Callable[[], R | None] | None] | None = None,
    likely_here: Callable[[int], bool] | None = None,
) -> Iterator[Outcome[R]]:
    """:func:`~addin.engine.workers.run_bounded` on the Dask cluster at ``engine.executor``.

    ``paths``: the file each item reads, in the same order (or none): the workers must see
    them where this machine does. ``here``, ``likely_here``: as for
    :func:`~addin.engine.workers.run_isolated`: the items ``likely_here`` guesses are done
    in this process (by ``here``) while the cluster works on the others, and those ``here``
    declines are sent after them. A re-run sends the cluster only what it must read, not
    every cache entry there and back; a run with nothing to send does not connect.

    Yields:
        One :class:`~addin.engine.wire.Outcome` per item (index into ``items``): those done
        here first, then a batch at a time as batches finish.

    Raises:
        ExecutorError: the cluster cannot run this work (the message says why, in one line).
    """
    everyone = range(len(items))
    likely = {i for i in everyone if likely_here(i)} if here and likely_here else set()
    local = sorted(likely)
    remote = [i for i in everyone if i not in likely]
    sender = _Sender(items, fn, limits, engine, initializer, initargs, activity, paths)
    given = 0
    try:
        sender.send(remote)
        declined = []
        for i in local:
            outcome = _done_here(here, items[i], i)
            if outcome is None:
                declined.append(i)
                continue
            given += 1
            yield outcome
        sender.send(declined)
        for outcome in sender.outcomes(given):
            given += 1
            yield outcome
    finally:
        sender.close()


def _done_here(
    here: Callable[[T], Callable[[], R | None] | None] | None, item: T, index: int
) -> Outcome[R] | None:
    """The item's outcome, done in this process; None: a worker's (``here`` declined)."""
    call = here(item) if here is not None else None
    try:
        value = call() if call is not None else None
    except Exception:  # as run_isolated does: its worker reads it, with the limits
        value = None
    return None if value is None else Outcome(index, value=value)


class _Sender:
    """The run's batches on the cluster: connected on the first batch, closed at the end."""

    def __init__(
        self,
        items: Sequence[Any],
        fn: Callable[[Any], Any],
        limits: LimitSettings,
        engine: EngineSettings,
        initializer: Callable[..., None] | None,
        initargs: tuple[Any, ...],
        activity: str,
        paths: Sequence[str],
    ) -> None:
        self._items, self._fn, self._limits, self._engine = items, fn, limits, engine
        self._setup = (initializer, initargs, activity, str(Path.cwd()), addin.__version__)
        self._paths = paths
        self._client: Any = None
        self._quiet = contextlib.ExitStack()
        self._executor: Any = None
        self._size = 0
        self.pending: dict[Future[list[Outcome[Any]]], Batch] = {}

    def send(self, indices: Sequence[int]) -> None:
        """Submit ``indices``' items in batches (connecting first, when not yet)."""
        if not indices:
            return
        if self._client is None:
            self._quiet.enter_context(_quiet())
            self._client = _connect(self._engine, self._samples(indices))
            threads = sum(self._client.nthreads().values())
            self._size = batch_size(len(indices), threads, self._engine.batch_size)
            self._executor = self._client.get_executor(pure=False)
        for k in range(0, len(indices), self._size):
            chunk = indices[k : k + self._size]
            batch = Batch(
                chunk, [self._items[i] for i in chunk], self._fn, self._limits, *self._setup,
                self._samples(chunk),
            )  # fmt: skip
            self.pending[self._executor.submit(run_batch, batch)] = batch

    def _samples(self, indices: Sequence[int]) -> tuple[str, ...]:
        """A few of the files of ``indices`` that this machine sees (see :func:`_samples`)."""
        return _samples(self._paths[i] for i in indices) if self._paths else ()

    def outcomes(self, given: int) -> Iterator[Outcome[Any]]:
        """The outcomes of every batch sent, a batch at a time; ``given``: those yielded before."""
        if not self.pending:
            return
        from distributed import KilledWorker

        total, engine, activity = len(self._items), self._engine, self._setup[2]
        sizes = {future: len(batch.items) for future, batch in self.pending.items()}
        for future in _finished(self._client, sizes, engine, total - sum(sizes.values())):
            batch = self.pending.pop(future)
            try:
                outcomes = future.result()
            except KilledWorker as exc:  # its Dask workers died, as often as Dask allows
                reason = (
                    f"the Dask workers {activity} this file's batch died "
                    f"({one_line(str(exc))[:200]})"
                )
                outcomes = [Outcome(i, error=reason) for i in batch.indices]
            except CancelledError:  # not by this run: Dask's, on losing the scheduler
                raise _lost(engine.executor, given, total, "its connection closed") from None
            except Exception as exc:  # not a file's fault (those are outcomes): the cluster's
                raise _stopped(engine.executor, exc) from None
            given += len(outcomes)
            yield from outcomes

    def close(self) -> None:
        """Cancel the batches not finished; leave the cluster."""
        for future in self.pending:
            future.cancel()
        if self._client is not None:
            self._client.close()
        self._quiet.close()


def _samples(paths: Iterable[str]) -> tuple[str, ...]:
    """The first :data:`SAMPLES` of ``paths`` that are files here, absolute (for a worker).

    A file missing here too is not the cluster's fault: it fails on its own.
    """
    found = (str(Path(path).absolute()) for path in paths if Path(path).is_file())
    return tuple(itertools.islice(found, SAMPLES))


def _finished(
    client: Any, sizes: dict[Future[T], int], engine: EngineSettings, before: int = 0
) -> Iterator[Future[T]]:
    """Each future (a batch of ``sizes[future]`` files) as it finishes, while it can.

    ``before``: the run's files done otherwise (in this process), counted in the messages.

    Raises:
        ExecutorError: the scheduler cannot be asked, or it has had no worker for
            ``engine.connect_timeout_seconds`` (Dask would hold the batches for a worker
            without end).
    """
    total, waiting, alone_since = before + sum(sizes.values()), set(sizes), None
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
    runs on (``tornado``, ``asyncio``): the level of each is raised, then put back. It
    imports ``distributed`` first, which sets its loggers up.

    Raises:
        ExecutorError: ``distributed`` is not installed here (an extra of ours).
    """
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise ExecutorError(
            "a run on a Dask cluster needs Dask's distributed package on this machine: "
            f'pip install "pmo-addin[dask]" ({_DOCS})'
        ) from None
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
