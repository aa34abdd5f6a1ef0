"""Assemble a :class:`~addin.engine.run.PortfolioRun` from per-file results on a given day.

What depends on the day is decided here, for every run (cached results included):
dated findings (stale, future Status Date), Overall RAG, optimism. A Project ID
claimed by two files is a finding on both; the later Status Date wins the Projects
row and the other file's rows are left out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from addin.core.cells import RowAddresses, column_letter, parse_a1, quote_sheet
from addin.core.chunked import Chunked
from addin.core.findings import FileReport, Finding
from addin.core.kinds import table_kinds
from addin.core.repeated import Consecutive
from addin.core.rules import RuleBook, RuleId
from addin.core.settings import Settings
from addin.core.shared_values import ValuePool
from addin.core.tracker import Tracker
from addin.core.words import printable
from addin.engine.pipeline import TrackerResult, finish
from addin.engine.run import KindRows, LoadEntry, PortfolioRun, ProjectStatus
from addin.rag import Assessment, Dimensions, conclude, dimensions

#: Most other files a duplicate Project ID finding names; the rest are counted
#: ("a.xlsx, b.xlsx, c.xlsx and 5,997 more"), so n copies cost n short messages, not n².
NAMED_DUPLICATES = 3


def _project_id_cell(r: TrackerResult) -> tuple[str, int | None, int | None]:
    info = r.infos.get("Project")
    if info is None or "Project ID" not in info.columns:
        return (info.sheet if info else "", None, None)
    row, col = parse_a1(info.columns["Project ID"])
    return info.sheet, row, col


def _others(group: Sequence[TrackerResult], r: TrackerResult) -> str:
    """The files of ``group`` other than ``r``: the first few by name, the rest counted."""
    named = [printable(o.file) for o in group[: NAMED_DUPLICATES + 1] if o is not r]
    named = named[:NAMED_DUPLICATES]
    rest = len(group) - 1 - len(named)
    return ", ".join(named) + (f" and {rest:,} more" if rest else "")


def duplicates(
    results: Sequence[TrackerResult], rules: RuleBook
) -> tuple[dict[str, list[Finding]], dict[str, str]]:
    """Findings for Project IDs claimed twice, and which files lose (file -> winner)."""
    groups: dict[str, list[TrackerResult]] = defaultdict(list)
    for r in results:
        if r.is_tracker and r.project_id and not r.inferred_id:  # a file name is no claim
            groups[r.project_id.casefold()].append(r)
    extra: dict[str, list[Finding]] = defaultdict(list)
    losers: dict[str, str] = {}
    for group in groups.values():
        if len(group) < 2:
            continue
        winner = max(group, key=lambda r: r.project.status_date or dt.date.min)  # first of equals
        for r in group:
            others = _others(group, r)
            sheet, row, col = _project_id_cell(r)
            f = rules.finding(
                RuleId.PROJECT_DUPLICATE_ID,
                file=r.file,
                sheet=sheet,
                row=row,
                col=col,
                field="Project ID",
                value=r.project_id,
                other=others,
            )
            if f is not None:
                extra[r.file].append(f)
            if r is not winner:
                losers[r.file] = winner.file
    return extra, losers


def project_status(r: TrackerResult, a: Assessment, report: FileReport) -> ProjectStatus:
    """The Projects row of one tracker."""
    p, m = r.project, a.metrics
    q = m.quality
    return ProjectStatus(
        project_id=p.project_id,
        project_name=p.project_name,
        programme=p.programme,
        sponsor=p.sponsor,
        project_manager=p.project_manager,
        phase=p.phase,
        status_date=p.status_date,
        baseline_finish=p.baseline_finish,
        forecast_finish=p.forecast_finish,
        finish_slip_days=m.finish_slip,
        budget=m.bac,
        ac=m.ac,
        eac=m.eac,
        vac_pct=m.vac_pct,
        pct_complete=m.pct_complete,
        spi=m.spi,
        cpi=m.cpi,
        max_slippage_days=m.max_slippage,
        overdue_milestones=m.overdue_milestones,
        open_high_risks=m.open_high_or_critical,
        schedule_rag=a.schedule.rag.value,
        cost_rag=a.cost.rag.value,
        risk_rag=a.risk.rag.value,
        overall_rag=a.overall.value,
        reported_rag=p.reported_rag,
        optimism=a.optimism,
        stale=a.stale,
        errors=report.errors,
        warnings=report.warnings,
        bei=q.bei,
        missed_tasks_pct=q.missed_tasks_pct,
        high_duration_pct=q.high_duration_pct,
        invalid_dates=q.invalid_dates,
        unassigned_pct=q.unassigned_pct,
        schedule_quality="; ".join(q.warnings) or None,
        reasons=a.reasons,
        source_file=printable(r.file),
    )


def judged_on(r: TrackerResult, settings: Settings, as_of: dt.date) -> Dimensions:
    """The tracker's dimensions as of the run (cached, unless the Status Date is blank).

    RAG_RULES v2: without a Status Date, metrics use the consolidation's as-of date, so
    they are taken again on the day of the run.
    """
    assert r.dims is not None
    if r.project.status_date is not None:
        return r.dims
    return dimensions(Tracker(r.project, r.tables), settings, as_of)


def source_cells(r: TrackerResult, key: str) -> Sequence[str]:
    """``Sheet!C17`` for each row of a kind: its sheet, the table's first column, its row.

    A record read from a matrix (a wide plan's period cell) names its own cell. Rows one
    after another on one sheet (most tables) are :class:`RowAddresses`, else a list.
    """
    table = r.tables[key]
    lefts = r.lefts.get(key, {})
    if table.cols is not None:
        quoted = {sheet: quote_sheet(sheet) for sheet in dict.fromkeys(table.sheets)}
        return [
            f"{quoted[sheet]}!{column_letter(lefts.get(sheet, 0) if col is None else col)}"
            f"{'' if row is None else row + 1}"
            for sheet, row, col in zip(table.sheets, table.rows, table.cols, strict=True)
        ]
    prefix = {
        sheet: f"{quote_sheet(sheet)}!{column_letter(lefts.get(sheet, 0))}"
        for sheet in dict.fromkeys(table.sheets)
    }
    if len(prefix) == 1:
        run = Consecutive.of(table.rows)
        if run is not None:
            return RowAddresses(next(iter(prefix.values())), run.first + 1, len(run))
    return [
        f"{prefix[sheet]}{'' if row is None else row + 1}"
        for sheet, row in zip(table.sheets, table.rows, strict=True)
    ]


def assemble(
    results: Sequence[TrackerResult],
    settings: Settings,
    as_of: dt.date,
    *,
    generated: dt.datetime | None = None,
    pool: ValuePool | None = None,
) -> PortfolioRun:
    """The portfolio as of ``as_of`` from per-file results (in the order given).

    ``pool``, when given, holds each row's source cell (``Tasks!B12``) once over the run.
    """
    rules = RuleBook(dict(settings.rules))
    extra, losers = duplicates(results, rules)
    run = PortfolioRun(
        name=settings.portfolio_name,
        as_of=as_of,
        generated=(generated or dt.datetime.now()).isoformat(timespec="seconds"),
        tables={k.key: KindRows(k.key) for k in table_kinds() if k.portfolio},
    )
    included: list[tuple[TrackerResult, ProjectStatus]] = []
    run.findings = findings = Chunked[Finding]()  # each file's own, not copied
    for r in results:
        report = finish(r, settings, as_of, rules, extra=extra.get(r.file))
        winner = losers.get(r.file)
        if winner is not None:
            report.reason = (
                f"superseded by {printable(winner)} (same Project ID, later Status Date)"
                + (f"; {report.reason}" if report.reason else "")
            )
        run.reports.append(report)
        findings.add(report.findings)
        run.load_log.append(
            LoadEntry(
                file=r.file,
                status=report.status,
                reason=report.reason,
                project_id=r.project_id,
                rows_read=r.rows_read,
                seconds=round(r.seconds, 3),
            )
        )
        if r.is_tracker and winner is None and r.dims is not None:
            assessment = conclude(
                judged_on(r, settings, as_of), r.project.reported_rag, settings, as_of
            )
            included.append((r, project_status(r, assessment, report)))

    included.sort(key=lambda item: (str(item[1].project_id or "~"), item[0].file))
    for r, status in included:
        run.projects.append(status)
        for key, rows in run.tables.items():
            table = r.tables.get(key)
            if table is not None and len(table):
                cells = source_cells(r, key)
                if pool is not None and isinstance(cells, list):
                    pool.share((key, "#cell"), cells)
                rows.extend(status.project_id, table.columns, cells, r.file)
    return run
