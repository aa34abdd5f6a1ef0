"""Native, editable bar charts: the numbers live in the chart's own embedded workbook.

A person can click the chart in PowerPoint, choose Edit Data and see the figures. The
embedded workbook is written with the same rule as every workbook we write
(:data:`addin.outputs.cells.SAFE_OPTIONS`): a category named ``=HYPERLINK(...)`` or
``http://...`` is text there too, never a formula or a link.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.slide import Slide
from pptx.util import Pt
from xlsxwriter import Workbook

from addin.outputs.cells import SAFE_OPTIONS
from addin.outputs.slides.geometry import Box, emu
from addin.outputs.slides.measure import shorten
from addin.outputs.slides.style import MUTED_COLOUR, RULE_COLOUR, one_line, rgb

#: Font size of a chart's labels, in points.
CHART_PT = 9


class _SafeWorkbookWriter(CategoryWorkbookWriter):  # type: ignore[misc]
    """python-pptx's chart workbook writer, with text always written as text."""

    @contextmanager
    def _open_worksheet(self, xlsx_file: io.BytesIO) -> Iterator[tuple[Any, Any]]:
        workbook = Workbook(xlsx_file, {"in_memory": True, **SAFE_OPTIONS})
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class SafeChartData(CategoryChartData):  # type: ignore[misc]
    """Category chart data whose embedded workbook never turns text into a formula or link."""

    @property
    def _workbook_writer(self) -> _SafeWorkbookWriter:
        writer = self.__dict__.get("_safe_writer")
        if writer is None:
            writer = self.__dict__["_safe_writer"] = _SafeWorkbookWriter(self)
        return writer


@dataclass(frozen=True)
class Series:
    """One series of a bar chart: its name, one value per category, and its colour.

    ``point_colours``, when given, colours each bar on its own (one colour per category).
    """

    name: str
    values: Sequence[float]
    colour: str
    point_colours: Sequence[str] = ()


def bars_box(box: Box, bars: int, *, per_bar: float = 26.0, frame: float = 80.0) -> Box:
    """The top of ``box``, high enough for ``bars`` bars (a few bars are not drawn fat)."""
    return box.top(min(box.h, frame + per_bar * max(1, bars)))


def add_bar_chart(
    slide: Slide,
    box: Box,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str = "",
    stacked: bool = False,
    number_format: str = "General",
    legend: bool = True,
    label_share: float = 0.34,
) -> list[str]:
    """A horizontal bar chart (first category on top), values labelled on the bars.

    Args:
        slide: The slide.
        box: Where the chart goes.
        categories: One label per bar (shortened to fit beside the bars).
        series: The series, each with a value per category.
        title: The chart's title ("" for none).
        stacked: Stack the series (counts by RAG) rather than cluster them.
        number_format: Excel number format of the values and their labels; zeros are hidden.
        legend: Show the legend (under the chart).
        label_share: Share of the chart's width the category labels may take.

    Returns:
        The full name of every category that had to be shortened (for the notes).
    """
    room = box.w * label_share
    labels = [one_line(c) for c in categories]
    shown = [shorten(label, room, CHART_PT) for label in labels]
    # Two bars may not share a label: a shortened one that would collides keeps its number.
    seen: dict[str, int] = {}
    for i, label in enumerate(shown):
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:
            shown[i] = shorten(f"{i + 1}. {labels[i]}", room, CHART_PT)
    data = SafeChartData(number_format=number_format)
    data.categories = shown
    for s in series:
        data.add_series(one_line(s.name), [float(v) for v in s.values])
    kind = XL_CHART_TYPE.BAR_STACKED if stacked else XL_CHART_TYPE.BAR_CLUSTERED
    frame = slide.shapes.add_chart(kind, emu(box.x), emu(box.y), emu(box.w), emu(box.h), data)
    chart = frame.chart
    chart.font.size = Pt(CHART_PT)
    chart.has_title = bool(title)
    if title:
        chart.chart_title.text_frame.text = one_line(title)
        for run in chart.chart_title.text_frame.paragraphs[0].runs:
            run.font.size = Pt(CHART_PT + 2)
            run.font.bold = True
    chart.has_legend = legend and len(series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(CHART_PT)
    plot = chart.plots[0]
    plot.gap_width = 50
    if stacked:
        plot.overlap = 100
    for s, drawn in zip(series, plot.series, strict=True):
        drawn.format.fill.solid()
        drawn.format.fill.fore_color.rgb = rgb(s.colour)
        drawn.invert_if_negative = False
        for i, colour in enumerate(s.point_colours):
            point = drawn.points[i].format.fill
            point.solid()
            point.fore_color.rgb = rgb(colour)
    plot.has_data_labels = True
    labels_ = plot.data_labels
    labels_.font.size = Pt(CHART_PT)
    labels_.number_format = f"{number_format};-{number_format};;"
    labels_.number_format_is_linked = False
    labels_.position = XL_LABEL_POSITION.CENTER if stacked else XL_LABEL_POSITION.OUTSIDE_END
    axis = chart.category_axis
    axis.reverse_order = True
    axis.tick_labels.font.size = Pt(CHART_PT)
    axis.format.line.color.rgb = rgb(RULE_COLOUR)
    values = chart.value_axis
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = rgb("#E0E0E0")
    values.tick_labels.font.size = Pt(CHART_PT - 1)
    values.tick_labels.font.color.rgb = rgb(MUTED_COLOUR)
    values.tick_labels.number_format = number_format
    values.tick_labels.number_format_is_linked = False
    values.format.line.fill.background()
    if all(v >= 0 for s in series for v in s.values):
        values.minimum_scale = 0
    return [label for label, short in zip(labels, shown, strict=True) if short != label]
