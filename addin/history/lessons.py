"""Lessons learned in the database: kept once each, and found by full-text search.

A lesson is one row however many snapshots repeat it: keyed by its project and its
Lesson ID (or, without one, its text), with the first and last as-of date it was seen,
so a project that has closed and left the portfolio keeps what it learned. The text of
the latest snapshot that holds it wins.

Search is the database's own full text, ranked by relevance: SQLite FTS5 (BM25; the
store keeps the index in step itself, no triggers) and PostgreSQL ``tsvector`` (a
generated column with a GIN index, ``ts_rank_cd``). Words are stemmed ("delays" finds
"delay"); all words must match, and when nothing does, any word may.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, insert, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.types import TypeEngine

import addin.history.schema as schema
from addin.engine.run import KindRows
from addin.history.types import Day, Number, Words

#: Lessons a search returns by default.
DEFAULT_LIMIT = 10
_WORD = re.compile(r"\w+", re.UNICODE)
_TEXT_FIELDS = (*schema.LESSON_TYPES, "project_name", "source_cell")
_CHUNK = 500


@dataclass
class LessonRow:
    """One lesson of a run, keyed for the database."""

    project_id: str
    lesson_key: str
    values: dict[str, Any]


def lesson_key(lesson_id: Any, lesson: Any) -> str:
    """What identifies a lesson within its project: its ID, else a hash of its text."""
    if isinstance(lesson_id, str) and lesson_id.strip():
        return "id:" + " ".join(lesson_id.split()).casefold()
    words = " ".join(str(lesson or "").split()).casefold()
    return "text:" + hashlib.sha256(words.encode()).hexdigest()[:32]


def lesson_rows(rows: KindRows, names: Mapping[str, str | None]) -> list[LessonRow]:
    """The run's lessons, one per key (the last of a repeated key wins)."""
    out: dict[tuple[str, str], LessonRow] = {}
    fields = [f for f in schema.LESSON_TYPES if f in rows.columns]
    for pid, cell, *row in zip(
        rows.project_ids, rows.source_cells, *(rows.columns[f] for f in fields), strict=True
    ):
        values = dict(zip(fields, row, strict=True))
        if not values.get("lesson"):
            continue
        key = lesson_key(values.get("lesson_id"), values.get("lesson"))
        values["project_name"] = names.get(pid or "")
        values["source_cell"] = cell
        out[(pid or "", key)] = LessonRow(pid or "", key, values)
    return list(out.values())


def _chunks(items: Sequence[Any]) -> list[Sequence[Any]]:
    return [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)]


def store_lessons(
    conn: Connection, rows: Sequence[LessonRow], as_of: dt.date, *, full_text: bool
) -> None:
    """Insert new lessons, refresh known ones; keep SQLite's FTS5 index in step."""
    if not rows:
        return
    t = schema.lessons
    known: dict[tuple[str, str], tuple[int, dt.date | None, dt.date | None]] = {}
    for part in _chunks(sorted({r.project_id for r in rows})):
        for rid, pid, key, first, last in conn.execute(
            select(t.c.id, t.c.project_id, t.c.lesson_key, t.c.first_seen, t.c.last_seen).where(
                t.c.project_id.in_(part)
            )
        ):
            known[(str(pid), str(key))] = (int(rid), first, last)
    fresh: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for r in rows:
        hit = known.get((r.project_id, r.lesson_key))
        if hit is None:
            fresh.append(
                {"project_id": r.project_id, "lesson_key": r.lesson_key, **r.values}
                | {"first_seen": as_of, "last_seen": as_of}
            )
            continue
        rid, first, last = hit
        latest = last is None or as_of >= last
        change: dict[str, Any] = {
            "rid": rid,
            "first_seen": as_of if first is None or as_of < first else first,
            "last_seen": as_of if latest else last,
        }
        for name in _TEXT_FIELDS:
            change[name] = r.values.get(name) if latest else None
        change["newer"] = latest
        changed.append(change)
    ids: list[int] = []
    if fresh:
        conn.execute(insert(t), fresh)
        keys = {(f["project_id"], f["lesson_key"]) for f in fresh}
        for part in _chunks(sorted({k[0] for k in keys})):
            ids += [
                int(rid)
                for rid, pid, key in conn.execute(
                    select(t.c.id, t.c.project_id, t.c.lesson_key).where(t.c.project_id.in_(part))
                )
                if (pid, key) in keys
            ]
    newer: list[dict[str, Any]] = []
    older: list[dict[str, Any]] = []
    for c in changed:
        (newer if c.pop("newer") else older).append(c)
    if newer:
        conn.execute(
            update(t)
            .where(t.c.id == bindparam("rid"))
            .values({n: bindparam(n) for n in ("first_seen", "last_seen", *_TEXT_FIELDS)}),
            newer,
        )
        ids += [c["rid"] for c in newer]
    if older:
        conn.execute(
            update(t).where(t.c.id == bindparam("rid")).values(first_seen=bindparam("first_seen")),
            [{"rid": c["rid"], "first_seen": c["first_seen"]} for c in older],
        )
    if full_text and ids:
        reindex(conn, ids)


def reindex(conn: Connection, ids: Sequence[int]) -> None:
    """Bring SQLite's FTS5 rows of these lessons in step with the lessons table."""
    for part in _chunks(sorted(set(ids))):
        marks = ", ".join(str(int(i)) for i in part)
        conn.exec_driver_sql(f"DELETE FROM lessons_fts WHERE rowid IN ({marks})")
        conn.exec_driver_sql(
            "INSERT INTO lessons_fts (rowid, lesson, recommendation, tags, category, project_name) "
            "SELECT id, coalesce(lesson, ''), coalesce(recommendation, ''), coalesce(tags, ''), "
            f"coalesce(category, ''), coalesce(project_name, '') FROM lessons WHERE id IN ({marks})"
        )


@dataclass(frozen=True)
class LessonHit:
    """One lesson found, best first."""

    project_id: str
    project_name: str | None
    lesson_id: str | None
    date: dt.date | None
    category: str | None
    type: str | None
    lesson: str | None
    recommendation: str | None
    owner: str | None
    tags: str | None
    last_seen: dt.date | None
    rank: float


def words(query: str) -> list[str]:
    """The words of a query (punctuation and search syntax are not operators here)."""
    return _WORD.findall(query)


#: Result columns of a search, read back as untrusted values (see :mod:`.types`).
_RESULT: dict[str, TypeEngine[Any]] = {
    "project_id": Words(),
    "project_name": Words(),
    **schema.LESSON_TYPES,
    "last_seen": Day(),
    "rank": Number(),
}
_COLUMNS = (
    "l.project_id, l.project_name, l.lesson_id, l.date, l.category, l.type, l.lesson, "
    "l.recommendation, l.owner, l.tags, l.last_seen"
)


def search(
    conn: Connection,
    query: str,
    *,
    category: str | None = None,
    project: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[LessonHit]:
    """Lessons matching ``query``, most relevant first (all words; else any word).

    With no words, the latest lessons (by date) that match the filters. Every value the
    user gives is a bound parameter; the words are quoted for FTS5, so no query syntax
    (``NEAR``, ``*``, ``"``) reaches the engine.
    """
    where: list[str] = []
    params: dict[str, Any] = {"limit": max(int(limit), 1)}
    if category:
        where.append("lower(l.category) = :category")
        params["category"] = category.strip().casefold()
    if project:
        where.append("lower(l.project_id) = :project")
        params["project"] = project.strip().casefold()
    found = words(query)
    if not found:
        sql = (
            f"SELECT {_COLUMNS}, 0.0 AS rank FROM lessons l"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY l.date DESC, l.last_seen DESC, l.id DESC LIMIT :limit"
        )
        return [_hit(r) for r in conn.execute(text(sql).columns(**_RESULT), params)]
    sqlite = conn.dialect.name == "sqlite"
    for joiner in (" ", " OR "):
        if sqlite:
            params["match"] = joiner.join('"' + w + '"' for w in found)
            sql = (
                f"SELECT {_COLUMNS}, bm25(lessons_fts, 4.0, 2.0, 3.0, 2.0, 1.0) AS rank "
                "FROM lessons_fts JOIN lessons l ON l.id = lessons_fts.rowid "
                "WHERE lessons_fts MATCH :match"
            )
        else:
            if joiner == " ":
                tsquery, params["q"] = "plainto_tsquery('english', :q)", " ".join(found)
            else:
                tsquery, params["q"] = "to_tsquery('english', :q)", " | ".join(found)
            sql = (
                f"SELECT {_COLUMNS}, -ts_rank_cd(l.search, {tsquery}) AS rank "
                f"FROM lessons l WHERE l.search @@ {tsquery}"
            )
        sql += "".join(f" AND {w}" for w in where) + " ORDER BY rank, l.id LIMIT :limit"
        hits = [_hit(r) for r in conn.execute(text(sql).columns(**_RESULT), params)]
        if hits or len(found) == 1:
            return hits
    return []


def _hit(r: Any) -> LessonHit:
    m = r._mapping
    rank = m["rank"]
    return LessonHit(
        project_id=m["project_id"] or "",
        project_name=m["project_name"],
        lesson_id=m["lesson_id"],
        date=m["date"],
        category=m["category"],
        type=m["type"],
        lesson=m["lesson"],
        recommendation=m["recommendation"],
        owner=m["owner"],
        tags=m["tags"],
        last_seen=m["last_seen"],
        rank=-float(rank) if isinstance(rank, int | float) else 0.0,
    )
