"""Read a portfolio workbook back into a :class:`~addin.engine.run.PortfolioRun`.

The sheets and columns are a contract, so a portfolio written by any earlier run
(``pmo dashboard portfolio.xlsx``, a history backfill) reads back as the run that
wrote it. The file goes through the same safety layer as a tracker
(:class:`addin.read.Workbook`: the sniff, the zip-bomb and XML checks, the far-cell
scan), with the row limit raised to Excel's and the size limits to a portfolio's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any, Literal

from addin.core.cells import parse_a1
from addin.core.errors import OutputError, PmoError, UnreadableFileError
from addin.core.findings import FileStatus, Finding, Severity
from addin.core.kinds import table_kinds
from addin.core.settings import LimitSettings
from addin.engine.run import KindRows, LoadEntry, PortfolioRun, ProjectStatus
from addin.engine.workers import run_bounded
from addin.ooxml.sheetxml import Style
from addin.outputs.portfolio.capacity import CAPACITY_SHEET
from addin.outputs.portfolio.columns import (
    FINDING_COLUMNS,
    FLAG_KEYS,
    LOAD_LOG_COLUMNS,
    PROJECT_COLUMNS,
    PortfolioColumn,
    table_columns,
)
from addin.outputs.portfolio.pages import continued
from addin.read import Workbook

#: Excel's own limits: a portfolio is read whole.
EXCEL_ROWS, PORTFOLIO_COLUMNS = 1_048_576, 256
#: A portfolio is as large as its trackers make it (20,000 messy ones: a 321 MB file that
#: expands to 4.7 GB), so it is not held to a tracker's size limits but to these; the
#: compression ratio of each part still is (a zip bomb's), and a bounded read to the
#: worker's memory and time. A tracker's 400 MB refused portfolios from 3,200 projects.
PORTFOLIO_MB, PORTFOLIO_EXPANDED_MB = 4096, 65536
#: What a portfolio too large for a reader process's memory or time asks of its reader.
LARGER = "to read one this large, raise [limits] worker_memory_mb and timeout_seconds in pmo.toml"


def _typed(value: Any, style: Style) -> Any:
    if value == "" or value is None:
        return None
    if style is Style.INTEGER and isinstance(value, float) and value.is_integer():
        return int(value)
    if style is Style.DATE and isinstance(value, dt.datetime):
        return value.date()
    return value


#: Rows left out of a sheet read back: those whose value under a column (its key) is one of.
Skip = tuple[str, Collection[Any]]
#: Which findings a portfolio is read back with (see :func:`read_portfolio`).
Findings = Literal["all", "unloaded", "none"]


def _sheet(
    book: Workbook,
    name: str,
    columns: Sequence[PortfolioColumn],
    optional: frozenset[str] = frozenset(),
    skip: Skip | None = None,
) -> list[dict[str, Any]]:
    """The rows of table ``name``, joined from its continuation sheets (``Tasks (2)`` ...).

    Columns whose keys are in ``optional`` (added by a later version) may be absent: a
    portfolio written before them reads with those values blank. Rows ``skip`` names are
    left out before their values are typed.
    """
    if name not in book.worksheets:
        raise OutputError(f"not a portfolio workbook: no '{name}' sheet")
    out: list[dict[str, Any]] = []
    for title in continued(name, book.worksheets):
        out.extend(_one_sheet(book, title, columns, optional, skip))
    return out


def _one_sheet(
    book: Workbook,
    name: str,
    columns: Sequence[PortfolioColumn],
    optional: frozenset[str] = frozenset(),
    skip: Skip | None = None,
) -> list[dict[str, Any]]:
    grid = book.grid(name, keep=False)  # each sheet is read once: its cells go with it
    rows: Sequence[Sequence[Any]] = []
    if grid.top == 0:
        rows = grid.rows if grid.left == 0 else [[""] * grid.left + list(r) for r in grid.rows]
    if not rows:
        return []
    header = [str(h).strip() for h in rows[0]]
    index = {h: i for i, h in enumerate(header)}
    missing = [
        c.header for c in columns if c.header not in index and not c.added and c.key not in optional
    ]
    if missing:
        raise OutputError(
            f"not a portfolio workbook: sheet '{name}' lacks column(s) {', '.join(missing)}"
        )
    at = [index.get(c.header, -1) for c in columns]  # -1: a column added after it was written
    by, skipped = skip if skip is not None else ("", ())
    judged = next((i for c, i in zip(columns, at, strict=True) if c.key == by), -1)
    out = []
    for raw in rows[1:]:
        if all(v == "" or v is None for v in raw):
            continue
        if 0 <= judged < len(raw) and raw[judged] in skipped:
            continue
        cells = [raw[i] if 0 <= i < len(raw) else "" for i in at]
        out.append({c.key: _typed(v, c.style) for c, v in zip(columns, cells, strict=True)})
    return out


def _project(row: dict[str, Any]) -> ProjectStatus:
    values = {c.key: row[c.key] for c in PROJECT_COLUMNS}
    for key in FLAG_KEYS:
        values[key] = values[key] == "Yes"
    reasons = values.pop("rag_reasons")
    values["reasons"] = tuple(str(reasons).split("; ")) if reasons else ()
    for key in ("overdue_milestones", "open_high_risks", "errors", "warnings"):
        values[key] = int(values[key] or 0)
    for key in ("schedule_rag", "cost_rag", "risk_rag", "overall_rag"):
        values[key] = str(values[key] or "")
    return ProjectStatus(**values)


def _finding(row: dict[str, Any]) -> Finding:
    cell = str(row["cell"] or "")
    r, c = parse_a1(cell) if cell else (None, None)
    return Finding(
        rule=str(row["rule"]),
        severity=Severity(row["severity"]),
        message=str(row["message"] or ""),
        file=str(row["file"] or ""),
        sheet=str(row["sheet"] or ""),
        row=r,
        col=c,
        field=str(row["field"] or ""),
        value="" if row["value"] is None else str(row["value"]),
    )


def read_portfolio(
    path: Path,
    limits: LimitSettings | None = None,
    kinds: Collection[str] | None = None,
    if_capacity: Collection[str] = (),
    *,
    findings: Findings = "all",
) -> PortfolioRun:
    """Read a portfolio workbook written by ``pmo consolidate`` back into its run.

    ``kinds``, when given, names the row kinds to read (``{"Milestones", "RAID"}``): an
    output that needs no Tasks does not read a portfolio's longest sheet. The kinds of
    ``if_capacity`` are read too when the portfolio has a Capacity sheet (its run had
    resource data): the steering pack's resource hot spots need the Resources and Tasks
    rows only then. ``findings``: ``"unloaded"`` reads those of the files no project was
    loaded from, all the dashboard and the pack count (the others are in the projects'
    error and warning counts; a messy portfolio holds 230 a project); ``"none"``, none.

    Raises:
        OutputError: the file is not a readable portfolio workbook (one line: why).
    """
    given = limits or LimitSettings()
    bounded = given.model_copy(
        update={
            "max_rows": EXCEL_ROWS,
            "max_columns": PORTFOLIO_COLUMNS,
            "max_file_mb": max(given.max_file_mb, PORTFOLIO_MB),
            "max_uncompressed_mb": max(given.max_uncompressed_mb, PORTFOLIO_EXPANDED_MB),
        }
    )
    try:
        with Workbook(Path(path), bounded) as book:
            about: dict[str, Any] = {}
            if "About" in book.worksheets:
                for row in book.grid("About").rows:
                    if len(row) >= 2 and isinstance(row[0], str):
                        about[row[0]] = row[1]
            if "Projects" not in book.worksheets:
                raise OutputError("not a portfolio workbook: no 'Projects' sheet")
            as_of = about.get("As Of")
            if isinstance(as_of, dt.datetime):
                as_of = as_of.date()
            if not isinstance(as_of, dt.date):  # a hand-made portfolio: judged as of today
                as_of = dt.date.today()
            run = PortfolioRun(
                name=str(about.get("Portfolio") or "Portfolio"),
                as_of=as_of,
                generated=str(about.get("Generated") or ""),
            )
            run.projects = [_project(r) for r in _sheet(book, "Projects", PROJECT_COLUMNS)]
            if kinds is not None and CAPACITY_SHEET in book.worksheets:
                kinds = {*kinds, *if_capacity}
            for spec in table_kinds():
                if not spec.portfolio or spec.portfolio not in book.worksheets:
                    continue
                if kinds is not None and spec.key not in kinds:
                    continue
                columns = table_columns(spec.key)
                later = frozenset(f.name for f in spec.fields if f.since > "1.0")
                rows = _sheet(book, spec.portfolio, columns, later)
                run.tables[spec.key] = KindRows.from_rows(spec.key, rows)
            run.load_log = [
                LoadEntry(
                    file=str(r["file"] or ""),
                    status=FileStatus(r["status"]),
                    reason=str(r["reason"] or ""),
                    project_id=str(r["project_id"] or ""),
                    rows_read=int(r["rows_read"] or 0),
                    seconds=float(r["seconds"] or 0.0),
                )
                for r in _sheet(book, "Load Log", LOAD_LOG_COLUMNS)
            ]
            loaded = {p.source_file for p in run.projects}
            if findings == "all" or (findings == "unloaded" and _unloaded(run.load_log, loaded)):
                skip = ("file", loaded) if findings == "unloaded" else None
                found = _sheet(book, "Findings", FINDING_COLUMNS, skip=skip)
                run.findings = [_finding(r) for r in found]
    except UnreadableFileError as exc:
        raise OutputError(f"{path}: cannot read the portfolio ({exc.reason})") from None
    except (KeyError, ValueError, TypeError) as exc:
        raise OutputError(f"{path}: not a portfolio workbook ({exc})") from None
    return run


def _unloaded(log: Sequence[LoadEntry], loaded: Collection[str]) -> bool:
    """True when some file of the run may have findings and no project (pmo's own never do)."""
    return any(e.file not in loaded and e.status is not FileStatus.SKIPPED for e in log)


def _read_in_worker(
    job: tuple[Path, LimitSettings, Collection[str] | None, Collection[str], Findings],
) -> PortfolioRun | str:
    path, limits, kinds, if_capacity, findings = job
    try:
        return read_portfolio(path, limits, kinds, if_capacity, findings=findings)
    except PmoError as exc:
        return str(exc)


def read_portfolio_bounded(
    path: Path,
    limits: LimitSettings,
    kinds: Collection[str] | None = None,
    if_capacity: Collection[str] = (),
    *,
    findings: Findings = "all",
) -> PortfolioRun:
    """:func:`read_portfolio` in a worker process held to the limits' time and memory.

    A portfolio that would take the machine's memory or hang the reader costs the
    worker, never the run: it becomes a one-line :class:`OutputError`.
    """
    job = (path, limits, kinds, if_capacity, findings)
    outcome = next(run_bounded([job], _read_in_worker, limits, jobs=1))
    if isinstance(outcome.value, PortfolioRun):
        return outcome.value
    reason = outcome.value or f"{path}: cannot read the portfolio ({outcome.error})"
    if any(cost in (outcome.error or "") for cost in ("memory", "timed out")):
        reason += f"; {LARGER}"
    raise OutputError(reason)
