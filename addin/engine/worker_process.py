"""How a worker process is started and how it sets itself up (see :mod:`addin.engine.workers`).

A worker must never outlive the run nor speak over it:

* Ctrl-C reaches every process of the terminal's group; a worker ignores it (the parent
  decides) so no worker prints a traceback;
* SIGTERM, the parent's orderly stop, raises :class:`Stopped` in the worker, which
  unwinds the task (an :func:`~addin.outputs.atomic.atomic_path` removes its temporary file)
  and ends the worker quietly;
* on Linux the kernel kills the worker when its parent dies, even of ``kill -9``;
  elsewhere an idle worker notices that its parent changed (see ``workers._serve``);
* both signals are held back while a worker is forked, so none arrives before the
  worker's handlers are in place.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import warnings
from collections.abc import Callable
from typing import Any

_MB = 1024 * 1024
#: Exit code of a worker that could not even report that it ran out of memory.
EXIT_NO_MEMORY = 75
#: ``prctl`` option: the signal the kernel sends a process when its parent dies (Linux).
_PR_SET_PDEATHSIG = 1
#: Signals the parent handles for the whole run; held back while a worker is forked.
_RUN_SIGNALS = {signal.SIGINT, signal.SIGTERM}


class Stopped(SystemExit):
    """Raised in a worker by SIGTERM: unwinds the task, then ends the worker quietly."""


def _stop_handler(signum: int, frame: Any) -> None:
    raise Stopped(128 + signum)


def start_process(ctx: Any, target: Callable[..., None], args: tuple[Any, ...]) -> Any:
    """Start a daemon process with SIGINT and SIGTERM held back until it has set its handlers.

    A signal that arrives meanwhile waits: the parent's handler runs once the fork is
    done, and the worker discards SIGINT or acts on SIGTERM once it can unwind.
    """
    process = ctx.Process(target=target, args=args, daemon=True)
    if not hasattr(signal, "pthread_sigmask"):  # Windows
        process.start()
        return process
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _RUN_SIGNALS)
    try:
        process.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    return process


def prepare_signals() -> None:
    """In a worker: ignore Ctrl-C, unwind on SIGTERM, then let the held-back signals in."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_handler)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _RUN_SIGNALS)


def die_with_parent(parent_pid: int | None) -> int:
    """In a worker: end when the process that started it ends, whatever killed it.

    Args:
        parent_pid: The run's process when it is this worker's parent (fork, spawn); None
            when a fork server stands between them.

    Returns:
        The parent process to watch while waiting for tasks.
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if parent_pid is None:
        return os.getppid()
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(0)
    return parent_pid


def limit_memory(megabytes: float | None) -> None:
    """In a worker: cap its address space at ``megabytes`` (Linux/macOS; no-op elsewhere)."""
    if not megabytes:
        return
    with contextlib.suppress(ImportError, ValueError, OverflowError, OSError):
        import resource

        limit = int(megabytes * _MB)
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def death_reason(code: int | None, activity: str) -> str:
    """Why a worker that died with exit ``code`` while ``activity`` a file did, in one line."""
    if code == EXIT_NO_MEMORY:
        return f"ran out of memory while {activity} this file (too large?)"
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            name = signal.Signals(-code).name
            if name == "SIGKILL":
                return f"worker was killed (out of memory?) while {activity} this file"
            return f"worker crashed ({name}) while {activity} this file"
    return f"worker stopped unexpectedly (exit code {code}) while {activity} this file"


def ignore_unraisable(unraisable: Any) -> None:
    """An unraisable-exception hook that drops them (see ``workers._worker_main``)."""


def quiet() -> None:
    """Keep a worker's libraries off the terminal: a task's outcome says what happened.

    A Rust panic in the parser prints its message (and a backtrace) to file descriptor 2
    before Python sees it as an exception, and openpyxl warns about every extension it
    drops; the run reports each file in one line, so neither may reach the user.
    """
    warnings.simplefilter("ignore")
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)
        os.close(null)
