"""Deflated pieces that join into one zip member without being inflated again.

A portfolio's data sheet is its head (XlsxWriter's XML up to the header row), then every
tracker's rows, then its tail. Each tracker's rows are compressed in the worker that
rendered them, as a raw deflate *piece* that ends on a byte boundary without ending the
stream (``Z_SYNC_FLUSH``); pieces laid end to end, the last one finished, are one valid
deflate stream, so the sheet's member is written by copying bytes. Its CRC-32 is
combined from the pieces' own CRCs and lengths (zlib's ``crc32_combine``, which Python's
``zlib`` does not expose) and its sizes are known before the first byte is written.
Pieces are deflated and summed with ISA-L where it is installed (:mod:`addin.core.deflate`);
they join the same either way.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from addin.core import deflate
from addin.core.spill import Spilled

#: Deflate level of the pieces: 1 is several times faster than 6 on three million cells
#: for a file about a quarter larger (zlib); ISA-L's 1 is faster still, about as small.
LEVEL = 1
_POLY = 0xEDB88320  # CRC-32, reflected
_TOP = 1 << 31  # x^0 in the reflected representation


def _times_x(b: int) -> int:
    """``b * x`` modulo the polynomial."""
    return (b >> 1) ^ _POLY if b & 1 else b >> 1


def _times_x4_table() -> tuple[int, ...]:
    """``m * x^4`` for the 16 values of the last four bits (``x^28`` .. ``x^31``)."""
    out = []
    for m in range(16):
        for _ in range(4):
            m = _times_x(m)
        out.append(m)
    return tuple(out)


_X4 = _times_x4_table()


def _multiply(a: int, b: int) -> int:
    """``a * b`` modulo the CRC-32 polynomial (reflected bit order, as zlib's multmodp).

    Four bits of ``a`` at a time (Horner's rule from ``x^28``): ``b`` times each of the
    16 four-bit polynomials is made first, and ``p * x^4`` is ``(p >> 4)`` and the
    reduction of the four bits shifted out. A third of the bit-by-bit loop's time.
    """
    b1 = _times_x(b)
    b2 = _times_x(b1)
    b3 = _times_x(b2)
    # t[n]: b times the four-bit polynomial n (its bit 3 is x^0, its bit 0 is x^3)
    t = (
        0, b3, b2, b2 ^ b3, b1, b1 ^ b3, b1 ^ b2, b1 ^ b2 ^ b3,
        b, b ^ b3, b ^ b2, b ^ b2 ^ b3, b ^ b1, b ^ b1 ^ b3, b ^ b1 ^ b2, b ^ b1 ^ b2 ^ b3,
    )  # fmt: skip
    x4 = _X4
    p = t[a & 15]
    p = (p >> 4) ^ x4[p & 15] ^ t[(a >> 4) & 15]
    p = (p >> 4) ^ x4[p & 15] ^ t[(a >> 8) & 15]
    p = (p >> 4) ^ x4[p & 15] ^ t[(a >> 12) & 15]
    p = (p >> 4) ^ x4[p & 15] ^ t[(a >> 16) & 15]
    p = (p >> 4) ^ x4[p & 15] ^ t[(a >> 20) & 15]
    p = (p >> 4) ^ x4[p & 15] ^ t[(a >> 24) & 15]
    return (p >> 4) ^ x4[p & 15] ^ t[(a >> 28) & 15]


@lru_cache(maxsize=1)
def _powers() -> tuple[int, ...]:
    """``x^(2^k)`` modulo the polynomial for k = 0..63."""
    out, p = [], _TOP >> 1  # x^1
    for _ in range(64):
        out.append(p)
        p = _multiply(p, p)
    return tuple(out)


def _shift(length: int) -> int:
    """``x^(8 * length)`` modulo the polynomial: what a CRC is multiplied by to skip bytes."""
    powers, p, k = _powers(), _TOP, 3
    while length:
        if length & 1:
            p = _multiply(powers[k % 64], p)
        length >>= 1
        k += 1
    return p


@dataclass(frozen=True, slots=True)
class Piece:
    """Raw deflate data of ``size`` bytes whose CRC-32 is ``crc``.

    ``final`` pieces end the stream; the others end on a byte boundary, open. ``shift``
    is what a CRC of the data before this piece is multiplied by to skip it (worked out
    where the piece is made, so joining thousands of pieces costs the writer little).
    ``packed`` may be set aside in a temporary file until it is written
    (:class:`~addin.core.spill.Spilled`): :meth:`deflated` reads it either way.
    """

    packed: bytes | Spilled
    size: int
    crc: int
    shift: int
    final: bool = False

    @classmethod
    def of(cls, data: bytes, *, final: bool = False) -> Piece:
        """Compress ``data`` as a piece (at :data:`LEVEL`)."""
        deflater = deflate.raw_deflater(LEVEL)
        packed = deflater.compress(data) + deflater.flush(
            deflate.FINISH if final else deflate.SYNC_FLUSH
        )
        return cls(packed, len(data), deflate.crc32(data), _shift(len(data)), final)

    @classmethod
    def known(cls, packed: bytes, data: bytes) -> Piece:
        """The open piece ``packed`` whose data (inflated and checked by the caller) is ``data``."""
        return cls(packed, len(data), deflate.crc32(data), _shift(len(data)))

    def deflated(self) -> bytes:
        """The raw deflate data (read back when it was set aside)."""
        return self.packed if isinstance(self.packed, bytes) else self.packed.read()

    def after(self, crc: int) -> int:
        """The CRC-32 of some data followed by this piece's, from the CRC-32 of that data."""
        return _multiply(self.shift, crc) ^ self.crc


def inflate(packed: bytes, limit: int) -> bytes | None:
    """A piece's data; None when it is not raw deflate data or inflates past ``limit`` bytes."""
    inflater = zlib.decompressobj(-15)
    try:
        data = inflater.decompress(packed, limit)
        if inflater.unconsumed_tail or inflater.unused_data:
            return None
        if not inflater.eof:
            data += inflater.flush()
    except zlib.error:
        return None
    return data if len(data) <= limit else None


def write_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, pieces: Sequence[Piece]) -> None:
    """Write one deflated member of ``zf`` from pieces, the last of them final, as they are.

    Sizes and CRC are known before writing, so the local header is written once, exactly
    as :mod:`zipfile` would write it, and the member is listed in the central directory
    like any other.

    Raises:
        ValueError: only the last piece may be final, and it must be.
    """
    if not pieces or not pieces[-1].final or any(p.final for p in pieces[:-1]):
        raise ValueError("internal: a member is open pieces and one final piece")
    crc, size, packed = 0, 0, 0
    for p in pieces:
        crc = p.after(crc)
        size += p.size
        packed += len(p.packed)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.CRC, info.file_size, info.compress_size = crc, size, packed
    info.flag_bits &= ~0x08  # no data descriptor: the header carries the sizes
    zip64 = size > zipfile.ZIP64_LIMIT or packed > zipfile.ZIP64_LIMIT
    fp = zf.fp
    assert fp is not None
    info.header_offset = fp.tell()
    fp.write(info.FileHeader(zip64))
    for p in pieces:
        fp.write(p.deflated())
    zf.filelist.append(info)
    zf.NameToInfo[info.filename] = info
    zf.start_dir = fp.tell()
    zf._didModify = True  # type: ignore[attr-defined]
