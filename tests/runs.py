"""Build a :class:`PortfolioRun` from plain rows (as the Projects sheet shows them), for tests.

Dashboard and pack tests describe a portfolio the way a person reads the workbook -
one dict per Projects row (flags ``Yes``/``No``, reasons joined with ``"; "``), one
dict per milestone, RAID item, finding and Load Log row - and turn it into the typed
run the outputs consume. :func:`project_rows` goes back the other way for assertions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from addin.core.cells import parse_a1
from addin.core.findings import FileStatus, Finding, Severity
from addin.engine.run import KindRows, LoadEntry, PortfolioRun, ProjectStatus
from addin.outputs.portfolio import PROJECT_COLUMNS


def project_status(row: Mapping[str, Any]) -> ProjectStatus:
    """A typed Projects row from a dict keyed by the Projects columns' keys."""
    values = {c.key: row.get(c.key) for c in PROJECT_COLUMNS}
    values["optimism"] = values["optimism"] in ("Yes", True)
    values["stale"] = values["stale"] in ("Yes", True)
    joined = values.pop("rag_reasons")
    values["reasons"] = tuple(r for r in str(joined or "").split("; ") if r)
    for key in ("overdue_milestones", "open_high_risks", "errors", "warnings"):
        values[key] = int(values[key] or 0)
    return ProjectStatus(**values)


def kind_rows(key: str, rows: Iterable[Mapping[str, Any]]) -> KindRows:
    """A kind's rows from dicts keyed by field name (plus project_id and source_cell)."""
    return KindRows.from_rows(key, rows)


def finding(row: Mapping[str, Any]) -> Finding:
    """A finding from a Findings-sheet dict."""
    cell = str(row.get("cell") or "")
    r, c = parse_a1(cell) if cell else (None, None)
    return Finding(
        rule=str(row["rule"]),
        severity=Severity(row["severity"]),
        message=str(row.get("message") or ""),
        file=str(row.get("file") or ""),
        sheet=str(row.get("sheet") or ""),
        row=r,
        col=c,
        field=str(row.get("field") or ""),
        value=str(row.get("value") or ""),
    )


def run_from_rows(
    *,
    name: str,
    as_of: dt.date,
    projects: Iterable[Mapping[str, Any]] = (),
    milestones: Iterable[Mapping[str, Any]] = (),
    raid: Iterable[Mapping[str, Any]] = (),
    lessons: Iterable[Mapping[str, Any]] = (),
    findings: Iterable[Mapping[str, Any]] = (),
    load_log: Iterable[Mapping[str, Any]] = (),
    generated: str = "",
) -> PortfolioRun:
    """The typed run of a portfolio described row by row."""
    run = PortfolioRun(name=name, as_of=as_of, generated=generated)
    run.projects = [project_status(p) for p in projects]
    run.tables = {
        "Tasks": KindRows("Tasks"),
        "Milestones": kind_rows("Milestones", milestones),
        "Budget": KindRows("Budget"),
        "RAID": kind_rows("RAID", raid),
        "Lessons": kind_rows("Lessons", lessons),
    }
    run.findings = [finding(f) for f in findings]
    run.load_log = [
        LoadEntry(
            file=str(e["file"]),
            status=FileStatus(e["status"]),
            reason=str(e.get("reason") or ""),
            project_id=str(e.get("project_id") or ""),
            rows_read=int(e.get("rows_read") or 0),
            seconds=float(e.get("seconds") or 0.0),
        )
        for e in load_log
    ]
    return run


def project_rows(run: PortfolioRun) -> list[dict[str, Any]]:
    """The run's Projects rows as dicts, as the sheet shows them (flags Yes/No)."""
    out = []
    for p in run.projects:
        row = {c.key: p.value(c.key) for c in PROJECT_COLUMNS}
        row["optimism"] = "Yes" if p.optimism else "No"
        row["stale"] = "Yes" if p.stale else "No"
        row["rag_reasons"] = row["rag_reasons"] or ""
        out.append(row)
    return out
