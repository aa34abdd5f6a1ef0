"""Run a command and measure it: wall time and the peak resident memory of its process tree.

Shared by the benchmarks. Linux only (reads /proc).
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, in KB (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            status = (entry / "status").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                rss[int(entry.name)] = int(line.split()[1])
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, []))
    return total


@dataclass(frozen=True)
class Measured:
    """One measured run: wall seconds, peak MB of the process tree, exit code and output."""

    seconds: float
    peak_mb: float
    returncode: int
    stdout: str
    stderr: str
    #: Peak resident memory of the command's own process (not its children), sampled.
    main_peak_mb: float = 0.0


def measure(
    cmd: list[str],
    *,
    merge_stderr: bool = False,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Measured:
    """Run ``cmd`` to the end (in ``env``, ``cwd``), sampling its tree's memory every 20 ms."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if merge_stderr else subprocess.PIPE,
        text=True,
        env=env,
        cwd=cwd,
    )
    peak = main_peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, main_peak
        while not done.is_set():
            peak = max(peak, tree_rss_kb(proc.pid))
            main_peak = max(main_peak, _rss_kb(proc.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    return Measured(seconds, peak / 1024, proc.returncode, out or "", err or "", main_peak / 1024)


def _rss_kb(pid: int) -> int:
    """Resident memory of one process in KB (0 once it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def compile_package(code: Path) -> None:
    """Byte-compile a checkout's ``addin`` package, as ``pip install`` does.

    A timed run then reads compiled modules, as an installed ``pmo`` does. Without it,
    where PYTHONDONTWRITEBYTECODE is set (this project's CI machines), every run compiles
    all of its ~300 modules again: 0.4 s a run, in every measurement.
    """
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(code / "addin")], check=True)
