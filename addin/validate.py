"""Validation: every TRACKER_SPEC v1 rule over a tracker that has been read.

:func:`validate_tracker` checks requirements, formats, date order, status
consistency, uniqueness and RAID governance, and returns findings that point at
cells through the reader's layouts. :func:`check_file` reads and validates one
file and settles its status; :func:`check_files` does many, each file in a worker
process bounded in time and memory (:mod:`addin.workers`). The rule ids,
severities and message templates live in :mod:`addin.rules`.

Collect-all is the default; ``fail_fast=True`` stops a file at its first error.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from operator import attrgetter
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from addin.config import Settings
from addin.findings import (
    FileReport,
    FileStatus,
    Finding,
    Report,
    Severity,
    display_value,
    sort_findings,
)
from addin.model import Kind, Record
from addin.not_computable import gaps
from addin.ours import skip_reason
from addin.rag import Metrics, derived_severity, is_open, measure, severity_of
from addin.read import ReadResult, TableLayout, read_tracker
from addin.rules import RuleBook
from addin.schema import SheetSpec, sheet

PROJECT_ID = re.compile(r"^[A-Z]{2,5}-\d{3,6}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")

_STRFTIME = (
    ("yyyy", "%Y"),
    ("yy", "%y"),
    ("mmmm", "%B"),
    ("mmm", "%b"),
    ("mm", "%m"),
    ("dd", "%d"),
)


def date_formatter(excel_format: str) -> Callable[[dt.date], str]:
    """Return a function that renders dates the way an Excel number format shows them."""
    fmt = excel_format.lower()
    for token, code in _STRFTIME:
        fmt = fmt.replace(token, code)
    fmt = re.sub(r"(?<!%)\bm\b", "%m", fmt)
    fmt = re.sub(r"(?<!%)\bd\b", "%d", fmt)
    if "%" not in fmt:
        fmt = "%d/%m/%Y"
    return lambda d: d.strftime(fmt)


class _Checker:
    """Applies the rules to one read result."""

    def __init__(self, result: ReadResult, settings: Settings, rules: RuleBook) -> None:
        self.result = result
        self.settings = settings
        self.rules = rules
        self.fmt = date_formatter(settings.date_format)
        self.findings: list[Finding] = []
        # Cells already reported by the reader (unreadable values) are not reported again as blank.
        self.flagged = {(f.sheet, f.row, f.col) for f in result.findings if f.row is not None}
        self._required: dict[str, list[str]] = {}

    def show(self, value: Any) -> str:
        if isinstance(value, dt.date):
            return self.fmt(value)
        return display_value(value)

    def add(
        self, rule: str, key: str, field: str, row: int | None, value: Any = None, **params: Any
    ) -> None:
        sheet_name, r, c = self.result.where(key, field, row)
        spec = sheet(key)
        header = spec.field(field).header if field else ""
        shown = self.show(value)
        finding = self.rules.finding(
            rule,
            file=self.result.file,
            sheet=sheet_name,
            row=r,
            col=c,
            field=header,
            value=shown,
            **params,
        )
        if finding is not None:
            self.findings.append(finding)

    def mapped(self, key: str, field: str) -> bool:
        layout = self.result.layouts.get(key)
        if layout is None:
            return False
        if isinstance(layout, TableLayout):
            return field in layout.columns
        return True

    def required_names(self, spec: SheetSpec) -> list[str]:
        names = self._required.get(spec.key)
        if names is None:  # the required fields whose column was found, once per sheet
            names = self._required[spec.key] = [
                f.name for f in spec.fields if f.required and self.mapped(spec.key, f.name)
            ]
        return names

    def any_blank(self, spec: SheetSpec, records: Sequence[Record]) -> bool:
        """True when a record leaves a required field blank (else required() finds nothing)."""
        return any(None in map(attrgetter(name), records) for name in self.required_names(spec))

    def required(self, spec: SheetSpec, record: Record) -> None:
        for name in self.required_names(spec):
            if getattr(record, name) is not None:
                continue
            sheet_name, r, c = self.result.where(spec.key, name, record.row)
            if (sheet_name, r, c) in self.flagged:
                continue
            self.add("value.required", spec.key, name, record.row)

    def unique(self, key: str, field: str, records: Sequence[Record], rule: str) -> None:
        values = [v for v in map(attrgetter(field), records) if v is not None]
        keys = [v.casefold() if isinstance(v, str) else v for v in values]
        if len(set(keys)) == len(keys):
            return  # no value seen twice
        first: dict[Any, int | None] = {}
        for rec in records:
            value = getattr(rec, field)
            if value is None:
                continue
            folded = value.casefold() if isinstance(value, str) else value
            if folded in first:
                where = first[folded]
                self.add(
                    rule, key, field, rec.row, value, first="?" if where is None else where + 1
                )
            else:
                first[folded] = rec.row

    # -- sheets ---------------------------------------------------------------------------

    def project(self) -> None:
        if "Project" not in self.result.layouts:
            return
        spec = sheet("Project")
        p = self.result.tracker.project
        for f in spec.fields:
            if f.required and getattr(p, f.name) is None:
                sheet_name, r, c = self.result.where("Project", f.name)
                if (sheet_name, r, c) not in self.flagged:
                    self.add("value.required", "Project", f.name, None)
        if p.project_id is not None and not PROJECT_ID.match(p.project_id):
            self.add("project.id_format", "Project", "project_id", None, p.project_id)
        if p.start_date is not None:
            if p.baseline_finish is not None and p.baseline_finish < p.start_date:
                self.add(
                    "project.baseline_before_start",
                    "Project",
                    "baseline_finish",
                    None,
                    p.baseline_finish,
                    start=self.show(p.start_date),
                )
            if p.forecast_finish is not None and p.forecast_finish < p.start_date:
                self.add(
                    "project.forecast_before_start",
                    "Project",
                    "forecast_finish",
                    None,
                    p.forecast_finish,
                    start=self.show(p.start_date),
                )
        if p.reported_rag in ("Red", "Amber") and not p.rag_comment:
            self.add(
                "project.rag_comment_required",
                "Project",
                "rag_comment",
                None,
                None,
                rag=p.reported_rag,
            )
        if p.currency is not None and not CURRENCY.match(p.currency):
            self.add("project.currency_code", "Project", "currency", None, p.currency)

    def tasks(self) -> None:
        spec = sheet("Tasks")
        tasks = self.result.tracker.tasks
        status_date = self.result.tracker.project.status_date
        owner_mapped = self.mapped("Tasks", "owner")
        owner_needed = False
        blank = self.any_blank(spec, tasks)
        for t in tasks:
            if blank:
                self.required(spec, t)
            row = t.row
            if t.planned_start and t.planned_finish and t.planned_finish < t.planned_start:
                self.add(
                    "task.finish_before_start",
                    "Tasks",
                    "planned_finish",
                    row,
                    t.planned_finish,
                    start=self.show(t.planned_start),
                )
            if t.actual_start and t.actual_finish and t.actual_finish < t.actual_start:
                self.add(
                    "task.actual_finish_before_start",
                    "Tasks",
                    "actual_finish",
                    row,
                    t.actual_finish,
                    start=self.show(t.actual_start),
                )
            if t.status != "Not Started" and not t.owner:
                owner_needed = True
                if owner_mapped:
                    self.add(
                        "task.owner_required",
                        "Tasks",
                        "owner",
                        row,
                        None,
                        status=t.status or "blank",
                    )
            done = t.pct_complete is not None and abs(t.pct_complete - 1.0) < 1e-9
            if t.status == "Complete":
                if not done:
                    shown = "blank" if t.pct_complete is None else f"{t.pct_complete * 100:g} %"
                    self.add("task.complete_not_100", "Tasks", "pct_complete", row, shown)
                if t.actual_finish is None:
                    self.add("task.complete_without_finish", "Tasks", "actual_finish", row)
            elif done and t.actual_finish is not None and t.status != "Cancelled":
                self.add("task.done_not_complete", "Tasks", "status", row, t.status or "blank")
            if t.actual_start is not None and t.status == "Not Started":
                self.add("task.started_not_started", "Tasks", "status", row, t.status)
            if status_date is not None:
                for name, value in (
                    ("actual_start", t.actual_start),
                    ("actual_finish", t.actual_finish),
                ):
                    if value is not None and value > status_date:
                        self.add(
                            "task.actual_after_status_date",
                            "Tasks",
                            name,
                            row,
                            value,
                            status_date=self.show(status_date),
                        )
        if owner_needed and not owner_mapped and "Tasks" in self.result.layouts:
            layout = self.result.layouts["Tasks"]
            assert isinstance(layout, TableLayout)
            f = self.rules.finding(
                "column.missing",
                file=self.result.file,
                sheet=layout.sheet,
                row=layout.header_row,
                col=min(layout.columns.values()),
                field="Owner",
                header_row=layout.header_row + 1,
            )
            if f is not None:
                self.findings.append(f)
        self.unique("Tasks", "task_id", tasks, "task.duplicate_id")

    def milestones(self) -> None:
        spec = sheet("Milestones")
        status_date = self.result.tracker.project.status_date
        items = self.result.tracker.milestones
        blank = self.any_blank(spec, items)
        for ms in items:
            if blank:
                self.required(spec, ms)
            achieved = ms.status == "Achieved"
            if (
                not achieved
                and ms.forecast_date is None
                and self.mapped("Milestones", "forecast_date")
            ):
                sheet_name, r, c = self.result.where("Milestones", "forecast_date", ms.row)
                if (sheet_name, r, c) not in self.flagged:
                    self.add("milestone.forecast_required", "Milestones", "forecast_date", ms.row)
            if achieved and ms.actual_date is None:
                self.add("milestone.achieved_without_date", "Milestones", "actual_date", ms.row)
            if (
                status_date is not None
                and ms.actual_date is not None
                and ms.actual_date > status_date
            ):
                self.add(
                    "milestone.actual_after_status_date",
                    "Milestones",
                    "actual_date",
                    ms.row,
                    ms.actual_date,
                    status_date=self.show(status_date),
                )
        self.unique("Milestones", "milestone_id", items, "milestone.duplicate_id")

    def budget(self) -> None:
        spec = sheet("Budget")
        status_date = self.result.tracker.project.status_date
        lines = self.result.tracker.budget
        blank = self.any_blank(spec, lines)
        for b in lines:
            if blank:
                self.required(spec, b)
            if b.period is not None and b.period.day != 1:
                self.add("budget.period_not_month_start", "Budget", "period", b.row, b.period)
            if (
                status_date is not None
                and b.period is not None
                and b.period > status_date
                and (b.actual or 0) > 0
            ):
                self.add(
                    "budget.actual_after_status_date",
                    "Budget",
                    "actual",
                    b.row,
                    b.actual,
                    period=self.show(b.period),
                    status_date=self.show(status_date),
                )
        self.unique("Budget", "period", lines, "budget.duplicate_period")

    def raid(self) -> None:
        spec = sheet("RAID")
        scores = self.settings.rag.severity
        items = self.result.tracker.raid
        blank = self.any_blank(spec, items)
        for item in items:
            if blank:
                self.required(spec, item)
            row = item.row
            open_ = is_open(item)
            severity = severity_of(item, scores)
            if open_ and not item.owner and self.mapped("RAID", "owner"):
                self.add("raid.owner_required", "RAID", "owner", row, None, status=item.status)
            if (
                open_
                and item.type in ("Risk", "Issue")
                and item.due is None
                and self.mapped("RAID", "due")
            ):
                self.add("raid.due_required", "RAID", "due", row, None, type=item.type)
            if (
                open_
                and severity in ("High", "Critical")
                and not item.mitigation
                and self.mapped("RAID", "mitigation")
            ):
                self.add("raid.action_required", "RAID", "mitigation", row, None, severity=severity)
            if item.probability is not None and item.type not in (None, "Risk"):
                self.add(
                    "raid.probability_not_risk",
                    "RAID",
                    "probability",
                    row,
                    item.probability,
                    type=item.type,
                )
            derived = derived_severity(item.probability, item.impact, scores)
            if item.severity is not None and derived is not None and derived != item.severity:
                score = (item.probability or 0) * (item.impact or 0)
                self.add(
                    "raid.severity_mismatch",
                    "RAID",
                    "severity",
                    row,
                    item.severity,
                    score=score,
                    derived=derived,
                )
            if open_ and severity is None and item.type in (None, "Risk", "Issue"):
                self.add("raid.severity_missing", "RAID", "severity", row)
        self.unique("RAID", "raid_id", items, "raid.duplicate_id")

    def metrics(self, metrics: Metrics | None) -> None:
        tracker = self.result.tracker
        for gap in gaps(tracker, metrics or measure(tracker, self.settings)):
            header = sheet(gap.sheet).field(gap.field).header
            shown = self.show(gap.value)
            why = (
                f"{header} {shown} is {gap.why} for the arithmetic"
                if gap.value is not None
                else "its inputs give no finite number"
            )
            rule = "metric.not_computable"
            self.add(rule, gap.sheet, gap.field, gap.row, gap.value, metric=gap.metric, why=why)


def validate_tracker(
    result: ReadResult,
    settings: Settings,
    *,
    rules: RuleBook | None = None,
    metrics: Metrics | None = None,
) -> list[Finding]:
    """Apply the date-independent TRACKER_SPEC v1 rules to a read tracker.

    The reader's own findings (structure, unreadable values) are not repeated, and
    the rules that depend on the day of the run are in :func:`dated_findings`, so
    these findings can be cached between runs.

    Args:
        result: What :func:`~addin.read.read_tracker` returned.
        settings: Effective settings (allowed values, severity scores).
        rules: The run's rule book (default: from ``settings.rules``).
        metrics: The tracker's metrics when already measured (else measured here), for
            ``metric.not_computable``.
    """
    checker = _Checker(result, settings, rules or RuleBook(dict(settings.rules)))
    checker.project()
    checker.tasks()
    checker.milestones()
    checker.budget()
    checker.raid()
    checker.metrics(metrics)
    return checker.findings


def dated_findings(
    file: str,
    status_date: dt.date | None,
    where: tuple[str, int | None, int | None],
    settings: Settings,
    as_of: dt.date,
    rules: RuleBook,
) -> list[Finding]:
    """The rules that depend on the day of the run: Status Date in the future, or stale.

    Args:
        file: The tracker's path.
        status_date: Its Status Date (None: nothing to check).
        where: (sheet, row, col) of the Status Date cell.
        settings: Effective settings (stale age, date format).
        as_of: The run's date.
        rules: The run's rule book.
    """
    if status_date is None:
        return []
    show = date_formatter(settings.date_format)
    sheet_name, row, col = where
    common: dict[str, Any] = {
        "file": file,
        "sheet": sheet_name,
        "row": row,
        "col": col,
        "field": "Status Date",
        "value": show(status_date),
    }
    out: list[Finding | None] = []
    if status_date > as_of:
        out.append(rules.finding("project.status_date_future", today=show(as_of), **common))
    age = (as_of - status_date).days
    if age > settings.rag.stale_days:
        out.append(rules.finding("project.stale", days=age, as_of=show(as_of), **common))
    return [f for f in out if f is not None]


def check_file(
    path: str | Path,
    settings: Settings,
    *,
    as_of: dt.date | None = None,
    rules: RuleBook | None = None,
    fail_fast: bool = False,
) -> tuple[ReadResult, FileReport]:
    """Read and validate one workbook. Never raises for a bad workbook.

    Returns:
        The read result (tracker and layouts) and its report (status, reason,
        tables, findings in sheet/row/column order).
    """
    rules = rules or RuleBook(dict(settings.rules))
    result = read_tracker(path, settings, rules)
    report = FileReport(
        file=str(path), status=result.status, reason=result.reason, pmo_output=result.pmo_output
    )
    if result.status is FileStatus.SKIPPED:  # a portfolio or dashboard we wrote
        return result, report
    if result.status in (FileStatus.UNREADABLE, FileStatus.NOT_A_TRACKER):
        rule = "file.unreadable" if result.status is FileStatus.UNREADABLE else "file.not_a_tracker"
        finding = rules.finding(rule, file=str(path), reason=result.reason)
        if finding is not None:
            report.findings.append(finding)
        return result, report
    findings = list(result.findings)
    if not (fail_fast and any(f.severity is Severity.ERROR for f in findings)):
        findings.extend(validate_tracker(result, settings, rules=rules))
        status_date = result.tracker.project.status_date
        where = result.where("Project", "status_date")
        findings.extend(
            dated_findings(str(path), status_date, where, settings, as_of or dt.date.today(), rules)
        )
    findings = sort_findings(findings, result.sheet_order)
    if fail_fast:
        first_error = next(
            (i for i, f in enumerate(findings) if f.severity is Severity.ERROR), None
        )
        if first_error is not None:
            findings = findings[: first_error + 1]
    result.findings = findings
    report.findings = findings
    report.tables = dict(result.tables)
    report.project_id = result.tracker.project.project_id or ""
    report.settle()
    result.status, result.reason = report.status, report.reason
    return result, report


# --- many files, each in a worker process ------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(settings_json: str, as_of: dt.date, fail_fast: bool) -> None:
    settings = Settings.model_validate_json(settings_json)
    _WORKER.update(
        settings=settings,
        rules=RuleBook(dict(settings.rules)),
        as_of=as_of,
        fail_fast=fail_fast,
    )


def _check_in_worker(path: str) -> FileReport:
    return check_file(
        path,
        _WORKER["settings"],
        as_of=_WORKER["as_of"],
        rules=_WORKER["rules"],
        fail_fast=_WORKER["fail_fast"],
    )[1]


def _unreadable_report(path: str, reason: str, rules: RuleBook) -> FileReport:
    """The report of a file that could not be read at all: its status, reason and finding."""
    report = FileReport(file=path, status=FileStatus.UNREADABLE, reason=reason)
    finding = rules.finding("file.unreadable", file=path, reason=reason)
    if finding is not None:
        report.findings.append(finding)
    return report


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
    """Validate many workbooks, each in a worker process; a bad file never stops the run.

    Every file is read in a worker (:func:`addin.workers.run_isolated`) bounded by
    ``limits.timeout_seconds`` and ``limits.worker_memory_mb``, even when there is
    only one: an unattended run must survive a file that hangs or exhausts memory, and
    a worker costs a few milliseconds. A file whose worker is abandoned or dies is
    reported unreadable with a one-line reason.

    Args:
        paths: Workbooks to check (see :func:`addin.discover.discover`).
        settings: Effective settings (rules, limits).
        as_of: The run's date (default today), the same for every file.
        fail_fast: Stop each file at its first error.
        jobs: Worker processes (default: CPU count).
        progress: Called as ``progress(done, total, file)`` after each file.
        skipped: Files left out before reading, with their reasons (reported ``skipped``).
        named: The files named on the command line (normalised paths): an annotated copy
            among them is validated; one found in a folder is skipped (see :mod:`addin.ours`).

    Returns:
        One report per file, in the order of ``paths``, then one per skipped file.
    """
    from addin.workers import run_bounded

    files = [str(p) for p in paths]
    rules = RuleBook(dict(settings.rules))
    reports: list[FileReport | None] = [None] * len(files)
    outcomes = run_bounded(
        files,
        _check_in_worker,
        settings.limits,
        jobs=jobs,
        initializer=_init_worker,
        initargs=(settings.model_dump_json(), as_of or dt.date.today(), fail_fast),
    )
    for done, outcome in enumerate(outcomes, 1):
        path = files[outcome.index]
        if outcome.value is not None:
            reports[outcome.index] = outcome.value
        else:
            reports[outcome.index] = _unreadable_report(path, outcome.error, rules)
        if progress is not None:
            progress(done, len(files), path)
    chosen = {os.path.normpath(str(n)) for n in named}
    out = [r for r in reports if r is not None]
    for i, r in enumerate(out):
        reason = skip_reason(r.pmo_output, named=os.path.normpath(r.file) in chosen)
        if reason is not None and r.status is not FileStatus.SKIPPED:
            out[i] = FileReport(r.file, FileStatus.SKIPPED, reason, pmo_output=r.pmo_output)
    out += [FileReport(str(f), FileStatus.SKIPPED, reason) for f, reason in skipped]
    return Report(out)


def resolve_field(name: str, settings: Settings) -> tuple[str, str]:
    """Find the spec field a header names: ``"Planned Finish"``, ``"Due Date"``, ``"RAID.Status"``.

    A canonical header wins over a synonym; otherwise sheets are searched in order
    (Project, Tasks, Milestones, Budget, RAID), so ``"Status"`` is the Task status;
    qualify it with a sheet key to pick another. Returns (sheet key, field name).

    Raises:
        KeyError: no sheet has such a field.
    """
    from addin.read.headers import header_indexes
    from addin.schema import normalise, sheets

    key, _, header = name.rpartition(".")
    indexes = header_indexes(settings)
    if key and key not in indexes:
        raise KeyError(f"no tracker sheet {key!r}")
    specs = [sheet(key)] if key else list(sheets())
    for spec in specs:  # a canonical header anywhere beats a synonym
        for f in spec.fields:
            if normalise(f.header) == normalise(header):
                return spec.key, f.name
    for spec in specs:
        found = indexes[spec.key].match(header)
        if found is not None:
            return spec.key, found
    raise KeyError(f"no tracker field named {name!r}")


def check_value(field: str, value: Any, settings: Settings) -> Finding | None:
    """Check one value against one tracker field; return the finding, or None when it is valid.

    The same path the reader takes: the field's coercion (text dates, ``50%``, R/A/G,
    money as text), the model's range checks, the field's requirement and, for the
    Project ID, its format. Used by the worksheet function ``PMO_CHECK``.

    Raises:
        KeyError: ``field`` names no tracker field.
    """
    from addin.read import coerce
    from addin.read.tracker import choice_indexes

    key, name = resolve_field(field, settings)
    spec = sheet(key).field(name)
    rules = RuleBook(dict(settings.rules))
    shown = display_value(value)
    choices = choice_indexes(settings).get(spec.column.choices or "")
    values, bad = coerce.coercer(spec.kind, day_first=settings.reader.day_first, index=choices)(
        [value]
    )
    if bad:
        allowed = ", ".join(settings.allowed.of(spec.column.choices)) if spec.column.choices else ""
        return rules.finding(bad[0], field=spec.header, value=shown, allowed=allowed)
    typed = values[0]
    if typed is None:
        return rules.finding("value.required", field=spec.header) if spec.required else None
    try:
        sheet(key).model.model_validate({name: typed})
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        bound = err.get("ctx", {})
        words = {
            "ge": "must be at least",
            "le": "must be at most",
            "gt": "must be more than",
            "lt": "must be less than",
        }
        limit = next(((words[k], v) for k, v in bound.items() if k in words), None)
        if limit is None:
            return rules.finding("value.not_a_number", field=spec.header, value=shown)
        text = (
            f"{float(limit[1]) * 100:g} %" if spec.kind is Kind.PERCENT else display_value(limit[1])
        )
        return rules.finding(
            "value.out_of_range", field=spec.header, value=shown, bound=f"{limit[0]} {text}"
        )
    if name == "project_id" and not PROJECT_ID.match(str(typed)):
        return rules.finding("project.id_format", field=spec.header, value=str(typed))
    return None
