"""``pmo pack`` with the history (trends and movers) and the resource data (hot spots).

A history of two weeks is built from typed runs whose movements are known by
construction; the third week is the portfolio workbook given to ``pmo pack``. The hot
spots are checked against the people the sample staffing is designed to over-allocate
(:mod:`addin.demo.staffing`).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from addin.app.demo import run_demo
from addin.app.history import history_url, list_snapshots, open_history, remember
from addin.app.pack import load_for_pack
from addin.cli import app
from addin.core.settings import Settings
from addin.outputs.portfolio import write_portfolio
from tests.history.weeks import WEEK1, WEEK2, WEEK3, milestone, project, week
from tests.slides_check import Slide, overflows, slides

BASE = dt.date(2027, 3, 1)


def _weeks() -> list[object]:
    """Three weeks; the third moves every project a different way (see the asserts)."""

    def rows(w: int) -> list[dict[str, object]]:
        third = w == 3
        out = [
            project(
                "P-001",
                ("Green", "Amber", "Red")[w - 1],
                schedule_rag=("Green", "Amber", "Red")[w - 1],
                spi=(1.0, 0.9, 0.7)[w - 1],
                cpi=1.0,
                rag_reasons="Schedule: SPI 0.70 below 0.80" if third else "",
            ),
            project("P-002", "Amber" if third else "Red", spi=0.95, cpi=(0.8, 0.8, 0.9)[w - 1]),
            project("P-003", "No data" if third else "Amber"),
            project(
                "P-004",
                "Amber" if third else "Green",
                cost_rag="Amber" if third else "Green",
                cpi=0.999 if third else 1.0,  # a change of -0.001 shows as +0.00, never -0.00
            ),
            project("P-005", "Green", stale="Yes" if third else "No"),
        ]
        if not third:
            out.append(project("P-006", "Green"))
        else:
            out.append(project("P-007", "Green"))
        return out

    return [
        week(
            day,
            rows(w),
            milestones=[
                milestone("P-001", "M-01", BASE, BASE + dt.timedelta(days=(0, 0, 20)[w - 1])),
                milestone("P-001", "M-02", BASE, BASE + dt.timedelta(days=(0, 0, 5)[w - 1])),
            ],
        )
        for w, day in ((1, WEEK1), (2, WEEK2), (3, WEEK3))
    ]


@pytest.fixture(scope="module")
def kept(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(portfolio of week 3, the history holding weeks 1 and 2)."""
    folder = tmp_path_factory.mktemp("kept")
    runs = _weeks()
    settings = Settings()
    url = history_url(folder / "h.sqlite", settings)
    store = open_history(url, settings)
    try:
        for run in runs[:2]:
            remember(store, run, settings)  # type: ignore[arg-type]
    finally:
        store.close()
    portfolio = write_portfolio(folder / "portfolio.xlsx", runs[2], settings)  # type: ignore[arg-type]
    return portfolio, folder / "h.sqlite"


def _pack(args: list[str]) -> tuple[int, list[str]]:
    result = CliRunner().invoke(app, ["pack", *args])
    return result.exit_code, result.output.strip().splitlines()


def _page(pages: list[Slide], start: str) -> Slide:
    return next(s for s in pages if s.title.startswith(start))


def test_the_trends_and_movers_come_from_the_history(
    kept: tuple[Path, Path], tmp_path: Path
) -> None:
    portfolio, history = kept
    out = tmp_path / "deck.pptx"
    code, lines = _pack([str(portfolio), "-o", str(out), "--history", str(history)])
    assert (code, lines) == (0, [f"wrote {out}"])
    pages = slides(out)
    trend = _page(pages, "Trends since 13/11/2026")
    # The chart's series are the history's own counts of weeks 1 and 2, then the portfolio's.
    stored = list_snapshots(history_url(history, Settings()), Settings())
    assert [s.as_of for s in stored] == [WEEK1, WEEK2]
    assert trend.categories[0] == ["06/11/2026", "13/11/2026", "20/11/2026"]
    assert trend.charts[0] == {
        "Red": [float(stored[0].red), float(stored[1].red), 1.0],
        "Amber": [float(stored[0].amber), float(stored[1].amber), 2.0],
        "Green": [float(stored[0].green), float(stored[1].green), 2.0],
        "No data": [0.0, 0.0, 1.0],
    }
    assert (stored[1].red, stored[1].amber, stored[1].green) == (1, 2, 3)
    summary = next(t for t in trend.texts if "new Red" in t).replace("• ", "").splitlines()
    assert summary == [
        "1 new Red",
        "1 worsened",
        "1 stale again",
        "1 recovered",
        "1 changed",
        "1 milestones forecast later by over a week",
        "1 no longer reported: P-006",
    ]
    movers = _page(pages, "Movers")
    assert [r[:7] for r in movers.tables[0][1:]] == [
        ["P-001", "Project P-001", "new Red", "Amber", "Red", "-0.20", "+0.00"],
        ["P-004", "Project P-004", "worsened", "Green", "Amber", "—", "+0.00"],
        ["P-005", "Project P-005", "stale again", "Green", "Green", "—", "—"],
        ["P-002", "Project P-002", "recovered", "Red", "Amber", "+0.00", "+0.10"],
        ["P-003", "Project P-003", "changed", "Amber", "No data", "—", "—"],
    ]
    assert "SPI 0.70 below 0.80" in movers.tables[0][1][7]
    slipping = _page(pages, "Slipping milestones")
    moved = [r for r in slipping.tables[-1] if r[0] == "P-001"]
    assert [(r[1], r[-1]) for r in moved] == [("M-01 Milestone M-01", "+20 d")]  # not M-02 (5 d)
    assert overflows(out) == []


def test_an_unreadable_history_still_writes_the_deck_exit_5(
    kept: tuple[Path, Path], tmp_path: Path
) -> None:
    portfolio, _ = kept
    folder = tmp_path / "beside"
    folder.mkdir()
    shutil.copy(portfolio, folder / "portfolio.xlsx")
    (folder / "pmo-history.sqlite").write_bytes(b"not a database at all" * 100)
    for args in ([], ["--history", str(tmp_path / "missing.sqlite")]):
        out = tmp_path / f"deck{len(args)}.pptx"
        code, lines = _pack([str(folder / "portfolio.xlsx"), "-o", str(out), *args])
        assert code == 5
        assert lines[0] == f"wrote {out}" and len(lines) == 2
        assert lines[1].startswith("history not read (no trends slides): ")
        titles = [s.title for s in slides(out)]
        assert titles[1] == "Portfolio summary"
        assert not any(t.startswith("Trends") for t in titles)


def test_previous_replaces_the_history_and_both_are_refused(
    kept: tuple[Path, Path], tmp_path: Path
) -> None:
    portfolio, history = kept
    folder = tmp_path / "beside"
    folder.mkdir()
    here = Path(shutil.copy(portfolio, folder / "portfolio.xlsx"))
    shutil.copy(history, folder / "pmo-history.sqlite")
    out = tmp_path / "beside.pptx"
    assert _pack([str(here), "-o", str(out)])[0] == 0  # the history beside it
    assert _page(slides(out), "Trends since 13/11/2026")
    assert _pack([str(here), "-o", str(out), "--previous", str(here)])[0] == 0
    assert _page(slides(out), "Trends since 20/11/2026")  # against --previous, not the history
    assert _pack([str(here), "-o", str(out), "--no-history"])[0] == 0
    assert not any(s.title.startswith("Trends") for s in slides(out))
    out.unlink()
    code, lines = _pack([str(here), "-o", str(out), "--previous", str(here), "--history", "h"])
    assert code == 2 and len(lines) == 1 and "--previous and --history" in lines[0]
    assert not out.exists()


# --- resource hot spots, on the samples -------------------------------------------------------

#: The over-allocations the sample staffing is designed to show (addin/demo/staffing.py).
DESIGNED = {
    ("Priya Natarajan", "Dec 2026", "Red"),
    ("Priya Natarajan", "Jan 2027", "Red"),
    ("Priya Natarajan", "Feb 2027", "Red"),
    ("Chen Wei", "Jan 2027", "Amber"),
    ("Chen Wei", "Feb 2027", "Amber"),
    ("Chen Wei", "Mar 2027", "Amber"),
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return run_demo(tmp_path_factory.mktemp("demo"), echo=lambda _: None)


def _hotspots(deck: Path) -> list[list[str]]:
    return _page(slides(deck), "Resource hot spots").tables[0][1:]


def test_the_samples_hot_spots_name_the_over_allocated_people(
    demo: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "deck.pptx"
    args = [str(demo["portfolio"]), "-o", str(out), "--no-history"]
    assert _pack([*args, "--capacity", str(demo["capacity list"])])[0] == 0
    rows = _hotspots(out)
    assert {(r[0], r[1], r[3]) for r in rows} == DESIGNED
    loads = [float(r[2].rstrip("%")) for r in rows]
    assert loads == sorted(loads, reverse=True)  # worst first
    priya = next(r for r in rows if r[0] == "Priya Natarajan")
    assert priya[4].split(", ") == ["DWP-0101", "DWP-0103"]  # her two projects, most days first
    # Without the capacity list everyone counts as one full-time person: Priya is Amber.
    assert _pack(args)[0] == 0
    assert {r[3] for r in _hotspots(out) if r[0] == "Priya Natarajan"} == {"Amber"}
    # Per ISO week, the periods are weeks.
    assert _pack([*args, "--capacity", str(demo["capacity list"]), "--period", "week"])[0] == 0
    assert all("-W" in r[1] for r in _hotspots(out))


def test_the_demo_pack_has_the_trends_and_the_hot_spots(demo: dict[str, Path]) -> None:
    pages = slides(demo["steering pack"])
    stored = list_snapshots(history_url(demo["history"], Settings()), Settings())
    assert len(stored) == 4  # three earlier weeks and the demo's own run
    trend = _page(pages, "Trends since")
    counts = trend.charts[0]
    for word, field in (("Red", "red"), ("Amber", "amber"), ("Green", "green")):
        assert counts[word] == [float(getattr(s, field)) for s in stored]
    assert _page(pages, "Movers").tables[0][1:]
    assert {(r[0], r[1], r[3]) for r in _hotspots(demo["steering pack"])} == DESIGNED


def test_consolidate_gives_its_pack_the_same_trends_and_hot_spots(
    demo: dict[str, Path], tmp_path: Path
) -> None:
    shutil.copy(demo["history"], tmp_path / "pmo-history.sqlite")
    out, pack = tmp_path / "portfolio.xlsx", tmp_path / "steering.pptx"
    result = CliRunner().invoke(
        app,
        [
            "consolidate",
            str(demo["sample trackers"]),
            "-o",
            str(out),
            "--pack",
            str(pack),
            "--as-of",
            "2026-11-20",
            "--no-cache",
            "--capacity",
            str(demo["capacity list"]),
        ],
    )
    assert result.exit_code == 1, result.output  # the samples hold error findings
    mine, demos = slides(pack), slides(demo["steering pack"])
    assert [s.title for s in mine] == [s.title for s in demos]
    for title in ("Trends since", "Movers", "Resource hot spots"):
        assert _page(mine, title).tables == _page(demos, title).tables
        assert _page(mine, title).charts == _page(demos, title).charts


def test_the_tasks_are_read_back_only_when_they_can_give_hot_spots(
    kept: tuple[Path, Path], demo: dict[str, Path]
) -> None:
    settings = Settings()
    without = load_for_pack(kept[0], settings)  # no resource data: no Capacity sheet
    assert set(without.tables) == {"Milestones", "RAID"}
    named = load_for_pack(kept[0], settings, capacity=demo["capacity list"])
    assert "Tasks" in named.tables  # a capacity list gives its owners a default load
    assert {"Resources", "Tasks"} <= set(load_for_pack(demo["portfolio"], settings).tables)
    previous = load_for_pack(demo["portfolio"], settings, resources=False)
    assert set(previous.tables) == {"Milestones", "RAID"}
