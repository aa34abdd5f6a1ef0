"""Store a portfolio run as one snapshot, keyed by its as-of date, in one transaction.

What is stored is what the run holds (:class:`~addin.engine.run.PortfolioRun`), not what a
workbook shows: every Projects field, the Milestones and RAID rows, the findings, the load
log, every other kind's rows (Budget; Tasks only with ``[history] tasks = true``; kinds
added later) as JSON, and the lessons learned (see :mod:`addin.history.lessons`).
Re-running an as-of date replaces its snapshot.

The rows are made as they are inserted, :data:`CHUNK_ROWS` at a time, not all before the
write: a run of 20,000 messy trackers holds millions of findings, and a row each at
once took more memory than the run itself (852 MB at 5,000 messy trackers, against
167 MB without a history). The write lock is held while they are made, then: about a
third of the save (SQLite lets readers read meanwhile; another writer waits its turn).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.engine import Connection

import addin
import addin.history.schema as schema
from addin.core.words import printable
from addin.engine.run import KindRows, PortfolioRun, ProjectStatus
from addin.history.lessons import LessonRow, lesson_rows, store_lessons
from addin.history.store import Store
from addin.history.types import Day

#: Overall RAG words counted in a snapshot's summary; any other value counts as "other".
RAG_WORDS = ("Red", "Amber", "Green")
#: Rows made and inserted at a time (SQLite's ``executemany``; PostgreSQL's COPY streams).
CHUNK_ROWS = 10_000


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
    return _JSON.encode(data)


def _plain(value: Any) -> Any:
    """What JSON cannot hold as itself: a date as ISO text, anything else as its text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_plain)


def _project_batch(projects: Sequence[ProjectStatus]) -> Batch:
    """The ``projects`` rows: typed columns, and any other field as JSON in ``extra``."""
    names = list(schema.PROJECT_TYPES)
    rows: list[tuple[Any, ...]] = []
    for p in projects:
        others = [f.name for f in dataclasses.fields(p)]
        extra = {n: getattr(p, n) for n in others if n not in schema.PROJECT_TYPES}
        extra.pop("reasons", None)  # kept joined, as rag_reasons
        values = [p.value(n) if n == "rag_reasons" else getattr(p, n) for n in names]
        rows.append((*values, to_json(extra)))
    return Batch(schema.projects, [*names, "extra"], rows)


def _kind_batch(rows: KindRows, table: Table) -> Batch:
    """A kind's rows for its own table: typed columns, other fields as JSON."""
    typed = [c.name for c in table.columns if c.name in rows.columns]
    rest = [n for n in rows.columns if n not in typed]
    extras: Iterable[str | None] = [None] * len(rows)
    if rest:
        extras = (
            to_json({k: v for k, v in zip(rest, values, strict=True) if v is not None})
            for values in zip(*(rows.columns[k] for k in rest), strict=True)
        )
    values = zip(
        rows.project_ids, *(rows.columns[c] for c in typed), rows.source_cells, extras, strict=True
    )
    return Batch(table, ["project_id", *typed, "source_cell", "extra"], values)


def _json_rows(rows: KindRows) -> Iterator[tuple[Any, ...]]:
    """A kind without a table of its own: every field as JSON in ``kind_rows``."""
    names = list(rows.columns)
    for pid, cell, *values in zip(
        rows.project_ids, rows.source_cells, *rows.columns.values(), strict=True
    ):
        yield rows.kind, pid, cell, to_json(dict(zip(names, values, strict=True)))


_FINDING_COLUMNS = [
    "file",
    "project_id",
    "sheet",
    "cell",
    "field",
    "rule",
    "severity",
    "message",
    "value",
]


def _finding_rows(run: PortfolioRun) -> Iterator[tuple[Any, ...]]:
    """The ``findings`` rows, one file's findings after another (each file named once)."""
    project_of = run.project_of()
    file, shown, pid = None, "", ""
    cells: dict[tuple[int | None, int | None], str] = {}  # a template's cells recur
    for f in run.findings:
        if f.file != file:
            file, shown, pid = f.file, printable(f.file), project_of.get(f.file, "")
        cell = cells.get((f.row, f.col))
        if cell is None:
            cell = cells[f.row, f.col] = f.cell
        yield shown, pid, f.sheet, cell, f.field, str(f.rule), str(f.severity), f.message, f.value


@dataclass
class Batch:
    """Rows of one table in column order (``snapshot_id`` is added when they are written).

    ``rows`` may be made as they are read (a generator): it is read once, by
    :func:`write_batch`.
    """

    table: Table
    columns: list[str]
    rows: Iterable[tuple[Any, ...]]


@dataclass
class Prepared:
    """A run's snapshot row and its rows to insert (each batch's made as it is written)."""

    snapshot: dict[str, Any]
    batches: list[Batch]
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
        "engine": f"pmo-addin {addin.__version__}",
        "projects": len(run.projects),
        "red": counts["Red"],
        "amber": counts["Amber"],
        "green": counts["Green"],
        "other": len(overall) - sum(counts.values()),
        "files": len(run.load_log),
        "errors": run.errors,
    }
    batches = [_project_batch(run.projects)]
    generic: list[Iterator[tuple[Any, ...]]] = []
    for key, rows in run.tables.items():
        if key == "Lessons" or not len(rows):
            continue
        table = schema.KIND_TABLES.get(key)
        if table is not None:
            batches.append(_kind_batch(rows, table))
        elif key != "Tasks" or tasks:
            generic.append(_json_rows(rows))
    batches.append(
        Batch(schema.kind_rows, ["kind", "project_id", "source_cell", "data"], chain(*generic))
    )
    batches.append(Batch(schema.findings, _FINDING_COLUMNS, _finding_rows(run)))
    batches.append(
        Batch(
            schema.load_log,
            ["file", "status", "reason", "project_id", "rows_read", "seconds"],
            [
                (printable(e.file), str(e.status), e.reason, e.project_id, e.rows_read, e.seconds)
                for e in run.load_log
            ],
        )
    )
    names = {p.project_id: p.project_name for p in run.projects if p.project_id}
    return Prepared(snapshot, batches, lesson_rows(run.table("Lessons"), names))


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


def _day(value: Any) -> Any:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def write_batch(conn: Connection, batch: Batch, snapshot_id: int) -> None:
    """Insert a batch's rows under ``snapshot_id``, straight through the driver.

    The largest part of a snapshot (up to millions of rows: a messy portfolio's findings),
    so it skips the per-value work of the SQL layer: PostgreSQL takes the rows by
    ``COPY``, SQLite by one prepared ``INSERT`` run over :data:`CHUNK_ROWS` rows at a time
    (dates as ISO text, as SQLite keeps them). Either way the rows are read as they are
    written, never all held at once. Table and column names are the schema's own; every
    value of a row is a parameter.
    """
    rows = iter(batch.rows)
    first = next(rows, None)
    if first is None:  # no rows: no COPY opened for them
        return
    rows = chain((first,), rows)
    columns = ["snapshot_id", *batch.columns]
    names = ", ".join(columns)
    if conn.dialect.name == "postgresql":
        raw: Any = conn.connection.driver_connection
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY {batch.table.name} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row((snapshot_id, *row))
        return
    days = [i for i, c in enumerate(batch.columns) if isinstance(batch.table.c[c].type, Day)]
    marks = ", ".join("?" for _ in batch.columns)
    # The snapshot's id, an integer the database has just given, is written in the
    # statement: each row goes to the driver as it was made, not copied to add it.
    sql = f"INSERT INTO {batch.table.name} ({names}) VALUES ({int(snapshot_id)}, {marks})"
    while chunk := list(islice(rows, CHUNK_ROWS)):
        if days:
            chunk = _days(chunk, days)
        conn.exec_driver_sql(sql, chunk)


def _days(rows: list[tuple[Any, ...]], days: Sequence[int]) -> list[tuple[Any, ...]]:
    """Rows with their values at ``days`` as ISO text (turned by column: rows are many)."""
    columns: list[Sequence[Any]] = list(zip(*rows, strict=True))
    for i in days:
        columns[i] = [_day(v) for v in columns[i]]
    return list(zip(*columns, strict=True))


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
        for batch in ready.batches:
            write_batch(conn, batch, snapshot_id)
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
