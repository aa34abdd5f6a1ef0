"""[MS-OVBA] §2.4.1 compression: spec vectors, edge cases, and round trips
through our decompressor and an independent one (oletools' olevba)."""

from __future__ import annotations

import math
import random
import struct
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import decompress_stream

from addin.excel.vba.compression import (
    CHUNK_SIZE,
    DecompressionError,
    compress,
    copy_token_help,
    decompress,
)

MACROS = Path(__file__).resolve().parents[2] / "macros"
DETERMINISTIC = settings(derandomize=True, database=None, deadline=None, max_examples=150)


def chunk_headers(container: bytes) -> list[tuple[int, bool]]:
    """(chunk size incl. header, compressed flag) for every chunk of a container."""
    headers = []
    position = 1
    while position < len(container):
        (header,) = struct.unpack_from("<H", container, position)
        assert (header >> 12) & 0b111 == 0b011, "chunk signature must be 0b011"
        size = (header & 0x0FFF) + 3
        headers.append((size, bool(header >> 15)))
        position += size
    assert position == len(container), "chunks must tile the container exactly"
    return headers


def expected_output(data: bytes, container: bytes) -> bytes:
    """What decompression must return: ``data``, plus the zero padding the spec
    puts in a final raw chunk shorter than 4096 bytes."""
    if data and not chunk_headers(container)[-1][1]:
        return data + b"\x00" * (-len(data) % CHUNK_SIZE)
    return data


def assert_round_trip(data: bytes) -> bytes:
    container = compress(data)
    assert container[0] == 0x01
    assert len(chunk_headers(container)) == math.ceil(len(data) / CHUNK_SIZE)
    expected = expected_output(data, container)
    assert decompress(container) == expected
    assert decompress_stream(bytearray(container)) == expected
    return container


def no_repeat_sequence(length: int) -> bytes:
    """Bytes without any repeated 3-byte sequence: nothing for a CopyToken to use."""
    pairs = bytes(b for i in range(256) for j in range(256) for b in (i, j))
    data = pairs[:length]
    trigrams = [data[k : k + 3] for k in range(len(data) - 2)]
    assert len(set(trigrams)) == len(trigrams)
    return data


# --- the specification's examples (§3.2) -------------------------------------------

NO_COMPRESSION = (  # §3.2.1
    b"abcdefghijklmnopqrstuv.",
    bytes.fromhex("0119B000 6162636465666768 00 696A6B6C6D6E6F70 00 717273747576 2E"),
)
MAXIMUM_COMPRESSION = (  # §3.2.3: a literal "a" and one CopyToken for 72 more
    b"a" * 73,
    bytes.fromhex("0103B002614500"),
)
NORMAL_INPUT = b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"  # §3.2.2
NORMAL_SPEC = bytes.fromhex(
    "012FB000 23616161626364 65 82 66 0070 61676869 6A 0138 08 616B6C 0030 6D6E6F70"
    " 06 71 0270 0410 7273747576 10 7778797A 003C"
)


@pytest.mark.parametrize("plain, container", [NO_COMPRESSION, MAXIMUM_COMPRESSION])
def test_spec_examples_compress_to_the_exact_bytes(plain: bytes, container: bytes) -> None:
    assert compress(plain) == container
    assert decompress(container) == plain


def test_spec_normal_example_decompresses() -> None:
    assert decompress(NORMAL_SPEC) == NORMAL_INPUT
    assert decompress_stream(bytearray(NORMAL_SPEC)) == NORMAL_INPUT


def test_spec_normal_example_follows_the_matching_pseudocode() -> None:
    """The §3.2.2 bytes pick, at three CopyTokens, a farther match of the same length
    than the §2.4.1.3.19.4 pseudocode (which keeps the nearest of equals: it only
    replaces the best candidate on a strictly longer match). Ours follows the
    pseudocode: same size, same tokens elsewhere, same decompressed text."""
    ours = compress(NORMAL_INPUT)
    assert ours == bytes.fromhex(
        "012FB000 23616161626364 65 82 66 0070 61676869 6A 0138 08 616B6C 0020 6D6E6F70"
        " 06 71 0270 0400 7273747576 10 7778797A 002C"
    )
    assert len(ours) == len(NORMAL_SPEC)
    differing = [k for k, (a, b) in enumerate(zip(ours, NORMAL_SPEC, strict=True)) if a != b]
    assert differing == [28, 38, 50]  # high bytes of the three CopyTokens' offsets
    assert decompress(ours) == NORMAL_INPUT


# --- CopyToken help (§2.4.1.3.19.1) -----------------------------------------------


@pytest.mark.parametrize(
    "difference, bit_count, maximum_length",
    [
        (1, 4, 4098),
        (16, 4, 4098),
        (17, 5, 2050),
        (32, 5, 2050),
        (33, 6, 1026),
        (2048, 11, 34),
        (2049, 12, 18),
        (4095, 12, 18),
    ],
)
def test_copy_token_help(difference: int, bit_count: int, maximum_length: int) -> None:
    length_mask, offset_mask, bits, maximum = copy_token_help(difference)
    assert (bits, maximum) == (bit_count, maximum_length)
    assert bits == max(math.ceil(math.log2(difference)), 4)
    assert length_mask == 0xFFFF >> bits
    assert offset_mask == 0xFFFF ^ length_mask
    assert maximum == length_mask + 3


def test_copy_token_help_needs_a_decoded_byte() -> None:
    with pytest.raises(ValueError, match="at least one decoded byte"):
        copy_token_help(0)


# --- long runs: the trap of capping copy lengths wrongly ------------------------------


def test_long_run_is_one_literal_and_one_copy_token_per_chunk() -> None:
    data = b"a" * 100_000
    container = assert_round_trip(data)
    # per chunk: header, flag byte, literal "a", one CopyToken for the other 4095
    # bytes (MaximumLength is 4098 at difference 1): 6 bytes; 25 chunks.
    assert len(container) == 1 + 25 * 6
    assert container[1:7] == bytes.fromhex("03B0 02 61 FC0F")  # 0x0FFC = 4095 - 3


@pytest.mark.parametrize("period", [1, 2, 3, 7, 16, 17, 100, 255, 256, 300, 2049, 4095])
def test_periodic_patterns(period: int) -> None:
    rng = random.Random(period)
    pattern = rng.randbytes(period)
    assert_round_trip(pattern * (30_000 // period + 1))


# --- raw chunks (§2.4.1.3.10) ---------------------------------------------------------


def test_incompressible_full_chunk_is_stored_raw() -> None:
    data = no_repeat_sequence(CHUNK_SIZE)
    container = assert_round_trip(data)
    assert container[1:3] == struct.pack("<H", 0x3FFF)  # size 4095 + 3, signature, flag 0
    assert container[3:] == data
    assert chunk_headers(container) == [(4098, False)]


def test_incompressible_last_chunk_fits_tokens_up_to_3640_bytes() -> None:
    # 3640 literals need 455 flag bytes: 4095 bytes of chunk data, under 4096.
    container = assert_round_trip(no_repeat_sequence(3640))
    assert chunk_headers(container) == [(3640 + 455 + 2, True)]


def test_incompressible_last_chunk_of_3641_bytes_is_raw_and_padded() -> None:
    data = no_repeat_sequence(3641)
    container = compress(data)
    assert chunk_headers(container) == [(4098, False)]
    assert decompress(container) == data + bytes(CHUNK_SIZE - 3641)  # the spec's padding


def test_empty_input() -> None:
    assert compress(b"") == b"\x01"
    assert decompress(b"\x01") == b""


# --- properties -----------------------------------------------------------------------


@st.composite
def sized_random_bytes(draw: st.DrawFn) -> bytes:
    """Random bytes of any size up to a few chunks (st.binary stays mostly small)."""
    size = draw(st.integers(min_value=0, max_value=3 * CHUNK_SIZE + 700))
    return draw(st.randoms(use_true_random=False)).randbytes(size)


@st.composite
def lz_like_bytes(draw: st.DrawFn) -> bytes:
    """Literal runs mixed with copies of earlier data at any distance, across chunks."""
    rng = draw(st.randoms(use_true_random=False))
    target = draw(st.integers(min_value=0, max_value=30_000))
    data = bytearray()
    while len(data) < target:
        if data and rng.random() < 0.6:
            offset = rng.randint(1, min(len(data), 5000))
            for _ in range(rng.randint(1, 400)):
                data.append(data[-offset])
        else:
            data += rng.randbytes(rng.randint(1, 64))
    return bytes(data)


@DETERMINISTIC
@given(st.binary(max_size=5_000))
def test_round_trip_random_bytes(data: bytes) -> None:
    assert_round_trip(data)


@DETERMINISTIC
@given(sized_random_bytes())
def test_round_trip_random_bytes_of_several_chunks(data: bytes) -> None:
    assert_round_trip(data)


@DETERMINISTIC
@given(lz_like_bytes())
def test_round_trip_copies_at_every_distance(data: bytes) -> None:
    assert_round_trip(data)


@DETERMINISTIC
@given(st.text(alphabet=st.characters(max_codepoint=0xFF), max_size=12_000))
def test_round_trip_text(text: str) -> None:
    assert_round_trip(text.encode("latin-1"))


@DETERMINISTIC
@given(
    st.binary(min_size=1, max_size=300),
    st.integers(min_value=1, max_value=40_000),
    st.binary(max_size=50),
)
def test_round_trip_repeated_patterns(pattern: bytes, length: int, tail: bytes) -> None:
    data = (pattern * (length // len(pattern) + 1))[:length] + tail
    container = assert_round_trip(data)
    assert len(container) < len(data) // 2 + 64 + len(tail) + len(pattern) * 2


@DETERMINISTIC
@given(st.lists(st.sampled_from([b"a", b" ", b"If x Then", b"\r\n", b"End Sub"]), max_size=4000))
def test_round_trip_low_entropy(words: list[bytes]) -> None:
    assert_round_trip(b"".join(words))


# --- the pseudocode, transcribed naively, as an oracle for small inputs -----------------


def spec_compress_one_chunk(data: bytes) -> bytes:
    """§2.4.1.3.7-§2.4.1.3.19.4 for a single chunk (len(data) <= 4096), word for word."""
    out = bytearray()
    current, end = 0, len(data)
    while current < end and len(out) < 4096:
        flag_index, flags = len(out), 0
        out.append(0)
        for index in range(8):
            if not (current < end and len(out) < 4096):
                continue
            best_length, best_candidate = 0, 0
            for candidate in range(current - 1, -1, -1):  # Matching, §2.4.1.3.19.4
                c, d, length = candidate, current, 0
                while d < end and data[d] == data[c]:
                    c, d, length = c + 1, d + 1, length + 1
                if length > best_length:
                    best_length, best_candidate = length, candidate
            if best_length >= 3:
                bit_count = max(math.ceil(math.log2(current)), 4)
                length = min(best_length, (0xFFFF >> bit_count) + 3)
                token = ((current - best_candidate - 1) << (16 - bit_count)) | (length - 3)
                out += struct.pack("<H", token)
                flags |= 1 << index
                current += length
            else:
                out.append(data[current])
                current += 1
        out[flag_index] = flags
    assert current == end, "oracle inputs must compress"
    return b"\x01" + struct.pack("<H", 0xB000 | (len(out) - 1)) + bytes(out)


@settings(derandomize=True, database=None, deadline=None, max_examples=60)
@given(
    st.lists(st.sampled_from([b"a", b"ab", b"abc", b"x", b"  ", b"abcabd", b"\r\n"]), max_size=120)
)
def test_compress_matches_the_pseudocode_exactly(words: list[bytes]) -> None:
    data = b"".join(words)
    assert compress(data) == (spec_compress_one_chunk(data) if data else b"\x01")


@pytest.mark.parametrize(
    "data",
    [
        NO_COMPRESSION[0],
        MAXIMUM_COMPRESSION[0],
        NORMAL_INPUT,
        (MACROS / "PMO.bas").read_bytes()[:CHUNK_SIZE],
        (resources.files("xlwings") / "xlwings_custom_addin.bas").read_bytes()[:CHUNK_SIZE],
        b"If a Then\r\n    b = 1\r\nElse\r\n    b = 2\r\nEnd If\r\n" * 20,
    ],
    ids=["3.2.1", "3.2.3", "3.2.2", "PMO.bas", "xlwings.bas", "if-else"],
)
def test_compress_matches_the_pseudocode_on_known_inputs(data: bytes) -> None:
    assert compress(data) == spec_compress_one_chunk(data)


# --- malformed containers -------------------------------------------------------------


@pytest.mark.parametrize(
    "container, message",
    [
        (b"", "signature byte"),
        (NORMAL_SPEC[1:], "signature byte"),
        (b"\x01\x2f\xa0" + NORMAL_SPEC[3:], "CompressedChunkSignature"),
        (NORMAL_SPEC[:-1], "runs past the end"),
        (b"\x01\x03", "truncated CompressedChunkHeader"),
        (b"\x01\xfe\x3f" + bytes(4095), "raw chunk"),
        (b"\x01\x02\xb0\x01\x00\x00", "has no data to copy"),
        (b"\x01\x02\xb0\x02\x61\x00", "truncated CopyToken"),
        (b"\x01\x03\xb0\x02\x61\x00\x10", "points before the chunk start"),
    ],
)
def test_malformed_containers_raise(container: bytes, message: str) -> None:
    with pytest.raises(DecompressionError, match=message):
        decompress(container)
