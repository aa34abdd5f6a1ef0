"""The history database's tables, as the code reads and writes them (SQLAlchemy Core).

The schema itself is made and changed only by the migrations in
:mod:`addin.history.migrations` (a test checks that a migrated database matches these
tables). One row of ``snapshots`` per consolidation, keyed by its as-of date; the rows of
that run hang off it: ``projects`` (every Projects column), ``milestones``, ``raid``,
``findings``, ``load_log``, and ``kind_rows`` for every other kind (Budget, Tasks when
``[history] tasks = true``, and any kind added later) as JSON. ``lessons`` is the
portfolio's lessons learned, one row per lesson however many snapshots repeat it, with
the first and last as-of date it was seen, and a full-text index.

RAG values are text, so a new value ("No data") needs no migration; a Projects field this
schema has no column for is kept in the row's ``extra`` JSON.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    UniqueConstraint,
)
from sqlalchemy.types import TypeEngine

from addin.history.types import Count, Day, Number, Words

metadata = MetaData()

#: A row id: BIGINT in PostgreSQL, SQLite's INTEGER PRIMARY KEY (its rowid) there.
RowId = BigInteger().with_variant(Integer(), "sqlite")


def _id() -> Column[int]:
    return Column("id", RowId, primary_key=True, autoincrement=True)


snapshots = Table(
    "snapshots",
    metadata,
    _id(),
    Column("as_of", Day(), nullable=False, unique=True),
    Column("portfolio", Words()),
    Column("generated", Words()),
    Column("saved_at", Words()),
    Column("source", Words()),
    Column("engine", Words()),
    Column("projects", Count()),
    Column("red", Count()),
    Column("amber", Count()),
    Column("green", Count()),
    Column("other", Count()),
    Column("files", Count()),
    Column("errors", Count()),
)

#: Typed columns of ``projects``: every Projects field of the engine's ProjectStatus.
PROJECT_TYPES: dict[str, TypeEngine[Any]] = {
    "project_id": Words(),
    "project_name": Words(),
    "programme": Words(),
    "sponsor": Words(),
    "project_manager": Words(),
    "phase": Words(),
    "status_date": Day(),
    "baseline_finish": Day(),
    "forecast_finish": Day(),
    "finish_slip_days": Count(),
    "budget": Number(),
    "ac": Number(),
    "eac": Number(),
    "vac_pct": Number(),
    "pct_complete": Number(),
    "spi": Number(),
    "cpi": Number(),
    "max_slippage_days": Count(),
    "overdue_milestones": Count(),
    "open_high_risks": Count(),
    "schedule_rag": Words(),
    "cost_rag": Words(),
    "risk_rag": Words(),
    "overall_rag": Words(),
    "reported_rag": Words(),
    "optimism": Boolean(),
    "stale": Boolean(),
    "errors": Count(),
    "warnings": Count(),
    "rag_reasons": Words(),
    "source_file": Words(),
    # revision 0002: schedule quality (RAG_RULES v2)
    "bei": Number(),
    "missed_tasks_pct": Number(),
    "high_duration_pct": Number(),
    "invalid_dates": Count(),
    "unassigned_pct": Number(),
    "schedule_quality": Words(),
}

projects = Table(
    "projects",
    metadata,
    _id(),
    Column("snapshot_id", RowId, ForeignKey("snapshots.id", ondelete="CASCADE"), nullable=False),
    *(Column(name, kind) for name, kind in PROJECT_TYPES.items()),
    Column("extra", Words()),
    Index("ix_projects_snapshot", "snapshot_id"),
    Index("ix_projects_project", "project_id", "snapshot_id"),
)


def _rows(name: str, types: dict[str, TypeEngine[Any]], *indexes: Index) -> Table:
    """A per-snapshot table of one kind's rows: Project ID, its fields, the source cell."""
    return Table(
        name,
        metadata,
        _id(),
        Column(
            "snapshot_id", RowId, ForeignKey("snapshots.id", ondelete="CASCADE"), nullable=False
        ),
        Column("project_id", Words()),
        *(Column(n, t) for n, t in types.items()),
        Column("source_cell", Words()),
        Column("extra", Words()),
        Index(f"ix_{name}_snapshot", "snapshot_id"),
        *indexes,
    )


MILESTONE_TYPES: dict[str, TypeEngine[Any]] = {
    "milestone_id": Words(),
    "milestone": Words(),
    "baseline_date": Day(),
    "forecast_date": Day(),
    "actual_date": Day(),
    "status": Words(),
    "owner": Words(),
}
RAID_TYPES: dict[str, TypeEngine[Any]] = {
    "raid_id": Words(),
    "type": Words(),
    "title": Words(),
    "owner": Words(),
    "raised": Day(),
    "due": Day(),
    "probability": Count(),
    "impact": Count(),
    "severity": Words(),
    "status": Words(),
    "mitigation": Words(),
}
LESSON_TYPES: dict[str, TypeEngine[Any]] = {
    "lesson_id": Words(),
    "date": Day(),
    "category": Words(),
    "type": Words(),
    "lesson": Words(),
    "recommendation": Words(),
    "owner": Words(),
    "tags": Words(),
}

milestones = _rows(
    "milestones", MILESTONE_TYPES, Index("ix_milestones_project", "project_id", "milestone_id")
)
raid = _rows("raid", RAID_TYPES, Index("ix_raid_project", "project_id"))

#: The kinds with a table of their own; every other kind's rows go to ``kind_rows``.
KIND_TABLES: dict[str, Table] = {"Milestones": milestones, "RAID": raid}

kind_rows = Table(
    "kind_rows",
    metadata,
    _id(),
    Column("snapshot_id", RowId, ForeignKey("snapshots.id", ondelete="CASCADE"), nullable=False),
    Column("kind", Words(), nullable=False),
    Column("project_id", Words()),
    Column("source_cell", Words()),
    Column("data", Words()),
    Index("ix_kind_rows_snapshot", "snapshot_id", "kind"),
)

findings = Table(
    "findings",
    metadata,
    _id(),
    Column("snapshot_id", RowId, ForeignKey("snapshots.id", ondelete="CASCADE"), nullable=False),
    Column("file", Words()),
    Column("project_id", Words()),
    Column("sheet", Words()),
    Column("cell", Words()),
    Column("field", Words()),
    Column("rule", Words()),
    Column("severity", Words()),
    Column("message", Words()),
    Column("value", Words()),
    Index("ix_findings_snapshot", "snapshot_id"),
)

load_log = Table(
    "load_log",
    metadata,
    _id(),
    Column("snapshot_id", RowId, ForeignKey("snapshots.id", ondelete="CASCADE"), nullable=False),
    Column("file", Words()),
    Column("status", Words()),
    Column("reason", Words()),
    Column("project_id", Words()),
    Column("rows_read", Count()),
    Column("seconds", Number()),
    Index("ix_load_log_snapshot", "snapshot_id"),
)

lessons = Table(
    "lessons",
    metadata,
    _id(),
    Column("project_id", Words(), nullable=False),
    Column("lesson_key", Words(), nullable=False),
    Column("project_name", Words()),
    *(Column(n, t) for n, t in LESSON_TYPES.items()),
    Column("source_cell", Words()),
    Column("first_seen", Day()),
    Column("last_seen", Day()),
    Column("extra", Words()),
    UniqueConstraint("project_id", "lesson_key", name="uq_lessons_key"),
)

#: Every per-snapshot table, children first (the order rows are deleted in).
SNAPSHOT_CHILDREN: tuple[Table, ...] = (projects, milestones, raid, kind_rows, findings, load_log)
