"""Where a sheet's rows end in its XML: the scans read a part a segment of whole rows at a time."""

from __future__ import annotations

import re

#: An optional namespace prefix.
P = rb"(?:[A-Za-z_][\w.\-]*:)?"
_SHEETDATA_CLOSE = re.compile(rb"</" + P + rb"sheetData\s*>")
_ROW_END = re.compile(rb"</" + P + rb"row\s*>|<" + P + rb"row\b[^>]*/>")


def close_sheetdata(buf: bytes, start: int) -> re.Match[bytes] | None:
    """The first ``</sheetData>`` (any prefix, any spacing) at or after ``start``.

    Found by its name first (a plain byte search), then confirmed: much quicker than
    a regular expression that must try every ``</`` of the sheet.
    """
    at = start
    while True:
        i = buf.find(b"sheetData", at)
        if i < 0:
            return None
        j = buf.rfind(b"</", max(start, i - 64), i)
        if j >= 0:
            m = _SHEETDATA_CLOSE.match(buf, j)
            if m is not None:
                return m
        at = i + 1


def last_row_end(buf: bytes, start: int) -> int:
    """Offset just past the last complete row in ``buf[start:]``, or -1."""
    window = max(start, len(buf) - 65536)
    while True:
        last = -1
        for m in _ROW_END.finditer(buf, window):
            last = m.end()
        if last >= 0 or window == start:
            return last
        window = start
