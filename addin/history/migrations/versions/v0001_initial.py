"""The first schema: snapshots and their rows, lessons with a full-text index, the BI views.

Revision 0001. Frozen: a later change is a new migration, never an edit here.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels = None
depends_on = None

RowId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

PROJECT_COLUMNS: tuple[tuple[str, sa.types.TypeEngine[Any]], ...] = (
    ("project_id", sa.Text()),
    ("project_name", sa.Text()),
    ("programme", sa.Text()),
    ("sponsor", sa.Text()),
    ("project_manager", sa.Text()),
    ("phase", sa.Text()),
    ("status_date", sa.Date()),
    ("baseline_finish", sa.Date()),
    ("forecast_finish", sa.Date()),
    ("finish_slip_days", sa.Integer()),
    ("budget", sa.Float()),
    ("ac", sa.Float()),
    ("eac", sa.Float()),
    ("vac_pct", sa.Float()),
    ("pct_complete", sa.Float()),
    ("spi", sa.Float()),
    ("cpi", sa.Float()),
    ("max_slippage_days", sa.Integer()),
    ("overdue_milestones", sa.Integer()),
    ("open_high_risks", sa.Integer()),
    ("schedule_rag", sa.Text()),
    ("cost_rag", sa.Text()),
    ("risk_rag", sa.Text()),
    ("overall_rag", sa.Text()),
    ("reported_rag", sa.Text()),
    ("optimism", sa.Boolean()),
    ("stale", sa.Boolean()),
    ("errors", sa.Integer()),
    ("warnings", sa.Integer()),
    ("rag_reasons", sa.Text()),
    ("source_file", sa.Text()),
)


def _id() -> sa.Column[int]:
    return sa.Column("id", RowId, primary_key=True, autoincrement=True)


def _snapshot() -> sa.Column[int]:
    return sa.Column(
        "snapshot_id", RowId, sa.ForeignKey("snapshots.id", ondelete="CASCADE"), nullable=False
    )


def _text(*names: str) -> list[sa.Column[str]]:
    return [sa.Column(n, sa.Text()) for n in names]


def _days(*names: str) -> list[sa.Column[Any]]:
    return [sa.Column(n, sa.Date()) for n in names]


def _tables() -> None:
    op.create_table(
        "snapshots",
        _id(),
        sa.Column("as_of", sa.Date(), nullable=False, unique=True),
        *_text("portfolio", "generated", "saved_at", "source", "engine"),
        *(
            sa.Column(n, sa.Integer())
            for n in ("projects", "red", "amber", "green", "other", "files", "errors")
        ),
    )
    op.create_table(
        "projects",
        _id(),
        _snapshot(),
        *(sa.Column(n, t) for n, t in PROJECT_COLUMNS),
        sa.Column("extra", sa.Text()),
    )
    op.create_index("ix_projects_snapshot", "projects", ["snapshot_id"])
    op.create_index("ix_projects_project", "projects", ["project_id", "snapshot_id"])
    op.create_table(
        "milestones",
        _id(),
        _snapshot(),
        *_text("project_id", "milestone_id", "milestone"),
        *_days("baseline_date", "forecast_date", "actual_date"),
        *_text("status", "owner", "source_cell", "extra"),
    )
    op.create_index("ix_milestones_snapshot", "milestones", ["snapshot_id"])
    op.create_index("ix_milestones_project", "milestones", ["project_id", "milestone_id"])
    op.create_table(
        "raid",
        _id(),
        _snapshot(),
        *_text("project_id", "raid_id", "type", "title", "owner"),
        *_days("raised", "due"),
        sa.Column("probability", sa.Integer()),
        sa.Column("impact", sa.Integer()),
        *_text("severity", "status", "mitigation", "source_cell", "extra"),
    )
    op.create_index("ix_raid_snapshot", "raid", ["snapshot_id"])
    op.create_index("ix_raid_project", "raid", ["project_id"])
    op.create_table(
        "kind_rows",
        _id(),
        _snapshot(),
        sa.Column("kind", sa.Text(), nullable=False),
        *_text("project_id", "source_cell", "data"),
    )
    op.create_index("ix_kind_rows_snapshot", "kind_rows", ["snapshot_id", "kind"])
    op.create_table(
        "findings",
        _id(),
        _snapshot(),
        *_text("file", "project_id", "sheet", "cell", "field", "rule", "severity", "message"),
        sa.Column("value", sa.Text()),
    )
    op.create_index("ix_findings_snapshot", "findings", ["snapshot_id"])
    op.create_table(
        "load_log",
        _id(),
        _snapshot(),
        *_text("file", "status", "reason", "project_id"),
        sa.Column("rows_read", sa.Integer()),
        sa.Column("seconds", sa.Float()),
    )
    op.create_index("ix_load_log_snapshot", "load_log", ["snapshot_id"])
    op.create_table(
        "lessons",
        _id(),
        sa.Column("project_id", sa.Text(), nullable=False),
        sa.Column("lesson_key", sa.Text(), nullable=False),
        *_text("project_name", "lesson_id"),
        sa.Column("date", sa.Date()),
        *_text("category", "type", "lesson", "recommendation", "owner", "tags", "source_cell"),
        *_days("first_seen", "last_seen"),
        sa.Column("extra", sa.Text()),
        sa.UniqueConstraint("project_id", "lesson_key", name="uq_lessons_key"),
    )


def _full_text(dialect: str) -> None:
    """SQLite: an FTS5 table the store keeps in step (no triggers); PostgreSQL: tsvector."""
    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE lessons_fts USING fts5("
            "lesson, recommendation, tags, category, project_name, "
            "tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        return
    op.execute(
        "ALTER TABLE lessons ADD COLUMN search tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('english', coalesce(lesson, '')), 'A') || "
        "setweight(to_tsvector('english', coalesce(tags, '') || ' ' || coalesce(category, '')), "
        "'B') || "
        "setweight(to_tsvector('english', coalesce(recommendation, '') || ' ' || "
        "coalesce(project_name, '')), 'C')) STORED"
    )
    op.execute("CREATE INDEX ix_lessons_search ON lessons USING gin (search)")


def _days_between(later: str, earlier: str, dialect: str) -> str:
    if dialect == "sqlite":
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"
    return f"({later} - {earlier})"


def _views(dialect: str) -> None:
    """The views BI tools read (README "History": the views)."""
    columns = ", ".join(n for n, _ in PROJECT_COLUMNS)
    op.execute(
        f"CREATE VIEW latest_status AS SELECT as_of, {columns} FROM ("
        f"SELECT s.as_of, p.*, ROW_NUMBER() OVER ("
        "PARTITION BY p.project_id ORDER BY s.as_of DESC) AS newest "
        "FROM projects p JOIN snapshots s ON s.id = p.snapshot_id "
        "WHERE p.project_id IS NOT NULL) latest WHERE newest = 1"
    )
    history = ", ".join(f"p.{n}" for n, _ in PROJECT_COLUMNS if n != "project_id")
    op.execute(
        f"CREATE VIEW status_history AS SELECT s.as_of, p.project_id, {history}, "
        "LAG(p.overall_rag) OVER w AS previous_overall_rag, "
        "p.spi - LAG(p.spi) OVER w AS spi_change, p.cpi - LAG(p.cpi) OVER w AS cpi_change "
        "FROM projects p JOIN snapshots s ON s.id = p.snapshot_id "
        "WINDOW w AS (PARTITION BY p.project_id ORDER BY s.as_of)"
    )
    slip = _days_between("m.forecast_date", "m.baseline_date", dialect)
    moved = _days_between("m.forecast_date", "LAG(m.forecast_date) OVER w", dialect)
    op.execute(
        "CREATE VIEW milestone_forecast_history AS SELECT s.as_of, m.project_id, "
        "m.milestone_id, m.milestone, m.status, m.owner, m.baseline_date, m.forecast_date, "
        f"m.actual_date, {slip} AS slippage_days, {moved} AS forecast_moved_days "
        "FROM milestones m JOIN snapshots s ON s.id = m.snapshot_id "
        "WINDOW w AS (PARTITION BY m.project_id, m.milestone_id ORDER BY s.as_of)"
    )
    op.execute(
        "CREATE VIEW open_raid_over_time AS SELECT s.as_of, r.project_id, r.raid_id, r.type, "
        "r.title, r.owner, r.raised, r.due, r.probability, r.impact, "
        "r.probability * r.impact AS score, r.severity, r.status, r.mitigation "
        "FROM raid r JOIN snapshots s ON s.id = r.snapshot_id "
        "WHERE r.status IN ('Open', 'Mitigating')"
    )


def upgrade() -> None:
    """Create the tables, the full-text index and the views."""
    dialect = op.get_bind().dialect.name
    _tables()
    _full_text(dialect)
    _views(dialect)


def downgrade() -> None:
    """History is never dropped by a migration; going back is restoring a backup."""
    raise NotImplementedError("the history schema is never downgraded; restore a backup")
