"""Open the PMO's own slide master (``--template corporate.pptx``) safely, or our default.

A template is an input like a tracker: it is checked before python-pptx parses it (a
regular file within the size limit, a real PowerPoint package, no part that expands like a
zip bomb, no XML declaring a DTD) and never changed. A ``.potx`` (a PowerPoint template
proper) is opened as the presentation it becomes. The slides a template carries are left
out of the deck; its masters, layouts, theme (fonts, colours) and logo are kept.
"""

from __future__ import annotations

import io
import zipfile
from functools import lru_cache
from pathlib import Path

from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as Deck

from addin.core.errors import OutputError
from addin.core.settings import LimitSettings
from addin.ooxml.xmlsafety import xml_part_reason

_MB = 1024 * 1024
_PRESENTATION = "ppt/presentation.xml"
_CONTENT_TYPES = "[Content_Types].xml"
_TEMPLATE_TYPE = b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
_DECK_TYPE = b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


def _package_reason(zf: zipfile.ZipFile, limits: LimitSettings) -> str | None:
    infos = zf.infolist()
    if _PRESENTATION not in {i.filename for i in infos}:
        return "not a PowerPoint file (no ppt/presentation.xml)"
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > _MB and info.compress_size > 0:
            ratio = info.file_size / info.compress_size
            if ratio > limits.max_compression_ratio:
                return f"refused: part {info.filename} expands {ratio:,.0f}x (possible zip bomb)"
    if total > limits.max_uncompressed_mb * _MB:
        return f"refused: it expands to over {limits.max_uncompressed_mb:,g} MB (possible zip bomb)"
    for info in infos:
        if info.filename.lower().endswith((".xml", ".rels")):
            reason = xml_part_reason(zf, info)
            if reason:
                return reason.replace("workbook XML", "template XML")
    return None


def _checked_bytes(path: Path, limits: LimitSettings) -> bytes:
    """The template's bytes, once they pass the checks (a .potx made a presentation)."""
    if not path.is_file():
        raise OutputError(f"{path}: no such template (a .pptx or .potx file)")
    size = path.stat().st_size
    if size > limits.max_file_mb * _MB:
        raise OutputError(f"{path}: refused: the template is over {limits.max_file_mb:,g} MB")
    data = path.read_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            reason = _package_reason(zf, limits)
            if reason is None:
                types = zf.read(_CONTENT_TYPES)
                if _TEMPLATE_TYPE in types:
                    data = _as_presentation(zf, types.replace(_TEMPLATE_TYPE, _DECK_TYPE))
    except (zipfile.BadZipFile, KeyError, NotImplementedError, EOFError) as exc:
        raise OutputError(f"{path}: not a PowerPoint template ({exc})") from None
    if reason is not None:
        raise OutputError(f"{path}: {reason}")
    return data


def _as_presentation(zf: zipfile.ZipFile, types: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in zf.infolist():
            body = types if info.filename == _CONTENT_TYPES else zf.read(info)
            copy.writestr(info.filename, body)
    return out.getvalue()


def _drop_slides(deck: Deck) -> None:
    """Leave a template's own slides out (their parts are no longer reachable, so not saved)."""
    ids = deck.slides._sldIdLst
    for slide_id in list(ids):
        deck.part.drop_rel(slide_id.rId)
        ids.remove(slide_id)


def open_template(path: Path, limits: LimitSettings | None = None) -> Deck:
    """The PMO's template as an empty deck: its masters, layouts and theme, none of its slides.

    Raises:
        OutputError: the file is missing, too large, not PowerPoint, or unsafe (one line).
    """
    data = _checked_bytes(Path(path), limits or LimitSettings())
    try:
        deck = Presentation(io.BytesIO(data))
    except Exception as exc:  # python-pptx raises many kinds on a damaged package
        why = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise OutputError(f"{path}: not a PowerPoint template ({why})") from None
    _drop_slides(deck)
    return deck


#: The default deck's size: 16:9, 13.333 x 7.5 inches (in EMU).
WIDE = (12_192_000, 6_858_000)


@lru_cache(maxsize=1)
def _default_bytes() -> bytes:
    deck = Presentation()
    scale = WIDE[0] / deck.slide_width
    deck.slide_width, deck.slide_height = WIDE
    parts = [deck.slide_master, *deck.slide_layouts]
    for part in parts:  # the placeholders' own positions (what a layout inherits is scaled too)
        for xfrm in part.element.iter(qn("a:xfrm")):
            off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
            if off is not None and ext is not None:
                off.set("x", str(round(int(off.get("x")) * scale)))
                ext.set("cx", str(round(int(ext.get("cx")) * scale)))
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def default_deck() -> Deck:
    """python-pptx's own Office-theme deck, made 16:9 with its layouts widened to match."""
    return Presentation(io.BytesIO(_default_bytes()))
