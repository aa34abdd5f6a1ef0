"""What a Dask worker runs for a consolidation: a batch of files, once it is fit to.

A batch goes through the same isolated process pool as a local run
(:func:`addin.engine.workers.run_isolated`, one process, started from a fork server that has
the engine imported). Before any file, the worker checks it can run the batch at all
(:func:`fit_to_run`); what it finds stops the run with one line (see
:mod:`addin.engine.cluster`, which sends the batches).
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import addin
from addin.core.settings import LimitSettings
from addin.core.words import printable
from addin.engine.wire import Outcome
from addin.engine.workers import run_isolated

#: Modules the fork server imports once, so each batch's process starts warm.
_PRELOAD = ["addin.engine.consolidate", "addin.engine.pipeline"]
DOCS = "see docs/scale-out.md"


class CannotRun(RuntimeError):
    """Raised on a Dask worker when no batch can run there; the run stops with its message."""


@dataclass(frozen=True)
class Batch:
    """One Dask task: some of the run's items and how to treat each (picklable)."""

    #: The run's index of each item.
    indices: Sequence[int]
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
        CannotRun: this worker has another version of the add-in, is a daemon process
            (which may not start the per-file process), or sees none of ``samples`` (files
            this machine sees, by absolute path): the share is not mounted there, or not at
            the same path. One file missing is that file's failure; all of them, the
            cluster's, which would make a portfolio of files "not found".
    """
    if version != addin.__version__:
        raise CannotRun(
            f"the Dask workers run pmo-addin {addin.__version__}, this run {version}: "
            f"install the same version on the scheduler and the workers ({DOCS})"
        )
    if mp.current_process().daemon:
        raise CannotRun(
            "the Dask workers are daemon processes, which may not start a process per file: "
            f"start them with DASK_DISTRIBUTED__WORKER__DAEMON=False ({DOCS})"
        )
    if samples and not any(Path(sample).is_file() for sample in samples):
        raise CannotRun(
            f"the Dask workers do not see this run's files ({printable(samples[0])} is not "
            f"there): they must see them at the same paths, on shared storage ({DOCS})"
        )
    return version


def run_batch(batch: Batch) -> list[Outcome[Any]]:
    """On a Dask worker: the batch through an isolated process pool of one process.

    Raises:
        CannotRun: see :func:`fit_to_run` (checked again: workers may join mid-run).
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
        outcome.index = batch.indices[outcome.index]
        outcomes.append(outcome)
    return outcomes
