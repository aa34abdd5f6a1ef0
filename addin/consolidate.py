"""Consolidate many trackers into one portfolio: read in parallel, isolate failures, cache.

Each file is read, validated and measured in a worker process
(:mod:`addin.workers`), so an unreadable, encrypted, hostile or hanging file
becomes one Load Log row with a one-line reason and the run goes on. What a
worker produces does not depend on the day of the run, so it is cached
(:mod:`addin.cache`) and a weekly re-run re-reads only the trackers that
changed; the parts that do depend on the day (stale reports, Status Dates in
the future, Overall RAG and optimism) are computed here for every run.

A Project ID claimed by two files is a finding on both; the later Status Date
wins the Projects row and the other file's rows are left out.

What the cache keeps of a file is data (typed values, column by column), never the
SpreadsheetML the portfolio is made of: workers render the rows they read, and a
worker renders a cache hit's rows from its values too, after checking the entry field
by field (:mod:`addin.cached_result`). Files ``pmo`` wrote itself are skipped
with their reason (:mod:`addin.ours`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from functools import cache
from operator import itemgetter
from pathlib import Path
from typing import Any

from addin.cache import Key, ResultCache, file_key
from addin.cells import column_letter, quote_sheet
from addin.config import Settings
from addin.findings import FileReport, FileStatus, Finding, TableInfo, sort_findings
from addin.ours import skip_reason
from addin.portfolio import (
    DataTable,
    Portfolio,
    table_columns,
)
from addin.rag import (
    Assessment,
    Dimensions,
    conclude,
    counts_for_risk,
    dimensions,
    is_open,
    severity_of,
)
from addin.read import ReadResult, read_tracker
from addin.read.tracker import TableLayout
from addin.rules import RuleBook
from addin.schema import TABLE_KEYS, sheet
from addin.sheetxml import Style, render_columns
from addin.validate import dated_findings, validate_tracker
from addin.words import printable

#: Data sheets whose rows the dashboard needs as values, not only as rendered XML.
VALUE_TABLES = ("Milestones", "RAID")
_MB = 1024 * 1024
#: Fresh results stored in the cache together (their values are let go of then).
_CACHE_BATCH = 100


@dataclass(slots=True)
class FileResult:
    """Everything one worker learned about one file (independent of the day of the run).

    ``columns`` holds each data sheet's typed values, column by column (Project ID, the
    spec fields, Source Cell): what the cache keeps. ``fragments`` holds the same rows
    rendered as SpreadsheetML, made from ``columns`` and never cached.
    """

    file: str
    status: FileStatus
    reason: str = ""
    project: dict[str, Any] = field(default_factory=dict)
    dims: Dimensions | None = None
    findings: list[Finding] = field(default_factory=list)
    status_date_at: tuple[str, int | None, int | None] = ("", None, None)
    tables: dict[str, TableInfo] = field(default_factory=dict)
    columns: dict[str, list[list[Any]]] = field(default_factory=dict)
    fragments: dict[str, list[bytes]] = field(default_factory=dict)
    rows_read: int = 0
    seconds: float = 0.0
    sheet_order: list[str] = field(default_factory=list)
    pmo_output: str = ""

    @property
    def is_tracker(self) -> bool:
        """True when the file was read as a tracker (valid or not)."""
        return self.status.read_as_tracker

    def rows(self, key: str) -> list[tuple[Any, ...]]:
        """A data sheet's rows as value tuples (empty when its values were not kept)."""
        columns = self.columns.get(key)
        return list(zip(*columns, strict=True)) if columns else []

    @property
    def project_id(self) -> str:
        """The tracker's Project ID, or ""."""
        value = self.project.get("project_id")
        return value if isinstance(value, str) else ""


def _data_columns(result: ReadResult, key: str, project_id: str | None) -> list[list[Any]]:
    """A data sheet's columns for one tracker: Project ID, the spec fields, Source Cell."""
    layout = result.layouts.get(key)
    if not isinstance(layout, TableLayout):
        return [[] for _ in table_columns(key)]
    left = column_letter(min(layout.columns.values())) if layout.columns else "A"
    prefix = f"{quote_sheet(layout.sheet)}!{left}"
    fields = [rec.__dict__ for rec in result.tracker.rows(key)]  # each record's field values
    return [
        [project_id] * len(fields),
        *(list(map(itemgetter(f.name), fields)) for f in sheet(key).fields),
        [f"{prefix}{'' if row is None else row + 1}" for row in map(itemgetter("row"), fields)],
    ]


@cache
def _styles(key: str) -> list[Style]:
    return [c.style for c in table_columns(key)]


def render(columns: list[list[Any]], key: str) -> list[bytes]:
    """Render a data sheet's values (column by column) as SpreadsheetML rows."""
    return render_columns(columns, _styles(key)) if columns and columns[0] else []


def process_file(path: str, settings: Settings, *, keep_rows: bool = False) -> FileResult:
    """Read, validate (date-independent rules) and measure one tracker.

    Never raises for bad input: an unreadable file comes back with its reason.

    Args:
        path: The workbook.
        settings: Effective settings.
        keep_rows: Keep every data sheet's values (for the cache and the reference
            writer); otherwise only those of :data:`VALUE_TABLES`.
    """
    start = time.perf_counter()
    rules = RuleBook(dict(settings.rules))
    read = read_tracker(path, settings, rules)
    out = FileResult(
        file=path,
        status=read.status,
        reason=read.reason,
        sheet_order=read.sheet_order,
        pmo_output=read.pmo_output,
    )
    if not read.status.read_as_tracker:
        out.seconds = time.perf_counter() - start
        return out
    tracker = read.tracker
    out.project = tracker.project.model_dump(exclude={"row", "extra"})
    out.findings = list(read.findings) + validate_tracker(read, settings, rules=rules)
    out.status_date_at = read.where("Project", "status_date")
    out.tables = dict(read.tables)
    out.dims = dimensions(tracker, settings)
    project_id = tracker.project.project_id
    for key in TABLE_KEYS:
        columns = _data_columns(read, key, project_id)
        out.fragments[key] = render(columns, key)
        if keep_rows or key in VALUE_TABLES:
            out.columns[key] = columns
        out.rows_read += len(columns[0])
    out.seconds = time.perf_counter() - start
    return out


# --- worker plumbing -------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(settings_json: str, keep_rows: bool, cached: bool) -> None:
    _WORKER["settings"] = Settings.model_validate_json(settings_json)
    _WORKER["keep_rows"] = keep_rows
    _WORKER["cached"] = cached


def _work(task: tuple[str, bytes | None]) -> tuple[bool, FileResult]:
    """One file: its cache entry checked and rendered when it has a sound one, else read.

    Returns:
        (True, the cached result) or (False, the result of reading the file).
    """
    from addin.cached_result import from_cache

    path, blob = task
    keep_rows = _WORKER["keep_rows"]
    if blob is not None:
        hit = from_cache(blob, path)
        if hit is not None:
            hit.fragments = {k: render(hit.columns[k], k) for k in hit.columns}
            return True, _slim(hit, keep_rows)
    # With a cache, every sheet's values go back to be stored.
    keep = keep_rows or _WORKER["cached"]
    return False, process_file(path, _WORKER["settings"], keep_rows=keep)


def fingerprint(settings: Settings) -> str:
    """A hash of the settings: a cached result is reused only under the same settings."""
    return hashlib.sha256(settings.model_dump_json().encode()).hexdigest()[:16]


# --- the run -----------------------------------------------------------------------------------


Progress = Callable[[int, int, str], None]


@dataclass
class Consolidation:
    """The outcome of a run: the portfolio, the data sheets, and what happened to each file."""

    portfolio: Portfolio
    tables: dict[str, DataTable]
    reports: list[FileReport]
    reread: list[str] = field(default_factory=list)
    cache_hits: int = 0
    seconds: float = 0.0

    @property
    def unreadable(self) -> int:
        """Files that could not be read at all."""
        return sum(1 for r in self.reports if r.status is FileStatus.UNREADABLE)

    @property
    def errors(self) -> int:
        """Error-severity findings over all files."""
        return sum(r.errors for r in self.reports)


def consolidate(
    files: Sequence[Path],
    settings: Settings,
    *,
    as_of: dt.date | None = None,
    jobs: int | None = None,
    cache_path: Path | None = None,
    keep_rows: bool = False,
    progress: Progress | None = None,
    skipped: Sequence[tuple[Path, str]] = (),
    named: Collection[str] = (),
) -> Consolidation:
    """Read every file (in parallel, cached), and build the portfolio as of ``as_of``.

    Args:
        files: Workbooks to read (see :func:`addin.discover.discover`).
        settings: Effective settings.
        as_of: The run's date: staleness and future Status Dates (default today).
        jobs: Worker processes (default: CPU count).
        cache_path: SQLite cache file; None for no cache.
        keep_rows: Keep every data row as values (needed by the reference writer).
        progress: Called as ``progress(done, total, file)`` after each file.
        skipped: Files left out before reading, with their reasons (``skipped`` in the
            Load Log; see :attr:`addin.discover.Discovery.skipped`).
        named: The files named on the command line (normalised paths): an annotated copy
            among them is read; one found in a folder is skipped (see :mod:`addin.ours`).

    Raises:
        UnsafePathError: ``cache_path`` is not ours to write (nothing was read).
    """
    started = time.perf_counter()
    as_of = as_of or dt.date.today()
    paths = [str(p) for p in files]
    total = len(paths)
    results: dict[str, FileResult] = {}
    keys: dict[str, Key] = {}
    cache = ResultCache(cache_path, fingerprint(settings)) if cache_path else None
    max_bytes = settings.limits.max_file_mb * _MB
    tasks: list[tuple[str, bytes | None]] = []
    for p in paths:
        key = file_key(Path(p), max_bytes) if cache is not None else None
        blob = None
        if cache is not None and key is not None:
            keys[p] = key
            blob = cache.payload(key)
        tasks.append((p, blob))

    from addin.workers import run_bounded

    # A cache entry is opened, checked and rendered in a worker too: in parallel, and
    # bounded in time and memory like a file.
    fresh: list[tuple[Key, FileResult]] = []
    hits = 0
    read: set[str] = set()
    outcomes = run_bounded(
        tasks,
        _work,
        settings.limits,
        jobs=jobs,
        initializer=_init_worker,
        initargs=(settings.model_dump_json(), keep_rows, cache is not None),
    )
    for done, outcome in enumerate(outcomes, 1):
        p = paths[outcome.index]
        if outcome.value is not None:
            cached, result = outcome.value
            if cached:
                hits += 1
            else:
                read.add(p)
                if p in keys:  # the cache keeps values only, never rendered rows
                    fresh.append((keys[p], dataclasses.replace(result, fragments={})))
                if cache is not None and len(fresh) >= _CACHE_BATCH:  # hold few values at once
                    cache.put_many(fresh)
                    fresh.clear()
            results[p] = _slim(result, keep_rows)
        else:
            read.add(p)
            results[p] = FileResult(file=p, status=FileStatus.UNREADABLE, reason=outcome.error)
        if progress:
            progress(done, total, p)
    if cache is not None:
        cache.put_many(fresh)
        cache.close()
    del tasks, fresh  # the entries' bytes: no longer needed

    chosen = {os.path.normpath(str(n)) for n in named}
    ordered = [_skip_ours(results[p], os.path.normpath(p) in chosen) for p in paths]
    ordered += [FileResult(str(f), FileStatus.SKIPPED, reason) for f, reason in skipped]
    portfolio, tables, reports = build_portfolio(ordered, settings, as_of)
    return Consolidation(
        portfolio=portfolio,
        tables=tables,
        reports=reports,
        reread=[p for p in paths if p in read],
        cache_hits=hits,
        seconds=time.perf_counter() - started,
    )


def _slim(result: FileResult, keep_rows: bool) -> FileResult:
    """Let go of the values the run no longer needs (they were cached, or rendered)."""
    if not keep_rows:
        result.columns = {k: v for k, v in result.columns.items() if k in VALUE_TABLES}
    return result


def _skip_ours(result: FileResult, named: bool) -> FileResult:
    """An annotated copy found in a folder (known by content) is skipped, not read."""
    reason = skip_reason(result.pmo_output, named=named)
    if reason is None or result.status is FileStatus.SKIPPED:
        return result
    return FileResult(result.file, FileStatus.SKIPPED, reason, pmo_output=result.pmo_output)


#: Most other files a duplicate Project ID finding names; the rest are counted
#: ("a.xlsx, b.xlsx, c.xlsx and 5,997 more"), so n copies cost n short messages, not n².
NAMED_DUPLICATES = 3


def _recency(r: FileResult) -> dt.date:
    value = r.project.get("status_date")
    return value if isinstance(value, dt.date) else dt.date.min


def _others(group: Sequence[FileResult], r: FileResult) -> str:
    """The files of ``group`` other than ``r``: the first few by name, the rest counted."""
    named = [printable(o.file) for o in group[: NAMED_DUPLICATES + 1] if o is not r]
    named = named[:NAMED_DUPLICATES]
    rest = len(group) - 1 - len(named)
    return ", ".join(named) + (f" and {rest:,} more" if rest else "")


def _duplicates(
    results: Sequence[FileResult], rules: RuleBook
) -> tuple[dict[str, list[Finding]], dict[str, str]]:
    """Findings for Project IDs claimed twice, and which files lose (file -> winner).

    Linear in the number of files: each finding names at most :data:`NAMED_DUPLICATES`
    other files, however many share the ID.
    """
    groups: dict[str, list[FileResult]] = defaultdict(list)
    for r in results:
        if r.is_tracker and r.project_id:
            groups[r.project_id.casefold()].append(r)
    extra: dict[str, list[Finding]] = defaultdict(list)
    losers: dict[str, str] = {}
    for group in groups.values():
        if len(group) < 2:
            continue
        winner = max(group, key=_recency)  # the first of equals (path order) wins a tie
        for r in group:
            others = _others(group, r)
            where = _project_id_cell(r)
            f = rules.finding(
                "project.duplicate_id",
                file=r.file,
                sheet=where[0],
                row=where[1],
                col=where[2],
                field="Project ID",
                value=r.project_id,
                other=others,
            )
            if f is not None:
                extra[r.file].append(f)
            if r is not winner:
                losers[r.file] = winner.file
    return extra, losers


def _project_id_cell(r: FileResult) -> tuple[str, int | None, int | None]:
    info = r.tables.get("Project")
    if info is None or "Project ID" not in info.columns:
        return (info.sheet if info else "", None, None)
    from addin.cells import parse_a1

    row, col = parse_a1(info.columns["Project ID"])
    return info.sheet, row, col


def _yes(flag: bool) -> str:
    return "Yes" if flag else "No"


def project_row(r: FileResult, a: Assessment, report: FileReport) -> dict[str, Any]:
    """The Projects sheet row of one tracker (keys of :data:`~addin.portfolio.PROJECT_COLUMNS`)."""
    p, m = r.project, a.metrics
    return {
        "project_id": p.get("project_id"),
        "project_name": p.get("project_name"),
        "programme": p.get("programme"),
        "sponsor": p.get("sponsor"),
        "project_manager": p.get("project_manager"),
        "phase": p.get("phase"),
        "status_date": p.get("status_date"),
        "baseline_finish": p.get("baseline_finish"),
        "forecast_finish": p.get("forecast_finish"),
        "finish_slip_days": m.finish_slip,
        "budget": m.bac,
        "ac": m.ac,
        "eac": m.eac,
        "vac_pct": m.vac_pct,
        "pct_complete": m.pct_complete,
        "spi": m.spi,
        "cpi": m.cpi,
        "max_slippage_days": m.max_slippage,
        "overdue_milestones": m.overdue_milestones,
        "open_high_risks": m.open_high_or_critical,
        "schedule_rag": a.schedule.rag.value,
        "cost_rag": a.cost.rag.value,
        "risk_rag": a.risk.rag.value,
        "overall_rag": a.overall.value,
        "reported_rag": p.get("reported_rag"),
        "optimism": _yes(a.optimism),
        "stale": _yes(a.stale),
        "errors": report.errors,
        "warnings": report.warnings,
        "rag_reasons": "; ".join(a.reasons) or None,
        "source_file": printable(r.file),
    }


def _value_dicts(key: str, rows: Sequence[tuple[Any, ...]]) -> list[dict[str, Any]]:
    keys = [c.key for c in table_columns(key)]
    if any(len(row) != len(keys) for row in rows):
        raise ValueError(f"internal: a {key} row does not have {len(keys)} values")
    return [dict(zip(keys, row)) for row in rows]  # noqa: B905 - lengths checked above


def build_portfolio(
    results: Sequence[FileResult], settings: Settings, as_of: dt.date
) -> tuple[Portfolio, dict[str, DataTable], list[FileReport]]:
    """Turn per-file results into the portfolio as of ``as_of`` (dated rules, RAG, duplicates)."""
    rules = RuleBook(dict(settings.rules))
    extra, losers = _duplicates(results, rules)
    portfolio = Portfolio(
        name=settings.portfolio_name,
        as_of=as_of,
        generated=dt.datetime.now().isoformat(timespec="seconds"),
    )
    trackers = [r for r in results if r.is_tracker]
    tables = {
        key: DataTable(
            table_columns(key), rows=[] if all(key in r.columns for r in trackers) else None
        )
        for key in TABLE_KEYS
    }
    reports: list[FileReport] = []
    included: list[tuple[FileResult, dict[str, Any]]] = []
    for r in results:
        report = FileReport(file=r.file, status=r.status, reason=r.reason, project_id=r.project_id)
        if r.status is FileStatus.SKIPPED:
            report.findings = []  # our own output, left out on purpose: not a problem
        elif not r.is_tracker:
            rule = "file.unreadable" if r.status is FileStatus.UNREADABLE else "file.not_a_tracker"
            f = rules.finding(rule, file=r.file, reason=r.reason)
            report.findings = [f] if f is not None else []
        else:
            status_date = r.project.get("status_date")
            dated = dated_findings(
                r.file,
                status_date if isinstance(status_date, dt.date) else None,
                r.status_date_at,
                settings,
                as_of,
                rules,
            )
            report.status = FileStatus.VALID
            report.findings = sort_findings(
                [*r.findings, *dated, *extra.get(r.file, [])], r.sheet_order
            )
            report.tables = dict(r.tables)
            report.settle()
        winner = losers.get(r.file)
        if winner is not None:
            report.reason = (
                f"superseded by {printable(winner)} (same Project ID, later Status Date)"
                + (f"; {report.reason}" if report.reason else "")
            )
        reports.append(report)
        portfolio.findings.extend(
            {
                "file": printable(f.file),
                "project_id": r.project_id,
                "sheet": f.sheet,
                "cell": f.cell,
                "field": f.field,
                "rule": f.rule,
                "severity": str(f.severity),
                "message": printable(f.message),
                "value": f.value,
            }
            for f in report.findings
        )
        portfolio.load_log.append(
            {
                "file": printable(r.file),
                "status": str(report.status),
                "reason": printable(report.reason),
                "project_id": r.project_id,
                "rows_read": r.rows_read,
                "seconds": round(r.seconds, 3),
            }
        )
        if r.is_tracker and winner is None and r.dims is not None:
            reported = r.project.get("reported_rag")
            assessment = conclude(
                r.dims, reported if isinstance(reported, str) else None, settings, as_of
            )
            included.append((r, project_row(r, assessment, report)))

    included.sort(key=lambda item: (str(item[1]["project_id"] or "~"), item[0].file))
    for r, row in included:
        portfolio.projects.append(row)
        for key in TABLE_KEYS:
            table = tables[key]
            table.fragments.append(r.fragments.get(key, []))
            if table.rows is not None:
                table.rows.extend(r.rows(key))
        portfolio.milestones.extend(_value_dicts("Milestones", r.rows("Milestones")))
        portfolio.raid.extend(_value_dicts("RAID", r.rows("RAID")))
    return portfolio, tables, reports


def open_risks(portfolio: Portfolio, settings: Settings) -> list[dict[str, Any]]:
    """Open Risks and Issues of the portfolio with their effective severity (stated or derived)."""
    from addin.model import RaidItem

    out = []
    for row in portfolio.raid:
        item = RaidItem.model_construct(
            type=row.get("type"),
            status=row.get("status"),
            severity=row.get("severity"),
            probability=row.get("probability"),
            impact=row.get("impact"),
        )
        if is_open(item) and counts_for_risk(item):
            out.append({**row, "effective_severity": severity_of(item, settings.rag.severity)})
    return out
