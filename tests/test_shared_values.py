"""Equal values from many trackers are held once in the main process, and a shared value
is always the very value it replaces (same type, same sign, same everything)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import addin.core.shared_values as sv
import addin.engine.consolidate as engine
from addin.core.cells import RowAddresses
from addin.core.repeated import Consecutive, Repeated
from addin.core.settings import Settings
from addin.core.shared_values import ValuePool
from tests.builders import write_projects


def test_equal_values_become_one_object_per_column() -> None:
    pool = ValuePool()
    a = ["Complete", dt.date(2026, 3, 31), None, "Tasks!B12"]
    b = ["".join(["Comp", "lete"]), dt.date(2026, 3, 31), None, "Tasks!" + "B12"]
    assert a[0] is not b[0] and a[1] is not b[1]
    pool.share("status", a)
    pool.share("status", b)
    assert all(x is y for x, y in zip(a, b, strict=True))
    c = ["".join(["Comp", "lete"])]
    pool.share("another column", c)  # each column has its own pool
    assert c[0] == "Complete" and c[0] is not a[0]


def test_a_column_with_floats_or_bools_is_left_as_it_is() -> None:
    pool = ValuePool()
    pool.share("x", [0.0, 1, True])
    negative_zero = [-0.0, "x"]
    pool.share("x", negative_zero)
    assert str(negative_zero[0]) == "-0.0"
    ones = [1.0, True, 1]
    pool.share("y", [1, 2])
    pool.share("y", ones)
    assert [type(v) for v in ones] == [float, bool, int]


def test_values_of_types_that_never_compare_equal_keep_their_type() -> None:
    pool = ValuePool()
    first: list[Any] = [dt.datetime(2026, 1, 1), "5"]
    pool.share("mixed", first)
    then: list[Any] = [dt.date(2026, 1, 1), "".join("5"), dt.datetime(2026, 1, 1), None]
    pool.share("mixed", then)
    assert [type(v) for v in then] == [dt.date, str, dt.datetime, type(None)]
    assert then[2] is first[0] and then[1] is first[1]
    numbers: list[Any] = [5, 7.5]
    pool.share("mixed", numbers)
    assert numbers == [5, 7.5]


def test_a_column_that_does_not_repeat_stops_pooling(monkeypatch: Any) -> None:
    monkeypatch.setattr(sv, "TRIAL", 100)
    pool = ValuePool()
    first = [f"note {i}" for i in range(60)]
    pool.share("notes", first)
    again = ["".join(["note ", "1"])]
    pool.share("notes", again)
    assert again[0] is first[1]  # not watched long enough yet: still pooled
    pool.share("notes", [f"note {i}" for i in range(60, 120)])
    later = ["".join(["note ", "1"])]
    pool.share("notes", later)
    assert later == ["note 1"] and later[0] is not first[1]  # 121 values, 120 distinct: off
    status = ["Open"] * 150
    pool.share("status", status)
    more = ["".join(["Op", "en"])]
    pool.share("status", more)
    assert more[0] is status[0]  # repeats: stays pooled


def test_a_large_consolidation_holds_each_row_address_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sheet names, row numbers and cell addresses repeat over rows and trackers: a table on
    one sheet holds its sheet's name once for the run, its rows as where they start and how
    many, and its cells' addresses as made when read. (The cell values arrive packed: see
    tests/test_packed.py; tables on several sheets: tests/test_compact_columns.py.)"""
    folder = write_projects(tmp_path, ["PRJ-0401", "PRJ-0402", "PRJ-0403"])
    files = sorted(folder.iterdir())
    monkeypatch.setattr(engine, "LARGE_RUN", 2)  # three files make a large run here
    shared = ValuePool()
    results, *_ = engine.read_all([str(f) for f in files], Settings(), jobs=1, pool=shared)
    tables = [r.tables["Tasks"] for r in results]
    assert all(isinstance(t.sheets, Repeated) and t.sheets[0] == "Tasks" for t in tables)
    assert len({id(t.sheets[0]) for t in tables}) == 1  # one string for every tracker
    assert all(isinstance(t.rows, Consecutive) and len(t.rows) == len(t) > 0 for t in tables)
    # what one template's trackers share: the order of their sheets, their tables' first
    # columns, the column letters of each table
    assert len({id(r.sheet_order) for r in results}) == 1 and "Tasks" in results[0].sheet_order
    assert len({id(r.lefts["Tasks"]) for r in results}) == 1
    assert len({id(r.infos["Tasks"].columns) for r in results}) == 1
    # the names of kinds and fields arrive as new strings in each result: one copy each
    names = [s for r in results for k, t in r.tables.items() for s in (k, t.kind, *t.columns)]
    assert len(names) > 3 * 6 and len({id(s) for s in names}) == len(set(names))
    run = engine.consolidate(files, Settings(), as_of=dt.date(2026, 11, 20), jobs=2)
    tasks = run.table("Tasks")
    assert len(tasks) > 3
    assert all(isinstance(c, RowAddresses) for c in tasks.source_cells.chunks)
    assert all(isinstance(p, Repeated) for p in tasks.project_ids.chunks)
    # and sharing changes nothing a reader sees: the same run as without a pool
    results, *_ = engine.read_all([str(f) for f in files], Settings(), jobs=1)
    plain = engine.assemble(results, Settings(), dt.date(2026, 11, 20))
    assert plain.tables == run.tables and plain.projects == run.projects


def test_a_small_consolidation_holds_its_results_as_they_came(tmp_path: Path) -> None:
    """At most LARGE_RUN files: sharing their values costs more time than the memory it saves
    (0.15 s a 1,000 trackers, for 15 MB)."""
    folder = write_projects(tmp_path, ["PRJ-0401", "PRJ-0402"])
    paths = [str(f) for f in sorted(folder.iterdir())]
    results, *_ = engine.read_all(paths, Settings(), jobs=1, pool=ValuePool())
    tables = [r.tables["Tasks"] for r in results]
    assert tables and all(type(t.rows) is list and type(t.sheets) is list for t in tables)
    assert results[0].sheet_order is not results[1].sheet_order


def test_a_value_by_its_key_is_held_once_while_keys_repeat() -> None:
    pool = ValuePool()
    a, b = {"task_id": "A", "name": "B"}, {"task_id": "A", "name": "B"}
    assert pool.one("Tasks", a, tuple(a.items())) is a
    assert pool.one("Tasks", b, tuple(b.items())) is a  # the first one, for an equal key
    assert pool.one("RAID", b, tuple(b.items())) is b  # each name has its own
    other = {"task_id": "C"}
    assert pool.one("Tasks", other, tuple(other.items())) is other


def test_values_whose_keys_hardly_repeat_stop_being_pooled() -> None:
    pool = ValuePool()
    maps = [{"task_id": f"{i}"} for i in range(sv.ONE_TRIAL)]
    assert all(pool.one("Tasks", m, tuple(m.items())) is m for m in maps)
    again = {"task_id": "0"}
    assert pool.one("Tasks", again, tuple(again.items())) is again  # no longer pooled


def test_a_large_run_keeps_one_column_letter_map_per_kind_and_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_projects(tmp_path, ["PRJ-0101", "PRJ-0102", "PRJ-0103"])
    small = engine.consolidate(sorted(folder.iterdir()), Settings(), as_of=dt.date(2026, 11, 20))
    monkeypatch.setattr(engine, "LARGE_RUN", 2)
    run = engine.consolidate(sorted(folder.iterdir()), Settings(), as_of=dt.date(2026, 11, 20))
    maps = [r.tables["Tasks"].columns for r in run.reports]
    assert len(maps) == 3 and maps[0] == maps[1] == maps[2]
    assert maps[0] is maps[1] is maps[2]
    assert [r.tables["Tasks"].columns for r in small.reports] == maps  # the same, not shared
