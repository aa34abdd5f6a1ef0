"""The ``pmo`` program ends quickly, and still does everything an ordinary exit does."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from addin.cli.quick_exit import FLUSH_FAILED, exit_status

ROOT = Path(__file__).resolve().parents[1]


def _child(body: str, **kwargs: object) -> subprocess.Popen[str]:
    code = "from addin.cli.quick_exit import quick_exit\n" + textwrap.dedent(body)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONUNBUFFERED", None)  # what it prints waits in the buffer for the exit
    return subprocess.Popen([sys.executable, "-c", code], text=True, env=env, **kwargs)


def test_a_quick_exit_runs_atexit_waits_for_threads_and_flushes_but_skips_teardown(
    tmp_path: Path,
) -> None:
    late = tmp_path / "late.txt"
    child = _child(
        f"""
        import atexit, threading, time

        class Torn:
            def __del__(self):
                print("torn down")

        kept = Torn()  # a module global: only an interpreter teardown would delete it
        atexit.register(print, "atexit ran")

        def slow():
            time.sleep(0.3)
            open({str(late)!r}, "w").write("written")

        threading.Thread(target=slow).start()
        print("buffered")
        quick_exit(3)
        """,
        stdout=subprocess.PIPE,
    )
    out, _ = child.communicate(timeout=60)
    assert child.returncode == 3
    assert out.splitlines() == ["buffered", "atexit ran"]  # flushed; no teardown ran
    assert late.read_text() == "written"  # the thread finished before the process ended


def test_an_output_nobody_reads_any_more_ends_with_pythons_own_status() -> None:
    child = _child(
        """
        import time
        time.sleep(0.5)
        print("nobody reads this")
        quick_exit(0)
        """,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert child.stdout is not None
    child.stdout.close()
    assert child.wait(timeout=60) == FLUSH_FAILED


@pytest.mark.parametrize(
    ("code", "status"), [(None, 0), (0, 0), (2, 2), (256 + 4, 4), ("pmo: stopped", 1)]
)
def test_exit_status_is_what_sys_exit_would_end_with(code: object, status: int) -> None:
    assert exit_status(code) == status


def test_a_text_exit_code_is_printed_and_ends_with_one() -> None:
    code = (
        "import sys\n"
        "from addin import cli\n"
        "cli.main = lambda: sys.exit('pmo: stopped')\n"
        "cli.run()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 1
    assert done.stderr == "pmo: stopped\n"


def test_the_pmo_program_keeps_its_exit_codes_and_output(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = [sys.executable, "-m", "addin"]
    shown = subprocess.run([*run, "--version"], capture_output=True, text=True, env=env)
    assert shown.returncode == 0 and shown.stdout.startswith("pmo ")
    missing = subprocess.run(
        [*run, "validate", str(tmp_path / "nope.xlsx")], capture_output=True, text=True, env=env
    )
    assert missing.returncode == 2
    assert "no such file" in missing.stderr
