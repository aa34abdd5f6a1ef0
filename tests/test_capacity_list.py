"""The PMO's capacity list: its template (pmo new-capacity), reading it, bad values, its place."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from addin.app.resources import capacity_list
from addin.core.capacity import CapacityEntry, Holiday
from addin.core.errors import ConfigError
from addin.core.ours import OutputKind, kind_by_content, skip_reason
from addin.core.rules import RuleId
from addin.core.settings import Settings
from addin.engine.consolidate import consolidate
from addin.engine.discover import discover
from addin.outputs.capacity import write_capacity_list
from addin.read import read_tracker
from tests.builders import AS_OF, poke, write

PEOPLE = [
    CapacityEntry(person="Ann Lee", role="Developer", team="Core", fte=0.8, non_project=0.1),
    CapacityEntry(person="Bob Roy", role="Tester", team="Core", end=dt.date(2027, 3, 31)),
]
HOLIDAYS = [Holiday(date=dt.date(2026, 12, 25), name="Christmas Day")]


def test_new_capacity_writes_a_governed_template(tmp_path: Path) -> None:
    out = tmp_path / "capacity.xlsx"
    done = subprocess.run(
        [sys.executable, "-m", "addin", "new-capacity", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Capacity", "Holidays"]
    ws = wb["Capacity"]
    assert [c.value for c in ws[1]] == [
        "Person",
        "Role",
        "Team",
        "FTE",
        "Start",
        "End",
        "Non-project %",
    ]
    assert ws.protection.sheet and not ws["A2"].protection.locked
    kinds = {str(dv.sqref)[0]: dv.type for dv in ws.data_validations.dataValidation}
    assert kinds["D"] == "decimal" and kinds["E"] == "date"
    again = subprocess.run(
        [sys.executable, "-m", "addin", "new-capacity", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode == 2 and "exists; use --force" in again.stderr


def test_a_capacity_list_reads_back_with_defaults_and_holidays(tmp_path: Path) -> None:
    path = write_capacity_list(tmp_path / "c.xlsx", people=PEOPLE, holidays=HOLIDAYS)
    cap = capacity_list(Settings(), path)
    assert cap is not None
    assert [(m.name, m.fte, m.non_project, m.end) for m in cap.people] == [
        ("Ann Lee", 0.8, 0.1, None),
        ("Bob Roy", 1.0, 0.0, dt.date(2027, 3, 31)),
    ]
    assert cap.holidays == (dt.date(2026, 12, 25),)
    assert cap.findings == ()


def test_bad_values_are_findings_and_the_row_keeps_its_defaults(tmp_path: Path) -> None:
    path = write_capacity_list(tmp_path / "c.xlsx", people=PEOPLE)
    poke(path, {("Capacity", "D2"): "300%", ("Capacity", "F3"): "someday"})
    cap = capacity_list(Settings(), path)
    assert cap is not None
    assert [(f.rule, f.sheet, f.cell) for f in cap.findings] == [
        (RuleId.VALUE_OUT_OF_RANGE, "Capacity", "D2"),
        (RuleId.VALUE_NOT_A_DATE, "Capacity", "F3"),
    ]
    assert [(m.name, m.fte, m.end) for m in cap.people] == [
        ("Ann Lee", 1.0, None),
        ("Bob Roy", 1.0, None),
    ]


def test_a_missing_or_wrong_capacity_list_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"file not found \(make one with `pmo new-capacity"):
        capacity_list(Settings(), tmp_path / "nope.xlsx")
    other = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Not a list"
    wb.save(other)
    with pytest.raises(ConfigError, match="no sheet with a Person column"):
        capacity_list(Settings(), other)
    assert capacity_list(Settings()) is None  # none named, none configured


def test_the_configured_list_is_found_beside_the_pmo_toml(tmp_path: Path) -> None:
    from addin.core.settings import load_settings

    write_capacity_list(tmp_path / "people.xlsx", people=PEOPLE)
    (tmp_path / "pmo.toml").write_text('[resources]\ncapacity = "people.xlsx"\n', encoding="utf-8")
    settings = load_settings(tmp_path / "pmo.toml")
    assert settings.resources.capacity == str(tmp_path / "people.xlsx")
    cap = capacity_list(settings)
    assert cap is not None and len(cap.people) == 2


def test_a_capacity_list_is_never_read_as_a_tracker(tmp_path: Path) -> None:
    path = write_capacity_list(tmp_path / "capacity.xlsx", people=PEOPLE)
    import zipfile

    with zipfile.ZipFile(path) as zf:
        assert kind_by_content(zf) is OutputKind.CAPACITY
    assert skip_reason(OutputKind.CAPACITY, named=True) is not None
    read = read_tracker(path, Settings())
    assert read.status == "skipped" and "capacity list" in read.reason
    write(tmp_path / "plan.xlsx")
    run = consolidate(discover([str(tmp_path)]).files, Settings(), as_of=AS_OF)
    assert [(Path(e.file).name, e.status) for e in run.load_log] == [
        ("capacity.xlsx", "skipped"),
        ("plan.xlsx", "valid"),
    ]


def test_the_committed_sample_capacity_list_equals_a_fresh_one(tmp_path: Path) -> None:
    from addin.demo.staffing import write_sample_capacity
    from tests.conftest import SAMPLES

    committed = SAMPLES.parent / "Sample_Capacity_List.xlsx"
    fresh = write_sample_capacity(tmp_path / "fresh.xlsx")

    def values(path: Path) -> dict[str, list[tuple[object, ...]]]:
        wb = openpyxl.load_workbook(path)
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}

    assert values(committed) == values(fresh)
    cap = capacity_list(Settings(), committed)
    assert cap is not None and len(cap.people) == 32 and len(cap.holidays) == 10
