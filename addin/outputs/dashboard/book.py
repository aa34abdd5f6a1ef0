"""Shared pieces of the dashboard workbook: formats, safe cell writers, sheet furniture.

Every piece of tracker text goes through :func:`put` (the one safe-cell writer), so a
project name such as ``=HYPERLINK("http://x","y")`` stays text. The only links
written are internal ones between the dashboard's own sheets (:func:`link`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from addin.checks import date_formatter
from addin.core.cells import column_letter, quote_sheet
from addin.core.settings import Settings
from addin.outputs.cells import write_cell
from addin.outputs.dashboard.data import DashboardData
from addin.outputs.palette import HEADER_FILL, HEADER_FONT, MUTED_FONT, RAG_COLOURS, TITLE_FONT

#: Workbook options: tracker text never becomes a formula, a link or a number.
WORKBOOK_OPTIONS: dict[str, Any] = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}

#: Sheet names (stable: the Dashboard links to them, people bookmark them).
#: Characters of 9-point text one column-width unit holds, at a narrow estimate (Excel's
#: Calibri and LibreOffice's Carlito hold 1.6-1.8 on average), and a line's height.
MUTED_CHARS_PER_UNIT = 1.5
MUTED_LINE_POINTS = 12
DASHBOARD = "Dashboard"
MATRIX = "RAG Matrix"
EXCEPTIONS = "Exceptions"
MILESTONES = "Milestones ahead"
TOP_RISKS = "Top risks"
QUALITY = "Data quality"
TREND = "Trend"
RESOURCES = "Resources"
CHART_DATA = "Chart Data"

TILE_FILL = "#F2F2F2"
RULE_COLOUR = "#BFBFBF"
LINK_FONT = "#0B5394"

#: Properties every cell format starts from.
BASE_FONT: dict[str, Any] = {"font_name": "Calibri", "font_size": 10, "valign": "vcenter"}
#: Properties of internal links.
LINK: dict[str, Any] = {"font_color": LINK_FONT, "underline": 1, "bold": True}

_CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$", "JPY": "¥", "INR": "₹"}


def internal(sheet: str, cell: str = "A1") -> str:
    """The ``internal:`` URL of a cell of one of our own sheets."""
    return f"internal:{quote_sheet(sheet)}!{cell}"


def _money_affixes(currency: str) -> tuple[str, str]:
    symbol = _CURRENCY_SYMBOLS.get(currency, "")
    return (f'"{symbol}"', "") if symbol else ("", f' "{currency}"')


def money_format(currency: str, largest: float) -> str:
    """Excel number format for money tiles: ``£1.2bn``, ``£545m``, ``£12.3m``, ``£450k``..."""
    prefix, suffix = _money_affixes(currency)
    if abs(largest) >= 1_000_000_000:
        return f'{prefix}#,##0.0,,,"bn"{suffix}'
    if abs(largest) >= 100_000_000:
        return f'{prefix}#,##0,,"m"{suffix}'
    if abs(largest) >= 1_000_000:
        return f'{prefix}#,##0.0,,"m"{suffix}'
    if abs(largest) >= 10_000:
        return f'{prefix}#,##0,"k"{suffix}'
    return f"{prefix}#,##0{suffix}"


def axis_format(currency: str, step: float) -> str:
    """Excel number format for a money axis whose ticks are ``step`` apart (no rounding clash)."""
    prefix, suffix = _money_affixes(currency)
    if step >= 1_000_000:
        decimals = "" if step % 1_000_000 == 0 else ".0"
        return f'{prefix}#,##0{decimals},,"m"{suffix}'
    if step >= 1_000 and step % 1_000 == 0:
        return f'{prefix}#,##0,"k"{suffix}'
    return f"{prefix}#,##0{suffix}"


#: Points per line of 10-point text in a wrapped cell.
LINE_HEIGHT = 13


def wrapped_lines(text: str, width: float) -> int:
    """Lines ``text`` takes in a wrapped cell ``width`` characters wide (an estimate)."""
    per_line = max(int(width * 1.2), 1)
    return sum(max(-(-len(part) // per_line), 1) for part in text.splitlines() or [""])


def _escape_header(text: str) -> str:
    return text.replace("&", "&&")


@dataclass(frozen=True)
class Col:
    """A column of a detail table: header, width and kind (text, date, int, rag, wrap, center)."""

    header: str
    width: float
    kind: str = "text"


class Book:
    """The workbook being written, its formats and the data it shows."""

    def __init__(self, path: str, data: DashboardData, settings: Settings) -> None:
        self.wb = xlsxwriter.Workbook(path, WORKBOOK_OPTIONS)
        self.data = data
        self.settings = settings
        self.show_date = date_formatter(settings.date_format)
        self._styles: dict[tuple[tuple[str, Any], ...], Format] = {}
        base = BASE_FONT
        self.f: dict[str, Format] = {
            "text": self.style(base),
            "wrap": self.style(base, text_wrap=True, valign="top"),
            "muted": self.style(base, font_size=9, font_color=MUTED_FONT),
            "muted_wrap": self.style(
                base, font_size=9, font_color=MUTED_FONT, text_wrap=True, valign="top"
            ),
            "note": self.style(base, font_size=8, italic=True, font_color=MUTED_FONT),
            "date": self.style(base, num_format=settings.date_format, align="left"),
            "int": self.style(base, num_format="0"),
            "title": self.style(base, bold=True, font_size=16, font_color=TITLE_FONT),
            "as_of": self.style(
                base,
                bold=True,
                font_size=12,
                font_color=TITLE_FONT,
                align="right",
                num_format=f'"As of "{settings.date_format}',
            ),
            "section": self.style(
                base,
                bold=True,
                font_size=11,
                font_color=TITLE_FONT,
                bottom=2,
                bottom_color=TITLE_FONT,
            ),
            "header": self.style(
                base,
                bold=True,
                font_color=HEADER_FONT,
                bg_color=HEADER_FILL,
                text_wrap=True,
                border=1,
                border_color=HEADER_FILL,
            ),
            "link": self.style(base, **LINK),
        }
        self.rag: dict[str, Format] = {
            name: self.style(bg_color=fill, font_color=font, bold=True)
            for name, (fill, font) in RAG_COLOURS.items()
        }

    def style(self, *bases: Mapping[str, Any], **props: Any) -> Format:
        """The workbook format with these properties (made once, then reused)."""
        merged: dict[str, Any] = {}
        for b in bases:
            merged.update(b)
        merged.update(props)
        key = tuple(sorted(merged.items()))
        fmt = self._styles.get(key)
        if fmt is None:
            fmt = self._styles[key] = self.wb.add_format(merged)
        return fmt

    # --- cells -------------------------------------------------------------------------------

    def put(self, ws: Worksheet, row: int, col: int, value: Any, fmt: Format | None = None) -> None:
        """Write one value without ever creating a formula or a link (blank for None)."""
        if value is None or value == "":
            if fmt is not None:
                ws.write_blank(row, col, None, fmt)
            return
        if isinstance(value, bool):  # a committee reads Yes / No, not TRUE / FALSE
            value = "Yes" if value else "No"
        elif isinstance(value, dt.date):  # a day, in the dashboard's date format by default
            value = dt.date(value.year, value.month, value.day)
            fmt = fmt or self.f["date"]
        write_cell(ws, row, col, value, fmt)

    def merged(
        self,
        ws: Worksheet,
        row: int,
        first: int,
        last: int,
        value: Any,
        fmt: Format | None = None,
        *,
        last_row: int | None = None,
    ) -> None:
        """Merge ``row, first .. last_row, last`` and write ``value`` safely into it."""
        bottom = row if last_row is None else last_row
        if first == last and bottom == row:
            self.put(ws, row, first, value, fmt)
            return
        ws.merge_range(row, first, bottom, last, "", fmt)
        self.put(ws, row, first, value, fmt)

    def summary(self, ws: Worksheet, row: int, last: int, text: str, width: float) -> None:
        """Muted text across columns 0 .. ``last`` (``width`` character units in all).

        A merged cell neither spills over nor grows with its text: a summary longer than
        its row was cut off mid-word. It wraps, on as many lines as it takes at a narrow
        estimate of how many characters a unit holds.
        """
        lines = max(1, math.ceil(len(text) / (width * MUTED_CHARS_PER_UNIT)))
        if lines > 1:
            ws.set_row(row, MUTED_LINE_POINTS * lines + 3)
        self.merged(ws, row, 0, last, text, self.f["muted_wrap"])

    def link(
        self,
        ws: Worksheet,
        row: int,
        col: int,
        sheet: str,
        text: str,
        fmt: Format | None = None,
        *,
        last: int | None = None,
    ) -> None:
        """An internal hyperlink to ``sheet``!A1, optionally over merged cells to ``last``."""
        fmt = fmt or self.f["link"]
        if last is not None and last > col:
            ws.merge_range(row, col, row, last, "", fmt)
        ws.write_url(row, col, internal(sheet), fmt, string=text, tip=f"Go to {sheet}")

    # --- sheet furniture ---------------------------------------------------------------------

    def page(self, ws: Worksheet, sheet: str, *, header_row: int | None = None) -> None:
        """Landscape A4, margins, header and footer with portfolio name and as-of date."""
        name = _escape_header(self.data.name[:80])
        as_of = self.show_date(self.data.as_of)
        ws.set_landscape()
        ws.set_paper(9)
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.5)
        ws.set_header(f"&L&8{name}&C&8&B{_escape_header(sheet)}&R&8As of {as_of}", {"margin": 0.25})
        ws.set_footer(
            "&L&8Generated by pmo-addin from the project trackers&R&8Page &P of &N",
            {"margin": 0.25},
        )
        if header_row is not None:
            ws.repeat_rows(0, header_row)

    def title(self, ws: Worksheet, sheet: str, last_col: int, description: str) -> None:
        """Rows 1-3 of a detail sheet: title and as-of date, what it lists, a back link."""
        ws.set_row(0, 24)
        split = max(last_col - 1, 1)
        self.merged(ws, 0, 0, split - 1, f"{self.data.name} — {sheet}", self.f["title"])
        self.merged(ws, 0, split, last_col, self.data.as_of, self.f["as_of"])
        self.merged(ws, 1, 0, last_col, description, self.f["muted"])
        self.link(ws, 2, 0, DASHBOARD, "◂ Back to the Dashboard", last=min(1, last_col))

    def table(
        self,
        ws: Worksheet,
        name: str,
        row: int,
        col: int,
        columns: Sequence[Col],
        rows: Sequence[Sequence[Any]],
        *,
        empty: str = "None.",
    ) -> tuple[int, int]:
        """An Excel table with an autofilter at ``row, col``; returns its first/last data row.

        RAG columns get the palette's conditional formats; rows holding long text
        in a wrapped column are made tall enough to show it. An empty table keeps
        one row that says ``empty``.
        """
        for i, c in enumerate(columns):
            ws.set_column(col + i, col + i, c.width)
        last_row = row + max(len(rows), 1)
        ws.add_table(
            row,
            col,
            last_row,
            col + len(columns) - 1,
            {
                "name": "tbl" + re.sub(r"\W", "", name),
                "style": "Table Style Light 1",
                "columns": [
                    {"header": c.header, "header_format": self.f["header"]} for c in columns
                ],
            },
        )
        ws.set_row(row, 30)
        if not rows:
            self.put(ws, row + 1, col, empty, self.f["note"])
        for r, values in enumerate(rows, row + 1):
            lines = 1
            for i, (c, value) in enumerate(zip(columns, values, strict=True)):
                self.put(ws, r, col + i, value, self.cell_format(c.kind))
                if c.kind == "wrap" and isinstance(value, str):
                    lines = max(lines, wrapped_lines(value, c.width))
            if lines > 1:
                ws.set_row(r, min(LINE_HEIGHT * lines + 2, 409))
        for i, c in enumerate(columns):
            if c.kind == "rag":
                letter = column_letter(col + i)
                self.rag_formats(ws, f"{letter}{row + 2}:{letter}{last_row + 1}")
        return row + 1, last_row

    def cell_format(self, kind: str) -> Format:
        """Format of a table cell by column kind (all top-aligned, so wrapped rows line up)."""
        top = {**BASE_FONT, "valign": "top"}
        if kind == "date":
            return self.style(top, num_format=self.settings.date_format, align="left")
        if kind == "int":
            return self.style(top, num_format="0", align="center")
        if kind == "wrap":
            return self.style(top, text_wrap=True)
        if kind == "rag":
            return self.style(top, align="center", border=1, border_color=RULE_COLOUR)
        if kind == "center":
            return self.style(top, align="center")
        return self.style(top)

    def rag_formats(self, ws: Worksheet, cells: str) -> None:
        """Colour ``Red`` / ``Amber`` / ``Green`` words in ``cells`` with the palette."""
        for word, fmt in self.rag.items():
            ws.conditional_format(
                cells, {"type": "cell", "criteria": "==", "value": f'"{word}"', "format": fmt}
            )
