"""RAG_RULES v2 "No data" in every output: the portfolio workbook (the words, a grey
conditional format), ``--json``, reading a portfolio back, the dashboard (tile, chart
series, matrix, the Exceptions sheet's No data group) and the worksheet functions.

Three trackers written as files and consolidated: ``full`` has evidence for every
dimension (Green), ``nocost`` has no budget lines (Cost No data, so Overall Amber by the
floor), ``blank`` has a Project block with a Status Date and nothing else, its RAID sheet
removed (every dimension No data, so Overall No data).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from addin.core.settings import Settings
from addin.engine.consolidate import consolidate
from addin.engine.discover import discover
from addin.engine.run import PortfolioRun
from addin.excel import udfs
from addin.outputs.dashboard import summarise, write_dashboard
from addin.outputs.json import project_records
from addin.outputs.palette import RAG_COLOURS
from addin.outputs.portfolio import PROJECT_COLUMNS, read_portfolio, write_portfolio
from tests.builders import AS_OF, base_project, base_tracker, write
from tests.runs import run_from_rows

GREY = "FF" + RAG_COLOURS["No data"][0].lstrip("#").upper()
RAG_HEADERS = ("Schedule RAG", "Cost RAG", "Risk RAG", "Overall RAG")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> PortfolioRun:
    folder = tmp_path_factory.mktemp("trackers")
    write(folder / "full.xlsx")
    write(
        folder / "nocost.xlsx",
        base_tracker(project=base_project(project_id="PRJ-0043"), budget=[]),
    )
    blank = base_tracker(
        project=base_project(
            project_id="PRJ-0099",
            project_name="Nothing known",
            baseline_finish=None,
            forecast_finish=None,
            budget=None,
        ),
        tasks=[],
        milestones=[],
        budget=[],
        raid=[],
    )
    path = write(folder / "blank.xlsx", blank)
    wb = openpyxl.load_workbook(path)
    wb.remove(wb["RAID"])
    wb.save(path)
    return consolidate(discover([folder]).files, Settings(), as_of=AS_OF, jobs=1)


def _rags(run: PortfolioRun) -> dict[str, tuple[str, ...]]:
    return {
        str(p.project_id): (p.schedule_rag, p.cost_rag, p.risk_rag, p.overall_rag)
        for p in run.projects
    }


def test_the_three_projects(run: PortfolioRun) -> None:
    assert _rags(run) == {
        "PRJ-0042": ("Green", "Green", "Green", "Green"),
        "PRJ-0043": ("Green", "No data", "Green", "Amber"),
        "PRJ-0099": ("No data", "No data", "No data", "No data"),
    }
    nocost = next(p for p in run.projects if p.project_id == "PRJ-0043")
    assert nocost.dimension_reasons("Cost") == ("no budget lines with Actual or Forecast",)
    assert "Overall at least Amber: no data for Cost" in nocost.reasons


@pytest.fixture(scope="module")
def portfolio(run: PortfolioRun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_portfolio(tmp_path_factory.mktemp("out") / "portfolio.xlsx", run, Settings())


def test_portfolio_shows_the_words_with_a_grey_conditional_format(portfolio: Path) -> None:
    ws = openpyxl.load_workbook(portfolio)["Projects"]
    headers = [c.value for c in ws[1]]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    for header in RAG_HEADERS:
        col = headers.index(header)
        assert rows["PRJ-0099"][col] == "No data"
        letter = get_column_letter(col + 1)
        rules = [
            (r.formula, r.dxf.fill.bgColor.rgb)
            for cf in ws.conditional_formatting
            if str(cf.sqref).startswith(f"{letter}2:")
            for r in cf.rules
        ]
        assert {f[0]: fill for f, fill in rules}['"No data"'] == GREY


def test_json_carries_the_words(run: PortfolioRun) -> None:
    records = {r["project_id"]: r for r in project_records(run)}
    assert {k: records["PRJ-0099"][k] for k in ("schedule_rag", "overall_rag")} == {
        "schedule_rag": "No data",
        "overall_rag": "No data",
    }
    assert records["PRJ-0043"]["cost_rag"] == "No data"
    assert "Cost No data: no budget lines with Actual or Forecast" in records["PRJ-0043"][
        "rag_reasons"
    ].split("; ")


def test_reading_the_portfolio_back_round_trips_no_data(run: PortfolioRun, portfolio: Path) -> None:
    back = read_portfolio(portfolio)
    assert _rags(back) == _rags(run)
    assert [p.reasons for p in back.projects] == [p.reasons for p in run.projects]
    assert [p.schedule_quality for p in back.projects] == [p.schedule_quality for p in run.projects]


def test_a_portfolio_written_before_schedule_quality_still_reads(
    portfolio: Path, tmp_path: Path
) -> None:
    wb = openpyxl.load_workbook(portfolio)
    ws = wb["Projects"]
    headers = [c.value for c in ws[1]]
    added = [c.header for c in PROJECT_COLUMNS if c.added]
    for header in sorted(added, key=headers.index, reverse=True):
        ws.delete_cols(headers.index(header) + 1)
    old = tmp_path / "old.xlsx"
    wb.save(old)
    back = read_portfolio(old)
    assert [p.bei for p in back.projects] == [None] * 3
    assert _rags(back)["PRJ-0099"] == ("No data",) * 4


def _cells(ws: Any) -> Iterator[Any]:
    for row in ws.iter_rows():
        yield from row


@pytest.fixture(scope="module")
def dashboard(run: PortfolioRun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_dashboard(tmp_path_factory.mktemp("dash") / "dashboard.xlsx", run, Settings())


def test_dashboard_summary_counts_no_data(run: PortfolioRun) -> None:
    data = summarise(run, Settings())
    tile = data.tile("no_data")
    assert (tile.label, tile.value, tile.rag) == ("No data", 1, "No data")
    assert tile.share == pytest.approx(1 / 3)
    assert sum(p.no_data for p in data.programmes) == 1
    # worst first: Red, No data, Amber, Green
    assert [m.overall for m in data.matrix] == ["No data", "Amber", "Green"]
    group = [e for e in data.exceptions if e.kind == "No data"]
    assert [e.project_id for e in group] == ["PRJ-0099", "PRJ-0043"]
    # the group lists what is missing, and only that
    assert group[1].reasons == ("Cost No data: no budget lines with Actual or Forecast",)
    assert all(" No data: " in r or r.startswith("Stale") for r in group[0].reasons)


def test_dashboard_workbook_shows_no_data_in_grey(dashboard: Path) -> None:
    book = openpyxl.load_workbook(dashboard)
    front = book["Dashboard"]
    tile = next(c for c in _cells(front) if c.value == "No data" and c.hyperlink is not None)
    number = front.cell(tile.row - 2, tile.column)
    assert number.value == 1
    assert number.fill.fgColor.rgb == GREY
    for name in ("Dashboard", "RAG Matrix", "Exceptions"):
        ws = book[name]
        rules = [r for cf in ws.conditional_formatting for r in cf.rules]
        fills = {r.formula[0]: r.dxf.fill.bgColor.rgb for r in rules}
        assert fills.get('"No data"') == GREY, name
    exceptions = book["Exceptions"]
    kinds = [r[0] for r in exceptions.iter_rows(min_row=5, values_only=True)]
    assert kinds.count("No data") == 2
    chart = book["Chart Data"]
    assert [chart.cell(1, c).value for c in range(1, 8)] == [
        "Programme",
        "Red",
        "Amber",
        "Green",
        "No data",
        "Budget",
        "EAC",
    ]
    assert sum(chart.cell(r, 5).value or 0 for r in range(2, chart.max_row + 1)) == 1


def test_worksheet_functions_show_no_data(portfolio: Path) -> None:
    udfs.clear_caches()
    assert udfs.PMO_PORTFOLIO(str(portfolio), "PRJ-0099", "Overall RAG") == "No data"
    assert udfs.PMO_PORTFOLIO(str(portfolio), "PRJ-0043", "cost_rag") == "No data"
    assert udfs.PMO_RAG("cpi", "") == "No data"


def test_exceptions_keep_each_projects_own_reasons_without_a_project_id() -> None:
    # Two trackers with no Project ID (issue 12: four unnamed Red rows all showed one
    # project's reasons): each exception row carries the reasons of its own project.
    base = {"overdue_milestones": 0, "open_high_risks": 0, "errors": 0, "warnings": 0}
    red = {**base, "project_name": "A", "overall_rag": "Red", "schedule_rag": "Red"}
    red |= {
        "cost_rag": "Green",
        "risk_rag": "Green",
        "rag_reasons": "Schedule Red: SPI 0.50 < 0.85",
    }
    blank = {**base, "project_name": "B", "overall_rag": "No data", "schedule_rag": "No data"}
    blank |= {"cost_rag": "No data", "risk_rag": "No data"}
    blank["rag_reasons"] = "Schedule No data: x; Cost No data: y; Risk No data: z"
    run = run_from_rows(name="P", as_of=AS_OF, projects=[red, blank])
    got = [(e.kind, e.project_name, e.reasons) for e in summarise(run, Settings()).exceptions]
    assert got == [
        ("Red", "A", ("Schedule Red: SPI 0.50 < 0.85",)),
        ("No data", "B", ("Schedule No data: x", "Cost No data: y", "Risk No data: z")),
    ]
