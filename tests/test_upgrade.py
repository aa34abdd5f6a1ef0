"""``pmo upgrade-tracker``: v1.0 -> v1.1, adding sheets and columns, changing no value."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter

from addin import TEMPLATE_VERSION
from addin.core.errors import OutputError
from addin.core.findings import FileStatus
from addin.core.ours import OutputKind, kind_by_name
from addin.core.settings import Settings
from addin.engine.validate import read_and_check
from addin.excel.vba.module import Module
from addin.excel.vba.project import VbaProject
from addin.outputs.template import write_tracker
from addin.outputs.upgrade import upgrade_tracker, upgraded_path
from addin.read import read_tracker
from tests.builders import AS_OF, base_tracker
from tests.hostile.make import garble, part_crc, sheet_part
from tests.soffice import SOFFICE, convert

V11_TASK_HEADERS = ["Workstream", "Baseline Start", "Baseline Finish", "Effort"]


def v10(path: Path) -> Path:
    """A tracker made from the template as it was at version 1.0, with data."""
    return write_tracker(path, base_tracker(), Settings(), version="1.0")


def customised(path: Path) -> Path:
    """A v1.0 tracker a PM customised in Excel: a macro, a formula, a name, a rule, a note."""
    v10(path.with_suffix(".xlsx"))
    wb = openpyxl.load_workbook(path.with_suffix(".xlsx"))
    tasks = wb["Tasks"]
    tasks["N1"] = "Days"  # a column of the PM's own, right of the table
    tasks["N2"] = "=F2-E2"
    wb.defined_names["PlanStart"] = openpyxl.workbook.defined_name.DefinedName(
        "PlanStart", attr_text="Tasks!$E$2"
    )
    tasks["C2"].comment = openpyxl.comments.Comment("PM's own note", "PM")
    wb.save(path.with_suffix(".xlsx"))
    if path.suffix == ".xlsm":  # the same workbook with a real VBA project, as Excel keeps it
        source = (
            'Attribute VB_Name = "Helpers"\r\n'
            "Public Function Twice(x)\r\n    Twice = 2 * x\r\nEnd Function\r\n"
        )
        vba = VbaProject("PMTracker", (Module.from_bas(source),)).to_bytes()
        book = openpyxl.load_workbook(path.with_suffix(".xlsx"))
        book.vba_archive = zipfile.ZipFile(io.BytesIO(_xlsm_with(vba)))
        book.save(path)
        path.with_suffix(".xlsx").unlink()
    return path


def _xlsm_with(vba: bytes) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.add_worksheet()
    wb.add_vba_project(io.BytesIO(vba), is_stream=True)  # type: ignore[arg-type]
    wb.close()
    return buf.getvalue()


def snapshot(path: Path) -> dict[str, Any]:
    """Every value and formula, number format, validation, name and table of a workbook."""
    wb = openpyxl.load_workbook(path, keep_vba=path.suffix == ".xlsm")
    out: dict[str, Any] = {"names": sorted((n, d.attr_text) for n, d in wb.defined_names.items())}
    for ws in wb.worksheets:
        out[ws.title] = {
            "cells": {
                c.coordinate: (c.value, c.number_format, c.protection.locked)
                for row in ws.iter_rows()
                for c in row
                if c.value is not None
            },
            "validations": sorted(
                (str(dv.sqref), dv.type, dv.formula1) for dv in ws.data_validations.dataValidation
            ),
            "protected": ws.protection.sheet,
            "notes": {
                c.coordinate: c.comment.text for row in ws.iter_rows() for c in row if c.comment
            },
        }
    return out


def test_a_v10_tracker_gains_the_v11_sheets_and_columns(tmp_path: Path) -> None:
    path = v10(tmp_path / "plan.xlsx")
    before = path.read_bytes()
    done = upgrade_tracker(path, Settings())
    assert path.read_bytes() == before  # the tracker itself is untouched
    assert done.written == upgraded_path(path) == tmp_path / "plan.upgraded.xlsx"
    assert done.changes == (
        "added sheet Resources",
        "added sheet Lessons",
        "added Tasks columns Workstream, Baseline Start, Baseline Finish, Effort",
        f"Template Version 1.0 -> {TEMPLATE_VERSION}",
    )
    wb = openpyxl.load_workbook(done.written)
    assert wb.sheetnames == [
        "Instructions",
        "Project",
        "Tasks",
        "Milestones",
        "Budget",
        "RAID",
        "Resources",
        "Lessons",
    ]
    tasks = wb["Tasks"]
    assert [c.value for c in tasks[1]][12:] == V11_TASK_HEADERS
    assert tasks.tables["Tasks"].ref == "A1:P201"  # the table grew to hold them
    assert not tasks["P2"].protection.locked and tasks["P1"].protection.locked
    effort = [dv for dv in tasks.data_validations.dataValidation if str(dv.sqref) == "P2:P201"]
    assert [(dv.type, dv.operator) for dv in effort] == [("decimal", "greaterThanOrEqual")]
    assert wb["Resources"].tables["Resources"].ref == "A1:G201"
    assert wb["Resources"].protection.sheet
    lessons = wb["Lessons"]
    category = [dv for dv in lessons.data_validations.dataValidation if dv.type == "list"]
    assert category and "Governance" in (category[0].formula1 or "")
    project = {r[0].value: r[1].value for r in wb["Project"].iter_rows(max_col=2)}
    assert project["Template Version"] == TEMPLATE_VERSION
    assert wb.custom_doc_props["PMO Template Version"].value == TEMPLATE_VERSION


def test_the_upgraded_tracker_validates_as_the_original_did(tmp_path: Path) -> None:
    path = v10(tmp_path / "plan.xlsx")
    done = upgrade_tracker(path, Settings())
    assert done.written is not None
    _, before = read_and_check(path, Settings(), as_of=AS_OF)
    _, after = read_and_check(done.written, Settings(), as_of=AS_OF)
    assert after.status is FileStatus.VALID
    assert [(f.rule, f.cell) for f in after.findings] == [(f.rule, f.cell) for f in before.findings]
    read = read_tracker(done.written, Settings())
    assert "Resources" in read.layouts and read.mapped("Tasks", "effort")


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm"])
def test_values_formulas_names_validations_notes_and_macros_are_kept(
    tmp_path: Path, suffix: str
) -> None:
    path = customised(tmp_path / f"plan{suffix}")
    original = snapshot(path)
    done = upgrade_tracker(path, Settings(), in_place=True)
    assert done.written == path and done.backup is not None
    assert done.backup.read_bytes() != path.read_bytes()
    after = snapshot(path)
    assert after["names"] == original["names"]
    for sheet in ("Project", "Tasks", "Milestones", "Budget", "RAID"):
        kept = {k: v for k, v in after[sheet]["cells"].items() if k in original[sheet]["cells"]}
        changed = {
            k for k in original[sheet]["cells"] if kept.get(k) != original[sheet]["cells"][k]
        }
        assert changed == ({"B15"} if sheet == "Project" else set()), sheet  # Template Version
        assert set(original[sheet]["validations"]) <= set(after[sheet]["validations"])
        assert after[sheet]["notes"] == original[sheet]["notes"]
        assert after[sheet]["protected"] == original[sheet]["protected"]
    assert after["Tasks"]["cells"]["N2"][0] == "=F2-E2"
    added = {
        k: v[0] for k, v in after["Tasks"]["cells"].items() if k not in original["Tasks"]["cells"]
    }
    assert added == {
        "O1": "Workstream",
        "P1": "Baseline Start",
        "Q1": "Baseline Finish",
        "R1": "Effort",
    }
    if suffix == ".xlsm":
        with zipfile.ZipFile(path) as zf, zipfile.ZipFile(done.backup) as zb:
            assert zf.read("xl/vbaProject.bin") == zb.read("xl/vbaProject.bin")


def test_a_tracker_at_the_current_version_is_left_untouched(tmp_path: Path) -> None:
    path = write_tracker(tmp_path / "new.xlsx", base_tracker())
    stat = path.stat()
    done = upgrade_tracker(path, Settings(), in_place=True)
    assert done.current and done.written is None and done.backup is None
    assert path.stat().st_mtime_ns == stat.st_mtime_ns
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.xlsx"]


def test_in_place_refuses_what_it_would_lose(tmp_path: Path) -> None:
    path = v10(tmp_path / "charted.xlsx")
    wb = openpyxl.load_workbook(path)
    from openpyxl.chart import BarChart, Reference

    chart = BarChart()
    chart.add_data(Reference(wb["Tasks"], min_col=11, min_row=1, max_row=4), titles_from_data=True)
    wb["Tasks"].add_chart(chart, "N2")
    wb.save(path)
    before = path.read_bytes()
    with pytest.raises(OutputError, match=r"not upgraded in place: it holds drawings \("):
        upgrade_tracker(path, Settings(), in_place=True)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["charted.xlsx"]
    copy = upgrade_tracker(path, Settings())
    assert copy.written is not None and copy.missing and "charts" in copy.missing[0]


@pytest.mark.parametrize(
    ("damage", "why"),
    [
        (part_crc, "damaged workbook archive (a part fails its checksum): ask for a new copy"),
        (
            lambda path, part: garble(path, part, 0.6, b"\x55"),
            "damaged workbook archive (a part does not decompress): ask for a new copy",
        ),
    ],
    ids=["crc", "deflate"],
)
@pytest.mark.parametrize("in_place", [False, True], ids=["copy", "in-place"])
def test_a_damaged_part_the_reader_does_not_read_refuses_the_upgrade_in_words(
    tmp_path: Path, damage: Any, why: str, in_place: bool
) -> None:
    # The reader reads the data sheets; the Instructions sheet's damage lies past the
    # safety scan's peek, so the file reads. openpyxl, loading every part, meets it.
    path = v10(tmp_path / "plan.xlsx")
    damage(path, sheet_part(path, "Instructions"))
    before = path.read_bytes()
    assert read_tracker(path, Settings()).status.read_as_tracker
    with pytest.raises(OutputError) as raised:
        upgrade_tracker(path, Settings(), in_place=in_place)
    assert str(raised.value) == f"{path}: not upgraded: {why}"
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


def test_the_upgraded_copy_is_not_read_twice_in_a_folder() -> None:
    assert kind_by_name(Path("plan.upgraded.xlsx")) is OutputKind.UPGRADED


def test_the_command_prints_what_it_changed_per_file(tmp_path: Path) -> None:
    old = v10(tmp_path / "old.xlsx")
    new = write_tracker(tmp_path / "new.xlsx", base_tracker())
    bad = tmp_path / "notes.xlsx"
    openpyxl.Workbook().save(bad)
    done = subprocess.run(
        [sys.executable, "-m", "addin", "upgrade-tracker", str(old), str(new), str(bad)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )
    lines = done.stdout.splitlines()
    assert done.returncode == 4
    assert lines[0] == f"{old}: upgraded copy {tmp_path / 'old.upgraded.xlsx'}"
    assert "  added sheet Resources" in lines
    assert f"{new}: already at the current template version; left as it was" in lines
    assert any(line.startswith(f"{bad}: not upgraded: not a project tracker") for line in lines)


@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice not installed")
def test_libreoffice_opens_the_upgraded_tracker(tmp_path: Path) -> None:
    done = upgrade_tracker(customised(tmp_path / "plan.xlsm"), Settings())
    assert done.written is not None
    pdf = convert(done.written, "pdf", tmp_path)
    assert pdf.stat().st_size > 1000
    out = tmp_path / "out"
    out.mkdir()
    back = convert(done.written, "xlsx", out)
    _, report = read_and_check(back, Settings(), as_of=dt.date(2026, 11, 25))
    assert report.status is FileStatus.VALID
    assert "Resources" in report.tables
