"""[MS-OVBA] §2.4.1 compression and decompression of VBA streams.

The ``dir`` stream and every module's source code are stored as a
*CompressedContainer*: one signature byte ``0x01`` followed by chunks, each
encoding at most 4096 bytes of the decompressed buffer. A chunk starts with a
two-byte little-endian *CompressedChunkHeader*:

* bits 0-11: ``CompressedChunkSize`` = chunk size in bytes (header included) - 3;
* bits 12-14: signature, always ``0b011``;
* bit 15: ``CompressedChunkFlag``, 1 for token sequences, 0 for a raw chunk of
  exactly 4096 bytes.

A compressed chunk is a series of *TokenSequences*: a *FlagByte* then up to eight
tokens, bit ``i`` of the flag byte saying whether token ``i`` is a one-byte
*LiteralToken* (0) or a two-byte *CopyToken* (1). A copy token packs an offset
and a length whose split depends on how far into the chunk the decoder is
("CopyToken Help", §2.4.1.3.19.1).

:func:`compress` follows the specification's algorithm step by step, including
its choice of match (the longest, the nearest among equals) and its fallback
to a raw chunk when the token encoding would not fit in 4098 bytes. Matches are
found through a 3-byte prefix index and compared with slice equality instead
of the specification's byte-by-byte scan, which yields the same tokens in far
less time.
"""

from __future__ import annotations

import struct

__all__ = [
    "CHUNK_SIZE",
    "DecompressionError",
    "compress",
    "copy_token_help",
    "decompress",
]

CHUNK_SIZE = 4096
"""Bytes of decompressed data one chunk encodes (all but the last chunk)."""

_SIGNATURE_BYTE = 0x01
_CHUNK_SIGNATURE = 0b011
_MAX_CHUNK_BYTES = CHUNK_SIZE + 2  # header included
_MIN_MATCH = 3


class DecompressionError(ValueError):
    """The bytes are not a valid [MS-OVBA] CompressedContainer."""


def copy_token_help(difference: int) -> tuple[int, int, int, int]:
    """Return ``(length_mask, offset_mask, bit_count, maximum_length)`` (§2.4.1.3.19.1).

    Args:
        difference: Bytes already decoded in the current chunk
            (``DecompressedCurrent - DecompressedChunkStart``), at least 1.

    Returns:
        The masks that split a CopyToken into offset and length, the number of
        offset bits, and the longest match a token can express at this point.
    """
    if difference < 1:
        raise ValueError("a CopyToken needs at least one decoded byte before it")
    # ceil(log2(difference)) for an integer difference >= 1
    bit_count = max((difference - 1).bit_length(), 4)
    length_mask = 0xFFFF >> bit_count
    offset_mask = ~length_mask & 0xFFFF
    maximum_length = (0xFFFF >> bit_count) + 3
    return length_mask, offset_mask, bit_count, maximum_length


def compress(data: bytes) -> bytes:
    """Compress ``data`` into an [MS-OVBA] CompressedContainer (§2.4.1.3.6).

    Note that the format has no length field: a raw chunk always holds 4096
    bytes, so when the *last* chunk is shorter than 4096 bytes and still
    cannot be token-encoded in 4098 bytes (only possible for 3641 or more
    nearly incompressible bytes), the specification pads it with ``0x00``
    bytes and decompression returns those padding bytes too.

    Args:
        data: The decompressed buffer.

    Returns:
        The compressed container, starting with the signature byte ``0x01``.
    """
    out = bytearray([_SIGNATURE_BYTE])
    for start in range(0, len(data), CHUNK_SIZE):
        out += _compress_chunk(data, start, min(start + CHUNK_SIZE, len(data)))
    return bytes(out)


def _compress_chunk(data: bytes, start: int, end: int) -> bytes:
    """Encode ``data[start:end]`` as one CompressedChunk (§2.4.1.3.7).

    ``len(body)`` plays the specification's ``CompressedCurrent`` (relative to
    the chunk data); reaching :data:`CHUNK_SIZE` is reaching ``CompressedEnd``.
    """
    body = bytearray()
    index: dict[bytes, list[int]] = {}
    indexed = start  # positions below this are in ``index``
    current = start
    full = False  # CompressedCurrent reached CompressedEnd
    while current < end and not full:  # one TokenSequence (§2.4.1.3.8) per turn
        flag_at = len(body)
        body.append(0)
        flags = 0
        for bit in range(8):
            if current >= end or len(body) >= CHUNK_SIZE:
                break
            while indexed < current:
                index.setdefault(data[indexed : indexed + _MIN_MATCH], []).append(indexed)
                indexed += 1
            offset, length = _match(data, start, current, end, index)
            if not length:
                body.append(data[current])
                current += 1
            elif len(body) + 1 < CHUNK_SIZE:
                _, _, bit_count, _ = copy_token_help(current - start)
                body += struct.pack("<H", ((offset - 1) << (16 - bit_count)) | (length - 3))
                flags |= 1 << bit
                current += length
            else:  # no room for a two-byte CopyToken
                full = True
                break
        body[flag_at] = flags
        full = full or len(body) >= CHUNK_SIZE
    if current < end:
        # The token encoding outgrew 4096 bytes of chunk data: store it raw (§2.4.1.3.10).
        raw = data[start:end].ljust(CHUNK_SIZE, b"\x00")
        return _chunk_header(len(raw), compressed=False) + raw
    return _chunk_header(len(body), compressed=True) + bytes(body)


def _chunk_header(data_size: int, *, compressed: bool) -> bytes:
    """Pack a CompressedChunkHeader for ``data_size`` bytes of chunk data (§2.4.1.3.13)."""
    size_field = data_size + 2 - 3
    header = size_field | (_CHUNK_SIGNATURE << 12) | (int(compressed) << 15)
    return struct.pack("<H", header)


def _match(
    data: bytes, chunk_start: int, current: int, end: int, index: dict[bytes, list[int]]
) -> tuple[int, int]:
    """Return ``(offset, length)`` of the best earlier match, length 0 if none (§2.4.1.3.19.4).

    The specification scans candidates from ``current - 1`` down to the chunk
    start and keeps a candidate only when its match is strictly longer than
    the best so far, comparing up to the chunk end (not the token's maximum
    length). Any match of three bytes or more shares the 3-byte prefix, so the
    prefix index lists every candidate that can matter.
    """
    if end - current < _MIN_MATCH:
        return 0, 0
    candidates = index.get(data[current : current + _MIN_MATCH])
    if not candidates:
        return 0, 0
    limit = end - current  # no match can be longer than what is left
    best_length = 0
    best_candidate = -1
    for candidate in reversed(candidates):
        probe = best_length + 1
        if data[candidate : candidate + probe] != data[current : current + probe]:
            continue
        best_length = _extend(data, candidate, current, probe, limit)
        best_candidate = candidate
        if best_length == limit:
            break
    if best_length < _MIN_MATCH:
        return 0, 0
    _, _, _, maximum_length = copy_token_help(current - chunk_start)
    return current - best_candidate, min(best_length, maximum_length)


def _extend(data: bytes, candidate: int, current: int, known: int, limit: int) -> int:
    """Length of the match at ``candidate`` (known to be at least ``known``), at most ``limit``."""
    low = known  # matches
    step = max(known, 1)
    high = low
    while high < limit:
        high = min(limit, low + step)
        if data[candidate : candidate + high] != data[current : current + high]:
            break
        low = high
        step *= 2
    else:
        return low
    # data matches for ``low`` bytes and not for ``high``: bisect in between.
    while high - low > 1:
        middle = (low + high) // 2
        if data[candidate : candidate + middle] == data[current : current + middle]:
            low = middle
        else:
            high = middle
    return low


def decompress(container: bytes) -> bytes:
    """Decompress an [MS-OVBA] CompressedContainer (§2.4.1.3.1).

    Args:
        container: The compressed bytes, signature byte first.

    Returns:
        The decompressed buffer.

    Raises:
        DecompressionError: When the container is malformed (bad signature,
            bad chunk header, truncated chunk or token, or a copy token that
            points before the start of its chunk).
    """
    if not container or container[0] != _SIGNATURE_BYTE:
        raise DecompressionError("CompressedContainer must start with the signature byte 0x01")
    out = bytearray()
    position = 1
    while position < len(container):
        if position + 2 > len(container):
            raise DecompressionError(f"truncated CompressedChunkHeader at byte {position}")
        (header,) = struct.unpack_from("<H", container, position)
        size = (header & 0x0FFF) + 3
        if (header >> 12) & 0b111 != _CHUNK_SIGNATURE:
            raise DecompressionError(f"bad CompressedChunkSignature at byte {position}")
        chunk_end = position + size
        if chunk_end > len(container):
            raise DecompressionError(f"chunk at byte {position} runs past the end of the container")
        if header >> 15:
            _decompress_tokens(container, position + 2, chunk_end, out)
        else:
            if size != _MAX_CHUNK_BYTES:
                raise DecompressionError(f"raw chunk at byte {position} is not 4096 bytes")
            out += container[position + 2 : chunk_end]
        position = chunk_end
    return bytes(out)


def _decompress_tokens(container: bytes, position: int, chunk_end: int, out: bytearray) -> None:
    """Decode the TokenSequences of one compressed chunk into ``out`` (§2.4.1.3.2)."""
    chunk_start = len(out)
    while position < chunk_end:
        flags = container[position]
        position += 1
        for bit in range(8):
            if position >= chunk_end:
                break
            if not (flags >> bit) & 1:
                out.append(container[position])
                position += 1
                continue
            if position + 2 > chunk_end:
                raise DecompressionError(f"truncated CopyToken at byte {position}")
            (token,) = struct.unpack_from("<H", container, position)
            position += 2
            difference = len(out) - chunk_start
            if difference < 1:
                raise DecompressionError(f"CopyToken at byte {position - 2} has no data to copy")
            length_mask, offset_mask, bit_count, _ = copy_token_help(difference)
            length = (token & length_mask) + 3
            offset = ((token & offset_mask) >> (16 - bit_count)) + 1
            if offset > difference:
                raise DecompressionError(
                    f"CopyToken at byte {position - 2} points before the chunk start"
                )
            source = len(out) - offset
            if offset >= length:
                out += out[source : source + length]
            else:  # overlapping copy repeats the last ``offset`` bytes
                pattern = bytes(out[source:])
                repeats, rest = divmod(length, offset)
                out += pattern * repeats + pattern[:rest]
