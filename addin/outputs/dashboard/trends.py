"""The Trends page: how the portfolio moved over its last snapshots, on one landscape page.

Made from the history (:class:`~addin.engine.trend.TrendData`, which the use case passes
in; the dashboard never reads the database)::

    rows 1-3    title, what moved since the previous snapshot, links
    band 1      RAG mix over the last 12 snapshots | milestone trend analysis
    band 2      SPI of the ten worst              | CPI of the ten worst
    table       movers first, then worst now: each project's RAG strip over the last 8
                snapshots, the move (New Red, Worsened ...), SPI change and the reason
    last row    how moves are judged

``RAG History`` lists every project the same way with the SPI and CPI before and now.
"""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from addin.engine.trend import NEW_RED, RECOVERED, STALE_AGAIN, WORSENED, Mover, TrendData
from addin.outputs.dashboard.book import BASE_FONT, DASHBOARD, LINK, Book, Col
from addin.outputs.dashboard.layout import CHART_ROW_PX, GRID, GRID_PX, GRID_WIDTH
from addin.outputs.dashboard.trend_charts import OTHER_FILL, lines_chart, mix_chart, mta_chart
from addin.outputs.dashboard.trend_data import Blocks, trend_data_sheet
from addin.outputs.palette import HEADER_FILL, HEADER_FONT, MUTED_FONT, RAG_COLOURS, TITLE_FONT

#: Sheet names.
TRENDS = "Trends"
RAG_HISTORY = "RAG History"
#: Projects listed on the Trends page (movers first); every one is on RAG History.
PAGE_ROWS = 15
BAND1, BAND1_ROWS = 4, 14
BAND2, BAND2_ROWS = BAND1 + BAND1_ROWS + 1, 12
TABLE = BAND2 + BAND2_ROWS + 1
#: Table columns on the page grid: (header, span).
#: Snapshots in the page's strip (the columns it has room for).
STRIP_CELLS = 8
SPANS = (("Project ID", 3), ("Project", 4), ("strip", STRIP_CELLS), ("Move", 3), ("SPI Δ", 2))
REASON_SPAN = GRID - sum(s for _, s in SPANS)
NOTE = {**BASE_FONT, "font_size": 8, "italic": True, "font_color": MUTED_FONT}
MOVE_FONTS = {
    NEW_RED: RAG_COLOURS["Red"][0],
    WORSENED: RAG_COLOURS["Red"][0],
    RECOVERED: RAG_COLOURS["Green"][0],
    STALE_AGAIN: "#7F6000",
}


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _change(value: float | None) -> str:
    if value is None:
        return ""
    rounded = round(value, 2)
    return "0.00" if rounded == 0 else f"{rounded:+.2f}"


def _rag_words(
    book: Book, ws: Worksheet, first_row: int, first_col: int, last_row: int, last_col: int
) -> None:
    for word, fmt in book.rag.items():
        ws.conditional_format(
            first_row,
            first_col,
            last_row,
            last_col,
            {"type": "cell", "criteria": "==", "value": f'"{word}"', "format": fmt},
        )
    if "No data" in book.rag:
        return  # the palette colours it already
    grey = book.style(bg_color=OTHER_FILL, font_color="#000000", bold=True)
    ws.conditional_format(
        first_row,
        first_col,
        last_row,
        last_col,
        {"type": "cell", "criteria": "==", "value": '"No data"', "format": grey},
    )


def _summary(book: Book, trend: TrendData) -> str:
    n = len(trend.dates)
    first, last = book.show_date(trend.dates[0]), book.show_date(trend.dates[-1])
    line = f"{n} snapshot{'s' if n != 1 else ''} from {first} to {last}. "
    if trend.previous_as_of is None:
        return line + "Movers appear from the second snapshot on."
    counts = ", ".join(
        f"{trend.count(k)} {k.lower() if k != NEW_RED else 'new Red'}"
        for k in (NEW_RED, WORSENED, RECOVERED, STALE_AGAIN)
    )
    return (
        line + f"Since {book.show_date(trend.previous_as_of)}: {counts}; "
        f"{trend.slipping} milestone{'s' if trend.slipping != 1 else ''} slipping "
        "(forecast later by more than 7 days)."
    )


def _charts(book: Book, ws: Worksheet, trend: TrendData, blocks: Blocks) -> None:
    for r in range(BAND1, BAND2 + BAND2_ROWS):
        ws.set_row(r, CHART_ROW_PX * 0.75)
    ws.set_row(BAND2 - 1, 6)
    h1 = BAND1_ROWS * CHART_ROW_PX - 4
    h2 = BAND2_ROWS * CHART_ROW_PX - 4
    other = any(m.other for m in trend.mix)
    ws.insert_chart(
        BAND1,
        0,
        mix_chart(book, blocks.mix, other=other, width=12 * GRID_PX - 6, height=h1),
        {"x_offset": 2, "y_offset": 2, "object_position": 3},
    )
    notes = book.f["note"]
    if trend.milestones:
        days = [d for m in trend.milestones for d in m.forecasts if d is not None]
        days += list(trend.dates)
        chart = mta_chart(
            book,
            blocks.mta,
            milestones=len(trend.milestones),
            span=(min(days), max(days)),
            width=18 * GRID_PX - 8,
            height=h1,
        )
        ws.insert_chart(BAND1, 12, chart, {"x_offset": 6, "y_offset": 2, "object_position": 3})
    else:
        book.merged(
            ws,
            BAND1,
            12,
            GRID - 1,
            "No milestone forecast moved later over these "
            "snapshots: nothing for the milestone trend to show.",
            notes,
            last_row=BAND1 + BAND1_ROWS - 1,
        )
    half = GRID // 2
    for first, block, lines, name in (
        (0, blocks.spi, len(trend.spi), "SPI"),
        (half, blocks.cpi, len(trend.cpi), "CPI"),
    ):
        if not lines:
            book.merged(
                ws,
                BAND2,
                first,
                first + half - 1,
                f"No {name} to chart (none computable now).",
                notes,
                last_row=BAND2 + BAND2_ROWS - 1,
            )
            continue
        chart = lines_chart(
            book,
            block,
            f"{name} of the {lines} lowest now",
            lines=lines,
            width=half * GRID_PX - 8,
            height=h2,
        )
        ws.insert_chart(
            BAND2,
            first,
            chart,
            {"x_offset": 2 + first // half * 4, "y_offset": 2, "object_position": 3},
        )


def _table(book: Book, ws: Worksheet, trend: TrendData, limit: int) -> int:
    movers = {m.project_id: m for m in trend.movers}
    shown = trend.strips[:limit]
    more = len(trend.strips) - len(shown)
    since = book.show_date(trend.previous_as_of) if trend.previous_as_of else "the last snapshot"
    book.merged(
        ws,
        TABLE,
        0,
        19,
        f"Movers since {since} first, then worst now: Overall RAG at "
        f"the last {len(trend.strip_dates)} snapshots",
        book.f["section"],
    )
    if more:
        right = book.style(BASE_FONT, LINK, align="right", bottom=2, bottom_color=TITLE_FONT)
        book.link(
            ws, TABLE, 20, RAG_HISTORY, f"+ {more} more on {RAG_HISTORY} ▸", right, last=GRID - 1
        )
    else:
        book.merged(ws, TABLE, 20, GRID - 1, "", book.f["section"])
    head = book.style(
        BASE_FONT,
        bold=True,
        font_size=8,
        font_color=HEADER_FONT,
        bg_color=HEADER_FILL,
        align="center",
        text_wrap=True,
    )
    line = {**BASE_FONT, "font_size": 8, "bottom": 1, "bottom_color": "#D9D9D9"}
    text = book.style(line)
    wrap = book.style(line, text_wrap=True, valign="top", font_size=7)
    cell = book.style(
        BASE_FONT, font_size=7, align="center", bold=True, border=1, border_color="#FFFFFF"
    )
    header = TABLE + 1
    ws.set_row(header, 22)
    col = 0
    pad = STRIP_CELLS - len(trend.strip_dates[-STRIP_CELLS:])
    for name, span in SPANS:
        if name == "strip":
            for i in range(STRIP_CELLS):
                day = trend.strip_dates[-STRIP_CELLS:][i - pad] if i >= pad else None
                book.put(ws, header, col + i, day.strftime("%d/%m") if day else "", head)
        else:
            book.merged(ws, header, col, col + span - 1, name, head)
        col += span
    book.merged(ws, header, col, GRID - 1, "Reason", head)
    row = header
    for row, strip in enumerate(shown, header + 1):
        ws.set_row(row, 15)
        m = movers.get(strip.project_id)
        book.merged(ws, row, 0, 2, strip.project_id, text)
        book.merged(ws, row, 3, 6, _clip(strip.project_name, 22), text)
        for i in range(STRIP_CELLS):
            rag = strip.rags[-STRIP_CELLS:][i - pad] if i >= pad else None
            book.put(ws, row, 7 + i, rag or "", cell)
        move = book.style(
            line,
            align="center",
            bold=True,
            font_color=MOVE_FONTS.get(m.kind, "#000000") if m else "#000000",
        )
        book.merged(ws, row, 15, 17, m.kind if m else "", move)
        book.merged(
            ws, row, 18, 19, _change(m.spi_change) if m else "", book.style(line, align="center")
        )
        reason = _clip(m.reason, 180) if m else ""
        book.merged(ws, row, 20, GRID - 1, reason, wrap)
        if len(reason) > 70:
            ws.set_row(row, 26 if len(reason) <= 140 else 37)
    if shown:
        _rag_words(book, ws, header + 1, 7, row, 14)
    else:
        row += 1
        book.merged(ws, row, 0, GRID - 1, "No projects.", book.f["note"])
    return row


def trends_sheet(book: Book, trend: TrendData, *, limit: int = PAGE_ROWS) -> None:
    """Write the Trends page, the RAG History sheet and the hidden Trend Data."""
    ws = book.wb.add_worksheet(TRENDS)
    ws.hide_gridlines(2)
    ws.set_column(0, GRID - 1, GRID_WIDTH)
    ws.set_row(0, 28)
    data = book.data
    book.merged(ws, 0, 0, 21, f"{data.name} — Trends", book.f["title"])
    book.merged(ws, 0, 22, GRID - 1, data.as_of, book.f["as_of"])
    book.summary(ws, 1, GRID - 1, _summary(book, trend), GRID * GRID_WIDTH)
    book.link(ws, 2, 0, DASHBOARD, "◂ Back to the Dashboard", last=5)
    book.link(ws, 2, 6, RAG_HISTORY, f"▸ {RAG_HISTORY} (every project)", last=13)
    ws.set_row(3, 6)
    history_sheet(book, trend)
    blocks = trend_data_sheet(book, trend)
    _charts(book, ws, trend, blocks)
    last = _table(book, ws, trend, limit)
    foot = last + 1
    book.merged(
        ws,
        foot,
        0,
        GRID - 1,
        "Against each project's previous snapshot: New Red = Red now, not before; Worsened / "
        "Recovered = Overall worse / better; Stale again = stale now, not before. A RAG that is "
        "not Red, Amber or Green (No data) moves a project only as Changed. A milestone is "
        "slipping when its forecast moves later by more than 7 days.",
        book.style(NOTE, text_wrap=True, valign="top"),
    )
    ws.set_row(foot, 24)
    book.page(ws, TRENDS, header_row=0)
    ws.fit_to_pages(1, 1)
    ws.center_horizontally()
    ws.print_area(0, 0, foot, GRID - 1)
    ws.set_margins(left=0.3, right=0.3, top=0.55, bottom=0.45)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2) + 0.0  # never -0.0


def _mover_cells(m: Mover | None) -> tuple[object, ...]:
    if m is None:
        return ("", None, None, None, None, None, None, None, None, "")
    return (
        m.kind,
        m.before or "new",
        m.now,
        *(
            _round(v)
            for v in (m.spi_before, m.spi_now, m.spi_change, m.cpi_before, m.cpi_now, m.cpi_change)
        ),
        m.reason,
    )


def history_sheet(book: Book, trend: TrendData) -> None:
    """Every project: its RAG strip, how it moved and why (movers first)."""
    movers = {m.project_id: m for m in trend.movers}
    dates = [book.show_date(d) for d in trend.strip_dates]
    cols = [
        Col("Project ID", 12),
        Col("Project", 26),
        *(Col(d, 10, "center") for d in dates),
        Col("Move", 11),
        Col("Before", 9),
        Col("Now", 9),
        Col("SPI before", 8),
        Col("SPI now", 8),
        Col("SPI Δ", 7),
        Col("CPI before", 8),
        Col("CPI now", 8),
        Col("CPI Δ", 7),
        Col("Reason", 70, "wrap"),
    ]
    ws = book.wb.add_worksheet(RAG_HISTORY)
    last_col = len(cols) - 1
    book.title(
        ws,
        RAG_HISTORY,
        last_col,
        "Overall RAG of every project at the last "
        f"{len(dates)} snapshots (oldest first); movers since the previous snapshot first.",
    )
    book.page(ws, RAG_HISTORY, header_row=3)
    ws.fit_to_pages(1, 0)
    ws.freeze_panes(4, 2)
    rows = [
        (
            s.project_id,
            s.project_name,
            *(r or "" for r in s.rags),
            *_mover_cells(movers.get(s.project_id)),
        )
        for s in trend.strips
    ]
    first, last = book.table(ws, "RagHistory", 3, 0, cols, rows, empty="No projects.")
    if rows:
        _rag_words(book, ws, first, 2, last, 2 + len(dates) + 2)
