"""Progress where standard error is not a terminal: a scheduler's log, not a line per file.

A bar is drawn only on a terminal. Elsewhere (cron's mail, a log file, a pipe) progress is
plain lines: the first file's, then one at most every ``PLAIN_EVERY`` seconds, and the
last. A 20,000-file run used to write 20,000 of them.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

import addin.cli.reporter as reporter_module
from addin.cli.reporter import PLAIN_EVERY, Reporter
from tests.conftest import SAMPLES


def test_plain_progress_is_the_first_file_one_line_a_while_and_the_last(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    err = io.StringIO()  # not a terminal
    monkeypatch.setattr(sys, "stderr", err)
    clock = iter(i * PLAIN_EVERY / 20 for i in range(1, 1_000))  # 20 files every PLAIN_EVERY
    monkeypatch.setattr(reporter_module.time, "monotonic", lambda: next(clock))
    reporter = Reporter(100, None)
    for done in range(1, 101):
        reporter(done, 100, f"/share/T-{done:03}.xlsx")
    reporter.close()
    assert err.getvalue().splitlines() == [
        f"[{n}/100] /share/T-{n:03}.xlsx" for n in (1, 21, 41, 61, 81, 100)
    ]


def test_a_run_says_its_first_and_last_file_not_each_one(tmp_path: Path) -> None:
    out = tmp_path / "p.xlsx"
    command = [sys.executable, "-m", "addin", "consolidate", str(SAMPLES), "-o", str(out)]
    done = subprocess.run(
        [*command, "--no-cache", "--no-history", "--as-of", "2026-11-20"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode in (0, 1), done.stderr  # 1: the samples' own errors
    progress = [line for line in done.stderr.splitlines() if line.startswith("[")]
    assert progress[0].startswith("[1/12] ") and progress[-1].startswith("[12/12] ")
    assert len(progress) < 12  # two, unless the machine took PLAIN_EVERY seconds for them
