"""Reading a part through :func:`open_part` gives what ``ZipFile.open`` gives: bytes and errors.

The safety scan and the sheet scan read every part through it, so any difference would let
through, or refuse, what ``ZipFile.open`` does not. Each case reads the same part both
ways, in the same steps, and compares the outcome: the bytes of each read, or the error's
type and message.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addin.ooxml.member import Part, Readable, open_part, read_part
from tests.conftest import CORPUS, SAMPLES

Outcome = tuple[str, object]
#: Reads that cross the sizes ZipExtFile works in (4 KB) and the safety scan's peeks.
STEPS: list[list[int]] = [
    [-1],
    [0, 1, 2],
    [4096],
    [4096, 65536 - 4096],
    [100, 4000, 5000, -1],
    [4095, 1, 1, -1],
    [1 << 20, 1 << 20],
]


def _reads(opener: Callable[[], Readable], steps: Sequence[int]) -> Outcome:
    try:
        with opener() as fh:
            return "ok", [fh.read(n) for n in steps]
    except Exception as exc:  # the very error, to compare
        return type(exc).__name__, str(exc)


def _both(zf: zipfile.ZipFile, info: zipfile.ZipInfo, steps: Sequence[int]) -> None:
    ours = _reads(lambda: open_part(zf, info), steps)
    theirs = _reads(lambda: zf.open(info), steps)
    assert ours == theirs, (info.filename, steps)


def _archive(parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _every_part(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            for steps in STEPS:
                _both(zf, info, steps)


def _workbooks() -> list[Path]:
    found = sorted(SAMPLES.glob("*.xlsx"))[:4]
    if CORPUS.is_dir():
        found += sorted(CORPUS.glob("*.xlsx"))
    return found


@pytest.mark.parametrize("path", _workbooks(), ids=lambda p: p.name)
def test_every_part_of_real_workbooks_reads_the_same(path: Path) -> None:
    with zipfile.ZipFile(path) as zf:  # the file itself, as the reader opens it
        infos = zf.infolist()
        assert any(type(open_part(zf, i)) is Part for i in infos)  # the quick path was taken
        for info in infos:
            for steps in STEPS:
                _both(zf, info, steps)


def test_reading_a_whole_part_is_zipfiles_read() -> None:
    data = _archive({"a.xml": SMALL, "b.xml": LARGE})
    data = _patched(data, _central(data) + 16, "<L", zlib.crc32(SMALL) ^ 1)  # a.xml damaged
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert read_part(zf, "b.xml") == zf.read("b.xml") == LARGE
        for name in ("a.xml", "missing.xml"):
            with pytest.raises(Exception) as ours:
                read_part(zf, name)
            with pytest.raises(Exception) as theirs:
                zf.read(name)
            assert (ours.type, str(ours.value)) == (theirs.type, str(theirs.value))


def test_two_parts_read_in_turn_each_keep_their_place() -> None:
    big = bytes(range(256)) * 200 + b"<row r='1'/>" * 3000
    data = _archive({"a.xml": big, "b.xml": big[::-1]})
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        a, b = (open_part(zf, zf.getinfo(n)) for n in ("a.xml", "b.xml"))
        got_a, got_b = [], []
        for _ in range(20):
            got_a.append(a.read(3000))
            got_b.append(b.read(5000))
        got_a.append(a.read())
        got_b.append(b.read())
    assert b"".join(got_a) == big and b"".join(got_b) == big[::-1]


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(0, 20_000), min_size=1, max_size=4),
    noisy=st.booleans(),
    stored=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_generated_parts_read_the_same(
    sizes: list[int], noisy: bool, stored: bool, seed: int
) -> None:
    def content(n: int, k: int) -> bytes:
        if noisy:  # deflates poorly: more input than output per step
            return bytes((seed * 31 + i * 7 + k) * 2654435761 % 251 for i in range(n))
        return (b"<c r='A%d'><v>%d</v></c>" % (k, seed))[: max(n, 1)] * (n // 20 + 1)

    parts = {f"xl/p{k}.xml": content(n, k)[:n] for k, n in enumerate(sizes)}
    _every_part(_archive(parts, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED))


# -- damaged archives: the same refusal --


def _central(data: bytes) -> int:
    """Offset of the first central directory entry (as the end record gives it)."""
    (offset,) = struct.unpack_from("<L", data, data.rindex(b"PK\x05\x06") + 16)
    return int(offset)


def _patched(data: bytes, at: int, fmt: str, value: int) -> bytes:
    out = bytearray(data)
    struct.pack_into(fmt, out, at, value)
    return bytes(out)


SMALL, LARGE = b"<Relationships/>" * 40, b"<row r='7'><c r='A7'><v>1</v></c></row>" * 600


@pytest.mark.parametrize("body", [SMALL, LARGE], ids=["small", "large"])
@pytest.mark.parametrize("stored", [False, True], ids=["deflated", "stored"])
@pytest.mark.parametrize(
    "damage",
    [
        "crc",
        "magic",
        "local-name",
        "size-larger",
        "size-smaller",
        "packed-size-larger",
        "truncated",
        "encrypted",
        "method",
        "utf8-flag",
    ],
)
def test_damaged_parts_are_refused_alike(body: bytes, stored: bool, damage: str) -> None:
    data = _archive({"xl/part.xml": body}, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
    cd = _central(data)
    if damage == "crc":
        data = _patched(data, cd + 16, "<L", zlib.crc32(body) ^ 1)
    elif damage == "magic":
        data = _patched(data, 0, "<L", 0x04034B51)
    elif damage == "local-name":
        data = data[:30] + b"y" + data[31:]
    elif damage == "size-larger":
        data = _patched(data, cd + 24, "<L", len(body) + 5000)
    elif damage == "size-smaller":
        data = _patched(data, cd + 24, "<L", len(body) - 100)
    elif damage == "packed-size-larger":  # reads run on to the end of the file
        data = _patched(data, cd + 20, "<L", len(data) * 2)
    elif damage == "truncated":
        data = data[: 30 + len("xl/part.xml") + 50] + data[cd:]  # the part's bytes cut short
    elif damage == "encrypted":
        data = _patched(data, cd + 8, "<H", 0x1)
    elif damage == "method":
        data = _patched(data, cd + 10, "<H", 99)
    elif damage == "utf8-flag":
        data = _patched(data, 6, "<H", 0x800)  # the local header says UTF-8: same name
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.infolist()[0]
        for steps in STEPS:
            _both(zf, info, steps)


def test_a_crc_is_checked_only_where_zipfile_checks_it() -> None:
    """A peek that ends before a large part's end does not see its CRC; one past it does."""
    data = _archive({"xl/part.xml": LARGE})
    data = _patched(data, _central(data) + 16, "<L", zlib.crc32(LARGE) ^ 1)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.infolist()[0]
        assert _reads(lambda: open_part(zf, info), [4096])[0] == "ok"
        assert _reads(lambda: open_part(zf, info), [-1])[0] == "BadZipFile"


def test_an_archive_open_for_writing_goes_through_zipfile() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "a") as zf:
        zf.writestr("a.xml", b"<a/>")
        assert type(open_part(zf, zf.getinfo("a.xml"))) is not Part
