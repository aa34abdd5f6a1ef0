"""Validate many trackers, each in a worker process; a bad file never stops the run.

Every file goes through the one pipeline (:func:`~addin.engine.pipeline.check_tracker`)
in a worker bounded by ``limits.timeout_seconds`` and ``limits.worker_memory_mb``, even
when there is only one: an unattended run must survive a file that hangs or exhausts
memory, and a worker costs a few milliseconds.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path
from typing import Any

from addin.core.findings import FileReport, FileStatus, Report
from addin.core.ours import skip_reason
from addin.core.rules import RuleBook
from addin.core.settings import Settings
from addin.engine.pipeline import check_tracker, failed, finish, measured
from addin.engine.superseded import superseded
from addin.engine.workers import run_bounded
from addin.read import ReadResult, read_tracker

_WORKER: dict[str, Any] = {}


def _init_worker(settings: Settings, as_of: dt.date, fail_fast: bool) -> None:
    _WORKER.update(
        settings=settings, rules=RuleBook(dict(settings.rules)), as_of=as_of, fail_fast=fail_fast
    )


def _check_in_worker(path: str) -> FileReport:
    """The file's report, made in the worker (its tables never cross to the parent)."""
    settings, rules, fail_fast = _WORKER["settings"], _WORKER["rules"], _WORKER["fail_fast"]
    result = check_tracker(path, settings, rules, fail_fast=fail_fast)
    return finish(result, settings, _WORKER["as_of"], rules, fail_fast=fail_fast)


def check_file(
    path: str | Path,
    settings: Settings,
    *,
    as_of: dt.date | None = None,
    fail_fast: bool = False,
) -> FileReport:
    """Read and validate one workbook in this process; never raises for a bad workbook."""
    rules = RuleBook(dict(settings.rules))
    result = check_tracker(path, settings, rules, fail_fast=fail_fast)
    return finish(result, settings, as_of or dt.date.today(), rules, fail_fast=fail_fast)


def read_and_check(
    path: str | Path,
    settings: Settings,
    *,
    as_of: dt.date | None = None,
    fail_fast: bool = False,
) -> tuple[ReadResult, FileReport]:
    """Read and validate one workbook in this process; what was read, and its report.

    For tools that look at where things were found (``pmo inspect``, tests).
    """
    started = time.perf_counter()
    rules = RuleBook(dict(settings.rules))
    read = read_tracker(path, settings, rules)
    result = measured(read, settings, rules, started, fail_fast=fail_fast)
    return read, finish(result, settings, as_of or dt.date.today(), rules, fail_fast=fail_fast)


def check_files(
    paths: Iterable[str | Path],
    settings: Settings,
    *,
    as_of: dt.date | None = None,
    fail_fast: bool = False,
    jobs: int | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    skipped: Sequence[tuple[Path, str]] = (),
    named: Collection[str] = (),
) -> Report:
    """Validate many workbooks, each in a worker process; one report per file, in order.

    Args:
        paths: Workbooks to check (see :func:`addin.engine.discover.discover`).
        settings: Effective settings (rules, limits).
        as_of: The run's date (default today), the same for every file.
        fail_fast: Stop each file at its first error.
        jobs: Worker processes (default: CPU count).
        progress: Called as ``progress(done, total, file)`` after each file.
        skipped: Files left out before reading, with their reasons (reported ``skipped``).
        named: The files named on the command line (normalised paths): an annotated copy
            among them is validated; one found in a folder is skipped (see
            :mod:`addin.core.ours`).

    Returns:
        One report per file, in the order of ``paths``, then one per skipped file.
    """
    files = [str(p) for p in paths]
    rules = RuleBook(dict(settings.rules))
    day = as_of or dt.date.today()
    reports: list[FileReport | None] = [None] * len(files)
    outcomes = run_bounded(
        files,
        _check_in_worker,
        settings.limits,
        jobs=jobs,
        initializer=_init_worker,
        initargs=(settings, day, fail_fast),
    )
    for done, outcome in enumerate(outcomes, 1):
        path = files[outcome.index]
        report = outcome.value
        if report is None:
            report = finish(
                failed(path, FileStatus.UNREADABLE, outcome.error), settings, day, rules
            )
        reports[outcome.index] = report
        if progress is not None:
            progress(done, len(files), path)
    chosen = {os.path.normpath(str(n)) for n in named}
    out = [r for r in reports if r is not None]
    for i, r in enumerate(out):
        reason = skip_reason(r.pmo_output, named=os.path.normpath(r.file) in chosen)
        if reason is not None and r.status is not FileStatus.SKIPPED:
            out[i] = FileReport(r.file, FileStatus.SKIPPED, reason, pmo_output=r.pmo_output)
    left_out = superseded(
        [(r.file, r.adopted_from) for r in out], lambda f: os.path.normpath(f) in chosen
    )
    for i, reason in left_out.items():
        out[i] = FileReport(out[i].file, FileStatus.SKIPPED, reason)
    out += [FileReport(str(f), FileStatus.SKIPPED, reason) for f, reason in skipped]
    return Report(out)
