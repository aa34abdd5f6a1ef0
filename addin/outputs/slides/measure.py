"""How much room text takes on a slide: widths, line wrapping, shortening to fit.

Slides are measured with the advance widths of DejaVu Sans, the font LibreOffice falls
back to where the deck's font is missing, and wider than Calibri, Arial or most
corporate fonts: text that fits by this measure fits in PowerPoint too. Lines are wrapped
the way PowerPoint wraps them (at spaces; a word longer than the line is broken), and a
line is :data:`LINE_SPACING` times the font size high.

All lengths are in points (1/72 inch); python-pptx's EMU are converted at the edge.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

#: A line of text is this many times its font size high (single spacing, with leading).
LINE_SPACING = 1.2
#: Points per EMU (914,400 EMU to the inch, 72 points to the inch).
PT_PER_EMU = 72 / 914_400
#: What ends a shortened text.
ELLIPSIS = "…"

# Advance widths of DejaVu Sans (regular and bold) in 1/1000 em, for U+0020 to U+007E.
_REGULAR: tuple[int, ...] = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337,
    636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531,
    1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,
    603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500,
    500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
    635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
)  # fmt: skip
_BOLD: tuple[int, ...] = (
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365,
    696, 696, 696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580,
    1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850,
    733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500,
    500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687,
    716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
)  # fmt: skip
#: Characters beyond ASCII the slides use themselves: (regular, bold).
_EXTRA: dict[str, tuple[int, int]] = {
    "£": (636, 696),
    "€": (636, 696),
    "–": (500, 500),
    "—": (1000, 1000),
    ELLIPSIS: (1000, 1000),
    "▲": (769, 769),
    "▼": (769, 769),
    "•": (590, 639),
    "·": (318, 380),
    "×": (838, 838),
    "≤": (838, 838),
    "≥": (838, 838),
    "→": (838, 838),
    "’": (318, 380),
    "‘": (318, 380),
    "“": (518, 657),
    "”": (518, 657),
}
#: Width of a character we know nothing about (wider than any Latin letter but W and M).
_UNKNOWN = 800
#: Width of an East Asian wide or full-width character.
_WIDE = 1000


@lru_cache(maxsize=4096)
def _char(ch: str, bold: bool) -> int:
    code = ord(ch)
    if 32 <= code < 127:
        return (_BOLD if bold else _REGULAR)[code - 32]
    extra = _EXTRA.get(ch)
    if extra is not None:
        return extra[bold]
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return _WIDE
    if unicodedata.combining(ch):
        return 0
    base = unicodedata.normalize("NFD", ch)[:1]  # é is as wide as e
    if base != ch and 32 <= ord(base) < 127:
        return (_BOLD if bold else _REGULAR)[ord(base) - 32]
    return _UNKNOWN


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of one line of ``text`` at ``size`` points, in points."""
    return sum(_char(ch, bold) for ch in text) * size / 1000


def line_height(size: float) -> float:
    """Height of one line of text at ``size`` points, in points."""
    return size * LINE_SPACING


def _break_word(word: str, width: float, size: float, bold: bool) -> list[str]:
    """A word longer than the line, broken where the line ends (as PowerPoint does)."""
    pieces: list[str] = []
    current = ""
    used = 0.0
    for ch in word:
        w = _char(ch, bold) * size / 1000
        if current and used + w > width:
            pieces.append(current)
            current, used = "", 0.0
        current += ch
        used += w
    pieces.append(current)
    return pieces


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """The lines ``text`` takes in a box ``width`` points wide (line feeds start new lines)."""
    lines: list[str] = []
    space = _char(" ", bold) * size / 1000
    for paragraph in text.split("\n"):
        current = ""
        used = 0.0
        for word in paragraph.split(" "):
            w = text_width(word, size, bold)
            if not current and not used:
                if w > width:
                    *full, current = _break_word(word, width, size, bold)
                    lines.extend(full)
                    used = text_width(current, size, bold)
                else:
                    current, used = word, w
                continue
            if used + space + w <= width:
                current += " " + word
                used += space + w
                continue
            lines.append(current)
            if w > width:
                *full, current = _break_word(word, width, size, bold)
                lines.extend(full)
                used = text_width(current, size, bold)
            else:
                current, used = word, w
        lines.append(current)
    return lines


def lines_needed(text: str, width: float, size: float, bold: bool = False) -> int:
    """How many lines ``text`` takes in a box ``width`` points wide."""
    return len(wrap(text, width, size, bold))


def fits(text: str, width: float, height: float, size: float, bold: bool = False) -> bool:
    """True when ``text`` wrapped to ``width`` is no higher than ``height`` (points)."""
    return lines_needed(text, width, size, bold) * line_height(size) <= height + 0.01


def shorten(text: str, width: float, size: float, *, bold: bool = False, lines: int = 1) -> str:
    """``text`` when it fits in ``lines`` lines of ``width`` points, else cut and ended with "…".

    The cut is at a word boundary when one is near; a line feed in the text counts as
    the line it starts.
    """
    if lines_needed(text, width, size, bold) <= lines:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with the ellipsis
        mid = (low + high + 1) // 2
        if lines_needed(text[:mid].rstrip() + ELLIPSIS, width, size, bold) <= lines:
            low = mid
        else:
            high = mid - 1
    cut = text[:low]
    space = cut.rfind(" ")
    if space > 0 and len(cut) - space <= 12:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–") + ELLIPSIS
