"""The look of every slide we write: colours, type sizes, and text made safe for a slide.

RAG fills are the workbooks' colour-blind-safe palette (:mod:`addin.outputs.palette`);
any other RAG word (``No data``, or one a later rule set adds) is grey, never green, and
the word is always written in the cell, so status never depends on colour alone.
"""

from __future__ import annotations

import re

from pptx.dml.color import RGBColor

from addin.core.words import terminal_safe
from addin.outputs.palette import HEADER_FILL, HEADER_FONT, MUTED_FONT, RAG_COLOURS, TITLE_FONT

#: Fill and font of a RAG word without a colour of its own: the workbooks' ``No data`` grey.
NO_DATA_COLOURS = RAG_COLOURS.get("No data", ("#B0B0B0", "#000000"))
#: Light fill of alternate table rows, and of KPI tiles.
BAND_FILL = "#F2F2F2"
TILE_FILL = "#F2F2F2"
#: Thin rules and borders.
RULE_COLOUR = "#BFBFBF"

#: Type sizes, in points.
TITLE_PT = 26
SUBTITLE_PT = 14
BODY_PT = 11
TABLE_PT = 10
SMALL_PT = 9
FOOTER_PT = 9
TILE_NUMBER_PT = 24
TILE_LABEL_PT = 9


def rgb(hex_colour: str) -> RGBColor:
    """``#D55E00`` as python-pptx's colour."""
    return RGBColor.from_string(hex_colour.lstrip("#"))


def rag_colours(word: str) -> tuple[str, str]:
    """(fill, font) of a RAG word: Red, Amber and Green their own; any other word grey."""
    return RAG_COLOURS.get(word, NO_DATA_COLOURS)


HEADER = (HEADER_FILL, HEADER_FONT)
TITLE_COLOUR = TITLE_FONT
MUTED_COLOUR = MUTED_FONT

#: Characters XML 1.0 cannot hold at all (terminal_safe escapes the controls before them).
_NOT_XML = re.compile("[\ufffe\uffff]")


def slide_text(value: object) -> str:
    r"""Any value as text a slide can show as itself: never markup, a control or a bidi trick.

    Controls, invisible format characters (bidi overrides, zero-width joiners) and lone
    surrogates are shown as ``\uXXXX`` (:func:`~addin.core.words.terminal_safe`), tabs
    become spaces and carriage returns line feeds; None is "".
    """
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = terminal_safe(text, lines=True)
    return _NOT_XML.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def one_line(value: object) -> str:
    """:func:`slide_text` on one line (line feeds become spaces)."""
    return " ".join(slide_text(value).split("\n"))
