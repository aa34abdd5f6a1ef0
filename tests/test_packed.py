"""A tracker's columns travel packed from its worker to the outputs (issue 17, memory).

A packed column reads as the list it holds; its bytes, which may come from the cache
file, decode only to a list of cell values of its length, or not at all.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import zlib
from pathlib import Path
from typing import Any

import pytest

from addin.core.settings import Settings
from addin.engine import packed
from addin.engine.cache import dumps, loads
from addin.engine.consolidate import consolidate
from addin.engine.packed import PackedColumn, pack_columns
from addin.engine.pipeline import check_tracker
from tests.builders import base_tracker, write
from tests.slices import SLICES

VALUES: list[Any] = [
    "Done",
    None,
    3.5,
    7,
    True,
    dt.date(2026, 3, 31),
    dt.datetime(2026, 1, 2, 9),
    "",
]


def test_a_packed_column_reads_as_its_list() -> None:
    col = PackedColumn.of(VALUES)
    assert len(col) == len(VALUES) and list(col) == VALUES
    assert [col[i] for i in range(-len(VALUES), len(VALUES))] == VALUES + VALUES
    for s in SLICES:
        assert col[s] == VALUES[s], s
    with pytest.raises(IndexError):
        col[len(VALUES)]
    assert col == VALUES and col == VALUES and col == PackedColumn.of(VALUES)
    assert col != VALUES[:-1] and col != tuple(VALUES) and col != PackedColumn.of(VALUES[1:])
    assert "Done" in col and col.index(3.5) == 2 and col.count(None) == 1
    assert PackedColumn.of([]) == [] and list(PackedColumn.of([])) == []


def test_it_pickles_as_its_bytes_and_the_cache_may_load_it() -> None:
    col = PackedColumn.of(VALUES)
    again = loads(dumps(col))  # the cache's restricted unpickler
    assert type(again) is PackedColumn and again.data == col.data and again == VALUES
    statuses = [f"Status {i % 4}" for i in range(1_000)]  # a column repeats itself
    assert len(pickle.dumps(PackedColumn.of(statuses))) * 20 < len(pickle.dumps(statuses))


def test_packing_a_table_packs_its_lists_once() -> None:
    col = PackedColumn.of(VALUES)
    out = pack_columns({"a": VALUES, "b": col})
    assert type(out["a"]) is PackedColumn and out["a"] == VALUES and out["b"] is col


class _RunsCode:
    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, ("echo from-a-packed-column",))


@pytest.mark.parametrize(
    ("col", "why"),
    [
        (PackedColumn(zlib.compress(pickle.dumps([_RunsCode()])), 1), "unpickle"),
        (PackedColumn(zlib.compress(pickle.dumps({"a": 1})), 1), "length"),
        (PackedColumn(zlib.compress(pickle.dumps([1, 2])), 3), "length"),
        (PackedColumn(b"not deflated", 1), "inflate"),
        (PackedColumn(zlib.compress(b"\0" * 300_000), 1), "bound"),
        (PackedColumn(zlib.compress(pickle.dumps([1]))[:-3], 1), "end"),
        (PackedColumn("text", 1), "bytes"),  # type: ignore[arg-type]
        (PackedColumn(zlib.compress(pickle.dumps([1])), -1), "bytes"),
    ],
)
def test_bytes_that_are_not_a_column_of_values_do_not_decode(col: PackedColumn, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        col.decoded()


def test_the_last_columns_read_are_decoded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    decoded: list[int] = []
    real = PackedColumn.decoded

    def counting(self: PackedColumn) -> list[Any]:
        decoded.append(id(self))
        return real(self)

    monkeypatch.setattr(PackedColumn, "decoded", counting)
    a, b = PackedColumn.of(VALUES), PackedColumn.of(VALUES[::-1])
    pairs = [(a[i], b[i]) for i in range(len(VALUES))]  # two columns side by side
    assert pairs == list(zip(VALUES, VALUES[::-1], strict=True))
    assert sorted(decoded) == sorted([id(a), id(b)])
    others = [PackedColumn.of([i]) for i in range(packed.KEPT)]
    assert [c[0] for c in others] == list(range(packed.KEPT))
    decoded.clear()
    assert a[0] == VALUES[0] and decoded == [id(a)]  # read again after many others: decoded again


def test_a_consolidation_holds_the_trackers_columns_packed(tmp_path: Path) -> None:
    """The run's columns are the workers' packed columns, from a read and from the cache,
    and hold what the reader read."""
    folder = tmp_path / "in"
    folder.mkdir()
    path = write(folder / "a.xlsx", base_tracker())
    settings = Settings()
    read = check_tracker(str(path), settings)
    cache = tmp_path / "cache.sqlite"
    for run_number in (1, 2):
        run = consolidate([path], settings, as_of=dt.date(2026, 11, 20), jobs=1, cache_path=cache)
        assert run.cache_hits == run_number - 1
        tasks = run.tables["Tasks"]
        for name, column in tasks.columns.items():
            assert all(type(chunk) is PackedColumn for chunk in column.chunks), name
            assert column == read.tables["Tasks"].columns[name], name
        assert len(tasks.source_cells) == len(read.tables["Tasks"]) > 0
