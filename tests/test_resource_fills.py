"""Resource plans drawn in cell colour (issue 12, round 4): fills read on demand, amounts unknown.

Each workbook is built here with openpyxl (a fill on an empty cell is written as a styled
empty cell, ``<c r="B3" s="2"/>``, that calamine never reports).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import PatternFill

from addin.core.kinds import Allocation
from addin.core.rules import RuleId
from addin.core.settings import Settings
from addin.ooxml.fills import Area, sheet_fills, style_fills
from addin.read import read_tracker
from addin.read.result import ReadResult

GREEN = PatternFill("solid", fgColor="FF92D050")
WHITE = PatternFill("solid", fgColor="FFFFFFFF")
BLUE = PatternFill("solid", fgColor="FFB4C6E7")
GREY = PatternFill("solid", fgColor="FFD9D9D9")

PROJECT = [
    ["Project ID", "PRJ-0042"],
    ["Project Name", "Portal"],
    ["Status Date", dt.datetime(2027, 1, 18)],
    ["Start Date", dt.datetime(2027, 1, 4)],
]
MONTHS = ["Jan-27", "Feb-27", "Mar-27", "Apr-27"]


def _sheet(wb: Workbook, name: str, cells: dict[str, Any], fills: dict[str, PatternFill]) -> None:
    ws = wb.create_sheet(name)
    for ref, value in cells.items():
        ws[ref] = value
    for ref, fill in fills.items():
        ws[ref].fill = fill


def _plan(ws_cells: dict[str, Any], fills: dict[str, PatternFill], top: int = 1) -> None:
    """Person | Jan-27 .. Apr-27 at row ``top``, header filled blue."""
    ws_cells[f"A{top}"] = "Resource Name"
    for j, month in enumerate(MONTHS):
        ws_cells[f"{'BCDE'[j]}{top}"] = month
        fills[f"{'BCDE'[j]}{top}"] = BLUE
    fills[f"A{top}"] = BLUE


def _save(path: Path, build: dict[str, tuple[dict[str, Any], dict[str, PatternFill]]]) -> Path:
    wb = Workbook()
    project = wb.active
    assert project is not None
    project.title = "Project"
    for row in PROJECT:
        project.append(row)
    for name, (cells, fills) in build.items():
        _sheet(wb, name, cells, fills)
    wb.save(path)
    return path


def _drawn_plan() -> tuple[dict[str, Any], dict[str, PatternFill]]:
    cells: dict[str, Any] = {}
    fills: dict[str, PatternFill] = {}
    _plan(cells, fills)
    cells.update({"A2": "Ann Lee", "A3": "Bob Roy", "A4": "Cy Dee"})
    fills.update({"B2": GREEN, "C2": GREEN, "D2": WHITE, "E2": WHITE})  # Ann: Jan, Feb
    fills.update({"B3": WHITE, "C3": WHITE, "D3": GREEN, "E3": GREEN})  # Bob: Mar, Apr
    fills.update({"A4": GREY, "B4": GREY, "C4": GREY, "D4": GREY, "E4": GREY})  # a banded row
    return cells, fills


def _resources(read: ReadResult) -> list[Allocation]:
    return [r for r in read.tracker.rows("Resources") if isinstance(r, Allocation)]


def test_a_plan_drawn_in_colour_gives_who_and_when_with_no_amount(tmp_path: Path) -> None:
    path = _save(tmp_path / "drawn.xlsx", {"Resources": _drawn_plan()})
    read = read_tracker(path, Settings())
    got = [(r.person, r.period, r.planned, r.actual, r.fte) for r in _resources(read)]
    assert got == [  # white cells and the grey banded row are no allocation
        ("Ann Lee", dt.date(2027, 1, 1), None, None, None),
        ("Ann Lee", dt.date(2027, 2, 1), None, None, None),
        ("Bob Roy", dt.date(2027, 3, 1), None, None, None),
        ("Bob Roy", dt.date(2027, 4, 1), None, None, None),
    ]
    info = read.tables["Resources"]
    assert info.columns == {"Person": "A", "Period": "B:E"}  # no amount column was read
    drawn = [f for f in read.findings if f.rule == RuleId.RESOURCE_DRAWN_IN_COLOUR.value]
    assert [(f.sheet, f.cell) for f in drawn] == [("Resources", "B2")]
    assert "4 period cells of B2:E3 (2 rows)" in drawn[0].message
    assert "unknown" in drawn[0].message
    assert not [f for f in read.findings if f.rule == RuleId.RESOURCE_NOT_READ.value]


def test_a_gantt_in_colour_is_not_a_resource_plan(tmp_path: Path) -> None:
    """Bars under month headers beside a Task column are tasks, even on a 'Resource' sheet."""
    gantt: dict[str, Any] = {"A1": "Task"}
    bars: dict[str, PatternFill] = {}
    for j, month in enumerate(MONTHS):
        gantt[f"{'BCDE'[j]}1"] = month
    gantt.update({"A2": "Design", "A3": "Build"})
    bars.update({"B2": GREEN, "C3": GREEN, "D3": GREEN})
    path = _save(
        tmp_path / "gantt.xlsx",
        {"Resources": _drawn_plan(), "Resource Schedule": (gantt, bars)},
    )
    read = read_tracker(path, Settings())
    assert {r.person for r in _resources(read)} == {"Ann Lee", "Bob Roy"}
    assert {r.sheet for r in _resources(read)} == {"Resources"}
    reasons = [f.message for f in read.findings if f.rule == RuleId.RESOURCE_NOT_READ.value]
    assert [f.sheet for f in read.findings if f.rule == RuleId.RESOURCE_NOT_READ.value] == [
        "Resource Schedule"
    ]
    assert "hold no amounts" in reasons[0]


def test_stacked_plan_and_actual_grids_are_both_read(tmp_path: Path) -> None:
    """'Plan' above the first header, 'Actual' above the second: days go to Planned, Actual."""
    cells: dict[str, Any] = {"A1": "Plan"}
    fills: dict[str, PatternFill] = {}
    _plan(cells, fills, top=2)
    cells.update({"A3": "Ann Lee", "B3": 5, "C3": 6, "A4": "Bob Roy", "B4": 2})
    cells["A6"] = "Actual"
    _plan(cells, fills, top=7)
    cells.update({"A8": "Ann Lee", "B8": 4, "A9": "Bob Roy", "B9": 3})
    path = _save(tmp_path / "stacked.xlsx", {"Resource Plan": (cells, fills)})
    read = read_tracker(path, Settings())
    got = [(r.person, r.period, r.planned, r.actual) for r in _resources(read)]
    jan, feb = dt.date(2027, 1, 1), dt.date(2027, 2, 1)
    assert got == [
        ("Ann Lee", jan, 5.0, None),
        ("Ann Lee", feb, 6.0, None),
        ("Bob Roy", jan, 2.0, None),
        ("Ann Lee", jan, None, 4.0),
        ("Bob Roy", jan, None, 3.0),
    ]
    parts = read.tables["Resources"].parts
    assert [(p.header_row, p.rows) for p in parts] == [(1, 3), (6, 2)]
    assert parts[1].columns["Actual"] == "B:E"


def test_relative_weeks_drawn_without_labels_are_a_table_with_no_record(tmp_path: Path) -> None:
    """SOLL / IST grids of semester weeks, rows with no name: found, counted, not placed."""
    cells: dict[str, Any] = {"A1": "SOLL", "A8": "IST"}
    fills: dict[str, PatternFill] = {}
    for j in range(4):
        cells[f"{'ABCD'[j]}2"] = f"SW {j + 1}"
        cells[f"{'ABCD'[j]}9"] = f"SW {j + 1}"
    for r in (3, 4, 5):
        for col in "ABCD":
            fills[f"{col}{r}"] = GREEN
    fills.update({"A10": GREEN, "B10": GREEN})
    path = _save(tmp_path / "weeks.xlsx", {"Ressourcenplanung": (cells, fills)})
    read = read_tracker(path, Settings())
    assert _resources(read) == []
    parts = read.tables["Resources"].parts
    assert [(p.header_row, p.rows, p.columns) for p in parts] == [
        (1, 3, {"Period": "A:D"}),
        (8, 1, {"Period": "A:D"}),
    ]
    drawn = [f for f in read.findings if f.rule == RuleId.RESOURCE_DRAWN_IN_COLOUR.value]
    assert [f.cell for f in drawn] == ["A3", "A10"]
    assert "rows 3-5 name no person or role" in drawn[0].message
    assert "time worked" in drawn[1].message  # the IST grid's title says actuals
    placed = [f for f in read.findings if f.rule == RuleId.RESOURCE_NOT_READ.value]
    assert all("numbered weeks with no dates" in f.message for f in placed) and len(placed) == 2


def _patch(path: Path, member: str, change: Any) -> Path:
    """Rewrite one zip member of a workbook through ``change(bytes) -> bytes``."""
    data = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            body = src.read(info)
            out.writestr(info, change(body) if info.filename == member else body)
    path.write_bytes(data.getvalue())
    return path


def test_a_style_index_out_of_range_is_no_fill_not_a_crash(tmp_path: Path) -> None:
    path = _save(tmp_path / "bad-s.xlsx", {"Resources": _drawn_plan()})
    with zipfile.ZipFile(path) as zf:
        sheet = next(n for n in zf.namelist() if n.endswith("sheet2.xml"))
    # Ann's green cells point at a style that does not exist; Bob's stay green
    _patch(path, sheet, lambda b: re.sub(rb'(<c r="[BC]2") s="\d+"', rb'\1 s="99999"', b))
    read = read_tracker(path, Settings())
    assert {(r.person, r.period) for r in _resources(read)} == {
        ("Bob Roy", dt.date(2027, 3, 1)),
        ("Bob Roy", dt.date(2027, 4, 1)),
    }


def test_hostile_or_broken_styles_give_no_fills() -> None:
    assert style_fills(b'<!DOCTYPE x [<!ENTITY a "aaaa">]><styleSheet/>') is None
    assert style_fills(b"<styleSheet><fills><fill>") is None
    assert style_fills(b"\x00\x01 not xml") is None
    ok = (
        b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<fills count="3"><fill><patternFill patternType="none"/></fill>'
        b'<fill><patternFill patternType="gray125"/></fill>'
        b'<fill><patternFill patternType="solid"><fgColor theme="4"/></patternFill></fill>'
        b'</fills><cellXfs count="3"><xf fillId="0"/><xf fillId="2"/><xf fillId="77"/>'
        b"</cellXfs></styleSheet>"
    )
    xfs = style_fills(ok)
    assert xfs == ["", "theme:4", ""]  # a fill id out of range is no fill
    sheet = (
        b'<worksheet><sheetData><row r="2"><c r="B2" s="1"/><c s="1"/><c r="D2" s="x"/>'
        b'<c r="E2" s="2"/></row><row><c r="B3" s="1"/></row></sheetData></worksheet>'
    )
    got = sheet_fills(io.BytesIO(sheet), xfs, Area(0, 10, 0, 10))
    assert got == {(1, 1): "theme:4", (1, 2): "theme:4", (2, 1): "theme:4"}


def test_no_fill_is_read_for_a_plan_that_holds_values(tmp_path: Path, monkeypatch: Any) -> None:
    """The hot path: a plan with amounts never opens the styles."""
    import addin.read.source as source

    cells: dict[str, Any] = {}
    fills: dict[str, PatternFill] = {}
    _plan(cells, fills)
    cells.update({"A2": "Ann Lee", "B2": 5, "C2": 3})
    path = _save(tmp_path / "values.xlsx", {"Resources": (cells, fills)})
    calls: list[str] = []
    real = source.Workbook.fills

    def spy(self: Any, name: str, area: Area) -> Any:
        calls.append(name)
        return real(self, name, area)

    monkeypatch.setattr(source.Workbook, "fills", spy)
    read = read_tracker(path, Settings())
    assert [r.planned for r in _resources(read)] == [5.0, 3.0]
    assert calls == []


def test_an_allocation_drawn_in_colour_is_unknown_load_never_zero() -> None:
    """Ann is staffed in January by a plan drawn in colour (no amount), Bob by 5 days."""
    from addin.resources import plan_resources
    from tests.test_resource_load import CAPACITY, JAN, portfolio

    drawn = {"person": "Ann Lee", "period": JAN, "planned": None, "fte": None}
    known = {"person": "Bob Roy", "period": JAN, "planned": 5.0, "fte": None}
    task = {
        "owner": "Ann Lee",
        "planned_start": JAN,
        "planned_finish": dt.date(2027, 1, 29),
        "effort": None,
        "status": "In Progress",
    }
    run = portfolio(resources=[("P1", drawn), ("P1", known)], tasks=[("P1", task)])
    load = plan_resources(run, Settings(), CAPACITY, kind=None)
    ann, bob = load.person("Ann Lee"), load.person("Bob Roy")
    assert ann is not None and bob is not None
    jan = ann.at(JAN)
    assert jan is not None and jan.unknown and jan.demand == 0.0
    assert jan.utilisation is None  # unknown, not 0 % (and not Ann's task at default load)
    bob_jan = bob.at(JAN)
    assert bob_jan is not None and not bob_jan.unknown and bob_jan.utilisation
