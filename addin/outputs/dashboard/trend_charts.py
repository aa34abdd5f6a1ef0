"""The Trends page's native charts: RAG mix, milestone trend analysis, SPI and CPI lines.

Each reads its block of the hidden Trend Data sheet (:mod:`.trend_data`). The RAG mix is
stacked columns in the palette's colours; SPI and CPI are lines with the Red and Amber
thresholds dashed; the milestone trend analysis (MTA) plots each milestone's forecast
date at every snapshot, with the report date as the diagonal a milestone on time runs
parallel to.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from xlsxwriter.chart import Chart

from addin.outputs.dashboard.book import RULE_COLOUR, Book
from addin.outputs.dashboard.trend_data import Block
from addin.outputs.palette import RAG_COLOURS, TITLE_FONT

#: Fill of RAG words other than Red, Amber and Green: the palette's No data grey.
OTHER_FILL = RAG_COLOURS.get("No data", ("#B0B0B0", "#000000"))[0]
#: Line colours: Okabe-Ito, then two more that stay apart from them.
LINE_COLOURS = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#000000",
    "#F0E442",
    "#882255",
    "#999933",
)
EXCEL_EPOCH = dt.date(1899, 12, 30)
FONT: dict[str, Any] = {"name": "Calibri", "size": 8}
TITLE: dict[str, Any] = {"name": "Calibri", "size": 10, "bold": True, "color": TITLE_FONT}


def _frame(chart: Chart, title: str, width: int, height: int) -> None:
    chart.set_title({"name": title, "name_font": TITLE, "overlay": False})
    chart.set_chartarea({"border": {"color": RULE_COLOUR}, "fill": {"color": "#FFFFFF"}})
    chart.set_size({"width": width, "height": height})


def _category_axis(chart: Chart) -> None:
    chart.set_x_axis({"num_font": {**FONT, "rotation": -45}, "line": {"color": RULE_COLOUR}})


def mix_chart(book: Book, block: Block, *, other: bool, width: int, height: int) -> Chart:
    """Projects by Overall RAG at each snapshot (stacked columns)."""
    chart = book.wb.add_chart({"type": "column", "subtype": "stacked"})
    colours = [RAG_COLOURS[w][0] for w in ("Red", "Amber", "Green")]
    if other:
        colours.append(OTHER_FILL)
    for i, colour in enumerate(colours):
        chart.add_series(
            {
                "name": block.name_ref(i),
                "categories": block.category_ref(),
                "values": block.values_ref(i),
                "fill": {"color": colour},
                "border": {"color": "#FFFFFF", "width": 0.5},
                "gap": 40,
            }
        )
    _frame(chart, "Projects by Overall RAG, last snapshots", width, height)
    _category_axis(chart)
    chart.set_y_axis(
        {
            "min": 0,
            "num_format": "0",
            "num_font": FONT,
            "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}},
        }
    )
    chart.set_legend({"position": "bottom", "font": FONT})
    return chart


def lines_chart(
    book: Book, block: Block, title: str, *, lines: int, width: int, height: int
) -> Chart:
    """One line per project, then the Red and Amber thresholds dashed."""
    chart = book.wb.add_chart({"type": "line"})
    for i in range(lines):
        colour = LINE_COLOURS[i % len(LINE_COLOURS)]
        chart.add_series(
            {
                "name": block.name_ref(i),
                "categories": block.category_ref(),
                "values": block.values_ref(i),
                "line": {"color": colour, "width": 1.5},
                "marker": {
                    "type": "circle",
                    "size": 4,
                    "fill": {"color": colour},
                    "border": {"color": colour},
                },
            }
        )
    for j, word in enumerate(("Red", "Amber")):
        chart.add_series(
            {
                "name": block.name_ref(lines + j),
                "categories": block.category_ref(),
                "values": block.values_ref(lines + j),
                "line": {"color": RAG_COLOURS[word][0], "width": 1.25, "dash_type": "dash"},
                "marker": {"type": "none"},
            }
        )
    chart.show_blanks_as("gap")
    _frame(chart, title, width, height)
    _category_axis(chart)
    chart.set_y_axis(
        {
            "num_format": "0.00",
            "num_font": FONT,
            "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}},
        }
    )
    chart.set_legend({"position": "right", "font": {**FONT, "size": 7}})
    return chart


def _serial(day: dt.date) -> int:
    return (day - EXCEL_EPOCH).days


def mta_chart(
    book: Book,
    block: Block,
    *,
    milestones: int,
    span: tuple[dt.date, dt.date],
    width: int,
    height: int,
) -> Chart:
    """Milestone trend analysis: each milestone's forecast at each snapshot.

    ``span`` is the earliest and latest date plotted; the value axis runs a week either side.
    """
    chart = book.wb.add_chart({"type": "line"})
    chart.add_series(
        {
            "name": block.name_ref(0),
            "categories": block.category_ref(),
            "values": block.values_ref(0),
            "line": {"color": "#7F7F7F", "width": 1, "dash_type": "dash"},
            "marker": {"type": "none"},
        }
    )
    for i in range(milestones):
        colour = LINE_COLOURS[i % len(LINE_COLOURS)]
        chart.add_series(
            {
                "name": block.name_ref(i + 1),
                "categories": block.category_ref(),
                "values": block.values_ref(i + 1),
                "line": {"color": colour, "width": 1.75},
                "marker": {
                    "type": "diamond",
                    "size": 5,
                    "fill": {"color": colour},
                    "border": {"color": colour},
                },
            }
        )
    chart.show_blanks_as("gap")
    _frame(
        chart,
        f"Milestone trend: forecast dates of the {milestones} that slipped most",
        width,
        height,
    )
    _category_axis(chart)
    week = dt.timedelta(days=7)
    chart.set_y_axis(
        {
            "min": _serial(span[0] - week),
            "max": _serial(span[1] + week),
            "num_format": "dd/mm/yy",
            "num_font": FONT,
            "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}},
        }
    )
    chart.set_legend({"position": "right", "font": {**FONT, "size": 7}})
    return chart
