"""Render worksheet rows as SpreadsheetML, fast, for the portfolio's big data sheets.

A portfolio of 1,000 trackers holds about three million cells; writing them
cell by cell through XlsxWriter costs ~14 s here, rendering them as XML
strings ~2 s. Rows are rendered once, in the worker that read the tracker,
and cached, because they do not depend on the run: cells carry no ``r``
reference (ECMA-376 lets them follow in column order, and Excel, LibreOffice,
openpyxl and calamine all read them so) and only the ``<row r="...">`` wrapper
is added when the sheet is assembled.

Every text value becomes an inline string, never a formula, so tracker text
such as ``=HYPERLINK(...)`` stays inert. Characters XML 1.0 forbids are
written as Excel's ``_xHHHH_`` escapes; text is cut to Excel's 32,767
characters. A style slot (see :class:`Style`) is written as a one-byte marker
and replaced by the real style index when the workbook is assembled.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from enum import IntEnum
from typing import Any

from addin.core.dates import date_to_serial

#: Excel's limit on the characters of one cell.
MAX_CELL_CHARS = 32_767


class Style(IntEnum):
    """Number-format slots the data sheets use (replaced by real style indexes on assembly)."""

    TEXT = 0
    DATE = 1
    PERCENT = 2
    MONEY = 3
    NUMBER = 4
    INTEGER = 5


_MARK = {s: bytes([0x01 + s]) for s in Style}
#: Each slot's marker as text: what a cell's ``s`` attribute holds until it is resolved.
_MARKS: Mapping[Style, str] = {s: m.decode() for s, m in _MARK.items()}
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def _escape_char(m: re.Match[str]) -> str:
    ch = m.group(0)
    return f"_x{ord(ch):04X}_"


def clean_text(text: str) -> str:
    """Text as it may stand in a cell: cut to 32,767 characters, XML-illegal characters escaped."""
    if len(text) > MAX_CELL_CHARS:
        text = text[:MAX_CELL_CHARS]
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub(_escape_char, text)
    return text


def _text_cell(text: str) -> str:
    body = clean_text(text).translate(_ESCAPES)
    space = ' xml:space="preserve"' if body[:1].isspace() or body[-1:].isspace() else ""
    return f'<c t="inlineStr"><is><t{space}>{body}</t></is></c>'


def render_cell(value: Any, style: Style, marks: Mapping[Style, str] = _MARKS) -> str:
    """Render one cell (no reference) for a value under a style slot; None is an empty cell.

    ``marks``: what each slot's ``s`` attribute holds (see :func:`style_marks`).
    """
    if value is None or value == "":
        return "<c/>"
    t = type(value)
    if t is str:
        return _text_cell(value)
    if t is bool:
        return f'<c t="b"><v>{int(value)}</v></c>'
    if t is dt.date or t is dt.datetime:
        d = value.date() if t is dt.datetime else value
        return f'<c s="{marks[Style.DATE]}"><v>{date_to_serial(d)}</v></c>'
    if t is float or t is int:
        if t is float and (math.isnan(value) or math.isinf(value)):
            return "<c/>"
        mark = "" if style is Style.TEXT else f' s="{marks[style]}"'
        return f"<c{mark}><v>{value!r}</v></c>"
    return _text_cell(str(value))


def render_row(values: Sequence[Any], styles: Sequence[Style]) -> bytes:
    """Render the cells of one row (without the ``<row>`` wrapper); trailing blanks are dropped."""
    return render_rows([values], styles)[0]


_SAFE_TEXT = re.compile(r"^[^&<>\x00-\x1f\ufffe\uffff_]{0,32767}$")
_EPOCH = date_to_serial(dt.date(1970, 1, 1)) - dt.date(1970, 1, 1).toordinal()


_NONE = type(None)
_TEXTS, _DATES = frozenset({str, _NONE}), frozenset({dt.date, _NONE})
_NUMBERS = (frozenset({float, _NONE}), frozenset({int, _NONE}))
#: Anything that keeps text off the fast path: what XML escapes, and what may start an
#: ``_xHHHH_`` escape (see _SAFE_TEXT).
_UNSAFE_CHAR = re.compile("[&<>\x00-\x1f\ufffe\uffff]|_x")


def _plain_texts(texts: list[str]) -> bool:
    """True when every text renders as is: short enough, nothing to escape, no edge spaces."""
    if not texts:
        return True
    if max(map(len, texts)) > MAX_CELL_CHARS or list(map(str.strip, texts)) != texts:
        return False
    joined = "".join(texts)
    if joined.isprintable():  # no control characters: only &, <, > and _x need a look
        return not ("&" in joined or "<" in joined or ">" in joined or "_x" in joined)
    return not _UNSAFE_CHAR.search(joined)


_TEXT_HEAD, _TAIL = '<c t="inlineStr"><is><t>', "</t></is></c>"


def _wrapped(head: str, tail: str, texts: Iterable[str], *, blanks: bool = False) -> list[str]:
    """``head + text + tail`` for every text, made as one string and cut (no cell holds NUL).

    With ``blanks``, an empty text makes an empty cell instead.
    """
    block = head + (tail + "\x00" + head).join(texts) + tail
    if blanks:
        block = block.replace(head + tail, "<c/>")
    return block.split("\x00")


def _render_plain_column(
    values: Sequence[Any], style: Style, marks: Mapping[Style, str]
) -> list[str] | None:
    """Render a column of one common type in one pass, or None when it needs care.

    The cells are those :func:`render_cell` makes (blank text and None are empty cells).
    """
    if not values:
        return []
    kinds = set(map(type, values))
    if kinds <= _TEXTS:
        texts = [v for v in values if v]
        if not _plain_texts(texts):
            return None
        if _NONE in kinds:
            values = ["" if v is None else v for v in values]
        return _wrapped(_TEXT_HEAD, "</t></is></c>", values, blanks=len(texts) < len(values))
    if kinds <= _DATES:
        head = f'<c s="{marks[Style.DATE]}"><v>'
        if _NONE not in kinds:
            serials = map(_EPOCH.__add__, map(dt.date.toordinal, values))
            return _wrapped(head, "</v></c>", map(str, serials))
        return ["<c/>" if v is None else f"{head}{v.toordinal() + _EPOCH}</v></c>" for v in values]
    if kinds <= _NUMBERS[0] or kinds <= _NUMBERS[1]:
        if not all(map(math.isfinite, [v for v in values if v is not None])):
            return None
        head = "<c><v>" if style is Style.TEXT else f'<c s="{marks[style]}"><v>'
        if _NONE not in kinds:
            return _wrapped(head, "</v></c>", map(repr, values))
        return ["<c/>" if v is None else f"{head}{v!r}</v></c>" for v in values]
    return None


def _render_column(values: Sequence[Any], style: Style, marks: Mapping[Style, str]) -> list[str]:
    """Render one column: common types take a fast path, the rest go through render_cell."""
    plain = _render_plain_column(values, style, marks)
    if plain is not None:
        return plain
    out: list[str] = []
    add = out.append
    date_type, str_type, float_type = dt.date, str, float
    date_mark = marks[Style.DATE]
    number_open = "<c><v>" if style is Style.TEXT else f'<c s="{marks[style]}"><v>'
    safe = _SAFE_TEXT.match
    for v in values:
        t = type(v)
        if v is None:
            add("<c/>")
        elif t is str_type:
            if v and safe(v) and not v[0].isspace() and not v[-1].isspace():
                add(f'<c t="inlineStr"><is><t>{v}</t></is></c>')
            else:
                add(render_cell(v, style, marks))
        elif t is date_type:
            add(f'<c s="{date_mark}"><v>{v.toordinal() + _EPOCH}</v></c>')
        elif t is float_type and v == v and v not in (_INF, _NINF):
            add(f"{number_open}{v!r}</v></c>")
        else:
            add(render_cell(v, style, marks))
    return out


_INF, _NINF = float("inf"), float("-inf")


def render_rows(rows: Sequence[Sequence[Any]], styles: Sequence[Style]) -> list[bytes]:
    """Render many rows (see :func:`render_cell`); each row without its ``<row>`` wrapper.

    Works column by column, which keeps the per-cell cost to one type check and
    one f-string for dates, numbers and plain text. Trailing blank cells are dropped.
    """
    if not rows:
        return []
    width = len(styles)
    if set(map(len, rows)) == {width}:
        return render_columns(list(zip(*rows, strict=True)), styles)
    return render_columns([[r[j] for r in rows] for j in range(width)], styles)


def render_columns(
    values: Sequence[Sequence[Any]],
    styles: Sequence[Style],
    marks: Mapping[Style, str] = _MARKS,
) -> list[bytes]:
    """Render rows given as columns (one per style, all as long); see :func:`render_rows`.

    ``marks``: what each slot's ``s`` attribute holds; by default its marker, resolved
    later (:func:`resolve_styles`); :func:`style_marks` gives the resolved indexes at once.
    """
    columns = [
        _render_column(column, style, marks) for column, style in zip(values, styles, strict=True)
    ]
    if columns and "<c/>" not in columns[-1]:  # no trailing blank cell to drop
        return list(map(str.encode, map("".join, zip(*columns, strict=True))))
    out: list[bytes] = []
    for cells in zip(*columns, strict=True):
        text = "".join(cells)
        # Only an empty cell renders as (or ends with) "<c/>": drop the trailing ones.
        while text.endswith("<c/>"):
            text = text[:-4]
        out.append(text.encode("utf-8"))
    return out


def assemble(rows: Sequence[bytes], style_index: dict[Style, int]) -> bytes:
    """Wrap rendered rows in ``<row>`` (each follows the one before) and resolve style slots."""
    if not rows:
        return b""
    return resolve_styles(b"<row>" + b"</row><row>".join(rows) + b"</row>", style_index)


def style_marks(style_index: Mapping[Style, int]) -> dict[Style, str]:
    """What each slot's ``s`` attribute holds once resolved (:func:`resolve_styles`).

    Rendering with them writes, in one pass, what rendering with the markers and then
    resolving them writes; a slot without an index keeps its marker, as there.
    """
    return {s: str(style_index[s]) if s in style_index else m for s, m in _MARKS.items()}


def resolve_styles(xml: bytes, style_index: Mapping[Style, int]) -> bytes:
    """Rendered cells with their style slots replaced by the workbook's style indexes."""
    for style, index in style_index.items():
        if style is not Style.TEXT:
            xml = xml.replace(b's="' + _MARK[style] + b'"', b's="%d"' % index)
    return xml
