"""Open a workbook safely and hand out its sheets as grids of raw values.

Before any parser sees a file, :func:`sniff` checks what it really is (by its
bytes, not its name) and refuses, with a one-line reason, what we cannot or must
not read: empty files, encrypted workbooks, ``.xlsb``/``.ods``/CSV under an Excel
name, oversized files, zip bombs and XML that declares a DTD or entities.
:class:`Workbook` then reads sheets with python-calamine (fast; ``.xlsx``,
``.xlsm`` and legacy ``.xls``), bounded by the configured row and column limits.

Calamine builds a whole sheet in memory, as a dense rectangle from the first
to the last cell holding a value, before anything can be cut; one value in
``XFD1048576`` asks it for 17 billion cells and aborts the process. So the
cells of an ``.xlsx`` sheet are first scanned as XML text (streamed, never
parsed into a tree): the scan finds where the cells are, which formulas have no
cached value, and whether anything lies beyond ``limits.max_rows`` or
``limits.max_columns``. A sheet within the limits goes to calamine as it is; a
sheet beyond them is cut first (reading stops at the first row past the
limit) and calamine reads the cut copy. A file that changes while it is read is
reported, not half-read.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import stat
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, Protocol

import python_calamine as calamine
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as ET

from addin.core.cells import column_letter
from addin.core.errors import UnreadableFileError
from addin.core.filetypes import not_regular
from addin.core.ours import kind_by_content
from addin.core.settings import LimitSettings
from addin.ooxml.parts import workbook_parts

#: Extensions the reader accepts when scanning folders.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MB = 1024 * 1024

CHANGED_REASON = "file changed while being read; try again"
DTD_REASON = "refused: workbook XML declares a DTD/entities (possible XML attack)"


def is_lock_file(path: Path) -> bool:
    """True for Excel's owner/lock files (``~$Budget.xlsx``), which hold no data."""
    return path.name.startswith("~$")


Stamp = tuple[int, int, int, int]


def _stamp(st: os.stat_result) -> Stamp:
    """What identifies one version of a file: device, inode, size and modification time."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


@dataclass(frozen=True)
class Sniffed:
    """What a file really is."""

    kind: str  # "xlsx" (any OOXML zip workbook) or "xls"
    size: int
    stamp: Stamp = (0, 0, 0, 0)


# --- XML safety ------------------------------------------------------------------------------

#: Bytes of a part read first to check its prolog; up to :data:`_PROLOG_MAX` when needed.
_PROLOG_PEEK = 4096
_PROLOG_MAX = 64 * 1024
#: Bytes after the prolog enough to tell what starts there (``<!DOCTYPE``, ``<!ENTITY``).
_PROLOG_TAIL = 16
_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.S)
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)\b", re.I)


def _as_utf8(head: bytes) -> bytes | None:
    """The start of a part as (roughly) UTF-8 when it looks like XML, else None."""
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    elif head.startswith((b"\xff\xfe", b"<\x00")):
        body = head[2:] if head.startswith(b"\xff\xfe") else head
        head = body[: len(body) // 2 * 2].decode("utf-16-le", "ignore").encode("utf-8")
    elif head.startswith((b"\xfe\xff", b"\x00<")):
        body = head[2:] if head.startswith(b"\xfe\xff") else head
        head = body[: len(body) // 2 * 2].decode("utf-16-be", "ignore").encode("utf-8")
    return head if head.lstrip().startswith(b"<") else None


def _prolog_end(text: bytes) -> int:
    m = _PROLOG.match(text)
    return m.end() if m else 0


def _xml_part_reason(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> str | None:
    """Refuse an XML part that declares a DTD or entities, before any parser expands them.

    A DTD can only stand in the prolog (before the root element), so only the prolog
    is read: a few KB of each part. Calamine does not expand entities (it stops with
    an obscure error), but openpyxl and other tools may; either way such a workbook
    was not written by Excel and is refused with a clear reason.
    """
    with zf.open(info) as fh:
        head = fh.read(_PROLOG_PEEK)
        while True:
            text = _as_utf8(head)
            if text is None:
                return None
            rest = text[_prolog_end(text) :]
            # The prolog is over once something else starts: a DOCTYPE or the root element.
            # What was read may instead end inside it (a comment or declaration cut short,
            # or too few bytes to tell): read on, up to a limit.
            if len(rest) >= _PROLOG_TAIL and not rest.startswith((b"<!--", b"<?")):
                break
            if len(head) >= _PROLOG_MAX:
                return (
                    f"refused: {info.filename} starts with over {_PROLOG_MAX // 1024} KB of XML "
                    "comments or declarations (possible XML attack)"
                )
            more = fh.read(_PROLOG_MAX - len(head))
            if not more:
                break
            head += more
    if _DTD.match(rest):
        return f"{DTD_REASON}: {info.filename}"
    return None


def _zip_reason(path: Path, limits: LimitSettings) -> str | None:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            reason = _zip_layout_reason(names, infos, limits)
            if reason is None:
                for info in infos:
                    if info.is_dir() or info.filename.lower().endswith(".svg"):
                        continue  # images may carry a DTD; nothing of ours parses them
                    reason = _xml_part_reason(zf, info)
                    if reason:
                        break
            return reason
    except zipfile.BadZipFile as exc:
        if "CRC" in str(exc) or "Bad magic" in str(exc):
            return "damaged workbook archive (a part fails its checksum): ask for a new copy"
        return "damaged or truncated workbook (not a valid zip archive): ask for a new copy"
    except NotImplementedError as exc:  # an unknown compression method, encrypted zip entries
        return f"workbook archive uses a feature we cannot read ({exc})"
    except (OSError, ValueError, EOFError) as exc:
        return f"cannot read the workbook archive ({exc})"


def _zip_layout_reason(
    names: set[str], infos: Sequence[zipfile.ZipInfo], limits: LimitSettings
) -> str | None:
    if "xl/workbook.bin" in names:
        return "binary workbook (.xlsb) is not supported: save it as .xlsx"
    if "content.xml" in names and "mimetype" in names:
        return "OpenDocument spreadsheet (.ods) under an Excel name: save it as .xlsx"
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            return "Word document under an Excel name, not a workbook"
        return "zip archive but not an Excel workbook (no xl/workbook.xml)"
    seen: set[str] = set()
    for info in infos:
        folded = info.filename.replace("\\", "/").lower()
        if folded in seen:
            return (
                f"damaged workbook archive: part {info.filename} appears twice; ask for a new copy"
            )
        seen.add(folded)
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > 1 * _MB and info.compress_size > 0:
            ratio = info.file_size / info.compress_size
            if ratio > limits.max_compression_ratio:
                return (
                    f"refused: part {info.filename} expands {ratio:,.0f}x "
                    f"(limit {limits.max_compression_ratio:,.0f}x; possible zip bomb)"
                )
    if total > limits.max_uncompressed_mb * _MB:
        return (
            f"refused: workbook expands to {_megabytes(total)} MB "
            f"(limit {limits.max_uncompressed_mb:,g} MB; possible zip bomb)"
        )
    return None


def _megabytes(size: int) -> str:
    """A size in MB as a person reads it next to a limit: ``100.4``, ``3.2``, ``0.03``."""
    mb = size / _MB
    return f"{mb:,.1f}" if mb >= 1 else f"{mb:.2f}"


def _ole_reason(path: Path) -> str | None:
    """Return the reason to refuse an OLE compound file, or None for a legacy .xls."""
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
                return (
                    "password-protected (encrypted) workbook: it cannot be read without "
                    "the password; ask its owner for an unprotected copy"
                )
            if ole.exists("Workbook") or ole.exists("Book"):
                return None
            return "OLE file but not an Excel workbook"
    except OSError as exc:
        return f"damaged compound file ({exc})"


_TEXTY = re.compile(rb"^[\x09\x0a\x0d\x20-\x7e\x80-\xff]*$")


def sniff(path: Path, limits: LimitSettings) -> Sniffed:
    """Check a file before parsing; raise :class:`UnreadableFileError` with a one-line reason."""
    name = str(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise UnreadableFileError(
                name, "broken link: it points to a file that does not exist"
            ) from None
        raise UnreadableFileError(name, "file not found") from None
    except PermissionError:
        raise UnreadableFileError(name, "permission denied: cannot read this file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnreadableFileError(
                name, "link loop: the link leads back to itself, never to a file"
            ) from None
        raise UnreadableFileError(name, f"cannot read this file ({exc.strerror or exc})") from None
    if stat.S_ISDIR(st.st_mode):
        raise UnreadableFileError(name, "is a folder, not a workbook")
    if not stat.S_ISREG(st.st_mode):  # a FIFO or a device would block or never end
        raise UnreadableFileError(name, not_regular(st.st_mode))
    if st.st_size == 0:
        raise UnreadableFileError(
            name, "empty file (0 bytes): probably an interrupted save or upload"
        )
    if st.st_size > limits.max_file_mb * _MB:
        raise UnreadableFileError(
            name,
            f"refused: file is {_megabytes(st.st_size)} MB (limit {limits.max_file_mb:,g} MB)",
        )
    try:
        with path.open("rb") as fh:
            head = fh.read(512)
    except PermissionError:
        raise UnreadableFileError(name, "permission denied: cannot read this file") from None
    except OSError as exc:
        raise UnreadableFileError(name, f"cannot read this file ({exc.strerror or exc})") from None
    if head.startswith(_ZIP_MAGIC):
        reason = _zip_reason(path, limits)
        if reason:
            raise UnreadableFileError(name, reason)
        return Sniffed("xlsx", st.st_size, _stamp(st))
    if head.startswith(_OLE_MAGIC):
        reason = _ole_reason(path)
        if reason:
            raise UnreadableFileError(name, reason)
        return Sniffed("xls", st.st_size, _stamp(st))
    lowered = head.lower().lstrip()
    if lowered.startswith((b"<html", b"<!doctype html", b"<?xml", b"<table")):
        raise UnreadableFileError(name, "HTML or XML file under an Excel name, not a workbook")
    if _TEXTY.match(head):
        raise UnreadableFileError(
            name, "text (CSV?) file under an Excel name, not a workbook: save it as .xlsx"
        )
    raise UnreadableFileError(name, "not an Excel workbook (unrecognised file format)")


@dataclass
class Grid:
    """One sheet's values as read.

    Attributes:
        name: The sheet's real name.
        rows: Raw values; ``rows[i][j]`` is the cell at sheet row ``top + i``, column ``left + j``.
        top: 0-based sheet row of ``rows[0]``.
        left: 0-based sheet column of the first value of each row.
        truncated_rows: True when the sheet had more rows than the limit.
        truncated_cols: True when the sheet had more columns than the limit.
        hidden: True for hidden or very hidden sheets.
        uncalculated: 0-based (row, col) of formula cells that have no cached value (the
            file was written by a tool that does not calculate); they read as blank, and
            ``rows`` always reaches them.
    """

    name: str
    rows: list[list[Any]]
    top: int = 0
    left: int = 0
    truncated_rows: bool = False
    truncated_cols: bool = False
    hidden: bool = False
    uncalculated: frozenset[tuple[int, int]] = frozenset()

    def value(self, row: int, col: int) -> Any:
        """Return the raw value at a 0-based sheet position ("" outside the grid)."""
        i, j = row - self.top, col - self.left
        if 0 <= i < len(self.rows):
            r = self.rows[i]
            if 0 <= j < len(r):
                return r[j]
        return ""


def _is_panic(exc: BaseException) -> bool:
    """True for a Rust panic inside the parser, which pyo3 raises as a ``BaseException``."""
    return type(exc).__name__ == "PanicException"


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if _is_panic(exc):
        return f"cannot parse workbook (the parser failed: {text[:160]})"
    if isinstance(exc, calamine.PasswordError):
        return "password-protected (encrypted) workbook: ask its owner for an unprotected copy"
    if "larger than its declared" in text:
        return "refused: a part holds more data than the archive declares (possible zip bomb)"
    if isinstance(exc, calamine.ZipError):
        return f"damaged workbook archive ({text[:160]})"
    if isinstance(exc, calamine.XmlError):
        return f"damaged or unsafe workbook XML ({text[:160]})"
    return f"cannot parse workbook ({type(exc).__name__}: {text[:160]})"


class GridSource(Protocol):
    """Anything the reader can read a tracker from: a file, or a live workbook in Excel."""

    @property
    def sheet_names(self) -> list[str]:
        """All sheet names, in workbook order."""

    @property
    def worksheets(self) -> list[str]:
        """Names of the sheets that hold cells."""

    def grid(self, name: str) -> Grid:
        """One sheet's values."""

    def merged_ranges(self, name: str) -> Sequence[tuple[tuple[int, int], tuple[int, int]]]:
        """Merged ranges of a sheet as ((row, col), (row, col)), 0-based."""


def grid_from_values(name: str, values: Sequence[Sequence[Any]], limits: LimitSettings) -> Grid:
    """Make a :class:`Grid` from a rectangle of values starting at A1 (e.g. a used range).

    Blank cells may be None or ""; the row and column limits apply as for files.
    """
    rows = [
        ["" if v is None else v for v in row[: limits.max_columns]]
        for row in values[: limits.max_rows]
    ]
    return Grid(
        name,
        rows,
        truncated_rows=len(values) > limits.max_rows,
        truncated_cols=any(len(r) > limits.max_columns for r in values[:1]),
    )


# --- scanning a sheet's XML --------------------------------------------------------------------
#
# Streamed over the decompressed part with regular expressions, a segment of whole rows at
# a time. A segment that is plainly within the limits (every row and every cell carries its
# reference, no formula) is judged from a few C-speed ``findall`` calls; anything else is
# walked row by row, and cell by cell where it matters, following calamine's rules for
# positions: a cell's own reference wins; a cell without one follows the previous cell of
# its row; a row without a number follows the previous row.

_P = rb"(?:[A-Za-z_][\w.\-]*:)?"  # an optional namespace prefix
_SHEETDATA_OPEN = re.compile(rb"<(" + _P + rb")sheetData\b[^>]*?(/?)>")
_SHEETDATA_CLOSE = re.compile(rb"</" + _P + rb"sheetData\s*>")
_ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)")
_ROW_END = re.compile(rb"</" + _P + rb"row\s*>|<" + _P + rb"row\b[^>]*/>")
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
#: A reference spelled another way than ``r="..."`` ("r = ...", ``r='...'``): a second
#: one on an element would override the first; the careful path decides.
_R_ODD = re.compile(rb"r(?:\s|=\s|=')")
#: References with two or more column letters (none in a typical tracker).
_WIDE_REF = re.compile(rb'r="([A-Za-z]{2,})\d')
_ANY_REF = re.compile(rb'r="([A-Za-z]*)(\d+)')

_CHUNK = _MB
#: Most bytes buffered while looking for the end of one row (or for the start of the cells).
_MAX_PENDING = 64 * _MB


class _BadSheet(Exception):
    """The sheet's XML cannot be scanned; the message is the reason."""


@lru_cache(maxsize=4096)
def _column(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ch - 64)
    return n - 1


def _letters(col: int) -> bytes:
    return column_letter(col).encode("ascii")


def _position(attrs: bytes) -> bytes | None:
    """The ``r`` attribute of a row or cell (None when absent); two of them are refused."""
    found = _R_ATTR.findall(attrs)
    if len(found) > 1:
        raise _BadSheet("an element gives its position twice")
    return found[0] if found else None


def _ref(text: bytes) -> tuple[int, int]:
    m = _REF.fullmatch(text)
    if m is None:
        raise _BadSheet(f"cell reference '{text.decode('latin-1')[:20]}' is not valid")
    return int(m[2]) - 1, _column(m[1])


@dataclass
class _SheetScan:
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
        return self.truncated_rows or self.truncated_cols


class _SheetWalker:
    def __init__(self, limits: LimitSettings, *, emit: bool) -> None:
        self.max_rows = limits.max_rows
        self.max_cols = limits.max_columns
        self.scan = _SheetScan()
        self.out: list[bytes] | None = [] if emit else None
        self.last_row = -1
        self._long_rows: re.Pattern[bytes] | None = None
        #: True once some row needed a cell-by-cell look (its copy may differ from the XML).
        self.rewritten = False

    # -- segments of whole rows --

    def segment(self, seg: bytes) -> int | None:
        """Take in whole rows; return the offset of the first row past the limit, if any."""
        if self._plain(seg):
            if self.out is not None:
                self.out.append(seg)
            return None
        gap = 0
        for m in _ROW.finditer(seg):
            if _CELL_START.search(seg, gap, m.start()):
                raise _BadSheet("a cell stands outside any row")
            gap = m.end()
            prefix, attrs, body = m.group(1), m.group(2), m.group(3)
            number = _position(attrs)
            if number is not None:
                if not number.isdigit():
                    raise _BadSheet(f"row number '{number.decode('latin-1')[:20]}' is not valid")
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
            raise _BadSheet("a cell stands outside any row")
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

        Judged by counting bytes and a few searches that find nothing in a typical
        tracker: only references with long row numbers or several column letters are
        parsed, wherever they stand.
        """
        if _ANY_PREFIX.search(seg) or _PLAIN_FORMULA.search(seg):
            return False
        rows = seg.count(b"<row")
        if seg.count(b'<row r="') != rows or seg.count(b"<c") != seg.count(b'<c r="'):
            return False
        if _R_ODD.search(seg) or not self._refs_within(seg):
            return False
        if rows:
            last = _PLAIN_ROW_NUMBER.match(seg, seg.rfind(b"<row"))
            if last is None:
                return False
            self.last_row = int(last[1]) - 1
        return True

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


def _close_sheetdata(buf: bytes, start: int) -> re.Match[bytes] | None:
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


def _last_row_end(buf: bytes, start: int) -> int:
    """Offset just past the last complete row in ``buf[start:]``, or -1."""
    window = max(start, len(buf) - 65536)
    while True:
        last = -1
        for m in _ROW_END.finditer(buf, window):
            last = m.end()
        if last >= 0 or window == start:
            return last
        window = start


def _walk_sheet(fh: IO[bytes], limits: LimitSettings, *, emit: bool) -> _SheetScan:
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
            raise _BadSheet(f"over {_MAX_PENDING // _MB} MB of XML before the first cell")
        fresh = len(buf)
        chunk = fh.read(_CHUNK)
        eof = not chunk
        buf += chunk
    head = buf[: opened.start()]
    if _DTD.search(head):
        raise _BadSheet(DTD_REASON)
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
        close = _close_sheetdata(buf, start)
        limit = close.start() if close else len(buf)
        if beyond:
            if _OPEN_CELL.search(buf, start, limit):
                scan.truncated_rows = True
                break
            if close or eof:
                break
            pos = max(pos, len(buf) - 64)
        else:
            end = limit if (close or eof) else _last_row_end(buf, start)
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
                raise _BadSheet(f"a row holds over {_MAX_PENDING // _MB} MB of XML")
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


def _cover(
    rows: list[list[Any]], top: int, left: int, cells: set[tuple[int, int]]
) -> tuple[list[list[Any]], int, int]:
    """Widen a sheet's rectangle of values, with blanks, to take in ``cells``.

    Calamine's rectangle ends at the last cell holding a value, and a formula with no
    cached value holds none: a row made only of such formulas would fall outside it and
    never be seen. The cells come from the scan, so they lie within the limits.
    """
    width = max((len(r) for r in rows), default=0)
    bottom, right = top + len(rows) - 1, left + width - 1
    if not rows:
        top, left, bottom, right = min(cells)[0], min(c for _, c in cells), -1, -1
    new_top = min(top, *(r for r, _ in cells))
    new_left = min(left, *(c for _, c in cells))
    new_bottom = max(bottom, *(r for r, _ in cells))
    new_right = max(right, *(c for _, c in cells))
    if (new_top, new_left, new_bottom, new_right) == (top, left, bottom, right):
        return rows, top, left
    span = new_right - new_left + 1
    pad = [""] * (left - new_left)
    out = [[""] * span for _ in range(top - new_top)]
    out += [[*pad, *r, *[""] * (span - len(pad) - len(r))] for r in rows]
    out += [[""] * span for _ in range(new_bottom - new_top + 1 - len(out))]
    return out, new_top, new_left


class Workbook:
    """A workbook opened for reading; sheets are read lazily and cached."""

    def __init__(self, path: Path, limits: LimitSettings) -> None:
        """Sniff and open ``path``; raise :class:`UnreadableFileError` with a reason on failure."""
        self.path = path
        self.limits = limits
        sniffed = sniff(path, limits)
        self.kind = sniffed.kind
        self._stamp = sniffed.stamp
        self._handle: IO[bytes] | None = None
        self._zip: zipfile.ZipFile | None = None
        self._parts: dict[str, str | None] = {}
        self._shared: list[str] = []
        self._grids: dict[str, Grid] = {}
        self._merged: dict[str, list[tuple[tuple[int, int], tuple[int, int]]]] = {}
        try:
            if self.kind == "xlsx":
                self._zip = zipfile.ZipFile(path)
                self._parts, self._shared = workbook_parts(self._zip)
            self._book = self._open()
            meta = self._book.sheets_metadata
            self._check_unchanged()
        except UnreadableFileError:
            self.close()
            raise
        except DefusedXmlException:
            self.close()
            raise UnreadableFileError(str(path), DTD_REASON) from None
        except (OSError, zipfile.BadZipFile, ET.ParseError, KeyError) as exc:
            self.close()
            self._check_unchanged()
            raise UnreadableFileError(
                str(path), f"damaged workbook ({type(exc).__name__}: {exc})"
            ) from None
        except BaseException as exc:  # calamine raises several unrelated types, and panics
            if not isinstance(exc, Exception) and not _is_panic(exc):
                raise
            self.close()
            self._check_unchanged()
            raise UnreadableFileError(str(path), _reason(exc)) from None
        self.sheet_names: list[str] = [m.name for m in meta]
        self._hidden = {m.name for m in meta if "Visible" not in str(m.visible)}
        self._worksheets = {m.name for m in meta if "WorkSheet" in str(m.typ)}

    def _open(self) -> Any:
        name = os.fspath(self.path)
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:  # a name that is not valid UTF-8: calamine cannot open it
            self._handle = self.path.open("rb")
            return calamine.CalamineWorkbook.from_filelike(self._handle)
        return calamine.CalamineWorkbook.from_path(name)

    def _check_unchanged(self) -> None:
        """Raise when the file is no longer the version sniffed (rewritten, replaced, removed)."""
        try:
            now = _stamp(self.path.stat())
        except OSError:
            now = None
        if now != self._stamp:
            raise UnreadableFileError(str(self.path), CHANGED_REASON)

    def pmo_output(self) -> str:
        """What ``pmo`` output the workbook says it is (``portfolio`` ...), or "" (not ours)."""
        kind = kind_by_content(self._zip) if self._zip is not None else None
        return "" if kind is None else kind.value

    @property
    def worksheets(self) -> list[str]:
        """Names of the sheets that hold cells (chart sheets and macro sheets left out)."""
        return [n for n in self.sheet_names if n in self._worksheets]

    def uncalculated(self, name: str) -> set[tuple[int, int]]:
        """0-based (row, col) of a sheet's formula cells that have no cached value."""
        return set(self.grid(name).uncalculated)

    def _scan(self, name: str) -> _SheetScan:
        """Scan an .xlsx sheet's XML; when it exceeds the limits, also make the cut copy."""
        assert self._zip is not None
        part = self._parts.get(name)
        if part is None:
            raise _BadSheet("its cells are missing from the workbook archive")
        with self._zip.open(part) as fh:
            scan = _walk_sheet(fh, self.limits, emit=False)
        if scan.verbatim_end is not None:  # every row before the cut is kept as it is
            with self._zip.open(part) as fh:
                scan.xml = fh.read(scan.verbatim_end) + scan.closing
        elif scan.cut:
            with self._zip.open(part) as fh:
                scan = _walk_sheet(fh, self.limits, emit=True)
        return scan

    def _cut_book(self, name: str, xml: bytes) -> Any:
        """A one-sheet copy of the workbook holding the cut sheet, opened with calamine."""
        assert self._zip is not None
        part = self._parts[name]
        data = io.BytesIO()
        with zipfile.ZipFile(data, "w", zipfile.ZIP_STORED) as out:
            for shared in self._shared:
                out.writestr(shared, self._zip.read(shared))
            out.writestr(str(part), xml)
        data.seek(0)
        return calamine.CalamineWorkbook.from_filelike(data)

    def grid(self, name: str) -> Grid:
        """Read one sheet (once), bounded by the row and column limits."""
        cached = self._grids.get(name)
        if cached is not None:
            return cached
        limits = self.limits
        scan = _SheetScan()
        cut_book = None
        try:
            if self._zip is not None:
                scan = self._scan(name)
            if scan.xml is not None:
                cut_book = self._cut_book(name, scan.xml)
                scan.xml = None
                sheet = cut_book.get_sheet_by_name(name)
            else:
                sheet = self._book.get_sheet_by_name(name)
            start = sheet.start
            rows = sheet.to_python(nrows=limits.max_rows + 1)
            merged = list(sheet.merged_cell_ranges or ())
            del sheet
        except _BadSheet as exc:
            self._check_unchanged()
            raise UnreadableFileError(
                str(self.path), f"sheet '{name}': damaged sheet XML ({exc})"
            ) from None
        except zipfile.BadZipFile as exc:
            self._check_unchanged()
            raise UnreadableFileError(
                str(self.path), f"sheet '{name}': damaged workbook archive ({exc})"
            ) from None
        except BaseException as exc:  # calamine's own errors, and its panics
            if not isinstance(exc, Exception) and not _is_panic(exc):
                raise
            self._check_unchanged()
            raise UnreadableFileError(str(self.path), f"sheet '{name}': {_reason(exc)}") from None
        finally:
            if cut_book is not None:
                with contextlib.suppress(Exception):
                    cut_book.close()
        self._check_unchanged()
        top, left = start if start is not None else (0, 0)
        truncated_rows = scan.truncated_rows or len(rows) > limits.max_rows
        if len(rows) > limits.max_rows:
            rows = rows[: limits.max_rows]
        truncated_cols = scan.truncated_cols or (bool(rows) and len(rows[0]) > limits.max_columns)
        if rows and len(rows[0]) > limits.max_columns:
            rows = [r[: limits.max_columns] for r in rows]
        if scan.uncalculated:
            rows, top, left = _cover(rows, top, left, scan.uncalculated)
        grid = Grid(
            name,
            rows,
            top,
            left,
            truncated_rows,
            truncated_cols,
            name in self._hidden,
            frozenset(scan.uncalculated),
        )
        self._grids[name] = grid
        self._merged[name] = merged
        return grid

    def merged_ranges(self, name: str) -> Sequence[tuple[tuple[int, int], tuple[int, int]]]:
        """Merged cell ranges of a sheet as ((row, col), (row, col)), 0-based, where known."""
        try:
            self.grid(name)
        except UnreadableFileError:
            return ()
        return self._merged.get(name, [])

    def close(self) -> None:
        """Release the file."""
        book = getattr(self, "_book", None)
        if book is not None:
            with contextlib.suppress(Exception):
                book.close()
        for handle in (self._zip, self._handle):
            if handle is not None:
                with contextlib.suppress(Exception):
                    handle.close()
        self._zip = None
        self._handle = None

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
