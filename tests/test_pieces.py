"""Deflated pieces joined into one zip member without inflating them (the portfolio's
data sheets): the CRC combined from the pieces is zlib's, and the member reads back."""

from __future__ import annotations

import io
import os
import random
import zipfile
import zlib

import pytest
from hypothesis import example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from addin.ooxml.pieces import _POLY, _TOP, Piece, _multiply, inflate, write_member


@pytest.mark.parametrize("sizes", [(0, 5), (5, 0), (1, 1), (1000, 12345), (70_000, 3)])
def test_crc_combine_is_zlibs(sizes: tuple[int, int]) -> None:
    a, b = os.urandom(sizes[0]), os.urandom(sizes[1])
    assert Piece.of(b).after(zlib.crc32(a)) == zlib.crc32(a + b)


def _multiply_bit_by_bit(a: int, b: int) -> int:
    """The product as zlib's multmodp computes it, one bit of ``a`` at a time (a != 0)."""
    m, p = _TOP, 0
    while True:
        if a & m:
            p ^= b
            if not a & (m - 1):
                return p
        m >>= 1
        b = (b >> 1) ^ _POLY if b & 1 else b >> 1


_WORD = st.integers(1, 2**32 - 1)


@hsettings(max_examples=3000, deadline=None, derandomize=True)
@given(_WORD, st.integers(0, 2**32 - 1))
@example(_TOP, 0xFFFFFFFF)
@example(1, 1)
@example(0xFFFFFFFF, 0xFFFFFFFF)
@example(0x0000000F, _POLY)
def test_four_bits_at_a_time_is_the_bit_by_bit_product(a: int, b: int) -> None:
    assert _multiply(a, b) == _multiply_bit_by_bit(a, b)


@hsettings(max_examples=40, deadline=None, derandomize=True)
@given(st.integers(0, 70_000), st.integers(0, 200_000), st.randoms(use_true_random=False))
def test_crc_combine_is_zlibs_for_any_lengths(n: int, m: int, rng: random.Random) -> None:
    a, b = rng.randbytes(n), rng.randbytes(m)
    piece = Piece.of(b)
    assert piece.after(zlib.crc32(a)) == zlib.crc32(a + b)
    assert Piece.known(piece.deflated(), b).shift == piece.shift


def test_pieces_make_one_member_that_reads_back() -> None:
    rng = random.Random(3)
    parts = [b"<worksheet><sheetData><row>head</row>"]
    parts += [b"<row>%d</row>" % rng.randrange(10**9) * rng.randrange(1, 500) for _ in range(40)]
    parts += [b"</sheetData></worksheet>"]
    pieces = [Piece.of(p) for p in parts[:-1]] + [Piece.of(parts[-1], final=True)]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("before.xml", b"<a/>")
        write_member(zf, zipfile.ZipInfo("xl/worksheets/sheet1.xml"), pieces)
        zf.writestr("after.xml", b"<b/>")
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf:
        assert zf.testzip() is None  # every CRC checks
        assert zf.namelist() == ["before.xml", "xl/worksheets/sheet1.xml", "after.xml"]
        assert zf.read("xl/worksheets/sheet1.xml") == b"".join(parts)
        info = zf.getinfo("xl/worksheets/sheet1.xml")
        assert info.file_size == sum(map(len, parts))
        assert info.compress_size == sum(len(p.packed) for p in pieces)


def test_a_member_must_end_with_one_final_piece() -> None:
    with zipfile.ZipFile(io.BytesIO(), "w") as zf:
        with pytest.raises(ValueError, match="final"):
            write_member(zf, zipfile.ZipInfo("x.xml"), [Piece.of(b"a")])
        with pytest.raises(ValueError, match="final"):
            write_member(
                zf,
                zipfile.ZipInfo("y.xml"),
                [Piece.of(b"a", final=True), Piece.of(b"b", final=True)],
            )


def test_inflate_refuses_what_is_not_one_bounded_piece() -> None:
    piece = Piece.of(b"x" * 10_000)
    assert inflate(piece.packed, 10_000) == b"x" * 10_000
    assert inflate(piece.packed, 9_999) is None  # past its bound
    assert inflate(b"not deflate data", 100) is None
    assert inflate(Piece.of(b"a", final=True).packed + b"extra", 100) is None  # after its end
    known = Piece.known(piece.packed, b"x" * 10_000)
    assert (known.size, known.crc, known.shift) == (piece.size, piece.crc, piece.shift)
