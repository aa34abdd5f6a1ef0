"""Deflate and CRC-32 for what we compress ourselves: ISA-L's where installed, else zlib's.

A consolidation deflates every tracker's rendered rows in its worker (the portfolio's
data sheets are joined from those pieces: :mod:`addin.ooxml.pieces`) and, in a large run,
its findings (:mod:`addin.core.packed_findings`). Intel's ISA-L (the ``isal`` package,
installed with us where it has wheels) deflates at level 1 faster than zlib at level 1,
about as small (the bench portfolios' data sheets: 4 % smaller to 3 % larger); its CRC-32
is the same function, ten times as fast. A tracker's pieces and their CRCs took 0.49 ms
with zlib and take 0.14 ms (messy bench trackers; clean ones 0.34 and 0.10 ms).

Both write standard deflate data that zlib (and Excel, LibreOffice, ``zipfile``) reads,
so pieces made by either join into one stream and a cache written on a machine without
ISA-L reads on one with it. Without ``isal`` (a platform it has no wheel for) the same
calls are zlib's. Inflating stays zlib's everywhere: that is where hostile input
arrives, and its errors are the ones the reader handles.
"""

from __future__ import annotations

import zlib
from types import ModuleType
from typing import Protocol

try:
    from isal import isal_zlib as _isal
except ImportError:  # no wheel for this platform: zlib does the same, slower
    _ISAL: ModuleType | None = None
else:
    _ISAL = _isal

#: Flush modes, the same numbers in zlib and ISA-L.
SYNC_FLUSH, FINISH = zlib.Z_SYNC_FLUSH, zlib.Z_FINISH


class Deflater(Protocol):
    """A raw deflate stream being written (``zlib.compressobj``'s interface)."""

    def compress(self, data: bytes, /) -> bytes:
        """Deflate more data; some of it may wait for the next call or the flush."""
        ...

    def flush(self, mode: int = ..., /) -> bytes:
        """What is left: ``SYNC_FLUSH`` ends on a byte boundary, ``FINISH`` ends the stream."""
        ...


def backend() -> str:
    """Which library deflates here: ``"isal"`` or ``"zlib"``."""
    return "zlib" if _ISAL is None else "isal"


def raw_deflater(level: int) -> Deflater:
    """A raw deflate stream (no zlib header nor checksum) at ``level`` (0-3 with ISA-L)."""
    lib = zlib if _ISAL is None else _ISAL
    deflater: Deflater = lib.compressobj(level, zlib.DEFLATED, -15)
    return deflater


def compress(data: bytes, level: int) -> bytes:
    """``data`` in the zlib format at ``level``: ``zlib.decompress`` reads it back."""
    if _ISAL is None:
        return zlib.compress(data, level)
    packed: bytes = _ISAL.compress(data, level)
    return packed


def crc32(data: bytes, value: int = 0) -> int:
    """The CRC-32 of ``data`` continuing from ``value``: ``zlib.crc32``'s, as fast as ISA-L's."""
    if _ISAL is None:
        return zlib.crc32(data, value)
    crc: int = _ISAL.crc32(data, value)
    return crc
