"""Build ``vbaProject.bin`` ([MS-OVBA]) from VBA module sources.

The project is written the interoperable way the specification describes:
``_VBA_PROJECT`` carries no performance cache and every module's
``MODULEOFFSET`` is 0, so the streams hold only compressed source and Office
compiles the project from it when it first opens the file.

Streams written (paths inside the compound file):

* ``PROJECT`` - §2.3.1 project properties, text;
* ``PROJECTwm`` - §2.3.3 module names, MBCS and UTF-16;
* ``VBA/_VBA_PROJECT`` - §2.3.4.1 the seven version-independent bytes;
* ``VBA/dir`` - §2.3.4.2 project information, references and modules, compressed;
* ``VBA/<module>`` - §2.3.4.3 each module's source, compressed.

A module's source is written as :class:`~addin.excel.vba.module.Module` holds it.
"""

from __future__ import annotations

import hashlib
import struct
import uuid
from dataclasses import dataclass

from addin.excel.vba.cfb import write_compound_file
from addin.excel.vba.compression import CHUNK_SIZE, compress, decompress
from addin.excel.vba.encryption import encrypt_data
from addin.excel.vba.module import (
    CODEPAGE,
    ENCODING,
    Module,
    ModuleKind,
    ProjectError,
    check_identifier,
    normalize_source,
)

__all__ = [
    "OFFICE_REFERENCE",
    "STDOLE_REFERENCE",
    "Module",
    "ModuleKind",
    "ProjectError",
    "Reference",
    "VbaProject",
    "normalize_source",
]

_LCID_EN_US = 0x0409
_VBE_HOST_EXTENDER = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"


@dataclass(frozen=True)
class Reference:
    """A registered type library the project references (REFERENCEREGISTERED)."""

    name: str
    """Name shown in the VBA editor's References dialog and used in code."""
    libid: str
    """``*\\G{GUID}#major.minor#lcid#path#description`` ([MS-OVBA] §2.1.1.8)."""


STDOLE_REFERENCE = Reference(
    "stdole",
    r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\Windows\System32\stdole2.tlb"
    "#OLE Automation",
)
"""OLE Automation, referenced by every project Excel creates."""

OFFICE_REFERENCE = Reference(
    "Office",
    r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#C:\Program Files\Common Files"
    r"\Microsoft Shared\OFFICE16\MSO.DLL#Microsoft Office 16.0 Object Library",
)
"""Microsoft Office Object Library: ``IRibbonControl``, ``msoFileDialog...``."""


@dataclass(frozen=True)
class VbaProject:
    """A VBA project ready to be written as ``vbaProject.bin``."""

    name: str
    """Project name (VBA identifier); must differ from every module name."""
    modules: tuple[Module, ...]
    """Modules in the order the VBA editor lists them."""
    references: tuple[Reference, ...] = (STDOLE_REFERENCE, OFFICE_REFERENCE)
    """Type libraries beyond VBA and the host's own, which are implicit."""
    project_id: str = ""
    """``{GUID}`` of the PROJECT stream; derived from ``name`` when empty."""
    description: str = ""
    """Project description (DocString)."""

    def __post_init__(self) -> None:
        check_identifier(self.name, "project")
        seen: set[str] = {self.name.upper()}
        for module in self.modules:
            if module.name.upper() in seen:
                raise ProjectError(f"name {module.name!r} is used twice in the project")
            seen.add(module.name.upper())

    @property
    def guid(self) -> str:
        """The project's ``{GUID}``, upper case, braces included."""
        if self.project_id:
            return self.project_id.upper()
        return "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"vba-project:{self.name}")).upper() + "}"

    def to_bytes(self) -> bytes:
        """Return the ``vbaProject.bin`` compound file.

        Raises:
            ProjectError: When a stream would not decompress to exactly its
                bytes (see :func:`_compress_exactly`).
        """
        streams: dict[str, bytes] = {
            "PROJECT": self.project_stream(),
            "PROJECTwm": self.name_map_stream(),
            "VBA/_VBA_PROJECT": VBA_PROJECT_STREAM,
            "VBA/dir": _compress_exactly(self.dir_stream(), "the dir stream"),
        }
        for module in self.modules:
            streams[f"VBA/{module.name}"] = _compress_exactly(
                module.encoded(), f"module {module.name}"
            )
        return write_compound_file(streams)

    def dir_stream(self) -> bytes:
        """The decompressed ``dir`` stream (§2.3.4.2)."""
        return (
            self._information_record()
            + b"".join(_reference_record(r) for r in self.references)
            + self._modules_record()
            + struct.pack("<HI", 0x0010, 0)  # Terminator, Reserved
        )

    def project_stream(self) -> bytes:
        """The ``PROJECT`` stream text (§2.3.1), CRLF separated, MBCS encoded."""
        lines = [f'ID="{self.guid}"']
        for module in self.modules:
            suffix = "/&H00000000" if module.kind is ModuleKind.DOCUMENT else ""
            lines.append(f"{module.kind.value}={module.name}{suffix}")
        lines += [
            f'Name="{self.name}"',
            'HelpContextID="0"',
        ]
        if self.description:
            lines.append(f'Description="{self.description}"')
        not_protected, no_password, visible = bytes(4), bytes(1), b"\xff"
        lines += [
            'VersionCompatible32="393222000"',
            f'CMG="{self._encrypt(not_protected, "CMG")}"',
            f'DPB="{self._encrypt(no_password, "DPB")}"',
            f'GC="{self._encrypt(visible, "GC")}"',
            "",
            "[Host Extender Info]",
            _VBE_HOST_EXTENDER,
            "",
            "[Workspace]",
        ]
        lines += [f"{module.name}=0, 0, 0, 0, C" for module in self.modules]
        return ("\r\n".join(lines) + "\r\n").encode(ENCODING)

    def name_map_stream(self) -> bytes:
        """The ``PROJECTwm`` stream (§2.3.3): each name in MBCS then UTF-16."""
        out = bytearray()
        for module in self.modules:
            out += _mbcs(module.name) + b"\x00" + module.name.encode("utf-16-le") + b"\x00\x00"
        return bytes(out + b"\x00\x00")

    def _encrypt(self, data: bytes, label: str) -> str:
        """Hex of §2.4.3 data encryption with a seed derived from the project id."""
        digest = hashlib.sha256(f"{self.guid}:{label}".encode("ascii")).digest()
        return encrypt_data(data, self.guid, seed=digest[0], ignored=digest[1:4]).hex().upper()

    def _information_record(self) -> bytes:
        """PROJECTINFORMATION (§2.3.4.2.1)."""
        return b"".join(
            [
                _record(0x0001, struct.pack("<I", 1)),  # SYSKIND: 32-bit Windows
                _record(0x0002, struct.pack("<I", _LCID_EN_US)),  # LCID
                _record(0x0014, struct.pack("<I", _LCID_EN_US)),  # LCIDINVOKE
                _record(0x0003, struct.pack("<H", CODEPAGE)),  # CODEPAGE
                _record(0x0004, _mbcs(self.name)),  # NAME
                _record(0x0005, _mbcs(self.description)),  # DOCSTRING
                _record(0x0040, self.description.encode("utf-16-le")),
                _record(0x0006, b""),  # HELPFILEPATH: HelpFile1
                _record(0x003D, b""),  # HelpFile2
                _record(0x0007, struct.pack("<I", 0)),  # HELPCONTEXT
                _record(0x0008, struct.pack("<I", 0)),  # LIBFLAGS
                struct.pack("<HIIH", 0x0009, 4, 1, 0),  # VERSION: Reserved=4, major, minor
                _record(0x000C, b""),  # CONSTANTS
                _record(0x003C, b""),  # ConstantsUnicode
            ]
        )

    def _modules_record(self) -> bytes:
        """PROJECTMODULES (§2.3.4.2.3) with one MODULE record per module."""
        out = bytearray()
        out += _record(0x000F, struct.pack("<H", len(self.modules)))  # Count
        out += _record(0x0013, struct.pack("<H", 0xFFFF))  # PROJECTCOOKIE
        for module in self.modules:
            name, name_unicode = _mbcs(module.name), module.name.encode("utf-16-le")
            type_id = 0x0021 if module.kind is ModuleKind.STANDARD else 0x0022
            out += _record(0x0019, name)  # MODULENAME
            out += _record(0x0047, name_unicode)  # MODULENAMEUNICODE
            out += _record(0x001A, name)  # MODULESTREAMNAME
            out += _record(0x0032, name_unicode)
            out += _record(0x001C, b"")  # MODULEDOCSTRING
            out += _record(0x0048, b"")
            out += _record(0x0031, struct.pack("<I", 0))  # MODULEOFFSET: source only
            out += _record(0x001E, struct.pack("<I", 0))  # MODULEHELPCONTEXT
            out += _record(0x002C, struct.pack("<H", 0xFFFF))  # MODULECOOKIE
            out += struct.pack("<HI", type_id, 0)  # MODULETYPE
            out += struct.pack("<HI", 0x002B, 0)  # Terminator
        return bytes(out)


VBA_PROJECT_STREAM = struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0001)
"""``_VBA_PROJECT`` (§2.3.4.1): Reserved1, Version 0xFFFF, Reserved2, Reserved3 and
no PerformanceCache. Reserved3 is "undefined, MUST be ignored"; 0x0001 is
what the specification's own example (§3.1.1) and Office-made files carry."""


def _compress_exactly(data: bytes, what: str) -> bytes:
    """Compress ``data``, refusing the one case the format cannot store exactly.

    A last chunk of 3641 to 4095 nearly incompressible bytes becomes a raw
    chunk padded to 4096 bytes (§2.4.1.3.10), and the padding would come back
    as NUL characters at the end of the module's source.
    """
    compressed = compress(data)
    if len(decompress(compressed)) != len(data):
        raise ProjectError(
            f"{what} cannot be stored exactly: its last {len(data) % CHUNK_SIZE} bytes do not "
            "compress; add or remove a few lines"
        )
    return compressed


def _record(record_id: int, payload: bytes) -> bytes:
    """A dir stream record: Id (2 bytes), Size (4 bytes), then the payload."""
    return struct.pack("<HI", record_id, len(payload)) + payload


def _reference_record(reference: Reference) -> bytes:
    """REFERENCENAME + REFERENCEREGISTERED (§2.3.4.2.2.2, §2.3.4.2.2.5)."""
    libid = _mbcs(reference.libid)
    registered = struct.pack("<I", len(libid)) + libid + struct.pack("<IH", 0, 0)
    return (
        _record(0x0016, _mbcs(reference.name))
        + _record(0x003E, reference.name.encode("utf-16-le"))
        + _record(0x000D, registered)
    )


def _mbcs(text: str) -> bytes:
    """``text`` in the project code page."""
    try:
        return text.encode(ENCODING)
    except UnicodeEncodeError as error:
        raise ProjectError(f"{text!r} is not representable in code page {CODEPAGE}") from error
