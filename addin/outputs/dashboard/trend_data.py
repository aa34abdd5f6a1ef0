"""The hidden sheet the Trends page's charts read (``Trend Data``), and where each block is.

Blocks side by side, each with a header row and one row per snapshot (oldest first):
the RAG mix (Snapshot, Red, Amber, Green, No data: any word but the three), SPI and CPI
(one column per project, then the Red and Amber thresholds), and the milestone trend
(Snapshot, Report date, one column per milestone; values are dates). Blank cells are values
a project did not report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xlsxwriter.worksheet import Worksheet

from addin.engine.trend import MetricLine, TrendData
from addin.outputs.dashboard.book import Book

#: Sheet name of the hidden chart data.
TREND_DATA = "Trend Data"


@dataclass(frozen=True)
class Block:
    """Where one chart's data is: first column, series columns, rows 1..n."""

    first: int
    series: int
    rows: int

    def category_ref(self) -> list[object]:
        """The snapshot labels (first column)."""
        return [TREND_DATA, 1, self.first, self.rows, self.first]

    def values_ref(self, i: int) -> list[object]:
        """The values of series ``i`` (0-based)."""
        col = self.first + 1 + i
        return [TREND_DATA, 1, col, self.rows, col]

    def name_ref(self, i: int) -> list[object]:
        """The header cell naming series ``i``."""
        return [TREND_DATA, 0, self.first + 1 + i]


@dataclass(frozen=True)
class Blocks:
    """Every block of the Trend Data sheet."""

    mix: Block
    spi: Block
    cpi: Block
    mta: Block


def label(day: dt.date) -> str:
    """A snapshot as a chart category: ``20 Nov 26``."""
    return day.strftime("%d %b %y")


def _labels(book: Book, ws: Worksheet, col: int, dates: tuple[dt.date, ...]) -> None:
    ws.write_string(0, col, "Snapshot", book.f["header"])
    for r, day in enumerate(dates, 1):
        ws.write_string(r, col, label(day))


def _lines(
    book: Book,
    ws: Worksheet,
    col: int,
    dates: tuple[dt.date, ...],
    lines: tuple[MetricLine, ...],
    thresholds: tuple[float, float],
) -> Block:
    _labels(book, ws, col, dates)
    for i, line in enumerate(lines, col + 1):
        book.put(ws, 0, i, line.project_id, book.f["header"])
        for r, value in enumerate(line.values, 1):
            if value is not None:
                ws.write_number(r, i, value)
    edge = col + 1 + len(lines)
    for j, (name, value) in enumerate(zip(("Red below", "Amber below"), thresholds, strict=True)):
        ws.write_string(0, edge + j, name, book.f["header"])
        for r in range(1, len(dates) + 1):
            ws.write_number(r, edge + j, value)
    return Block(col, len(lines) + 2, len(dates))


def trend_data_sheet(book: Book, trend: TrendData) -> Blocks:
    """Write the hidden Trend Data sheet; return where each chart's data is."""
    ws = book.wb.add_worksheet(TREND_DATA)
    dates = trend.dates
    n = len(dates)
    _labels(book, ws, 0, dates)
    for c, name in enumerate(("Red", "Amber", "Green", "No data"), 1):
        ws.write_string(0, c, name, book.f["header"])
    for r, m in enumerate(trend.mix, 1):
        for c, value in enumerate((m.red, m.amber, m.green, m.other), 1):
            ws.write_number(r, c, value)
    mix = Block(0, 4, n)
    rag = book.settings.rag
    spi = _lines(book, ws, 6, dates, trend.spi, (rag.schedule.spi_red, rag.schedule.spi_amber))
    at = spi.first + spi.series + 2
    cpi = _lines(book, ws, at, dates, trend.cpi, (rag.cost.cpi_red, rag.cost.cpi_amber))
    at = cpi.first + cpi.series + 2
    _labels(book, ws, at, dates)
    day_format = book.style(num_format="dd/mm/yy")
    ws.write_string(0, at + 1, "Report date", book.f["header"])
    for r, day in enumerate(dates, 1):
        ws.write_datetime(r, at + 1, dt.datetime(day.year, day.month, day.day), day_format)
    for i, milestone in enumerate(trend.milestones, at + 2):
        book.put(ws, 0, i, milestone.label, book.f["header"])
        for r, forecast in enumerate(milestone.forecasts, 1):
            if forecast is not None:
                when = dt.datetime(forecast.year, forecast.month, forecast.day)
                ws.write_datetime(r, i, when, day_format)
    mta = Block(at, len(trend.milestones) + 1, n)
    ws.set_column(0, at + 2 + len(trend.milestones), 12)
    ws.hide()
    return Blocks(mix, spi, cpi, mta)
