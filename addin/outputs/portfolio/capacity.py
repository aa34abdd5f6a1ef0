"""The portfolio's ``Capacity`` sheet: a heat map of utilisation, person x period, by team.

One row per person, grouped under a row per team (an outline level, so a team folds
away); one column per period of the window around the as-of date. Each cell holds the
utilisation as a number (``0%`` format: demand / capacity) under a three-colour scale:
green up to 100 %, amber at 100 %, red from 120 % (RAG_RULES v2, the thresholds are
settings), so the number is always there beside the colour. A person the capacity list
does not know has no capacity: their cells show the days asked instead, as text. The
header row and the name columns stay in view (frozen panes).
"""

from __future__ import annotations

from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from addin.core.periods import period_label
from addin.core.settings import Settings
from addin.outputs.cells import write_cell
from addin.outputs.palette import HEADER_FILL, HEADER_FONT, MUTED_FONT, TITLE_FONT
from addin.resources import ResourceLoad

CAPACITY_SHEET = "Capacity"
#: Row of the column headers (0-based); rows above hold the title and the legend.
HEADER_ROW = 3
#: Columns before the periods: Team, Person, Role, FTE.
FIXED = ("Team", "Person", "Role", "FTE")
#: The scale's colours: at 0 %, at the Amber threshold, and full red a little past the Red
#: threshold (so a cell just over Amber reads amber-orange, and one past Red reads red).
SCALE = ("#63BE7B", "#FFEB84", "#F8696B")
SCALE_PAST_RED = 0.1


_CELL: dict[str, Any] = {"align": "center", "border": 1, "border_color": "#D9D9D9"}


def _formats(wb: xlsxwriter.Workbook) -> dict[str, Any]:
    return {
        "title": wb.add_format({"bold": True, "font_size": 14, "font_color": TITLE_FONT}),
        "note": wb.add_format({"italic": True, "font_color": MUTED_FONT}),
        "header": wb.add_format(
            {
                "bold": True,
                "font_color": HEADER_FONT,
                "bg_color": HEADER_FILL,
                "text_wrap": True,
                "valign": "top",
                "align": "center",
                "border": 1,
            }
        ),
        "team": wb.add_format({"bold": True, "bg_color": "#D9E1F2", "top": 1}),
        "pct": wb.add_format(
            {"num_format": "0%", "align": "center", "border": 1, "border_color": "#D9D9D9"}
        ),
        "days": wb.add_format(
            {
                "italic": True,
                "font_color": MUTED_FONT,
                "align": "center",
                "border": 1,
                "border_color": "#D9D9D9",
            }
        ),
        "fte": wb.add_format({"num_format": "0%"}),
    }


def write_capacity(wb: xlsxwriter.Workbook, load: ResourceLoad, settings: Settings) -> Worksheet:
    """Add the Capacity sheet of a run's resource load to a portfolio workbook."""
    res = settings.resources
    f = _formats(wb)
    ws = wb.add_worksheet(CAPACITY_SHEET)
    unit = "month" if load.kind.value == "month" else "ISO week"
    write_cell(ws, 0, 0, f"Capacity: utilisation by person and {unit}", f["title"])
    source = (
        f"capacity list {load.capacity_file}"
        if load.capacity_file
        else "no capacity list: everyone is counted as one full-time person"
    )
    write_cell(
        ws,
        1,
        0,
        f"Demand over capacity (days asked by every project / days available), from {source}. "
        f"Amber above {res.over_amber:.0%}, Red above {res.over_red:.0%}; "
        "'d' cells: days asked of someone with no capacity (not in the list, or gone); "
        "blank: nothing asked.",
        f["note"],
    )
    periods = load.window
    headers = [*FIXED, *(period_label(p, load.kind) for p in periods), "Peak"]
    for col, text in enumerate(headers):
        write_cell(ws, HEADER_ROW, col, text, f["header"])
    row = HEADER_ROW
    first_data = HEADER_ROW + 1
    team = None
    for person in load.people:
        if person.team != team:
            team = person.team
            row += 1
            write_cell(ws, row, 0, team, f["team"])
            for col in range(1, len(headers)):
                ws.write_blank(row, col, None, f["team"])
        row += 1
        ws.set_row(row, None, None, {"level": 1})
        write_cell(ws, row, 1, person.name)
        write_cell(ws, row, 2, person.role)
        if person.member is not None:
            ws.write_number(row, 3, person.member.fte, f["fte"])
        for j, period in enumerate(periods, start=len(FIXED)):
            cell = person.periods.get(period)
            if cell is None:
                continue
            util = cell.utilisation
            if cell.demand <= 0:
                ws.write_blank(row, j, None, f["pct"])  # nothing asked: no number to read
            elif util is not None:
                ws.write_number(row, j, round(util, 4), f["pct"])
            else:
                write_cell(ws, row, j, f"{cell.demand:.1f} d", f["days"])
        peak = person.peak(periods)
        if peak:
            ws.write_number(row, len(headers) - 1, round(peak, 4), f["pct"])
    last_col = len(headers) - 1
    if row >= first_data:
        ws.conditional_format(
            first_data,
            len(FIXED),
            row,
            last_col,
            {
                "type": "3_color_scale",
                "min_type": "num",
                "min_value": 0,
                "min_color": SCALE[0],
                "mid_type": "num",
                "mid_value": res.over_amber,
                "mid_color": SCALE[1],
                "max_type": "num",
                "max_value": res.over_red + SCALE_PAST_RED,
                "max_color": SCALE[2],
            },
        )
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 24)
    ws.set_column(2, 2, 18)
    ws.set_column(3, 3, 6)
    ws.set_column(len(FIXED), last_col, 9)
    ws.set_row(HEADER_ROW, 30)
    ws.freeze_panes(HEADER_ROW + 1, 2)
    ws.outline_settings(True, False, True, False)
    ws.set_landscape()
    ws.set_paper(9)
    ws.repeat_rows(HEADER_ROW)
    ws.fit_to_pages(1, 0)
    ws.set_header(f"&L&8{CAPACITY_SHEET}&R&8&D")
    ws.set_footer("&L&8Generated by pmo-addin&R&8Page &P of &N")
    return ws
