"""A Dask cluster that goes away during a run: one line, not a wait without end or tracebacks.

Real processes: a ``dask scheduler`` and a ``dask worker`` started for each test (they are
killed in it), and ``pmo consolidate --executor`` run as a user runs it, its standard error
read as it comes. What must hold when the scheduler dies, or every worker does, after the
first files came back:

* the run ends, exit 2, with exactly one line on standard error (progress lines aside)
  that says what happened and how many files were read; Dask's own log records and
  tracebacks stay out of it;
* no portfolio is written;
* the files read before are in the cache, and a re-run (here, local) reads only the rest.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from distributed import Client

SAMPLES = Path(__file__).resolve().parent.parent / "workbooks" / "samples"
DASK = str(Path(sys.executable).with_name("dask"))
PROGRESS = re.compile(r"^\[\d+/\d+\] ")


@dataclass
class Cluster:
    """A scheduler and one worker, each in its own process group (so each dies whole)."""

    address: str
    scheduler: subprocess.Popen[bytes]
    worker: subprocess.Popen[bytes]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _kill(process: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        return
    if sig == signal.SIGKILL:
        process.wait(timeout=30)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    """A cluster of our own, with a worker that may start processes, ready for a run."""
    address = f"tcp://127.0.0.1:{_free_port()}"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": tmp_path}
    scheduler = subprocess.Popen(
        [DASK, "scheduler", "--port", address.rsplit(":", 1)[1], "--dashboard-address", ":0"],
        start_new_session=True,
        **quiet,  # type: ignore[call-overload]
    )
    worker = subprocess.Popen(
        [DASK, "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard"],
        start_new_session=True,
        env=env,
        **quiet,  # type: ignore[call-overload]
    )
    try:
        with Client(address, timeout=60, set_as_default=False) as client:  # type: ignore[no-untyped-call]
            client.wait_for_workers(1, timeout=60)
        yield Cluster(address, scheduler, worker)
    finally:
        for process in (worker, scheduler):
            _kill(process)


def _share(tmp_path: Path) -> Path:
    share = tmp_path / "share"
    share.mkdir()
    for sample in sorted(SAMPLES.glob("*.xlsx")):
        shutil.copy(sample, share / sample.name)
    return share


def _pmo(*args: str) -> list[str]:
    return [sys.executable, "-m", "addin", "consolidate", *args, "--no-history"]


def _run_until_first_file(
    command: list[str], cwd: Path, then: Callable[[], None]
) -> tuple[int, list[str]]:
    """Run ``command``; at its first progress line, call ``then``; its exit code and lines."""
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    lines, acted = [], False
    deadline = threading.Timer(120, process.kill)  # a run that waits forever fails the test
    deadline.start()
    try:
        for line in process.stderr:
            if PROGRESS.match(line):
                if not acted:
                    then()
                    acted = True
                continue
            lines.append(line.rstrip("\n"))
        return process.wait(), lines
    finally:
        deadline.cancel()


def _rerun_locally(tmp_path: Path, share: Path, cache: Path) -> tuple[int, int]:
    """A local re-run on the same cache: (files read, files from the cache)."""
    done = subprocess.run(
        _pmo(str(share), "-o", str(tmp_path / "again.xlsx"), "--cache", str(cache)),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr  # 1: the samples' own errors
    found = re.search(r"\((\d+) read, (\d+) from cache\)", done.stdout)
    assert found, done.stdout
    return int(found[1]), int(found[2])


def _config(tmp_path: Path, wait: int) -> Path:
    config = tmp_path / "pmo.toml"
    config.write_text(f"[engine]\nbatch_size = 1\nconnect_timeout_seconds = {wait}\n")
    return config


@dataclass
class Ended:
    """A ``pmo consolidate`` on the cluster that lost something after its first file."""

    files: int
    code: int
    lines: list[str]  # standard error, progress lines aside
    share: Path
    cache: Path
    out: Path

    def said(self, start: str) -> re.Match[str]:
        """Its one line (exit 2): ``start`` (a pattern), then what the cache keeps."""
        assert self.code == 2, self.lines
        assert len(self.lines) == 1, self.lines  # no log record or traceback of Dask's
        kept = (
            r" \(see docs/scale-out\.md\); the (\d+) files read are in the cache: the next run "
            "reads only the rest"
        )
        said = re.fullmatch(start + kept, self.lines[0])
        assert said, self.lines[0]
        return said


def _run_losing(cluster: Cluster, tmp_path: Path, wait: int, lose: Callable[[], None]) -> Ended:
    """The samples consolidated on ``cluster`` (a cache, ``wait`` s); ``lose`` at the first file."""
    share, cache, out = _share(tmp_path), tmp_path / "c.sqlite", tmp_path / "p.xlsx"
    config = _config(tmp_path, wait)
    command = _pmo(str(share), "-o", str(out), "--cache", str(cache), "--config", str(config))
    code, lines = _run_until_first_file([*command, "--executor", cluster.address], tmp_path, lose)
    assert not out.exists()
    return Ended(len(list(share.iterdir())), code, lines, share, cache, out)


def test_a_scheduler_lost_mid_run_is_one_line_and_the_cache_keeps_what_was_read(
    cluster: Cluster, tmp_path: Path
) -> None:
    def lose_the_scheduler() -> None:
        _kill(cluster.worker, signal.SIGSTOP)  # it finishes nothing more
        _kill(cluster.scheduler)

    run = _run_losing(cluster, tmp_path, 30, lose_the_scheduler)
    said = run.said(
        rf"pmo: lost the Dask scheduler at {cluster.address} after (\d+) of {run.files} files "
        r"\(its connection closed\): run again when it is back"
    )
    read = int(said[1])
    assert 1 <= read < run.files and int(said[2]) == read
    assert _rerun_locally(tmp_path, run.share, run.cache) == (run.files - read, read)


def test_a_cluster_left_without_workers_ends_the_run_after_the_wait(
    cluster: Cluster, tmp_path: Path
) -> None:
    run = _run_losing(cluster, tmp_path, 2, lambda: _kill(cluster.worker))
    said = run.said(
        rf"pmo: the Dask scheduler at {cluster.address} has had no worker for 2 s, with (\d+) "
        rf"of {run.files} files not read: start workers and run again"
    )
    unread, read = int(said[1]), int(said[2])
    assert unread + read == run.files and unread >= 1
    assert _rerun_locally(tmp_path, run.share, run.cache) == (unread, read)
