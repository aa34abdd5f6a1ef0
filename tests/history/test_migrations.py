"""The schema is made by the migrations shipped in the package, and matches what the code uses."""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

import addin.history.migrate as migrate
import addin.history.schema as schema
from addin.history import HistoryError, open_store, parse_url, save_run
from tests.history.weeks import WEEK1, project, week

#: What the migrations make beyond the tables the code declares: the full-text index.
FULL_TEXT = {"lessons_fts", "search", "ix_lessons_search"}


def _ours(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    if name is None:
        return True
    return not (name in FULL_TEXT or name.startswith("lessons_fts"))


def test_a_migrated_database_has_exactly_the_tables_the_code_declares(history_url: str) -> None:
    store = open_store(parse_url(history_url))
    try:
        with store.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"include_object": _ours, "compare_type": True}
            )
            diffs = compare_metadata(context, schema.metadata)
            assert migrate.current(conn) == migrate.head()
    finally:
        store.close()
    assert diffs == []


def test_the_migrations_ship_in_the_package() -> None:
    versions = sorted(p.name for p in (migrate.MIGRATIONS / "versions").glob("v*.py"))
    assert versions == ["v0001_initial.py", "v0002_schedule_quality.py"]
    assert migrate.head() == "0002"


def test_opening_again_runs_no_migration_and_keeps_the_data(history_url: str) -> None:
    url = parse_url(history_url)
    store = open_store(url)
    save_run(store, week(WEEK1, [project("P-001", "Green")]))
    store.close()
    again = open_store(url)
    try:
        with again.writing() as conn:
            assert migrate.upgrade(conn) is False
        with again.reading() as conn:
            assert conn.execute(text("SELECT count(*) FROM projects")).scalar_one() == 1
    finally:
        again.close()


def test_a_newer_schema_is_refused_and_left_as_it_is(history_url: str) -> None:
    url = parse_url(history_url)
    store = open_store(url)
    save_run(store, week(WEEK1, [project("P-001", "Green")]))
    store.close()
    engine = create_engine(url.url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    with pytest.raises(HistoryError) as caught:
        open_store(url)
    message = str(caught.value)
    assert "newer than this pmo knows (0002): upgrade pmo-addin; nothing was changed" in message
    assert "\n" not in message
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0099"
        assert conn.execute(text("SELECT count(*) FROM projects")).scalar_one() == 1
    engine.dispose()


def test_history_tables_without_a_version_are_refused(history_url: str) -> None:
    url = parse_url(history_url)
    engine = create_engine(url.url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE snapshots (id INTEGER PRIMARY KEY, note TEXT)"))
    engine.dispose()
    with pytest.raises(HistoryError, match="no schema version: not a database pmo made"):
        open_store(url)


def test_a_schema_made_by_another_run_between_two_reads_is_taken_not_refused(
    history_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two runs open a fresh database at once: one reads "no version", the other commits
    the schema, the first then sees its tables. That is a database pmo made, not a foreign
    one (PostgreSQL reads each statement at its own commit point)."""
    url = parse_url(history_url)
    engine = create_engine(url.url)
    with engine.begin() as conn:
        migrate.upgrade(conn)  # the other run's schema, committed
    reads = iter([None])  # the first read came before that commit
    real = migrate.current
    monkeypatch.setattr(migrate, "current", lambda conn: next(reads, real(conn)))
    with engine.connect() as conn:
        assert migrate.check_known(conn) == migrate.head()
    engine.dispose()


def test_an_older_database_is_upgraded_on_first_use_and_keeps_what_it_held(
    history_url: str,
) -> None:
    """A database made before schedule quality had columns: its JSON moves into them."""
    url = parse_url(history_url)
    engine = create_engine(url.url)
    with engine.begin() as conn:
        migrate.upgrade(conn, target="0001")
        assert migrate.current(conn) == "0001"
        conn.execute(
            text("INSERT INTO snapshots (id, as_of, portfolio) VALUES (1, '2026-11-06', 'Old')")
        )
        conn.execute(
            text(
                "INSERT INTO projects (snapshot_id, project_id, overall_rag, extra) VALUES "
                "(1, 'P-001', 'Green', :extra), (1, 'P-002', 'Amber', NULL)"
            ),
            {"extra": '{"bei": 0.91, "invalid_dates": 2, "schedule_quality": "Amber", "x": 1}'},
        )
    engine.dispose()
    store = open_store(url)  # first use by this pmo: upgraded to the newest revision
    try:
        with store.reading() as conn:
            assert migrate.current(conn) == migrate.head()
            rows = conn.execute(
                text(
                    "SELECT project_id, bei, invalid_dates, schedule_quality, extra "
                    "FROM projects ORDER BY project_id"
                )
            ).all()
            view = conn.execute(
                text("SELECT project_id, bei FROM latest_status ORDER BY project_id")
            ).all()
    finally:
        store.close()
    assert [tuple(r) for r in rows] == [
        ("P-001", 0.91, 2, "Amber", '{"x": 1}' if "postgres" in history_url else '{"x":1}'),
        ("P-002", None, None, None, None),
    ]
    assert [tuple(r) for r in view] == [("P-001", 0.91), ("P-002", None)]
