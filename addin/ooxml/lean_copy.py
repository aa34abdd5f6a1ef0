"""The copy of a workbook the parser reads: its sheets stored, their empty formatted tails cut.

Our template formats 200 rows of every data sheet, so a tracker holding 20 tasks still
carries some 3,000 cells such as ``<c r="B57" s="13"/>``: a style and no value. Calamine
parses each of them and keeps none (a cell with no value is not in its rectangle), and
inflates each sheet again after the sheet scan has inflated it. Reading a sample tracker
took it 2.3 ms; reading this copy of it, 0.8 ms.

:func:`lean_copy` makes the copy, in memory, for an archive of at most
:data:`MAX_FILE` bytes: every part is the same bytes, deflated as in the file, except the
sheets asked for. Those are stored (not deflated), with the rows after the last cell that
holds anything cut when they are nothing but empty rows and empty cells
(:func:`empty_tail`). The sheets' XML as read from the file is kept beside the copy, for
the sheet scan to read instead of inflating it again: the scan still sees every row of the
file, so the limits and the cells without a cached value are found as before.

Cut only what is surely nothing: a tail made of rows and self-closed cells, with plain
attributes (no entity, no ``<``), and nothing else; anything else in it (a comment, a
formula, a value, an end tag of a cell, a prefixed tag) and the sheet goes as it is. The
copy is made only where every part is ordinary (stored or deflated, not encrypted, a local
header that agrees with the directory); else :func:`lean_copy` returns None and the
workbook is read from its file, which then gives the same errors as ever.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from addin.ooxml.member import (
    LOCAL_HEADER,
    LOCAL_SIGNATURE,
    UTF8_NAME,
    StoredPart,
    stored_or_none,
)
from addin.ooxml.plain_search import Whole, whole_match

_MB = 1 << 20
#: The largest archive copied (bytes on disk); a larger one is read from its file.
MAX_FILE = 16 * _MB
#: The most sheet XML held for one workbook (a tracker holds about 0.3 MB); past it,
#: sheets stay deflated in the copy and the scan streams them from the file, reading no
#: further than the row limit.
MAX_HELD = 8 * _MB

_SPACE = rb"[ \t\r\n]"
_ATTRIBUTE = rb"""%s+[A-Za-z_][A-Za-z0-9_.:-]*%s*=%s*(?:"[^"<&]*"|'[^'<&]*')""" % ((_SPACE,) * 3)
_EMPTY_CELL = rb"<c(?:%s)*%s*/>" % (_ATTRIBUTE, _SPACE)
#: Rows holding nothing: each self-closed, or holding only self-closed cells.
EMPTY_ROWS = rb"%s*(?:<row(?:%s)*%s*(?:/>|>(?:%s*%s)*%s*</row>)%s*)*" % (
    _SPACE,
    _ATTRIBUTE,
    _SPACE,
    _SPACE,
    _EMPTY_CELL,
    _SPACE,
    _SPACE,
)
_EMPTY_ROWS: Whole = whole_match(EMPTY_ROWS)
_SHEET_DATA, _SHEET_DATA_END = b"<sheetData>", b"</sheetData>"
_CELL_END, _ROW_END = b"</c>", b"</row>"

#: A central directory entry (APPNOTE 4.3.12) and the end of the directory (4.3.16).
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_DATA_DESCRIPTOR = 0x8


def empty_tail(xml: bytes) -> tuple[int, int] | None:
    """Where a sheet's trailing rows that hold nothing start and end; None when none do.

    The rows run from after the last row holding a cell with content up to
    ``</sheetData>``, and are made only of empty rows and self-closed cells (see the
    module's notes). ``xml[:start] + xml[end:]`` is then the same sheet to a reader.
    Text in a comment or CDATA that spells a cell's or a sheet's end is never cut
    through: the span would hold the end of the comment or CDATA, which is neither.
    """
    end = xml.rfind(_SHEET_DATA_END)  # the last: not one written in a cell's text
    if end < 0:
        return None
    last = xml.rfind(_CELL_END, 0, end)
    if last >= 0:
        start = xml.find(_ROW_END, last, end)
        if start < 0:
            return None
        start += len(_ROW_END)
    else:
        start = xml.find(_SHEET_DATA, 0, end)
        if start < 0:
            return None
        start += len(_SHEET_DATA)
    if start >= end or not _EMPTY_ROWS.fullmatch(xml, start, end):
        return None
    return start, end


def without_empty_tail(xml: bytes) -> bytes:
    """``xml`` without its trailing empty rows (:func:`empty_tail`); as it is when none."""
    span = empty_tail(xml)
    return xml if span is None else xml[: span[0]] + xml[span[1] :]


@dataclass
class LeanCopy:
    """A workbook's copy for the parser, and the sheets' XML as the file holds it.

    Attributes:
        data: The copy: a zip archive in memory.
        sheets: The XML of each sheet stored in the copy, as read from the file (before its
            tail was cut), by part name.
    """

    data: bytes
    sheets: dict[str, bytes] = field(default_factory=dict)


@dataclass
class _Member:
    """One part of the copy: its bytes as the file stores them, and its XML when held."""

    part: StoredPart
    xml: bytes | None = None


def lean_copy(
    zf: zipfile.ZipFile, sheets: Collection[str], stored: Sequence[StoredPart] | None = None
) -> LeanCopy | None:
    """The copy of ``zf``'s archive with the ``sheets`` parts stored and cut (see above).

    None when the archive is not copied: too large, not open for reading from a file, or
    a part that is not ordinary. A sheet that cannot be read (a damaged deflate stream, a
    bad CRC) is copied as it is, for the parser to refuse as it always has. ``stored``:
    every part of the archive as the safety scan read it, in the directory's order
    (:attr:`~addin.read.sniffing.Sniffed.parts`); the file is read when it is not that.
    """
    fp = zf.fp
    if fp is None or zf.mode != "r":
        return None
    fp.seek(0, 2)
    if fp.tell() > MAX_FILE:
        return None
    infos = zf.infolist()
    parts: Iterable[StoredPart | None] = stored or ()
    if stored is None or not _every_part(stored, infos):
        parts = (stored_or_none(zf, info) for info in infos)  # in turn: out at the first odd one
    members: list[_Member] = []
    held: dict[str, bytes] = {}
    room = MAX_HELD
    for part in parts:
        if part is None:
            return None
        member = _Member(part)
        info = part.info
        name = info.filename
        # A name twice (sniffing refuses it): hold the part zipfile and the scan read by it.
        if name in sheets and info.file_size <= room and zf.getinfo(name) is info:
            member.xml = _inflated(part)
            if member.xml is not None:
                held[name] = member.xml
                room -= len(member.xml)
        members.append(member)
    return LeanCopy(_archive(members), held)


def _every_part(stored: Sequence[StoredPart], infos: list[zipfile.ZipInfo]) -> bool:
    """Whether ``stored`` holds each of ``infos``, in their order."""
    return len(stored) == len(infos) and all(
        part.info is info for part, info in zip(stored, infos, strict=True)
    )


def _inflated(part: StoredPart) -> bytes | None:
    """A sheet's XML, its CRC checked; None when it cannot be read (the parser will say)."""
    try:
        with part.open() as fh:
            return fh.read()
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
        return None


def _archive(members: list[_Member]) -> bytes:
    """The copy's bytes: each part as the file stores it, or its XML stored and cut."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for member in members:
        info, header = member.part.info, member.part.header
        name = header.name
        flags = info.flag_bits & ~_DATA_DESCRIPTOR
        method, crc, size, data = info.compress_type, info.CRC, info.file_size, member.part.raw
        if member.xml is not None:
            data = without_empty_tail(member.xml)
            crc = info.CRC if data is member.xml else zlib.crc32(data)
            method, size, flags = zipfile.ZIP_STORED, len(data), flags & UTF8_NAME
        version = 20 if method == zipfile.ZIP_DEFLATED else 10
        stamp = (header.time, header.date, crc, len(data), size, len(name))
        local = LOCAL_HEADER.pack(LOCAL_SIGNATURE, version, 0, flags, method, *stamp, 0)
        entry = (b"PK\x01\x02", 20, 0, version, 0, flags, method, *stamp, 0, 0, 0, 0, 0, offset)
        central.append(_CENTRAL.pack(*entry) + name)
        out += (local, name, data)
        offset += len(local) + len(name) + len(data)
    directory = b"".join(central)
    count = len(members)
    end = _END.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), offset, 0)
    return b"".join(out) + directory + end
