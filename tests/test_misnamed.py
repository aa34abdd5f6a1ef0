"""A workbook is read as what its bytes are, whatever its name says.

People save an old ``.xls`` under an ``.xlsx`` name (or the reverse) and Excel opens it
with a warning. Calamine, opened by path, reads a file as its extension says: an ``.xls``
named ``.xlsx`` came out as "damaged workbook archive (invalid Zip archive: Could not
find EOCD)". The reader sniffs what a file is and opens it from its bytes when the name
says something else.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import addin.read.source as source
from addin.core.settings import Settings
from addin.engine.pipeline import check_tracker
from addin.read.source import Workbook
from tests.conftest import CORPUS, SAMPLES

LIMITS = Settings().limits
XLS = CORPUS / "gantt-project-planner_periods.xls"
XLSX = SAMPLES / "CUS-0201_Customer_Portal_v2.xlsx"


def _grids(path: Path) -> dict[str, object]:
    with Workbook(path, LIMITS) as book:
        return {name: book.grid(name) for name in book.worksheets}


@pytest.mark.parametrize("name", ["renamed.xlsx", "renamed.xlsm", "renamed", "renamed.XLS"])
def test_an_xls_reads_the_same_under_any_name(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    shutil.copy(XLS, path)
    assert _grids(path) == _grids(XLS)
    result = check_tracker(path, Settings())
    assert result.status.read_as_tracker, result.reason


@pytest.mark.parametrize("name", ["renamed.xls", "renamed.xlsm", "renamed"])
def test_an_xlsx_reads_the_same_under_any_name_even_without_the_copy(
    tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / name
    shutil.copy(XLSX, path)
    expected = _grids(XLSX)
    assert _grids(path) == expected
    monkeypatch.setattr(source, "lean_copy", lambda zf, sheets, stored=None: None)
    assert _grids(path) == expected  # calamine opens the file itself


def test_a_file_named_as_it_is_is_opened_by_its_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    real = source.calamine.CalamineWorkbook.from_path

    def by_path(path: str) -> object:
        opened.append(path)
        return real(path)

    monkeypatch.setattr(source.calamine.CalamineWorkbook, "from_path", by_path)
    shutil.copy(XLS, tmp_path / "plain.xls")
    shutil.copy(XLS, tmp_path / "renamed.xlsx")
    _grids(tmp_path / "plain.xls")
    _grids(tmp_path / "renamed.xlsx")
    assert opened == [str(tmp_path / "plain.xls")]
