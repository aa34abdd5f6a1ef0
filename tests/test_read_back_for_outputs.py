"""A portfolio read back for the dashboard or the pack reads only what they show (issue 17).

A messy 1,000-project portfolio holds 235,000 findings and 200,000 task rows; `pmo
dashboard` read all of them back (40 s, 1.1 GB) to count the findings of the files no
project was loaded from and to show milestones, risks and lessons. It now reads those
findings only, and the tasks and resource plans only for a resource load that can give
something: the dashboard and the pack it writes are the same.
"""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from addin.app import functions
from addin.app.dashboard import dashboard as write_dashboard
from addin.app.dashboard import load_for_output, load_portfolio
from addin.core.errors import OutputError, UnreadableFileError
from addin.core.findings import FileStatus
from addin.core.settings import Settings
from addin.engine.run import PortfolioRun
from addin.outputs.dashboard import summarise
from addin.outputs.portfolio import read_portfolio, read_portfolio_bounded, write_portfolio
from addin.read import Workbook
from tests.normalise import diff, normalise
from tests.test_dashboard import build_portfolio


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A portfolio with findings of loaded projects and of a file that was not loaded."""
    folder = tmp_path_factory.mktemp("portfolio")
    return write_portfolio(folder / "portfolio.xlsx", build_portfolio(), Settings())


def _unloaded(run: PortfolioRun) -> list[object]:
    loaded = {p.source_file for p in run.projects}
    return [f for f in run.findings if f.file not in loaded]


def test_only_the_findings_of_files_not_loaded_are_read(written: Path) -> None:
    whole = read_portfolio(written)
    counted = read_portfolio(written, findings="unloaded")
    assert counted.findings == _unloaded(whole)
    assert 0 < len(counted.findings) < len(whole.findings)
    assert counted.projects == whole.projects and counted.load_log == whole.load_log
    settings = Settings()
    assert summarise(counted, settings) == summarise(whole, settings)
    assert [(u.file, u.errors) for u in summarise(counted, settings).unloaded] == [
        ("trackers/broken.xlsx", 1)
    ]


def test_the_dashboard_reads_the_rows_it_shows(written: Path, tmp_path: Path) -> None:
    settings = Settings()
    run = load_for_output(written, settings)
    assert set(run.tables) == {"Milestones", "RAID", "Lessons"}  # no tasks, no budget lines
    capacity = tmp_path / "capacity.xlsx"
    capacity.write_bytes(b"")  # named: its owners' load needs the tasks
    named = load_for_output(written, settings, capacity=capacity)
    assert set(named.tables) == {"Milestones", "RAID", "Lessons", "Tasks"}
    previous = load_for_output(written, settings, frozenset(), resources=False)
    assert previous.tables == {} and previous.projects == run.projects


def test_the_dashboard_is_the_one_a_whole_read_gives(written: Path, tmp_path: Path) -> None:
    settings = Settings()
    whole, shown = tmp_path / "whole.xlsx", tmp_path / "shown.xlsx"
    write_dashboard(load_portfolio(written, settings), whole, settings)
    write_dashboard(load_for_output(written, settings), shown, settings)
    assert diff(normalise(whole), normalise(shown)) == []


def test_a_worksheet_function_reads_the_projects_sheet_not_the_rows(
    written: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = _grids_read(monkeypatch)
    monkeypatch.setattr(functions, "_portfolio_cache", {})
    assert functions.project_value(written, "fin-0001", "overall_rag", Settings()) == "Red"
    assert set(read) == {"About", "Projects", "Load Log"}  # no rows, no findings


def _grids_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    read: list[str] = []
    grid = Workbook.grid

    def recorded(self: Workbook, name: str, **kwargs: Any) -> Any:
        read.append(name)
        return grid(self, name, **kwargs)

    monkeypatch.setattr(Workbook, "grid", recorded)
    return read


def test_no_findings_are_read_when_every_file_gave_a_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = build_portfolio()
    run.load_log = [e for e in run.load_log if e.status is not FileStatus.UNREADABLE]
    run.load_log.append(
        replace(run.load_log[0], file="old/portfolio.xlsx", status=FileStatus.SKIPPED)
    )
    run.findings = [f for f in run.findings if f.file != "trackers/broken.xlsx"]
    path = write_portfolio(tmp_path / "portfolio.xlsx", run, Settings())
    read = _grids_read(monkeypatch)
    counted = read_portfolio(path, findings="unloaded")
    assert "Findings" not in read and counted.findings == []  # pmo's own skipped file has none
    assert summarise(counted, Settings()) == summarise(read_portfolio(path), Settings())
    assert "Findings" in read  # the whole read does read them


def test_a_portfolio_is_not_held_to_a_tracker_s_size_limits(written: Path, tmp_path: Path) -> None:
    small = Settings().limits.model_copy(update={"max_file_mb": 0.001, "max_uncompressed_mb": 0.01})
    with pytest.raises(UnreadableFileError, match="refused"):
        Workbook(written, small).close()  # as a tracker, it would be refused
    assert read_portfolio(written, small).projects == read_portfolio(written).projects
    bomb = tmp_path / "bomb.xlsx"
    shutil.copy(written, bomb)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/pad.bin", b"\0" * (8 << 20))  # expands over 1,000 times
    with pytest.raises(OutputError, match="expands"):
        read_portfolio(bomb)


def test_a_sheet_read_once_is_not_held(written: Path) -> None:
    with Workbook(written, Settings().limits) as book:
        once = book.grid("Projects", keep=False)
        again = book.grid("Projects", keep=False)
        assert again is not once and again.rows == once.rows  # read again: nothing was held
        held = book.grid("Projects")
        assert book.grid("Projects") is held


def test_a_portfolio_too_large_for_the_reader_says_what_to_raise(written: Path) -> None:
    hurried = Settings().limits.model_copy(update={"timeout_seconds": 0.001})
    with pytest.raises(OutputError) as raised:
        read_portfolio_bounded(written, hurried)
    assert str(raised.value).startswith(f"{written}: cannot read the portfolio (timed out")
    assert str(raised.value).endswith(
        "; to read one this large, raise [limits] worker_memory_mb and timeout_seconds in pmo.toml"
    )
