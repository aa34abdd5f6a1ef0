"""Cell fills of an ``.xlsx`` sheet, read on demand: which empty cells are coloured, and how.

Calamine reports values, never styles, and never a cell that holds no value. A plan drawn
in colour (a role staffed in the months whose cells are filled green) is only in the
styles, so :func:`cell_fills` reads them from the package itself: ``styles.xml``'s
``cellXfs`` -> ``fills`` -> the pattern fill's foreground colour, and each cell's ``s``
attribute, empty styled cells (``<c r="D4" s="5"/>``) included.

It is read only when the reader asks (a wide resource plan whose period cells hold no
value), never on the way to reading values. The same guards apply as to the rest of the
package: ``styles.xml`` is parsed with defusedxml and refused past :data:`MAX_STYLES`; the
sheet is streamed a segment of whole rows at a time (never parsed into a tree) and only
the rows and columns asked for are kept. A style index out of range or not a number is
no fill; a part that cannot be read gives None (fills unknown), never an exception. Row
and column default styles (``<row s=..>``, ``<col style=..>``) are not applied: Excel
writes a cell it fills with its own style, and only cells written count.

A fill is a key: ``""`` for no fill (no pattern, or white: ``FFFFFFFF``, theme colour 0
without a tint, indexed 1, 9 or 65), else ``rgb:FF92D050``, ``theme:3:0.6`` or
``indexed:13``; theme and indexed colours are told apart from each other and from none,
not resolved to RGB.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as ET

# The sheet's rows and cells are found as the sheet scan finds them (same patterns, same rules).
from addin.ooxml.row_ends import P as _P
from addin.ooxml.row_ends import last_row_end
from addin.ooxml.sheetscan import _CELL, _R_ATTR, _ROW, _column
from addin.ooxml.xmlsafety import DTD

#: Largest ``styles.xml`` read, in bytes (Excel writes tens of KB; a bloated one a few MB).
MAX_STYLES = 16 * 1024 * 1024
#: Most bytes buffered while looking for the end of one row.
_MAX_PENDING = 64 * 1024 * 1024
_CHUNK = 1024 * 1024

_S_ATTR = re.compile(rb"(?:^|\s)s\s*=\s*[\"']([^\"']*)[\"']")
_REF = re.compile(rb"([A-Za-z]{1,3})(\d{1,9})")
_SHEETDATA_END = re.compile(rb"</" + _P + rb"sheetData\s*>|<" + _P + rb"sheetData\b[^>]*/>")
_WHITE_RGB = frozenset({"FFFFFFFF", "FFFFFF"})
_WHITE_INDEXED = frozenset({"1", "9", "65"})

#: 0-based (row, column) -> fill key (see the module docstring); cells without a fill left out.
CellFills = dict[tuple[int, int], str]


@dataclass(frozen=True)
class Area:
    """The 0-based rows and columns (inclusive) whose fills are wanted."""

    top: int
    bottom: int
    left: int
    right: int


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _colour_key(el: Element | None) -> str:
    """The key of a ``fgColor``: "" for white or none."""
    if el is None:
        return ""
    rgb = (el.get("rgb") or "").upper()
    if rgb:
        return "" if rgb in _WHITE_RGB else f"rgb:{rgb}"
    theme = el.get("theme")
    if theme is not None:
        tint = el.get("tint") or ""
        try:
            tinted = bool(tint) and float(tint) != 0.0
        except ValueError:
            tinted = False
        if theme == "0" and not tinted:
            return ""
        return f"theme:{theme}:{round(float(tint), 2)}" if tinted else f"theme:{theme}"
    indexed = el.get("indexed")
    if indexed is not None:
        return "" if indexed in _WHITE_INDEXED else f"indexed:{indexed}"
    return ""


def _fill_key(fill: Element) -> str:
    pattern = next((c for c in fill if _local(c.tag) == "patternFill"), None)
    if pattern is None:  # a gradient fill: coloured, but no single colour
        return "gradient" if any(_local(c.tag) == "gradientFill" for c in fill) else ""
    kind = pattern.get("patternType", "none" if len(pattern) == 0 else "solid")
    if kind == "none":
        return ""
    fg = next((c for c in pattern if _local(c.tag) == "fgColor"), None)
    key = _colour_key(fg)
    if kind in ("gray125", "gray0625") and not key:
        return ""  # the fill Excel reserves (index 1) and its like: no colour
    return key


def style_fills(data: bytes) -> list[str] | None:
    """The fill key of each ``cellXfs`` entry of a ``styles.xml`` (None: not readable)."""
    if len(data) > MAX_STYLES or DTD.search(data[:65536]):
        return None
    try:
        root = ET.fromstring(data)
    except (ET.ParseError, DefusedXmlException, ValueError):
        return None
    fills: list[str] = []
    xfs: list[str] = []
    for section in root:
        name = _local(section.tag)
        if name == "fills":
            fills = [_fill_key(f) for f in section if _local(f.tag) == "fill"]
        elif name == "cellXfs":
            xfs = [x.get("fillId", "0") for x in section if _local(x.tag) == "xf"]
    out: list[str] = []
    for fill_id in xfs:
        n = int(fill_id) if fill_id.isdigit() else -1
        out.append(fills[n] if 0 <= n < len(fills) else "")
    return out


def _rows(fh: IO[bytes]) -> Iterator[re.Match[bytes]]:
    """Each ``<row>`` element of a sheet part, streamed (raises ValueError past the bounds)."""
    buf, pos, eof = b"", 0, False
    head_done = False
    while True:
        chunk = fh.read(_CHUNK)
        eof = not chunk
        buf = buf[pos:] + chunk
        pos = 0
        if not head_done:
            at = buf.find(b"sheetData")
            if at < 0 and not eof:
                if len(buf) > _MAX_PENDING:
                    raise ValueError("no cells found")
                continue
            if DTD.search(buf[: max(at, 0)]):
                raise ValueError("a DTD")
            head_done = True
        end = _SHEETDATA_END.search(buf)
        limit = end.start() if end else (len(buf) if eof else last_row_end(buf, 0))
        for m in _ROW.finditer(buf, 0, max(limit, 0)):
            yield m
            pos = m.end()
        if end is not None or eof:
            return
        if len(buf) - pos > _MAX_PENDING:
            raise ValueError("a row too long")


def sheet_fills(fh: IO[bytes], xf_fills: list[str], area: Area) -> CellFills:
    """The fill of every cell of ``area`` whose style gives one (positions as calamine's).

    A cell's own reference wins; a cell without one follows the previous cell of its row;
    a row without a number follows the previous row. Reading stops past ``area.bottom``.
    """
    out: CellFills = {}
    last_row = -1
    for m in _rows(fh):
        number = _R_ATTR.search(m.group(2))
        row = int(number[1]) - 1 if number and number[1].isdigit() else last_row + 1
        last_row = row
        if row > area.bottom:
            break
        if row < area.top or not m.group(3):
            continue
        col = -1
        for c in _CELL.finditer(m.group(3)):
            attrs = c.group(2)
            ref = _R_ATTR.search(attrs)
            hit = _REF.fullmatch(ref[1]) if ref else None
            col = _column(hit[1]) if hit else col + 1
            if not area.left <= col <= area.right:
                continue
            style = _S_ATTR.search(attrs)
            if style is None or not style[1].isdigit():
                continue
            n = int(style[1])
            key = xf_fills[n] if n < len(xf_fills) else ""
            if key:
                out[(row, col)] = key
    return out


def cell_fills(zf: zipfile.ZipFile, styles: str | None, sheet: str, area: Area) -> CellFills | None:
    """The fills of ``area`` on one sheet part, or None when they cannot be read.

    Args:
        zf: The workbook's archive (already sniffed: sizes and prologs checked).
        styles: The zip member of ``styles.xml`` (None: the workbook has none, no fills).
        sheet: The zip member of the sheet.
        area: The cells wanted.
    """
    try:
        if styles is None:
            return {}
        info = zf.getinfo(styles)
        if info.file_size > MAX_STYLES:
            return None
        with zf.open(info) as fh:
            xf_fills = style_fills(fh.read(MAX_STYLES + 1))
        if xf_fills is None:
            return None
        if not any(xf_fills):
            return {}
        with zf.open(sheet) as fh:
            return sheet_fills(fh, xf_fills, area)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, RuntimeError):
        return None
