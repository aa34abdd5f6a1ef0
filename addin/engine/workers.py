"""A small process pool where one bad input costs one task, never the run.

:func:`run_isolated` runs ``fn(item)`` for every item in worker processes. A task that
runs longer than ``timeout`` has its worker stopped and replaced; a worker that dies (a
crash in a native parser, the memory limit) is replaced too. Either way the task's
result is ``failed(item, reason)`` and the run goes on. Workers may be given an
address-space limit so one enormous file cannot exhaust the machine, and there are
never more of them than CPUs (:func:`effective_jobs`).

Workers never outlive the run (:mod:`addin.engine.worker_process`): the kernel kills
them with their parent (Linux); each closes the parent-side pipe ends it inherited, so
a parent's death reads as end-of-file, not a wait forever; an idle worker also checks
that its parent is still the same. They ignore Ctrl-C (the parent handles it); a run
that ends early sends them SIGTERM, which unwinds the task (removing any temporary file
it was writing), and SIGKILL after :data:`STOP_GRACE_SECONDS`.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing as mp
import os
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import addin.core.timing as timing
from addin.engine.wire import Outcome, received, send_outcome
from addin.engine.worker_process import (
    EXIT_NO_MEMORY,
    Stopped,
    death_reason,
    die_with_parent,
    ignore_unraisable,
    limit_memory,
    prepare_signals,
    quiet,
    start_process,
)

if TYPE_CHECKING:
    from addin.core.settings import LimitSettings

T = TypeVar("T")
R = TypeVar("R")

#: How often an idle worker checks that its parent is still alive, in seconds.
_PARENT_CHECK_SECONDS = 1.0
#: Most items taken ahead of the workers to be done in this process (see ``run_isolated``).
AHEAD = 16
#: How long a stopped worker may take to unwind (remove its temporary files) before SIGKILL.
STOP_GRACE_SECONDS = 1.0


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity where the system says, else all)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # not on macOS or Windows
        return os.cpu_count() or 1


def effective_jobs(requested: int | None) -> int:
    """Worker processes a run uses: ``requested`` capped at :func:`available_cpus` (at least 1).

    More readers than CPUs only add memory (a worker holds a whole workbook), never speed;
    ``None`` means one per CPU. Every per-file run goes through :func:`run_bounded`, which
    applies this, so validate, consolidate and annotate share the cap.
    """
    cpus = available_cpus()
    return cpus if requested is None else max(1, min(requested, cpus))


def _worker_main(
    conn: Connection,
    fn: Callable[[Any], Any],
    initializer: Callable[..., None] | None,
    initargs: tuple[Any, ...],
    memory_mb: float | None,
    activity: str,
    parent_pid: int | None,
    inherited: Sequence[Connection] = (),
) -> None:
    quiet()
    prepare_signals()
    parent_pid = die_with_parent(parent_pid)
    for end in inherited:  # the parent's ends of this worker's pipe and of the others'
        with contextlib.suppress(OSError):
            end.close()
    limit_memory(memory_mb)
    # An object that fails to clean up after a task ran out of memory ("Exception ignored
    # in ...") has nothing to tell the run: the task's outcome says what happened.
    sys.unraisablehook = ignore_unraisable
    timing.reset()  # a forked worker starts with its parent's counters
    if initializer is not None:
        with timing.phase("worker start"):
            initializer(*initargs)
    try:
        _serve(conn, fn, activity, parent_pid)
    except MemoryError:  # even a reason could not be sent: the parent reads the exit code
        os._exit(EXIT_NO_MEMORY)


def _serve(conn: Connection, fn: Callable[[Any], Any], activity: str, parent_pid: int) -> None:
    out_of_memory = ("error", f"ran out of memory while {activity} this file (too large?)")
    while True:
        try:
            while not conn.poll(_PARENT_CHECK_SECONDS):
                if os.getppid() != parent_pid:  # orphaned: nobody will send another task
                    return
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, item = message
        result: tuple[str, Any] | None = None
        try:
            result = ("ok", fn(item))
        except MemoryError:
            pass  # handled below, once the handler has let go of the frames holding the memory
        except Stopped:
            raise
        except BaseException as exc:
            last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
            where = f" at {Path(last[0].filename).name}:{last[0].lineno}" if last else ""
            text = " ".join(str(exc).split())[:300]  # one line, whatever the exception says
            result = ("error", f"internal error {type(exc).__name__}: {text}{where}")
        if result is None:
            gc.collect()  # what filled the memory may still be held by reference cycles
            result = out_of_memory
        try:
            send_outcome(conn, index, result)
        except MemoryError:
            gc.collect()
            conn.send((index, out_of_memory))


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Connection
    task: int | None = None
    started: float = 0.0


#: Workers of every run in progress, so an interruption can stop them (see :func:`stop_all`).
_LIVE: set[_Worker] = set()


def _stop(workers: Sequence[_Worker], grace: float) -> None:
    """Stop workers now: SIGTERM lets each unwind its task (temporary files go), then SIGKILL."""
    for w in workers:
        with contextlib.suppress(Exception):
            w.process.terminate()
    deadline = time.monotonic() + grace
    for w in workers:
        with contextlib.suppress(Exception):
            w.process.join(max(0.0, deadline - time.monotonic()))
    for w in workers:
        _retire(w)


def _retire(w: _Worker) -> None:
    """Kill a worker if it still runs, reap it and close its pipe."""
    with contextlib.suppress(Exception):
        w.process.kill()
    with contextlib.suppress(Exception):
        w.process.join(5)
    with contextlib.suppress(Exception):
        w.conn.close()
    _LIVE.discard(w)


def stop_all(grace: float = STOP_GRACE_SECONDS) -> None:
    """Stop the workers of every run in progress (an interrupted command calls this).

    A run stops its own workers when it ends or raises; this also covers a run whose
    consumer was interrupted between two outcomes, before the run itself could notice.
    """
    _stop(list(_LIVE), grace)


def run_isolated(
    items: Sequence[T],
    fn: Callable[[T], R],
    *,
    jobs: int,
    timeout: float | None = None,
    memory_mb: float | None = None,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
    activity: str = "reading",
    start_method: str | None = None,
    here: Callable[[T], Callable[[], R | None] | None] | None = None,
    likely_here: Callable[[int], bool] | None = None,
) -> Iterator[Outcome[R]]:
    """Run ``fn`` over ``items`` in ``jobs`` worker processes; yield outcomes as they finish.

    When the run ends early (an exception, Ctrl-C, the consumer stops iterating) its
    workers are stopped at once: each gets SIGTERM and :data:`STOP_GRACE_SECONDS` to
    unwind, then SIGKILL.

    Args:
        items: The tasks (picklable).
        fn: A module-level function (picklable) applied to each item.
        jobs: Number of worker processes (at least 1).
        timeout: Seconds one task may take before its worker is stopped; None for no limit.
        memory_mb: Address-space limit of each worker in MB (Linux/macOS); None for none.
        initializer: Called once in each worker with ``initargs`` (e.g. to install settings).
        initargs: Arguments of ``initializer``.
        activity: What a task does to its item, for the reasons (``reading``, ``annotating``).
        start_method: How workers start (``fork``, ``forkserver``, ``spawn``); None for the
            platform's default.
        here: For an item whose work is known safe and small (a result this user's run
            sealed, say), a call that does it in this process; None sends it to a worker.
            Such calls are made while no worker has a result waiting, a few items ahead of
            the workers; one that returns None, or raises, sends its item to a worker.
        likely_here: With ``here``, a cheap guess, by index, of the items ``here`` will take
            (a cache entry of a file that has kept its size and time, say). The others are
            taken first, for the workers, while this process does those it guessed: taken
            in order, the workers waited for it to reach each of theirs.

    Yields:
        One :class:`Outcome` per item, in completion order.
    """
    if not items:
        return
    ctx = mp.get_context(start_method)
    method = ctx.get_start_method()
    forked = method == "fork"
    parent_pid = os.getpid() if method in ("fork", "spawn") else None
    order = range(len(items))
    likely = {i for i in order if likely_here(i)} if here is not None and likely_here else set()
    pending = [i for i in reversed(order) if i not in likely]  # first, for the workers
    later = [i for i in reversed(order) if i in likely]  # probably done here
    workers: list[_Worker] = []
    ahead: deque[tuple[int, Callable[[], R | None]]] = deque()  # to do here, in order
    queued: deque[tuple[int, T]] = deque()  # for the next worker free
    sent: set[int] = set()  # items whose call here declined: a worker's

    def spawn() -> _Worker:
        parent, child = ctx.Pipe()
        # A forked worker inherits every parent-side pipe end open now; it closes them, or
        # the workers would keep each other's pipes open after the parent died.
        inherited = (parent, *(w.conn for w in workers)) if forked else ()
        args = (child, fn, initializer, initargs, memory_mb, activity, parent_pid, inherited)
        process = start_process(ctx, _worker_main, args)
        child.close()
        w = _Worker(process, parent)
        _LIVE.add(w)
        return w

    def take(index: int) -> None:
        item = items[index]
        call = here(item) if here is not None and index not in sent else None
        if call is not None:
            ahead.append((index, call))
        else:
            queued.append((index, item))

    def look_ahead() -> None:  # without ``here``, an item is taken as it is sent
        while pending and len(ahead) < AHEAD and len(queued) < (AHEAD if here else 1):
            take(pending.pop())
        while later and len(ahead) < AHEAD and len(queued) < 2 * AHEAD:  # a guess can miss
            take(later.pop())

    def dispatch(w: _Worker) -> None:
        if not queued:
            look_ahead()
        w.task = None
        if queued:
            index, item = queued.popleft()
            w.task, w.started = index, time.monotonic()
            w.conn.send((index, item))

    def replace(w: _Worker, grace: float) -> None:
        _stop([w], grace)
        workers[workers.index(w)] = replacement = spawn()
        dispatch(replacement)

    finished = False
    try:
        for _ in range(max(1, min(jobs, len(items)))):
            w = spawn()
            workers.append(w)
            dispatch(w)
        while True:
            if here is not None:
                look_ahead()  # work to do here while the workers work
            for w in workers:
                if w.task is None and (queued or pending or later):  # idle while work was done here
                    dispatch(w)
            busy = [w for w in workers if w.task is not None]
            if not busy and not ahead:
                break
            wait_for: float | None = 0.0 if ahead else None
            if timeout is not None and busy and not ahead:
                wait_for = max(0.0, min(w.started + timeout - time.monotonic() for w in busy))
            ready = wait([w.conn for w in busy], timeout=wait_for) if busy else []
            now = time.monotonic()
            for w in busy:
                if w.conn in ready:
                    task = w.task
                    assert task is not None
                    try:
                        raw = w.conn.recv_bytes()
                    except (EOFError, OSError):
                        code = w.process.exitcode
                        w.process.join(1)
                        code = w.process.exitcode if code is None else code
                        yield Outcome(task, error=death_reason(code, activity))
                        replace(w, 0.0)
                        continue
                    # The worker starts its next task while this result is unpacked and used.
                    dispatch(w)
                    index, status, payload, spent = received(raw)
                    del raw
                    if status == "ok":
                        yield Outcome(index, value=payload, phases=spent)
                    else:
                        yield Outcome(index, error=str(payload), phases=spent)
                elif timeout is not None and now - w.started >= timeout:
                    task = w.task
                    assert task is not None
                    reason = (
                        f"timed out after {timeout:g} s while {activity} this file: abandoned "
                        "(too large or malformed?)"
                    )
                    yield Outcome(task, error=reason)
                    replace(w, STOP_GRACE_SECONDS)
            if ahead and not ready:
                index, call = ahead.popleft()
                value = _done_here(call)
                if value is not None:
                    yield Outcome(index, value=value)
                else:  # a worker does it, in isolation
                    sent.add(index)
                    pending.append(index)
        finished = True
    finally:
        if finished:  # every worker is idle: ask each to leave, then reap
            for w in workers:
                with contextlib.suppress(Exception):
                    w.conn.send(None)
            deadline = time.monotonic() + 0.5
            for w in workers:
                with contextlib.suppress(Exception):
                    w.process.join(max(0.0, deadline - time.monotonic()))
            for w in workers:
                _retire(w)
        else:
            _stop(workers, STOP_GRACE_SECONDS)


def _done_here(call: Callable[[], R | None]) -> R | None:
    """What ``call`` returns, or None when it raises."""
    try:
        return call()
    except Exception:
        return None


def run_bounded(
    items: Sequence[T],
    fn: Callable[[T], R],
    limits: LimitSettings,
    *,
    jobs: int | None = None,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
    activity: str = "reading",
    here: Callable[[T], Callable[[], R | None] | None] | None = None,
    likely_here: Callable[[int], bool] | None = None,
) -> Iterator[Outcome[R]]:
    """:func:`run_isolated` under the settings' limits: what every per-file run of the engine uses.

    Each task gets ``limits.timeout_seconds`` and each worker ``limits.worker_memory_mb``;
    ``jobs`` is capped at the CPUs available and defaults to them (:func:`effective_jobs`).
    ``here``, ``likely_here``: as :func:`run_isolated`'s.
    """
    return run_isolated(
        items,
        fn,
        jobs=effective_jobs(jobs),
        timeout=limits.timeout_seconds,
        memory_mb=limits.worker_memory_mb,
        initializer=initializer,
        initargs=initargs,
        activity=activity,
        here=here,
        likely_here=likely_here,
    )
