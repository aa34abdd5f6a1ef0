"""A ``pmo`` run that is killed or interrupted leaves nothing behind and says what it wrote.

Each test starts a real ``pmo`` in its own session while its workers read genuinely slow
input (trackers of 100,000 task rows, within the default limits), signals it the way a
scheduler (SIGTERM, SIGKILL) or a terminal (SIGINT to the whole process group) would,
and then looks at every process of the session in /proc: none may survive.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.hostile import make

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)"),
]

#: Bound on every wait (a hang fails the test instead of blocking the suite).
WAIT = 60.0


def _stat(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name: state, ppid, pgrp, session ..."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _session(sid: int) -> set[int]:
    """Live (not zombie) processes of a session: the pmo process and everything it started."""
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields and fields[3] == str(sid) and fields[0] != "Z":
                out.add(int(entry.name))
    return out


def _children(pid: int) -> set[int]:
    return {p for p in _session(pid) if (f := _stat(p)) and f[1] == str(pid)}


def _until(condition: Callable[[], bool], timeout: float = WAIT) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def _files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


@pytest.fixture(scope="module")
def slow(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three trackers of 100,000 task rows: seconds of reading each, within every limit."""
    folder = tmp_path_factory.mktemp("slow")
    for i in range(3):
        make.million_rows(folder / f"big-{i}.xlsx", f"BIG-000{i}", rows=100_000)
    return folder


Start = Callable[..., subprocess.Popen[bytes]]


@pytest.fixture
def pmo() -> Iterator[Start]:
    """Start ``pmo ARGS`` in a new session; whatever it leaves is killed after the test."""
    started: list[subprocess.Popen[bytes]] = []

    def start(*args: str | Path) -> subprocess.Popen[bytes]:
        env = {**os.environ, "COLUMNS": "200", "PYTHONUNBUFFERED": "1"}
        proc = subprocess.Popen(
            [sys.executable, "-m", "addin", *map(os.fspath, args)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,
        )
        started.append(proc)
        return proc

    yield start
    for proc in started:
        for pid in _session(proc.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        proc.kill()
        proc.communicate(timeout=WAIT)


def _reading(proc: subprocess.Popen[bytes]) -> set[int]:
    """Wait until pmo's workers are at work; return their process ids."""
    assert _until(lambda: bool(_children(proc.pid))), "no worker started"
    return _children(proc.pid)


def _consolidate(start: Start, slow: Path, out: Path) -> subprocess.Popen[bytes]:
    return start("consolidate", slow, "-o", out / "p.xlsx", "--no-cache", "--as-of", "2026-11-20")


def test_kill_9_of_pmo_leaves_no_worker_behind(pmo: Start, slow: Path) -> None:
    out = slow.parent / "out-kill"
    out.mkdir()
    proc = _consolidate(pmo, slow, out)
    workers = _reading(proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=WAIT)
    assert _until(lambda: not _session(proc.pid), timeout=20), (
        f"workers {sorted(workers)} outlived pmo: {sorted(_session(proc.pid))}"
    )
    assert _files(out) == set()


@pytest.mark.parametrize(
    ("signum", "code", "group"),
    [(signal.SIGTERM, 143, False), (signal.SIGINT, 130, True)],
    ids=["SIGTERM", "Ctrl-C"],
)
def test_an_interrupted_run_stops_in_order_and_says_so_in_one_line(
    pmo: Start, slow: Path, signum: int, code: int, group: bool
) -> None:
    out = slow.parent / f"out-{signum}"
    out.mkdir()
    proc = _consolidate(pmo, slow, out)
    _reading(proc)
    if group:  # a terminal sends Ctrl-C to every process of the foreground group
        os.killpg(proc.pid, signum)
    else:
        os.kill(proc.pid, signum)
    _, err = proc.communicate(timeout=WAIT)  # returns once nothing holds pmo's stderr
    text = err.decode("utf-8", "replace")
    assert proc.returncode == code, text
    name = signal.Signals(signum).name
    said = [line for line in text.splitlines() if line.startswith("pmo:")]
    assert said == [f"pmo: interrupted ({name}); nothing was written"]
    assert "Traceback" not in text and "KeyboardInterrupt" not in text, text
    assert not _session(proc.pid)
    assert _files(out) == set()  # no portfolio, no cache, no temporary file


def test_sigterm_while_annotating_removes_the_half_written_copy(pmo: Start, tmp_path: Path) -> None:
    tracker = make.million_rows(tmp_path / "plan.xlsx", "BIG-0009", rows=20_000)
    before = tracker.read_bytes()
    proc = pmo("validate", tracker, "--annotate", "--as-of", "2026-11-20")

    def saving() -> bool:
        return any(name.endswith(".tmp.xlsx") for name in _files(tmp_path))

    assert _until(saving), "the annotated copy was never started"
    os.kill(proc.pid, signal.SIGTERM)
    _, err = proc.communicate(timeout=WAIT)
    text = err.decode("utf-8", "replace")
    assert proc.returncode == 143, text
    assert text.splitlines()[-1] == (
        "pmo: interrupted (SIGTERM) while annotating: trackers annotated before it are "
        "complete, none was left half-written"
    )
    assert "Traceback" not in text
    assert not _session(proc.pid)
    assert _files(tmp_path) <= {"plan.xlsx", "plan.checked.xlsx"}  # no temporary file left
    assert tracker.read_bytes() == before


def test_what_a_killed_annotation_leaves_is_never_read_again(pmo: Start, tmp_path: Path) -> None:
    """kill -9 gives nobody a chance to clean up: a later run must skip the remains."""
    tracker = make.million_rows(tmp_path / "plan.xlsx", "BIG-0010", rows=20_000)
    before = tracker.read_bytes()
    proc = pmo("validate", tracker, "--annotate", "--as-of", "2026-11-20")
    assert _until(lambda: any(n.endswith(".tmp.xlsx") for n in _files(tmp_path)))
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=WAIT)
    assert _until(lambda: not _session(proc.pid), timeout=20)
    assert tracker.read_bytes() == before
    assert _files(tmp_path) - {"plan.xlsx"}  # the half-written copy (or the copy) remains

    later = subprocess.run(
        [sys.executable, "-m", "addin", "validate", tmp_path, "--format", "json"],
        capture_output=True,
        timeout=WAIT,
        check=False,
    )
    checked = [Path(f["file"]).name for f in json.loads(later.stdout)["files"]]
    assert checked == ["plan.xlsx"], later.stderr
