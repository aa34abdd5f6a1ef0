"""Consolidation on a Dask cluster (``--executor``): the same run as local, every guarantee kept.

A real :class:`distributed.LocalCluster` (worker processes, a scheduler on a TCP port) is
started once for this module. What must hold on it:

* the run equals a local run (projects, rows, findings, Load Log), over several batches;
* one bad file costs one Load Log line; a file that outlasts its time limit, or a task that
  kills its process, costs that one file, never its batch;
* what cannot work for the whole run is one clear line before anything is written: no
  scheduler, workers that may not start processes (daemons), workers that do not see the
  files where this machine does (not a portfolio of files "not found");
* where the work runs does not change the cache's key: a result read on the cluster is
  served to a local re-run.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import dask
import openpyxl
import pytest
from distributed import Client, LocalCluster
from typer.testing import CliRunner

import addin
from addin.cli import app
from addin.core.errors import ExecutorError
from addin.core.findings import FileStatus
from addin.core.settings import EngineSettings, Settings
from addin.engine import cluster as cluster_module
from addin.engine.cluster import BATCH_MAX, BATCH_MIN, batch_size, run_on_cluster
from addin.engine.cluster_batch import Batch, fit_to_run, run_batch
from addin.engine.consolidate import consolidate
from addin.engine.run import PortfolioRun
from tests.builders import write
from tests.hostile import make

SAMPLES = Path(__file__).resolve().parent.parent / "workbooks" / "samples"
AS_OF = dt.date(2026, 11, 20)
runner = CliRunner()


def _cluster(daemon: bool) -> LocalCluster:
    with dask.config.set({"distributed.worker.daemon": daemon}):
        return LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        )


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a two-worker local Dask cluster whose workers may start processes."""
    cluster = _cluster(daemon=False)
    try:
        yield str(cluster.scheduler_address)
    finally:
        cluster.close()


def _on(address: str, **engine: object) -> Settings:
    return Settings().with_changes({"engine": {"executor": address, **engine}})


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Seven sample trackers, one file that is not a workbook, one that is not a tracker."""
    share = tmp_path / "share"
    share.mkdir()
    for sample in sorted(SAMPLES.glob("*.xlsx"))[:7]:
        shutil.copy(sample, share / sample.name)
    make.not_a_zip(share / "broken.xlsx")
    notes = openpyxl.Workbook()
    notes.active.append(["Shopping list", "eggs"])
    notes.save(share / "notes.xlsx")
    return share


def _content(run: PortfolioRun) -> tuple[object, ...]:
    """What a run says (its time stamps and per-file seconds aside)."""
    log = [(e.file, e.status, e.reason, e.project_id, e.rows_read) for e in run.load_log]
    return run.projects, run.tables, run.findings, log


def test_a_run_on_the_cluster_equals_the_local_run(scheduler: str, folder: Path) -> None:
    files = sorted(folder.iterdir())
    local = consolidate(files, Settings(), as_of=AS_OF)
    remote = consolidate(files, _on(scheduler, batch_size=2), as_of=AS_OF)  # five batches
    assert _content(remote) == _content(local)
    assert len(remote.projects) == 7
    assert [e.file for e in remote.load_log] == [e.file for e in local.load_log]
    broken = next(e for e in remote.load_log if e.file.endswith("broken.xlsx"))
    assert broken.status is FileStatus.UNREADABLE
    assert "\n" not in broken.reason and broken.reason


def test_relative_paths_mean_the_same_on_the_cluster(
    scheduler: str, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(folder)
    names = sorted(p.name for p in folder.iterdir())
    remote = consolidate(names, _on(scheduler), as_of=AS_OF)
    assert [p.source_file for p in remote.projects] == sorted(
        p.source_file for p in consolidate(names, Settings(), as_of=AS_OF).projects
    )
    assert remote.unreadable == 1  # broken.xlsx only: every sample was found from the cwd


def _slow_or_fatal(item: int) -> int:
    if item == 3:
        time.sleep(60)  # far past the time limit
    if item == 5:
        os._exit(9)  # the task's process dies, as in a crash of a native parser
    return item * 10


def test_a_file_past_its_time_limit_or_a_dying_process_costs_one_file(scheduler: str) -> None:
    # 5 s: a trivial task's process must start within it even on a loaded CI machine (at
    # 2 s, every task of this test timed out once while another job filled both cores)
    limits = Settings().limits.model_copy(update={"timeout_seconds": 5})
    engine = EngineSettings(executor=scheduler, batch_size=4)
    outcomes = {o.index: o for o in run_on_cluster(list(range(8)), _slow_or_fatal, limits, engine)}
    assert sorted(outcomes) == list(range(8))
    assert {i: o.value for i, o in outcomes.items() if o.value is not None} == {
        i: i * 10 for i in (0, 1, 2, 4, 6, 7)
    }
    assert outcomes[3].error.startswith("timed out after 5 s")
    assert "exit code 9" in outcomes[5].error


def test_an_unreachable_scheduler_is_one_line_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    tracker = write(tmp_path / "t.xlsx")
    out = tmp_path / "p.xlsx"
    args = ["consolidate", str(tracker), "-o", str(out), "--no-cache", "--no-history"]
    settings = _on("tcp://127.0.0.1:9", connect_timeout_seconds=1)
    with pytest.raises(ExecutorError, match=r"cannot reach the Dask scheduler at tcp://127"):
        consolidate([tracker], settings, as_of=AS_OF)
    config = tmp_path / "pmo.toml"
    config.write_text("[engine]\nconnect_timeout_seconds = 1\n", encoding="utf-8")
    result = runner.invoke(app, [*args, "--config", str(config), "--executor", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("pmo: cannot reach the Dask scheduler")
    assert not out.exists()


def test_an_executor_that_is_not_an_address_is_a_usage_error(tmp_path: Path) -> None:
    tracker = write(tmp_path / "t.xlsx")
    out = tmp_path / "p.xlsx"
    result = runner.invoke(
        app, ["consolidate", str(tracker), "-o", str(out), "--executor", "my-cluster"]
    )
    assert result.exit_code == 2
    assert "executor must be 'local' or a Dask scheduler address" in result.stderr
    assert not out.exists()


def test_daemon_workers_stop_the_run_with_what_to_change(tmp_path: Path) -> None:
    cluster = _cluster(daemon=True)
    try:
        tracker = write(tmp_path / "t.xlsx")
        with pytest.raises(ExecutorError, match="DASK_DISTRIBUTED__WORKER__DAEMON=False"):
            consolidate([tracker], _on(str(cluster.scheduler_address)), as_of=AS_OF)
    finally:
        cluster.close()


def test_workers_with_another_version_stop_the_run_before_any_file(
    scheduler: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import addin

    tracker = write(tmp_path / "t.xlsx")
    monkeypatch.setattr(addin, "__version__", "0.0.0-elsewhere")  # this machine's, not theirs
    with pytest.raises(ExecutorError, match=r"the Dask workers run pmo-addin .*, this run 0\.0\.0"):
        consolidate([tracker], _on(scheduler), as_of=AS_OF)


def test_the_cache_serves_a_local_rerun_what_the_cluster_read(
    scheduler: str, folder: Path, tmp_path: Path
) -> None:
    files = sorted(folder.iterdir())
    cache = tmp_path / "cache.sqlite"
    first = consolidate(files, _on(scheduler), as_of=AS_OF, cache_path=cache)
    again = consolidate(files, Settings(), as_of=AS_OF, cache_path=cache)
    assert (again.cache_hits, again.reread) == (9, [])  # every file, its reason too
    assert _content(again) == _content(first)
    assert _on(scheduler).results_fingerprint == Settings().results_fingerprint
    assert _on(scheduler).fingerprint != Settings().fingerprint


@pytest.mark.parametrize(
    ("files", "threads", "configured", "expected"),
    [
        (50, 2, 0, BATCH_MIN),  # never fewer than BATCH_MIN files per task
        (1_000, 2, 0, 125),  # four batches per thread
        (100_000, 8, 0, BATCH_MAX),
        (1_000, 2, 7, 7),  # a configured size wins
    ],
)
def test_batch_size(files: int, threads: int, configured: int, expected: int) -> None:
    assert batch_size(files, threads, configured) == expected


def test_jobs_with_a_cluster_is_said_to_have_no_effect(scheduler: str, tmp_path: Path) -> None:
    tracker = write(tmp_path / "t.xlsx")
    out = tmp_path / "p.xlsx"
    args = ["consolidate", str(tracker), "-o", str(out), "--no-cache", "--no-history"]
    result = runner.invoke(app, [*args, "--executor", scheduler, "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "pmo: --jobs has no effect on a Dask cluster" in result.stderr
    assert out.exists()


def test_workers_that_do_not_see_the_files_stop_the_run_before_any_file(
    scheduler: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tracker = write(tmp_path / "t.xlsx")
    out = tmp_path / "p.xlsx"
    out.write_bytes(b"last week's portfolio")
    elsewhere = str(tmp_path / "not-mounted-there" / "t.xlsx")  # as if only this machine had it
    monkeypatch.setattr(cluster_module, "_samples", lambda paths: (elsewhere,))
    args = ["consolidate", str(tracker), "-o", str(out), "--no-cache", "--no-history"]
    result = runner.invoke(app, [*args, "--executor", scheduler])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines() == [
        f"pmo: the Dask workers do not see this run's files ({elsewhere} is not there): they "
        "must see them at the same paths, on shared storage (see docs/scale-out.md)"
    ]
    assert out.read_bytes() == b"last week's portfolio"


def test_a_worker_sees_the_files_when_it_sees_any_of_the_samples(tmp_path: Path) -> None:
    here, gone = write(tmp_path / "t.xlsx"), str(tmp_path / "deleted-since.xlsx")
    assert fit_to_run(addin.__version__, [gone, str(here)]) == addin.__version__
    assert fit_to_run(addin.__version__, []) == addin.__version__  # no file this machine sees
    with pytest.raises(RuntimeError, match=r"do not see this run's files \(/.*deleted-since"):
        fit_to_run(addin.__version__, [gone])
    batch = Batch(
        [0], [1], str, Settings().limits, None, (), "reading", str(tmp_path), addin.__version__,
        (gone,),
    )  # fmt: skip
    with pytest.raises(RuntimeError, match="do not see this run's files"):
        run_batch(batch)  # each batch checks again: workers may join mid-run


def test_samples_are_the_first_files_this_machine_sees_made_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in "abcdefg":
        write(tmp_path / f"{name}.xlsx")
    paths = ["missing.xlsx", "a.xlsx", str(tmp_path / "b.xlsx"), *(f"{n}.xlsx" for n in "cdefg")]
    assert cluster_module._samples(paths) == tuple(str(tmp_path / f"{n}.xlsx") for n in "abcde")


def _times_ten(item: int) -> int:
    return item * 10


def test_what_can_be_done_here_is_not_sent_to_the_cluster(scheduler: str) -> None:
    limits, engine = Settings().limits, EngineSettings(executor=scheduler, batch_size=2)

    def here(item: int) -> Callable[[], int | None] | None:
        if item == 8:
            return None  # declined at once: a worker's
        if item == 6:
            return lambda: None  # declined when tried (an entry that does not load)
        return lambda: -item

    def likely_here(index: int) -> bool:
        return index % 2 == 0  # 0, 2, 4, 6, 8; not 1, 3, 5, 7, 9

    outcomes = list(
        run_on_cluster(
            list(range(10)), _times_ten, limits, engine, here=here, likely_here=likely_here
        )
    )
    assert [o.index for o in outcomes[:3]] == [0, 2, 4]  # done here, while the cluster works
    assert {o.index: o.value for o in outcomes} == {
        0: 0, 2: -2, 4: -4, 6: 60, 8: 80, 1: 10, 3: 30, 5: 50, 7: 70, 9: 90,
    }  # fmt: skip


def test_a_rerun_with_nothing_to_read_does_not_need_the_cluster(
    folder: Path, tmp_path: Path
) -> None:
    files = sorted(folder.iterdir())
    cache = tmp_path / "cache.sqlite"
    first = consolidate(files, Settings(), as_of=AS_OF, cache_path=cache)
    gone = _on("tcp://127.0.0.1:9", connect_timeout_seconds=1)  # no scheduler there
    again = consolidate(files, gone, as_of=AS_OF, cache_path=cache)
    assert (again.cache_hits, again.reread) == (9, [])
    assert _content(again) == _content(first)
    write(files[0])  # one tracker changed: that one needs the cluster
    with pytest.raises(ExecutorError, match="cannot reach the Dask scheduler"):
        consolidate(files, gone, as_of=AS_OF, cache_path=cache)


def test_no_distributed_package_here_is_one_line_that_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tracker = write(tmp_path / "t.xlsx")
    out = tmp_path / "p.xlsx"
    monkeypatch.setitem(sys.modules, "distributed", None)  # as where the extra is not installed
    args = ["consolidate", str(tracker), "-o", str(out), "--no-cache", "--no-history"]
    result = runner.invoke(app, [*args, "--executor", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines() == [
        "pmo: a run on a Dask cluster needs Dask's distributed package on this machine: "
        'pip install "pmo-addin[dask]" (see docs/scale-out.md)'
    ]
    assert not out.exists()


def test_a_cluster_too_busy_to_start_a_first_task_says_so(tmp_path: Path) -> None:
    tracker = write(tmp_path / "t.xlsx")
    cluster = _cluster(daemon=False)  # its own: its two threads are kept busy
    try:
        address = str(cluster.scheduler_address)
        with Client(address, set_as_default=False) as other:  # type: ignore[no-untyped-call]
            busy = [other.submit(time.sleep, 8, pure=False) for _ in range(2)]
            while sum(len(tasks) for tasks in other.processing().values()) < 2:
                time.sleep(0.05)  # both threads started on another user's work
            with pytest.raises(ExecutorError) as raised:
                consolidate([tracker], _on(address, connect_timeout_seconds=1), as_of=AS_OF)
            other.cancel(busy)
    finally:
        cluster.close()
    assert str(raised.value) == (
        f"the Dask cluster at {address} did not run a first small task within 1 s: its workers "
        "are busy with other work, or stuck; run again when they are free, or raise [engine] "
        "connect_timeout_seconds (see docs/scale-out.md)"
    )
