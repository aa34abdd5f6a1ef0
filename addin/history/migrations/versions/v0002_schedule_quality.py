"""Schedule quality (RAG_RULES v2) gets columns of its own, and the project views show it.

Revision 0002. Before it, a snapshot kept these fields in ``projects.extra`` (JSON);
they are copied into the new columns, so nothing kept is lost. The two views over
``projects`` are made again with the new columns. Frozen: a later change is a new
migration.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None

NEW: tuple[tuple[str, sa.types.TypeEngine[Any]], ...] = (
    ("bei", sa.Float()),
    ("missed_tasks_pct", sa.Float()),
    ("high_duration_pct", sa.Float()),
    ("invalid_dates", sa.Integer()),
    ("unassigned_pct", sa.Float()),
    ("schedule_quality", sa.Text()),
)
#: The Projects columns of revision 0001, then the new ones (the views' column order).
COLUMNS = (
    "project_id, project_name, programme, sponsor, project_manager, phase, status_date, "
    "baseline_finish, forecast_finish, finish_slip_days, budget, ac, eac, vac_pct, "
    "pct_complete, spi, cpi, max_slippage_days, overdue_milestones, open_high_risks, "
    "schedule_rag, cost_rag, risk_rag, overall_rag, reported_rag, optimism, stale, errors, "
    "warnings, rag_reasons, source_file, " + ", ".join(n for n, _ in NEW)
)


def _from_extra(dialect: str) -> None:
    """Values an earlier snapshot kept as JSON move into their columns (and out of it)."""
    names = [n for n, _ in NEW]
    held = " OR ".join(f"extra LIKE '%\"{n}\"%'" for n in names)
    if dialect == "sqlite":
        sets = [f"{n} = json_extract(extra, '$.{n}')" for n in names]
        rest = "json_remove(extra, " + ", ".join(f"'$.{n}'" for n in names) + ")"
        where = f"json_valid(extra) AND ({held})"
    else:
        casts = {sa.Float: "::double precision", sa.Integer: "::integer"}
        sets = [f"{n} = (extra::jsonb ->> '{n}'){casts.get(type(kind), '')}" for n, kind in NEW]
        rest = "(extra::jsonb - " + " - ".join(f"'{n}'" for n in names) + ")::text"
        where = f"extra IS NOT NULL AND ({held})"
    op.execute(f"UPDATE projects SET {', '.join(sets)}, extra = {rest} WHERE {where}")
    op.execute("UPDATE projects SET extra = NULL WHERE extra = '{}'")


def _views() -> None:
    op.execute("DROP VIEW latest_status")
    op.execute("DROP VIEW status_history")
    op.execute(
        f"CREATE VIEW latest_status AS SELECT as_of, {COLUMNS} FROM ("
        "SELECT s.as_of, p.*, ROW_NUMBER() OVER ("
        "PARTITION BY p.project_id ORDER BY s.as_of DESC) AS newest "
        "FROM projects p JOIN snapshots s ON s.id = p.snapshot_id "
        "WHERE p.project_id IS NOT NULL) latest WHERE newest = 1"
    )
    history = ", ".join(f"p.{n.strip()}" for n in COLUMNS.split(",") if n.strip() != "project_id")
    op.execute(
        f"CREATE VIEW status_history AS SELECT s.as_of, p.project_id, {history}, "
        "LAG(p.overall_rag) OVER w AS previous_overall_rag, "
        "p.spi - LAG(p.spi) OVER w AS spi_change, p.cpi - LAG(p.cpi) OVER w AS cpi_change "
        "FROM projects p JOIN snapshots s ON s.id = p.snapshot_id "
        "WINDOW w AS (PARTITION BY p.project_id ORDER BY s.as_of)"
    )


def upgrade() -> None:
    """Add the columns, fill them from what was kept, make the views again."""
    dialect = op.get_bind().dialect.name
    for name, kind in NEW:
        op.add_column("projects", sa.Column(name, kind))
    _from_extra(dialect)
    _views()


def downgrade() -> None:
    """History is never dropped by a migration; going back is restoring a backup."""
    raise NotImplementedError("the history schema is never downgraded; restore a backup")
