"""A table longer than a sheet continues on ``Tasks (2)`` ...: every row kept, in order.

Excel's 1,048,576 rows are lowered to a few (``sheet_pages.MAX_SHEET_ROWS``) so a
handful of small trackers overflow every table; the continued workbook must hold
exactly the rows of a workbook written in one sheet per table, each sheet a complete
table that openpyxl, calamine and LibreOffice read.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from pathlib import Path
from typing import Any

import pytest
import python_calamine as calamine
from openpyxl import load_workbook

from addin.core.kinds import TABLE_KEYS
from addin.core.settings import Settings
from addin.engine.consolidate import consolidate
from addin.engine.run import PortfolioRun
from addin.outputs.portfolio import pages as sheet_pages
from addin.outputs.portfolio import read_portfolio, write_portfolio
from addin.outputs.portfolio.writer import _build
from tests.builders import base_project, base_tracker, write
from tests.soffice import SOFFICE, convert

AS_OF = dt.date(2026, 11, 20)
CAP = 4
TABLES = ("Projects", *TABLE_KEYS, "Findings", "Load Log")


@pytest.mark.parametrize("seed", range(20))
def test_rows_are_cut_into_full_sheets_in_order(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheet_pages, "MAX_SHEET_ROWS", 3)
    rows = list(range(random.Random(seed).randint(0, 20)))
    pages = sheet_pages.split(rows)
    assert [r for page in pages for r in page] == rows
    assert len(pages) == sheet_pages.sheet_count(len(rows)) == max(1, -(-len(rows) // 3))
    assert all(len(page) == 3 for page in pages[:-1]) and len(pages[-1]) <= 3
    titles = sheet_pages.titles("Tasks", len(rows))
    assert titles[0] == "Tasks" and titles[1:] == [f"Tasks ({i})" for i in range(2, len(pages) + 1)]
    assert sheet_pages.continued("Tasks", [*titles, "Tasks (99)"]) == titles


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> PortfolioRun:
    """Three projects, two stale copies of one (duplicate IDs) and an unreadable file."""
    folder = tmp_path_factory.mktemp("trackers")
    for i in range(1, 4):
        write(folder / f"p{i}.xlsx", base_tracker(project=base_project(project_id=f"PRJ-000{i}")))
    for i in range(2):
        old = base_project(project_id="PRJ-0001", status_date=dt.date(2026, 10, 1 + i))
        write(folder / f"old{i}.xlsx", base_tracker(project=old))
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04 cut short")
    files = sorted(folder.iterdir())
    return consolidate(files, Settings(), as_of=AS_OF, jobs=2)


def _rounded(grid: list[list[Any]]) -> list[list[Any]]:
    return [[float(f"{v:.12g}") if isinstance(v, float) else v for v in row] for row in grid]


def _grid(path: Path, sheet: str) -> list[list[Any]]:
    return calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


@pytest.mark.parametrize("fast", [True, False], ids=["spliced", "xlsxwriter"])
def test_long_tables_continue_on_more_sheets_and_lose_nothing(
    run: PortfolioRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fast: bool
) -> None:
    settings = Settings()
    whole = write_portfolio(tmp_path / "whole.xlsx", run, settings, fast=fast)
    monkeypatch.setattr(sheet_pages, "MAX_SHEET_ROWS", CAP)
    cut = write_portfolio(tmp_path / "cut.xlsx", run, settings, fast=fast)

    book = calamine.CalamineWorkbook.from_path(str(cut))
    lengths = {t: len(_grid(whole, t)) - 1 for t in TABLES}
    assert lengths["Tasks"] > 2 * CAP and lengths["Findings"] > CAP and lengths["Load Log"] > CAP
    expected_sheets: list[str] = []
    for title in TABLES:
        n = -(-lengths[title] // CAP) or 1
        expected_sheets += [title, *(f"{title} ({i})" for i in range(2, n + 1))]
    assert book.sheet_names == [*expected_sheets, "About"]

    for title in TABLES:
        header, *rows = _grid(whole, title)
        joined: list[list[Any]] = []
        for name in sheet_pages.continued(title, book.sheet_names):
            head, *part = _grid(cut, name)
            assert head == header, name  # every sheet has the whole header row
            assert 0 < len(part) <= CAP or (len(part) == 0 and not rows), name
            joined += part
        assert joined == rows, title  # every row, in order

    about = {r[0]: r[1] for r in _grid(cut, "About") if r and r[0]}
    assert about["Continued Sheets"].startswith("Tasks on ")
    assert "Load Log (2)" in about["Continued Sheets"]
    assert "Projects on" not in about["Continued Sheets"]  # 3 projects fit in one sheet
    assert "Continued Sheets" not in {r[0] for r in _grid(whole, "About") if r}

    # Each sheet is a table of its own, over exactly its rows, formatted like the first.
    wb = load_workbook(cut)
    first = wb["Tasks"]
    for name in sheet_pages.continued("Tasks", book.sheet_names):
        ws = wb[name]
        (table,) = ws.tables.values()
        assert table.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
        assert table.autoFilter is not None and table.autoFilter.ref == table.ref
        assert table.displayName == "tbl" + name.replace(" ", "").replace("(", "").replace(")", "")
        assert ws.freeze_panes == first.freeze_panes
        assert ws.print_title_rows == first.print_title_rows is not None
        columns = {k: (d.width, d.number_format) for k, d in ws.column_dimensions.items()}
        assert columns == {
            k: (d.width, d.number_format) for k, d in first.column_dimensions.items()
        }
        assert "dd/mm/yyyy" in {f for _, f in columns.values()}
    names = [t.displayName for ws in wb.worksheets for t in ws.tables.values()]
    assert len(names) == len(set(names))

    # What `pmo dashboard` reads back is the same, continued or not.
    assert read_portfolio(cut) == read_portfolio(whole)


@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_opens_every_continuation_sheet(
    run: PortfolioRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sheet_pages, "MAX_SHEET_ROWS", CAP)
    cut = write_portfolio(tmp_path / "cut.xlsx", run, Settings())
    (tmp_path / "lo").mkdir()
    again = convert(cut, "xlsx", tmp_path / "lo")
    mine = calamine.CalamineWorkbook.from_path(str(cut))
    theirs = calamine.CalamineWorkbook.from_path(str(again))
    assert theirs.sheet_names == mine.sheet_names
    for name in mine.sheet_names:
        if name != "About":  # LibreOffice keeps 15 significant digits of a number
            assert _rounded(_grid(again, name)) == _rounded(_grid(cut, name)), name
    assert read_portfolio(again).tables["RAID"] == read_portfolio(cut).tables["RAID"]


@pytest.mark.parametrize("seed", range(10))
def test_a_window_reads_as_the_slice_it_stands_for(seed: int) -> None:
    rnd = random.Random(seed)
    base = [rnd.random() for _ in range(rnd.randint(0, 12))]
    start = rnd.randint(0, len(base))
    stop = rnd.randint(start, len(base) + 3)
    view, copy = sheet_pages.Window(base, start, stop), base[start:stop]
    assert len(view) == len(copy) and list(view) == copy
    assert [view[i] for i in range(-len(copy), len(copy))] == copy[-len(copy) :] + copy
    cuts = (slice(None), slice(1, -1), slice(None, None, 2), slice(-3, None), slice(5, 1))
    for cut in (*cuts, slice(None, None, -1), slice(-2, 0, -2), slice(100, -100, -3)):
        assert view[cut] == copy[cut] and type(view[cut]) is list
    with pytest.raises(IndexError):
        view[len(copy)]
    with pytest.raises(IndexError):
        view[-len(copy) - 1]
    assert sheet_pages.window(base, 0, len(base)) is base  # all of it: no window at all


def test_the_data_sheets_are_written_from_the_runs_own_columns(run: PortfolioRun) -> None:
    """One sheet per table: the writer hands the run's column lists on, never a copy."""
    sheets = {s.title: s for s in _build(io.BytesIO(), run, Settings(), fast=True)}
    tasks = run.table("Tasks")
    assert len(tasks) > 0
    assert sheets["Tasks"].columns[0] is tasks.project_ids
    assert any(c is tasks.columns["task_name"] for c in sheets["Tasks"].columns)
