"""Several source sheets feed one kind (TRACKER_SPEC v1.1), and every row reaches the portfolio.

* A RAID log kept as a ``Risks`` sheet and an ``Issues`` sheet, neither with a Type
  column: one RAID table, each row's Type taken from its sheet's name.
* A plan kept as one task sheet per workstream: one Tasks table whose ``Workstream``
  column holds the sheet each task came from.

Each workbook goes through the real ``consolidate`` (workers, cache, writer) and the
portfolio workbook is read back with calamine: no row is lost, none is doubled, and
each one's Source Cell points at its own sheet.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import python_calamine as calamine
from openpyxl.worksheet.worksheet import Worksheet

from addin.core.findings import FileStatus
from addin.core.kinds import RaidItem, Task, kind
from addin.core.settings import Settings
from addin.engine.consolidate import consolidate
from addin.engine.validate import check_file
from addin.outputs.portfolio import write_portfolio
from tests.builders import base_raid, base_tasks, base_tracker, write

AS_OF = dt.date(2026, 11, 20)


def _copy_sheet(wb: openpyxl.Workbook, source: Worksheet, title: str) -> Worksheet:
    ws = wb.copy_worksheet(source)
    ws.title = title
    return ws


def _drop_column(ws: Worksheet, header: str) -> None:
    (col,) = [c.column for c in ws[1] if c.value == header]
    ws.delete_cols(col)


def _rows(path: Path, sheet: str) -> list[dict[str, Any]]:
    header, *rows = (
        calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    )
    return [dict(zip(header, r, strict=True)) for r in rows]


def _risks_and_issues(path: Path) -> tuple[list[RaidItem], list[RaidItem]]:
    """A tracker whose RAID log is two sheets, ``Risks`` and ``Issues``, without Type."""
    risks = [
        dataclasses.replace(r, raid_id=f"R-{i:02d}", type="Risk", title=f"Risk {i}")
        for i, r in enumerate([base_raid()[0]] * 3, 1)
    ]
    issues = [
        dataclasses.replace(r, raid_id=f"I-{i:02d}", type="Issue", title=f"Issue {i}")
        for i, r in enumerate([base_raid()[0]] * 2, 1)
    ]
    write(path, base_tracker(raid=risks))
    wb = openpyxl.load_workbook(path)
    raid = wb["RAID"]
    issue_sheet = _copy_sheet(wb, raid, "Issues")
    issue_sheet.delete_rows(2, issue_sheet.max_row)
    for item in issues:
        _append(issue_sheet, "RAID", item)
    raid.title = "Risks"
    for ws in (raid, issue_sheet):
        _drop_column(ws, "Type")
    wb.save(path)
    return risks, issues


def _append(ws: Worksheet, key: str, record: Any) -> None:
    """A record as a row under the sheet's own header row (its columns, its order)."""
    by_header = {f.header: f.name for f in kind(key).fields}
    ws.append([getattr(record, by_header[c.value]) for c in ws[1] if c.value])


def test_risks_and_issues_sheets_are_one_raid_log_typed_by_sheet(tmp_path: Path) -> None:
    risks, issues = _risks_and_issues(tmp_path / "t.xlsx")
    report = check_file(tmp_path / "t.xlsx", Settings(), as_of=AS_OF)
    assert report.status is FileStatus.VALID, [f.message for f in report.findings]
    info = report.tables["RAID"]
    assert [(p.sheet, p.rows) for p in info.parts] == [("Risks", 3), ("Issues", 2)]

    run = consolidate([tmp_path / "t.xlsx"], Settings(), as_of=AS_OF, jobs=1)
    rows = list(run.tables["RAID"].rows())
    assert [(r["raid_id"], r["type"], r["title"]) for r in rows] == [
        (i.raid_id, i.type, i.title) for i in (*risks, *issues)
    ]
    out = write_portfolio(tmp_path / "p.xlsx", run, Settings())
    written = _rows(out, "RAID")
    assert [(r["ID"], r["Type"]) for r in written] == [
        (i.raid_id, i.type) for i in (*risks, *issues)
    ]
    assert [r["Source Cell"] for r in written] == [
        "Risks!A2",
        "Risks!A3",
        "Risks!A4",
        "Issues!A2",
        "Issues!A3",
    ]


def _two_workstreams(path: Path) -> dict[str, list[Task]]:
    """A tracker whose plan is one task sheet per workstream (``Build`` and ``Run``)."""
    build = base_tasks()
    run = [dataclasses.replace(t, task_id=f"R{t.task_id}") for t in base_tasks()[:2]]
    write(path, base_tracker(tasks=build))
    wb = openpyxl.load_workbook(path)
    tasks = wb["Tasks"]
    second = _copy_sheet(wb, tasks, "Run")
    second.delete_rows(2, second.max_row)
    for t in run:
        _append(second, "Tasks", t)
    tasks.title = "Build"
    wb.save(path)
    return {"Build": build, "Run": run}


def test_one_task_sheet_per_workstream_feeds_tasks_with_the_sheet_as_workstream(
    tmp_path: Path,
) -> None:
    streams = _two_workstreams(tmp_path / "t.xlsx")
    report = check_file(tmp_path / "t.xlsx", Settings(), as_of=AS_OF)
    assert report.status is FileStatus.VALID, [f.message for f in report.findings]
    assert [(p.sheet, p.rows) for p in report.tables["Tasks"].parts] == [
        (name, len(tasks)) for name, tasks in streams.items()
    ]
    run = consolidate([tmp_path / "t.xlsx"], Settings(), as_of=AS_OF, jobs=1)
    expected = [(t.task_id, name) for name, tasks in streams.items() for t in tasks]
    got = [(r["task_id"], r["workstream"]) for r in run.tables["Tasks"].rows()]
    assert got == expected
    out = write_portfolio(tmp_path / "p.xlsx", run, Settings())
    written = _rows(out, "Tasks")
    assert [(r["Task ID"], r["Workstream"]) for r in written] == expected
    assert [r["Source Cell"].split("!")[0] for r in written] == [w for _, w in expected]


@pytest.mark.parametrize("make", [_risks_and_issues, _two_workstreams])
def test_a_cached_multi_sheet_result_is_the_same_result(make: Any, tmp_path: Path) -> None:
    folder = tmp_path / "trackers"
    folder.mkdir()
    make(folder / "t.xlsx")
    cache = tmp_path / "cache.sqlite"
    cold = consolidate([folder / "t.xlsx"], Settings(), as_of=AS_OF, jobs=1, cache_path=cache)
    warm = consolidate([folder / "t.xlsx"], Settings(), as_of=AS_OF, jobs=1, cache_path=cache)
    assert (cold.cache_hits, warm.cache_hits) == (0, 1)
    assert warm.reports == cold.reports
    assert (warm.projects, warm.tables, warm.findings) == (
        cold.projects,
        cold.tables,
        cold.findings,
    )


def test_the_templates_guidance_sheet_is_not_searched_but_any_other_workbooks_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from addin.read import source

    grids: list[str] = []
    real = source.Workbook.grid

    def spy(self: source.Workbook, name: str) -> Any:
        grids.append(name)
        return real(self, name)

    monkeypatch.setattr(source.Workbook, "grid", spy)
    made = write(tmp_path / "made.xlsx")  # from our template: Instructions is guidance
    assert check_file(made, Settings(), as_of=AS_OF).status is FileStatus.VALID
    assert "Instructions" in openpyxl.load_workbook(made).sheetnames
    assert "Instructions" not in grids

    # The same plan kept by hand, its second workstream on a sheet called Instructions:
    # not a template-made workbook, so the sheet is searched and its tasks are read.
    streams = _two_workstreams(tmp_path / "hand.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "hand.xlsx")
    del wb["Instructions"]
    wb["Run"].title = "Instructions"
    wb.custom_doc_props.props.clear()
    wb.save(tmp_path / "hand.xlsx")
    report = check_file(tmp_path / "hand.xlsx", Settings(), as_of=AS_OF)
    assert [(p.sheet, p.rows) for p in report.tables["Tasks"].parts] == [
        ("Build", len(streams["Build"])),
        ("Instructions", len(streams["Run"])),
    ]


def test_blank_workstream_cells_take_the_sheet_name_and_a_written_one_stays(
    tmp_path: Path,
) -> None:
    """A plan sheet per workstream that has a Workstream column (template v1.1) left blank."""
    header = ["Task ID", "Task Name", "Planned Start", "Planned Finish", "Workstream"]
    wb = openpyxl.Workbook()
    build = wb.active
    build.title = "Build"
    build.append(header)
    build.append(["B1", "Code", dt.date(2026, 3, 2), dt.date(2026, 3, 20), None])
    build.append(["B2", "Review", dt.date(2026, 3, 23), dt.date(2026, 3, 27), "Quality"])
    run = wb.create_sheet("Run")
    run.append(header)
    run.append(["R1", "Operate", dt.date(2026, 4, 1), dt.date(2026, 4, 30), None])
    wb.save(tmp_path / "t.xlsx")
    result = consolidate([tmp_path / "t.xlsx"], Settings(), as_of=AS_OF, jobs=1)
    got = [(r["task_id"], r["workstream"]) for r in result.tables["Tasks"].rows()]
    assert got == [("B1", "Build"), ("B2", "Quality"), ("R1", "Run")]
