"""The [MS-CFB] writer, read back by olefile in its strictest useful mode."""

from __future__ import annotations

import io
import random
import struct

import olefile
import pytest

from addin.excel.vba.cfb import (
    ENDOFCHAIN,
    NOSTREAM,
    CompoundFileError,
    name_key,
    write_compound_file,
)

RED, BLACK = 0, 1


def open_strict(data: bytes) -> olefile.OleFileIO:
    return olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)


def sample_streams() -> dict[str, bytes]:
    rng = random.Random(7)
    return {
        "PROJECT": rng.randbytes(569),
        "PROJECTwm": rng.randbytes(161),
        "VBA/_VBA_PROJECT": bytes.fromhex("CC61FFFF000100"),
        "VBA/dir": rng.randbytes(1278),
        "VBA/xlwings": rng.randbytes(19_332),
        "VBA/ThisWorkbook": rng.randbytes(985),
        "VBA/Sheet1": b"",
        "VBA/AtCutoff": rng.randbytes(4096),
        "VBA/BelowCutoff": rng.randbytes(4095),
    }


def test_olefile_reads_every_stream_back() -> None:
    streams = sample_streams()
    ole = open_strict(write_compound_file(streams))
    assert sorted("/".join(path) for path in ole.listdir()) == sorted(streams)
    for path, data in streams.items():
        assert ole.openstream(path).read() == data
    assert ole.get_type("VBA") == olefile.STGTY_STORAGE


def test_header_is_version_3_with_512_byte_sectors() -> None:
    data = write_compound_file(sample_streams())
    assert data[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    minor, major, byte_order, sector_shift, mini_shift = struct.unpack_from("<HHHHH", data, 24)
    assert (minor, major, byte_order, sector_shift, mini_shift) == (0x3E, 3, 0xFFFE, 9, 6)
    (cutoff,) = struct.unpack_from("<I", data, 56)
    assert cutoff == 4096
    (first_difat, n_difat) = struct.unpack_from("<II", data, 68)
    assert (first_difat, n_difat) == (ENDOFCHAIN, 0)
    assert len(data) % 512 == 0


def test_streams_below_the_cutoff_live_in_the_mini_stream() -> None:
    ole = open_strict(write_compound_file(sample_streams()))
    by_name = {entry.name: entry for entry in ole.direntries if entry is not None}
    assert by_name["BelowCutoff"].is_minifat
    assert not by_name["AtCutoff"].is_minifat
    assert not by_name["xlwings"].is_minifat
    assert by_name["Sheet1"].size == 0


def test_output_is_deterministic() -> None:
    assert write_compound_file(sample_streams()) == write_compound_file(sample_streams())


def black_height(entries: list[olefile.olefile.OleDirectoryEntry], sid: int) -> int:
    """Black nodes on every path below ``sid``; asserts the red-black rules on the way."""
    if sid == NOSTREAM:
        return 1
    node = entries[sid]
    for child in (node.sid_left, node.sid_right):
        if node.color == RED and child != NOSTREAM:
            assert entries[child].color == BLACK, "a red node must not have a red child"
    left = black_height(entries, node.sid_left)
    right = black_height(entries, node.sid_right)
    assert left == right, "every path must hold the same number of black nodes"
    return left + (node.color == BLACK)


def in_order(entries: list[olefile.olefile.OleDirectoryEntry], sid: int) -> list[str]:
    if sid == NOSTREAM:
        return []
    node = entries[sid]
    return [*in_order(entries, node.sid_left), node.name, *in_order(entries, node.sid_right)]


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 6, 7, 8, 15, 16, 17, 40])
def test_siblings_form_a_valid_red_black_tree(count: int) -> None:
    rng = random.Random(count)
    names = [f"{'m' * rng.randint(1, 12)}{k}" for k in range(count)]
    rng.shuffle(names)
    ole = open_strict(write_compound_file({f"S/{name}": name.encode() for name in names}))
    entries = ole.direntries
    storage = next(entry for entry in entries if entry is not None and entry.name == "S")
    root_of_tree = entries[storage.sid_child]
    assert root_of_tree.color == BLACK
    black_height(entries, storage.sid_child)
    assert in_order(entries, storage.sid_child) == sorted(names, key=name_key)


def test_name_order_is_length_first_then_case_insensitive() -> None:
    names = ["dir", "PROJECT", "_VBA_PROJECT", "Abc", "abd", "ABE", "xlwings", "ThisWorkbook"]
    assert sorted(names, key=name_key) == [
        "Abc",
        "abd",
        "ABE",
        "dir",
        "PROJECT",
        "xlwings",
        "ThisWorkbook",
        "_VBA_PROJECT",
    ]


def test_large_stream_needs_several_fat_sectors() -> None:
    data = random.Random(1).randbytes(2_000_000)  # 3907 sectors: 31 FAT sectors
    ole = open_strict(write_compound_file({"Big": data, "small": b"x"}))
    assert ole.openstream("Big").read() == data
    assert ole.openstream("small").read() == b"x"


def test_too_large_for_a_header_only_difat() -> None:
    with pytest.raises(CompoundFileError, match="too large"):
        write_compound_file({"Big": bytes(7_200_000)})


@pytest.mark.parametrize(
    "streams, message",
    [
        ({"A" * 32: b""}, "1 to 31 characters"),
        ({"VBA/": b""}, "1 to 31 characters"),
        ({"a:b": b""}, "must not contain"),
        ({"VBA": b"x", "VBA/dir": b"y"}, "both a stream and a storage"),
        ({"VBA/dir": b"y", "VBA": b"x"}, "both a stream and a storage"),
        ({"VBA/dir": b"y", "vba/DIR": b"x"}, "duplicate stream"),
    ],
)
def test_invalid_layouts_are_refused(streams: dict[str, bytes], message: str) -> None:
    with pytest.raises(CompoundFileError, match=message):
        write_compound_file(streams)
