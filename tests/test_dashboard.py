"""The steering dashboard: numbers equal the portfolio's, structure, safety, trend, PDF errors.

PortfolioRuns are built here directly (``build_portfolio``): four programmes and a
project without one, mixed RAGs, a stale and an optimistic report, overdue and
upcoming milestones, open High and Critical risks (one with a formula-looking
title), findings and an unreadable file. Every number on the Dashboard is
asserted twice: against :func:`summarise` and against a recomputation from the
PortfolioRun rows written in this file.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook.workbook import Workbook

from addin.core.errors import OutputError
from addin.core.settings import Settings
from addin.core.tracker import replace
from addin.engine.run import PortfolioRun
from addin.outputs.dashboard import DashboardData, export_pdf, summarise, write_dashboard
from addin.outputs.dashboard import writer as dashboard_writer
from addin.outputs.dashboard.ahead import slippage_days
from addin.outputs.dashboard.book import MUTED_CHARS_PER_UNIT, MUTED_LINE_POINTS
from addin.outputs.dashboard.data import ARROW_BETTER, ARROW_NEW, ARROW_SAME, ARROW_WORSE
from addin.outputs.dashboard.front import DASHBOARD_MATRIX_ROWS, MATRIX_COLUMNS
from addin.outputs.dashboard.layout import (
    GRID,
    GRID_PX,
    GRID_WIDTH,
    MATRIX_HEADER_ROW,
    MATRIX_TITLE_ROW,
    TILE_ROW,
    TILE_SPAN,
)
from addin.outputs.dashboard.pdf import NOT_INSTALLED
from addin.outputs.palette import RAG_COLOURS
from tests.runs import kind_rows, project_rows, run_from_rows

AS_OF = dt.date(2026, 11, 20)
RANK = {"Green": 0, "Amber": 1, "Red": 2}
FORMULA_TITLE = '=HYPERLINK("http://x","y")'
SHEETS = ["Dashboard", "RAG Matrix", "Exceptions", "Milestones ahead", "Top risks", "Data quality"]


# --- a realistic portfolio ------------------------------------------------------------------


def _worst(*rags: str) -> str:
    return max(rags, key=RANK.__getitem__)


def _severity(r: dict[str, Any]) -> str | None:
    if r.get("severity"):
        return str(r["severity"])
    p, i = r.get("probability"), r.get("impact")
    if p is None or i is None:
        return None
    score = p * i
    return (
        "Critical" if score >= 20 else "High" if score >= 12 else "Medium" if score >= 6 else "Low"
    )


def _counts_for_risk(r: dict[str, Any]) -> bool:
    return r.get("status") in ("Open", "Mitigating") and r.get("type") in (None, "Risk", "Issue")


def _ms(
    pid: str,
    mid: str,
    name: str,
    baseline: dt.date,
    forecast: dt.date | None,
    status: str = "On Track",
) -> dict[str, Any]:
    return {
        "project_id": pid,
        "milestone_id": mid,
        "milestone": name,
        "baseline_date": baseline,
        "forecast_date": forecast,
        "actual_date": forecast if status == "Achieved" else None,
        "status": status,
        "owner": "Owner " + pid,
        "source_cell": f"Milestones!A{mid[-1]}",
    }


def _raid(
    pid: str,
    rid: str,
    title: str,
    *,
    type_: str = "Risk",
    severity: str | None = None,
    status: str = "Open",
    due: dt.date | None = None,
    p: int | None = None,
    i: int | None = None,
) -> dict[str, Any]:
    return {
        "project_id": pid,
        "raid_id": rid,
        "type": type_,
        "title": title,
        "owner": "Risk owner",
        "raised": dt.date(2026, 6, 1),
        "due": due,
        "probability": p,
        "impact": i,
        "severity": severity,
        "status": status,
        "mitigation": "Mitigate " + rid,
        "source_cell": "RAID!A2",
    }


def _project(
    pid: str,
    name: str,
    programme: str | None,
    pm: str,
    *,
    schedule: str = "Green",
    cost: str = "Green",
    risk: str = "Green",
    reported: str = "Green",
    status_date: dt.date = AS_OF,
    budget: float | None = 1_000_000.0,
    eac: float | None = None,
    reasons: tuple[str, ...] = (),
    errors: int = 0,
    warnings: int = 0,
    milestones: list[dict[str, Any]] | None = None,
    raid: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A Projects row as the engine writes it, its flags and counts derived from its rows."""
    overall = _worst(schedule, cost, risk)
    stale = (AS_OF - status_date).days > 14
    if stale:
        overall = _worst(overall, "Amber")
        reasons = (*reasons, f"Stale: Status Date is {(AS_OF - status_date).days} days old (> 14)")
    open_rows = [r for r in raid or [] if _counts_for_risk(r)]
    slips = [
        (m["forecast_date"] - m["baseline_date"]).days
        for m in milestones or []
        if m["status"] != "Achieved" and m["forecast_date"] is not None
    ]
    return {
        "project_id": pid,
        "project_name": name,
        "programme": programme,
        "sponsor": "Sponsor",
        "project_manager": pm,
        "phase": "Execution",
        "status_date": status_date,
        "baseline_finish": dt.date(2027, 6, 30),
        "forecast_finish": dt.date(2027, 6, 30),
        "finish_slip_days": 0,
        "budget": budget,
        "ac": (budget or 0) / 2,
        "eac": eac if eac is not None else budget,
        "vac_pct": 0.0,
        "pct_complete": 0.5,
        "spi": 1.0,
        "cpi": 1.0,
        "max_slippage_days": max(slips) if slips else None,
        "overdue_milestones": sum(
            1
            for m in milestones or []
            if m["status"] != "Achieved"
            and m["forecast_date"] is not None
            and m["forecast_date"] < status_date
        ),
        "open_high_risks": sum(1 for r in open_rows if _severity(r) in ("High", "Critical")),
        "schedule_rag": schedule,
        "cost_rag": cost,
        "risk_rag": risk,
        "overall_rag": overall,
        "reported_rag": reported,
        "optimism": "Yes" if RANK[reported] < RANK[overall] else "No",
        "stale": "Yes" if stale else "No",
        "errors": errors,
        "warnings": warnings,
        "rag_reasons": "; ".join(reasons),
        "source_file": f"trackers/{pid}.xlsx",
    }


def build_portfolio(extra_projects: int = 0) -> PortfolioRun:
    """Ten projects in four programmes (and one without), plus ``extra_projects`` greens."""
    d = AS_OF
    days = dt.timedelta
    specs: list[tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]] = []

    def add(
        pid: str,
        name: str,
        programme: str | None,
        pm: str,
        ms: list[dict[str, Any]],
        raid: list[dict[str, Any]],
        **kw: Any,
    ) -> None:
        specs.append((_project(pid, name, programme, pm, milestones=ms, raid=raid, **kw), ms, raid))

    add(
        "FIN-0001",
        "Ledger Upgrade",
        "Finance",
        "Dana Osei",
        [
            _ms("FIN-0001", "M-1", "Design signed off", d - days(90), d - days(88), "Achieved"),
            _ms("FIN-0001", "M-2", "Data migrated", d - days(40), d - days(5), "Late"),
            _ms("FIN-0001", "M-3", "Go-live", d + days(10), d + days(52)),
        ],
        [_raid("FIN-0001", "R-1", "Vendor late", severity="High", due=d + days(20))],
        schedule="Red",
        risk="Amber",
        reported="Green",
        budget=2_600_000.0,
        eac=2_650_000.0,
        reasons=(
            "Schedule Red: 1 overdue milestone",
            "Schedule Red: milestone slippage 42 d > 30",
            "Risk Amber: 1 open High risk/issue",
        ),
        errors=2,
        warnings=1,
    )
    add(
        "FIN-0002",
        "Procure-to-Pay",
        "Finance",
        "Rachel Byrne",
        [_ms("FIN-0002", "M-1", "Supplier portal live", d + days(12), d + days(27))],
        [],
        cost="Amber",
        reported="Amber",
        budget=1_150_000.0,
        eac=1_230_500.0,
        reasons=("Cost Amber: VAC +7.0 % > 5 %",),
    )
    add(
        "FIN-0003",
        "Close Acceleration",
        "Finance",
        "Dana Osei",
        [_ms("FIN-0003", "M-1", "Pilot close", d + days(45), d + days(45))],
        [],
        budget=640_000.0,
    )
    add(
        "CUS-0001",
        "Mobile Payments",
        "Customer",
        "Chen Wei",
        [_ms("CUS-0001", "M-1", "Beta", d + days(3), d + days(5))],
        [
            _raid("CUS-0001", "R-1", "Provider API change", severity="Critical", due=d + days(30)),
            _raid("CUS-0001", "R-2", FORMULA_TITLE, due=d + days(2), p=4, i=4),
            _raid(
                "CUS-0001",
                "I-3",
                "Consent flags missing",
                type_="Issue",
                severity="High",
                status="Mitigating",
                due=d - days(3),
            ),
            _raid("CUS-0001", "R-4", "Closed risk", severity="Critical", status="Closed"),
        ],
        risk="Red",
        reported="Red",
        budget=920_000.0,
        reasons=("Risk Red: 1 open Critical risk/issue", "Risk Red: 3 open High/Critical >= 3"),
    )
    add(
        "CUS-0002",
        "Portal v2",
        "Customer",
        "Aisha Rahman",
        [_ms("CUS-0002", "M-1", "Accessibility audit", d - days(20), d - days(10))],
        [],
        reported="Green",
        status_date=d - days(30),
        budget=1_850_000.0,
    )
    add(
        "CUS-0003",
        "+44 Contact Centre",
        "Customer",
        "Mark Delaney",
        [],
        [_raid("CUS-0003", "A-1", "Assumption rated high", type_="Assumption", severity="High")],
        cost="Red",
        reported="Amber",
        budget=3_400_000.0,
        eac=3_944_000.0,
        reasons=("Cost Red: VAC +16.0 % > 10 %", "Cost Red: CPI 0.83 < 0.85"),
    )
    add(
        "EST-0001",
        "HQ Consolidation",
        "Estates",
        "Laura McKenzie",
        [_ms("EST-0001", "M-1", "Lease signed", d + days(1), d + days(16))],
        [_raid("EST-0001", "R-1", "Staff resist", p=3, i=5, due=None)],
        schedule="Amber",
        risk="Amber",
        reported="Amber",
        budget=5_200_000.0,
        reasons=(
            "Schedule Amber: milestone slippage 15 d > 10",
            "Risk Amber: 1 open High risk/issue",
        ),
        errors=4,
    )
    add("EST-0002", "LED Retrofit", "Estates", "Owen Price", [], [], budget=760_000.0, warnings=3)
    add(
        "DIG-0001",
        "Laptop Refresh",
        "Digital Workplace",
        "Tom Okafor",
        [_ms("DIG-0001", "M-1", "Wave 1 shipped", d - days(60), d - days(25), "Late")],
        [],
        schedule="Red",
        reported="Red",
        budget=2_150_000.0,
        eac=None,
        reasons=("Schedule Red: 1 overdue milestone",),
    )
    add("XXX-0001", "Orphan Project", None, "", [], [], budget=300_000.0)
    for n in range(extra_projects):
        add(f"ZZZ-{n:04d}", f"Extra project {n}", "Estates", "Owen Price", [], [], budget=100_000.0)

    projects = [s[0] for s in specs]
    projects[8]["eac"] = None  # DIG-0001 has no budget lines: no EAC
    findings = []
    for p in projects:
        for n in range(p["errors"]):
            findings.append(_finding(p, "error", n))
        for n in range(p["warnings"]):
            findings.append(_finding(p, "warning", n))
    findings.append(
        {
            "file": "trackers/broken.xlsx",
            "project_id": "",
            "sheet": "",
            "cell": "",
            "field": "",
            "rule": "file.unreadable",
            "severity": "error",
            "message": "not a zip file",
            "value": "",
        }
    )
    load_log = [
        {
            "file": p["source_file"],
            "status": "invalid" if p["errors"] else "valid",
            "reason": "",
            "project_id": p["project_id"],
            "rows_read": 50,
            "seconds": 0.01,
        }
        for p in projects
    ]
    load_log.append(
        {
            "file": "trackers/broken.xlsx",
            "status": "unreadable",
            "reason": "not a zip file",
            "project_id": "",
            "rows_read": 0,
            "seconds": 0.0,
        }
    )
    return run_from_rows(
        name="Acme & Co PMO",
        as_of=AS_OF,
        projects=projects,
        milestones=[m for s in specs for m in s[1]],
        raid=[r for s in specs for r in s[2]],
        findings=findings,
        load_log=load_log,
        generated="2026-11-20T09:00:00",
    )


def _finding(p: dict[str, Any], severity: str, n: int) -> dict[str, Any]:
    return {
        "file": p["source_file"],
        "project_id": p["project_id"],
        "sheet": "Tasks",
        "cell": f"A{n + 2}",
        "field": "Owner",
        "rule": "task.owner_required",
        "severity": severity,
        "message": "Owner is required",
        "value": "",
    }


def previous_portfolio(now: PortfolioRun) -> PortfolioRun:
    """Last week's portfolio: FIN-0001 was Amber, CUS-0003 Red, DIG-0001 not there yet."""
    before = {p.project_id: p.overall_rag for p in now.projects}
    before.update(
        {"FIN-0001": "Amber", "CUS-0003": "Red", "EST-0001": "Green", "OLD-0001": "Green"}
    )
    del before["DIG-0001"]
    return run_from_rows(
        name=now.name,
        as_of=AS_OF - dt.timedelta(days=7),
        projects=[
            {"project_id": pid, "project_name": pid, "overall_rag": rag, "source_file": pid}
            for pid, rag in before.items()
        ],
    )


# --- fixtures and readers -------------------------------------------------------------------


@pytest.fixture(scope="module")
def portfolio() -> PortfolioRun:
    return build_portfolio()


@pytest.fixture(scope="module")
def data(portfolio: PortfolioRun) -> DashboardData:
    return summarise(portfolio, Settings(), previous_portfolio(portfolio))


@pytest.fixture(scope="module")
def xlsx(portfolio: PortfolioRun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dash") / "dashboard.xlsx"
    assert (
        write_dashboard(out, portfolio, Settings(), previous=previous_portfolio(portfolio)) == out
    )
    return out


@pytest.fixture(scope="module")
def book(xlsx: Path) -> Workbook:
    return load_workbook(xlsx)


def _parts(xlsx: Path) -> dict[str, str]:
    with zipfile.ZipFile(xlsx) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels"))}


def _range_values(book: Workbook, ref: str) -> list[Any]:
    sheet, cells = ref.rsplit("!", 1)
    ws = book[sheet.strip("'").replace("''", "'")]
    min_col, min_row, max_col, max_row = (int(b or 0) for b in range_boundaries(cells))
    return [
        ws.cell(r, c).value
        for r in range(min_row, max_row + 1)
        for c in range(min_col, max_col + 1)
    ]


def _links(ws: Any) -> set[str]:
    return {
        c.hyperlink.location
        for row in ws.iter_rows()
        for c in row
        if getattr(c, "hyperlink", None) is not None
    }


def _charts(xlsx: Path) -> Iterator[tuple[str, list[dict[str, str]]]]:
    """(chart xml, series [{name, cat, val}]) per chart, in file order."""
    parts = _parts(xlsx)
    for name in sorted(p for p in parts if re.fullmatch(r"xl/charts/chart\d+\.xml", p)):
        xml = parts[name]
        series = []
        for ser in re.findall(r"<c:ser>(.*?)</c:ser>", xml, re.S):
            refs = {
                key: re.search(rf"<c:{key}>.*?<c:f>(.*?)</c:f>", ser, re.S)
                for key in ("tx", "cat", "val")
            }
            series.append({k: m.group(1) for k, m in refs.items() if m})
        yield xml, series


# --- summarise: the numbers, recomputed independently ---------------------------------------


def test_tiles_equal_the_projects_rows(portfolio: PortfolioRun, data: DashboardData) -> None:
    rows = project_rows(portfolio)
    n = len(rows)
    red = sum(1 for p in rows if p["overall_rag"] == "Red")
    amber = sum(1 for p in rows if p["overall_rag"] == "Amber")
    green = sum(1 for p in rows if p["overall_rag"] == "Green")
    no_data = sum(1 for p in rows if p["overall_rag"] == "No data")
    expected = {
        "projects": n,
        "red": red,
        "amber": amber,
        "green": green,
        "no_data": no_data,
        "budget": sum(p["budget"] for p in rows if p["budget"] is not None),
        "eac": sum(p["eac"] for p in rows if p["eac"] is not None),
        "overdue_milestones": sum(p["overdue_milestones"] for p in rows),
        "open_high_critical": sum(p["open_high_risks"] for p in rows),
        "stale": sum(1 for p in rows if p["stale"] == "Yes"),
        "optimism": sum(1 for p in rows if p["optimism"] == "Yes"),
    }
    assert {t.key: t.value for t in data.tiles} == pytest.approx(expected)
    assert (red, amber, green, no_data) == (4, 3, 3, 0)  # the builder's design
    assert expected["overdue_milestones"] == 2
    assert expected["open_high_critical"] == 5
    assert data.tile("red").share == pytest.approx(red / n)
    assert data.tile("stale").share == pytest.approx(1 / n)
    assert data.tile("eac").note == "no EAC for 1 project"


def test_programme_series(portfolio: PortfolioRun, data: DashboardData) -> None:
    names = [p.programme for p in data.programmes]
    assert names == ["Customer", "Digital Workplace", "Estates", "Finance", "(no programme)"]
    for prog in data.programmes:
        rows = [
            p
            for p in project_rows(portfolio)
            if (p["programme"] or "(no programme)") == prog.programme
        ]
        assert (prog.red, prog.amber, prog.green) == tuple(
            sum(1 for p in rows if p["overall_rag"] == rag) for rag in ("Red", "Amber", "Green")
        )
        assert prog.budget == pytest.approx(sum(p["budget"] for p in rows))
        assert prog.eac == pytest.approx(sum(p["eac"] or 0 for p in rows))


def test_matrix_is_worst_first(portfolio: PortfolioRun, data: DashboardData) -> None:
    def key(p: dict[str, Any]) -> tuple[Any, ...]:
        return (
            -RANK[p["overall_rag"]],
            -RANK[p["schedule_rag"]],
            -RANK[p["cost_rag"]],
            -RANK[p["risk_rag"]],
            p["project_id"],
        )

    expected = [p["project_id"] for p in sorted(project_rows(portfolio), key=key)]
    assert [m.project_id for m in data.matrix] == expected
    assert expected[:4] == ["FIN-0001", "DIG-0001", "CUS-0003", "CUS-0001"]
    top = data.matrix[0]
    assert (top.overall, top.reported, top.optimism) == ("Red", "Green", True)
    assert top.top_reason == "Schedule Red: 1 overdue milestone"


def test_exceptions(data: DashboardData) -> None:
    assert [(e.kind, e.project_id) for e in data.exceptions] == [
        ("Red", "FIN-0001"),
        ("Red", "DIG-0001"),
        ("Red", "CUS-0003"),
        ("Red", "CUS-0001"),
        ("Optimism", "FIN-0001"),
        ("Optimism", "CUS-0003"),
        ("Optimism", "CUS-0002"),
        ("Stale", "CUS-0002"),
    ]
    stale = data.exceptions[-1]
    assert (stale.age_days, stale.overall, stale.reported) == (30, "Amber", "Green")
    assert data.exceptions[0].reasons[1] == "Schedule Red: milestone slippage 42 d > 30"


def test_milestones_ahead(portfolio: PortfolioRun, data: DashboardData) -> None:
    got = [(m.when, m.project_id, m.milestone_id, m.slippage_days) for m in data.milestones]
    assert got == [
        ("Overdue", "DIG-0001", "M-1", 35),
        ("Overdue", "FIN-0001", "M-2", 35),
        # stale report: forecast after its Status Date, before as-of; not counted overdue
        ("Passed since report", "CUS-0002", "M-1", 10),
        ("Due soon", "CUS-0001", "M-1", 2),
        ("Due soon", "EST-0001", "M-1", 15),
        ("Due soon", "FIN-0002", "M-1", 15),
    ]
    overdue = sum(1 for m in data.milestones if m.when == "Overdue")
    assert overdue == data.tile("overdue_milestones").value


def test_slippage_agrees_with_the_engine_and_worst_ten(portfolio: PortfolioRun) -> None:
    for p in project_rows(portfolio):
        slips = [
            s
            for m in portfolio.table("Milestones").rows()
            if m["project_id"] == p["project_id"]
            if (s := slippage_days(m)) is not None
        ]
        assert (max(slips) if slips else None) == p["max_slippage_days"], p["project_id"]
    big = build_portfolio()
    extra = [
        _ms("EST-0002", f"M-{n}", f"Step {n}", AS_OF, AS_OF + dt.timedelta(n)) for n in range(14)
    ]
    big.tables["Milestones"] = kind_rows("Milestones", [*big.table("Milestones").rows(), *extra])
    data = summarise(big, Settings())
    assert len(data.slippages) == 10
    assert [s.days for s in data.slippages] == [42, 35, 35, 15, 15, 13, 12, 11, 10, 10]
    assert data.slippages[0].label == "FIN-0001 M-3 Go-live"


def test_top_risks(portfolio: PortfolioRun, data: DashboardData) -> None:
    got = [(r.severity, r.project_id, r.raid_id) for r in data.top_risks]
    assert got == [
        ("Critical", "CUS-0001", "R-1"),
        ("High", "CUS-0001", "I-3"),  # overdue: due first
        ("High", "CUS-0001", "R-2"),  # severity derived 4 x 4 = 16
        ("High", "FIN-0001", "R-1"),
        ("High", "EST-0001", "R-1"),  # no due date: last
    ]
    assert len(data.top_risks) == sum(p["open_high_risks"] for p in project_rows(portfolio))
    assert data.top_risks[2].title == FORMULA_TITLE


def test_data_quality_league(data: DashboardData) -> None:
    assert [(q.name, q.errors, q.warnings, q.files) for q in data.quality_projects[:4]] == [
        ("EST-0001", 4, 0, 1),
        ("FIN-0001", 2, 1, 1),
        ("EST-0002", 0, 3, 1),
        ("CUS-0001", 0, 0, 1),
    ]
    managers = {q.name: q for q in data.quality_managers}
    assert (managers["Dana Osei"].errors, managers["Dana Osei"].files) == (2, 2)
    assert data.quality_managers[0].name == "Laura McKenzie"
    assert "(no project manager)" in managers
    assert [(u.file, u.status, u.errors) for u in data.unloaded] == [
        ("trackers/broken.xlsx", "unreadable", 1)
    ]


def test_trend_amber_to_red_is_worse_and_a_new_red(data: DashboardData) -> None:
    trend = data.trend
    assert trend is not None
    arrows = {r.project_id: (r.before, r.now, r.arrow) for r in trend.rows}
    assert arrows["FIN-0001"] == ("Amber", "Red", ARROW_WORSE)
    assert arrows["CUS-0003"] == ("Red", "Red", ARROW_SAME)
    assert arrows["EST-0001"] == ("Green", "Amber", ARROW_WORSE)
    assert arrows["DIG-0001"] == (None, "Red", ARROW_NEW)
    assert [r.project_id for r in trend.new_reds] == ["FIN-0001", "DIG-0001"]
    assert trend.dropped == ("OLD-0001",)


def test_trend_recovered() -> None:
    now = build_portfolio()
    before = previous_portfolio(now)
    before.projects = [
        replace(p, overall_rag="Red") if p.project_id == "CUS-0002" else p for p in before.projects
    ]
    trend = summarise(now, Settings(), before).trend
    assert trend is not None
    assert [(r.project_id, r.before, r.now, r.arrow) for r in trend.recovered] == [
        ("CUS-0002", "Red", "Amber", ARROW_BETTER)
    ]


# --- the workbook ---------------------------------------------------------------------------


def test_sheets(book: Workbook) -> None:
    assert book.sheetnames == [*SHEETS, "Trend", "Chart Data"]
    assert book["Chart Data"].sheet_state == "hidden"
    assert book.active is not None and book.active.title == "Dashboard"
    for name in [*SHEETS, "Trend"]:
        ws = book[name]
        assert "Acme & Co PMO" in str(ws["A1"].value), name
        as_of = [c.value for c in ws[1] if isinstance(c.value, dt.datetime)]
        assert as_of == [dt.datetime(2026, 11, 20)], name
    for name in [*SHEETS[1:], "Trend"]:
        ws = book[name]
        assert ws.freeze_panes in ("A5", "D5"), name
        assert ws.tables, name


def test_tile_cells_equal_summary_and_rows(
    book: Workbook, portfolio: PortfolioRun, data: DashboardData
) -> None:
    ws = book["Dashboard"]
    row = TILE_ROW + 1
    cells = {}
    for i, tile in enumerate(data.tiles):
        col = i * TILE_SPAN + 1
        cells[tile.key] = ws.cell(row, col).value
        assert ws.cell(row + 2, col).value == tile.label
        under = ws.cell(row + 1, col).value
        assert under == (tile.share if tile.share is not None else tile.note or None)
    assert cells == pytest.approx({t.key: t.value for t in data.tiles})
    rows = project_rows(portfolio)
    assert cells["red"] == sum(1 for p in rows if p["overall_rag"] == "Red")
    assert cells["projects"] == len(rows)
    assert cells["open_high_critical"] == sum(p["open_high_risks"] for p in rows)
    assert cells["budget"] == pytest.approx(sum(p["budget"] for p in rows))
    assert ws.cell(row + 1, 4).value == pytest.approx(4 / 10)
    assert ws.cell(row + 1, 4).number_format == '0%" of projects"'
    assert f"A{row}:C{row}" in {str(r) for r in ws.merged_cells.ranges}


def test_charts_read_the_summarised_numbers(
    xlsx: Path, book: Workbook, portfolio: PortfolioRun, data: DashboardData
) -> None:
    charts = list(_charts(xlsx))
    assert len(charts) == 3
    (rag_xml, rag), (cost_xml, cost), (slip_xml, slip) = charts
    assert '<c:barDir val="bar"/>' in rag_xml and '<c:grouping val="stacked"/>' in rag_xml
    assert '<c:grouping val="clustered"/>' in cost_xml
    assert '<c:barDir val="bar"/>' in slip_xml
    programmes = [p.programme for p in data.programmes]
    words = {"Red": "red", "Amber": "amber", "Green": "green", "No data": "no_data"}
    for series, word in zip(rag, words, strict=True):
        assert _range_values(book, series["tx"]) == [word]
        assert _range_values(book, series["cat"]) == programmes
        values = _range_values(book, series["val"])
        assert values == [getattr(p, words[word]) for p in data.programmes]
        # independent: count the Projects rows of each programme with that Overall RAG
        assert values == [
            sum(
                1
                for p in project_rows(portfolio)
                if (p["programme"] or "(no programme)") == prog and p["overall_rag"] == word
            )
            for prog in programmes
        ]
        fill = RAG_COLOURS[word][0].lstrip("#")
        assert f'<a:srgbClr val="{fill}"/>' in rag_xml
    assert [_range_values(book, s["tx"]) for s in cost] == [["Budget"], ["EAC"]]
    assert _range_values(book, cost[0]["val"]) == pytest.approx([p.budget for p in data.programmes])
    assert _range_values(book, cost[1]["val"]) == pytest.approx([p.eac for p in data.programmes])
    assert sum(_range_values(book, cost[0]["val"])) == pytest.approx(
        sum(p["budget"] for p in project_rows(portfolio))
    )
    assert _range_values(book, slip[0]["cat"]) == [s.label for s in data.slippages]
    assert _range_values(book, slip[0]["val"]) == [s.days for s in data.slippages]
    assert _range_values(book, slip[0]["val"])[0] == max(
        p["max_slippage_days"] or 0 for p in project_rows(portfolio)
    )


def test_matrix_on_the_dashboard(book: Workbook, data: DashboardData) -> None:
    ws = book["Dashboard"]
    first = MATRIX_HEADER_ROW + 2
    col = 1
    starts = []
    for header, span, _ in MATRIX_COLUMNS:
        assert ws.cell(first - 1, col).value == header
        starts.append(col)
        col += span
    assert col - 1 == GRID
    shown = [
        tuple(ws.cell(r, c).value for c in starts) for r in range(first, first + len(data.matrix))
    ]
    assert shown == [
        (
            m.project_id,
            m.project_name,
            m.programme or None,
            m.schedule,
            m.cost,
            m.risk,
            m.overall,
            m.reported,
            m.top_reason or None,
        )
        for m in data.matrix
    ]
    assert str(ws.cell(first + len(data.matrix), 1).value).startswith("Schedule: SPI")


def test_conditional_formats_colour_the_rag_words(book: Workbook, data: DashboardData) -> None:
    ws = book["Dashboard"]
    first = MATRIX_HEADER_ROW + 2
    last = first + len(data.matrix) - 1
    spans = {}
    col = 1
    for header, span, _ in MATRIX_COLUMNS:
        spans[header] = (col, col + span - 1)
        col += span
    left = get_column_letter(spans["Schedule"][0])
    right = get_column_letter(spans["Reported"][1])
    expected_range = f"{left}{first}:{right}{last}"
    rules = {
        str(cf.sqref): [(r.operator, r.formula, r.dxf.fill.bgColor.rgb) for r in cf.rules]
        for cf in ws.conditional_formatting
    }
    fills = {word: "FF" + fill.lstrip("#").upper() for word, (fill, _) in RAG_COLOURS.items()}
    assert rules[expected_range] == [
        ("equal", [f'"{word}"'], fills[word]) for word in ("Red", "Amber", "Green", "No data")
    ]
    matrix = book["RAG Matrix"]
    ranges = {str(cf.sqref) for cf in matrix.conditional_formatting}
    n = len(data.matrix)
    assert {f"{c}5:{c}{4 + n}" for c in "FGHIJ"} <= ranges


def test_print_setup(xlsx: Path, book: Workbook) -> None:
    parts = _parts(xlsx)
    sheet1 = parts["xl/worksheets/sheet1.xml"]
    assert '<pageSetUpPr fitToPage="1"/>' in sheet1
    setup = re.search(r"<pageSetup [^>]*/>", sheet1)
    assert setup is not None
    assert 'orientation="landscape"' in setup.group(0)
    assert "fitToHeight" not in setup.group(0)  # 1 wide x 1 tall (the defaults)
    assert "&amp;L&amp;8Acme &amp;&amp; Co PMO&amp;C" in sheet1  # the name in the header, & escaped
    assert "As of 20/11/2026" in sheet1
    assert re.search(r"<pageMargins [^>]*/>", sheet1)
    ws = book["Dashboard"]
    footnote = MATRIX_HEADER_ROW + 1 + 10 + 1  # header, 10 projects, footnote (1-based)
    assert str(ws.print_area).endswith(f"!$A$1:${get_column_letter(GRID)}${footnote}")
    assert ws.print_title_rows == "$1:$1"
    for name in SHEETS[1:]:
        assert book[name].print_title_rows == "$1:$4", name
        assert book[name].page_setup.fitToHeight == 0, name


def test_the_summary_line_is_shown_whole(book: Workbook) -> None:
    """The line under the title, with the change since last week, is longer than the page
    is wide: it wraps, and its row is as tall as its lines (a merged cell does neither by
    itself: the sentence was cut off mid-word)."""
    ws = book["Dashboard"]
    text = ws["A2"].value
    assert isinstance(text, str) and text.endswith(" recovered.") and "Since " in text
    assert ws["A2"].alignment.wrap_text
    lines = math.ceil(len(text) / (GRID * GRID_WIDTH * MUTED_CHARS_PER_UNIT))
    assert lines >= 2 and ws.row_dimensions[2].height >= MUTED_LINE_POINTS * lines


def test_internal_links_only(xlsx: Path, book: Workbook) -> None:
    ws = book["Dashboard"]
    targets = _links(ws)
    for sheet in (
        "RAG Matrix",
        "Exceptions",
        "Milestones ahead",
        "Top risks",
        "Data quality",
        "Trend",
    ):
        quoted = f"'{sheet}'!A1" if " " in sheet else f"{sheet}!A1"
        assert quoted in targets
        assert sheet in book.sheetnames
    for name in SHEETS[1:]:
        assert _links(book[name]) == {"Dashboard!A1"}, name
    for part, text in _parts(xlsx).items():
        assert 'TargetMode="External"' not in text, part


def test_formula_text_stays_text(xlsx: Path, book: Workbook) -> None:
    ws = book["Top risks"]
    hits = [c for row in ws.iter_rows() for c in row if c.value == FORMULA_TITLE]
    assert len(hits) == 1 and hits[0].data_type == "s"
    names = [c.value for c in book["RAG Matrix"]["C"]]
    assert "+44 Contact Centre" in names
    for part, text in _parts(xlsx).items():
        if part.startswith("xl/worksheets/"):
            assert "<f>" not in text and "<f " not in text, part


def test_detail_sheets(book: Workbook, data: DashboardData) -> None:
    exc = book["Exceptions"]
    assert [c.value for c in exc[4]][:3] == ["Exception", "Project ID", "Project"]
    assert [(exc.cell(r, 1).value, exc.cell(r, 2).value) for r in range(5, 13)] == [
        (e.kind, e.project_id) for e in data.exceptions
    ]
    assert exc.cell(12, 9).value == 30  # age of the stale report
    assert exc.cell(5, 10).value == "\n".join(data.exceptions[0].reasons)
    ms = book["Milestones ahead"]
    assert [ms.cell(r, 1).value for r in range(5, 5 + len(data.milestones))] == [
        m.when for m in data.milestones
    ]
    assert ms.cell(5, 10).value == dt.datetime(2026, 10, 26)
    assert ms.cell(5, 10).number_format == "dd/mm/yyyy"
    risks = book["Top risks"]
    assert [risks.cell(r, 1).value for r in range(5, 10)] == [r.severity for r in data.top_risks]
    dq = book["Data quality"]
    assert [dq.cell(r, 1).value for r in range(5, 8)] == ["EST-0001", "FIN-0001", "EST-0002"]
    assert dq.cell(5, 7).value == "Laura McKenzie"
    trend = book["Trend"]
    rows = {trend.cell(r, 1).value: trend.cell(r, 6).value for r in range(5, 5 + 10)}
    assert rows["FIN-0001"] == ARROW_WORSE
    assert rows["DIG-0001"] == ARROW_NEW
    assert [trend.cell(r, 8).value for r in (5, 6)] == ["FIN-0001", "DIG-0001"]


def test_many_projects_keep_the_dashboard_to_one_page(tmp_path: Path) -> None:
    big = build_portfolio(extra_projects=40)
    out = write_dashboard(tmp_path / "big.xlsx", big, Settings())
    book = load_workbook(out)
    ws = book["Dashboard"]
    first = MATRIX_HEADER_ROW + 2
    ids = [ws.cell(r, 1).value for r in range(first, first + DASHBOARD_MATRIX_ROWS + 1)]
    assert ids[:4] == ["FIN-0001", "DIG-0001", "CUS-0003", "CUS-0001"]
    assert str(ids[DASHBOARD_MATRIX_ROWS]).startswith("Schedule: SPI")  # the footnote
    note = ws.cell(MATRIX_TITLE_ROW + 1, GRID - 10 + 1)  # the title's last ten columns
    assert note.value == f"+ {50 - DASHBOARD_MATRIX_ROWS} more on RAG Matrix ▸"
    assert note.hyperlink is not None and note.hyperlink.location == "'RAG Matrix'!A1"
    assert book["RAG Matrix"].max_row == 4 + 50
    assert "Trend" not in book.sheetnames
    last = MATRIX_HEADER_ROW + 1 + DASHBOARD_MATRIX_ROWS + 1
    assert str(ws.print_area).endswith(f"$A$1:${get_column_letter(GRID)}${last}")


def print_scale(ws: Any) -> float:
    """The zoom that fits the Dashboard's print area on one A4 landscape page (1 = full size)."""
    last = int(str(ws.print_area).rsplit("$", 1)[1])
    width = GRID * GRID_PX * 0.75  # points
    height = sum(ws.row_dimensions[r].ht or 15 for r in range(1, last + 1))
    m = ws.page_margins
    return float(
        min(
            (842 - (m.left + m.right) * 72) / width,
            (595 - (m.top + m.bottom) * 72) / height,
            1,
        )
    )


@pytest.mark.parametrize("extra", [0, 40, 400])
def test_the_one_page_stays_legible(tmp_path: Path, extra: int) -> None:
    out = write_dashboard(tmp_path / "d.xlsx", build_portfolio(extra_projects=extra), Settings())
    assert print_scale(load_workbook(out)["Dashboard"]) >= 0.8


def test_empty_portfolio(tmp_path: Path) -> None:
    empty = PortfolioRun(name="Empty", as_of=AS_OF, generated="")
    out = write_dashboard(tmp_path / "empty.xlsx", empty, Settings())
    book = load_workbook(out)
    assert book["Dashboard"].cell(TILE_ROW + 1, 1).value == 0
    assert list(_charts(out)) == []


def test_a_failed_write_leaves_the_previous_file(
    tmp_path: Path, portfolio: PortfolioRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "dashboard.xlsx"
    out.write_bytes(b"previous")

    def boom(*args: Any, **kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(dashboard_writer, "write_data", boom)
    with pytest.raises(OutputError, match="could not write the dashboard"):
        write_dashboard(out, portfolio, Settings())
    assert out.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["dashboard.xlsx"]


def test_export_pdf_without_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    with pytest.raises(OutputError) as err:
        export_pdf(tmp_path / "dashboard.xlsx", tmp_path / "dashboard.pdf")
    assert str(err.value) == (
        "LibreOffice is not installed: install libreoffice-calc (Debian: apt-get install "
        "libreoffice-calc-nogui) or open the .xlsx and print to PDF"
    )
    assert str(err.value) == NOT_INSTALLED
    assert not (tmp_path / "dashboard.pdf").exists()


@pytest.mark.skipif(not Path("/bin/sh").exists(), reason="needs a POSIX shell")
@pytest.mark.parametrize(
    ("script", "message"),
    [
        ("echo 'Error: source file could not be loaded' >&2; exit 1", "could not print it to PDF"),
        ("exit 0", "could not print it to PDF (exit code 0)"),
        ("sleep 30", "did not finish printing to PDF within 0.5 s"),
    ],
)
def test_export_pdf_failures_are_clear(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str, message: str
) -> None:
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\n{script}\n")
    fake.chmod(0o755)
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: str(fake))
    xlsx = tmp_path / "dashboard.xlsx"
    xlsx.write_bytes(b"PK")
    pdf = tmp_path / "dashboard.pdf"
    pdf.write_bytes(b"last week")
    with pytest.raises(OutputError, match=re.escape(message)):
        export_pdf(xlsx, pdf, timeout=0.5)
    assert pdf.read_bytes() == b"last week"
    with pytest.raises(OutputError, match="no such workbook"):
        export_pdf(tmp_path / "missing.xlsx", pdf)
