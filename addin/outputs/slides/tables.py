"""Native slide tables whose every cell fits: measured, shortened, and paged by the caller.

A :class:`Column` says how wide a column is (a weight), what it holds (text, a RAG word
filled with its colour, a number aligned right) and how many lines a cell may take.
:func:`rows_per_page` says how many rows fit in a box, so long lists are paged rather
than squeezed; :func:`add_table` shortens each cell to its room and returns the full texts
it cut, for the speaker notes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.slide import Slide
from pptx.table import _Cell
from pptx.util import Pt

from addin.outputs.slides.geometry import Box, emu
from addin.outputs.slides.measure import line_height, shorten
from addin.outputs.slides.shapes import end_size
from addin.outputs.slides.style import BAND_FILL, HEADER, TABLE_PT, rag_colours, rgb, slide_text

#: Inner margins of a table cell, in points (left/right, top/bottom).
CELL_X, CELL_Y = 3.6, 1.8
#: Extra height of every row, in points, so a renderer with taller line metrics still fits.
ROW_SLACK = 1.5

Kind = Literal["text", "rag", "number", "center"]


@dataclass(frozen=True)
class Column:
    """One column of a slide table.

    Attributes:
        header: The header text.
        weight: Its share of the table's width.
        kind: ``text``; ``rag`` (the word, centred, on its RAG colour); ``number`` (right);
            ``center``.
        lines: Most lines a cell of this column takes (longer text is shortened).
        width: A width in points instead of a share (0: use ``weight``).
        as_rag: For a ``rag`` column of other words: word -> the RAG whose colours it takes
            (``Critical`` -> ``Red``).
    """

    header: str
    weight: float = 1.0
    kind: Kind = "text"
    lines: int = 1
    width: float = 0.0
    as_rag: tuple[tuple[str, str], ...] = ()


#: Width of a RAG column, in points: room for "No data" and "Schedule" in bold.
RAG_WIDTH = 60.0


def rag_column(header: str) -> Column:
    """A RAG column: the word on its colour, wide enough for every RAG word we write."""
    return Column(header, kind="rag", width=RAG_WIDTH)


def widths(box: Box, columns: Sequence[Column]) -> list[Box]:
    """Each column's box: fixed widths first, the rest shared by weight."""
    fixed = sum(c.width for c in columns)
    shared = sum(c.weight for c in columns if not c.width) or 1.0
    room = max(0.0, box.w - fixed)
    out, x = [], box.x
    for c in columns:
        w = c.width or room * c.weight / shared
        out.append(Box(x, box.y, w, box.h))
        x += w
    return out


def row_height(size: float, lines: int) -> float:
    """Height of a table row holding ``lines`` lines of ``size``-point text, in points."""
    return lines * line_height(size) + 2 * CELL_Y + ROW_SLACK


def table_height(columns: Sequence[Column], rows: int, size: float = TABLE_PT) -> float:
    """Height of a table of ``rows`` body rows under its header, in points."""
    return row_height(size, 1) + rows * row_height(size, max(c.lines for c in columns))


def rows_per_page(box: Box, columns: Sequence[Column], size: float = TABLE_PT) -> int:
    """How many body rows fit under the header in ``box`` (at least 1)."""
    header = row_height(size, 1)
    body = row_height(size, max(c.lines for c in columns))
    return max(1, math.floor((box.h - header + 0.01) / body))


def _fill(cell: _Cell, colour: str) -> None:
    cell.fill.solid()
    cell.fill.fore_color.rgb = rgb(colour)


def _write(
    cell: _Cell,
    text: str,
    size: float,
    *,
    bold: bool = False,
    colour: str | None = None,
    align: PP_ALIGN = PP_ALIGN.LEFT,
) -> None:
    cell.margin_left = cell.margin_right = emu(CELL_X)
    cell.margin_top = cell.margin_bottom = emu(CELL_Y)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    frame = cell.text_frame
    frame.word_wrap = True
    for i, part in enumerate(text.split("\n")):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = align
        end_size(paragraph, size)
        if not part:
            continue
        run = paragraph.add_run()
        run.text = part
        font = run.font
        font.size = Pt(size)
        font.bold = bold
        if colour is not None:
            font.color.rgb = rgb(colour)


_ALIGN = {
    "text": PP_ALIGN.LEFT,
    "rag": PP_ALIGN.CENTER,
    "number": PP_ALIGN.RIGHT,
    "center": PP_ALIGN.CENTER,
}


def add_table(
    slide: Slide,
    box: Box,
    columns: Sequence[Column],
    rows: Sequence[Sequence[object]],
    *,
    size: float = TABLE_PT,
) -> list[str]:
    """A native table at the top of ``box``: a header row, then one row per item.

    The caller pages long lists with :func:`rows_per_page`; rows beyond what fits are
    a programming error. Each cell is shortened to its column's width and lines.

    Returns:
        ``header: full text`` of every cell that had to be shortened (for the notes).
    """
    body_h = row_height(size, max(c.lines for c in columns))
    head_h = row_height(size, 1)
    height = head_h + body_h * len(rows)
    if height > box.h + 0.01:
        raise ValueError(f"{len(rows)} rows do not fit in {box.h:.0f} pt")
    frame = slide.shapes.add_table(
        len(rows) + 1, len(columns), emu(box.x), emu(box.y), emu(box.w), emu(height)
    )
    table = frame.table
    table.first_row = True
    table.horz_banding = False
    boxes = widths(box, columns)
    for i, w in enumerate(boxes):
        table.columns[i].width = emu(w.w)
    table.rows[0].height = emu(head_h)
    for r in range(1, len(rows) + 1):
        table.rows[r].height = emu(body_h)
    fill, font = HEADER
    cut: list[str] = []
    for c, (column, w) in enumerate(zip(columns, boxes, strict=True)):
        cell = table.cell(0, c)
        _fill(cell, fill)
        room = w.w - 2 * CELL_X
        _write(
            cell,
            shorten(column.header, room, size, bold=True),
            size,
            bold=True,
            colour=font,
            align=_ALIGN[column.kind],
        )
    for r, values in enumerate(rows, 1):
        band = BAND_FILL if r % 2 == 0 else "#FFFFFF"
        for c, (column, w, value) in enumerate(zip(columns, boxes, values, strict=True)):
            cell = table.cell(r, c)
            text = slide_text(value)
            if column.lines == 1:
                text = " ".join(text.split("\n"))
            room = w.w - 2 * CELL_X
            if column.kind == "rag" and text:
                back, ink = rag_colours(dict(column.as_rag).get(text, text))
                _fill(cell, back)
                shown = shorten(text, room, size, bold=True)
                _write(cell, shown, size, bold=True, colour=ink, align=PP_ALIGN.CENTER)
            else:
                _fill(cell, band)
                shown = shorten(text, room, size, lines=column.lines)
                _write(cell, shown, size, align=_ALIGN[column.kind])
            if shown != text:
                cut.append(f"{column.header}: {' / '.join(text.splitlines())}")
    return cut
