"""Worksheet functions, called as plain functions with the values Excel would pass them.

The metric functions must equal the engine (``addin.rag.measure``) on the same
tracker, whatever shape the cells arrive in (Excel date serials or datetimes,
fractions or "50%" text); every bad input must come back as a ``#PMO:`` string.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import math
import os
import shutil
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from addin.app import functions
from addin.checks import check_value
from addin.core.settings import Settings
from addin.core.tracker import replace
from addin.demo import SAMPLE_CASES, SAMPLES_AS_OF, sample_trackers, write_drifted
from addin.engine.consolidate import consolidate
from addin.engine.run import PortfolioRun
from addin.excel import udfs
from addin.outputs.portfolio import PROJECT_COLUMNS, read_portfolio, write_portfolio
from addin.outputs.template import write_tracker
from addin.rag import measure, metric_rag
from addin.read import ReadResult, Workbook, read_tracker
from addin.read.coerce import date_to_serial
from tests.runs import project_rows

FUNCTIONS = (
    "PMO_SPI",
    "PMO_CPI",
    "PMO_EAC",
    "PMO_RAG",
    "PMO_CHECK",
    "PMO_PORTFOLIO",
    "PMO_TREND",
)


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(udfs.CONFIG_ENV, raising=False)
    udfs.clear_caches()
    yield
    udfs.clear_caches()


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every sample tracker, written as the template (or drifted) would write it."""
    out = tmp_path_factory.mktemp("samples")
    for stem, tracker in sample_trackers():
        path = out / f"{stem}.xlsx"
        if SAMPLE_CASES[stem].layout == "drifted":
            write_drifted(path, tracker)
        else:
            write_tracker(path, tracker)
    return out


SAMPLE_STEMS = [stem for stem, _ in sample_trackers()]


# --- cells as Excel passes them -------------------------------------------------------------


def _as_excel(value: Any, dates: str) -> Any:
    """A cell value as xlwings hands it to a UDF: numbers as floats, dates as chosen."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        if dates == "serials":  # a date typed into an unformatted cell, or =DATE(...)
            return float(date_to_serial(value))
        return dt.datetime(value.year, value.month, value.day)  # pywin32 gives datetimes
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return None if value == "" else value


class Columns:
    """Raw columns of a tracker's tables, located with the reader's own layouts."""

    def __init__(self, path: Path, result: ReadResult, dates: str) -> None:
        self.result = result
        self.dates = dates
        self.book = Workbook(path, Settings().limits)

    def column(self, key: str, field: str) -> list[Any]:
        layout = self.result.layouts[key][0]
        grid = self.book.grid(layout.sheet)
        col = layout.columns[field]
        last = grid.top + len(grid.rows)
        return [
            _as_excel(grid.value(r, col), self.dates) for r in range(layout.header_row + 1, last)
        ]

    def project(self, field: str) -> Any:
        sheet, row, col = self.result.where("Project", field)
        assert row is not None and col is not None
        return _as_excel(self.book.grid(sheet).value(row, col), self.dates)


@pytest.fixture(params=["serials", "datetimes"])
def dates(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_metrics_equal_the_engine_on_every_sample(sample_dir: Path, stem: str, dates: str) -> None:
    settings = Settings()
    path = sample_dir / f"{stem}.xlsx"
    result = read_tracker(path, settings)
    m = measure(result.tracker, settings)
    cols = Columns(path, result, dates)
    status_date = cols.project("status_date")
    tasks = (
        cols.column("Tasks", "budget"),
        cols.column("Tasks", "planned_start"),
        cols.column("Tasks", "planned_finish"),
        cols.column("Tasks", "pct_complete"),
        status_date,
    )
    statuses = cols.column("Tasks", "status")

    spi = udfs.PMO_SPI(*tasks, statuses)
    assert m.spi is not None
    assert spi == pytest.approx(m.spi, rel=1e-12)
    if not any(s == "Cancelled" for s in statuses):  # without Status, nothing is left out
        assert udfs.PMO_SPI(*tasks) == pytest.approx(m.spi, rel=1e-12)

    eac = udfs.PMO_EAC(
        cols.column("Budget", "period"),
        cols.column("Budget", "actual"),
        cols.column("Budget", "forecast"),
        status_date,
    )
    assert eac == pytest.approx(m.eac, rel=1e-12)

    assert m.cpi is not None and m.pct_complete is not None
    bac = cols.project("budget")
    assert udfs.PMO_CPI(bac, m.pct_complete, m.ac) == pytest.approx(m.cpi, rel=1e-12)
    as_text = f"{m.pct_complete * 100:.12f}%"
    assert udfs.PMO_CPI(bac, as_text, m.ac) == pytest.approx(m.cpi, rel=1e-9)

    rag = settings.rag
    assert udfs.PMO_RAG("spi", spi) == metric_rag("spi", m.spi, rag).value
    assert udfs.PMO_RAG("cpi", m.cpi) == metric_rag("cpi", m.cpi, rag).value
    assert udfs.PMO_RAG("vac_pct", m.vac_pct) == metric_rag("vac_pct", m.vac_pct, rag).value
    slip = m.finish_slip
    assert udfs.PMO_RAG("finish_slip_days", slip) == metric_rag("finish_slip_days", slip, rag).value


def test_the_drifted_sample_passes_text_cells(sample_dir: Path) -> None:
    """The drifted layout holds dd/mm/yyyy text dates, "50%" and "£12,500.00" - as typed."""
    stem = next(s for s, c in SAMPLE_CASES.items() if c.layout == "drifted")
    path = sample_dir / f"{stem}.xlsx"
    result = read_tracker(path, Settings())
    cols = Columns(path, result, "serials")
    starts = cols.column("Tasks", "planned_start")
    pct = cols.column("Tasks", "pct_complete")
    assert any(isinstance(v, str) and "/" in v for v in starts)
    assert any(isinstance(v, str) and v.endswith("%") for v in pct)


def test_spi_weighs_by_duration_when_no_budget_is_positive() -> None:
    starts = [dt.date(2026, 1, 1), dt.date(2026, 1, 11)]
    finishes = [dt.date(2026, 1, 10), dt.date(2026, 1, 30)]  # 10 and 20 days
    d = dt.date(2026, 1, 10)  # first fully planned (10), second not started (0)
    # EV = 10 x 0.5 + 20 x 0.25 = 10; PV = 10 -> SPI 1.0
    assert udfs.PMO_SPI([None, None], starts, finishes, [0.5, "25%"], d) == pytest.approx(1.0)
    assert udfs.PMO_SPI(None, starts, finishes, [50, 25], d) == pytest.approx(1.0)
    assert udfs.PMO_SPI([0, ""], starts, finishes, [0.5, 0.25], d) == pytest.approx(1.0)


def test_none_metrics_are_blank_and_blank_is_no_data() -> None:
    d = dt.date(2026, 1, 1)
    later = [dt.date(2026, 2, 1)]
    assert udfs.PMO_SPI([100.0], later, later, [0.0], d) == ""  # nothing planned yet: PV = 0
    assert udfs.PMO_CPI(1000, 0.5, 0) == ""  # no actual cost
    # RAG_RULES v2: no value is no evidence, never Green
    assert udfs.PMO_RAG("spi", "") == "No data"
    assert udfs.PMO_RAG("spi", None) == "No data"
    assert udfs.PMO_RAG("spi", udfs.PMO_SPI([100.0], later, later, [0.0], d)) == "No data"


def test_spi_leaves_out_tasks_of_unknown_progress() -> None:
    # Two elapsed 10-day tasks (1-10 Jan) at 10 Jan, by duration (w 10 each).
    starts, finishes = [dt.date(2026, 1, 1)] * 2, [dt.date(2026, 1, 10)] * 2
    d = dt.date(2026, 1, 10)
    # v1 counted a blank % Complete as 0: EV 10, PV 20 -> 0.5 (Red). v2: the second task's
    # progress is unknown (no Status): half the weight; not more than half -> SPI over the
    # first only: EV 10 / PV 10 = 1.0
    assert udfs.PMO_SPI(None, starts, finishes, [1.0, None], d) == pytest.approx(1.0)
    # its Status says Not Started: 0 % -> EV 10 / PV 20
    statuses = ["Complete", "Not Started"]
    assert udfs.PMO_SPI(None, starts, finishes, [1.0, ""], d, statuses) == pytest.approx(0.5)
    # Complete with a blank % Complete: 100 % -> EV 20 / PV 20
    both = ["Complete", "complete"]
    assert udfs.PMO_SPI(None, starts, finishes, ["", None], d, both) == pytest.approx(1.0)
    # In Progress, blank: unknown; both unknown -> more than half unknown -> blank
    assert udfs.PMO_SPI(None, starts, finishes, [None, None], d, ["In Progress"] * 2) == ""


def test_ranges_arrive_as_columns_rows_or_single_cells() -> None:
    d = dt.date(2026, 1, 10)
    start, finish = dt.date(2026, 1, 1), dt.date(2026, 1, 10)
    one = udfs.PMO_SPI([100.0], [start], [finish], [0.5], d)
    assert one == pytest.approx(0.5)
    assert udfs.PMO_SPI(100.0, start, finish, 0.5, d) == one  # single cells
    assert udfs.PMO_SPI([[100.0]], [[start]], [[finish]], [[0.5]], [[d]]) == one  # 2-D
    row = udfs.PMO_SPI([[100.0, 100.0]], [[start, start]], [[finish, finish]], [[0.5, 0.5]], d)
    assert row == one


# --- PMO_RAG at the thresholds ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("metric", "value", "expected"),
    [
        ("spi", 0.95, "Green"),
        ("spi", 0.9499, "Amber"),
        ("spi", 0.85, "Amber"),
        ("spi", 0.8499, "Red"),
        ("cpi", 0.95, "Green"),
        ("cpi", 0.9499, "Amber"),
        ("cpi", 0.85, "Amber"),
        ("cpi", 0.8499, "Red"),
        ("vac_pct", 0.05, "Green"),
        ("vac_pct", 0.0501, "Amber"),
        ("vac_pct", 0.10, "Amber"),
        ("vac_pct", 0.1001, "Red"),
        ("vac_pct", "12%", "Red"),
        ("vac_pct", "-3%", "Green"),
        ("slippage_days", 10, "Green"),
        ("slippage_days", 11, "Amber"),
        ("slippage_days", 30, "Amber"),
        ("slippage_days", 31, "Red"),
        ("finish_slip_days", 10.0, "Green"),
        ("finish_slip_days", 11.0, "Amber"),
        ("finish_slip_days", 30.0, "Amber"),
        ("finish_slip_days", 31.0, "Red"),
        ("SPI", 0.9, "Amber"),
        (" Finish_Slip_Days ", "45", "Red"),
        ("spi", [[0.9]], "Amber"),
    ],
)
def test_rag_at_the_thresholds(metric: str, value: Any, expected: str) -> None:
    assert udfs.PMO_RAG(metric, value) == expected


def test_rag_follows_the_configured_thresholds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "pmo.toml"
    config.write_text("[rag.schedule]\nspi_red = 0.9\nspi_amber = 0.99\n", encoding="utf-8")
    monkeypatch.setenv(udfs.CONFIG_ENV, str(config))
    assert udfs.PMO_RAG("spi", 0.95) == "Amber"
    assert udfs.PMO_RAG("spi", 0.89) == "Red"
    # An edited file is picked up without restarting Excel.
    config.write_text("[rag.schedule]\nspi_red = 0.5\nspi_amber = 0.6\n", encoding="utf-8")
    stat = config.stat()
    os.utime(config, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert udfs.PMO_RAG("spi", 0.89) == "Green"


# --- PMO_CHECK --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ("PRJ-0042", "Project ID"),
        (46000.0, "Planned Finish"),
        (dt.datetime(2026, 11, 20), "Status Date"),
        ("20/11/2026", "Planned Start"),
        (0.5, "% Complete"),
        ("50%", "Pct Complete"),
        ("R", "Reported RAG"),
        ("£12,500.00", "Budget"),
        ("Mitigating", "RAID.Status"),
        (None, "Notes"),
    ],
)
def test_check_accepts_valid_values(value: Any, field: str) -> None:
    assert check_value(field, value, Settings()) is None
    assert udfs.PMO_CHECK(value, field) == ""


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ("PRJ42", "Project ID"),
        ("31/02/2026", "Planned Finish"),
        ("soon", "Status Date"),
        (150, "% Complete"),
        ("-5%", "% Complete"),
        ("Maybe", "Phase"),
        ("Purple", "Reported RAG"),
        (-5, "Budget"),
        ("lots", "Budget"),
        (None, "Task Name"),
        ("", "Project ID"),
        (7, "Probability"),
    ],
)
def test_check_reports_the_engines_message(value: Any, field: str) -> None:
    finding = check_value(field, value, Settings())
    assert finding is not None
    assert udfs.PMO_CHECK(value, field) == finding.message
    assert not finding.message.startswith("#PMO")


# --- PMO_PORTFOLIO ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def consolidation(sample_dir: Path) -> PortfolioRun:
    files = sorted(sample_dir.glob("*.xlsx"))[:5]
    return consolidate(files, Settings(), as_of=SAMPLES_AS_OF, jobs=2)


@pytest.fixture(scope="module")
def portfolio_file(consolidation: PortfolioRun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("portfolio") / "portfolio.xlsx"
    return write_portfolio(out, consolidation, Settings())


def test_portfolio_values_by_header_or_key(portfolio_file: Path) -> None:
    projects = project_rows(read_portfolio(portfolio_file))
    assert len(projects) == 5
    for row in projects:
        pid = row["project_id"]
        for column in PROJECT_COLUMNS:
            expected = "" if row[column.key] is None else row[column.key]
            assert udfs.PMO_PORTFOLIO(str(portfolio_file), pid, column.header) == expected
            assert udfs.PMO_PORTFOLIO(str(portfolio_file), pid, column.key) == expected
        assert (
            udfs.PMO_PORTFOLIO(str(portfolio_file), pid.lower(), "OVERALL RAG")
            == (row["overall_rag"])
        )
        assert row["overall_rag"] in ("Red", "Amber", "Green")


def test_portfolio_is_read_once_per_file_version(
    portfolio_file: Path,
    consolidation: PortfolioRun,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "portfolio.xlsx"
    shutil.copy2(portfolio_file, path)
    reads: list[Path] = []

    def counting(p: Path, *args: Any, **kwargs: Any) -> Any:
        reads.append(p)
        return read_portfolio(p, *args, **kwargs)

    monkeypatch.setattr(functions, "read_portfolio", counting)
    before = read_portfolio(path)
    pid = before.projects[0].project_id
    old = before.projects[0].project_name
    for column in ("Project Name", "Overall RAG", "spi", "Source File"):
        udfs.PMO_PORTFOLIO(str(path), pid, column)
    assert udfs.PMO_PORTFOLIO(str(path), pid, "Project Name") == old
    assert len(reads) == 1

    changed = before  # a fresh read: safe to edit
    changed.projects[0] = replace(changed.projects[0], project_name="Renamed Project")
    write_portfolio(path, changed, Settings())
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert udfs.PMO_PORTFOLIO(str(path), pid, "Project Name") == "Renamed Project"
    assert len(reads) == 2


# --- bad input is a #PMO: string, never an exception ---------------------------------------------


def _valid_args(portfolio: Path) -> dict[str, tuple[Any, ...]]:
    d = dt.date(2026, 1, 10)
    return {
        "PMO_SPI": ([100.0], [dt.date(2026, 1, 1)], [d], [0.5], d),
        "PMO_CPI": (1000.0, 0.5, 400.0),
        "PMO_EAC": ([dt.date(2026, 1, 1), dt.date(2026, 2, 1)], [100.0, None], [0, 50.0], d),
        "PMO_RAG": ("spi", 0.9),
        "PMO_CHECK": ("PRJ-0042", "Project ID"),
        "PMO_PORTFOLIO": (
            str(portfolio),
            read_portfolio(portfolio).projects[0].project_id,
            "SPI",
        ),
        "PMO_TREND": (read_portfolio(portfolio).projects[0].project_id, "SPI", 1),
    }


@pytest.mark.parametrize(
    ("function", "args", "expected"),
    [
        (
            "PMO_RAG",
            ("spy", 1),
            "#PMO: unknown metric 'spy' (use spi, cpi, vac_pct, slippage_days, finish_slip_days)",
        ),
        ("PMO_RAG", (None, 1), "#PMO: unknown metric"),
        ("PMO_RAG", (3, 1), "#PMO: unknown metric '3'"),
        ("PMO_RAG", ("spi", "abc"), "#PMO: value: 'abc' is not a number"),
        ("PMO_RAG", ("spi", [1, 2]), "#PMO: value must be a single cell"),
        ("PMO_RAG", (["spi", "cpi"], 1), "#PMO: metric must be a single cell"),
        ("PMO_SPI", ([1.0], [46000.0, 46001.0], [46010.0], [0.5], 46005.0), "#PMO: the ranges"),
        ("PMO_SPI", ([1.0], ["tomorrow"], [46010.0], [0.5], 46005.0), "#PMO: planned_starts:"),
        ("PMO_SPI", ([1.0], [46000.0], [46010.0], ["half"], 46005.0), "#PMO: pct_complete:"),
        ("PMO_SPI", ([1.0], [46000.0], [46010.0], [0.5], None), "#PMO: status_date is blank"),
        ("PMO_SPI", ([1.0], [46000.0], [46010.0], [0.5], "soon"), "#PMO: status_date:"),
        (
            "PMO_SPI",
            ([[1, 2], [3, 4]], [46000.0], [46010.0], [1], 46005.0),
            "#PMO: budgets must be one column",
        ),
        ("PMO_SPI", (["x"], [46000.0], [46010.0], [0.5], 46005.0), "#PMO: budgets:"),
        ("PMO_CPI", ("a lot", 0.5, 100), "#PMO: bac:"),
        ("PMO_CPI", (1000, "most", 100), "#PMO: pct_complete_overall:"),
        ("PMO_CPI", (1000, 0.5, [1, 2]), "#PMO: actual_cost must be a single cell"),
        ("PMO_EAC", ([46000.0], [1.0, 2.0], [3.0], 46005.0), "#PMO: the ranges"),
        ("PMO_EAC", (["Q1"], [1.0], [3.0], 46005.0), "#PMO: periods:"),
        ("PMO_EAC", ([46000.0], [1.0], ["tbc"], 46005.0), "#PMO: forecasts:"),
        ("PMO_CHECK", (1, "Colour"), "#PMO: no tracker field named 'Colour'"),
        ("PMO_CHECK", (1, "Widgets.Status"), "#PMO: no tracker sheet 'Widgets'"),
        ("PMO_CHECK", (1, ""), "#PMO: field is blank"),
        ("PMO_CHECK", (1, None), "#PMO: field is blank"),
        ("PMO_CHECK", ([1, 2], "Budget"), "#PMO: value must be a single cell"),
        ("PMO_PORTFOLIO", ("", "X", "SPI"), "#PMO: path is blank"),
        ("PMO_PORTFOLIO", ("/no/such/portfolio.xlsx", "X", "SPI"), "#PMO: /no/such/portfolio"),
        ("PMO_PORTFOLIO", ("{portfolio}", "X", "Colour"), "#PMO: unknown column 'Colour'"),
        ("PMO_PORTFOLIO", ("{portfolio}", "", "SPI"), "#PMO: project_id is blank"),
        ("PMO_PORTFOLIO", ("{portfolio}", "ZZ-999", "SPI"), "#PMO: no project 'ZZ-999'"),
        ("PMO_PORTFOLIO", ("{tracker}", "X", "SPI"), "#PMO: not a portfolio workbook"),
        ("PMO_PORTFOLIO", ("{folder}", "X", "SPI"), "#PMO: "),
    ],
)
def test_bad_input_gives_a_pmo_string(
    function: str,
    args: tuple[Any, ...],
    expected: str,
    portfolio_file: Path,
    sample_dir: Path,
) -> None:
    tracker = next(sample_dir.glob("*.xlsx"))
    fill = {"{portfolio}": str(portfolio_file), "{tracker}": str(tracker), "{folder}": "/"}
    args = tuple(fill.get(a, a) if isinstance(a, str) else a for a in args)
    result = getattr(udfs, function)(*args)
    assert isinstance(result, str)
    assert result.startswith(expected), result


ODD_VALUES: list[Any] = [
    None,
    "",
    " ",
    "x",
    0,
    -1.5,
    1e308,
    math.nan,
    math.inf,
    True,
    [],
    [[]],
    [[1, 2], [3, 4]],
    [None, "a", 3.0],
    dt.date(1850, 1, 1),
    dt.datetime(2026, 11, 20, 9, 30),
    dt.time(12, 0),
    object(),
    b"bytes",
]


@pytest.fixture(scope="module")
def trend_config(consolidation: PortfolioRun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pmo.toml whose [history] holds two snapshots of the consolidation (PMO_TREND)."""
    from addin.history import open_store, parse_url, save_run

    folder = tmp_path_factory.mktemp("history")
    store = open_store(parse_url(folder / "h.sqlite"))
    earlier = dataclasses.replace(consolidation, as_of=SAMPLES_AS_OF - dt.timedelta(days=7))
    save_run(store, earlier)
    save_run(store, consolidation)
    store.close()
    config = folder / "pmo.toml"
    config.write_text(f'[history]\nurl = "{(folder / "h.sqlite").as_posix()}"\n')
    return config


@pytest.mark.parametrize("function", FUNCTIONS)
def test_no_function_raises(
    function: str, portfolio_file: Path, trend_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Any argument replaced by any odd value gives a value or a #PMO: string."""
    if function == "PMO_TREND":
        monkeypatch.setenv(udfs.CONFIG_ENV, str(trend_config))
    valid = _valid_args(portfolio_file)[function]
    fn: Callable[..., Any] = getattr(udfs, function)
    good = fn(*valid)
    assert not (isinstance(good, str) and good.startswith("#PMO")), good
    for i in range(len(valid)):
        for odd in ODD_VALUES:
            args = list(valid)
            args[i] = odd
            result = fn(*args)
            if isinstance(result, str):
                continue  # "" (none), a RAG, a message or a #PMO: error
            if function == "PMO_TREND" and isinstance(result, list):
                continue  # a row of values (the default number of periods)
            assert isinstance(result, float | int | dt.date), (function, i, odd, result)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("[rag.schedule]\nspi_red = 'low'\n", "rag.schedule.spi_red"),
        ("this is not toml", "not valid TOML"),
        ("[rag.schedule]\nspi_red = 0.99\nspi_amber = 0.9\n", "spi_red"),
    ],
)
@pytest.mark.parametrize("function", FUNCTIONS)
def test_a_bad_settings_file_is_reported_by_every_function(
    function: str,
    content: str,
    words: str,
    tmp_path: Path,
    portfolio_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    args = _valid_args(portfolio_file)[function]
    config = tmp_path / "pmo.toml"
    config.write_text(content, encoding="utf-8")
    monkeypatch.setenv(udfs.CONFIG_ENV, str(config))
    result = getattr(udfs, function)(*args)
    assert isinstance(result, str) and result.startswith("#PMO: pmo.toml"), result
    assert words in result
    monkeypatch.setenv(udfs.CONFIG_ENV, str(tmp_path / "missing.toml"))
    assert getattr(udfs, function)(*args).startswith("#PMO: ")


# --- what xlwings registers on Windows --------------------------------------------------------


@pytest.fixture
def windows_udfs(monkeypatch: pytest.MonkeyPatch) -> tuple[types.ModuleType, types.ModuleType]:
    """Our module decorated by xlwings' real Windows decorators (COM modules stubbed).

    Returns (our module as xlwings on Windows sees it, ``xlwings.udfs``); both are
    forgotten after the test.
    """
    import xlwings

    for name in ("pythoncom", "pywintypes", "win32com", "win32com.client"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    sys.modules["pythoncom"].CoInitialize = lambda: None  # type: ignore[attr-defined]
    sys.modules["win32com.client"].Dispatch = lambda *a: None  # type: ignore[attr-defined]
    sys.modules["win32com"].client = sys.modules["win32com.client"]  # type: ignore[attr-defined]
    monkeypatch.delitem(sys.modules, "xlwings.udfs", raising=False)
    monkeypatch.setattr(xlwings, "udfs", None, raising=False)
    win = importlib.import_module("xlwings.udfs")
    monkeypatch.delitem(sys.modules, "xlwings.udfs")
    monkeypatch.setattr(xlwings, "func", win.xlfunc)
    monkeypatch.setattr(xlwings, "arg", win.xlarg)
    monkeypatch.setattr(xlwings, "ret", win.xlret)
    spec = importlib.util.spec_from_file_location("pmo_udfs_on_windows", udfs.__file__)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, win


def test_xlwings_registers_every_function_with_help(
    windows_udfs: tuple[types.ModuleType, types.ModuleType],
) -> None:
    import inspect

    from xlwings.conversion import accessors

    module, _ = windows_udfs
    for name in FUNCTIONS:
        fn = getattr(module, name)
        info = fn.__xlfunc__
        assert info["name"] == name
        assert info["category"] == "PMO"
        params = list(inspect.signature(fn).parameters)
        assert [a["name"] for a in info["args"]] == params
        for arg in info["args"]:
            assert not arg["doc"].startswith("Positional argument"), (name, arg["name"])
            assert len(arg["doc"]) <= 255
            assert arg["options"]["convert"] in accessors  # an annotation xlwings can convert
        assert info["ret"]["options"]["convert"] in accessors
        doc = info["ret"]["doc"]  # the function's description in Excel's Insert Function
        assert 0 < len(doc) <= 255 and "\n" not in doc
    ranges = {
        "PMO_SPI": {"budgets", "planned_starts", "planned_finishes", "pct_complete", "statuses"},
        "PMO_EAC": {"periods", "actuals", "forecasts"},
    }
    for name, expected in ranges.items():
        args = getattr(module, name).__xlfunc__["args"]
        assert {a["name"] for a in args if a["options"].get("ndim") == 1} == expected
    assert module.PMO_RAG("spy", 1).startswith("#PMO: unknown metric")


def test_xlwings_writes_a_vba_wrapper_for_each(
    windows_udfs: tuple[types.ModuleType, types.ModuleType], tmp_path: Path
) -> None:
    module, win = windows_udfs

    class AddIn:
        Name = "PMO.xlam"

    out = tmp_path / "xlwings_udfs.bas"
    with out.open("w") as fh:
        win.generate_vba_wrapper("addin.excel.udfs", module, fh, AddIn())
    vba = out.read_text()
    for name in FUNCTIONS:
        assert f"Function {name}(" in vba
    assert "Optional statuses" in vba


# --- PMO_TREND ----------------------------------------------------------------------------------


def test_trend_returns_the_last_values_oldest_first(
    trend_config: Path, consolidation: PortfolioRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(udfs.CONFIG_ENV, str(trend_config))
    p = next(p for p in consolidation.projects if p.spi is not None)
    assert udfs.PMO_TREND(p.project_id, "SPI") == [[p.spi, p.spi]]
    assert udfs.PMO_TREND(p.project_id.lower(), "overall_rag", 1) == p.overall_rag
    assert udfs.PMO_TREND([[p.project_id]], "Overall RAG", 5.0) == [[p.overall_rag] * 2]
    assert udfs.PMO_TREND(p.project_id, "SPI", 0).startswith("#PMO: periods must be")
    assert udfs.PMO_TREND(p.project_id, "SPI", 2.5).startswith("#PMO: periods must be")
    assert udfs.PMO_TREND(p.project_id, "spy") == (
        "#PMO: unknown metric 'spy' (a Projects column such as 'SPI', 'CPI' or 'Overall RAG')"
    )
    assert udfs.PMO_TREND("PRJ-9999", "SPI") == "#PMO: no project 'PRJ-9999' in the history"
    assert udfs.PMO_TREND(None, "SPI") == "#PMO: project_id is blank"


def test_trend_without_a_configured_history_says_how_to_configure_one(tmp_path: Path) -> None:
    assert udfs.PMO_TREND("PRJ-0001", "SPI") == (
        "#PMO: no history configured: set [history] url in the pmo.toml that PMO_CONFIG names"
    )


def test_trend_asks_the_history_again_only_when_it_changed(
    consolidation: PortfolioRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A recalculation of many PMO_TREND cells does not query the database per call; a new
    snapshot shows at once (the SQLite file and its WAL are the stamp)."""
    import addin.app.history as app_history
    from addin.history import open_store, parse_url, save_run

    db = tmp_path / "h.sqlite"
    store = open_store(parse_url(db))
    save_run(store, dataclasses.replace(consolidation, as_of=SAMPLES_AS_OF - dt.timedelta(days=7)))
    store.close()
    config = tmp_path / "pmo.toml"
    config.write_text(f'[history]\nurl = "{db.as_posix()}"\n')
    monkeypatch.setenv(udfs.CONFIG_ENV, str(config))
    queries: list[str] = []
    real = app_history.metric_values

    def counted(*args: Any) -> Any:
        queries.append(args[2])
        return real(*args)

    monkeypatch.setattr(app_history, "metric_values", counted)
    p = next(p for p in consolidation.projects if p.spi is not None)
    for _ in range(50):
        assert udfs.PMO_TREND(p.project_id, "SPI") == p.spi  # one snapshot: one value
    assert queries == [p.project_id]
    store = open_store(parse_url(db))
    save_run(store, consolidation)
    store.close()
    assert udfs.PMO_TREND(p.project_id, "SPI") == [[p.spi, p.spi]]
    assert len(queries) == 2
