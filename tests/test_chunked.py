"""A Chunked column reads exactly as the list its chunks would make, without copying them."""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import pickle
from pathlib import Path

import pytest

import addin.engine.consolidate as engine
from addin.core.chunked import Chunked
from addin.core.settings import Settings
from tests.builders import write_projects
from tests.slices import SLICES

CHUNKS = [[0, 1, 2], [], [3], [4, 5, 6, 7], [8, 9]]
FLAT = list(itertools.chain.from_iterable(CHUNKS))


@pytest.fixture
def column() -> Chunked[int]:
    return Chunked(CHUNKS)


def test_it_reads_as_the_list_of_its_chunks_end_to_end(column: Chunked[int]) -> None:
    assert len(column) == len(FLAT)
    assert list(column) == FLAT
    assert [column[i] for i in range(len(FLAT))] == FLAT
    assert [column[i] for i in reversed(range(len(FLAT)))] == FLAT[::-1]  # backwards too
    assert [column[-i] for i in range(1, len(FLAT) + 1)] == [FLAT[-i] for i in range(1, 11)]


@pytest.mark.parametrize("index", [10, -11, 100])
def test_an_index_past_either_end_is_an_index_error(column: Chunked[int], index: int) -> None:
    with pytest.raises(IndexError):
        column[index]


@pytest.mark.parametrize("part", SLICES)
def test_a_slice_is_the_lists_slice(column: Chunked[int], part: slice) -> None:
    got = column[part]
    assert type(got) is list
    assert got == FLAT[part]


def test_a_chunk_is_kept_not_copied_and_an_empty_one_is_dropped() -> None:
    first, second = ["a", "b"], ["c"]
    column: Chunked[str] = Chunked()
    for chunk in (first, [], second):
        column.add(chunk)
    assert len(column.chunks) == 2
    assert column.chunks[0] is first and column.chunks[1] is second


def test_it_equals_any_sequence_of_the_same_items_and_is_not_hashable(
    column: Chunked[int],
) -> None:
    assert column == FLAT and operator.eq(FLAT, column)  # from either side
    assert column == Chunked([FLAT])
    assert column != FLAT[:-1] and column != [*FLAT[:-1], 99]
    assert column != "0123456789" and column != tuple(FLAT)  # as a list is not
    assert Chunked[int]() == []
    nan = float("nan")
    assert Chunked([[nan]]) == [nan]  # the same object, as a list compares it
    with pytest.raises(TypeError):
        hash(column)


def test_it_survives_a_pickle(column: Chunked[int]) -> None:
    again = pickle.loads(pickle.dumps(column))
    assert again == FLAT and again[7] == 7 and again[-1] == 9


def test_a_portfolio_column_is_the_trackers_own_lists_end_to_end(tmp_path: Path) -> None:
    folder = write_projects(tmp_path, ["PRJ-0502", "PRJ-0501"])
    results, *_ = engine.read_all(sorted(str(f) for f in folder.iterdir()), Settings(), jobs=1)
    run = engine.assemble(results, Settings(), dt.date(2026, 11, 20))
    ordered = sorted(results, key=lambda r: str(r.project_id))  # the portfolio's order
    owners = run.table("Tasks").columns["owner"]
    theirs = [r.tables["Tasks"].columns["owner"] for r in ordered]
    assert len(owners.chunks) == 2
    assert all(mine is own for mine, own in zip(owners.chunks, theirs, strict=True))  # no copy
    assert list(owners) == [o for own in theirs for o in own]
    assert list(run.table("Tasks").project_ids) == [
        r.project_id for r in ordered for _ in r.tables["Tasks"].columns["owner"]
    ]
