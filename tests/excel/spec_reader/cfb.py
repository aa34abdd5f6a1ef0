"""[MS-CFB] compound file reader, strict: header, FAT/DIFAT, directory tree, mini stream."""

from __future__ import annotations

import struct
from dataclasses import dataclass

from . import SpecError

SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
MAXREGSECT, DIFSECT, FATSECT, ENDOFCHAIN, FREESECT = (
    0xFFFFFFFA,
    0xFFFFFFFC,
    0xFFFFFFFD,
    0xFFFFFFFE,
    0xFFFFFFFF,
)
NOSTREAM = 0xFFFFFFFF


def check(condition: bool, section: str, what: str) -> None:
    if not condition:
        raise SpecError(f"[MS-CFB] {section}: {what}")


@dataclass
class Entry:
    index: int
    name: str
    type: int  # 1 storage, 2 stream, 5 root
    color: int  # 0 red, 1 black
    left: int
    right: int
    child: int
    start: int
    size: int


class CompoundFile:
    """A parsed compound file: ``streams`` maps ``"STORAGE/STREAM"`` to bytes."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self._header()
        self._fat()
        self._directory()
        self._mini()
        self.streams: dict[str, bytes] = {}
        self._walk(self.entries[0].child, "")

    # §2.2 header
    def _header(self) -> None:
        d = self.data
        check(len(d) >= 512 and d[:8] == SIGNATURE, "2.2", "header signature")
        check(d[8:24] == bytes(16), "2.2", "header CLSID must be zero")
        minor, major, order, sshift, mshift = struct.unpack_from("<HHHHH", d, 24)
        check(major == 3 and sshift == 9, "2.2", "version 3 with 512-byte sectors")
        check(minor == 0x003E, "2.2", "minor version SHOULD be 0x003E")
        check(order == 0xFFFE and mshift == 6, "2.2", "byte order 0xFFFE, mini sector shift 6")
        check(d[34:40] == bytes(6), "2.2", "reserved bytes must be zero")
        ndir, nfat, self.dir_start, tsig, cutoff = struct.unpack_from("<IIIII", d, 40)
        check(ndir == 0, "2.2", "number of directory sectors must be 0 for version 3")
        check(tsig == 0 and cutoff == 4096, "2.2", "transaction signature 0, cutoff 4096")
        self.minifat_start, self.n_minifat, self.difat_start, self.n_difat = struct.unpack_from(
            "<IIII", d, 60
        )
        self.n_fat = nfat
        self.difat = list(struct.unpack_from("<109I", d, 76))
        check(len(d) % 512 == 0, "2.2", "file is a whole number of sectors")
        self.n_sectors = len(d) // 512 - 1

    def sector(self, n: int) -> bytes:
        check(n < self.n_sectors, "2.1", f"sector {n} beyond the end of the file")
        return self.data[512 * (n + 1) : 512 * (n + 2)]

    # §2.3 FAT, §2.5 DIFAT
    def _fat(self) -> None:
        fat_sectors = [s for s in self.difat if s != FREESECT]
        check(
            self.difat[len(fat_sectors) :] == [FREESECT] * (109 - len(fat_sectors)),
            "2.5",
            "unused DIFAT entries are FREESECT and come last",
        )
        if self.n_difat == 0:
            check(self.difat_start == ENDOFCHAIN, "2.2", "no DIFAT sectors: start ENDOFCHAIN")
        check(len(fat_sectors) == self.n_fat, "2.2", "FAT sector count matches the DIFAT")
        self.fat = []
        for s in fat_sectors:
            self.fat += struct.unpack("<128I", self.sector(s))
        for s in fat_sectors:
            check(self.fat[s] == FATSECT, "2.3", f"FAT sector {s} marked FATSECT")
        for i in range(self.n_sectors, len(self.fat)):
            check(self.fat[i] == FREESECT, "2.3", f"entry {i} past the file end is FREESECT")
        self.used: set[int] = set(fat_sectors)

    def chain(self, start: int, table: list[int], what: str) -> list[int]:
        out: list[int] = []
        n = start
        while n != ENDOFCHAIN:
            check(n <= MAXREGSECT and n < len(table), "2.3", f"{what}: bad sector {n:#x}")
            check(n not in out, "2.3", f"{what}: the chain loops")
            out.append(n)
            n = table[n]
        return out

    # §2.6 directory
    def _directory(self) -> None:
        sectors = self.chain(self.dir_start, self.fat, "directory")
        self._claim(sectors, "directory")
        raw = b"".join(self.sector(s) for s in sectors)
        self.entries: list[Entry] = []
        for i in range(len(raw) // 128):
            e = raw[128 * i : 128 * (i + 1)]
            (length,) = struct.unpack_from("<H", e, 64)
            kind, color = e[66], e[67]
            left, right, child = struct.unpack_from("<III", e, 68)
            start, size_lo, size_hi = struct.unpack_from("<III", e, 116)
            if kind == 0:
                check(
                    e == bytes(68) + b"\xff" * 12 + bytes(48),
                    "2.6.3",
                    "an unallocated entry is zero but for NOSTREAM links",
                )
                self.entries.append(Entry(i, "", 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, 0, 0))
                continue
            check(2 <= length <= 64 and length % 2 == 0, "2.6.1", "name length")
            name = e[: length - 2].decode("utf-16-le")
            check(e[length - 2 : length] == b"\0\0", "2.6.1", "name ends with NUL")
            check(not any(c in name for c in "/\\:!"), "2.6.1", f"illegal character in {name!r}")
            check(kind in (1, 2, 5) and color in (0, 1), "2.6.1", "object type and color")
            check(size_hi == 0, "2.6.1", "version 3: stream size high bits must be zero")
            self.entries.append(Entry(i, name, kind, color, left, right, child, start, size_lo))
        root = self.entries[0]
        check(root.type == 5 and root.name == "Root Entry", "2.6.2", "entry 0 is the root")

    def _claim(self, sectors: list[int], what: str) -> None:
        for s in sectors:
            check(s not in self.used, "2.3", f"sector {s} of {what} is used twice")
            self.used.add(s)

    # §2.4 MiniFAT and the mini stream
    def _mini(self) -> None:
        root = self.entries[0]
        mini_sectors = self.chain(root.start, self.fat, "mini stream") if root.size else []
        self._claim(mini_sectors, "the mini stream")
        self.mini_stream = b"".join(self.sector(s) for s in mini_sectors)[: root.size]
        check(len(self.mini_stream) == root.size, "2.6.2", "mini stream size")
        if self.n_minifat:
            sectors = self.chain(self.minifat_start, self.fat, "MiniFAT")
            check(len(sectors) == self.n_minifat, "2.2", "MiniFAT sector count")
            self._claim(sectors, "the MiniFAT")
            self.minifat = list(
                struct.unpack(f"<{128 * len(sectors)}I", b"".join(self.sector(s) for s in sectors))
            )
        else:
            check(self.minifat_start == ENDOFCHAIN, "2.2", "no MiniFAT: start ENDOFCHAIN")
            self.minifat = []
        self.mini_used: set[int] = set()

    def _stream(self, entry: Entry) -> bytes:
        if entry.size < 4096:
            chain = self.chain(entry.start, self.minifat, entry.name) if entry.size else []
            for s in chain:
                check(s not in self.mini_used, "2.4", f"mini sector {s} used twice")
                self.mini_used.add(s)
            check(len(chain) == -(-entry.size // 64), "2.4", f"{entry.name}: mini chain length")
            data = b"".join(self.mini_stream[64 * s : 64 * s + 64] for s in chain)
        else:
            chain = self.chain(entry.start, self.fat, entry.name)
            self._claim(chain, entry.name)
            check(len(chain) == -(-entry.size // 512), "2.3", f"{entry.name}: chain length")
            data = b"".join(self.sector(s) for s in chain)
        return data[: entry.size]

    # §2.6.4 red-black tree of each storage's children
    def _walk(self, top: int, prefix: str) -> None:
        siblings: list[Entry] = []
        self._in_order(top, siblings, set())
        keys = [(len(e.name), e.name.upper()) for e in siblings]
        check(
            keys == sorted(keys) and len(set(keys)) == len(keys),
            "2.6.4",
            f"children of {prefix or 'root'} in name order, unique",
        )
        if top != NOSTREAM:
            check(self.entries[top].color == 1, "2.6.4", "the root of a tree is black")
            self._black_height(top)
        for e in siblings:
            path = f"{prefix}{e.name}"
            if e.type == 1:
                check(e.start == 0 and e.size == 0, "2.6.3", f"storage {path}: no stream")
                self._walk(e.child, path + "/")
            else:
                check(e.child == NOSTREAM, "2.6.3", f"stream {path} has no children")
                self.streams[path] = self._stream(e)

    def _in_order(self, n: int, out: list[Entry], seen: set[int]) -> None:
        if n == NOSTREAM:
            return
        check(n < len(self.entries) and n not in seen, "2.6.4", "tree links are sound")
        seen.add(n)
        e = self.entries[n]
        self._in_order(e.left, out, seen)
        out.append(e)
        self._in_order(e.right, out, seen)

    def _black_height(self, n: int) -> int:
        if n == NOSTREAM:
            return 1
        e = self.entries[n]
        if e.color == 0:
            for c in (e.left, e.right):
                check(c == NOSTREAM or self.entries[c].color == 1, "2.6.4", "red has no red child")
        left, right = self._black_height(e.left), self._black_height(e.right)
        check(left == right, "2.6.4", "every path has the same number of black nodes")
        return left + e.color

    def check_no_orphans(self) -> None:
        """Every sector marked in the FAT belongs to something we read."""
        for i, value in enumerate(self.fat[: self.n_sectors]):
            if value != FREESECT:
                check(i in self.used, "2.3", f"sector {i} is allocated but unused")
