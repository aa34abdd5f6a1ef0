"""The workers' rendered rows wait for the writer in a temporary file (issue 17, memory).

A spill gives back exactly what was set aside, leaves no file behind, and a run whose
rows waited in it writes the same portfolio as one that held them in memory; a folder
where nothing can be set aside leaves the rows in memory, never fails the run, and
neither does a disk that fills while the run sets rows aside: the bytes that do not fit
are refused when they are put (they wait in memory), not when they are read back (a
traceback, before: the file was buffered, and its flush failed in the writer).
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import pickle
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from addin.core.settings import Settings
from addin.core.spill import Spill, Spilled
from addin.engine import consolidate as consolidate_module
from addin.engine.consolidate import consolidate
from addin.outputs.portfolio import write_portfolio
from addin.outputs.portfolio.writer import prerender_for
from tests.builders import base_project, base_tracker, write

AS_OF = dt.date(2026, 11, 20)


def test_a_spill_gives_back_what_was_set_aside_and_leaves_no_file(tmp_path: Path) -> None:
    spill = Spill(tmp_path)
    items = [b"", b"rows", bytes(range(256)) * 40, b"\x00" * 3]
    kept = [spill.put(data) for data in items]
    assert [len(k) for k in kept] == [len(d) for d in items]
    assert [k.read() for k in reversed(kept)] == list(reversed(items))
    if os.name == "posix":
        assert list(tmp_path.iterdir()) == []  # the file has no name: nothing to clean up
    assert pickle.loads(pickle.dumps(kept[2])) == items[2]  # crosses a pipe as its bytes
    spill.close()
    with pytest.raises(ValueError, match="nothing was set aside"):
        kept[1].read()


@pytest.mark.skipif(os.name != "posix", reason="a file size limit (RLIMIT_FSIZE) is POSIX's")
def test_a_full_disk_refuses_the_bytes_that_do_not_fit_when_they_are_put(tmp_path: Path) -> None:
    """In a process whose files may not grow past 4,000 bytes (a write past it fails in the
    operating system, as on a full disk): the put that does not fit fails, the bytes put
    before it read back, and the spill takes what fits after it."""
    script = textwrap.dedent(
        f"""
        import resource, signal
        from pathlib import Path
        from addin.core.spill import Spill
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4000, 4000))
        spill = Spill(Path({str(tmp_path)!r}))
        first = spill.put(b"a" * 1000)
        try:
            spill.put(b"b" * 5000)
            print("taken")
        except OSError as exc:
            print("refused", exc.errno)
        print(first.read() == b"a" * 1000)
        later = spill.put(b"c" * 100)
        print(later.offset, later.read() == b"c" * 100)
        """
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.stderr == ""
    assert run.stdout.split() == ["refused", str(errno.EFBIG), "True", "1000", "True"]
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(autouse=True)
def _large(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs of more than two files here are large: their rows and columns may be set aside."""
    monkeypatch.setattr(consolidate_module, "LARGE_RUN", 2)


def _portfolio(
    tmp_path: Path, name: str, spill: Path | None, files: int = 3
) -> tuple[Path, list[object]]:
    folder = tmp_path / "in"
    if not folder.exists():
        folder.mkdir()
        for i in range(3):
            project = base_project(project_id=f"PRJ-070{i}", project_name=f"Project {i}")
            write(folder / f"t{i}.xlsx", base_tracker(project=project))
    settings = Settings()
    run = consolidate(
        sorted(folder.iterdir())[:files],
        settings,
        as_of=AS_OF,
        jobs=1,
        prepare=prerender_for(settings),
        spill=spill,
    )
    pieces = [b.piece.packed for made in run.prepared.values() for b in made.values()]
    run.generated = "2026-11-20T09:00:00"
    return write_portfolio(tmp_path / name, run, settings), pieces


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def test_rows_set_aside_write_the_same_portfolio(tmp_path: Path) -> None:
    aside = tmp_path / "aside"
    aside.mkdir()
    spilled, pieces = _portfolio(tmp_path, "spilled.xlsx", aside)
    assert pieces and all(type(p) is Spilled for p in pieces)
    held, in_memory = _portfolio(tmp_path, "held.xlsx", None)
    assert in_memory and all(type(p) is bytes for p in in_memory)
    a, b = _parts(spilled), _parts(held)
    assert a.keys() == b.keys()
    # every part the same but the Load Log's seconds (in its sheet part)
    assert len([n for n in a if a[n] != b[n]]) <= 1
    with zipfile.ZipFile(spilled) as zf:
        tasks = zf.read("xl/worksheets/sheet2.xml")
    with zipfile.ZipFile(held) as zf:
        assert zf.read("xl/worksheets/sheet2.xml") == tasks
    if os.name == "posix":
        assert list(aside.iterdir()) == []


def test_a_folder_where_nothing_can_be_set_aside_keeps_the_rows_in_memory(
    tmp_path: Path,
) -> None:
    out, pieces = _portfolio(tmp_path, "p.xlsx", tmp_path / "no such folder")
    assert pieces and all(type(p) is bytes for p in pieces)
    assert out.exists()


def test_a_small_run_holds_its_rows_in_memory(tmp_path: Path) -> None:
    """At most LARGE_RUN files (two, here): nothing is set aside, even with a folder for
    it; one more file, and the rows wait in the folder's temporary file."""
    aside = tmp_path / "aside"
    aside.mkdir()
    _, pieces = _portfolio(tmp_path, "small.xlsx", aside, files=2)
    assert len(pieces) >= 2 and all(type(p) is bytes for p in pieces)
    _, spilled = _portfolio(tmp_path, "large.xlsx", aside, files=3)
    assert len(spilled) > len(pieces) and all(type(p) is Spilled for p in spilled)


def test_a_disk_that_fills_while_rows_are_set_aside_keeps_the_rest_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills after 3,000 bytes of the spill: what was set aside stays there, the
    rest waits in memory, and the portfolio is the one a run in memory writes."""
    held, in_memory = _portfolio(tmp_path, "held.xlsx", None)
    aside = tmp_path / "aside"
    aside.mkdir()
    room = [3_000]
    pwrite = os.pwrite

    def full(fd: int, data: bytes, offset: int) -> int:
        n = min(len(data), room[0])
        if not n:
            raise OSError(errno.ENOSPC, "No space left on device")
        room[0] -= n
        return pwrite(fd, memoryview(data)[:n], offset)

    monkeypatch.setattr(os, "pwrite", full)
    spilled, pieces = _portfolio(tmp_path, "spilled.xlsx", aside)
    kinds = [type(p) for p in pieces]
    assert Spilled in kinds and bytes in kinds  # some set aside before the disk filled
    assert [len(p) for p in pieces] == [len(p) for p in in_memory]
    a, b = _parts(spilled), _parts(held)
    assert a.keys() == b.keys()
    assert len([n for n in a if a[n] != b[n]]) <= 1  # the Load Log's seconds
    with zipfile.ZipFile(spilled) as zf, zipfile.ZipFile(held) as zh:
        assert zf.read("xl/worksheets/sheet2.xml") == zh.read("xl/worksheets/sheet2.xml")
