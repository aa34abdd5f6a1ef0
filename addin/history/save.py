"""Store a portfolio run as one snapshot, keyed by its as-of date, in one transaction.

What is stored is what the run holds (:class:`~addin.engine.run.PortfolioRun`), not what a
workbook shows: every Projects field, the Milestones and RAID rows, the findings, the load
log, every other kind's rows (Budget; Tasks only with ``[history] tasks = true``; kinds
added later) as JSON, and the lessons learned (see :mod:`addin.history.lessons`).
Re-running an as-of date replaces its snapshot; the rows are prepared before the write
lock is taken, so the lock is held only for the inserts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection

import addin.history.schema as schema
from addin import __version__
from addin.core.words import printable
from addin.engine.run import KindRows, PortfolioRun, ProjectStatus
from addin.history.lessons import LessonRow, lesson_rows, store_lessons
from addin.history.store import Store

#: Overall RAG words counted in a snapshot's summary; any other value counts as "other".
RAG_WORDS = ("Red", "Amber", "Green")
#: Projects fields kept outside the typed columns: reasons are the joined ``rag_reasons``.
_JOINED = {"reasons"}


@dataclass(frozen=True)
class SnapshotInfo:
    """One snapshot, as ``pmo history list`` shows it."""

    as_of: dt.date
    portfolio: str
    source: str
    saved_at: str
    projects: int
    red: int
    amber: int
    green: int
    other: int
    files: int
    errors: int
    replaced: bool = False


def to_json(data: Mapping[str, Any]) -> str | None:
    """Values as JSON text (dates as ISO text); None for nothing."""
    if not data:
        return None
    return json.dumps(
        {k: _plain(v) for k, v in data.items()}, ensure_ascii=False, separators=(",", ":")
    )


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def project_row(p: ProjectStatus) -> dict[str, Any]:
    """The ``projects`` row of one project: typed columns, and any other field as JSON."""
    row: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for f in dataclasses.fields(p):
        value = getattr(p, f.name)
        if f.name in schema.PROJECT_TYPES:
            row[f.name] = value
        elif f.name not in _JOINED:
            extra[f.name] = value
    row["rag_reasons"] = p.value("rag_reasons")
    row["extra"] = to_json(extra)
    return row


def _kind_rows(rows: KindRows, typed: Iterable[str]) -> Iterator[dict[str, Any]]:
    """A kind's rows for its own table: typed columns, other fields as JSON."""
    names = list(rows.columns)
    keep = [n for n in names if n in set(typed)]
    rest = [n for n in names if n not in set(typed)]
    for i, pid in enumerate(rows.project_ids):
        row = {n: rows.columns[n][i] for n in keep}
        row["project_id"] = pid
        row["source_cell"] = rows.source_cells[i]
        row["extra"] = to_json(
            {n: rows.columns[n][i] for n in rest if rows.columns[n][i] is not None}
        )
        yield row


def _json_rows(rows: KindRows) -> Iterator[dict[str, Any]]:
    """A kind without a table of its own: every field as JSON in ``kind_rows``."""
    names = list(rows.columns)
    for i, pid in enumerate(rows.project_ids):
        yield {
            "kind": rows.kind,
            "project_id": pid,
            "source_cell": rows.source_cells[i],
            "data": to_json({n: rows.columns[n][i] for n in names}),
        }


@dataclass
class Prepared:
    """A run's rows, ready to insert (made before the write lock is taken)."""

    snapshot: dict[str, Any]
    children: list[tuple[Any, list[dict[str, Any]]]]
    lessons: list[LessonRow]


def prepare(
    run: PortfolioRun, *, source: str, tasks: bool = False, saved_at: dt.datetime | None = None
) -> Prepared:
    """Every row a snapshot of ``run`` stores (see the module docstring)."""
    overall = [p.overall_rag for p in run.projects]
    counts = {word: overall.count(word) for word in RAG_WORDS}
    stamp = (saved_at or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    snapshot = {
        "as_of": run.as_of,
        "portfolio": run.name,
        "generated": run.generated,
        "saved_at": stamp,
        "source": printable(source),
        "engine": f"pmo-addin {__version__}",
        "projects": len(run.projects),
        "red": counts["Red"],
        "amber": counts["Amber"],
        "green": counts["Green"],
        "other": len(overall) - sum(counts.values()),
        "files": len(run.load_log),
        "errors": run.errors,
    }
    children: list[tuple[Any, list[dict[str, Any]]]] = [
        (schema.projects, [project_row(p) for p in run.projects])
    ]
    generic: list[dict[str, Any]] = []
    for key, rows in run.tables.items():
        if key == "Lessons" or not len(rows):
            continue
        table = schema.KIND_TABLES.get(key)
        if table is not None:
            typed = [c.name for c in table.columns]
            children.append((table, list(_kind_rows(rows, typed))))
        elif key != "Tasks" or tasks:
            generic.extend(_json_rows(rows))
    children.append((schema.kind_rows, generic))
    project_of = run.project_of()
    children.append(
        (
            schema.findings,
            [
                {
                    "file": printable(f.file),
                    "project_id": project_of.get(f.file, ""),
                    "sheet": f.sheet,
                    "cell": f.cell,
                    "field": f.field,
                    "rule": str(f.rule),
                    "severity": str(f.severity),
                    "message": f.message,
                    "value": f.value,
                }
                for f in run.findings
            ],
        )
    )
    children.append(
        (
            schema.load_log,
            [
                {
                    "file": printable(e.file),
                    "status": str(e.status),
                    "reason": e.reason,
                    "project_id": e.project_id,
                    "rows_read": e.rows_read,
                    "seconds": e.seconds,
                }
                for e in run.load_log
            ],
        )
    )
    names = {p.project_id: p.project_name for p in run.projects if p.project_id}
    return Prepared(snapshot, children, lesson_rows(run.table("Lessons"), names))


def _replace(conn: Connection, as_of: dt.date) -> bool:
    """Delete the snapshot of ``as_of`` and its rows (children first); True if there was one."""
    found = conn.execute(
        select(schema.snapshots.c.id).where(schema.snapshots.c.as_of == as_of)
    ).scalar()
    if found is None:
        return False
    for table in schema.SNAPSHOT_CHILDREN:
        conn.execute(delete(table).where(table.c.snapshot_id == found))
    conn.execute(delete(schema.snapshots).where(schema.snapshots.c.id == found))
    return True


def _insert(
    conn: Connection, table: Any, rows: Sequence[dict[str, Any]], batch: int = 5000
) -> None:
    for start in range(0, len(rows), batch):
        conn.execute(insert(table), list(rows[start : start + batch]))


def save_run(
    store: Store,
    run: PortfolioRun,
    *,
    source: str = "consolidate",
    tasks: bool = False,
    saved_at: dt.datetime | None = None,
) -> SnapshotInfo:
    """Store ``run`` as the snapshot of its as-of date: whole, or not at all.

    Raises:
        HistoryError: the database could not take it (nothing of it was stored).
    """
    ready = prepare(run, source=source, tasks=tasks, saved_at=saved_at)
    with store.writing() as conn:
        replaced = _replace(conn, run.as_of)
        snapshot_id = conn.execute(
            insert(schema.snapshots).returning(schema.snapshots.c.id), [ready.snapshot]
        ).scalar_one()
        for table, rows in ready.children:
            for row in rows:
                row["snapshot_id"] = snapshot_id
            _insert(conn, table, rows)
        store_lessons(conn, ready.lessons, run.as_of, full_text=store.dialect == "sqlite")
    s = ready.snapshot
    return SnapshotInfo(
        as_of=run.as_of,
        portfolio=s["portfolio"],
        source=s["source"],
        saved_at=s["saved_at"],
        projects=s["projects"],
        red=s["red"],
        amber=s["amber"],
        green=s["green"],
        other=s["other"],
        files=s["files"],
        errors=s["errors"],
        replaced=replaced,
    )
