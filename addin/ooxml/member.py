"""Read one part of an open zip archive as :meth:`zipfile.ZipFile.open` would, at less cost.

Every tracker is checked part by part before anything parses it: the safety scan reads
the head of each of its ~30 parts (:mod:`addin.ooxml.xmlsafety`), the sheet scan each
sheet whole (:mod:`addin.ooxml.sheetscan`). Through ``ZipFile.open`` a part costs a
file-like object with a shared, locked handle that seeks and tells around every read:
the safety scan took 1.24 ms a tracker, more than its inflating. :func:`open_part` reads
the part's local header and its deflated bytes from the archive's file itself and
inflates them with the same ``zlib`` calls on the same chunks (0.76 ms); their CRC is
zlib's function, summed by ISA-L where installed (:func:`addin.core.deflate.crc32`).
When the reader opens a workbook, the safety scan reads each part's bytes whole, as stored
(:func:`stored_part`), and its head from them: the parser's copy
(:mod:`addin.ooxml.lean_copy`) takes the same bytes, so each part is read from the file,
and its local header checked, once.

What is read, and every refusal, is the same as through ``ZipFile.open``: the local header
is checked the same way (its signature, its name against the directory's) with the same
errors; the bytes are cut at the directory's size; the CRC is checked when the end is
reached. Anything out of the ordinary (encrypted, compressed otherwise than stored or
deflated, an archive open for writing) goes through ``ZipFile.open`` itself.

A :class:`Part` seeks to its own place before each read, so several may be read in turn;
as with the rest of the reader, one thread reads an archive.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from types import TracebackType
from typing import IO, Protocol

from addin.core.deflate import crc32

#: A local file header (APPNOTE 4.3.7): signature, versions, flags, method, time, date, CRC,
#: sizes, and the lengths of the name and of the extra field that follow it.
LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
LOCAL_SIGNATURE = b"PK\x03\x04"
_FLAGS, _TIME, _DATE, _NAME_LENGTH, _EXTRA_LENGTH = 3, 5, 6, 10, 11
#: Flags that ``ZipFile.open`` treats specially: encrypted (0), patched (5), strong (6).
_SPECIAL = 0x1 | 0x20 | 0x40
#: The flag of a name spelled in UTF-8.
UTF8_NAME = 0x800
#: ``ZipExtFile``'s sizes: the least it reads or inflates at once, the most per step.
_MIN_READ = 4096
_MAX_N = (1 << 31) - 1


class Readable(Protocol):
    """What the scans read a part through: a ``Part`` or ``ZipFile.open``'s file."""

    def __enter__(self) -> Readable: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def read(self, n: int = -1, /) -> bytes:
        """Up to ``n`` bytes (all that is left when ``n`` < 0)."""
        ...

    def close(self) -> None:
        """Done reading."""
        ...


class Part:
    """A deflated or stored part of an archive, read as ``ZipExtFile`` reads it."""

    def __init__(self, fp: IO[bytes], info: zipfile.ZipInfo, start: int) -> None:
        """Read ``info``'s bytes, which start at ``start`` in ``fp`` (past the local header)."""
        self._fp = fp
        self._info = info
        self._pos = start
        self._left = info.file_size
        self._compress_left = info.compress_size
        deflated = info.compress_type == zipfile.ZIP_DEFLATED
        self._inflater = zlib.decompressobj(-15) if deflated else None
        self._crc = 0
        self._eof = False
        self._buffer = b""

    def __enter__(self) -> Part:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Nothing to release: the archive owns the file."""
        self._buffer = b""

    def read(self, n: int = -1, /) -> bytes:
        """Up to ``n`` bytes of the part (all that is left when ``n`` < 0)."""
        buf, self._buffer = self._buffer, b""
        if n < 0:
            while not self._eof:
                buf += self._read1(_MAX_N)
            return buf
        if n <= len(buf):
            self._buffer = buf[n:]
            return buf[:n]
        n -= len(buf)
        while n > 0 and not self._eof:
            data = self._read1(n)
            if n < len(data):
                self._buffer = data[n:]
                return buf + data[:n]
            buf += data
            n -= len(data)
        return buf

    def _read1(self, n: int) -> bytes:
        inflater = self._inflater
        if inflater is not None:
            data = inflater.unconsumed_tail
            if n > len(data):
                data += self._read2(n - len(data))
            data = inflater.decompress(data, max(n, _MIN_READ))
            self._eof = inflater.eof or (self._compress_left <= 0 and not inflater.unconsumed_tail)
            if self._eof:
                data += inflater.flush()
        else:
            data = self._read2(n)
            self._eof = self._compress_left <= 0
        data = data[: self._left]
        self._left -= len(data)
        if self._left <= 0:
            self._eof = True
        self._crc = crc32(data, self._crc)
        if self._eof and self._crc != self._info.CRC:
            raise zipfile.BadZipFile(f"Bad CRC-32 for file {self._info.filename!r}")
        return data

    def _read2(self, n: int) -> bytes:
        if self._compress_left <= 0:
            return b""
        n = min(max(n, _MIN_READ), self._compress_left)
        self._fp.seek(self._pos)
        data = self._fp.read(n)
        self._pos += len(data)
        self._compress_left -= len(data)
        if not data:
            raise EOFError
        return data


def ordinary(info: zipfile.ZipInfo) -> bool:
    """Whether a part is one :func:`open_part` reads itself (else ``ZipFile.open`` does)."""
    return not info.flag_bits & _SPECIAL and info.compress_type in (
        zipfile.ZIP_STORED,
        zipfile.ZIP_DEFLATED,
    )


@dataclass(frozen=True)
class LocalHeader:
    """What a part's local header says, checked as ``ZipFile.open`` checks it.

    Attributes:
        start: Where the part's bytes start in the archive's file.
        name: The part's name as the header spells it.
        time: Its DOS time, as the header has it.
        date: Its DOS date.
    """

    start: int
    name: bytes
    time: int
    date: int


def local_header(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> LocalHeader:
    """Read and check ``info``'s local header in ``zf``'s file (raises ``BadZipFile``)."""
    fp = zf.fp
    assert fp is not None
    fp.seek(info.header_offset)
    header = fp.read(LOCAL_HEADER.size)
    if len(header) != LOCAL_HEADER.size:
        raise zipfile.BadZipFile("Truncated file header")
    fields = LOCAL_HEADER.unpack(header)
    if fields[0] != LOCAL_SIGNATURE:
        raise zipfile.BadZipFile("Bad magic number for file header")
    raw_name = fp.read(fields[_NAME_LENGTH])
    if fields[_FLAGS] & UTF8_NAME:
        name = raw_name.decode("utf-8")
    else:
        # The encoding a caller gave ZipFile for names without the flag (typeshed lacks it).
        name = raw_name.decode(getattr(zf, "metadata_encoding", None) or "cp437")
    if name != info.orig_filename:
        raise zipfile.BadZipFile(
            f"File name in directory {info.orig_filename!r} and header {raw_name!r} differ."
        )
    start = info.header_offset + LOCAL_HEADER.size + fields[_NAME_LENGTH] + fields[_EXTRA_LENGTH]
    return LocalHeader(start, raw_name, fields[_TIME], fields[_DATE])


def open_part(zf: zipfile.ZipFile, part: str | zipfile.ZipInfo) -> Readable:
    """``zf.open(part)`` for reading, the same bytes and errors at less cost (see above)."""
    info = part if isinstance(part, zipfile.ZipInfo) else zf.getinfo(part)
    fp = zf.fp
    if fp is None or zf.mode != "r" or not ordinary(info):
        return zf.open(info)
    start = local_header(zf, info).start
    # Where zipfile knows where the next part starts (newer Pythons), it refuses a part
    # that overlaps it (a zip bomb): let it say so.
    end = getattr(info, "_end_offset", None)
    if end is not None and start + info.compress_size > end:
        return zf.open(info)
    return Part(fp, info, start)


#: The largest size or offset a part may have to be read as stored (no zip64 fields).
_MAX_32 = 0xFFFFFFFF


@dataclass(frozen=True)
class StoredPart:
    """A part's bytes as the archive stores them (deflated or not), read once.

    The safety scan reads each part's head through it and the parser's copy
    (:mod:`addin.ooxml.lean_copy`) takes the same bytes: each part is read from the file
    once, past a local header checked once.

    Attributes:
        info: The part's entry in the directory.
        header: Its local header, checked as :func:`open_part` checks it.
        raw: Its bytes as stored: ``info.compress_size`` of them.
    """

    info: zipfile.ZipInfo
    header: LocalHeader
    raw: bytes

    def open(self) -> Part:
        """The part read from :attr:`raw`: the bytes, checks and errors of :func:`open_part`."""
        return Part(io.BytesIO(self.raw), self.info, 0)


def stored_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> StoredPart | None:
    """``info``'s part as the archive stores it, read once; raises as :func:`open_part` does.

    None where :func:`open_part` would not read the part itself (not :func:`ordinary`, an
    archive not open for reading, sizes or offsets that need zip64) or where the file holds
    fewer bytes than the directory says: reading it through :func:`open_part` then gives
    the errors it always gave. A local header that does not agree with the directory
    raises ``BadZipFile``, as :func:`open_part` does.
    """
    fp = zf.fp
    if fp is None or zf.mode != "r" or not ordinary(info):
        return None
    if max(info.file_size, info.compress_size, info.header_offset) >= _MAX_32:
        return None
    header = local_header(zf, info)
    end = getattr(info, "_end_offset", None)  # see open_part: zipfile refuses the overlap
    if end is not None and header.start + info.compress_size > end:
        return None
    fp.seek(header.start)
    raw = fp.read(info.compress_size)
    if len(raw) != info.compress_size:
        return None
    return StoredPart(info, header, raw)


def stored_or_none(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> StoredPart | None:
    """:func:`stored_part`, or None where it raises.

    The part is then read from the file, whose reader says what is wrong (the safety
    scan) or reads it as ever (the copy).
    """
    try:
        return stored_part(zf, info)
    except (zipfile.BadZipFile, UnicodeDecodeError, OSError, EOFError, ValueError):
        return None


def read_part(zf: zipfile.ZipFile, name: str) -> bytes:
    """``zf.read(name)``: the whole part, its CRC checked (see :func:`open_part`)."""
    with open_part(zf, name) as fh:
        return fh.read()
