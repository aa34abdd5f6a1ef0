"""The one pipeline every tracker goes through: read, check, measure.

:func:`check_tracker` is used by validation, consolidation, the ribbon and the
cache alike. Its :class:`TrackerResult` is typed data that does not depend on the
day of the run, so it can be cached; :func:`finish` adds what does (a Status Date
in the future, a stale report) and settles the file's status.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import addin.core.timing as timing
from addin.checks import dated_findings, validate_tracker
from addin.core.findings import (
    FileReport,
    FileStatus,
    Finding,
    Severity,
    TableInfo,
    held_once,
    merge_findings,
    sort_findings,
)
from addin.core.identity import Identity
from addin.core.kinds import Project
from addin.core.packed_findings import PackedFindings, PackedWithAdded
from addin.core.quick_state import quick_state, rows_as_tuples
from addin.core.rules import RuleBook, RuleId
from addin.core.settings import Settings
from addin.core.tracker import Table
from addin.engine.not_computable import gap_findings
from addin.rag import Dimensions, dimensions
from addin.read import GridSource, ReadResult, read_source, read_tracker


@quick_state
@dataclass(slots=True)
class TrackerResult:
    """What the pipeline learned about one file, independent of the day of the run.

    Attributes:
        file: The path as given.
        status: ``valid`` (settled by :func:`finish`), ``unreadable`` or ``not_a_tracker``.
        reason: One line when the file could not be read as a tracker.
        project: The Project block (empty when none was found).
        tables: Kind -> its rows as typed columns.
        lefts: Kind -> sheet -> the table's first column (its rows' Source Cell column).
        infos: Kind -> where it was found, for reports.
        findings: The reader's and the checks' findings (date-independent), in the order
            :func:`~addin.core.findings.sort_findings` gives them (sorted once, where they
            are found: a run only sets its own among them, see :func:`finish`).
        dims: Metrics and the Schedule, Cost and Risk dimensions (None when not a tracker).
        status_date_at: (sheet, row, col) of the Status Date cell.
        sheet_order: Real sheet names in workbook order.
        seconds: Time spent on the file.
        checked: False when the checks were skipped (fail-fast, and the reader found an error).
        pmo_output: What ``pmo`` output the workbook says it is, or "" (see
            :mod:`addin.core.ours`).
        adopted_from: (file name, SHA-256) of the tracker ``pmo adopt`` made this one from,
            or None (:mod:`addin.engine.superseded`).
        identity: The project's name and ID and where they came from (also for a file
            that is no tracker: every report names its file's project).
    """

    file: str
    status: FileStatus
    reason: str = ""
    project: Project = field(default_factory=Project)
    tables: dict[str, Table] = field(default_factory=dict)
    lefts: dict[str, dict[str, int]] = field(default_factory=dict)
    infos: dict[str, TableInfo] = field(default_factory=dict)
    findings: Sequence[Finding] = field(default_factory=list)
    dims: Dimensions | None = None
    status_date_at: tuple[str, int | None, int | None] = ("", None, None)
    sheet_order: list[str] = field(default_factory=list)
    seconds: float = 0.0
    checked: bool = True
    pmo_output: str = ""
    adopted_from: tuple[str, str] | None = None
    identity: Identity | None = None
    #: How it pickles, part of every cache entry's fingerprint: 2 holds its findings as
    #: plain tuples (see :func:`~addin.core.quick_state.rows_as_tuples`).
    FORM: ClassVar[int] = 2

    @property
    def is_tracker(self) -> bool:
        """True when the file was read as a tracker (valid or not)."""
        return self.status.read_as_tracker

    @property
    def project_id(self) -> str:
        """The tracker's Project ID (inferred when the workbook gives none); "" for no tracker."""
        if not self.is_tracker:
            return ""
        if self.project.project_id:
            return self.project.project_id
        return self.identity.project_id if self.identity is not None else ""

    @property
    def named(self) -> tuple[str, str]:
        """(Project ID, Project Name) as this file's report gives them.

        A tracker's own (inferred where the workbook gives none); for any other file read,
        the name its labels, title or file name give.
        """
        if self.is_tracker:
            return self.project_id, self.project.project_name or ""
        if self.identity is None:
            return "", ""
        return self.identity.project_id, self.identity.name

    @property
    def inferred_id(self) -> bool:
        """True when the Project ID is the file name's, not the workbook's."""
        return self.identity is not None and self.identity.id_from != "block"

    @property
    def rows_read(self) -> int:
        """Rows read over every table."""
        return sum(len(t) for t in self.tables.values())


# A messy tracker's result holds hundreds of findings: pickled as plain tuples, to its
# parent and into the cache, and made Findings again without a Python call each.
rows_as_tuples(TrackerResult, "findings", Finding)


def measured(
    read: ReadResult,
    settings: Settings,
    rules: RuleBook,
    started: float,
    *,
    fail_fast: bool = False,
) -> TrackerResult:
    """Check and measure what the reader produced (no checks after a reader error, fail-fast)."""
    out = TrackerResult(
        file=read.file,
        status=read.status,
        reason=read.reason,
        sheet_order=read.sheet_order,
        pmo_output=read.pmo_output,
        adopted_from=read.adopted_from,
        identity=read.identity,
    )
    if not read.status.read_as_tracker:
        out.seconds = time.perf_counter() - started
        return out
    out.project = read.tracker.project
    out.tables = dict(read.tracker.tables)
    out.lefts = {
        key: {layout.sheet: layout.left for layout in layouts}
        for key, layouts in read.layouts.items()
    }
    out.infos = dict(read.tables)
    out.checked = not (fail_fast and any(f.severity is Severity.ERROR for f in read.findings))
    findings = list(read.findings)
    if out.checked:
        with timing.phase("rules"):
            findings.extend(validate_tracker(read, settings, rules=rules))
    with timing.phase("metrics+rag"):
        out.dims = dimensions(read.tracker, settings)
    with timing.phase("rules"):
        if out.checked:
            findings.extend(gap_findings(read, out.dims.metrics, settings, rules))
        out.findings = held_once(sort_findings(findings, out.sheet_order))
    out.status_date_at = read.where("Project", "status_date")
    out.seconds = time.perf_counter() - started
    return out


def check_tracker(
    path: str | Path,
    settings: Settings,
    rules: RuleBook | None = None,
    *,
    fail_fast: bool = False,
) -> TrackerResult:
    """Read, check and measure one workbook; never raises for a bad file."""
    started = time.perf_counter()
    rules = rules or RuleBook(dict(settings.rules))
    read = read_tracker(path, settings, rules)
    return measured(read, settings, rules, started, fail_fast=fail_fast)


def check_source(
    source: GridSource, name: str, settings: Settings, rules: RuleBook | None = None
) -> TrackerResult:
    """:func:`check_tracker` for any grid source (a live workbook in Excel)."""
    started = time.perf_counter()
    rules = rules or RuleBook(dict(settings.rules))
    return measured(read_source(source, name, settings, rules), settings, rules, started)


def failed(file: str, status: FileStatus, reason: str) -> TrackerResult:
    """The result of a file the pipeline could not read (its worker died, say)."""
    return TrackerResult(file=file, status=status, reason=reason)


def finish(
    result: TrackerResult,
    settings: Settings,
    as_of: dt.date,
    rules: RuleBook,
    *,
    extra: list[Finding] | None = None,
    fail_fast: bool = False,
) -> FileReport:
    """The file's report on the day of the run: dated findings added, sorted, status settled.

    A large run's findings, held packed (:mod:`addin.core.packed_findings`), stay so: the
    report holds the file's own as they are, or with the day's set among them.

    Args:
        result: What :func:`check_tracker` returned (possibly from the cache).
        settings: Effective settings.
        as_of: The run's date.
        rules: The run's rule book.
        extra: Findings the run adds (a Project ID claimed by another file).
        fail_fast: Keep the findings up to the first error only.
    """
    report = FileReport(
        file=result.file,
        status=result.status,
        reason=result.reason,
        project_id=result.named[0],
        project_name=result.named[1],
        pmo_output=result.pmo_output,
        adopted_from=result.adopted_from,
    )
    if result.status is FileStatus.SKIPPED:  # a portfolio or dashboard we wrote
        return report
    if not result.is_tracker:
        rule = (
            RuleId.FILE_UNREADABLE
            if result.status is FileStatus.UNREADABLE
            else RuleId.FILE_NOT_A_TRACKER
        )
        f = rules.finding(rule, file=result.file, reason=result.reason)
        report.findings = [f] if f is not None else []
        return report
    dated = (
        dated_findings(
            result.file, result.project.status_date, result.status_date_at, settings, as_of, rules
        )
        if result.checked
        else []
    )
    added = [*dated, *(extra or [])]
    own = result.findings
    if isinstance(own, PackedFindings) and not added:  # a large run's: kept so, not made again
        findings: Sequence[Finding] = own
    else:
        findings = merge_findings(own, added, result.sheet_order)
    if fail_fast:
        first_error = next(
            (i for i, f in enumerate(findings) if f.severity is Severity.ERROR), None
        )
        if first_error is not None:
            findings = findings[: first_error + 1]
    report.status = FileStatus.VALID
    report.findings = findings
    if added:  # the file's own findings keep their order among them (the sort is stable)
        ids = set(map(id, added))
        report.added_at = tuple(i for i, f in enumerate(findings) if id(f) in ids)
        whole = len(findings) == len(own) + len(added)  # not cut at the first error
        if isinstance(own, PackedFindings) and whole:  # the file's own stay as they are held
            added_now = [findings[i] for i in report.added_at]
            report.findings = PackedWithAdded(own, added_now, report.added_at)
    report.tables = dict(result.infos)
    report.settle()
    return report
