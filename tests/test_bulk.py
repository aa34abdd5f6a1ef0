"""The cyclic garbage collector is paused while a run builds its long-lived bulk (reading
every result, assembling the run, writing the workbook) and is back on afterwards."""

from __future__ import annotations

import datetime as dt
import gc
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
