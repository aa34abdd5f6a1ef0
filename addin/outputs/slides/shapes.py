"""Text boxes, lists and KPI tiles that fit: text is measured and shortened before it is placed.

Every helper returns what it had to leave out or cut (the full texts), so the slide's
speaker notes can carry them. Text is always plain runs: never a field, never a link.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.shapes.base import BaseShape
from pptx.slide import Slide
from pptx.text.text import TextFrame, _Paragraph
from pptx.util import Pt

from addin.outputs.slides.geometry import Box, emu
from addin.outputs.slides.measure import line_height, lines_needed, shorten
from addin.outputs.slides.style import (
    MUTED_COLOUR,
    TILE_LABEL_PT,
    TILE_NUMBER_PT,
    rgb,
    slide_text,
)

#: Inner margins of our text boxes, in points (left/right, top/bottom).
PAD_X, PAD_Y = 3.6, 2.0


def style_runs(
    shape: BaseShape, size: float, *, bold: bool | None = None, colour: str | None = None
) -> None:
    """Give every run of a shape's text one size (and boldness, colour when given)."""
    frame: TextFrame = shape.text_frame
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(size)
            if bold is not None:
                run.font.bold = bold
            if colour is not None:
                run.font.color.rgb = rgb(colour)


def end_size(paragraph: _Paragraph, size: float) -> None:
    """Give a paragraph's end mark the text's size, so an empty paragraph is no taller."""
    paragraph._p.get_or_add_endParaRPr().set("sz", str(round(size * 100)))


def _frame(frame: TextFrame, anchor: MSO_ANCHOR) -> None:
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = emu(PAD_X)
    frame.margin_top = frame.margin_bottom = emu(PAD_Y)
    frame.vertical_anchor = anchor


def room(box: Box, size: float) -> int:
    """How many lines of ``size``-point text a text box of this size holds (at least 1)."""
    return max(1, math.floor((box.h - 2 * PAD_Y + 0.01) / line_height(size)))


def add_text(
    slide: Slide,
    box: Box,
    text: object,
    *,
    size: float,
    bold: bool = False,
    colour: str | None = None,
    align: PP_ALIGN = PP_ALIGN.LEFT,
    anchor: MSO_ANCHOR = MSO_ANCHOR.TOP,
    lines: int | None = None,
) -> str | None:
    """A text box holding ``text`` (line feeds start paragraphs), shortened to fit.

    Args:
        slide: The slide.
        box: Where it goes.
        text: The text (any value; made safe for a slide).
        size: Font size in points.
        bold: Bold text.
        colour: Font colour (``#RRGGBB``), or None for the theme's.
        align: Paragraph alignment.
        anchor: Vertical anchor.
        lines: Most lines to use (default: as many as the box holds).

    Returns:
        The full text when it had to be shortened, else None.
    """
    full = slide_text(text)
    most = min(lines, room(box, size)) if lines is not None else room(box, size)
    shown = shorten(full, box.w - 2 * PAD_X, size, bold=bold, lines=most)
    shape = slide.shapes.add_textbox(emu(box.x), emu(box.y), emu(box.w), emu(box.h))
    frame = shape.text_frame
    _frame(frame, anchor)
    for i, part in enumerate(shown.split("\n")):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = align
        end_size(paragraph, size)
        run = paragraph.add_run()
        run.text = part
        run.font.size = Pt(size)
        run.font.bold = bold
        if colour is not None:
            run.font.color.rgb = rgb(colour)
    return full if shown != full else None


def add_list(
    slide: Slide,
    box: Box,
    items: Sequence[object],
    *,
    size: float,
    each: int = 2,
    bullet: str = "• ",
    colour: str | None = None,
    empty: str = "",
) -> list[str]:
    """A bulleted list in a text box: each item at most ``each`` lines, as many as fit.

    When not every item fits, the last line says how many more there are.

    Returns:
        The full text of every item cut short or left out (for the notes).
    """
    texts = [slide_text(item).replace("\n", " ") for item in items]
    width = box.w - 2 * PAD_X
    free = room(box, size)
    shown: list[str] = []
    left_out: list[str] = []
    for i, text in enumerate(texts):
        rest = len(texts) - i - 1
        reserve = 1 if rest else 0  # a line for "+ N more" after this one
        line = shorten(bullet + text, width, size, lines=each)
        need = lines_needed(line, width, size)
        if need > free - reserve:
            line = shorten(bullet + text, width, size, lines=max(1, free - 1))
            need = lines_needed(line, width, size)
            if need > free - 1 or free <= 1:
                left_out.extend(texts[i:])
                break
        if line != bullet + text:
            left_out.append(text)
        shown.append(line)
        free -= need
    not_shown = len(texts) - len(shown)
    if not_shown:
        shown.append(f"+ {not_shown} more (in the speaker notes)")
    if not shown and empty:
        shown = [empty]
    add_text(slide, box, "\n".join(shown), size=size, colour=colour)
    return left_out


def plain(shape: BaseShape) -> None:
    """Take the theme's shape style off a shape (its shadow, its accent outline).

    Fill and line are then only what we set; PowerPoint and LibreOffice draw it alike.
    """
    element = shape._element
    style = element.find(qn("p:style"))
    if style is not None:
        element.remove(style)


def add_rectangle(slide: Slide, box: Box, fill: str, line: str | None = None) -> BaseShape:
    """A filled rectangle (a tile's background, a band)."""
    shape = slide.shapes.add_shape(
        MSO_SHAPE.RECTANGLE, emu(box.x), emu(box.y), emu(box.w), emu(box.h)
    )
    plain(shape)
    shape.fill.solid()
    shape.fill.fore_color.rgb = rgb(fill)
    if line is None:
        shape.line.fill.background()
    else:
        shape.line.color.rgb = rgb(line)
        shape.line.width = emu(0.75)
    return shape


def add_tile(
    slide: Slide,
    box: Box,
    number: str,
    label: str,
    note: str,
    *,
    fill: str,
    font: str,
) -> list[str]:
    """A KPI tile: a big number, a small note under it and a bold label at the bottom.

    Returns:
        The full texts cut short to fit (for the notes).
    """
    add_rectangle(slide, box, fill)
    inner = box.inset(2, 3)
    label_h = line_height(TILE_LABEL_PT) + 2 * PAD_Y + 0.5
    note_h = line_height(TILE_LABEL_PT - 1) + 2 * PAD_Y + 0.5
    name = inner.bottom_part(label_h)
    small = Box(inner.x, name.y - note_h, inner.w, note_h)
    big = Box(inner.x, inner.y, inner.w, max(0.0, small.y - inner.y))
    cut = [
        add_text(
            slide,
            big,
            number,
            size=min(TILE_NUMBER_PT, (big.h - 2 * PAD_Y) / 1.2 - 0.5),
            bold=True,
            colour=font,
            align=PP_ALIGN.CENTER,
            anchor=MSO_ANCHOR.MIDDLE,
            lines=1,
        ),
        add_text(
            slide,
            small,
            note,
            size=TILE_LABEL_PT - 1,
            colour=font if font != "#000000" else MUTED_COLOUR,
            align=PP_ALIGN.CENTER,
            lines=1,
        ),
        add_text(
            slide,
            name,
            label,
            size=TILE_LABEL_PT,
            bold=True,
            colour=font,
            align=PP_ALIGN.CENTER,
            lines=1,
        ),
    ]
    return [c for c in cut if c is not None]
