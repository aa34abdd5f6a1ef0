"""End to end: consolidate the committed sample trackers, then write the dashboard.

The samples (``workbooks/samples/*.xlsx``, made by ``scripts/make_samples.py``)
are part of the repository; if they are missing this module fails rather than
skips, so a broken checkout cannot pass silently.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from addin.core.settings import Settings
from addin.demo import SAMPLE_CASES, SAMPLES_AS_OF
from addin.engine.consolidate import consolidate
from addin.engine.run import PortfolioRun
from addin.outputs.dashboard import summarise, write_dashboard
from addin.outputs.dashboard.layout import TILE_ROW, TILE_SPAN
from addin.outputs.portfolio import read_portfolio, write_portfolio
from tests.conftest import SAMPLES
from tests.runs import project_rows

SAMPLE_FILES = sorted(SAMPLES.glob("*.xlsx"))
MISSING = (
    f"no sample trackers in {SAMPLES}: they are committed with the repository; "
    "regenerate them with `python scripts/make_samples.py`"
)


def test_the_samples_are_there() -> None:
    assert SAMPLE_FILES, MISSING
    assert len(SAMPLE_FILES) == len(SAMPLE_CASES)


@pytest.fixture(scope="module")
def run() -> PortfolioRun:
    assert SAMPLE_FILES, MISSING
    return consolidate(SAMPLE_FILES, Settings(), as_of=SAMPLES_AS_OF, jobs=2)


def test_sample_dashboard(run: PortfolioRun, tmp_path: Path) -> None:
    portfolio = run
    data = summarise(portfolio, Settings())
    out = write_dashboard(tmp_path / "dashboard.xlsx", portfolio, Settings())
    ws = load_workbook(out)["Dashboard"]
    tiles = {
        t.key: ws.cell(TILE_ROW + 1, i * TILE_SPAN + 1).value for i, t in enumerate(data.tiles)
    }
    rows = project_rows(portfolio)
    assert tiles["projects"] == len(rows) == len(SAMPLE_CASES)
    for rag in ("Red", "Amber", "Green"):
        assert tiles[rag.lower()] == sum(1 for p in rows if p["overall_rag"] == rag)
    assert tiles["open_high_critical"] == sum(p["open_high_risks"] for p in rows)
    assert tiles["overdue_milestones"] == sum(p["overdue_milestones"] for p in rows)
    assert tiles["budget"] == pytest.approx(sum(p["budget"] for p in rows))

    by_kind: dict[str, set[str]] = {}
    for e in data.exceptions:
        by_kind.setdefault(e.kind, set()).add(e.project_id)
    cases = SAMPLE_CASES.values()
    assert by_kind.get("Optimism", set()) == {c.project_id for c in cases if c.optimism}
    assert by_kind.get("Stale", set()) == {c.project_id for c in cases if c.stale}
    assert by_kind.get("Red", set()) == {p["project_id"] for p in rows if p["overall_rag"] == "Red"}
    assert len(data.top_risks) == tiles["open_high_critical"]
    assert {p.programme for p in data.programmes} == {c.programme for c in cases}
    erroneous = {c.project_id for c in cases if c.errors}
    assert {q.name for q in data.quality_projects[: len(erroneous)]} == erroneous


def test_dashboard_from_a_portfolio_workbook(run: PortfolioRun, tmp_path: Path) -> None:
    """``pmo dashboard PORTFOLIO.xlsx``: reading the portfolio back gives the same dashboard."""
    path = write_portfolio(tmp_path / "portfolio.xlsx", run, Settings())
    again = read_portfolio(path)
    direct = summarise(run, Settings())
    read_back = summarise(again, Settings())
    assert read_back.tiles == direct.tiles
    assert read_back.matrix == direct.matrix
    assert read_back.milestones == direct.milestones
    assert read_back.top_risks == direct.top_risks
    assert read_back.exceptions == direct.exceptions
