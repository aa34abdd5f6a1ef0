"""The worker pool's own rules: no more workers than CPUs, quiet on Ctrl-C, gone when stopped.

The end-to-end behaviour of a ``pmo`` process that is killed or interrupted lives in
``tests/hostile/test_interrupt.py``; here each rule is checked on the pool itself.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from addin.cli import app
from addin.core.settings import Settings
from addin.engine import workers
from addin.engine.workers import effective_jobs, run_bounded, run_isolated
from tests.builders import write

runner = CliRunner()


@pytest.fixture
def two_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process may run on two CPUs (whatever the machine has)."""
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)


def _pid(item: int) -> int:
    time.sleep(0.05)  # long enough that one worker cannot take every task before the others
    return os.getpid()


@pytest.mark.usefixtures("two_cpus")
def test_jobs_are_capped_at_the_cpus_available() -> None:
    assert effective_jobs(100_000) == 2
    assert effective_jobs(None) == 2
    assert effective_jobs(1) == 1
    pids = {o.value for o in run_bounded(list(range(8)), _pid, Settings().limits, jobs=100_000)}
    assert len(pids) <= 2  # 100,000 asked: no more workers than CPUs were started


@pytest.mark.usefixtures("two_cpus")
@pytest.mark.parametrize("command", ["validate", "consolidate"])
def test_the_cli_says_when_it_caps_jobs(command: str, tmp_path: Path) -> None:
    tracker = write(tmp_path / "t.xlsx")
    args = [command, str(tracker), "--jobs", "100000", "--as-of", "2026-11-20"]
    if command == "consolidate":
        args += ["-o", str(tmp_path / "p.xlsx"), "--no-cache"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if "--jobs" in line]
    assert notes == ["pmo: --jobs 100000 capped at 2 (the CPUs available)"]
    # A number within the CPUs is taken as it is, without a note.
    assert "--jobs" not in runner.invoke(app, [*args[:2], "--jobs", "2", *args[4:]]).stderr


def _signal_self_then_sleep(item: int) -> int:
    os.kill(os.getpid(), signal.SIGINT)  # what a terminal's Ctrl-C does to every worker
    time.sleep(0.2)
    return item


def test_workers_ignore_ctrl_c(capfd: pytest.CaptureFixture[str]) -> None:
    """Ctrl-C reaches every process of the terminal's group: only the parent may act on it."""
    outcomes = sorted(
        run_isolated([1, 2, 3], _signal_self_then_sleep, jobs=2), key=lambda o: o.index
    )
    assert [(o.value, o.error) for o in outcomes] == [(1, ""), (2, ""), (3, "")]
    assert "KeyboardInterrupt" not in capfd.readouterr().err


def _sleep(item: float) -> float:
    time.sleep(item)
    return item


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_a_run_abandoned_early_stops_its_workers_at_once() -> None:
    """A consumer that stops iterating (an exception, Ctrl-C) leaves no worker behind."""
    outcomes = run_isolated([0.0, 60.0, 60.0], _sleep, jobs=3)
    first = next(outcomes)
    assert first.value == 0.0
    pids = [w.process.pid for w in workers._LIVE]
    assert len(pids) == 3 and all(map(_alive, pids))
    outcomes.close()  # what an exception raised in the consumer's loop does
    assert not any(map(_alive, pids))
    assert not workers._LIVE


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_stop_all_stops_the_workers_of_an_interrupted_run() -> None:
    outcomes = run_isolated([0.0, 60.0], _sleep, jobs=2)
    next(outcomes)
    pids = [w.process.pid for w in workers._LIVE]
    assert len(pids) == 2
    workers.stop_all()
    assert not any(map(_alive, pids)) and not workers._LIVE
    outcomes.close()


_ORPHAN_SCRIPT = """
import os, sys, time
from addin.engine import workers
# As on macOS: no kernel help when the parent dies; the workers must notice by themselves.
workers.die_with_parent = lambda pid: os.getppid() if pid is None else pid
outcomes = workers.run_isolated([0.0, 0.0, 0.0], time.sleep, jobs=3)
next(outcomes)
print(*[w.process.pid for w in workers._LIVE], flush=True)
time.sleep(600)
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_idle_workers_of_a_killed_parent_exit_without_help_from_the_kernel() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", _ORPHAN_SCRIPT], stdout=subprocess.PIPE, start_new_session=True
    )
    try:
        assert proc.stdout is not None
        pids = [int(p) for p in proc.stdout.readline().split()]
        assert len(pids) == 3 and all(map(_alive, pids))
        proc.kill()
        proc.wait(timeout=30)
        deadline = time.monotonic() + 30
        while any(map(_alive, pids)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(map(_alive, pids))
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
