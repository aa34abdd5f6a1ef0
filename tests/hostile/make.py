"""Build hostile and broken workbooks at test time, small on disk however large they claim to be.

Each builder writes one file (or folder, or link) and returns its path. Big parts are
streamed into the zip in chunks, never held whole in memory, so a 1,048,576-row sheet
or a 200 MB zip bomb costs a few MB of disk and a few seconds to make.
"""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl

from addin.core.cells import column_letter
from addin.core.kinds import Task, kind
from addin.core.tracker import replace
from addin.outputs.template import template_fields
from tests.builders import base_project, base_tasks, base_tracker, write

Content = bytes | Callable[[], Iterable[bytes]]

NS = (
    'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


# --- plumbing ---------------------------------------------------------------------------------


def zip_parts(
    path: Path,
    parts: Mapping[str, Content],
    *,
    level: int = 6,
    stored: Iterable[str] = (),
    zip64: bool = False,
) -> Path:
    """Write a zip whose parts are bytes or chunk generators (streamed, never held whole).

    ``zip64`` is needed for a streamed part that expands past 2 GB.
    """
    keep = set(stored)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, content in parts.items():
            method = zipfile.ZIP_STORED if name in keep else zipfile.ZIP_DEFLATED
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 20, 9, 0, 0))
            info.compress_type = method
            if isinstance(content, bytes):
                zf.writestr(info, content, compresslevel=level)
            else:
                with zf.open(info, "w", force_zip64=zip64) as out:
                    for chunk in content():
                        out.write(chunk)
    return path


def parts_of(path: Path) -> dict[str, Content]:
    """Every part of a zip, as bytes, in archive order."""
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def sheet_part(path: Path, sheet: str) -> str:
    """The zip part holding a sheet (by its name), as the workbook's relationships say."""
    with zipfile.ZipFile(path) as zf:
        book = ET.fromstring(zf.read("xl/workbook.xml"))
        rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{{{_PKG}}}Relationship")}
    for el in book.iter():
        if el.tag.endswith("}sheet") and el.get("name") == sheet:
            return "xl/" + targets[el.get(f"{{{_REL}}}id")].lstrip("/").removeprefix("xl/")
    raise KeyError(sheet)


def with_part(src: Path, out: Path, part: str, content: Content, *, level: int = 6) -> Path:
    """Copy a workbook, replacing (or adding) one part."""
    parts = parts_of(src)
    parts[part] = content
    return zip_parts(out, parts, level=level)


def minimal_book(
    path: Path,
    sheet_xml: Content,
    *,
    workbook_xml: bytes | None = None,
    shared_strings: bytes | None = None,
    level: int = 6,
    zip64: bool = False,
) -> Path:
    """A one-sheet workbook ("Sheet1") from raw parts: what any tool could write."""
    types = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package'
        b'.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sheet.main+xml"/>'
        b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        b'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    )
    root_rels = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    book_rels = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        + (
            b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            if shared_strings is not None
            else b""
        )
        + b"</Relationships>"
    )
    book = workbook_xml or (
        b'<?xml version="1.0" encoding="UTF-8"?><workbook ' + NS.encode() + b"><sheets>"
        b'<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    parts: dict[str, Content] = {
        "[Content_Types].xml": types,
        "_rels/.rels": root_rels,
        "xl/workbook.xml": book,
        "xl/_rels/workbook.xml.rels": book_rels,
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    if shared_strings is not None:
        parts["xl/sharedStrings.xml"] = shared_strings
    return zip_parts(path, parts, level=level, zip64=zip64)


def sheet_xml(rows: bytes, *, prolog: bytes = b'<?xml version="1.0" encoding="UTF-8"?>') -> bytes:
    """A worksheet part around some ``<row>`` elements."""
    return (
        prolog + b"<worksheet " + NS.encode() + b"><sheetData>" + rows + b"</sheetData></worksheet>"
    )


def _chunks(
    head: bytes, rows: Iterator[bytes], tail: bytes, size: int = 1 << 20
) -> Iterator[bytes]:
    yield head
    buf: list[bytes] = []
    n = 0
    for row in rows:
        buf.append(row)
        n += len(row)
        if n >= size:
            yield b"".join(buf)
            buf, n = [], 0
    yield b"".join(buf)
    yield tail


# --- good trackers -----------------------------------------------------------------------------


def good(path: Path, project_id: str, **changes: object) -> Path:
    """A complete, valid tracker (tests/builders.py) with its own Project ID."""
    return write(path, base_tracker(project=base_project(project_id=project_id), **changes))


def tracker_with_tasks_rows(
    path: Path, project_id: str, rows: Callable[[bytes], Iterator[bytes]], *, level: int = 1
) -> Path:
    """A good tracker whose Tasks rows (after the header) are replaced by ``rows``.

    ``rows(template)`` gets a row template (see :func:`_task_row`) and yields the new rows' XML.
    """
    base = good(path.with_name(f".base-{path.name}"), project_id)
    part = sheet_part(base, "Tasks")
    xml = parts_of(base)[part]
    assert isinstance(xml, bytes)
    start = xml.index(b"<sheetData>") + len(b"<sheetData>")
    header_end = xml.index(b"</row>", start) + len(b"</row>")
    template = _task_row(xml[header_end : xml.index(b"</sheetData>")])
    head, tail = xml[:header_end], xml[xml.index(b"</sheetData>") :]
    out = with_part(base, path, part, lambda: _chunks(head, rows(template), tail), level=level)
    base.unlink()
    return out


#: The base tracker's task used as the template of generated rows (T-003: Not Started, so it
#: needs no owner, actual dates or % complete), and the cells kept from it: Task ID (made
#: unique), Task Name, Planned Start, Planned Finish and Status.
_TEMPLATE_ROW = 4
_KEEP = (b"A", b"C", b"E", b"F", b"J")


def _task_row(rows: bytes) -> bytes:
    """A compact task row with a NUL where its row number goes, from the tracker's own XML."""
    m = re.search(rb'<row r="%d"[^>]*>(.*?)</row>' % _TEMPLATE_ROW, rows, re.S)
    assert m is not None
    cells = []
    cell = rb'<c r="([A-Z]+)%d"([^>]*?)(?:/>|>(.*?)</c>)' % _TEMPLATE_ROW
    for c in re.finditer(cell, m[1], re.S):
        if c[1] == b"A":
            cells.append(b'<c r="A\x00" t="inlineStr"><is><t>T-\x00</t></is></c>')
        elif c[1] in _KEEP and c[3]:
            cells.append(b'<c r="%s\x00"%s>%s</c>' % (c[1], c[2], c[3]))
    return b'<row r="\x00">' + b"".join(cells) + b"</row>"


# --- the hostile files -------------------------------------------------------------------------


def empty(path: Path) -> Path:
    """0 bytes: an interrupted save or upload."""
    path.write_bytes(b"")
    return path


def truncated(path: Path) -> Path:
    """The first 60 % of a good tracker: a half-synced upload."""
    good(path, "PRJ-0199")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 6 // 10])
    return path


def not_a_zip(path: Path) -> Path:
    """Binary junk under an Excel name (a PNG image)."""
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    return path


def zip_bomb(path: Path, megabytes: int = 200) -> Path:
    """A workbook whose sheet part expands ~1,000x: ``megabytes`` MB of blanks between rows."""
    blank = b" " * (1 << 20)

    def chunks() -> Iterator[bytes]:
        yield b'<?xml version="1.0" encoding="UTF-8"?><worksheet ' + NS.encode() + b"><sheetData>"
        yield b'<row r="1"><c r="A1" t="inlineStr"><is><t>boom</t></is></c></row>'
        for _ in range(megabytes):
            yield blank
        yield b"</sheetData></worksheet>"

    return minimal_book(path, chunks, level=9, zip64=megabytes >= 2048)


def _patch_sizes(data: bytes, part: str, size: int) -> bytes:
    """Make a zip's local and central headers declare ``size`` bytes for ``part``."""
    buf = bytearray(data)
    name = part.encode()
    at = 0
    while True:  # local file headers
        at = buf.find(b"PK\x03\x04", at)
        if at < 0:
            break
        n = struct.unpack_from("<H", buf, at + 26)[0]
        if bytes(buf[at + 30 : at + 30 + n]) == name:
            struct.pack_into("<I", buf, at + 22, size)
        at += 4
    at = 0
    while True:  # central directory entries
        at = buf.find(b"PK\x01\x02", at)
        if at < 0:
            break
        n = struct.unpack_from("<H", buf, at + 28)[0]
        if bytes(buf[at + 46 : at + 46 + n]) == name:
            struct.pack_into("<I", buf, at + 24, size)
        at += 4
    return bytes(buf)


def lying_zip_bomb(path: Path, megabytes: int = 50) -> Path:
    """A zip bomb whose headers claim the sheet part is 1,000 bytes (it is ``megabytes`` MB)."""
    zip_bomb(path, megabytes)
    path.write_bytes(_patch_sizes(path.read_bytes(), "xl/worksheets/sheet1.xml", 1000))
    return path


LAUGHS = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%s;" % (b"" if i == 1 else b"%d" % (i - 1))) * 10)
        for i in range(1, 10)
    )
    + b"]>"
)
XXE = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
)


def laughs_in_sheet(path: Path) -> Path:
    """Billion laughs: a sheet whose cell expands to 10^9 "lol"s if entities were expanded."""
    rows = b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    return minimal_book(path, sheet_xml(rows, prolog=LAUGHS))


def laughs_in_shared_strings(path: Path) -> Path:
    """Billion laughs in the shared strings, which every text cell points into."""
    rows = b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    strings = LAUGHS + b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    strings += b"<si><t>&lol9;</t></si></sst>"
    return minimal_book(path, sheet_xml(rows), shared_strings=strings)


def xxe_in_sheet(path: Path) -> Path:
    """External entity: a cell that would hold /etc/passwd if entities were resolved."""
    rows = b'<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>'
    return minimal_book(path, sheet_xml(rows, prolog=XXE))


def xxe_in_workbook(path: Path) -> Path:
    """External entity in workbook.xml: a sheet *name* that would hold /etc/passwd."""
    book = XXE + (
        b"<workbook " + NS.encode() + b'><sheets><sheet name="&xxe;" sheetId="1" r:id="rId1"/>'
        b"</sheets></workbook>"
    )
    rows = b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
    return minimal_book(path, sheet_xml(rows), workbook_xml=book)


def dtd_in_part(path: Path, part: str, prolog: bytes = LAUGHS) -> Path:
    """A one-sheet workbook whose ``part`` (relationships, content types ...) declares a DTD."""
    rows = b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
    minimal_book(path, sheet_xml(rows))
    parts = parts_of(path)
    body = parts[part]
    assert isinstance(body, bytes)
    parts[part] = prolog + re.sub(rb"^<\?xml[^>]*\?>", b"", body)
    return zip_parts(path, parts)


def laughs_behind_comments(path: Path) -> Path:
    """A DTD hidden behind 100 KB of XML comments, past a naive peek at the part's head."""
    prolog = b'<?xml version="1.0" encoding="UTF-8"?>' + b"<!--" + b"x" * 100_000 + b"-->"
    prolog += LAUGHS.split(b"\n", 1)[1]
    rows = b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    return minimal_book(path, sheet_xml(rows, prolog=prolog))


def laughs_in_utf16(path: Path) -> Path:
    """A billion-laughs sheet part encoded as UTF-16 (with its byte-order mark)."""
    rows = b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    text = sheet_xml(rows, prolog=LAUGHS.replace(b"UTF-8", b"UTF-16")).decode()
    return minimal_book(path, text.encode("utf-16"))


def encrypted(path: Path) -> Path:
    """A password-protected workbook (Excel's "Encrypt with Password": an OLE container)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = good(path.with_name(f".plain-{path.name}"), "PRJ-0198")
    out = io.BytesIO()
    with plain.open("rb") as fh:
        OOXMLFile(fh).encrypt("secret", out)
    plain.unlink()
    path.write_bytes(out.getvalue())
    return path


def zip_entries(data: bytes) -> list[tuple[int, bytes]]:
    """(offset, name) of each central directory entry of a zip archive, in order."""
    (at,) = struct.unpack_from("<L", data, data.rindex(b"PK\x05\x06") + 16)
    out = []
    while data[at : at + 4] == b"PK\x01\x02":
        n, m, k = struct.unpack_from("<3H", data, at + 28)
        out.append((at, data[at + 46 : at + 46 + n]))
        at += 46 + n + m + k
    return out


def zip_entry(data: bytes, part: str) -> tuple[int, int, int, int]:
    """Where a part stands: its directory entry, local header, bytes, and their length."""
    at = next(at for at, name in zip_entries(data) if name == part.encode())
    (size,) = struct.unpack_from("<L", data, at + 20)
    (local,) = struct.unpack_from("<L", data, at + 42)
    start = local + 30 + sum(struct.unpack_from("<2H", data, local + 26))
    return at, local, start, size


def zip_encrypted(path: Path) -> Path:
    """A workbook whose Tasks sheet's zip entry says it is encrypted (zip's own password,
    which Excel never writes: its flag set in the directory and in the local header)."""
    good(path, "PRJ-0197")
    data = bytearray(path.read_bytes())
    central, local, _, _ = zip_entry(bytes(data), sheet_part(path, "Tasks"))
    for flags in (central + 8, local + 6):
        (bits,) = struct.unpack_from("<H", data, flags)
        struct.pack_into("<H", data, flags, bits | 0x1)
    path.write_bytes(bytes(data))
    return path


def garbled_deflate(
    path: Path, project_id: str = "PRJ-0196", at: float = 0.0, part: str = ""
) -> Path:
    """A workbook whose Tasks sheet's (or ``part``'s) deflated bytes are garbled (a bad disk
    or a broken transfer) from ``at`` (a fraction of them) on; its sizes and name as the
    directory says. At 0 the safety scan's peek at the part's head meets the damage; past
    its first kilobytes only reading the whole part does."""
    good(path, project_id)
    return garble(path, part or sheet_part(path, "Tasks"), at)


def garble(path: Path, part: str, at: float, fill: bytes = b"\xff") -> Path:
    """``path`` with 64 bytes of ``part``'s stored bytes made ``fill``, ``at`` (a fraction) in."""
    data = bytearray(path.read_bytes())
    _, _, start, size = zip_entry(bytes(data), part)
    first = start + int(size * at)
    data[first : first + 64] = fill * 64
    path.write_bytes(bytes(data))
    return path


def entry_crc(payload: bytes, prepared: bytes | None) -> int:
    """A cache entry's CRC-32 as ``pmo`` stores it beside the entry (:mod:`addin.engine.cache`):
    what anyone who edits the cache file on purpose can compute too."""
    return zlib.crc32(prepared or b"", zlib.crc32(payload))


def edited_sheet(path: Path, project_id: str, sheet: str, pattern: bytes, repl: bytes) -> Path:
    """A good tracker whose ``sheet`` XML has its first match of ``pattern`` (a regular
    expression) replaced by ``repl``: a cell Excel would never write, in a whole archive."""
    good(path, project_id)
    part = sheet_part(path, sheet)
    xml = parts_of(path)[part]
    assert isinstance(xml, bytes)
    edited, count = re.subn(pattern, repl, xml, count=1)
    assert count == 1
    return with_part(path, path.with_suffix(".tmp"), part, edited).replace(path)


def part_past_the_end(path: Path) -> Path:
    """A workbook whose Tasks sheet's local header says an extra field of 65,535 bytes
    follows it: the sheet's bytes would start, and run, past the end of the file."""
    good(path, "PRJ-0191")
    data = bytearray(path.read_bytes())
    _, local, _, _ = zip_entry(bytes(data), sheet_part(path, "Tasks"))
    struct.pack_into("<H", data, local + 28, 0xFFFF)
    path.write_bytes(bytes(data))
    return path


def sheet_crc(path: Path) -> Path:
    """A workbook whose Tasks sheet's CRC-32 in the directory is wrong: the sheet inflates,
    and fails its checksum at its end, past the safety scan's peek at its head."""
    good(path, "PRJ-0194")
    return part_crc(path, sheet_part(path, "Tasks"))


def part_crc(path: Path, part: str) -> Path:
    """``path`` with ``part``'s CRC-32 in the directory made wrong (its bytes unchanged)."""
    data = bytearray(path.read_bytes())
    central, _, _, _ = zip_entry(bytes(data), part)
    (crc,) = struct.unpack_from("<L", data, central + 16)
    struct.pack_into("<L", data, central + 16, crc ^ 1)
    path.write_bytes(bytes(data))
    return path


def ole_renamed(path: Path, stream: str) -> Path:
    """A real legacy .xls (the corpus' Gantt planner) whose Workbook stream is named
    ``stream`` in its directory: a damaged .xls, or another Office file's layout."""
    from tests.conftest import CORPUS

    data = bytearray((CORPUS / "gantt-project-planner_periods.xls").read_bytes())
    at = bytes(data).index("Workbook".encode("utf-16-le"))  # its directory entry's name
    name = stream.encode("utf-16-le") + b"\0\0"
    data[at : at + 64] = name.ljust(64, b"\0")
    struct.pack_into("<H", data, at + 64, len(name))
    path.write_bytes(bytes(data))
    return path


def xlsb(path: Path) -> Path:
    """A binary workbook (.xlsb) renamed to .xlsx."""
    return zip_parts(
        path,
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.'
            b'openxmlformats.org/package/2006/content-types"><Override PartName="/xl/'
            b'workbook.bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.'
            b'main"/></Types>',
            "_rels/.rels": b"<Relationships/>",
            "xl/workbook.bin": b"\x83\x01\x00\x80\x01\x00" * 10,
            "xl/worksheets/sheet1.bin": b"\x81\x01\x00" * 10,
        },
    )


def ods(path: Path) -> Path:
    """An OpenDocument spreadsheet (LibreOffice's own format) renamed to .xlsx."""
    content = (
        b'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        b'<office:spreadsheet><table:table table:name="Tasks"><table:table-row><table:table-cell>'
        b"<text:p>Task ID</text:p></table:table-cell></table:table-row></table:table>"
        b"</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
        b'names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" '
        b'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        b'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        b"</manifest:manifest>"
    )
    return zip_parts(
        path,
        {
            "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
            "content.xml": content,
            "META-INF/manifest.xml": manifest,
        },
        stored=["mimetype"],
    )


def csv(path: Path) -> Path:
    """A CSV export renamed to .xlsx."""
    path.write_text("Project ID,Project Name,Status Date\nPRJ-0197,Payroll,2026-11-16\n")
    return path


def html(path: Path) -> Path:
    """An HTML table saved with an Excel name (what many web exports do)."""
    path.write_text("<html><body><table><tr><td>Project ID</td></tr></table></body></html>")
    return path


def folder(path: Path) -> Path:
    """A folder named like a workbook."""
    path.mkdir()
    (path / "inside.txt").write_text("a folder, not a workbook")
    return path


def unreadable(path: Path, project_id: str) -> Path:
    """A good tracker nobody may read (mode 000; root reads it anyway)."""
    good(path, project_id)
    path.chmod(0)
    return path


def million_rows(path: Path, project_id: str, rows: int = 1_048_576) -> Path:
    """A tracker whose Tasks sheet is filled to Excel's last row (1,048,576) with whole tasks."""

    def make(row: bytes) -> Iterator[bytes]:
        for n in range(2, rows + 1):
            yield row.replace(b"\x00", b"%d" % n)

    return tracker_with_tasks_rows(path, project_id, make)


def far_cell(path: Path, project_id: str) -> Path:
    """A good tracker with one stray value in the last cell of the Tasks sheet, XFD1048576."""

    def make(row: bytes) -> Iterator[bytes]:
        yield from (row.replace(b"\x00", b"%d" % n) for n in (2, 3))
        yield b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'

    return tracker_with_tasks_rows(path, project_id, make)


def wide_row(path: Path, project_id: str) -> Path:
    """A good tracker whose Tasks row 4 is filled across all 16,384 columns (A to XFD)."""

    def letters(col: int) -> bytes:
        return column_letter(col).encode("ascii")

    first = len(template_fields(kind("Tasks")))  # right of the template's own columns

    def make(row: bytes) -> Iterator[bytes]:
        yield from (row.replace(b"\x00", b"%d" % n) for n in (2, 3))
        cells = b"".join(
            b'<c r="%s4"><v>%d</v></c>' % (letters(c), c) for c in range(first, 16_384)
        )
        yield row.replace(b"\x00", b"4").replace(b"</row>", cells + b"</row>")

    return tracker_with_tasks_rows(path, project_id, make)


def long_cell(path: Path, project_id: str, chars: int = 32_767) -> Path:
    """A good tracker whose first task's Notes hold ``chars`` characters (Excel's cell limit)."""
    tasks: list[Task] = list(base_tasks())
    tasks[0] = replace(tasks[0], **{"notes": ("Note " * chars)[:chars]})
    return good(path, project_id, tasks=tasks)


def overlong_cell(path: Path, project_id: str, chars: int = 100_000) -> Path:
    """A tracker (written by some tool, not Excel) with a task name longer than Excel allows."""

    def make(row: bytes) -> Iterator[bytes]:
        text = b"N" * chars
        cell = b'<c r="C\x00" t="inlineStr"><is><t>' + text + b"</t></is></c>"
        yield re.sub(rb'<c r="C\x00"[^>]*>.*?</c>', lambda m: cell, row).replace(b"\x00", b"2")

    return tracker_with_tasks_rows(path, project_id, make)


#: Cells given a formula and no cached value by :func:`uncalculated`.
#: A row made only of formulas (Tasks row 5) must be read as a task, not skipped as blank.
UNCALCULATED_CELLS = {
    ("Project", "B7"): "=TODAY()",
    ("Tasks", "E3"): "=DATE(2026,3,2)",
    ("Tasks", "A5"): '="T-004"',
    ("Tasks", "C5"): '="Go-live"',
    ("Tasks", "E5"): "=E4+1",
    ("Tasks", "F5"): "=F4+30",
}


def uncalculated(path: Path, project_id: str) -> Path:
    """A good tracker with formulas that were never calculated (openpyxl writes no values)."""
    good(path, project_id)
    wb = openpyxl.load_workbook(path)
    for (sheet, ref), formula in UNCALCULATED_CELLS.items():
        wb[sheet][ref] = formula
    wb.save(path)
    return path


def non_utf8_name(folder_path: Path, project_id: str) -> Path:
    """A good tracker whose file name is not valid UTF-8 (Latin-1 ``café``, from an old share)."""
    raw = os.fsencode(folder_path) + b"/caf\xe9.xlsx"
    data = good(folder_path / ".utf8.tmp.xlsx", project_id)
    body = data.read_bytes()
    data.unlink()
    fd = os.open(raw, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, body)
    finally:
        os.close(fd)
    return Path(os.fsdecode(raw))


def long_name(folder_path: Path, project_id: str) -> Path:
    """A good tracker whose file name is 255 bytes long, the most most file systems allow."""
    return good(folder_path / ("L" * 250 + ".xlsx"), project_id)
