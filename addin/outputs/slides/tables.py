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
from xml.sax.saxutils import escape

from pptx.oxml import parse_xml
from pptx.slide import Slide

from addin.outputs.slides.geometry import Box, emu
from addin.outputs.slides.measure import line_height, shorten
from addin.outputs.slides.style import BAND_FILL, HEADER, TABLE_PT, rag_colours, slide_text

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


_ALIGN = {"text": "l", "rag": "ctr", "number": "r", "center": "ctr"}
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
#: The table style PowerPoint gives a new table (our fills override its colours).
_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"


def _cell_xml(
    text: str, size: float, fill: str, *, bold: bool = False, colour: str | None = None, align: str
) -> str:
    """One ``a:tc``: its paragraphs (plain runs), margins, middle anchor and fill."""
    sz = round(size * 100)
    run_props = f'<a:rPr lang="en-GB" sz="{sz}" b="{int(bold)}" dirty="0">'
    if colour is not None:
        run_props += f'<a:solidFill><a:srgbClr val="{colour.lstrip("#")}"/></a:solidFill>'
    run_props += "</a:rPr>"
    paragraphs = []
    for part in text.split("\n"):
        body = f"<a:r>{run_props}<a:t>{escape(part)}</a:t></a:r>" if part else ""
        paragraphs.append(f'<a:p><a:pPr algn="{align}"/>{body}<a:endParaRPr sz="{sz}"/></a:p>')
    margins = f'marL="{emu(CELL_X)}" marR="{emu(CELL_X)}" marT="{emu(CELL_Y)}" marB="{emu(CELL_Y)}"'
    return (
        f'<a:tc><a:txBody><a:bodyPr wrap="square"/><a:lstStyle/>{"".join(paragraphs)}</a:txBody>'
        f'<a:tcPr {margins} anchor="ctr"><a:solidFill><a:srgbClr val="{fill.lstrip("#")}"/>'
        "</a:solidFill></a:tcPr></a:tc>"
    )


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
    boxes = widths(box, columns)
    fill, font = HEADER
    cut: list[str] = []
    cells = [
        _cell_xml(
            shorten(column.header, w.w - 2 * CELL_X, size, bold=True),
            size,
            fill,
            bold=True,
            colour=font,
            align=_ALIGN[column.kind],
        )
        for column, w in zip(columns, boxes, strict=True)
    ]
    xml_rows = [f'<a:tr h="{emu(head_h)}">{"".join(cells)}</a:tr>']
    for r, values in enumerate(rows, 1):
        band = BAND_FILL if r % 2 == 0 else "#FFFFFF"
        cells = []
        for column, w, value in zip(columns, boxes, values, strict=True):
            text = slide_text(value)
            if column.lines == 1:
                text = " ".join(text.split("\n"))
            room = w.w - 2 * CELL_X
            if column.kind == "rag" and text:
                back, ink = rag_colours(dict(column.as_rag).get(text, text))
                shown = shorten(text, room, size, bold=True)
                cells.append(_cell_xml(shown, size, back, bold=True, colour=ink, align="ctr"))
            else:
                shown = shorten(text, room, size, lines=column.lines)
                cells.append(_cell_xml(shown, size, band, align=_ALIGN[column.kind]))
            if shown != text:
                cut.append(f"{column.header}: {' / '.join(text.splitlines())}")
        xml_rows.append(f'<a:tr h="{emu(body_h)}">{"".join(cells)}</a:tr>')
    grid = "".join(f'<a:gridCol w="{emu(w.w)}"/>' for w in boxes)
    table_xml = (
        f'<a:tbl xmlns:a="{_A}"><a:tblPr firstRow="1"><a:tableStyleId>{_STYLE}</a:tableStyleId>'
        f"</a:tblPr><a:tblGrid>{grid}</a:tblGrid>{''.join(xml_rows)}</a:tbl>"
    )
    frame = slide.shapes.add_table(1, 1, emu(box.x), emu(box.y), emu(box.w), emu(height))
    old = frame._element.graphic.graphicData.tbl
    old.getparent().replace(old, parse_xml(table_xml))
    return cut
