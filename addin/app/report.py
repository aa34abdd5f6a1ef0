"""Use case: one-page status reports, one per tracker, as decks or PDF.

Each tracker goes through the engine's pipeline and its report is written in a worker
process (:func:`addin.engine.workers.run_bounded`), like consolidation: in parallel, and
a tracker that is unreadable, hostile or hangs costs its own report, never the others.
PDFs are printed afterwards by one LibreOffice start for all of them.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from addin.core.errors import OutputError, PmoError
from addin.core.findings import FileStatus
from addin.core.ours import skip_reason
from addin.core.settings import Settings
from addin.engine.assemble import assemble
from addin.engine.pipeline import TrackerResult, check_source, check_tracker
from addin.engine.workers import run_bounded
from addin.outputs.office import soffice
from addin.outputs.report import StatusReport, decks_to_pdf, status_report, write_report
from addin.outputs.report.pdf import NOT_INSTALLED
from addin.outputs.slides.template import open_template
from addin.read import GridSource

Format = Literal["pptx", "pdf"]
Progress = Callable[[int, int, str], None]

#: What a report's file is called beside the others: ``<tracker> status report.pptx``.
SUFFIX = " status report"


@dataclass(frozen=True)
class ReportOutcome:
    """What became of one tracker's report.

    Attributes:
        source: The tracker.
        output: The report written, or None.
        project_id: The project reported on ("" when none).
        overall: Its Overall RAG ("" when none).
        reason: Why no report was written ("" when one was).
        problem: ``input`` (the tracker could not be reported on: unreadable, not a
            tracker), ``skipped`` (one of our own outputs, found in a folder) or ``output``
            (the report could not be written or printed); "" when it was written.
    """

    source: Path
    output: Path | None
    project_id: str = ""
    overall: str = ""
    reason: str = ""
    problem: Literal["", "input", "skipped", "output"] = ""


def report_of(
    result: TrackerResult, settings: Settings, as_of: dt.date, *, named: bool = True
) -> tuple[StatusReport | None, str]:
    """The status report of a tracker the pipeline read, or None and why not."""
    if result.status is FileStatus.SKIPPED:
        return None, result.reason or "skipped: written by pmo, not a tracker"
    ours = skip_reason(result.pmo_output, named=named)
    if ours is not None:
        return None, ours
    if not result.is_tracker:
        return None, result.reason or str(result.status)
    run = assemble([result], settings, as_of)
    if not run.projects:
        return None, run.reports[0].reason if run.reports else "no project in the tracker"
    return status_report(run, result.project.rag_comment, settings), ""


def report_for_book(
    book: GridSource, name: str, output: Path, settings: Settings, *, as_of: dt.date
) -> tuple[Path | None, str]:
    """The status report of a workbook open in Excel (its unsaved edits included).

    Returns:
        (the deck written, "") or (None, why no report was written).
    """
    report, why = report_of(check_source(book, name, settings), settings, as_of)
    if report is None:
        return None, why
    return write_report(output, report, settings), ""


_WORKER: dict[str, Any] = {}


def _init_worker(settings: Settings) -> None:
    _WORKER["settings"] = settings


@dataclass(frozen=True)
class _Job:
    source: str
    deck: str
    as_of: dt.date
    template: str | None
    named: bool


def _work(job: _Job) -> ReportOutcome:
    """One tracker: read, check, measure, write its deck."""
    settings: Settings = _WORKER["settings"]
    source = Path(job.source)
    result = check_tracker(job.source, settings)
    report, why = report_of(result, settings, job.as_of, named=job.named)
    if report is None:
        ours = result.status is FileStatus.SKIPPED or (
            skip_reason(result.pmo_output, named=job.named) is not None
        )
        return ReportOutcome(source, None, reason=why, problem="skipped" if ours else "input")
    template = Path(job.template) if job.template else None
    pid, overall = report.project.project_id or "", report.project.overall_rag
    try:
        write_report(Path(job.deck), report, settings, template=template)
    except PmoError as exc:
        return ReportOutcome(source, None, pid, overall, str(exc), "output")
    return ReportOutcome(source, Path(job.deck), pid, overall)


def report_paths(files: Sequence[Path], output: Path, fmt: Format, *, folder: bool) -> list[Path]:
    """Where each tracker's report goes.

    One tracker and an ``-o`` that is not a folder: that file. Otherwise ``-o`` is a
    folder and each report is ``<tracker name> status report.<fmt>`` in it (two trackers
    with one name in different folders get ``(2)``, ``(3)`` ...).
    """
    if not folder:
        return [output]
    taken: set[str] = set()
    out = []
    for f in files:
        stem, n = f"{f.stem}{SUFFIX}", 1
        name = f"{stem}.{fmt}"
        while name.casefold() in taken:
            n += 1
            name = f"{stem} ({n}).{fmt}"
        taken.add(name.casefold())
        out.append(output / name)
    return out


def status_reports(
    files: Sequence[Path],
    targets: Sequence[Path],
    settings: Settings,
    *,
    as_of: dt.date,
    fmt: Format = "pptx",
    template: Path | None = None,
    jobs: int | None = None,
    named: Sequence[str] = (),
    progress: Progress | None = None,
) -> list[ReportOutcome]:
    """Write each tracker's status report to its target, in parallel worker processes.

    Args:
        files: The trackers.
        targets: One output per tracker (see :func:`report_paths`).
        settings: Effective settings (limits hold each worker).
        as_of: The day the reports are judged on (staleness).
        fmt: ``pptx`` (the deck) or ``pdf`` (printed through LibreOffice).
        template: The PMO's slide master for the decks.
        jobs: Worker processes (default and most: the CPUs).
        named: Files named on the command line (an annotated copy named is reported).
        progress: Called as ``progress(done, total, file)`` after each tracker.

    Returns:
        One outcome per tracker, in order.

    Raises:
        OutputError: the template cannot be used, or LibreOffice is missing (``pdf``).
    """
    if template is not None:
        open_template(template, settings.limits)  # one clear line before any work starts
    if fmt == "pdf" and soffice() is None:
        raise OutputError(NOT_INSTALLED)
    chosen = {os.path.normpath(n) for n in named}
    with tempfile.TemporaryDirectory(prefix="pmo-reports-") as work:
        decks = [
            Path(work) / f"{i}.pptx" if fmt == "pdf" else target for i, target in enumerate(targets)
        ]
        tasks = [
            _Job(
                str(f),
                str(deck),
                as_of,
                str(template) if template else None,
                os.path.normpath(str(f)) in chosen,
            )
            for f, deck in zip(files, decks, strict=True)
        ]
        outcomes: list[ReportOutcome | None] = [None] * len(files)
        runs = run_bounded(
            tasks,
            _work,
            settings.limits,
            jobs=jobs,
            initializer=_init_worker,
            initargs=(settings,),
            activity="reporting on",
        )
        for done, outcome in enumerate(runs, 1):
            i = outcome.index
            if outcome.value is None:
                outcomes[i] = ReportOutcome(files[i], None, reason=outcome.error, problem="input")
            else:
                done_ = outcome.value
                written = targets[i] if done_.output is not None else None
                outcomes[i] = replace(done_, source=files[i], output=written)
            if progress is not None:
                progress(done, len(files), str(files[i]))
        final = [o for o in outcomes if o is not None]
        if fmt == "pdf":
            printable = [(decks[i], targets[i]) for i, o in enumerate(final) if o.output]
            failed = decks_to_pdf(printable)
            final = [
                replace(o, output=None, reason=failed[o.output], problem="output")
                if o.output is not None and o.output in failed
                else o
                for o in final
            ]
    return final
