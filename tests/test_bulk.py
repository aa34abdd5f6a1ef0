"""The cyclic garbage collector is paused while a run builds its long-lived bulk (reading
every result, assembling the run, writing the workbook) and is back on afterwards."""

from __future__ import annotations

import datetime as dt
import gc
import weakref
from pathlib import Path
from typing import Any

import pytest

import addin.engine.consolidate as engine
from addin.core.bulk import bulk
from addin.core.settings import Settings
from tests.builders import write_projects


def test_bulk_pauses_and_restores_the_collector_even_on_error() -> None:
    assert gc.isenabled()
    with bulk():
        assert not gc.isenabled()
        with bulk():  # nested: still paused, and the outer block decides
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), bulk():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_what_a_block_made_is_not_walked_when_the_collector_comes_back() -> None:
    """It joins the oldest generation (a young one holding it all would be walked by the
    next allocation); a reference cycle made in the block is still collected."""

    class Node:
        pass

    gc.collect()
    with bulk():
        kept = [[i] for i in range(20_000)]
        cycle = Node()
        cycle.me = cycle  # type: ignore[attr-defined]
        gone = weakref.ref(cycle)
        assert gc.get_count()[0] > 20_000  # no collection while paused
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert id(kept) in oldest and id(kept[0]) in oldest  # set there, never walked young
    assert gc.get_count()[0] < 100  # nothing young left to walk
    del cycle
    assert gone() is not None  # only a cycle: refcounts alone cannot free it
    gc.collect()
    assert gone() is None and len(kept) == 20_000


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with bulk():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_consolidation_reads_and_assembles_with_the_collector_paused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    real = engine.assemble

    def spying(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "assemble", spying)
    folder = write_projects(tmp_path, ["PRJ-0301", "PRJ-0302"])
    run = engine.consolidate(
        sorted(folder.iterdir()), Settings(), as_of=dt.date(2026, 11, 20), jobs=1
    )
    assert len(run.projects) == 2
    assert seen == [False]  # paused while the run was built
    assert gc.isenabled()  # and back on after it
