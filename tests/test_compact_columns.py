"""Columns a run holds for every row, held as a few values: one value repeated (a row's
Project ID) and the addresses of rows one after another (its source cell) read exactly as
the lists they stand for (issue 17: main memory that does not grow by a string a row)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from addin.app.consolidate import consolidate
from addin.core.cells import RowAddresses
from addin.core.chunked import Chunked
from addin.core.repeated import Consecutive, Repeated
from addin.core.settings import Settings
from addin.core.shared_values import ValuePool
from addin.engine.assemble import source_cells
from addin.engine.cache_payload import dumps, loads
from addin.engine.consolidate import share_values
from addin.engine.pipeline import check_tracker
from tests.builders import base_tracker, write, write_projects
from tests.slices import SLICES

ADDRESSES = [f"'Q3 Plan'!C{row}" for row in range(12, 21)]


@pytest.mark.parametrize(
    ("view", "same"),
    [
        (Repeated("PRJ-0101", 9), ["PRJ-0101"] * 9),
        (Repeated(None, 9), [None] * 9),
        (RowAddresses("'Q3 Plan'!C", 12, 9), ADDRESSES),
    ],
    ids=["a Project ID", "nothing", "addresses"],
)
def test_it_reads_as_its_list(view: Repeated[str | None] | RowAddresses, same: list[str]) -> None:
    assert list(view) == same and len(view) == len(same)
    assert [view[i] for i in range(-9, 9)] == [same[i] for i in range(-9, 9)]
    for part in SLICES:
        assert view[part] == same[part] and type(view[part]) is list
    assert view == same and same == view and view != same[:-1] and view != [*same[:-1], "x"]
    assert Chunked([view, same]) == same + same
    with pytest.raises(IndexError):
        view[9]


def test_numbers_counting_up_read_as_their_list() -> None:
    view, same = Consecutive(11, 9), list(range(11, 20))
    assert list(view) == same and [view[i] for i in range(-9, 9)] == [same[i] for i in range(-9, 9)]
    for part in SLICES:
        assert view[part] == same[part] and type(view[part]) is list
    assert view == same and same == view and view != list(range(11, 19))
    assert Consecutive.of(same) == view and Consecutive.of([3, 4, 6]) is None
    assert Consecutive.of([None, 1]) is None and Consecutive.of([]) is None
    assert Consecutive.of([True, 2]) is None  # a bool is no row number


def test_they_pickle_as_the_plain_lists_the_cache_accepts() -> None:
    for view in (Repeated("Tasks", 3), Consecutive(4, 3), Repeated(None, 0)):
        back = loads(dumps(view))
        assert type(back) is list and back == list(view)


def test_nothing_repeated_and_no_rows_are_empty() -> None:
    assert (
        Repeated("x", 0) == [] and Repeated("x", -3) == [] and list(RowAddresses("A!B", 2, 0)) == []
    )


def test_rows_one_after_another_on_one_sheet_are_addresses_others_a_list(tmp_path: Path) -> None:
    result = check_tracker(write(tmp_path / "t.xlsx", base_tracker()), Settings())
    cells = source_cells(result, "Tasks")
    assert isinstance(cells, RowAddresses)
    rows = result.tables["Tasks"].rows
    assert list(cells) == [f"Tasks!A{r + 1}" for r in rows]  # type: ignore[operator]
    rows[1] = rows[1] + 5  # type: ignore[operator]  # a gap: a table's blank rows skipped
    gapped = source_cells(result, "Tasks")
    assert type(gapped) is list and gapped[1] == f"Tasks!A{rows[1] + 1}"  # type: ignore[operator]


def test_a_table_on_several_sheets_or_with_gaps_keeps_its_lists(tmp_path: Path) -> None:
    result = check_tracker(write(tmp_path / "t.xlsx", base_tracker()), Settings())
    tasks = result.tables["Tasks"]
    tasks.rows = [tasks.rows[0], *(r + 1 for r in tasks.rows[1:])]  # type: ignore[operator]
    tasks.sheets = ["Tasks", *(["Tasks (2)"] * (len(tasks) - 1))]
    share_values(result, ValuePool())
    assert type(tasks.rows) is list and type(tasks.sheets) is list
    milestones = result.tables["Milestones"]
    assert isinstance(milestones.rows, Consecutive) and isinstance(milestones.sheets, Repeated)
    cells = source_cells(result, "Tasks")
    assert type(cells) is list and cells[1] == f"'Tasks (2)'!A{tasks.rows[1] + 1}"  # type: ignore[operator]


def test_entries_stored_from_compact_tables_pass_every_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stored by one user, read by another (whose key does not verify them): every entry
    is checked field by field, and is a hit."""
    (tmp_path / "in").mkdir()
    folder = write_projects(tmp_path / "in", ["PRJ-0101", "PRJ-0102"])
    files, cache = sorted(folder.iterdir()), tmp_path / "c.sqlite"
    monkeypatch.setenv("PMO_HOME", str(tmp_path / "someone"))
    first = consolidate(files, Settings(), as_of=dt.date(2026, 11, 20), jobs=1, cache=cache)
    monkeypatch.setenv("PMO_HOME", str(tmp_path / "me"))
    again = consolidate(files, Settings(), as_of=dt.date(2026, 11, 20), jobs=1, cache=cache)
    assert again.cache_hits == len(files) and "map" not in again.phases.workers
    assert again.tables == first.tables and again.projects == first.projects


def test_a_run_s_rows_name_their_projects_and_cells_as_before(tmp_path: Path) -> None:
    folder = write_projects(tmp_path, ["PRJ-0101", "PRJ-0102"])
    run = consolidate(sorted(folder.iterdir()), Settings(), as_of=dt.date(2026, 11, 20), jobs=1)
    tasks = run.tables["Tasks"]
    by_file = {s[0]: s[1] for s in tasks.spans}
    assert len(tasks) == sum(by_file.values()) > 0
    expected_ids = [p.project_id for p in run.projects for _ in range(by_file[p.source_file])]
    assert list(tasks.project_ids) == expected_ids
    assert all(c.startswith("Tasks!A") for c in tasks.source_cells)
