"""The dashboard's Trends page, RAG History and Lessons page, written from typed data."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from addin.core.settings import Settings
from addin.engine.trend import TrendData
from addin.history.frames import frame_of
from addin.history.trend import trend_data
from addin.outputs.dashboard import write_dashboard
from tests.golden.views import workbook_view
from tests.history.weeks import lesson, milestone, project, week
from tests.soffice import SOFFICE, convert

D = dt.date
EVIL = '=HYPERLINK("http://evil.example","click")'


def _history(weeks: int = 12, projects: int = 20) -> tuple[list[object], TrendData]:
    base = D(2027, 6, 1)
    runs = []
    for w in range(weeks):
        rows = []
        for i in range(projects):
            rag = ("Green", "Amber", "Red")[(i + (w + 1) // 4) % 3] if i < 6 else "Green"
            rows.append(
                project(
                    f"P-{i:03d}",
                    rag,
                    spi=1.0 - i * 0.02 - w * 0.005,
                    cpi=1.0 - i * 0.01,
                    schedule_rag=rag,
                    project_name=EVIL if i == 1 else f"Project {i}",
                )
            )
        rows.append(project("P-900", "No data"))
        runs.append(
            week(
                D(2026, 9, 4) + dt.timedelta(days=7 * w),
                rows,
                milestones=[
                    milestone(f"P-{i:03d}", "M-01", base, base + dt.timedelta(days=3 * w * i))
                    for i in range(8)
                ],
                lessons=[
                    lesson(
                        "P-001", "LL-1", "The supplier delay cost four weeks.", date=D(2026, 8, 1)
                    )
                ],
            )
        )
    return runs, trend_data([frame_of(r) for r in runs])  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, TrendData]:
    runs, trend = _history()
    out = tmp_path_factory.mktemp("trends") / "dashboard.xlsx"
    write_dashboard(out, runs[-1], Settings(), trends=trend)  # type: ignore[arg-type]
    return out, trend


def test_the_sheets_and_their_order(written: tuple[Path, TrendData]) -> None:
    book = openpyxl.load_workbook(written[0])
    assert book.sheetnames == [
        "Dashboard",
        "RAG Matrix",
        "Exceptions",
        "Milestones ahead",
        "Top risks",
        "Data quality",
        "Trends",
        "RAG History",
        "Trend Data",
        "Lessons",
        "Chart Data",
    ]
    assert book["Trend Data"].sheet_state == "hidden"
    links = [c.value for c in book["Dashboard"][3] if isinstance(c.value, str)]
    assert links[-2:] == ["▸ Trends", "▸ Lessons"]


def test_trends_page_prints_on_one_landscape_page(written: tuple[Path, TrendData]) -> None:
    ws = openpyxl.load_workbook(written[0])["Trends"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    fit = (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight)
    assert fit in ((1, 1), (None, None))  # 1 x 1 is the default, left out of the XML
    assert ws.print_area is not None


def test_trends_page_charts_read_the_trend_data(written: tuple[Path, TrendData]) -> None:
    path, trend = written
    view = workbook_view(path, path.parent)
    charts = {c["title"]: c for c in view["charts"]}
    assert {
        "Projects by Overall RAG, last snapshots",
        "Milestone trend: forecast dates of the 5 that slipped most",
        "SPI of the 10 lowest now",
        "CPI of the 10 lowest now",
    } <= set(charts)
    mix = charts["Projects by Overall RAG, last snapshots"]
    assert mix["kinds"] == ["barChart"]  # columns are a bar chart turned upright
    assert [s["tx"] for s in mix["series"]] == [f"'Trend Data'!${c}$1" for c in "BCDE"]
    data = openpyxl.load_workbook(path)["Trend Data"]
    assert [data.cell(r, 2).value for r in range(2, 14)] == [m.red for m in trend.mix]
    assert [data.cell(r, 5).value for r in range(2, 14)] == [1] * 12  # "No data": other
    assert len(trend.dates) == 12 and len(trend.spi) == 10 and len(trend.milestones) == 5


def test_movers_and_strips_on_the_page_and_every_project_on_rag_history(
    written: tuple[Path, TrendData],
) -> None:
    path, trend = written
    book = openpyxl.load_workbook(path)
    ws = book["Trends"]
    (evil,) = [c for row in ws.iter_rows() for c in row if str(c.value).startswith("=HYPER")]
    assert evil.data_type == "s"  # a name that looks like a formula stays text (cut to fit)
    first = trend.strips[0]
    row = next(c.row for c in ws["A"] if c.value == first.project_id)
    assert [ws.cell(row, 8 + i).value for i in range(8)] == list(first.rags)
    move = trend.movers[0]
    assert ws.cell(row, 16).value == move.kind
    history = book["RAG History"]
    ids = [c.value for c in history["A"][4:]]
    assert ids == [s.project_id for s in trend.strips] and len(ids) == 21
    assert EVIL in [c.value for c in history["B"]]
    assert all(c.data_type != "f" for r in history.iter_rows() for c in r)


def test_lessons_page(written: tuple[Path, TrendData]) -> None:
    ws = openpyxl.load_workbook(written[0])["Lessons"]
    values = [[c.value for c in r] for r in ws.iter_rows(min_row=4, max_row=5, max_col=4)]
    assert values == [["Category", "Went well", "To improve", "Total"], ["Supplier", 0, 1, 1]]
    texts = {c.value for r in ws.iter_rows() for c in r}
    assert "The supplier delay cost four weeks." in texts


def test_no_trends_no_trends_page(tmp_path: Path) -> None:
    runs, _ = _history(weeks=1)
    write_dashboard(tmp_path / "d.xlsx", runs[0], Settings())  # type: ignore[arg-type]
    names = openpyxl.load_workbook(tmp_path / "d.xlsx").sheetnames
    assert "Trends" not in names and "Lessons" in names


@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_prints_the_trends_page_on_one_page(
    written: tuple[Path, TrendData], tmp_path: Path
) -> None:
    pdf = convert(written[0], "pdf", tmp_path)
    pdftotext = shutil.which("pdftotext")
    assert pdftotext is not None
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    trends = [p for p in pages if "— Trends" in p]
    assert len(trends) == 1  # the page's title is on exactly one page
    page = trends[0]
    assert "Movers since" in page and "Against each project's previous snapshot" in page
    assert "Page " in page  # the footer is on the same page: nothing ran over
