"""The Dashboard sheet: one landscape page a steering committee reads at a glance.

Layout on a grid of :data:`GRID` equal narrow columns (so tiles, charts and the
matrix line up)::

    row 1      title                                              As of date
    row 2      what the page shows (and the trend since last time)
    row 3      links to the detail sheets
    rows 5-7   eleven KPI tiles: big number / share or note / label (a link)
    rows 9-22  three native charts: RAG by programme, Budget vs EAC, worst slippages
    row 24-    RAG matrix, worst first (at most ``limit`` rows; the rest on RAG Matrix)
    last row   how RAG is computed

Printed on one A4 landscape page (fit to 1 x 1), print area set, titles repeated.
"""

from __future__ import annotations

from typing import Any

from xlsxwriter.worksheet import Worksheet

from addin.core.cells import column_letter
from addin.engine.trend import NEW_RED, RECOVERED, WORSENED
from addin.outputs.dashboard.book import (
    BASE_FONT,
    DASHBOARD,
    EXCEPTIONS,
    LINK,
    MATRIX,
    MILESTONES,
    QUALITY,
    RESOURCES,
    RULE_COLOUR,
    TILE_FILL,
    TOP_RISKS,
    TREND,
    Book,
    money_format,
)
from addin.outputs.dashboard.charts import write_charts
from addin.outputs.dashboard.layout import (
    GRID,
    GRID_WIDTH,
    MATRIX_HEADER_ROW,
    MATRIX_TITLE_ROW,
    TILE_ROW,
    TILE_SPAN,
)
from addin.outputs.dashboard.lessons import LESSONS
from addin.outputs.dashboard.trends import TRENDS
from addin.outputs.palette import HEADER_FILL, HEADER_FONT, MUTED_FONT, RAG_COLOURS, TITLE_FONT

#: Projects shown in the Dashboard's matrix before the rest go to RAG Matrix only.
DASHBOARD_MATRIX_ROWS = 15

#: Matrix columns: header and grid span; RAG columns are coloured.
MATRIX_COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("Project ID", 3, False),
    ("Project", 5, False),
    ("Programme", 4, False),
    ("Schedule", 2, True),
    ("Cost", 2, True),
    ("Risk", 2, True),
    ("Overall", 2, True),
    ("Reported", 2, True),
    ("Top reason", 11, False),
)

ROW_RULE = "#D9D9D9"
SHARE_FORMAT = '0%" of projects"'


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class Front:
    """Writes the Dashboard sheet of a :class:`Book`."""

    def __init__(self, book: Book, ws: Worksheet, *, limit: int, has_trend: bool) -> None:
        self.book = book
        self.ws = ws
        self.limit = limit
        self.has_trend = has_trend
        base = {"font_name": "Calibri", "valign": "vcenter", "align": "center"}
        edge = {"border_color": RULE_COLOUR}
        self.tile_props: dict[str, dict[str, Any]] = {
            "number": {
                **base,
                **edge,
                "bold": True,
                "font_size": 22,
                "font_color": TITLE_FONT,
                "bg_color": TILE_FILL,
                "top": 1,
                "left": 1,
                "right": 1,
                "num_format": "#,##0",
            },
            "note": {
                **base,
                **edge,
                "font_size": 8,
                "font_color": MUTED_FONT,
                "bg_color": TILE_FILL,
                "left": 1,
                "right": 1,
                "shrink": True,
            },
            "label": {
                **base,
                **edge,
                "font_size": 9,
                "bold": True,
                "font_color": TITLE_FONT,
                "bg_color": TILE_FILL,
                "bottom": 1,
                "left": 1,
                "right": 1,
            },
        }
        self.matrix_fmt = {
            "header": book.style(
                base,
                bold=True,
                font_size=9,
                font_color=HEADER_FONT,
                bg_color=HEADER_FILL,
                align="left",
            ),
            "text": book.style(BASE_FONT, font_size=9, bottom=1, bottom_color=ROW_RULE),
            "rag": book.style(base, font_size=9, bottom=1, bottom_color=ROW_RULE),
        }

    # --- the page ----------------------------------------------------------------------------

    def write(self) -> None:
        """Lay out the whole sheet and its print settings."""
        ws = self.ws
        ws.hide_gridlines(2)
        ws.set_column(0, GRID - 1, GRID_WIDTH)
        self._head()
        self._tiles()
        write_charts(self.book, ws)
        last = self._matrix()
        self.book.page(ws, DASHBOARD, header_row=0)
        ws.fit_to_pages(1, 1)
        ws.center_horizontally()
        ws.print_area(0, 0, last, GRID - 1)
        ws.set_margins(left=0.3, right=0.3, top=0.55, bottom=0.45)
        ws.activate()

    def _head(self) -> None:
        book, ws, data = self.book, self.ws, self.book.data
        ws.set_row(0, 28)
        book.merged(ws, 0, 0, GRID - 9, f"{data.name} — Portfolio dashboard", book.f["title"])
        book.merged(ws, 0, GRID - 8, GRID - 1, data.as_of, book.f["as_of"])
        n = len(data.matrix)
        line = (
            f"{n} project{'s' if n != 1 else ''} · RAG computed from the trackers: Overall is "
            "the worst of Schedule, Cost and Risk that have data; No data where a tracker holds "
            "no evidence (never Green); a stale report, or no data for Schedule or Cost, is at "
            "least Amber."
        )
        if data.trend is not None:
            t = data.trend
            line += (
                f" Since {book.show_date(t.previous_as_of)}: {t.worse} worse, {t.better} better,"
                f" {len(t.new_reds)} new Red, {len(t.recovered)} recovered."
            )
        elif data.trends is not None and data.trends.previous_as_of is not None:
            h = data.trends
            since = data.trends.previous_as_of
            line += (
                f" Since {book.show_date(since)}: {h.count(NEW_RED)} new Red,"
                f" {h.count(WORSENED)} worsened, {h.count(RECOVERED)} recovered (see Trends)."
            )
        book.summary(ws, 1, GRID - 1, line, GRID * GRID_WIDTH)
        links = [MATRIX, EXCEPTIONS, MILESTONES, TOP_RISKS, QUALITY]
        if self.has_trend:
            links.append(TREND)
        if data.trends is not None:
            links.append(TRENDS)
        if data.lessons is not None:
            links.append(LESSONS)
        if data.resources is not None:
            links.append(RESOURCES)
        span = GRID // len(links)
        small = book.style(BASE_FONT, LINK, font_size=8) if span < 4 else None
        for i, sheet in enumerate(links):
            book.link(ws, 2, i * span, sheet, f"▸ {sheet}", small, last=i * span + span - 1)
        ws.set_row(3, 6)

    def _tiles(self) -> None:
        book, ws, data = self.book, self.ws, self.book.data
        money = money_format(
            data.currency, max((t.value for t in data.tiles if t.kind == "money"), default=0)
        )
        ws.set_row(TILE_ROW, 36)
        ws.set_row(TILE_ROW + 1, 14)
        ws.set_row(TILE_ROW + 2, 16)
        ws.set_row(TILE_ROW + 3, 8)
        for i, tile in enumerate(data.tiles[: GRID // TILE_SPAN]):
            first, last = i * TILE_SPAN, i * TILE_SPAN + TILE_SPAN - 1
            colours: dict[str, Any] = {}
            if tile.rag in RAG_COLOURS:
                fill, font = RAG_COLOURS[tile.rag]
                colours = {"bg_color": fill, "font_color": font}
            number = book.style(
                self.tile_props["number"],
                colours,
                num_format=money if tile.kind == "money" else "#,##0",
                font_size=18 if tile.kind == "money" else 22,
            )
            note = book.style(self.tile_props["note"], colours)
            if tile.share is not None:
                share = book.style(self.tile_props["note"], colours, num_format=SHARE_FORMAT)
                book.merged(ws, TILE_ROW + 1, first, last, tile.share, share)
            else:
                book.merged(ws, TILE_ROW + 1, first, last, tile.note, note)
            book.merged(ws, TILE_ROW, first, last, tile.value, number)
            if tile.link:
                label = book.style(self.tile_props["label"], colours, underline=1)
                book.link(ws, TILE_ROW + 2, first, tile.link, tile.label, label, last=last)
            else:
                label = book.style(self.tile_props["label"], colours)
                book.merged(ws, TILE_ROW + 2, first, last, tile.label, label)

    # --- matrix ------------------------------------------------------------------------------

    def _matrix(self) -> int:
        book, ws, data = self.book, self.ws, self.book.data
        shown = data.matrix[: self.limit]
        more = len(data.matrix) - len(shown)
        split = GRID - 10
        book.merged(
            ws, MATRIX_TITLE_ROW, 0, split - 1, "RAG matrix — worst first", book.f["section"]
        )
        if more:
            book.link(
                ws,
                MATRIX_TITLE_ROW,
                split,
                MATRIX,
                f"+ {more} more on RAG Matrix ▸",
                book.style(BASE_FONT, LINK, align="right", bottom=2, bottom_color=TITLE_FONT),
                last=GRID - 1,
            )
        else:
            book.merged(ws, MATRIX_TITLE_ROW, split, GRID - 1, "", book.f["section"])
        ws.set_row(MATRIX_TITLE_ROW, 20)
        col = 0
        spans = []
        for header, span, _ in MATRIX_COLUMNS:
            book.merged(
                ws, MATRIX_HEADER_ROW, col, col + span - 1, header, self.matrix_fmt["header"]
            )
            spans.append((col, col + span - 1))
            col += span
        ws.set_row(MATRIX_HEADER_ROW, 16)
        row = MATRIX_HEADER_ROW
        for row, m in enumerate(shown, MATRIX_HEADER_ROW + 1):
            ws.set_row(row, 15)
            values = (
                m.project_id,
                _clip(m.project_name, 32),
                _clip(m.programme, 26),
                m.schedule,
                m.cost,
                m.risk,
                m.overall,
                m.reported,
                _clip(m.top_reason, 60),
            )
            for (first, last), (_, _, is_rag), value in zip(
                spans, MATRIX_COLUMNS, values, strict=True
            ):
                fmt = self.matrix_fmt["rag" if is_rag else "text"]
                book.merged(ws, row, first, last, value, fmt)
        if not shown:
            row += 1
            book.merged(ws, row, 0, GRID - 1, "No projects.", book.f["note"])
        else:
            top, bottom = MATRIX_HEADER_ROW + 2, row + 1
            rag = [span for span, c in zip(spans, MATRIX_COLUMNS, strict=True) if c[2]]
            left, right = column_letter(rag[0][0]), column_letter(rag[-1][1])
            book.rag_formats(ws, f"{left}{top}:{right}{bottom}")
        foot = row + 1
        ws.set_row(foot, 14)
        stale = book.settings.rag.stale_days
        book.merged(
            ws,
            foot,
            0,
            GRID - 1,
            "Schedule: SPI, milestones, finish slip · Cost: VAC %, CPI · Risk: open High/Critical "
            f"risks and issues · No data: no evidence for it in the tracker · Stale: Status Date "
            f"more than {stale} days old, or none · Reported: the project manager's own RAG · "
            "Colours are colour-blind safe; the word is always shown.",
            book.f["note"],
        )
        return foot


def write_front(book: Book, ws: Worksheet, *, limit: int, has_trend: bool) -> None:
    """Write the Dashboard sheet (``ws`` must be the book's first sheet)."""
    Front(book, ws, limit=limit, has_trend=has_trend).write()
