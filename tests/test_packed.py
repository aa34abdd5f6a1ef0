"""A tracker's columns travel packed from its worker to the outputs (issue 17, memory).

A packed column reads as the list it holds; its bytes, which may come from the cache
file, decode only to a list of cell values of its length, or not at all.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
from pathlib import Path
from typing import Any

import lz4.block  # type: ignore[import-untyped]
import pytest

from addin.core.settings import Settings
from addin.core.spill import Spill
from addin.engine import consolidate as consolidate_module
from addin.engine import packed
from addin.engine.cache_payload import dumps, loads
from addin.engine.consolidate import consolidate
from addin.engine.packed import PackedColumn, pack_columns, spill_columns
from addin.engine.pipeline import TrackerResult, check_tracker
from tests.builders import base_tracker, write
from tests.slices import SLICES

AS_OF = dt.date(2026, 11, 20)
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


def _lz4(raw: bytes) -> bytes:
    """``raw`` compressed as a packed column holds it (its size first)."""
    data: bytes = lz4.block.compress(raw, store_size=True)
    return data


def _resized(data: bytes, more: int) -> bytes:
    """Compressed bytes whose stored size says ``more`` bytes more than they hold."""
    return (int.from_bytes(data[:4], "little") + more).to_bytes(4, "little") + data[4:]


@pytest.mark.parametrize(
    ("col", "why"),
    [
        (PackedColumn(_lz4(pickle.dumps([_RunsCode()])), 1), "unpickle"),
        (PackedColumn(_lz4(pickle.dumps({"a": 1})), 1), "length"),
        (PackedColumn(_lz4(pickle.dumps([1, 2])), 3), "length"),
        (PackedColumn(b"\x10\x00\x00\x00not compressed", 1), "not decompress"),
        (PackedColumn(_lz4(b"\0" * 300_000), 1), "past its bound"),
        (PackedColumn(b"not compressed", 1), "past its bound"),  # its size: 544 MB
        (PackedColumn(_lz4(pickle.dumps([1]))[:-3], 1), "not decompress"),  # cut short
        (PackedColumn(_resized(_lz4(pickle.dumps([1])), 5), 1), "not decompress"),
        # more than LZ4 can decode its bytes to (255 to 1), though within one cell's bound
        (PackedColumn(_resized(_lz4(pickle.dumps([1])), 10_000), 1), "past its bound"),
        (PackedColumn(b"\x01\x00", 1), "too short"),
        (PackedColumn("text", 1), "bytes"),  # type: ignore[arg-type]
        (PackedColumn(_lz4(pickle.dumps([1])), -1), "bytes"),
    ],
)
def test_bytes_that_are_not_a_column_of_values_do_not_decode(col: PackedColumn, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        col.decoded()


_DAYS = [dt.date(2026, 3, 31), None, dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(2026, 3, 31)]


@pytest.mark.parametrize(
    ("values", "as_days"),
    [
        (_DAYS, True),
        ([dt.date(2026, 1, 1)] * 300, True),
        ([None, dt.date(2026, 1, 1)], True),
        ([None, None], False),  # no date: nothing to gain
        ([dt.date(2026, 1, 1), "31/02/2026"], False),  # text kept where a date could not be read
        ([dt.date(2026, 1, 1), dt.datetime(2026, 1, 1, 9)], False),  # a time of day is kept
        ([dt.datetime(2026, 1, 1, 9)], False),
    ],
)
def test_a_column_of_dates_is_held_as_days_and_reads_as_its_dates(
    values: list[Any], as_days: bool
) -> None:
    col = PackedColumn.of(values)
    held = loads(lz4.block.decompress(col.raw()))
    if as_days:
        assert held == (packed.DATES, [None if v is None else v.toordinal() for v in values])
    else:
        assert held == values
    again = loads(dumps(col))
    assert again.decoded() == values and [type(v) for v in again.decoded()] == list(
        map(type, values)
    )


def test_days_past_the_kept_ones_are_made_for_the_column(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(packed, "_DAYS", {})
    monkeypatch.setattr(packed, "_MAX_DAYS", 2)
    first = PackedColumn.of(_DAYS[:2])
    assert first.decoded() == _DAYS[:2] and len(packed._DAYS) == 1
    col = PackedColumn.of(_DAYS)
    assert col.decoded() == _DAYS and len(packed._DAYS) == 1  # not kept: too many
    assert PackedColumn.of(_DAYS[:1]).decoded()[0] is first.decoded()[0]  # kept: one object


def _days(held: object, size: int = 1) -> PackedColumn:
    return PackedColumn(_lz4(pickle.dumps(held)), size)


@pytest.mark.parametrize(
    "col",
    [
        _days((packed.DATES, ["738000"])),
        _days((packed.DATES, [738000.0])),
        _days((packed.DATES, [True])),
        _days((packed.DATES, [0])),
        _days((packed.DATES, [3_652_060])),  # the day after 9999-12-31
        _days((packed.DATES, [2**70])),
        _days((packed.DATES, (738000,))),
        _days((packed.DATES, [738000, 738001])),  # one more than its length
        _days(("days", [738000])),
    ],
)
def test_a_tampered_column_of_days_does_not_decode(col: PackedColumn) -> None:
    with pytest.raises(ValueError, match="packed column"):
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


def test_a_tables_columns_set_aside_read_and_pickle_as_before(tmp_path: Path) -> None:
    """One piece of the spill holds a table's packed columns; empty ones become one."""
    spill = Spill(tmp_path)
    columns: dict[str, Any] = {
        "a": PackedColumn.of(VALUES),
        "b": PackedColumn.of(VALUES[::-1]),
        "none": PackedColumn.of([]),
        "plain": ["as", "it", "is"],
    }
    out = spill_columns(columns, spill)
    a, b = out["a"], out["b"]
    assert type(a) is PackedColumn and type(b) is PackedColumn
    assert a.part == 0 and b.part == 1 and a.data is b.data  # one piece, two parts
    assert a == VALUES and b == VALUES[::-1] and a != b
    assert out["none"] is packed.EMPTY and out["none"] == [] and out["plain"] is columns["plain"]
    assert spill_columns(out, spill)["a"] is a  # set aside once
    for name in ("a", "b"):
        again = loads(dumps(out[name]))  # what the cache stores: the bytes themselves
        assert type(again) is PackedColumn and again.part == -1
        assert again.data == columns[name].data and again == out[name]
    assert pickle.loads(pickle.dumps(b)) == VALUES[::-1]


def test_a_tables_piece_is_read_back_once_for_its_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spill = Spill(tmp_path)
    reads: list[int] = []
    real = Spill.read

    def counting(self: Spill, offset: int, length: int) -> bytes:
        reads.append(offset)
        return real(self, offset, length)

    monkeypatch.setattr(Spill, "read", counting)
    first = spill_columns({"a": PackedColumn.of(VALUES), "b": PackedColumn.of([1, 2])}, spill)
    second = spill_columns({"a": PackedColumn.of([3])}, spill)
    assert first["b"] == [1, 2] and list(first["a"]) == VALUES and second["a"] == [3]
    assert len(reads) == 2  # one read a table, for all its columns
    spill.close()
    col = second["a"]
    assert isinstance(col, PackedColumn)
    for n in range(packed.KEPT_PIECES):  # other tables' pieces read since
        assert spill_columns({"x": PackedColumn.of([n])}, Spill(tmp_path))["x"] == [n]
    with pytest.raises(ValueError, match="nothing was set aside"):  # read again: spill closed
        col.decoded()


@pytest.mark.parametrize(("folder", "above"), [("spill", 0), ("missing", 0), ("spill", 1)])
def test_a_consolidation_sets_the_columns_aside_when_it_may(
    tmp_path: Path, folder: str, above: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a folder to spill to, a large run's columns wait there; without one, or in a run
    of at most LARGE_RUN files, in memory."""
    monkeypatch.setattr(consolidate_module, "LARGE_RUN", above)  # 0: one file is many
    path = write(tmp_path / "a.xlsx", base_tracker())
    (tmp_path / "spill").mkdir()
    settings = Settings()
    read = check_tracker(str(path), settings)
    cache, spill = tmp_path / "cache.sqlite", tmp_path / folder
    for hits in (0, 1):
        run = consolidate([path], settings, as_of=AS_OF, jobs=1, cache_path=cache, spill=spill)
        assert run.cache_hits == hits
        for key, table in run.tables.items():
            for name, column in table.columns.items():
                assert column == read.tables[key].columns[name], (key, name)
        chunks = [c for t in run.tables.values() for col in t.columns.values() for c in col.chunks]
        assert chunks and all(type(c) is PackedColumn for c in chunks)
        aside = folder == "spill" and above == 0
        assert all((c.part >= 0) == aside for c in chunks)  # type: ignore[attr-defined]


@pytest.mark.parametrize("cls", [PackedColumn, TrackerResult])
def test_the_form_of_what_is_pickled_is_part_of_every_cache_entry_s_fingerprint(
    cls: type, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry another build pickled in another form (columns, findings) is a miss, not
    misread."""
    from addin.engine.cache_payload import shape

    now = shape.__wrapped__()
    monkeypatch.setattr(cls, "FORM", 1)
    assert shape.__wrapped__() != now
