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
from addin.core.repeated import Repeated
from addin.core.settings import Settings
from addin.engine.assemble import source_cells
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


def test_a_run_s_rows_name_their_projects_and_cells_as_before(tmp_path: Path) -> None:
    folder = write_projects(tmp_path, ["PRJ-0101", "PRJ-0102"])
    run = consolidate(sorted(folder.iterdir()), Settings(), as_of=dt.date(2026, 11, 20), jobs=1)
    tasks = run.tables["Tasks"]
    by_file = {s[0]: s[1] for s in tasks.spans}
    assert len(tasks) == sum(by_file.values()) > 0
    expected_ids = [p.project_id for p in run.projects for _ in range(by_file[p.source_file])]
    assert list(tasks.project_ids) == expected_ids
    assert all(c.startswith("Tasks!A") for c in tasks.source_cells)
