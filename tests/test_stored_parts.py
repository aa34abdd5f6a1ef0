"""Each part of a workbook is read from its file once, for the safety scan and the copy.

The safety scan reads every part's head; the parser's copy (:mod:`addin.ooxml.lean_copy`)
takes every part's bytes as stored. Both now take the same bytes, read once past a local
header checked once (:func:`~addin.ooxml.member.stored_part`), and the scan reads each
head from memory. Whatever cannot be read so is read from the file as before, so every
verdict and every reason stays what it was: each case below compares the scan that hands
parts over with the scan that never reads a part whole (``keep_open=False``).
"""

from __future__ import annotations

import io
import shutil
import struct
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

import addin.ooxml.member as member
import addin.read.sniffing as sniffing
from addin.core.errors import UnreadableFileError
from addin.core.settings import Settings
from addin.ooxml.lean_copy import lean_copy
from addin.ooxml.parts import workbook_parts
from addin.ooxml.xmlsafety import xml_part_reason
from addin.read.source import Workbook
from tests.builders import write
from tests.conftest import SAMPLES
from tests.hostile import make

LIMITS = Settings().limits
SAMPLE = min(SAMPLES.glob("*.xlsx"))


def _sheets(zf: zipfile.ZipFile) -> set[str]:
    return {p for p in workbook_parts(zf)[0].values() if p}


def test_the_scan_hands_over_every_part_as_the_file_stores_it() -> None:
    sniffed = sniffing.sniff(SAMPLE, LIMITS, keep_open=True)
    zf = sniffed.archive
    assert zf is not None and sniffed.parts is not None
    try:
        infos = zf.infolist()
        assert [p.info for p in sniffed.parts] == infos
        data = SAMPLE.read_bytes()
        for part in sniffed.parts:
            assert part.raw == data[part.header.start : part.header.start + part.info.compress_size]
            with part.open() as fh:
                assert fh.read() == zf.read(part.info)
        handed = lean_copy(zf, _sheets(zf), sniffed.parts)
        read = lean_copy(zf, _sheets(zf))
        assert handed is not None and read is not None
        assert handed.data == read.data and handed.sheets == read.sheets
    finally:
        zf.close()


def test_parts_that_are_not_the_archive_s_are_not_taken() -> None:
    """Parts of another archive, or not all of them, and the copy reads its file."""
    other = sniffing.sniff(SAMPLE, LIMITS, keep_open=True)
    path = max(SAMPLES.glob("*.xlsx"))
    assert other.archive is not None and other.parts is not None and path != SAMPLE
    with zipfile.ZipFile(path) as zf:
        read = lean_copy(zf, _sheets(zf))
        for parts in (other.parts, other.parts[:-1], ()):
            copy = lean_copy(zf, _sheets(zf), parts)
            assert copy is not None and read is not None and copy.data == read.data
    other.archive.close()


def test_opening_a_workbook_reads_each_part_s_header_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: Counter[str] = Counter()
    real = member.local_header

    def counted(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> member.LocalHeader:
        reads[info.filename] += 1
        return real(zf, info)

    monkeypatch.setattr(member, "local_header", counted)
    path = write(tmp_path / "t.xlsx")
    with Workbook(path, LIMITS) as book:
        for name in book.sheet_names:
            book.grid(name)
        sheets = set(book._parts.values())
    with zipfile.ZipFile(path) as zf:
        names = {i.filename for i in zf.infolist()}
    assert set(reads) == names
    # The workbook and its relationships are parsed once more, to find the sheets.
    again = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels"}
    assert {n for n, k in reads.items() if k > 1} <= again
    assert sheets and all(reads[s] == 1 for s in sheets)


# --- what is not read as stored is read from the file, with the same verdict -------------


def _central(data: bytes, name: bytes) -> int:
    """Offset of the central directory entry of part ``name``."""
    return make.zip_entry(data, name.decode())[0]


def _local(data: bytes, name: bytes) -> int:
    return make.zip_entry(data, name.decode())[1]


def _patched(data: bytes, at: int, fmt: str, value: int) -> bytes:
    out = bytearray(data)
    struct.pack_into(fmt, out, at, value)
    return bytes(out)


def _with(path: Path, name: str, body: bytes, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    with zipfile.ZipFile(path, "a", method) as zf:
        zf.writestr(name, body)
    return path.read_bytes()


SHEET = b"xl/worksheets/sheet2.xml"
Damage = Callable[[Path], bytes]


def _crc(p: Path) -> bytes:
    data = p.read_bytes()
    (crc,) = struct.unpack_from("<L", data, _central(data, SHEET) + 16)
    return _patched(data, _central(data, SHEET) + 16, "<L", crc ^ 1)


def _small_crc(p: Path) -> bytes:
    data = _with(p, "xl/extra.xml", b"<x/>")
    return _patched(data, _central(data, b"xl/extra.xml") + 16, "<L", zlib.crc32(b"<x/>") ^ 1)


def _local_name(p: Path) -> bytes:
    data = p.read_bytes()
    at = _local(data, SHEET) + 30
    return data[:at] + b"X" + data[at + 1 :]


def _svg_local_name(p: Path) -> bytes:
    data = _with(p, "xl/media/image1.svg", b"<svg/>")
    at = _local(data, b"xl/media/image1.svg") + 30
    return data[:at] + b"X" + data[at + 1 :]


def _magic(p: Path) -> bytes:
    data = p.read_bytes()
    return _patched(data, _local(data, SHEET), "<L", 0x04034B51)


def _encrypted(p: Path) -> bytes:
    data = p.read_bytes()
    return _patched(data, _central(data, SHEET) + 8, "<H", 0x1)


def _method(p: Path) -> bytes:
    data = p.read_bytes()
    return _patched(data, _central(data, SHEET) + 10, "<H", 99)


def _packed_larger(p: Path) -> bytes:
    data = p.read_bytes()
    return _patched(data, _central(data, SHEET) + 20, "<L", len(data) * 2)


def _truncated(p: Path) -> bytes:
    data = p.read_bytes()
    start = _local(data, SHEET) + 30 + len(SHEET)
    (size,) = struct.unpack_from("<L", data, _central(data, SHEET) + 20)
    cut = data[: start + 20] + data[start + size :]
    # Every later offset moves back: the directory entries' and the end record's.
    shift = size - 20
    out = bytearray(cut)
    for at, _ in make.zip_entries(cut):
        (offset,) = struct.unpack_from("<L", out, at + 42)
        if offset > start:
            struct.pack_into("<L", out, at + 42, offset - shift)
    end = cut.rindex(b"PK\x05\x06")
    (directory,) = struct.unpack_from("<L", out, end + 16)
    struct.pack_into("<L", out, end + 16, directory - shift)
    return bytes(out)


def _dtd(p: Path) -> bytes:
    return _with(p, "xl/extra.xml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>')


def _dtd_stored(p: Path) -> bytes:
    body = b'<!DOCTYPE x [<!ENTITY a "b">]><x/>'
    return _with(p, "xl/extra.xml", body, zipfile.ZIP_STORED)


def _long_prolog(p: Path) -> bytes:
    return _with(p, "xl/extra.xml", b"<!--" + b"c" * 70_000 + b"--><x/>")


def _utf16_dtd(p: Path) -> bytes:
    body = '\ufeff<!DOCTYPE x [<!ENTITY a "b">]><x/>'.encode("utf-16-le")
    return _with(p, "xl/extra.xml", body)


DAMAGES: dict[str, Damage] = {
    "none": lambda p: p.read_bytes(),
    "sheet-crc": _crc,
    "small-part-crc": _small_crc,
    "local-name": _local_name,
    "svg-local-name": _svg_local_name,
    "magic": _magic,
    "encrypted": _encrypted,
    "method": _method,
    "packed-size-larger": _packed_larger,
    "truncated": _truncated,
    "dtd": _dtd,
    "dtd-stored": _dtd_stored,
    "long-prolog": _long_prolog,
    "utf16-dtd": _utf16_dtd,
}


def _verdict(path: Path, keep_open: bool) -> tuple[str | None, bool]:
    reason, kept = sniffing._zip_reason(path, LIMITS, keep_open=keep_open, size=1)
    parts = kept is not None and kept[1] is not None
    if kept is not None:
        kept[0].close()
    return reason, parts


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_the_verdict_is_the_file_s_whether_parts_are_handed_over_or_not(
    tmp_path: Path, damage: str
) -> None:
    base = write(tmp_path / "base.xlsx")
    path = tmp_path / "t.xlsx"
    copy = tmp_path / "copy.xlsx"
    shutil.copy(base, copy)
    path.write_bytes(DAMAGES[damage](copy))
    handed, parts = _verdict(path, keep_open=True)
    alone, _ = _verdict(path, keep_open=False)
    assert handed == alone
    assert (handed is not None, parts) == EXPECTED.get(damage, (True, False)), handed


#: Damages the scan passes, as it always did (what they damage is left to the copy and the
#: parser), and whether the parts are then handed over; every other damage is refused.
EXPECTED = {
    "none": (False, True),
    "sheet-crc": (False, True),  # a peek at a sheet's head does not reach its CRC
    "svg-local-name": (False, False),  # an image's header was never read: nor is it now
    "packed-size-larger": (False, False),  # its bytes run past the file: read from it
}


def test_a_part_s_head_reads_the_same_from_memory(tmp_path: Path) -> None:
    """``xml_part_reason`` with the stored bytes says what it says reading the file."""
    for damage in ("none", "dtd", "dtd-stored", "long-prolog", "utf16-dtd", "small-part-crc"):
        base = write(tmp_path / f"{damage}-base.xlsx")
        path = tmp_path / f"{damage}.xlsx"
        path.write_bytes(DAMAGES[damage](base))
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                stored = member.stored_part(zf, info)
                assert stored is not None
                try:
                    alone: object = xml_part_reason(zf, info)
                except zipfile.BadZipFile as exc:
                    alone = str(exc)
                try:
                    handed: object = xml_part_reason(zf, info, stored)
                except zipfile.BadZipFile as exc:
                    handed = str(exc)
                assert handed == alone, (damage, info.filename)


def test_stored_part_refuses_as_open_part_does() -> None:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.xml", b"<a/>" * 100)
        zf.writestr("b.xml", b"<b/>" * 100)
    raw = data.getvalue()
    bad = raw[:30] + b"X" + raw[31:]  # a.xml's local header names another part
    with zipfile.ZipFile(io.BytesIO(bad)) as zf:
        info = zf.getinfo("a.xml")
        with pytest.raises(zipfile.BadZipFile) as ours:
            member.stored_part(zf, info)
        with pytest.raises(zipfile.BadZipFile) as theirs:
            zf.open(info)
        assert str(ours.value) == str(theirs.value)
        assert member.stored_part(zf, zf.getinfo("b.xml")) is not None
    encrypted = _patched(raw, _central(raw, b"a.xml") + 8, "<H", 0x1)
    with zipfile.ZipFile(io.BytesIO(encrypted)) as zf:
        assert member.stored_part(zf, zf.getinfo("a.xml")) is None  # zipfile says why


def test_a_file_over_the_copy_s_limit_hands_over_no_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "t.xlsx")
    size = path.stat().st_size
    monkeypatch.setattr(sniffing, "MAX_FILE", size - 1)
    sniffed = sniffing.sniff(path, LIMITS, keep_open=True)
    assert sniffed.archive is not None and sniffed.parts is None
    sniffed.archive.close()
    monkeypatch.setattr(sniffing, "MAX_FILE", size)
    sniffed = sniffing.sniff(path, LIMITS, keep_open=True)
    assert sniffed.archive is not None and sniffed.parts is not None
    sniffed.archive.close()


def test_a_refused_file_still_raises_its_reason(tmp_path: Path) -> None:
    base = write(tmp_path / "base.xlsx")
    path = tmp_path / "t.xlsx"
    path.write_bytes(_dtd(base))
    with pytest.raises(UnreadableFileError, match="DTD"):
        Workbook(path, LIMITS)


def test_a_part_zipfile_knows_overlaps_the_next_is_left_to_zipfile() -> None:
    """Where zipfile records where the next part starts (newer Pythons), a part that runs
    past it is not read as stored: ``ZipFile.open`` refuses it (a zip bomb's overlap)."""
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.xml", b"<a/>" * 100)
        zf.writestr("b.xml", b"<b/>" * 100)
    with zipfile.ZipFile(data) as zf:
        plain = zf.getinfo("a.xml")
        info = _Bounded(plain.filename)
        for slot in zipfile.ZipInfo.__slots__:
            if hasattr(plain, slot):
                setattr(info, slot, getattr(plain, slot))
        stored = member.stored_part(zf, plain)
        assert stored is not None
        info._end_offset = stored.header.start + info.compress_size
        assert member.stored_part(zf, info) is not None  # it ends where the next starts
        info._end_offset -= 1
        assert member.stored_part(zf, info) is None


class _Bounded(zipfile.ZipInfo):
    """A directory entry that knows where the next part starts, as newer Pythons' do."""

    __slots__ = ("_end_offset",)
