"""A snapshot's rows are made as they are written, a chunk at a time, never all at once.

A run of 20,000 messy trackers holds millions of findings; a row each, made before the
write, took more memory than the run (bench/bench_large.py --history). These tests count
how many findings had been read when each chunk went in, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Connection

import addin.history.save as save
import addin.history.schema as schema
from addin.core.findings import Finding
from addin.core.severity import Severity
from addin.history import open_store, parse_url, save_run
from tests.history.weeks import WEEK1, milestone, project, week

D = dt.date


class CountedFindings(list[Finding]):
    """A run's findings that count how many have been read, and note it at each insert.

    Like a large run's packed findings, they give their severities (the snapshot's error
    count) without being read one by one.
    """

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(findings)
        self.read = 0
        self.at_inserts: list[int] = []

    def severities(self) -> list[Severity]:
        return [f.severity for f in list.__iter__(self)]

    def __iter__(self) -> Iterator[Finding]:
        for f in super().__iter__():
            self.read += 1
            yield f


def _run(files: int = 3, per_file: int = 9) -> Any:
    """Three projects, 12 milestones, and ``files * per_file`` findings in file order."""
    pids = [f"P-{n:03d}" for n in range(1, files + 1)]
    run = week(
        WEEK1,
        [project(pid, "Amber") for pid in pids],
        milestones=[
            milestone(pid, f"M-{m}", D(2027, 1, m + 1), D(2027, 2, m + 1))
            for pid in pids
            for m in range(4)
        ],
        findings=[
            {
                "file": f"{pid}.xlsx",
                "rule": "task.owner_required",
                "severity": "error",
                "message": f"Owner is required ({n})",
                "sheet": "Tasks",
                "cell": f"D{n + 2}",
            }
            for pid in pids
            for n in range(per_file)
        ],
    )
    run.findings = CountedFindings(list(run.findings))
    return run


def test_preparing_a_snapshot_makes_no_finding_row_yet() -> None:
    run = _run()
    ready = save.prepare(run, source="consolidate")
    assert run.findings.read == 0
    (batch,) = [b for b in ready.batches if b.table is schema.findings]
    first = next(iter(batch.rows))
    assert first[:4] == ("P-001.xlsx", "P-001", "Tasks", "D2")
    assert run.findings.read == 1


@pytest.mark.parametrize("chunk", [4, 27, 100])
def test_rows_go_in_a_chunk_at_a_time_and_all_arrive(
    history_url: str, backend: str, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(save, "CHUNK_ROWS", chunk)
    run = _run()
    if backend == "sqlite":  # PostgreSQL's COPY takes them row by row: nothing to count
        insert = Connection.exec_driver_sql

        def counting(conn: Connection, statement: str, *args: Any, **kw: Any) -> Any:
            if statement.startswith("INSERT INTO findings "):
                run.findings.at_inserts.append(run.findings.read)
            return insert(conn, statement, *args, **kw)

        monkeypatch.setattr(Connection, "exec_driver_sql", counting)
    store = open_store(parse_url(history_url), timeout=5)
    try:
        save_run(store, run, saved_at=dt.datetime(2026, 11, 6, 9, 0, tzinfo=dt.UTC))
        with store.reading() as conn:
            found = conn.execute(
                select(schema.findings.c.project_id, schema.findings.c.message).order_by(
                    schema.findings.c.id
                )
            ).all()
            dates = conn.execute(
                select(
                    schema.milestones.c.project_id,
                    schema.milestones.c.milestone_id,
                    schema.milestones.c.baseline_date,
                    schema.milestones.c.forecast_date,
                ).order_by(schema.milestones.c.id)
            ).all()
    finally:
        store.close()
    expected = [(f"P-00{p}", f"Owner is required ({n})") for p in (1, 2, 3) for n in range(9)]
    assert [tuple(r) for r in found] == expected
    assert [tuple(r) for r in dates] == [
        (f"P-00{p}", f"M-{m}", D(2027, 1, m + 1), D(2027, 2, m + 1))
        for p in (1, 2, 3)
        for m in range(4)
    ]
    assert run.findings.read == 27
    if backend == "sqlite":
        # each insert had read only its own chunk's findings: never more than it takes
        assert run.findings.at_inserts == [min(n, 27) for n in range(chunk, 27 + chunk, chunk)]
