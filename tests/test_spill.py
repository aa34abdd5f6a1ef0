"""The workers' rendered rows wait for the writer in a temporary file (issue 17, memory).

A spill gives back exactly what was set aside, leaves no file behind, and a run whose
rows waited in it writes the same portfolio as one that held them in memory; a folder
where nothing can be set aside leaves the rows in memory, never fails the run.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
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
