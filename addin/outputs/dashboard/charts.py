"""The Dashboard's three native charts: RAG by programme, Budget vs EAC, worst slippages.

They stand side by side in the chart band, each :data:`CHART_SPAN` grid columns wide, and
take their series from the hidden chart data sheet
(:func:`addin.outputs.dashboard.details.chart_data_sheet`): A Programme, then one column
per :data:`RAG_SERIES`, Budget, EAC; a gap; from :data:`SLIP_COL` Milestone, Slippage.
"""

from __future__ import annotations

import math
from typing import Any

from xlsxwriter.chart import Chart
from xlsxwriter.worksheet import Worksheet

from addin.outputs.dashboard.book import CHART_DATA, RULE_COLOUR, Book, axis_format
from addin.outputs.dashboard.layout import (
    CHART_ROW,
    CHART_ROW_PX,
    CHART_ROWS,
    CHART_SPAN,
    GRID,
    GRID_PX,
)
from addin.outputs.palette import HEADER_FILL, RAG_COLOURS, TITLE_FONT

#: The Overall RAGs the programme chart stacks, in the chart data's columns B onwards.
RAG_SERIES = ("Red", "Amber", "Green", "No data")
#: Chart data column of the slippage labels (the values are in the next column).
SLIP_COL = len(RAG_SERIES) + 4

SECONDARY = "#56B4E9"  # Okabe-Ito sky blue, beside the header navy for Budget vs EAC
SLIP_COLOUR = "#0072B2"  # Okabe-Ito blue


def nice_step(raw: float) -> float:
    """A round axis step (1, 2, 2.5 or 5 times a power of ten) at least ``raw``."""
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return float(factor * power)
    return float(10 * power)


def write_charts(book: Book, ws: Worksheet) -> None:
    """Draw the charts in the chart band of ``ws``, or say why there is nothing to chart."""
    data = book.data
    wb = book.wb
    for r in range(CHART_ROW, CHART_ROW + CHART_ROWS):
        ws.set_row(r, CHART_ROW_PX * 0.75)
    width = CHART_SPAN * GRID_PX - 8
    height = CHART_ROWS * CHART_ROW_PX - 4
    n = len(data.programmes)
    font = {"name": "Calibri", "size": 8}
    title_font = {"name": "Calibri", "size": 10, "bold": True, "color": TITLE_FONT}
    if n == 0:
        book.merged(
            ws,
            CHART_ROW,
            0,
            GRID - 1,
            "No projects to chart.",
            book.f["note"],
            last_row=CHART_ROW + CHART_ROWS - 1,
        )
        return
    cats = [CHART_DATA, 1, 0, n, 0]

    rag = wb.add_chart({"type": "bar", "subtype": "stacked"})
    for col, word in enumerate(RAG_SERIES, 1):
        fill, label = RAG_COLOURS[word]
        rag.add_series(
            {
                "name": [CHART_DATA, 0, col],
                "categories": cats,
                "values": [CHART_DATA, 1, col, n, col],
                "fill": {"color": fill},
                "border": {"color": "#FFFFFF", "width": 0.75},
                "gap": 60,
                "data_labels": {
                    "value": True,
                    "num_format": "0;;;",
                    "font": {**font, "color": label, "bold": True},
                },
            }
        )
    _style(
        rag,
        "Projects by Overall RAG, per programme",
        title_font,
        font,
        value_format="0",
        step=max(nice_step(max(p.projects for p in data.programmes) / 5), 1),
    )
    rag.set_legend({"position": "bottom", "font": {**font, "size": 9}})
    rag.set_size({"width": width, "height": height})
    ws.insert_chart(CHART_ROW, 0, rag, {"x_offset": 2, "y_offset": 2, "object_position": 3})

    largest = max((max(p.budget, p.eac) for p in data.programmes), default=0)
    step = nice_step(largest / 4)
    money = axis_format(data.currency, step)
    cost = wb.add_chart({"type": "bar"})
    money_col = len(RAG_SERIES) + 1
    for col, colour in ((money_col, HEADER_FILL), (money_col + 1, SECONDARY)):
        cost.add_series(
            {
                "name": [CHART_DATA, 0, col],
                "categories": cats,
                "values": [CHART_DATA, 1, col, n, col],
                "fill": {"color": colour},
                "gap": 50,
                "overlap": -5,
            }
        )
    _style(cost, "Budget vs EAC, per programme", title_font, font, value_format=money, step=step)
    cost.set_legend({"position": "bottom", "font": {**font, "size": 9}})
    cost.set_size({"width": width, "height": height})
    ws.insert_chart(
        CHART_ROW, CHART_SPAN, cost, {"x_offset": 4, "y_offset": 2, "object_position": 3}
    )

    k = len(data.slippages)
    if k == 0:
        book.merged(
            ws,
            CHART_ROW,
            2 * CHART_SPAN,
            GRID - 1,
            "No milestone is slipping.",
            book.f["note"],
            last_row=CHART_ROW + CHART_ROWS - 1,
        )
        return
    slip = wb.add_chart({"type": "bar"})
    slip.add_series(
        {
            "name": [CHART_DATA, 0, SLIP_COL + 1],
            "categories": [CHART_DATA, 1, SLIP_COL, k, SLIP_COL],
            "values": [CHART_DATA, 1, SLIP_COL + 1, k, SLIP_COL + 1],
            "fill": {"color": SLIP_COLOUR},
            "gap": 40,
            "data_labels": {
                "value": True,
                "position": "outside_end",
                "font": {**font, "color": TITLE_FONT, "bold": True},
            },
        }
    )
    _style(
        slip,
        f"Milestone slippage (days), worst {k}",
        title_font,
        {**font, "size": 7},
        value_format="0",
    )
    slip.set_legend({"none": True})
    slip.set_size({"width": width, "height": height})
    ws.insert_chart(
        CHART_ROW, 2 * CHART_SPAN, slip, {"x_offset": 6, "y_offset": 2, "object_position": 3}
    )


def _style(
    chart: Chart,
    title: str,
    title_font: dict[str, Any],
    font: dict[str, Any],
    *,
    value_format: str,
    step: float | None = None,
) -> None:
    chart.set_title({"name": title, "name_font": title_font, "overlay": False})
    # In a bar chart the x axis is the horizontal (value) axis, y the categories.
    chart.set_x_axis(
        {
            "min": 0,
            **({"major_unit": step} if step else {}),
            "num_format": value_format,
            "num_font": font,
            "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}},
            "line": {"none": True},
        }
    )
    chart.set_y_axis({"num_font": font, "reverse": True})
    chart.set_chartarea({"border": {"color": RULE_COLOUR}, "fill": {"color": "#FFFFFF"}})
