"""Scan a sheet's XML as text to find where its cells are, before calamine reads it.

Calamine builds a whole sheet in memory, as a dense rectangle from the first to the
last cell holding a value, before anything can be cut; one value in ``XFD1048576``
asks it for 17 billion cells. :func:`walk_sheet` finds, without building anything,
which formulas have no cached value and whether anything lies beyond
``limits.max_rows`` or ``limits.max_columns``; asked to, it also writes the sheet cut
to the limits (reading stops at the first row past the limit).

The scan is streamed over the decompressed part with regular expressions, a segment of
whole rows at a time (never parsed into a tree). A segment that is plainly within the
limits (every row and every cell carries its reference, no formula) is judged from two
C-speed searches that find nothing; anything else is walked row by row, and cell by cell
where it matters, following calamine's rules for positions: a cell's own reference
wins; a cell without one follows the previous cell of its row; a row without a number
follows the previous row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat

from addin.core.cells import column_letter
from addin.core.settings import LimitSettings
from addin.ooxml.member import Readable
from addin.ooxml.plain_search import Search, not_counted, odd_reference, odd_tag
from addin.ooxml.row_ends import P as _P
from addin.ooxml.row_ends import close_sheetdata, last_row_end
from addin.ooxml.xmlsafety import DTD, DTD_REASON

_MB = 1024 * 1024

_SHEETDATA_OPEN = re.compile(rb"<(" + _P + rb")sheetData\b[^>]*?(/?)>")
_ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)")
_ROW = re.compile(rb"<(" + _P + rb")row\b([^>]*?)(?:/>|>(.*?)</\1row\s*>)", re.S)
_OPEN_CELL = re.compile(rb"<" + _P + rb"c(?:\s[^>]*)?(?<!/)>")
_CELL_START = re.compile(rb"<" + _P + rb"c[\s/>]")
_CELL_REF = re.compile(rb"<" + _P + rb"c\s[^>]*?(?<=\s)r\s*=\s*[\"']([A-Za-z]{1,3})(\d{1,9})[\"']")
_CELL = re.compile(rb"<(" + _P + rb")c\b([^>]*?)(?:/>|>(.*?)</\1c\s*>)", re.S)
_R_ATTR = re.compile(rb"(?:^|\s)r\s*=\s*[\"']([^\"']*)[\"']")
_R_EQ = re.compile(rb"\sr\s*=")
_FORMULA = re.compile(rb"<" + _P + rb"f\b")
#: A value that holds something: ``<v>`` with content (openpyxl writes ``<v />`` for a formula it
#: could not calculate), or an inline string.
_VALUE = re.compile(rb"<" + _P + rb"(?:v(?:\s[^>]*)?>[^<]|is\b)")
#: Any ``<v>``, even an empty one.
_VALUE_TAG = re.compile(rb"<" + _P + rb"v\b")
#: ``t="str"``: a formula's text result, where an empty ``<v></v>`` is a calculated "".
_STR_TYPE = re.compile(rb"""\st\s*=\s*["']str["']""")
_REF = re.compile(rb"([A-Za-z]{1,3})(\d{1,9})")
# Quicker forms for the common case of a part without namespace prefixes.
_ANY_PREFIX = re.compile(rb"<[A-Za-z_][\w.\-]*:")
_PLAIN_FORMULA = re.compile(rb"<f[\s/>]")
_PLAIN_ROW_NUMBER = re.compile(rb'<row r="(\d{1,9})"')
#: A row or a cell that does not open with its reference (``<row r="``, ``<c r="``): one
#: search each, where comparing two counts took two passes over the segment.
_ROW_UNREFERENCED = re.compile(rb'<row(?! r=")')
_CELL_UNREFERENCED = re.compile(rb'<c(?! r=")')
#: A reference spelled another way than ``r="..."`` ("r = ...", ``r='...'``): a second
#: one on an element would override the first; the careful path decides.
_R_ODD = re.compile(rb"r(?:\s|=\s|=')")
#: Any tag but the four a plain segment is made of: ``<row r="``, ``<c r="``, ``<v>`` and a
#: closing tag. Where none is found (the usual), the segment has no prefixed tag, no
#: formula, and no row or cell placed by counting: one search answers four. Run by RE2
#: where installed (:mod:`addin.ooxml.plain_search`).
_ODD_TAG = odd_tag()
#: References with two or more column letters (none in a typical tracker).
_WIDE_REF = re.compile(rb'r="([A-Za-z]{2,})\d')
#: What keeps a segment from being judged by counting (:meth:`_SheetWalker._counted`).
_NOT_COUNTED = not_counted()
_ANY_REF = re.compile(rb'r="([A-Za-z]*)(\d+)')

_CHUNK = _MB
#: Most bytes buffered while looking for the end of one row (or for the start of the cells).
_MAX_PENDING = 64 * _MB


class BadSheet(Exception):
    """The sheet's XML cannot be scanned; the message is the reason."""


@lru_cache(maxsize=4096)
def _column(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ch - 64)
    return n - 1


def _odd_reference(max_rows: int, max_cols: int) -> Search | None:
    """A search for an ``r`` followed by a space, or by ``=`` and anything but a short reference.

    Short: ``"`` and at most one column letter, then fewer row digits than could pass
    ``max_rows``, then ``"`` (``r="B7"``, ``r="7"``): certainly within the limits and
    spelled the plain way. Where none is found (the usual), no reference needs parsing.
    None when the limits are so small that no reference is certainly within them.
    """
    digits = len(str(max_rows + 1)) - 1  # any number of this many digits is <= max_rows
    if digits < 1 or max_cols < 26:  # one letter: columns A to Z
        return None
    return odd_reference(digits)  # cached there, compiled once per number of digits


def _one_row(rest: bytes) -> bool:
    """True when what follows a ``<row`` is that one row, closed, and nothing after it."""
    end = rest.find(b">")
    if rest[end - 1 : end] == b"/":  # <row .../>: its tag is all of it
        return end == len(rest) - 1
    return rest.endswith(b"</row>") and rest.count(b"</row>") == 1


def _letters(col: int) -> bytes:
    return column_letter(col).encode("ascii")


def _position(attrs: bytes) -> bytes | None:
    """The ``r`` attribute of a row or cell (None when absent); two of them are refused."""
    found = _R_ATTR.findall(attrs)
    if len(found) > 1:
        raise BadSheet("an element gives its position twice")
    return found[0] if found else None


def _ref(text: bytes) -> tuple[int, int]:
    m = _REF.fullmatch(text)
    if m is None:
        raise BadSheet(f"cell reference '{text.decode('latin-1')[:20]}' is not valid")
    return int(m[2]) - 1, _column(m[1])


@dataclass
class SheetScan:
    """What scanning a sheet's XML found."""

    uncalculated: set[tuple[int, int]] = field(default_factory=set)
    truncated_rows: bool = False
    truncated_cols: bool = False
    xml: bytes | None = None  # the sheet cut to the limits, when asked for
    #: When the part up to the first row past the row limit can be kept byte for byte:
    #: that many bytes, and what closes the sheet after them (saves a second walk).
    verbatim_end: int | None = None
    closing: bytes = b""

    @property
    def cut(self) -> bool:
        """True when the sheet exceeds a limit, so calamine must read a cut copy."""
        return self.truncated_rows or self.truncated_cols


class _SheetWalker:
    def __init__(self, limits: LimitSettings, *, emit: bool) -> None:
        self.max_rows = limits.max_rows
        self.max_cols = limits.max_columns
        self.scan = SheetScan()
        self.out: list[bytes] | None = [] if emit else None
        self.last_row = -1
        self._long_rows: re.Pattern[bytes] | None = None
        self._odd_reference: Search | None = _odd_reference(self.max_rows, self.max_cols)
        #: True once some row needed a cell-by-cell look (its copy may differ from the XML).
        self.rewritten = False

    # -- segments of whole rows --

    def segment(self, seg: bytes) -> int | None:
        """Take in whole rows; return the offset of the first row past the limit, if any."""
        if self._plain(seg) or self._counted(seg):
            if self.out is not None:
                self.out.append(seg)
            return None
        gap = 0
        for m in _ROW.finditer(seg):
            if _CELL_START.search(seg, gap, m.start()):
                raise BadSheet("a cell stands outside any row")
            gap = m.end()
            prefix, attrs, body = m.group(1), m.group(2), m.group(3)
            number = _position(attrs)
            if number is not None:
                if not number.isdigit():
                    raise BadSheet(f"row number '{number.decode('latin-1')[:20]}' is not valid")
                row = int(number) - 1
            else:
                row = self.last_row + 1
            if row >= self.max_rows:
                return m.start()
            self.last_row = row
            if not body or self._plain_row(body):
                if self.out is not None:
                    self.out.append(m.group(0))
                continue
            self._cells(prefix, row, body)
        if _CELL_START.search(seg, gap):
            raise BadSheet("a cell stands outside any row")
        return None

    def _within(self, refs: list[tuple[bytes, bytes]]) -> bool:
        if not refs:
            return True
        letters, digits = zip(*refs, strict=True)
        return (
            max(map(int, set(digits))) <= self.max_rows
            and max(map(_column, set(letters))) < self.max_cols
        )

    def _plain(self, seg: bytes) -> bool:
        """True when a segment is within the limits and needs no cell-by-cell look.

        That is: no namespace prefixes and no formulas; every row and every cell opens
        with its reference (``<row r="7"``, ``<c r="B7"``), so none is placed by
        counting; no reference is spelled another way that could override it; and no
        reference lies beyond the limits. Anything else takes the row-by-row path.

        A typical tracker's segment is judged by two searches that find nothing (one pass
        over the segment each, where the questions asked one by one took seven):
        :data:`_ODD_TAG` for the tags, the walker's :func:`_odd_reference` search for the
        references. Only when one finds something are its questions asked one by one
        (:meth:`_plain_tags`, :meth:`_plain_references`), which may still judge the
        segment plain.
        """
        if _ODD_TAG.search(seg) is not None and not self._plain_tags(seg):
            return False
        short = self._odd_reference
        if (short is None or short.search(seg) is not None) and not self._plain_references(seg):
            return False
        last_row = seg.rfind(b"<row")
        if last_row >= 0:
            last = _PLAIN_ROW_NUMBER.match(seg, last_row)
            if last is None:
                return False
            self.last_row = int(last[1]) - 1
        return True

    def _counted(self, seg: bytes) -> bool:
        """True when every row and cell of a segment stands by counting, within the limits.

        Our portfolio's data rows are written so (``<row><c t="inlineStr">``, no ``r``
        anywhere: :mod:`addin.ooxml.sheetxml`), as some other writers' are; walked cell by
        cell, they took 40 µs a row. With no reference, prefixed tag, formula, comment or
        CDATA (:data:`~addin.ooxml.plain_search.NOT_COUNTED`), and each ``<row`` opening a
        whole row with nothing after it, the rows are the ``<row`` tags, each after the
        last, and a row's cells its ``<c`` tags from column A: within the limits when the
        last row is and no row has more ``<c`` than the column limit; else row by row.
        """
        if _NOT_COUNTED.search(seg) is not None:
            return False
        rows = seg.split(b"<row")
        if b"<c" in rows[0] or self.last_row + len(rows) - 1 >= self.max_rows:
            return False  # a cell outside any row, or a row past the limit: said row by row
        if not all(map(_one_row, rows[1:])):
            return False
        if max(map(bytes.count, rows, repeat(b"<c"))) > self.max_cols:
            return False
        self.last_row += len(rows) - 1
        return True

    def _plain_tags(self, seg: bytes) -> bool:
        """No prefixed tag, no formula, and every row and cell opens with its reference."""
        # A prefixed name holds a colon: a segment without one (the usual) needs no search.
        if (b":" in seg and _ANY_PREFIX.search(seg)) or _PLAIN_FORMULA.search(seg):
            return False
        return not (_ROW_UNREFERENCED.search(seg) or _CELL_UNREFERENCED.search(seg))

    def _plain_references(self, seg: bytes) -> bool:
        """No reference spelled an odd way, and every one within the limits.

        Only references with long row numbers or several column letters are parsed,
        wherever they stand.
        """
        return not _R_ODD.search(seg) and self._refs_within(seg)

    def _refs_within(self, seg: bytes) -> bool:
        """Whether every ``r="..."`` reference of a segment lies within the limits."""
        if self.max_cols <= 26:
            return self._within([(m[0], m[1]) for m in _ANY_REF.findall(seg)])
        if self._long_rows is None:
            digits = len(str(self.max_rows))
            self._long_rows = re.compile(rb'r="[A-Za-z]*(\d{%d,})' % digits)
        long_rows = self._long_rows.findall(seg)
        if long_rows and max(map(int, long_rows)) > self.max_rows:
            return False
        wide = _WIDE_REF.findall(seg)
        return not wide or max(map(_column, set(wide))) < self.max_cols

    def _plain_row(self, body: bytes) -> bool:
        if _FORMULA.search(body):
            return False
        refs = _CELL_REF.findall(body)
        return len(refs) == len(_CELL_START.findall(body)) == len(
            _R_EQ.findall(body)
        ) and self._within(refs)

    def _cells(self, prefix: bytes, row: int, body: bytes) -> None:
        self.rewritten = True
        col = -1
        kept: list[bytes] = []
        for c in _CELL.finditer(body):
            cp, attrs, inner = c.group(1), c.group(2), c.group(3)
            ref = _position(attrs)
            if ref is not None:
                r, col = _ref(ref)
            else:
                r, col = row, col + 1
            has_value = inner is not None and _VALUE.search(inner) is not None
            if r >= self.max_rows or col >= self.max_cols:
                if has_value:
                    if r >= self.max_rows:
                        self.scan.truncated_rows = True
                    else:
                        self.scan.truncated_cols = True
                continue
            if (
                inner is not None
                and not has_value
                and _FORMULA.search(inner)
                and not (_STR_TYPE.search(attrs) and _VALUE_TAG.search(inner))
            ):
                self.scan.uncalculated.add((r, col))
            if self.out is not None:
                rest = _R_ATTR.sub(b"", attrs) if ref is not None else attrs
                start = b'<%sc r="%s%d"%s' % (cp, _letters(col), r + 1, rest)
                end = b"/>" if inner is None else b">" + inner + b"</" + cp + b"c>"
                kept.append(start + end)
        if self.out is not None:
            self.out.append(b'<%srow r="%d">%s</%srow>' % (prefix, row + 1, b"".join(kept), prefix))


def walk_sheet(fh: Readable, limits: LimitSettings, *, emit: bool) -> SheetScan:
    """Scan one sheet part; with ``emit``, also build the sheet cut to the limits.

    Reading stops at ``</sheetData>`` or, past the row limit, at the first cell that
    holds anything: the rest of the part is never decompressed.
    """
    walker = _SheetWalker(limits, emit=emit)
    scan = walker.scan
    buf, eof, fresh = b"", False, 0  # fresh: where data not yet searched starts in buf
    while True:  # the part's head, up to <sheetData>
        opened = _SHEETDATA_OPEN.search(buf, max(0, fresh - 64))
        if opened is not None:
            break
        if eof:
            return scan  # no cells at all
        if len(buf) > _MAX_PENDING:
            raise BadSheet(f"over {_MAX_PENDING // _MB} MB of XML before the first cell")
        fresh = len(buf)
        chunk = fh.read(_CHUNK)
        eof = not chunk
        buf += chunk
    head = buf[: opened.start()]
    if DTD.search(head):
        raise BadSheet(DTD_REASON)
    root = _ROOT.search(head)
    close_root = b"</%s>" % (root[1] if root else b"worksheet")
    if opened[2] == b"/":  # <sheetData/>: no cells
        if emit:
            scan.xml = head + opened[0] + close_root
        return scan
    pos = fresh = opened.end()
    base = 0  # offset in the part of buf[0]
    beyond = False  # past the row limit: only look for a cell that holds anything
    cut_at = -1  # offset in the part of the first row past the row limit
    while True:
        start = max(pos, fresh - 64)
        close = close_sheetdata(buf, start)
        limit = close.start() if close else len(buf)
        if beyond:
            if _OPEN_CELL.search(buf, start, limit):
                scan.truncated_rows = True
                break
            if close or eof:
                break
            pos = max(pos, len(buf) - 64)
        else:
            end = limit if (close or eof) else last_row_end(buf, start)
            if end > pos:
                at = walker.segment(buf[pos:end])
                if at is not None:
                    beyond = True
                    pos = fresh = pos + at
                    cut_at = base + pos
                    continue
                pos = end
            if close or eof:
                break
            if len(buf) - pos > _MAX_PENDING:
                raise BadSheet(f"a row holds over {_MAX_PENDING // _MB} MB of XML")
        buf = buf[pos:]
        base += pos
        pos, fresh = 0, len(buf)
        chunk = fh.read(_CHUNK)
        eof = not chunk
        buf += chunk
    closing = b"</%ssheetData>%s" % (opened[1], close_root)
    if emit:
        assert walker.out is not None
        scan.xml = b"".join([head, opened[0], *walker.out, closing])
    elif scan.truncated_rows and not scan.truncated_cols and not walker.rewritten:
        scan.verbatim_end, scan.closing = cut_at, closing
    return scan
