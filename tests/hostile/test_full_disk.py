"""A disk that fills while a command writes: one line, exit 4, every input as it was.

Two ways, each against every command that writes:

* In a real ``pmo`` process, no file it writes may grow past a limit (``RLIMIT_FSIZE``):
  each write past it fails in the operating system (EFBIG, where a full disk says
  ENOSPC), wherever the file is, early (a workbook's first part) or late (past 30 KB).
* In process, only the output's folder is full: every file opened for writing there
  takes so many bytes, then its writes fail with ENOSPC, its buffered bytes unwritten,
  as on a real full disk (temporary files elsewhere still have room). This found what
  the first cannot: XlsxWriter, openpyxl and python-pptx leave the zip they failed to
  write open, and when the garbage collector closed it, its second failure printed
  "Exception ignored in ZipFile.__del__" and a traceback under the run's one line
  (``outputs/atomic.let_go``).

Each time: exit 4, exactly one line on stderr saying which file and why in the system's
words, not Python's (``No space left on device``, no ``[Errno 28]``), no traceback, every
file that was there byte-identical, no temporary file left.

What a run reports is not an output: a ``--log-file`` or a standard output on a full disk
(``/dev/full``: every write fails with ENOSPC) is said once on stderr, and the run goes on
and writes its outputs; a standard output whose reader left (``| head``) is dropped
silently. Both ended in a traceback before, the portfolio unwritten.
"""

from __future__ import annotations

import errno
import gc
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from addin.cli import EXIT_NOT_WRITTEN, app
from addin.core.settings import Settings
from addin.outputs.template import write_tracker
from tests.builders import base_tracker
from tests.hostile.run import no_traceback, pmo

SAMPLES = Path(__file__).parents[2] / "workbooks" / "samples"
CAPACITY = Path(__file__).parents[2] / "workbooks" / "Sample_Capacity_List.xlsx"
SAMPLE = "EST-0401_HQ_Consolidation.xlsx"

#: Where the writes start to fail: in a workbook's first part, and past the first 30 KB
#: (the dashboard of the portfolio below is 40 KB: at 40,000 it was written whole on a
#: day its dates compressed a few bytes smaller).
LIMITS = {"early": 4_000, "late": 30_000}

RUN = ["--no-cache", "--no-history", "--as-of", "2026-11-20"]
#: Each command, and the file its one line names.
COMMANDS: dict[str, tuple[list[str], str]] = {
    "new-tracker": (["new-tracker", "new.xlsx", "--id", "PRJ-0009", "--name", "X"], "new.xlsx"),
    "new-capacity": (["new-capacity", "people.xlsx"], "people.xlsx"),
    "annotate": (["validate", f"trackers/{SAMPLE}", "--annotate"], SAMPLE[:-5]),
    "annotate in place": (["validate", f"trackers/{SAMPLE}", "--annotate", "--in-place"], SAMPLE),
    "upgrade": (["upgrade-tracker", "v10.xlsx"], "v10.xlsx"),
    "upgrade in place": (["upgrade-tracker", "v10.xlsx", "--in-place"], "v10.xlsx"),
    "adopt": (["adopt", f"trackers/{SAMPLE}", "-o", "adopted.xlsx"], "adopted.xlsx"),
    "consolidate": (
        [
            "consolidate",
            "trackers",
            "-o",
            "p.xlsx",
            "--json",
            "p.json",
            "--dashboard",
            "d.xlsx",
            *RUN,
        ],
        "p.xlsx",
    ),
    "dashboard": (["dashboard", "portfolio.xlsx", "-o", "d.xlsx", "--no-history"], "d.xlsx"),
    "pack": (["pack", "portfolio.xlsx", "-o", "deck.pptx", "--no-history"], "deck.pptx"),
    "report": (["report", f"trackers/{SAMPLE}", "-o", "one.pptx"], "one.pptx"),
    "build-addin": (["build-addin", "-o", "PMO.xlam"], "PMO.xlam"),
    "config init": (["config", "init"], "pmo.toml"),
}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four sample trackers, a 1.0 tracker to upgrade, and a portfolio of the four."""
    root = tmp_path_factory.mktemp("full-disk")
    (root / "trackers").mkdir()
    for path in sorted(SAMPLES.glob("*.xlsx"))[4:8]:
        shutil.copy(path, root / "trackers" / path.name)
    write_tracker(root / "v10.xlsx", base_tracker(), Settings(), version="1.0")
    made = pmo(
        "consolidate", "trackers", "-o", "portfolio.xlsx", *RUN, cwd=root
    )  # as of a fixed date: the outputs made from it are the same size every day
    assert made.returncode in (0, 1), made.stderr.decode()[-2000:]
    return root


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


#: The settings file is smaller than the late limit: it fails early only.
SMALL = ("config init",)
CASES = [(c, w) for c in COMMANDS for w in LIMITS if not (c in SMALL and w == "late")]


@pytest.mark.parametrize(("command", "when"), CASES)
def test_a_full_disk_is_one_line_and_loses_nothing(
    inputs: Path, tmp_path: Path, command: str, when: str
) -> None:
    folder = tmp_path / "run"
    shutil.copytree(inputs, folder)
    before = _files(folder)
    args, named = COMMANDS[command]
    result = pmo(*args, file_bytes=LIMITS[when], cwd=folder)
    no_traceback(result)
    err = result.stderr.decode()
    lines = [line for line in err.splitlines() if not line.startswith("[")]  # not progress
    out = result.stdout.decode()
    assert result.returncode == EXIT_NOT_WRITTEN, out + err
    assert "Exception ignored" not in err
    # The reason: once, in one line, naming the file, in the system's words.
    said = lines + [line for line in out.splitlines() if "File too large" in line]
    assert len(lines) <= 1, err
    assert any(named in line and "(File too large)" in line for line in said), out + err
    assert "Errno" not in out + err
    after = _files(folder)
    assert {name: after.get(name) for name in before} == before  # every file as it was
    left = [name for name in after if name not in before]
    assert left == [], left  # no temporary file, no half-written output


# --- only the output's folder is full (in process) -------------------------------------------


class _FullDisk(io.FileIO):
    """A file on a disk with ``room`` bytes left: past them, a write fails (ENOSPC)."""

    room = 0

    def write(self, data: Any, /) -> int:
        view = memoryview(data)
        if not _FullDisk.room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        n = min(len(view), _FullDisk.room)
        _FullDisk.room -= n
        return super().write(view[:n]) or 0


def _fill(monkeypatch: pytest.MonkeyPatch, folder: Path, room: int) -> None:
    """Files opened for writing in ``folder`` (not below it) share ``room`` bytes."""
    real_open = io.open
    _FullDisk.room = room

    def opened(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        writes = any(c in mode for c in "wxa+")
        if not writes or not isinstance(file, str | os.PathLike):
            return real_open(file, mode, *args, **kwargs)
        if Path(os.fspath(file)).absolute().parent != folder:
            return real_open(file, mode, *args, **kwargs)
        raw = _FullDisk(file, mode.replace("b", "").replace("t", ""))
        buffered = io.BufferedRandom(raw) if "+" in mode else io.BufferedWriter(raw)
        if "b" in mode:
            return buffered
        given = dict(zip(("buffering", "encoding", "errors", "newline"), args, strict=False))
        given.update(kwargs)
        encoding, newline = given.get("encoding") or "utf-8", given.get("newline")
        return io.TextIOWrapper(buffered, encoding=encoding, newline=newline)

    monkeypatch.setattr(io, "open", opened)  # zipfile opens what it writes with io.open


#: Commands whose writing runs in the main process (where a patched ``io.open`` is seen).
IN_PROCESS = [c for c in COMMANDS if not c.startswith("annotate")]


#: Bytes the folder has room for: none, a workbook's first part, most of a small one.
ROOMS = [0, 3_000, 12_000]
ROOM_CASES = [(c, r) for c in IN_PROCESS for r in ROOMS if (c, r) != ("config init", 12_000)]


@pytest.mark.parametrize(("command", "room"), ROOM_CASES)
def test_the_output_folder_full_leaves_no_file_open(
    inputs: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    room: int,
) -> None:
    folder = tmp_path / "run"
    shutil.copytree(inputs, folder)
    before = _files(folder)
    ignored: list[str] = []
    monkeypatch.setattr(
        sys, "unraisablehook", lambda u: ignored.append(f"{u.exc_value!r} in {u.object!r}")
    )
    monkeypatch.chdir(folder)
    args, named = COMMANDS[command]
    _fill(monkeypatch, folder.absolute(), room)
    result = CliRunner().invoke(app, args)
    gc.collect()  # anything a cycle held: closed now, reported to the hook above
    monkeypatch.undo()  # io.open and the hook as they were, before the checks
    assert ignored == []  # nothing left open that failed again when it was closed
    assert result.exit_code == EXIT_NOT_WRITTEN, result.output
    said = result.stderr + result.stdout
    assert any(
        named in line and "(No space left on device)" in line for line in said.splitlines()
    ), said
    assert "Errno" not in said
    after = _files(folder)
    assert {name: after.get(name) for name in before} == before
    new = [name for name in after if name not in before]
    if command.endswith("in place"):  # its backup is kept, the original's bytes
        assert len(new) == 1 and new[0].endswith(".bak.xlsx"), new
        assert after[new.pop()] == before[args[1]]
    assert new == []


# --- what a run reports, on a full disk ------------------------------------------------------

FULL = Path("/dev/full")  # every write fails with ENOSPC


@pytest.mark.skipif(sys.platform != "linux", reason="/dev/full is Linux's")
@pytest.mark.parametrize("events", [3, 2_000])  # held in its buffer, or past it
def test_a_log_file_on_a_full_disk_is_cut_short_once_and_the_run_goes_on(
    events: int, capsys: pytest.CaptureFixture[str]
) -> None:
    from addin.cli.reporter import Reporter

    reporter = Reporter(0, FULL)
    for i in range(events):
        reporter.event(event="file", path=f"t{i}.xlsx")
    reporter.close()
    reporter.close()
    err = capsys.readouterr().err
    assert err == "pmo: the log file /dev/full is cut short (No space left on device)\n"


def _stdout_to(stdout: Any, *args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "addin", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        cwd=cwd,
        timeout=300,
        check=False,
    )


@pytest.mark.skipif(sys.platform != "linux", reason="/dev/full is Linux's")
def test_a_standard_output_on_a_full_disk_is_said_once_and_the_outputs_are_written(
    inputs: Path, tmp_path: Path
) -> None:
    with FULL.open("wb") as full:
        checked = _stdout_to(full, "validate", f"trackers/{SAMPLE}", cwd=inputs)
        made = _stdout_to(
            full, "consolidate", "trackers", "-o", str(tmp_path / "p.xlsx"), *RUN, cwd=inputs
        )
    said = "pmo: cannot write to standard output (No space left on device); going on\n"
    assert checked.stderr.decode() == said
    assert checked.returncode == 1  # its findings' code, as on a terminal
    assert made.stderr.decode().splitlines()[-1] == said.strip()  # after its progress
    assert made.returncode == 1
    assert (tmp_path / "p.xlsx").stat().st_size > 10_000


def test_a_standard_output_whose_reader_left_is_dropped_silently(inputs: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "addin", "validate", "trackers"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=inputs,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # as ``| head`` does once it has its lines
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=300) in (1, 120)  # findings, or the last flush failed
    assert "Traceback" not in err and "standard output" not in err, err
