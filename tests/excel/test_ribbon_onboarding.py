"""The ribbon's Inspect and Adopt buttons, through the file backend (no Excel needed)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import openpyxl
import pytest

import addin.excel.ribbon as ribbon
from addin.core.settings import Settings
from addin.excel.book import CONFIG_ENV, FileHost
from addin.read import read_tracker
from tests.sheetbook import book

D = dt.date


@pytest.fixture(autouse=True)
def _no_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(CONFIG_ENV, raising=False)


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    return book(
        tmp_path / "Plan.xlsx",
        {
            "Plan": [
                ["Task Title", "Start Date", "End Date", "Owner"],
                ["Design", D(2026, 1, 5), D(2026, 2, 1), "Ann"],
            ],
            "Scratch": [["a", "b", "c"], ["1", "2", "3"], ["4", "5", "6"]],
        },
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_inspect_opens_the_full_report_and_says_what_was_read(tracker: Path) -> None:
    before = digest(tracker)
    host = FileHost(tracker)
    text = ribbon.dispatch("pmoInspect", host=host)
    assert digest(tracker) == before
    assert "1 sheet read: Plan (Tasks)" in text
    (report,) = host.opened
    lines = [c.value for c in openpyxl.load_workbook(report)["Inspect"]["A"]]
    assert "Tasks on 'Plan': header row 1, 1 rows" in [str(v).strip() for v in lines]
    assert "[[mapping]]" in lines
    assert report.parent != tracker.parent  # nothing written beside the tracker


def test_adopt_writes_the_adopted_tracker_beside_it_and_opens_it(tracker: Path) -> None:
    before = digest(tracker)
    host = FileHost(tracker)
    text = ribbon.dispatch("pmoAdopt", host=host)
    assert digest(tracker) == before
    out = tracker.with_name("Plan.adopted.xlsx")
    assert host.opened == [out]
    assert "Tasks 1" in text and "Adoption sheet" in text
    assert read_tracker(out, Settings()).tracker.table("Tasks").columns["task_name"] == ["Design"]
    again = ribbon.dispatch("pmoAdopt", host=FileHost(tracker))
    assert "Plan.adopted (2).xlsx" in again  # never replaces a file


def test_both_need_a_saved_workbook() -> None:
    for button in ("pmoInspect", "pmoAdopt"):
        assert "Open a project tracker" in ribbon.dispatch(button, host=FileHost())
