"""What we deflate ourselves: ISA-L where installed, zlib otherwise, and either reads as zlib's.

The tests that hold for either backend run on both (zlib by hiding ISA-L, as on a
platform it has no wheel for): the CRC is zlib's and the deflate data inflates with zlib.
Pieces made by one and by the other join into one zip member, and where pyproject.toml
installs ISA-L it is what deflates.
"""

from __future__ import annotations

import io
import platform
import random
import zipfile
import zlib
from collections.abc import Iterator

import pytest

from addin.core import deflate
from addin.core.findings import Finding, Severity
from addin.core.packed_findings import PackedFindings
from addin.core.rule_ids import RuleId
from addin.ooxml.pieces import Piece, write_member

#: Where pyproject.toml installs isal (its wheels): ISA-L must be what deflates there.
_ISAL_MACHINES = {"x86_64", "AMD64", "aarch64", "arm64"}


@pytest.fixture(params=["isal", "zlib"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Each backend in turn: zlib by hiding ISA-L from :mod:`addin.core.deflate`."""
    if request.param == "zlib":
        monkeypatch.setattr(deflate, "_ISAL", None)
    assert deflate.backend() == request.param
    yield request.param


def _xml(rng: random.Random, rows: int) -> bytes:
    """Rows of cells like the portfolio's, repetitive as they are."""
    return b"".join(
        b'<row><c t="inlineStr"><is><t>T-%d</t></is></c><c s="\x02"><v>%d</v></c></row>'
        % (rng.randrange(500), rng.randrange(46000, 47000))
        for _ in range(rows)
    )


def test_isal_deflates_where_it_is_installed() -> None:
    expected = "isal" if platform.machine() in _ISAL_MACHINES else "zlib"
    assert deflate.backend() == expected


@pytest.mark.parametrize("size", [0, 1, 4096, 100_000])
def test_crc32_is_zlibs(backend: str, size: int) -> None:
    data = random.Random(size).randbytes(size)
    assert deflate.crc32(data) == zlib.crc32(data)
    assert deflate.crc32(data, 0x1234ABCD) == zlib.crc32(data, 0x1234ABCD)  # continued


@pytest.mark.parametrize("mode", ["sync", "finish"])
def test_raw_deflate_inflates_with_zlib(backend: str, mode: str) -> None:
    data = _xml(random.Random(1), 3000)
    deflater = deflate.raw_deflater(1)
    flush = deflate.SYNC_FLUSH if mode == "sync" else deflate.FINISH
    packed = deflater.compress(data) + deflater.flush(flush)
    inflater = zlib.decompressobj(-15)
    assert inflater.decompress(packed) == data
    assert inflater.eof is (mode == "finish")  # a sync flush leaves the stream open
    assert not inflater.unused_data
    assert len(packed) < len(data) // 4


def test_isal_writes_its_own_deflate_not_zlibs() -> None:
    """The speed comes from ISA-L doing the work: its stream differs from zlib's."""
    if deflate.backend() != "isal":
        pytest.fail("isal is not installed here: pip install the project (pyproject.toml)")
    data = _xml(random.Random(2), 3000)
    ours = deflate.raw_deflater(1)
    theirs = zlib.compressobj(1, zlib.DEFLATED, -15)
    ours_packed = ours.compress(data) + ours.flush(deflate.SYNC_FLUSH)
    assert ours_packed != theirs.compress(data) + theirs.flush(zlib.Z_SYNC_FLUSH)


def test_compress_is_read_by_zlib(backend: str) -> None:
    data = _xml(random.Random(3), 500)
    assert zlib.decompress(deflate.compress(data, 1)) == data


def test_pieces_of_both_backends_join_into_one_member(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache filled where ISA-L is missing gives pieces that join with ISA-L's."""
    rng = random.Random(4)
    parts = [_xml(rng, rng.randrange(1, 400)) for _ in range(12)]
    pieces = []
    for i, part in enumerate(parts):
        with monkeypatch.context() as m:
            if i % 2:
                m.setattr(deflate, "_ISAL", None)
            pieces.append(Piece.of(part, final=i == len(parts) - 1))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        write_member(zf, zipfile.ZipInfo("xl/worksheets/sheet1.xml"), pieces)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf:
        assert zf.testzip() is None  # the CRC combined from both kinds of piece checks
        assert zf.read("xl/worksheets/sheet1.xml") == b"".join(parts)


def test_packed_findings_read_back_on_either_backend(backend: str) -> None:
    findings = [
        Finding(RuleId.TASK_OWNER_REQUIRED, Severity.WARNING, f"m{i}", "f.xlsx", "Tasks", i, 3)
        for i in range(40)
    ]
    assert list(PackedFindings(findings)) == findings
