"""[MS-OVBA] reader, strict: compression, the dir stream record by record, PROJECT,
PROJECTwm, _VBA_PROJECT and the CMG/DPB/GC data encryption."""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field

from . import SpecError
from .cfb import CompoundFile


def check(condition: bool, section: str, what: str) -> None:
    if not condition:
        raise SpecError(f"[MS-OVBA] {section}: {what}")


# --- §2.4.1 compression -------------------------------------------------------------------


def decompress(container: bytes) -> bytes:
    """§2.4.1.3.1 Decompression of a CompressedContainer."""
    check(len(container) >= 1 and container[0] == 0x01, "2.4.1.1.1", "SignatureByte 0x01")
    out = bytearray()
    position = 1
    while position < len(container):
        check(position + 2 <= len(container), "2.4.1.1.4", "a chunk header needs 2 bytes")
        (header,) = struct.unpack_from("<H", container, position)
        size = (header & 0x0FFF) + 3
        check((header >> 12) & 0b111 == 0b011, "2.4.1.1.5", "CompressedChunkSignature 0b011")
        compressed = bool(header & 0x8000)
        end = position + size
        check(end <= len(container), "2.4.1.1.4", "chunk runs past the container")
        chunk_start = len(out)
        if not compressed:
            check(size == 4098, "2.4.1.3.3", "a raw chunk holds 4096 bytes")
            out += container[position + 2 : end]
        else:
            _tokens(container, position + 2, end, out, chunk_start)
        check(len(out) - chunk_start <= 4096, "2.4.1.1.4", "a chunk decompresses to <= 4096")
        position = end
        if position < len(container):
            check(
                len(out) - chunk_start == 4096,
                "2.4.1.1.4",
                "every chunk but the last decompresses to 4096 bytes",
            )
    return bytes(out)


def _tokens(data: bytes, position: int, end: int, out: bytearray, chunk_start: int) -> None:
    while position < end:
        flags = data[position]
        position += 1
        for bit in range(8):
            if position >= end:
                break
            if not flags >> bit & 1:
                out.append(data[position])
                position += 1
                continue
            check(position + 2 <= end, "2.4.1.1.8", "a CopyToken needs 2 bytes")
            (token,) = struct.unpack_from("<H", data, position)
            position += 2
            difference = len(out) - chunk_start
            check(difference > 0, "2.4.1.3.19.1", "a CopyToken needs earlier bytes")
            bit_count = max((difference - 1).bit_length(), 4)
            length_mask = 0xFFFF >> bit_count
            length = (token & length_mask) + 3
            offset = (token >> (16 - bit_count)) + 1
            check(offset <= difference, "2.4.1.3.19.2", "CopyToken offset before the chunk")
            for _ in range(length):
                out.append(out[-offset])


# --- §2.4.3 data encryption ---------------------------------------------------------------


def decrypt(hex_text: str, project_id: str) -> bytes:
    """§2.4.3.3 Decryption of a CMG, DPB or GC value; checks the version and project key."""
    check(
        re.fullmatch(r"[0-9A-F]+", hex_text) is not None and len(hex_text) % 2 == 0,
        "2.3.1.16",
        "upper-case hex digits, whole bytes",
    )
    data = bytes.fromhex(hex_text)
    check(len(data) >= 7, "2.4.3.1", "Seed, VersionEnc, ProjKeyEnc and a length")
    seed, version_enc, project_key_enc = data[0], data[1], data[2]
    check(seed ^ version_enc == 2, "2.4.3.1", "Version is 2")
    project_key = seed ^ project_key_enc
    expected = sum(project_id.encode("cp1252")) & 0xFF
    check(project_key == expected, "2.4.3.1", "ProjKey is the sum of the ProjectId bytes")
    unencrypted_1, encrypted_1, encrypted_2 = project_key, project_key_enc, version_enc
    plain = bytearray()
    for byte_enc in data[3:]:
        byte = byte_enc ^ ((encrypted_2 + unencrypted_1) & 0xFF)
        plain.append(byte)
        encrypted_2, encrypted_1, unencrypted_1 = encrypted_1, byte_enc, byte
    ignored = (seed & 6) // 2
    (length,) = struct.unpack_from("<I", plain, ignored)
    body = bytes(plain[ignored + 4 :])
    check(len(body) == length, "2.4.3.1", f"Data holds DataLength ({length}) bytes")
    return body


# --- §2.3.4.2 dir stream ------------------------------------------------------------------


@dataclass
class Reference:
    name: str
    libid: str


@dataclass
class ModuleRecord:
    name: str
    stream: str
    offset: int
    kind: int  # 0x0021 procedural, 0x0022 document/class


@dataclass
class DirInfo:
    records: list[tuple[int, int]] = field(default_factory=list)  # (id, size) in order
    name: str = ""
    codepage: int = 0
    references: list[Reference] = field(default_factory=list)
    modules: list[ModuleRecord] = field(default_factory=list)


class _Cursor:
    def __init__(self, data: bytes, info: DirInfo) -> None:
        self.data, self.position, self.info = data, 0, info

    def peek(self) -> int:
        check(self.position + 2 <= len(self.data), "2.3.4.2", "stream ends inside a record")
        return int(struct.unpack_from("<H", self.data, self.position)[0])

    def record(self, record_id: int, size: int | None = None, limit: int | None = None) -> bytes:
        got = self.peek()
        check(got == record_id, "2.3.4.2", f"record {record_id:#06x} expected, {got:#06x} found")
        (length,) = struct.unpack_from("<I", self.data, self.position + 2)
        if size is not None:
            check(length == size, "2.3.4.2", f"record {record_id:#06x}: Size {size}, not {length}")
        if limit is not None:
            check(length <= limit, "2.3.4.2", f"record {record_id:#06x}: Size <= {limit}")
        start = self.position + 6
        check(start + length <= len(self.data), "2.3.4.2", "record runs past the stream")
        self.position = start + length
        self.info.records.append((record_id, length))
        return self.data[start : start + length]


def parse_dir(data: bytes) -> DirInfo:
    info = DirInfo()
    c = _Cursor(data, info)
    # §2.3.4.2.1 PROJECTINFORMATION
    (syskind,) = struct.unpack("<I", c.record(0x0001, 4))
    check(syskind in (0, 1, 2, 3), "2.3.4.2.1.1", "SysKind 0-3")
    if c.peek() == 0x004A:
        c.record(0x004A, 4)
    c.record(0x0002, 4)
    c.record(0x0014, 4)
    (info.codepage,) = struct.unpack("<H", c.record(0x0003, 2))
    enc = f"cp{info.codepage}"
    info.name = c.record(0x0004, limit=128).decode(enc)
    check(len(info.name) >= 1, "2.3.4.2.1.6", "a project name")
    doc = c.record(0x0005, limit=2000)
    doc_unicode = c.record(0x0040)
    check(doc_unicode.decode("utf-16-le") == doc.decode(enc), "2.3.4.2.1.7", "DocString pair")
    help1 = c.record(0x0006, limit=260)
    help2 = c.record(0x003D)
    check(help1 == help2, "2.3.4.2.1.8", "HelpFile1 equals HelpFile2")
    c.record(0x0007, 4)
    (flags,) = struct.unpack("<I", c.record(0x0008, 4))
    check(flags == 0, "2.3.4.2.1.10", "LibFlags 0")
    # PROJECTVERSION: Reserved (Size) MUST be 4, then VersionMajor (4) and VersionMinor (2)
    check(c.peek() == 0x0009, "2.3.4.2.1.11", "PROJECTVERSION")
    (reserved,) = struct.unpack_from("<I", data, c.position + 2)
    check(reserved == 4, "2.3.4.2.1.11", "Reserved 0x00000004")
    c.position += 12
    info.records.append((0x0009, 6))
    constants = c.record(0x000C, limit=1015)
    check(
        c.record(0x003C).decode("utf-16-le") == constants.decode(enc),
        "2.3.4.2.1.12",
        "Constants pair",
    )
    # §2.3.4.2.2 PROJECTREFERENCES
    while c.peek() == 0x0016:
        name = c.record(0x0016).decode(enc)
        if c.peek() == 0x003E:
            check(c.record(0x003E).decode("utf-16-le") == name, "2.3.4.2.2.2", "name pair")
        kind = c.peek()
        if kind == 0x000D:
            payload = c.record(0x000D)
            (n,) = struct.unpack_from("<I", payload, 0)
            libid = payload[4 : 4 + n].decode(enc)
            check(payload[4 + n :] == bytes(6), "2.3.4.2.2.5", "Reserved1 and Reserved2 zero")
            check(len(payload) == 4 + n + 6, "2.3.4.2.2.5", "Size = 4 + SizeOfLibid + 6")
            info.references.append(Reference(name, libid))
        elif kind in (0x0033, 0x002F):  # REFERENCECONTROL, maybe after REFERENCEORIGINAL
            original = ""
            if kind == 0x0033:
                payload = c.record(0x0033)
                original = payload.decode(enc)
            twiddled = c.record(0x002F)
            (n,) = struct.unpack_from("<I", twiddled, 0)
            check(twiddled[4 + n :] == bytes(6), "2.3.4.2.2.3", "Reserved1, Reserved2 zero")
            if c.peek() == 0x0016:
                c.record(0x0016)
                if c.peek() == 0x003E:
                    c.record(0x003E)
            extended = c.record(0x0030)
            (m,) = struct.unpack_from("<I", extended, 0)
            info.references.append(Reference(name, original or extended[4 : 4 + m].decode(enc)))
        elif kind == 0x000E:
            payload = c.record(0x000E)
            (n,) = struct.unpack_from("<I", payload, 0)
            info.references.append(Reference(name, payload[4 : 4 + n].decode(enc)))
        else:
            raise SpecError(f"[MS-OVBA] 2.3.4.2.2.1: reference kind {kind:#06x} not read here")
    # §2.3.4.2.3 PROJECTMODULES
    (count,) = struct.unpack("<H", c.record(0x000F, 2))
    c.record(0x0013, 2)
    for _ in range(count):
        name = c.record(0x0019).decode(enc)
        if c.peek() == 0x0047:
            check(c.record(0x0047).decode("utf-16-le") == name, "2.3.4.2.3.2.2", "name pair")
        stream = c.record(0x001A).decode(enc)
        check(c.record(0x0032).decode("utf-16-le") == stream, "2.3.4.2.3.2.3", "stream pair")
        docstring = c.record(0x001C).decode(enc)
        check(c.record(0x0048).decode("utf-16-le") == docstring, "2.3.4.2.3.2.4", "doc pair")
        (offset,) = struct.unpack("<I", c.record(0x0031, 4))
        c.record(0x001E, 4)
        c.record(0x002C, 2)  # MODULECOOKIE: ignored on read
        kind = c.peek()
        check(kind in (0x0021, 0x0022), "2.3.4.2.3.2.8", "MODULETYPE 0x0021 or 0x0022")
        c.record(kind, 0)
        if c.peek() == 0x0025:
            c.record(0x0025, 0)
        if c.peek() == 0x0028:
            c.record(0x0028, 0)
        c.record(0x002B, 0)
        info.modules.append(ModuleRecord(name, stream, offset, kind))
    c.record(0x0010, 0)
    check(c.position == len(data), "2.3.4.2", "nothing after the Terminator")
    return info


# --- the whole project --------------------------------------------------------------------


@dataclass
class Project:
    dir: DirInfo
    properties: list[tuple[str, str]]
    sections: dict[str, list[str]]
    plaintexts: dict[str, bytes]
    sources: dict[str, str]
    vba_project: bytes


PROPERTY_ORDER = [
    "ID", "Document", "Module", "Class", "BaseClass", "Package", "HelpFile", "ExeName32",
    "Name", "HelpContextID", "Description", "VersionCompatible32", "CMG", "DPB", "GC",
]  # fmt: skip


def read_project(data: bytes) -> Project:
    """Read and check a ``vbaProject.bin`` from its bytes."""
    cfb = CompoundFile(data)
    cfb.check_no_orphans()
    streams = cfb.streams
    for name in ("PROJECT", "VBA/dir", "VBA/_VBA_PROJECT"):
        check(name in streams, "2.2", f"stream {name}")
    info = parse_dir(decompress(streams["VBA/dir"]))
    enc = f"cp{info.codepage}"
    text = streams["PROJECT"].decode(enc)
    check(text.endswith("\r\n"), "2.3.1", "PROJECT ends with NWLN")
    lines = text.split("\r\n")[:-1]
    properties: list[tuple[str, str]] = []
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for line in lines:
        if line.startswith("["):
            check(line in ("[Host Extender Info]", "[Workspace]"), "2.3.1", f"section {line}")
            current = line
            sections[current] = []
        elif current is not None:
            if line:
                sections[current].append(line)
        elif line:
            key, sep, value = line.partition("=")
            check(sep == "=", "2.3.1", f"property line {line!r}")
            properties.append((key, value))
    keys = [PROPERTY_ORDER.index(k) for k, _ in properties if k in PROPERTY_ORDER]
    check(len(keys) == len(properties), "2.3.1", "only known properties")
    modules_end = max(
        i
        for i, (k, _) in enumerate(properties)
        if k in ("Document", "Module", "Class", "BaseClass")
    )
    after = [PROPERTY_ORDER.index(k) for k, _ in properties[modules_end + 1 :]]
    check(properties[0][0] == "ID" and after == sorted(after), "2.3.1", "properties in order")
    values = dict(properties)
    project_id = values["ID"].strip('"')
    check(re.fullmatch(r"\{[0-9A-F-]{36}\}", project_id) is not None, "2.3.1.2", "ProjectId")
    plaintexts = {key: decrypt(values[key].strip('"'), project_id) for key in ("CMG", "DPB", "GC")}
    check(
        sections.get("[Host Extender Info]")
        == ["&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"],
        "2.3.1.18",
        "the VBE host extender",
    )
    # PROJECT's module list = dir's
    listed = [v.split("/")[0] for k, v in properties if k in ("Document", "Module", "Class")]
    check(sorted(listed) == sorted(m.name for m in info.modules), "2.3.1.3", "module lists agree")
    for key, value in properties:
        if key == "Document":
            check(value.endswith("/&H00000000"), "2.3.1.4", "DocTlibVer &H00000000")
    # §2.3.3 PROJECTwm
    if "PROJECTwm" in streams:
        names, wm, position = [], streams["PROJECTwm"], 0
        while wm[position : position + 2] != b"\0\0":
            end = wm.index(b"\0", position)
            mbcs = wm[position:end].decode(enc)
            position = end + 1
            ends = [i for i in range(position, len(wm) - 1, 2) if wm[i : i + 2] == b"\0\0"]
            unicode = wm[position : ends[0]].decode("utf-16-le")
            check(mbcs == unicode, "2.3.3.1", "NameMap pair")
            names.append(mbcs)
            position = ends[0] + 2
        check(position + 2 == len(wm), "2.3.3", "Terminator ends the stream")
        check(names == [m.name for m in info.modules], "2.3.3", "names of the dir's modules")
    vba_project = streams["VBA/_VBA_PROJECT"]
    reserved1, _version, reserved2 = struct.unpack_from("<HHB", vba_project)
    check(reserved1 == 0x61CC and reserved2 == 0x00, "2.3.4.1", "Reserved1 0x61CC, Reserved2 0")
    sources = {}
    for module in info.modules:
        stream = streams[f"VBA/{module.stream}"]
        check(module.offset <= len(stream), "2.3.4.3", f"{module.name}: offset in the stream")
        sources[module.name] = decompress(stream[module.offset :]).decode(enc)
    return Project(info, properties, sections, plaintexts, sources, vba_project)
