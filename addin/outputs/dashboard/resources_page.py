"""The dashboard's Resources page: who is over-allocated, when, and by which projects.

Three blocks, top to bottom, on one landscape page:

1. the most over-allocated people x the next periods: utilisation in each cell (a
   number, ``0%``) under the Capacity sheet's colour scale (green, amber at 100 %,
   red from 120 %), and each person's peak;
2. demand against capacity by role over those periods (days), as a table and a native
   bar chart beside it;
3. the conflicts: every person and period above the Amber threshold, with the projects
   asking and their days; then names the capacity list does not know and work after
   a person leaves.
"""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from addin.outputs.dashboard.book import (
    BASE_FONT,
    LINE_HEIGHT,
    RESOURCES,
    RULE_COLOUR,
    Book,
    wrapped_lines,
)
from addin.outputs.dashboard.resource_data import ResourcePage
from addin.outputs.palette import HEADER_FILL, TITLE_FONT
from addin.outputs.portfolio.capacity import SCALE, SCALE_PAST_RED

#: Columns before the periods in the people block: #, Person, Role, Team.
_LEAD = 4
DEMAND_COLOUR = "#D55E00"  # Okabe-Ito vermillion: what is asked
CAPACITY_COLOUR = HEADER_FILL  # navy: what there is


def _scale(
    ws: Worksheet, first: int, col: int, last: int, last_col: int, page: ResourcePage
) -> None:
    ws.conditional_format(
        first,
        col,
        last,
        last_col,
        {
            "type": "3_color_scale",
            "min_type": "num",
            "min_value": 0,
            "min_color": SCALE[0],
            "mid_type": "num",
            "mid_value": page.over_amber,
            "mid_color": SCALE[1],
            "max_type": "num",
            "max_value": page.over_red + SCALE_PAST_RED,
            "max_color": SCALE[2],
        },
    )


class _Formats:
    def __init__(self, book: Book) -> None:
        cell = {**BASE_FONT, "valign": "top", "border": 1, "border_color": RULE_COLOUR}
        self.pct = book.style(cell, num_format="0%", align="center")
        self.int = book.style(cell, num_format="#,##0", align="center")
        self.text = book.style(cell)
        self.wrap = book.style(cell, text_wrap=True)
        self.center = book.style(cell, align="center")


def _header(book: Book, ws: Worksheet, row: int, spans: list[tuple[int, int, str]]) -> None:
    for first, last, text in spans:
        book.merged(ws, row, first, last, text, book.f["header"])
    ws.set_row(row, 28)


def _people(book: Book, ws: Worksheet, page: ResourcePage, row: int, last_col: int) -> int:
    f = _Formats(book)
    n = len(page.periods)
    book.merged(
        ws,
        row,
        0,
        last_col,
        f"Most over-allocated people — next {n} {page.unit}s (utilisation: demand ÷ capacity)",
        book.f["section"],
    )
    row += 1
    headers = ["#", "Person", "Role", "Team", *page.periods, "Peak"]
    _header(book, ws, row, [(c, c, text) for c, text in enumerate(headers)])
    if not page.people:
        book.merged(ws, row + 1, 0, last_col, "Nobody is asked for time.", book.f["note"])
        return row + 3
    first = row + 1
    for i, p in enumerate(page.people, 1):
        r = row + i
        book.put(ws, r, 0, i, f.center)
        book.put(ws, r, 1, p.name, f.text)
        book.put(ws, r, 2, p.role, f.text)
        book.put(ws, r, 3, p.team, f.text)
        for j, u in enumerate([*p.utilisation, p.peak], start=_LEAD):
            if u is None:
                ws.write_blank(r, j, None, f.pct)
            else:
                ws.write_number(r, j, round(u, 4), f.pct)
    last = row + len(page.people)
    _scale(ws, first, _LEAD, last, _LEAD + n, page)
    return last + 2


def _roles(book: Book, ws: Worksheet, page: ResourcePage, row: int, last_col: int) -> int:
    f = _Formats(book)
    n = len(page.periods)
    book.merged(
        ws,
        row,
        0,
        last_col,
        f"Demand vs capacity by role — next {n} {page.unit}s (days)",
        book.f["section"],
    )
    row += 1
    _header(book, ws, row, [(1, 1, "Role"), (2, 2, "Demand"), (3, 3, "Capacity"), (4, 4, "Load")])
    if not page.roles:
        book.merged(ws, row + 1, 1, 4, "No demand.", book.f["note"])
        return row + 3
    first = row + 1
    for i, r in enumerate(page.roles):
        at = first + i
        book.put(ws, at, 1, r.role, f.text)
        ws.write_number(at, 2, round(r.demand), f.int)
        ws.write_number(at, 3, round(r.capacity), f.int)
        if r.capacity:
            ws.write_number(at, 4, round(r.demand / r.capacity, 4), f.pct)
        else:
            ws.write_blank(at, 4, None, f.pct)
    last = first + len(page.roles) - 1
    _scale(ws, first, 4, last, 4, page)
    chart_px = max(240, 20 * (len(page.roles) + 1) + 30)
    chart = book.wb.add_chart({"type": "bar"})
    font = {"name": "Calibri", "size": 8}
    for col, colour in ((2, DEMAND_COLOUR), (3, CAPACITY_COLOUR)):
        chart.add_series(
            {
                "name": [RESOURCES, row, col],
                "categories": [RESOURCES, first, 1, last, 1],
                "values": [RESOURCES, first, col, last, col],
                "fill": {"color": colour},
                "gap": 50,
            }
        )
    chart.set_title(
        {
            "name": f"Demand vs capacity by role, next {n} {page.unit}s (days)",
            "name_font": {"name": "Calibri", "size": 10, "bold": True, "color": TITLE_FONT},
            "overlay": False,
        }
    )
    chart.set_x_axis(
        {
            "min": 0,
            "num_format": "#,##0",
            "num_font": font,
            "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}},
        }
    )
    chart.set_y_axis({"num_font": font, "reverse": True})
    chart.set_legend({"position": "bottom", "font": {**font, "size": 9}})
    chart.set_chartarea({"border": {"color": RULE_COLOUR}})
    chart.set_size({"width": 9 * 64 + 40, "height": chart_px})
    ws.insert_chart(row, 5, chart, {"x_offset": 12, "y_offset": 0, "object_position": 3})
    return max(last, row + chart_px // 20) + 2


def _conflicts(book: Book, ws: Worksheet, page: ResourcePage, row: int, last_col: int) -> int:
    f = _Formats(book)
    book.merged(
        ws,
        row,
        0,
        last_col,
        f"Conflicts — over-allocated in the next {len(page.periods)} {page.unit}s, "
        "and the projects asking",
        book.f["section"],
    )
    row += 1
    spans = [
        (1, 1, "Person"),
        (2, 2, "Period"),
        (3, 3, "Load / Level"),
        (4, 4, "Demand"),
        (5, 5, "Capacity"),
        (6, last_col, "Projects asking (days)"),
    ]
    _header(book, ws, row, spans)
    if not page.conflicts:
        book.merged(ws, row + 1, 1, last_col, "No conflicts.", book.f["note"])
        row += 3
    for i, c in enumerate(page.conflicts, 1):
        at = row + i
        book.put(ws, at, 1, c.person, f.text)
        book.put(ws, at, 2, c.period, f.center)
        book.put(ws, at, 3, f"{c.utilisation:.0%} {c.level}", book.rag.get(c.level, f.center))
        ws.write_number(at, 4, round(c.demand, 1), f.int)
        ws.write_number(at, 5, round(c.capacity, 1), f.int)
        book.merged(ws, at, 6, last_col, c.projects, f.wrap)
        lines = wrapped_lines(c.projects, 9 * (last_col - 5))
        if lines > 1:
            ws.set_row(at, min(LINE_HEIGHT * lines + 2, 409))
    if page.conflicts:
        row += len(page.conflicts) + 2
    if page.other:
        book.merged(ws, row, 0, last_col, "Names and dates to check", book.f["section"])
        row += 1
        for i, (_, name, message) in enumerate(page.other, 1):
            book.put(ws, row + i, 1, name, f.text)
            book.merged(ws, row + i, 2, last_col, message, f.wrap)
            lines = wrapped_lines(message, 9 * (last_col - 1))
            if lines > 1:
                ws.set_row(row + i, min(LINE_HEIGHT * lines + 2, 409))
        row += len(page.other) + 2
    return row


def resources_sheet(book: Book, page: ResourcePage) -> None:
    """Write the Resources page (see the module docstring)."""
    last_col = _LEAD + len(page.periods)
    ws = book.wb.add_worksheet(RESOURCES)
    source = (
        f"capacity list {page.capacity_file}"
        if page.capacity_file
        else "no capacity list: everyone counted as one full-time person"
    )
    book.title(
        ws,
        RESOURCES,
        last_col,
        f"Demand from every tracker's Resources sheet (else its tasks' Effort, else each "
        f"Owner's default load) against capacity from the {source}. Amber above "
        f"{page.over_amber:.0%}, Red above {page.over_red:.0%}.",
    )
    book.page(ws, RESOURCES)
    ws.set_row(1, 26)
    row = _people(book, ws, page, 4, last_col)
    row = _roles(book, ws, page, row, last_col)
    _conflicts(book, ws, page, row, last_col)
    ws.set_column(0, 0, 4)
    ws.set_column(1, 1, 24)
    ws.set_column(2, 3, 20)
    ws.set_column(_LEAD, last_col, 10)
    ws.fit_to_pages(1, 0)
