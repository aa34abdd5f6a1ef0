"""What bad conditions do to the history: one line, nothing partial stored, nothing lost.

Unreachable, locked, read-only, full, a ``kill -9`` mid-write, two runs at once, rows or
SQL edited by hand, a password in the URL: on SQLite and on a real PostgreSQL server.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text

import addin.history.read as read
from addin.history import HistoryError, open_store, parse_url, save_run
from addin.history.store import PG_LOCK, Store
from tests.conftest import ROOT
from tests.history.child import big_run
from tests.history.weeks import WEEK1, WEEK2, project, week
from tests.pg import Cluster, free_port


def _snapshots(url: str) -> list[tuple[dt.date, int]]:
    store = open_store(parse_url(url), create=False)
    try:
        with store.reading() as conn:
            return [(s.as_of, s.projects) for s in read.snapshots(conn)]
    finally:
        store.close()


def _rows(url: str, sql: str) -> Any:
    store = open_store(parse_url(url), create=False)
    try:
        with store.reading() as conn:
            return conn.execute(text(sql)).scalar_one()
    finally:
        store.close()


def _first_week(url: str) -> None:
    store = open_store(parse_url(url))
    save_run(store, week(WEEK1, [project("P-001", "Green"), project("P-002", "Amber")]))
    store.close()


def _intact(url: str) -> None:
    """The first week is there whole, and nothing else."""
    assert _snapshots(url) == [(WEEK1, 2)]
    assert _rows(url, "SELECT count(*) FROM projects") == 2
    assert _rows(url, "SELECT count(*) FROM milestones") == 0


def _one_line(exc: pytest.ExceptionInfo[HistoryError]) -> str:
    message = str(exc.value)
    assert "\n" not in message and "Traceback" not in message
    return message


# --- unreachable -----------------------------------------------------------------------------


def test_an_unreachable_server_is_one_line_without_the_password() -> None:
    url = f"postgresql+psycopg://pmo:s3cret-pw@127.0.0.1:{free_port()}/pmo"
    with pytest.raises(HistoryError) as caught:
        open_store(parse_url(url))
    message = _one_line(caught)
    assert "s3cret-pw" not in message
    assert message.startswith("postgresql+psycopg://pmo:***@127.0.0.1:")
    assert "refused" in message.lower() or "failed" in message.lower()


def test_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(HistoryError) as caught:
        open_store(parse_url(tmp_path / "gone" / "h.sqlite"))
    assert _one_line(caught).endswith("h.sqlite: its folder does not exist")


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path) -> None:
    other = tmp_path / "notes.sqlite"
    other.write_bytes(b"PK\x03\x04 a workbook, not a database")
    with pytest.raises(HistoryError, match="is not a SQLite database"):
        open_store(parse_url(other))
    assert other.read_bytes() == b"PK\x03\x04 a workbook, not a database"


def test_a_damaged_database_says_so_in_one_line_and_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    url = f"sqlite:///{path}"
    _first_week(url)
    data = path.read_bytes()
    damaged = data[:100] + bytes(len(data) - 100)  # its header whole, its pages zeroed
    path.write_bytes(damaged)
    with pytest.raises(HistoryError) as caught:
        store = open_store(parse_url(url))
        save_run(store, week(WEEK2, [project("P-001", "Red")]))
    assert _one_line(caught) == (
        f"{path}: the database file is damaged (SQLite: database disk image is malformed): "
        "restore it from a backup"
    )
    assert path.read_bytes() == damaged


# --- locked ----------------------------------------------------------------------------------


def test_locked_by_another_writer(
    history_url: str, backend: str, pg: Cluster | None = None
) -> None:
    _first_week(history_url)
    holder: Any
    if backend == "sqlite":
        holder = sqlite3.connect(history_url, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
    else:
        import psycopg

        holder = psycopg.connect(
            parse_url(history_url)
            .url.render_as_string(False)
            .replace("postgresql+psycopg", "postgresql"),
            autocommit=True,
        )
        holder.execute("SELECT pg_advisory_lock(%s)", (PG_LOCK,))
    try:
        store = open_store(parse_url(history_url), timeout=0.5)
        with pytest.raises(HistoryError) as caught:
            save_run(store, week(WEEK2, [project("P-001", "Red")]))
        message = _one_line(caught).lower()
        assert "locked" in message or "lock timeout" in message
        store.close()
    finally:
        holder.close()
    _intact(history_url)
    store = open_store(parse_url(history_url), timeout=5)  # once released, it works again
    save_run(store, week(WEEK2, [project("P-001", "Red")]))
    store.close()
    assert _snapshots(history_url) == [(WEEK1, 2), (WEEK2, 1)]


# --- read-only -------------------------------------------------------------------------------


def test_a_read_only_database_stores_nothing(history_url: str, backend: str, request: Any) -> None:
    _first_week(history_url)
    if backend == "sqlite":
        url = f"sqlite:///file:{history_url}?mode=ro&uri=true"
    else:
        server: Cluster = request.getfixturevalue("pg")
        name = parse_url(history_url).url.database
        server.admin(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
        url = history_url
    store = open_store(parse_url(url))  # at the newest schema: opening needs no write
    with pytest.raises(HistoryError) as caught:
        save_run(store, week(WEEK2, [project("P-001", "Red")]))
    store.close()
    assert "read" in _one_line(caught).lower()  # readonly / read-only transaction
    _intact(history_url)


# --- full ------------------------------------------------------------------------------------


def test_a_full_database_stores_nothing(history_url: str, backend: str, request: Any) -> None:
    _first_week(history_url)
    store = open_store(parse_url(history_url))
    if backend == "sqlite":  # the file may not grow: SQLite says the disk is full

        @event.listens_for(store.engine, "connect")
        def _cap(dbapi: Any, _record: Any) -> None:
            pages = dbapi.execute("PRAGMA page_count").fetchone()[0]
            dbapi.execute(f"PRAGMA max_page_count = {pages + 2}")
    else:  # the server reports disk_full (SQLSTATE 53100) half-way through the snapshot
        server: Cluster = request.getfixturevalue("pg")
        with store.engine.begin() as conn:
            conn.execute(
                text(
                    "CREATE FUNCTION full_disk() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    "RAISE EXCEPTION 'could not extend file: No space left on device' "
                    "USING ERRCODE = 'disk_full'; END $$"
                )
            )
            conn.execute(
                text(
                    "CREATE TRIGGER full_disk BEFORE INSERT ON milestones "
                    "FOR EACH ROW EXECUTE FUNCTION full_disk()"
                )
            )
        assert server is not None
    with pytest.raises(HistoryError) as caught:
        save_run(store, big_run(WEEK2, 300))
    store.close()
    message = _one_line(caught).lower()
    assert "full" in message or "no space left" in message
    _intact(history_url)


@pytest.mark.parametrize("words", ["disk I/O error", "database or disk is full"])
def test_a_full_disk_is_named_where_sqlite_says_only_that_it_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, words: str
) -> None:
    """On a full disk SQLite cannot make the files it keeps beside a database, and even a
    read fails, in words that suggest a broken disk; the disk's free space says which."""
    import shutil
    from collections import namedtuple

    from addin.history.store import reason

    url = parse_url(str(tmp_path / "h.sqlite"))
    failure = sqlite3.OperationalError(words)
    assert reason(failure, url) == words  # room to spare: SQLite's words, as they are
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda _path: usage(10**9, 10**9, 4096))
    assert reason(failure, url) == (
        f"its disk is full (SQLite: {words}): free some space there (SQLite needs room "
        "beside the database, even to read it)"
    )
    assert reason(sqlite3.OperationalError("database is locked"), url) == "database is locked"


# --- kill -9 mid-write, two runs at once -----------------------------------------------------


def _child(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.history.child", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_kill_9_mid_write_leaves_the_previous_snapshots_intact(history_url: str) -> None:
    _first_week(history_url)
    child = _child("pause", history_url, WEEK2.isoformat(), "200")
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.strip() == "mid-write", child.stderr.read() if child.stderr else ""
        os.kill(child.pid, signal.SIGKILL)  # half of the snapshot is in the transaction
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    deadline = time.monotonic() + 30  # PostgreSQL notices the dead client and rolls back
    while time.monotonic() < deadline:
        try:
            _intact(history_url)
            store = open_store(parse_url(history_url), timeout=1)
            save_run(store, week(WEEK2, [project("P-001", "Red")]))  # and its lock is gone
            store.close()
            break
        except HistoryError:
            time.sleep(0.2)
    assert _snapshots(history_url) == [(WEEK1, 2), (WEEK2, 1)]
    if not history_url.startswith("postgresql"):
        with sqlite3.connect(history_url) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_two_runs_at_once_both_complete_and_neither_corrupts_the_other(history_url: str) -> None:
    # a fresh database: all three also race to create the schema on first use
    runs = [
        _child("save", history_url, WEEK1.isoformat(), "300", "A"),
        _child("save", history_url, WEEK2.isoformat(), "300", "B"),
        _child("save", history_url, WEEK2.isoformat(), "250", "C"),
    ]
    outs = [r.communicate(timeout=240) for r in runs]
    assert [r.returncode for r in runs] == [0, 0, 0], [err for _, err in outs]
    assert [o.split()[0] for o, _ in outs] == ["saved"] * 3
    snaps = dict(_snapshots(history_url))
    assert set(snaps) == {WEEK1, WEEK2} and snaps[WEEK1] == 300
    assert snaps[WEEK2] in (300, 250)  # the later of the two replaced the other, whole
    prefix = "B" if snaps[WEEK2] == 300 else "C"
    store = open_store(parse_url(history_url), create=False)
    with store.reading() as conn:
        ids = {
            r[0][0]
            for r in conn.execute(
                text(
                    "SELECT p.project_id FROM projects p JOIN snapshots s ON s.id = p.snapshot_id "
                    "WHERE s.as_of = :d"
                ),
                {"d": WEEK2},
            )
        }
        milestones = conn.execute(text("SELECT count(*) FROM milestones")).scalar_one()
    store.close()
    assert ids == {prefix}
    assert milestones == 10 * (300 + snaps[WEEK2])


# --- tampering -------------------------------------------------------------------------------


def test_rows_edited_by_hand_are_read_as_blanks_never_run(tmp_path: Path) -> None:
    path = tmp_path / "pmo-history.sqlite"
    url = str(path)
    _first_week(url)
    with sqlite3.connect(path) as conn:  # SQLite lets any value into any column
        conn.execute(
            "UPDATE projects SET spi = 'DROP TABLE projects', status_date = 'yesterday', "
            "finish_slip_days = X'00ff', overall_rag = 'Red', "
            "project_name = '=HYPERLINK(\"http://evil.example\",\"x\")' WHERE project_id = 'P-001'"
        )
        conn.execute("UPDATE snapshots SET projects = 'many', as_of = as_of")
    store: Store = open_store(parse_url(url), create=False)
    with store.reading() as conn:
        (entry,) = read.timeline(conn, "P-001")
        (snap,) = read.snapshots(conn)
    store.close()
    assert (entry.spi, entry.finish_slip_days, entry.overall) == (None, None, "Red")
    assert entry.project_name == '=HYPERLINK("http://evil.example","x")'  # text, kept as text
    assert snap.projects == 0
    assert _rows(url, "SELECT count(*) FROM projects") == 2  # nothing was executed


def test_a_trigger_added_by_hand_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    path = tmp_path / "pmo-history.sqlite"
    _first_week(str(path))
    with sqlite3.connect(path) as conn:
        conn.execute(
            "CREATE TRIGGER sneaky AFTER INSERT ON projects BEGIN DELETE FROM snapshots; END"
        )
    store = open_store(parse_url(path))
    with pytest.raises(HistoryError) as caught:
        save_run(store, week(WEEK2, [project("P-001", "Red")]))
    store.close()
    assert "holds a trigger ('sneaky') that pmo did not make" in _one_line(caught)
    _intact(str(path))
