"""Where a run's time goes: phase counters inside the engine (issue 17).

No assertion on how long anything takes: only that every phase is counted where it
happens, nested phases are not counted twice, and the run and the log carry them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import addin.core.timing as timing
from addin.core.settings import Settings
from addin.engine.consolidate import consolidate
from addin.engine.workers import run_isolated
from tests.builders import write


def test_a_nested_phase_is_taken_out_of_the_one_around_it() -> None:
    timing.reset()
    with timing.phase("outer"):
        time.sleep(0.01)
        with timing.phase("inner"):
            time.sleep(0.02)
    spent = timing.take()
    assert set(spent) == {"outer", "inner"}
    # outer's own time excludes inner's: inner slept twice as long.
    assert spent["inner"] > spent["outer"]
    assert timing.take() == {}


def _busy(x: int) -> int:
    with timing.phase("task"):
        return x * 2


def test_each_task_brings_its_workers_phases_back() -> None:
    outcomes = list(run_isolated([1, 2, 3], _busy, jobs=2))
    assert sorted(o.value for o in outcomes) == [2, 4, 6]  # type: ignore[type-var]
    for o in outcomes:
        assert "task" in o.phases and "pickle" in o.phases


def test_a_run_counts_the_workers_phases_of_every_file(tmp_path: Path) -> None:
    files = [write(tmp_path / f"t{i}.xlsx") for i in range(2)]
    run = consolidate(files, Settings(), jobs=1)
    for name in ("safety scan", "sheet scan", "parse", "open", "map", "rules", "metrics+rag"):
        assert run.phases.workers.get(name, 0) > 0, name
    assert "assemble" in timing.totals()


def test_the_end_event_of_the_log_says_where_the_time_went(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    write(tmp_path / "in" / "t.xlsx")
    log = tmp_path / "log.jsonl"
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "addin",
            "consolidate",
            str(tmp_path / "in"),
            "-o",
            str(tmp_path / "p.xlsx"),
            "--no-history",
            "--no-cache",
            "--log-file",
            str(log),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode in (0, 1), out.stderr
    end = [json.loads(line) for line in log.read_text().splitlines()][-1]
    assert end["event"] == "end"
    assert {"safety scan", "parse", "rules", "render rows"} <= set(end["phases"]["workers"])
    main = end["phases"]["main"]
    assert {"discover", "assemble", "write Tasks", "write Findings"} <= set(main)
    assert end["peak_rss_mb"] > 0
