"""The history store on SQLite and on a real PostgreSQL: what a snapshot holds, read back."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import select, text

import addin.history.read as read
import addin.history.schema as schema
from addin.engine.run import KindRows
from addin.history import HistoryError, open_store, parse_url, save_run
from addin.history.lessons import search
from addin.history.store import Store
from tests.history.weeks import WEEK1, WEEK2, WEEK3, lesson, milestone, project, week

D = dt.date


@pytest.fixture
def store(history_url: str) -> Store:
    opened = open_store(parse_url(history_url), timeout=5)
    yield opened  # type: ignore[misc]
    opened.close()


def _count(store: Store, table: str) -> int:
    with store.reading() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


RICH = {
    "programme": "Alpha",
    "sponsor": "Sam Sponsor",
    "project_manager": "Pat PM",
    "phase": "Execution",
    "status_date": D(2026, 11, 2),
    "baseline_finish": D(2027, 3, 31),
    "forecast_finish": D(2027, 4, 30),
    "finish_slip_days": 30,
    "budget": 1_000_000.0,
    "ac": 400_000.0,
    "eac": 1_100_000.0,
    "vac_pct": 0.1,
    "pct_complete": 0.38,
    "spi": 0.91,
    "cpi": 0.95,
    "max_slippage_days": 25,
    "overdue_milestones": 1,
    "open_high_risks": 2,
    "schedule_rag": "Amber",
    "cost_rag": "Amber",
    "risk_rag": "Amber",
    "reported_rag": "Green",
    "optimism": "Yes",
    "errors": 3,
    "warnings": 1,
    "rag_reasons": "Schedule Amber: SPI 0.91 < 0.95; Cost Amber: CPI 0.95 < 0.95",
}


def test_a_run_is_stored_whole_and_every_projects_field_reads_back(store: Store) -> None:
    run = week(
        WEEK1,
        [project("P-001", "Amber", **RICH), project("P-002", "Red"), project("P-003", "No data")],
        milestones=[milestone("P-001", "M-01", D(2027, 1, 4), D(2027, 1, 29))],
        raid=[
            {
                "project_id": "P-001",
                "raid_id": "R-1",
                "type": "Risk",
                "title": "Supplier",
                "probability": 4,
                "impact": 5,
                "status": "Open",
                "source_cell": "RAID!A2",
            },
        ],
        findings=[
            {
                "file": "P-001.xlsx",
                "rule": "task.owner_required",
                "severity": "error",
                "message": "Owner is required",
                "sheet": "Tasks",
                "cell": "D7",
            }
        ],
    )
    run.tables["Budget"] = KindRows("Budget")
    run.tables["Budget"].extend(
        "P-001", {"period": [D(2026, 10, 1)], "planned": [10.0], "actual": [9.0]}, ["Budget!A2"]
    )
    info = save_run(store, run, saved_at=dt.datetime(2026, 11, 6, 9, 0, tzinfo=dt.UTC))
    assert (info.projects, info.red, info.amber, info.green, info.other) == (3, 1, 1, 0, 1)
    assert not info.replaced
    with store.reading() as conn:
        (listed,) = read.snapshots(conn)
        assert (listed.as_of, listed.files, listed.errors, listed.source) == (
            WEEK1,
            3,
            1,
            "consolidate",
        )
        stored = (
            conn.execute(select(schema.projects).where(schema.projects.c.project_id == "P-001"))
            .one()
            ._mapping
        )
        for name in schema.PROJECT_TYPES:
            if name == "rag_reasons":
                continue
            assert stored[name] == getattr(run.projects[0], name), name
        assert stored["rag_reasons"] == RICH["rag_reasons"]
        m = conn.execute(select(schema.milestones)).one()._mapping
        assert (m["milestone_id"], m["baseline_date"], m["forecast_date"], m["source_cell"]) == (
            "M-01",
            D(2027, 1, 4),
            D(2027, 1, 29),
            "Milestones!A2",
        )
        r = conn.execute(select(schema.raid)).one()._mapping
        assert (r["raid_id"], r["probability"], r["impact"], r["status"]) == ("R-1", 4, 5, "Open")
        f = conn.execute(select(schema.findings)).one()._mapping
        assert (f["rule"], f["cell"], f["project_id"]) == ("task.owner_required", "D7", "P-001")
        budget = conn.execute(select(schema.kind_rows)).one()._mapping
        assert budget["kind"] == "Budget"
        assert json.loads(budget["data"]) == {
            "period": "2026-10-01",
            "planned": 10.0,
            "actual": 9.0,
            "forecast": None,
        }
    assert _count(store, "load_log") == 3


def test_re_running_an_as_of_date_replaces_its_snapshot(store: Store) -> None:
    save_run(
        store,
        week(
            WEEK1,
            [project("P-001", "Green"), project("P-002", "Green")],
            milestones=[milestone("P-001", "M-01", WEEK3, WEEK3)],
        ),
    )
    save_run(store, week(WEEK2, [project("P-001", "Green")]))
    again = save_run(store, week(WEEK1, [project("P-001", "Red")]))
    assert again.replaced
    with store.reading() as conn:
        assert [(s.as_of, s.projects, s.red) for s in read.snapshots(conn)] == [
            (WEEK1, 1, 1),
            (WEEK2, 1, 0),
        ]
    assert _count(store, "projects") == 2
    assert _count(store, "milestones") == 0  # the replaced snapshot's rows went with it


def test_tasks_are_kept_only_when_asked(store: Store) -> None:
    run = week(WEEK1, [project("P-001", "Green")])
    run.tables["Tasks"].extend("P-001", {"task_name": ["Design"]}, ["Tasks!A2"])
    save_run(store, run)
    assert _count(store, "kind_rows") == 0
    save_run(store, run, tasks=True)
    with store.reading() as conn:
        kind, data = conn.execute(select(schema.kind_rows.c.kind, schema.kind_rows.c.data)).one()
    assert (kind, json.loads(data)["task_name"]) == ("Tasks", "Design")


def test_a_projects_field_without_a_column_is_kept_as_json(store: Store) -> None:
    """A field a later engine adds (schedule quality, say) needs no migration to be kept."""
    run = week(WEEK1, [project("P-001", "Green")])
    base = type(run.projects[0])
    Wider = dataclasses.make_dataclass(
        "Wider",
        [("float_days", float, dataclasses.field(default=0.0))],
        bases=(base,),
        frozen=True,
    )
    run.projects = [
        Wider(
            **{f.name: getattr(run.projects[0], f.name) for f in dataclasses.fields(base)},
            float_days=2.5,
        )
    ]
    save_run(store, run)
    with store.reading() as conn:
        extra = conn.execute(select(schema.projects.c.extra)).scalar_one()
    assert json.loads(extra) == {"float_days": 2.5}


def test_timeline_and_series(store: Store) -> None:
    save_run(
        store,
        week(
            WEEK1,
            [project("P-001", "Green", spi=1.0, finish_slip_days=0)],
            milestones=[milestone("P-001", "M-01", WEEK3, WEEK3)],
        ),
    )
    save_run(
        store,
        week(
            WEEK2,
            [
                project(
                    "P-001",
                    "Amber",
                    schedule_rag="Amber",
                    spi=0.9,
                    finish_slip_days=12,
                    rag_reasons="Schedule Amber: SPI 0.90 < 0.95",
                )
            ],
            milestones=[milestone("P-001", "M-01", WEEK3, WEEK3 + dt.timedelta(days=12))],
        ),
    )
    with store.reading() as conn:
        assert read.resolve_project(conn, "p-001") == "P-001"
        assert read.resolve_project(conn, "P-404") is None
        entries = read.timeline(conn, "P-001")
        assert [(e.as_of, e.overall, e.spi) for e in entries] == [
            (WEEK1, "Green", 1.0),
            (WEEK2, "Amber", 0.9),
        ]
        assert entries[0].changes == ("first snapshot",)
        assert entries[1].changes == (
            "Overall Green → Amber",
            "Schedule Green → Amber",
            "SPI 1.00 → 0.90 (-0.10)",
            "finish slip 0 → 12 days",
            "new reason: Schedule Amber: SPI 0.90 < 0.95",
            "M-01 Milestone M-01 slipping: forecast 2026-11-20 → 2026-12-02 (+12 days)",
        )
        assert read.series(conn, "P-001", "spi", 5) == [(WEEK1, 1.0), (WEEK2, 0.9)]
        assert read.series(conn, "P-001", "overall_rag", 1) == [(WEEK2, "Amber")]
        with pytest.raises(KeyError, match="unknown metric 'drop table'"):
            read.series(conn, "P-001", "drop table", 3)


def test_lessons_are_kept_once_and_found_by_full_text(store: Store) -> None:
    first = [
        lesson(
            "P-001",
            "LL-1",
            "The supplier delay cost us four weeks of testing.",
            tags="supplier, delay",
        ),
        lesson(
            "P-001",
            None,
            "Weekly decision logs kept sign-off on time.",
            category="Governance",
            type="Went well",
        ),
        lesson(
            "P-002", "LL-1", "Delays in hiring left the build team short.", category="Resourcing"
        ),
    ]
    save_run(
        store, week(WEEK1, [project("P-001", "Green"), project("P-002", "Green")], lessons=first)
    )
    edited = [dict(first[0], lesson="The supplier delay cost us five weeks of testing.")]
    save_run(store, week(WEEK2, [project("P-001", "Green")], lessons=edited + first[1:2]))
    assert _count(store, "lessons") == 3  # P-002 left the portfolio; its lesson stays
    with store.reading() as conn:
        hits = search(conn, "supplier delays")  # stemmed: delays finds delay
        assert [(h.project_id, h.lesson_id) for h in hits] == [("P-001", "LL-1")]
        assert "five weeks" in (hits[0].lesson or "")  # the latest text wins
        assert hits[0].last_seen == WEEK2
        either = search(conn, "supplier hiring")  # no lesson has both: any word, best first
        assert {(h.project_id, h.lesson_id) for h in either} == {
            ("P-001", "LL-1"),
            ("P-002", "LL-1"),
        }
        assert [h.project_id for h in search(conn, "delay", project="p-002")] == ["P-002"]
        assert [h.category for h in search(conn, "sign-off", category="governance")] == [
            "Governance"
        ]
        assert search(conn, "sign-off", category="Cost") == []
        # search syntax is never an operator, and quotes cannot break the query
        assert search(conn, 'supplier" OR NEAR(* "') != []
        assert search(conn, "zzzz") == []
        latest = search(conn, "", limit=2)  # no words: the latest lessons
        assert len(latest) == 2


def test_an_older_snapshot_imported_later_does_not_overwrite_a_newer_lesson(store: Store) -> None:
    new = lesson("P-001", "LL-1", "Newest wording of the supplier lesson.")
    old = lesson("P-001", "LL-1", "Oldest wording of the supplier lesson.")
    save_run(store, week(WEEK2, [project("P-001", "Green")], lessons=[new]))
    save_run(store, week(WEEK1, [project("P-001", "Green")], lessons=[old]))
    with store.reading() as conn:
        (hit,) = search(conn, "supplier")
        first, last = conn.execute(
            select(schema.lessons.c.first_seen, schema.lessons.c.last_seen)
        ).one()
    assert (hit.lesson, first, last) == ("Newest wording of the supplier lesson.", WEEK1, WEEK2)


def _rows(store: Store, sql: str) -> list[tuple[Any, ...]]:
    with store.reading() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def test_views_for_bi_tools(store: Store) -> None:
    base = D(2027, 2, 1)
    save_run(
        store,
        week(
            WEEK1,
            [project("P-001", "Green", spi=1.0), project("P-002", "Amber")],
            milestones=[milestone("P-001", "M-01", base, base)],
            raid=[
                {
                    "project_id": "P-001",
                    "raid_id": "R-1",
                    "title": "A",
                    "status": "Open",
                    "probability": 2,
                    "impact": 3,
                },
                {"project_id": "P-001", "raid_id": "R-2", "title": "B", "status": "Closed"},
            ],
        ),
    )
    save_run(
        store,
        week(
            WEEK2,
            [project("P-001", "Red", spi=0.8)],
            milestones=[milestone("P-001", "M-01", base, base + dt.timedelta(days=9))],
            raid=[{"project_id": "P-001", "raid_id": "R-1", "title": "A", "status": "Mitigating"}],
        ),
    )
    latest = _rows(
        store, "SELECT as_of, project_id, overall_rag FROM latest_status ORDER BY project_id"
    )
    assert [(str(d)[:10], p, r) for d, p, r in latest] == [
        ("2026-11-13", "P-001", "Red"),
        ("2026-11-06", "P-002", "Amber"),
    ]
    hist = _rows(
        store,
        "SELECT project_id, overall_rag, previous_overall_rag, spi_change "
        "FROM status_history WHERE project_id = 'P-001' ORDER BY as_of",
    )
    assert [(p, r, prev, None if c is None else round(c, 2)) for p, r, prev, c in hist] == [
        ("P-001", "Green", None, None),
        ("P-001", "Red", "Green", -0.2),
    ]
    ms = _rows(
        store,
        "SELECT milestone_id, slippage_days, forecast_moved_days "
        "FROM milestone_forecast_history ORDER BY as_of",
    )
    assert ms == [("M-01", 0, None), ("M-01", 9, 9)]
    raid = _rows(store, "SELECT raid_id, status, score FROM open_raid_over_time ORDER BY as_of")
    assert raid == [("R-1", "Open", 6), ("R-1", "Mitigating", None)]


def test_a_missing_sqlite_history_is_not_created_by_a_reading_command(tmp_path: Any) -> None:
    path = tmp_path / "pmo-history.sqlite"
    with pytest.raises(HistoryError, match="no history database here"):
        open_store(parse_url(path), create=False)
    assert not path.exists()
