"""The typed product of a consolidation: one :class:`PortfolioRun`.

Everything the portfolio workbook shows, as typed data: run metadata, one
:class:`ProjectStatus` per project (metrics, RAG per dimension, reasons, flags), the
rows of every kind with their Project ID and source cell, the findings and the load
log. The xlsx writer, ``--json``, the dashboard, the worksheet functions and the
database all consume it; reading a portfolio workbook back gives an equal run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from addin.core.chunked import Chunked
from addin.core.findings import FileReport, FileStatus, Finding, errors_in
from addin.core.kinds import kind
from addin.core.quick_state import quick_state
from addin.core.repeated import Repeated
from addin.core.timing import Phases


@quick_state
@dataclass(frozen=True, slots=True)
class ProjectStatus:
    """One project's row of the Projects sheet, typed (see the portfolio's column contract).

    A RAG is ``Red``, ``Amber``, ``Green`` or ``No data`` (RAG_RULES v2: a dimension
    without evidence; Overall when no dimension has data). ``schedule_quality`` holds the
    schedule-quality warnings joined with ``"; "`` (None when there is none).
    """

    project_id: str | None
    project_name: str | None
    programme: str | None
    sponsor: str | None
    project_manager: str | None
    phase: str | None
    status_date: dt.date | None
    baseline_finish: dt.date | None
    forecast_finish: dt.date | None
    finish_slip_days: int | None
    budget: float | None
    ac: float | None
    eac: float | None
    vac_pct: float | None
    pct_complete: float | None
    spi: float | None
    cpi: float | None
    max_slippage_days: int | None
    overdue_milestones: int
    open_high_risks: int
    schedule_rag: str
    cost_rag: str
    risk_rag: str
    overall_rag: str
    reported_rag: str | None
    optimism: bool
    stale: bool
    errors: int
    warnings: int
    bei: float | None
    missed_tasks_pct: float | None
    high_duration_pct: float | None
    invalid_dates: int | None
    unassigned_pct: float | None
    schedule_quality: str | None
    reasons: tuple[str, ...]
    source_file: str

    def value(self, key: str) -> Any:
        """The value of one Projects column by its key (``rag_reasons`` joins the reasons)."""
        if key == "rag_reasons":
            return "; ".join(self.reasons) or None
        return getattr(self, key)

    def dimension_reasons(self, dimension: str) -> tuple[str, ...]:
        """The reasons behind one dimension (``Schedule``, ``Cost``, ``Risk``, ``Stale``).

        ``"Cost No data: no budget lines with Actual or Forecast"`` gives
        ``"no budget lines with Actual or Forecast"``.
        """
        prefix = f"{dimension} "
        return tuple(r.partition(": ")[2] for r in self.reasons if r.startswith(prefix))


PROJECT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ProjectStatus))


@quick_state
@dataclass(slots=True)
class KindRows:
    """Every row of one kind over the portfolio: Project ID, the kind's fields, source cell.

    Each column is a :class:`~addin.core.chunked.Chunked`: the trackers' own lists end to
    end, not a copy of them. Read many rows by zipping columns, not by indexing them.
    """

    kind: str
    project_ids: Chunked[str | None] = field(default_factory=Chunked)
    columns: dict[str, Chunked[Any]] = field(default_factory=dict)
    source_cells: Chunked[str] = field(default_factory=Chunked)
    #: Which file each run of rows came from, in order: (file, rows). Not in a portfolio
    #: workbook, so not part of equality; lets an output reuse what it prepared per file.
    spans: list[tuple[str, int]] = field(default_factory=list, compare=False)

    def __post_init__(self) -> None:
        for f in kind(self.kind).fields:
            self.columns.setdefault(f.name, Chunked())

    @classmethod
    def from_rows(cls, kind: str, rows: Iterable[Mapping[str, Any]]) -> KindRows:
        """A kind's rows from dicts keyed ``project_id``, the field names and ``source_cell``.

        A field a dict lacks is None; a missing source cell is ``""``.
        """
        out = cls(kind)
        pids: list[str | None] = []
        cells: list[str] = []
        values: dict[str, list[Any]] = {name: [] for name in out.columns}
        for r in rows:
            pids.append(r.get("project_id"))
            for name, column in values.items():
                column.append(r.get(name))
            cells.append(str(r.get("source_cell") or ""))
        out.project_ids.add(pids)
        for name, column in values.items():
            out.columns[name].add(column)
        out.source_cells.add(cells)
        return out

    def __len__(self) -> int:
        return len(self.project_ids)

    def rows(self) -> Iterator[dict[str, Any]]:
        """Each row as ``{"project_id": ..., <field>: ..., "source_cell": ...}``."""
        names = list(self.columns)
        for pid, *values, cell in zip(
            self.project_ids, *self.columns.values(), self.source_cells, strict=True
        ):
            row: dict[str, Any] = {"project_id": pid, **dict(zip(names, values, strict=True))}
            row["source_cell"] = cell
            yield row

    def extend(
        self,
        project_id: str | None,
        columns: Mapping[str, Sequence[Any]],
        cells: Sequence[str],
        file: str = "",
    ) -> None:
        """Append one tracker's rows (``file``: the tracker they came from).

        The columns and ``cells`` are kept as they are, not copied: they must not change.
        """
        n = len(cells)
        self.spans.append((file, n))
        self.project_ids.add(Repeated(project_id, n))
        for name, values in self.columns.items():
            found = columns.get(name)
            values.add(found if found is not None else Repeated(None, n))
        self.source_cells.add(cells)


@quick_state
@dataclass(frozen=True, slots=True)
class LoadEntry:
    """One file of the run: what happened to it (the Load Log)."""

    file: str
    status: FileStatus
    reason: str
    project_id: str
    rows_read: int
    seconds: float


@dataclass
class PortfolioRun:
    """The single product of a consolidation.

    Attributes:
        name: The portfolio's name.
        as_of: The run's date.
        generated: When the run was made (ISO text).
        projects: One row per project, sorted by Project ID.
        tables: Kind -> every row of that kind over the portfolio.
        findings: Every finding of every file, in file order.
        load_log: One entry per file read.
        reports: Per-file reports (status, findings, where tables were found); not
            written to the workbook, so not part of a run's equality.
        reread: Files read this run (the rest came from the cache).
        cache_hits: Results taken from the cache.
        cache_unsaved: Why the cache was not updated (``FILE: database or disk is full``:
            it keeps what it held), or "".
        seconds: Time the run took.
        prepared: File -> what an output prepared from that file's result in the worker that
            read it (see ``prepare`` in :func:`addin.engine.consolidate.consolidate`); opaque
            to the engine, never part of equality.
        derived: What a later layer worked out from the whole run, by name (the resource
            load: :func:`addin.resources.load_of`); opaque to the engine, never part of
            equality (it is worked out again from the run's rows).
        phases: Where the run's time went (:mod:`addin.core.timing`): the workers' phases,
            summed over files; the main process's are added by whoever ends the run
            (``pmo consolidate`` after writing its outputs). Never part of equality.
    """

    name: str
    as_of: dt.date
    generated: str
    projects: list[ProjectStatus] = field(default_factory=list)
    tables: dict[str, KindRows] = field(default_factory=dict)
    findings: Sequence[Finding] = field(default_factory=list)
    load_log: list[LoadEntry] = field(default_factory=list)
    reports: list[FileReport] = field(default_factory=list, compare=False)
    reread: list[str] = field(default_factory=list, compare=False)
    cache_hits: int = field(default=0, compare=False)
    cache_unsaved: str = field(default="", compare=False)
    seconds: float = field(default=0.0, compare=False)
    prepared: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    phases: Phases = field(default_factory=Phases, compare=False, repr=False)

    @property
    def unreadable(self) -> int:
        """Files that could not be read at all."""
        return sum(1 for e in self.load_log if e.status is FileStatus.UNREADABLE)

    @property
    def errors(self) -> int:
        """Error-severity findings over all files."""
        return errors_in(self.findings)

    def project_of(self) -> dict[str, str]:
        """File -> the Project ID it claims (for the Findings sheet's Project ID column)."""
        return {e.file: e.project_id for e in self.load_log}

    def table(self, key: str) -> KindRows:
        """The rows of a kind (empty when the run holds none)."""
        found = self.tables.get(key)
        return found if found is not None else KindRows(key)
