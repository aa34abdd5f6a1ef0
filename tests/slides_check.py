"""Look at a deck the way a person would, without PowerPoint: its XML, and whether text fits.

``overflows(path)`` measures every text frame and table cell with the real glyph widths of
DejaVu Sans (Pillow reading the font LibreOffice renders our decks with here), not with
the writer's own width table, so the check is independent of the code it checks.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import ImageFont
from pptx import Presentation
from pptx.util import Emu

FONTS = Path("/usr/share/fonts/truetype/dejavu")
PT = 12_700  # EMU per point


def _font(bold: bool) -> Any:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    path = FONTS / name
    if path.exists():
        return ImageFont.truetype(str(path), 1000)
    from addin.outputs.slides import measure  # no DejaVu here: the writer's own table

    class _Fallback:
        def getlength(self, text: str) -> float:
            return measure.text_width(text, 1000, bold)

    return _Fallback()


_FONTS = {False: _font(False), True: _font(True)}


def width(text: str, size: float, bold: bool) -> float:
    return _FONTS[bold].getlength(text) * size / 1000


def lines(text: str, room: float, size: float, bold: bool) -> int:
    """Lines a paragraph takes when wrapped at spaces (long words broken) in ``room`` points."""
    if room <= 0:
        return 1 if not text else 10_000
    count, used = 1, 0.0
    space = width(" ", size, bold)
    for word in text.split(" "):
        w = width(word, size, bold)
        if used and used + space + w > room:
            count, used = count + 1, 0.0
        if not used:
            while w > room:  # a word longer than the line
                count, w = count + 1, w - room
            used = w
        else:
            used += space + w
    return count


def _paragraphs(frame: Any) -> list[tuple[str, float, bool]]:
    out = []
    for p in frame.paragraphs:
        runs = p.runs
        size = next((r.font.size.pt for r in runs if r.font.size), None)
        if size is None:
            end = p._p.find("{http://schemas.openxmlformats.org/drawingml/2006/main}endParaRPr")
            sz = end.get("sz") if end is not None else None
            size = int(sz) / 100 if sz else 18.0
        bold = any(bool(r.font.bold) for r in runs)
        out.append(("".join(r.text for r in runs), size, bold))
    return out


def _fits(frame: Any, w: float, h: float, insets: tuple[float, float, float, float]) -> str | None:
    left, right, top, bottom = insets
    room_w, room_h = w - left - right, h - top - bottom
    needed = 0.0
    for text, size, bold in _paragraphs(frame):
        needed += lines(text, room_w, size, bold) * size * 1.2
    if needed > room_h + 0.5:
        texts = " / ".join(t for t, _, _ in _paragraphs(frame))[:80]
        return f"needs {needed:.1f} pt, has {room_h:.1f} pt: {texts!r}"
    return None


def _pt(value: int | None, default: float) -> float:
    return default if value is None else value / PT


@dataclass
class Slide:
    """What one slide holds, for assertions."""

    title: str
    texts: list[str]
    tables: list[list[list[str]]]
    fills: list[list[list[str | None]]]
    charts: list[dict[str, list[float]]]
    categories: list[list[str]]
    notes: str


def slides(path: Path) -> list[Slide]:
    """Every slide's title, texts, tables (cells and fills), charts (series) and notes."""
    out = []
    for s in Presentation(str(path)).slides:
        title = s.shapes.title.text_frame.text if s.shapes.title is not None else ""
        texts, tables, fills, charts, cats = [], [], [], [], []
        for shape in s.shapes:
            if shape.has_text_frame and shape != s.shapes.title:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                rows, colours = [], []
                for row in shape.table.rows:
                    rows.append([c.text_frame.text for c in row.cells])
                    colours.append(
                        [
                            str(c.fill.fore_color.rgb) if c.fill.type is not None else None
                            for c in row.cells
                        ]
                    )
                tables.append(rows)
                fills.append(colours)
            if shape.has_chart:
                plot = shape.chart.plots[0]
                charts.append({se.name: list(se.values) for se in plot.series})
                cats.append(list(plot.categories))
        notes = s.notes_slide.notes_text_frame.text if s.has_notes_slide else ""
        out.append(Slide(title, texts, tables, fills, charts, cats, notes))
    return out


def overflows(path: Path) -> list[str]:
    """Every shape off its slide and every text frame or table cell whose text does not fit."""
    deck = Presentation(str(path))
    sw, sh = deck.slide_width / PT, deck.slide_height / PT
    problems = []
    for n, s in enumerate(deck.slides, 1):
        for shape in s.shapes:
            x, y = _pt(shape.left, 0), _pt(shape.top, 0)
            w, h = _pt(shape.width, 0), _pt(shape.height, 0)
            if x < -0.5 or y < -0.5 or x + w > sw + 0.5 or y + h > sh + 0.5:
                problems.append(f"slide {n}: {shape.name} lies off the slide")
            if shape.has_text_frame:
                f = shape.text_frame
                insets = tuple(
                    _pt(v, d)
                    for v, d in (
                        (f.margin_left, 7.2),
                        (f.margin_right, 7.2),
                        (f.margin_top, 3.6),
                        (f.margin_bottom, 3.6),
                    )
                )
                why = _fits(f, w, h, insets)  # type: ignore[arg-type]
                if why:
                    problems.append(f"slide {n}: {shape.name} {why}")
            if shape.has_table:
                table = shape.table
                for r, row in enumerate(table.rows):
                    for c, cell in enumerate(row.cells):
                        cw = table.columns[c].width / PT
                        insets = (
                            _pt(cell.margin_left, 7.2),
                            _pt(cell.margin_right, 7.2),
                            _pt(cell.margin_top, 3.6),
                            _pt(cell.margin_bottom, 3.6),
                        )
                        why = _fits(cell.text_frame, cw, row.height / PT, insets)
                        if why:
                            problems.append(f"slide {n}: table cell ({r}, {c}) {why}")
    return problems


def parts(path: Path) -> dict[str, bytes]:
    """Every part of the package, by name."""
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


__all__ = ["Emu", "Slide", "overflows", "parts", "slides"]
