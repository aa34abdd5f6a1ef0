"""Annotation: findings written into the workbook, nothing the project manager made lost."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter

from addin.core.errors import OutputError
from addin.core.settings import Settings
from addin.engine.validate import read_and_check
from addin.excel.vba.project import Module, VbaProject
from addin.outputs.annotate import (
    MARK_FORMULA,
    NOTE_MARKER,
    VALIDATION_TITLE,
    annotate_file,
    plan,
)
from addin.outputs.backup import backup_path
from tests.builders import AS_OF, base_tracker, write


def _tracker_with_extras(path: Path, *, vba: bytes | None = None) -> Path:
    """A tracker a PM customised: formulas, validation, conditional format, names, table, notes."""
    wb = xlsxwriter.Workbook(str(path))
    wb.set_vba_name("ThisWorkbook")
    ws = wb.add_worksheet("Project")
    ws.set_vba_name("Sheet1")
    labels = ["Project ID", "Project Name", "Sponsor", "Project Manager", "Phase", "Status Date"]
    values: list[Any] = ["PRJ-0042", "Portal", "Ann", "Bob", "Delivering", None]
    for r, (label, value) in enumerate(zip(labels, values, strict=True)):
        ws.write_string(r, 0, label)
        if value is not None:
            ws.write_string(r, 1, value)
    ws.write_formula(5, 1, "=DATE(2026,11,16)", wb.add_format({"num_format": "dd/mm/yyyy"}), 46342)
    ws.write_comment(0, 1, "PM's own note: ID agreed with finance")
    tasks = wb.add_worksheet("Tasks")
    tasks.set_vba_name("Sheet2")
    tasks.add_table(
        0,
        0,
        2,
        4,
        {
            "name": "MyTasks",
            "columns": [
                {"header": h}
                for h in ("Task ID", "Task Name", "Planned Start", "Planned Finish", "Days")
            ],
            "data": [
                ["T1", "Build", "01/03/2026", "01/02/2026"],
                ["T2", "Test", "01/03/2026", "31/03/2026"],
            ],
        },
    )
    tasks.write_formula(1, 4, "=D2-C2", None, 0)
    tasks.data_validation("B2:B3", {"validate": "length", "criteria": "<", "value": 80})
    tasks.conditional_format(
        "C2:C3",
        {"type": "cell", "criteria": ">", "value": 0, "format": wb.add_format({"bold": True})},
    )
    wb.define_name("PlanStart", "=Tasks!$C$2")
    if vba is not None:
        wb.add_vba_project(io.BytesIO(vba), is_stream=True)  # type: ignore[arg-type]
    wb.close()
    return path


def _vba() -> bytes:
    source = (
        'Attribute VB_Name = "Helpers"\r\n'
        "Public Function Twice(x)\r\n    Twice = 2 * x\r\nEnd Function\r\n"
    )
    return VbaProject("PMTracker", (Module.from_bas(source),)).to_bytes()


def _snapshot(path: Path) -> dict[str, Any]:
    wb = openpyxl.load_workbook(path, keep_vba=path.suffix == ".xlsm")
    out: dict[str, Any] = {"names": sorted((n, d.attr_text) for n, d in wb.defined_names.items())}
    for ws in wb.worksheets:
        if ws["A1"].value == VALIDATION_TITLE:
            continue
        out[ws.title] = {
            "cells": {
                c.coordinate: (c.value, c.number_format)
                for row in ws.iter_rows()
                for c in row
                if c.value is not None
            },
            "validations": sorted(
                (str(dv.sqref), dv.type, dv.operator, dv.formula1)
                for dv in ws.data_validations.dataValidation
            ),
            "conditional": sorted(
                (str(cf.sqref), r.type, tuple(r.formula or ()))
                for cf in ws.conditional_formatting
                for r in cf.rules
                if MARK_FORMULA not in (r.formula or [])
            ),
            "tables": sorted((t.name, t.ref) for t in ws.tables.values()),
            "comments": {
                c.coordinate: c.comment.text.partition(NOTE_MARKER)[0].strip()
                for row in ws.iter_rows()
                for c in row
                if c.comment is not None and c.comment.text.partition(NOTE_MARKER)[0].strip()
            },
        }
    return out


def _marks(path: Path) -> set[tuple[str, str]]:
    wb = openpyxl.load_workbook(path)
    return {
        (ws.title, str(cf.sqref))
        for ws in wb.worksheets
        for cf in ws.conditional_formatting
        for r in cf.rules
        if MARK_FORMULA in (r.formula or [])
    }


def test_annotated_copy_keeps_everything_and_marks_every_cell_finding(tmp_path: Path) -> None:
    original = _tracker_with_extras(tmp_path / "plan.xlsx")
    before = original.read_bytes()
    _, report = read_and_check(original, Settings(), as_of=AS_OF)
    out = annotate_file(original, report.findings)
    assert out == tmp_path / "plan.checked.xlsx"
    assert original.read_bytes() == before  # the tracker itself is untouched
    assert _snapshot(out) == _snapshot(original)
    # formula results survive (openpyxl alone would save the Status Date formula without one)
    import python_calamine as calamine

    grid = calamine.CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Project").to_python()
    assert str(grid[5][1]) == "2026-11-16"
    cells = {(f.sheet, f.cell) for f in report.findings if f.cell}
    assert _marks(out) == cells
    assert ("Tasks", "D2") in cells and ("Project", "B5") in cells  # finish before start; bad phase
    wb = openpyxl.load_workbook(out)
    assert wb["Project"]["B1"].comment.text.startswith("PM's own note")  # kept, ours appended
    sheet = wb["Validation"]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=5)]
    assert [(r[1], r[2], r[4]) for r in rows] == [
        (f.sheet or None, f.cell or None, f.rule) for f in report.findings
    ]
    links = [(sheet.cell(row=5 + i, column=3).hyperlink, r[2]) for i, r in enumerate(rows)]
    assert [h.location for h, cell in links if cell] == [
        f"{f.sheet}!{f.cell}" for f in report.findings if f.cell
    ]
    with zipfile.ZipFile(out) as zf:  # internal links only: no external relationship targets
        rels = [n for n in zf.namelist() if n.endswith(".rels")]
        assert not any(b'TargetMode="External"' in zf.read(n) for n in rels)


def test_reannotating_replaces_instead_of_stacking(tmp_path: Path) -> None:
    original = _tracker_with_extras(tmp_path / "plan.xlsx")
    _, report = read_and_check(original, Settings(), as_of=AS_OF)
    once = annotate_file(original, report.findings)
    _, again_report = read_and_check(once, Settings(), as_of=AS_OF)
    twice = annotate_file(once, again_report.findings, out=tmp_path / "twice.xlsx")
    assert _marks(twice) == _marks(once)
    wb = openpyxl.load_workbook(twice)
    assert [ws.title for ws in wb.worksheets].count("Validation") == 1
    assert wb["Tasks"]["D2"].comment.text.count(NOTE_MARKER) == 1
    assert _snapshot(twice) == _snapshot(original)


def test_in_place_keeps_a_backup_and_vba_bytes(tmp_path: Path) -> None:
    original = _tracker_with_extras(tmp_path / "plan.xlsm", vba=_vba())
    before = original.read_bytes()
    with zipfile.ZipFile(original) as zf:
        vba_before = zf.read("xl/vbaProject.bin")
    _, report = read_and_check(original, Settings(), as_of=AS_OF)
    out = annotate_file(original, report.findings, in_place=True)
    assert out == original
    backups = sorted(tmp_path.glob("plan.*.bak.xlsm"))
    assert len(backups) == 1 and backups[0].read_bytes() == before
    with zipfile.ZipFile(original) as zf:
        assert zf.read("xl/vbaProject.bin") == vba_before
    assert _marks(original)
    assert not list(tmp_path.glob(".plan*"))  # no temporary files left behind


def test_in_place_refuses_a_workbook_whose_charts_would_be_lost(tmp_path: Path) -> None:
    path = tmp_path / "charted.xlsx"
    write(path, base_tracker())
    wb = openpyxl.load_workbook(path)
    from openpyxl.chart import BarChart, Reference

    chart = BarChart()
    chart.add_data(Reference(wb["Tasks"], min_col=11, min_row=1, max_row=4), titles_from_data=True)
    wb["Tasks"].add_chart(chart, "N2")
    wb.save(path)
    before = path.read_bytes()
    _, report = read_and_check(path, Settings(), as_of=AS_OF)
    with pytest.raises(OutputError, match="charts"):
        annotate_file(path, report.findings, in_place=True)
    assert path.read_bytes() == before
    copy = annotate_file(path, report.findings)  # an annotated copy is still possible
    assert copy.exists() and path.read_bytes() == before


def test_legacy_xls_cannot_be_annotated(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    with pytest.raises(OutputError, match=r"save it as \.xlsx"):
        annotate_file(path, [])


def test_plan_puts_every_message_of_a_cell_in_one_note() -> None:
    from addin.core.findings import Finding, Severity

    findings = [
        Finding(
            "task.owner_required", Severity.ERROR, "Owner is required", sheet="Tasks", row=2, col=3
        ),
        Finding(
            "raid.severity_mismatch",
            Severity.WARNING,
            "Severity differs",
            sheet="Tasks",
            row=2,
            col=3,
        ),
        Finding("sheet.missing", Severity.ERROR, "no RAID sheet"),
    ]
    p = plan(findings)
    assert [(m.sheet, m.cell, m.severity) for m in p.marks] == [("Tasks", "D3", Severity.ERROR)]
    assert p.marks[0].note.count("\n") == 1
    assert p.links == ("Tasks!D3", "Tasks!D3", None)


def test_backup_names_sort_by_time() -> None:
    import datetime as dt

    a = backup_path(Path("x/plan.xlsx"), dt.datetime(2026, 11, 25, 9, 0, 0))
    b = backup_path(Path("x/plan.xlsx"), dt.datetime(2026, 11, 25, 10, 0, 0))
    assert a.name == "plan.20261125-090000.bak.xlsx" and a < b
