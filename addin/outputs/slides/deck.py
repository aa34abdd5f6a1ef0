"""A deck being written: slides from named layouts, a content area, notes, footers, saving.

Layouts are chosen by name (:data:`TITLE_LAYOUT`, :data:`CONTENT_LAYOUT`), the names
PowerPoint's own templates use; a template without one is refused in one line that lists
the layouts it has. On our default deck every slide gets a footer (the deck's name and
"page n of N") as plain text; on a template the PMO's master decides what frames a slide.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Sequence
from pathlib import Path

from pptx.enum.shapes import MSO_CONNECTOR
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.presentation import Presentation as Presentation_
from pptx.shapes.base import BaseShape
from pptx.slide import Slide, SlideLayout

import addin
from addin.core.errors import OutputError, os_reason
from addin.core.settings import LimitSettings
from addin.outputs.atomic import atomic_path
from addin.outputs.slides.geometry import Box, emu, points
from addin.outputs.slides.measure import shorten
from addin.outputs.slides.shapes import add_rectangle, add_text, plain, style_runs
from addin.outputs.slides.style import (
    FOOTER_PT,
    HEADER,
    MUTED_COLOUR,
    RULE_COLOUR,
    SUBTITLE_PT,
    TITLE_COLOUR,
    TITLE_PT,
    one_line,
    rgb,
    slide_text,
)
from addin.outputs.slides.template import default_deck, open_template

#: The layout of the first slide, and of every other slide.
TITLE_LAYOUT = "Title Slide"
CONTENT_LAYOUT = "Title Only"
#: Margins of the default deck, in points.
MARGIN = 32.0
#: Our default deck's title band and footer band heights, in points.
TITLE_BAND = 56.0
FOOTER_BAND = 22.0


#: Who a deck we wrote names as its author (``pmo-addin 0.1.0``).
AUTHOR = "pmo-addin"


def made_by_pmo(path: Path) -> bool:
    """True for a deck this add-in wrote (its author says so); a file we cannot read is not."""
    try:
        with zipfile.ZipFile(path) as zf:
            core = zf.read("docProps/core.xml")[:4096]
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return False
    return f"<dc:creator>{AUTHOR} ".encode() in core


def _layout(deck: Presentation_, name: str, source: str) -> SlideLayout:
    for master in deck.slide_masters:
        for layout in master.slide_layouts:
            if layout.name == name:
                return layout
    have = sorted({layout.name for m in deck.slide_masters for layout in m.slide_layouts})
    listed = ", ".join(repr(n) for n in have) or "none"
    raise OutputError(
        f"{source}: the template has no slide layout named {name!r} (it has {listed})"
    )


class SlideDeck:
    """A deck being written: every slide through :meth:`title_slide` and :meth:`slide`.

    Args:
        footer: The deck's name for the footers of the default deck ("PMO Portfolio").
        template: The PMO's template (``.pptx`` or ``.potx``), or None for our default.
        limits: Size limits a template is held to.

    Raises:
        OutputError: the template cannot be used (one line: why).
    """

    def __init__(
        self, footer: str, template: Path | None = None, limits: LimitSettings | None = None
    ) -> None:
        self.footer = one_line(footer)
        self.templated = template is not None
        self._title_slides: set[int] = set()
        source = str(template) if template is not None else "the default deck"
        self.prs = open_template(template, limits) if template is not None else default_deck()
        self._title_layout = _layout(self.prs, TITLE_LAYOUT, source)
        self._content_layout = _layout(self.prs, CONTENT_LAYOUT, source)
        self.width = points(self.prs.slide_width)
        self.height = points(self.prs.slide_height)
        title = next(
            (p for p in self._content_layout.placeholders if p.placeholder_format.idx == 0), None
        )
        if title is None:
            raise OutputError(f"{source}: the layout {CONTENT_LAYOUT!r} has no title placeholder")
        if self.templated:
            self.title_box = Box(
                points(title.left), points(title.top), points(title.width), points(title.height)
            )
            top = self.title_box.bottom + 8
            bottom = self.height - max(30.0, self.height * 0.07)
            self.content = Box(self.title_box.x, top, self.title_box.w, bottom - top)
        else:
            self.title_box = Box(MARGIN, 14, self.width - 2 * MARGIN, TITLE_BAND - 10)
            top = TITLE_BAND + 12
            bottom = self.height - FOOTER_BAND - 8
            self.content = Box(MARGIN, top, self.width - 2 * MARGIN, bottom - top)

    def title_slide(self, title: str, subtitle: Sequence[str], notes: Sequence[str] = ()) -> Slide:
        """The first slide: a title and a few lines under it, from the title layout."""
        slide = self.prs.slides.add_slide(self._title_layout)
        self._title_slides.add(slide.slide_id)
        holders = {p.placeholder_format.idx: p for p in slide.placeholders}
        main = holders.get(0)
        body = Box(MARGIN * 2, self.height * 0.3, self.width - 4 * MARGIN, self.height * 0.22)
        if main is None:
            add_text(slide, body, title, size=TITLE_PT + 8, bold=True, colour=TITLE_COLOUR)
        else:
            if not self.templated:
                main.left, main.top, main.width, main.height = (
                    emu(body.x),
                    emu(body.y),
                    emu(body.w),
                    emu(body.h),
                )
            box = Box(points(main.left), points(main.top), points(main.width), points(main.height))
            self._fill_title(main, box, title, TITLE_PT + 8)
        lines = [one_line(s) for s in subtitle]
        sub = holders.get(1)
        under = Box(body.x, body.bottom + 6, body.w, self.height * 0.25)
        if sub is not None:
            if not self.templated:
                sub.left, sub.top, sub.width, sub.height = (
                    emu(under.x),
                    emu(under.y),
                    emu(under.w),
                    emu(under.h),
                )
            sub.text_frame.text = "\n".join(lines)
            style_runs(sub, SUBTITLE_PT, colour=None if self.templated else MUTED_COLOUR)
            if not self.templated:
                for paragraph in sub.text_frame.paragraphs:
                    paragraph.alignment = PP_ALIGN.LEFT
        else:
            add_text(slide, under, "\n".join(lines), size=SUBTITLE_PT, colour=MUTED_COLOUR)
        if not self.templated:
            add_rectangle(
                slide, Box(body.x - 18, body.y + 8, 6, under.bottom - body.y - 8), HEADER[0]
            )
        self.notes(slide, notes)
        return slide

    def _fill_title(self, shape: BaseShape, box: Box, text: str, size: float) -> str | None:
        """Put a title in its placeholder on one line; return the full text when shortened."""
        full = one_line(text)
        shown = shorten(full, box.w - 14.4, size, bold=True)
        frame = shape.text_frame
        frame.text = shown
        frame.word_wrap = True
        style_runs(shape, size, bold=True, colour=None if self.templated else TITLE_COLOUR)
        if not self.templated:
            frame.vertical_anchor = MSO_ANCHOR.MIDDLE
            for paragraph in frame.paragraphs:
                paragraph.alignment = PP_ALIGN.LEFT
        return full if shown != full else None

    def slide(self, title: str, notes: Sequence[str] = ()) -> Slide:
        """A content slide with its title (shortened to one line; the full title in the notes)."""
        slide = self.prs.slides.add_slide(self._content_layout)
        holder = slide.shapes.title
        assert holder is not None  # checked on the layout in __init__
        if not self.templated:
            box = self.title_box
            holder.left, holder.top, holder.width, holder.height = (
                emu(box.x),
                emu(box.y),
                emu(box.w),
                emu(box.h),
            )
            line = slide.shapes.add_connector(
                MSO_CONNECTOR.STRAIGHT, emu(box.x), emu(TITLE_BAND), emu(box.right), emu(TITLE_BAND)
            )
            plain(line)
            line.line.color.rgb = rgb(RULE_COLOUR)
            line.line.width = emu(0.75)
        full = self._fill_title(holder, self.title_box, title, TITLE_PT)
        self.notes(slide, [f"Title: {full}"] if full else [], notes)
        return slide

    def notes(self, slide: Slide, *blocks: Sequence[str]) -> None:
        """Add lines to a slide's speaker notes (text only: never a field or a link)."""
        lines = [slide_text(line) for block in blocks for line in block]
        if not lines:
            return
        frame = slide.notes_slide.notes_text_frame
        assert frame is not None
        before = frame.text
        frame.text = "\n".join([before, *lines] if before else lines)

    def _footers(self) -> None:
        total = len(self.prs.slides)
        for n, slide in enumerate(self.prs.slides, 1):
            if slide.slide_id in self._title_slides:
                continue
            band = Box(MARGIN, self.height - FOOTER_BAND, self.width - 2 * MARGIN, FOOTER_BAND - 4)
            left, right = band.columns([4, 1])
            add_text(slide, left, self.footer, size=FOOTER_PT, colour=MUTED_COLOUR)
            add_text(
                slide,
                right,
                f"page {n} of {total}",
                size=FOOTER_PT,
                colour=MUTED_COLOUR,
                align=PP_ALIGN.RIGHT,
            )

    def save(self, path: Path, title: str, subject: str) -> Path:
        """Write the deck atomically (the previous file stays intact on failure).

        Raises:
            OutputError: the file could not be written.
        """
        if not self.templated:
            self._footers()
        props = self.prs.core_properties
        props.title = one_line(title)[:255]
        props.subject = subject
        props.author = props.last_modified_by = f"{AUTHOR} {addin.__version__}"
        props.created = props.modified = dt.datetime.now().replace(microsecond=0)
        props.revision = 1
        try:
            with atomic_path(path) as tmp:
                self.prs.save(str(tmp))
        except OSError as exc:
            raise OutputError(f"{path}: could not write the deck ({os_reason(exc)})") from exc
        return path
