"""A minimal Compound File Binary ([MS-CFB]) writer: version 3, 512-byte sectors.

``vbaProject.bin`` is a compound file: a small FAT file system of storages
(folders) and streams (files). This module writes one from a mapping of
``"STORAGE/STREAM"`` paths to bytes. It was written because no maintained
PyPI package writes compound files under a licence we can ship (``olefile``
only rewrites streams in place, at the same size).

Layout, in sector order after the 512-byte header: the FAT sectors, the
directory, the MiniFAT, the mini stream, then every stream of 4096 bytes or
more. Streams smaller than the 4096-byte cutoff live in the mini stream in
64-byte mini sectors chained by the MiniFAT. Up to 109 FAT sectors are listed
in the header's DIFAT array (about 6.8 MiB of file); larger files are refused.

The children of each storage form a red-black tree ordered as §2.6.4 says:
shorter names first, equal lengths compared code point by code point after
upper-casing. The tree is built balanced from the sorted names; nodes on an
incomplete last level are red, all others black, which keeps every path to a
leaf at the same black height. Times and CLSIDs are zero, so the output is
byte-for-byte deterministic.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["CompoundFileError", "name_key", "write_compound_file"]

SECTOR_SIZE = 512
MINI_SECTOR_SIZE = 64
MINI_STREAM_CUTOFF = 4096

MAXREGSECT = 0xFFFFFFFA
DIFSECT = 0xFFFFFFFC
FATSECT = 0xFFFFFFFD
ENDOFCHAIN = 0xFFFFFFFE
FREESECT = 0xFFFFFFFF
NOSTREAM = 0xFFFFFFFF

_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_HEADER_DIFAT_ENTRIES = 109
_ENTRY_SIZE = 128
_IDS_PER_SECTOR = SECTOR_SIZE // 4
_ENTRIES_PER_SECTOR = SECTOR_SIZE // _ENTRY_SIZE

_TYPE_STORAGE = 1
_TYPE_STREAM = 2
_TYPE_ROOT = 5
_RED = 0
_BLACK = 1

_ILLEGAL_NAME_CHARS = frozenset("/\\:!")


class CompoundFileError(ValueError):
    """The requested compound file cannot be written (bad name, too large...)."""


@dataclass
class _Entry:
    """One directory entry while the file is being laid out."""

    name: str
    kind: int
    data: bytes = b""
    children: dict[str, _Entry] = field(default_factory=dict)
    sid: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = _BLACK
    start: int = ENDOFCHAIN
    size: int = 0


def name_key(name: str) -> tuple[int, tuple[str, ...]]:
    """Sort key of a directory entry name among its siblings ([MS-CFB] §2.6.4).

    Args:
        name: The entry name.

    Returns:
        ``(length in UTF-16 code units, upper-cased code points)``.
    """
    units = len(name.encode("utf-16-le")) // 2
    upper = tuple(ch.upper() if len(ch.upper()) == 1 else ch for ch in name)
    return units, upper


def write_compound_file(streams: Mapping[str, bytes]) -> bytes:
    """Return a version-3 compound file holding ``streams``.

    Args:
        streams: Stream contents by path; ``"VBA/dir"`` is the stream ``dir``
            in the storage ``VBA`` under the root. Storages are created as
            the paths need them.

    Returns:
        The bytes of the compound file.

    Raises:
        CompoundFileError: For an invalid name, a path that is both a stream
            and a storage, or a file too large for the header's DIFAT.
    """
    root = _Entry("Root Entry", _TYPE_ROOT)
    for path, data in streams.items():
        _insert(root, path, bytes(data))
    entries = _number(root)
    for entry in entries:
        if entry.kind != _TYPE_STREAM:
            entry.child = _build_tree(list(entry.children.values()))

    mini_stream, minifat = _lay_out_mini_stream(entries)
    big = [e for e in entries if e.kind == _TYPE_STREAM and e.size >= MINI_STREAM_CUTOFF]

    n_dir = math.ceil(len(entries) / _ENTRIES_PER_SECTOR)
    n_minifat = math.ceil(len(minifat) * 4 / SECTOR_SIZE)
    n_mini = math.ceil(len(mini_stream) / SECTOR_SIZE)
    n_data = n_dir + n_minifat + n_mini + sum(_sectors(e.size) for e in big)
    n_fat = 0
    while n_fat * _IDS_PER_SECTOR < n_fat + n_data:
        n_fat += 1
    if n_fat > _HEADER_DIFAT_ENTRIES:
        raise CompoundFileError("compound file too large for a header-only DIFAT")

    fat: list[int] = [FATSECT] * n_fat
    dir_start = _chain(fat, n_dir)
    minifat_start = _chain(fat, n_minifat) if n_minifat else ENDOFCHAIN
    root.start = _chain(fat, n_mini) if n_mini else ENDOFCHAIN
    root.size = len(mini_stream)
    for entry in big:
        entry.start = _chain(fat, _sectors(entry.size))
    fat += [FREESECT] * (n_fat * _IDS_PER_SECTOR - len(fat))

    header = _header(n_fat, dir_start, minifat_start, n_minifat)
    body = bytearray()
    body += struct.pack(f"<{len(fat)}I", *fat)
    body += _pad(b"".join(_pack_entry(e) for e in entries) + _unused_entries(entries, n_dir))
    body += _pad(struct.pack(f"<{len(minifat)}I", *minifat)) if minifat else b""
    body += _pad(mini_stream)
    for entry in big:
        body += _pad(entry.data)
    return header + bytes(body)


def _insert(root: _Entry, path: str, data: bytes) -> None:
    """Add the stream at ``path`` under ``root``, creating storages on the way."""
    parts = path.split("/")
    node = root
    for depth, part in enumerate(parts):
        _check_name(part, path)
        last = depth == len(parts) - 1
        existing = node.children.get(part.upper())
        if existing is None:
            existing = _Entry(part, _TYPE_STREAM if last else _TYPE_STORAGE)
            node.children[part.upper()] = existing
        elif existing.kind == _TYPE_STREAM and last:
            raise CompoundFileError(f"duplicate stream {path!r}")
        if (existing.kind == _TYPE_STREAM) != last:
            raise CompoundFileError(f"{path!r}: {part!r} is both a stream and a storage")
        node = existing
    node.data = data
    node.size = len(data)


def _check_name(name: str, path: str) -> None:
    """Refuse names [MS-CFB] §2.6.1 does not allow."""
    if not name or len(name.encode("utf-16-le")) // 2 > 31:
        raise CompoundFileError(f"{path!r}: entry names must have 1 to 31 characters")
    if _ILLEGAL_NAME_CHARS.intersection(name):
        raise CompoundFileError(f"{path!r}: entry names must not contain / \\ : or !")


def _number(root: _Entry) -> list[_Entry]:
    """Assign stream ids breadth first, root 0, siblings in name order."""
    order = [root]
    for entry in order:  # grows while iterating: breadth-first walk
        order.extend(sorted(entry.children.values(), key=lambda e: name_key(e.name)))
    for sid, entry in enumerate(order):
        entry.sid = sid
    return order


def _build_tree(siblings: list[_Entry]) -> int:
    """Link ``siblings`` into a balanced red-black tree and return the root's id."""
    ordered = sorted(siblings, key=lambda e: name_key(e.name))
    if not ordered:
        return NOSTREAM
    depth = math.floor(math.log2(len(ordered)))  # depth of the deepest level
    full = len(ordered) == 2 ** (depth + 1) - 1

    def link(low: int, high: int, level: int) -> int:
        if low > high:
            return NOSTREAM
        middle = (low + high + 1) // 2
        node = ordered[middle]
        node.left = link(low, middle - 1, level + 1)
        node.right = link(middle + 1, high, level + 1)
        node.color = _RED if level == depth and level > 0 and not full else _BLACK
        return node.sid

    return link(0, len(ordered) - 1, 0)


def _lay_out_mini_stream(entries: list[_Entry]) -> tuple[bytes, list[int]]:
    """Place small streams in the mini stream; return it and the MiniFAT."""
    mini = bytearray()
    minifat: list[int] = []
    for entry in entries:
        if entry.kind != _TYPE_STREAM or entry.size >= MINI_STREAM_CUTOFF:
            continue
        if entry.size == 0:
            entry.start = ENDOFCHAIN
            continue
        count = math.ceil(entry.size / MINI_SECTOR_SIZE)
        entry.start = _chain(minifat, count)
        mini += entry.data.ljust(count * MINI_SECTOR_SIZE, b"\x00")
    if minifat:
        minifat += [FREESECT] * (-len(minifat) % _IDS_PER_SECTOR)
    return bytes(mini), minifat


def _chain(table: list[int], count: int) -> int:
    """Append a chain of ``count`` consecutive sectors to ``table``; return its start."""
    start = len(table)
    table.extend(range(start + 1, start + count))
    table.append(ENDOFCHAIN)
    return start


def _sectors(size: int) -> int:
    """Number of 512-byte sectors ``size`` bytes take."""
    return math.ceil(size / SECTOR_SIZE)


def _pad(data: bytes) -> bytes:
    """``data`` padded with zeros to a whole number of sectors."""
    return data + b"\x00" * (-len(data) % SECTOR_SIZE)


def _header(n_fat: int, dir_start: int, minifat_start: int, n_minifat: int) -> bytes:
    """The 512-byte compound file header (§2.2)."""
    difat = list(range(n_fat)) + [FREESECT] * (_HEADER_DIFAT_ENTRIES - n_fat)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        _SIGNATURE,
        bytes(16),  # header CLSID
        0x003E,  # minor version
        0x0003,  # major version 3
        0xFFFE,  # byte order: little-endian
        9,  # sector shift: 512-byte sectors
        6,  # mini sector shift: 64-byte mini sectors
        bytes(6),  # reserved
        0,  # number of directory sectors: MUST be 0 in version 3
        n_fat,
        dir_start,
        0,  # transaction signature
        MINI_STREAM_CUTOFF,
        minifat_start,
        n_minifat,
        ENDOFCHAIN,  # first DIFAT sector: none
        0,  # number of DIFAT sectors
    )
    return header + struct.pack(f"<{_HEADER_DIFAT_ENTRIES}I", *difat)


def _pack_entry(entry: _Entry) -> bytes:
    """The 128-byte directory entry of ``entry`` (§2.6.1)."""
    name = entry.name.encode("utf-16-le") + b"\x00\x00"
    start = entry.start if entry.kind != _TYPE_STORAGE else 0
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name,
        len(name),
        entry.kind,
        entry.color,
        entry.left,
        entry.right,
        entry.child,
        bytes(16),  # CLSID
        0,  # state bits
        0,  # creation time
        0,  # modified time
        start,
        entry.size if entry.kind != _TYPE_STORAGE else 0,
    )


def _unused_entries(entries: list[_Entry], n_dir: int) -> bytes:
    """Free directory entries filling the last directory sector."""
    free = struct.pack(
        "<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, bytes(16), 0, 0, 0, 0, 0
    )
    return free * (n_dir * _ENTRIES_PER_SECTOR - len(entries))
