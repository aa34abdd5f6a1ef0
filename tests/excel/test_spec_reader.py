"""PMO.xlam's vbaProject.bin checked by an independent reader (tests/excel/spec_reader/),
written from [MS-CFB] and [MS-OVBA] and sharing no code with addin.excel.vba, and compared
with Excel-made files that xlwings ships (quickstart.xlsm, addin/xlwings.xlam)."""

from __future__ import annotations

import ast
import io
import struct
import zipfile
from pathlib import Path

import olefile
import pytest
import xlwings

from addin.excel.xlam import addin_modules
from tests.excel.spec_reader import SpecError
from tests.excel.spec_reader.cfb import CompoundFile
from tests.excel.spec_reader.ovba import decompress, parse_dir, read_project

from .conftest import MACROS

XLWINGS_DIR = Path(xlwings.__file__).parent


def vba_bin(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/vbaProject.bin")


@pytest.fixture(scope="module")
def ours(built_addin: Path) -> bytes:
    return vba_bin(built_addin)


@pytest.fixture(scope="module")
def excel_made() -> bytes:
    """quickstart.xlsm: saved by Excel, shipped in the xlwings package."""
    return vba_bin(XLWINGS_DIR / "quickstart.xlsm")


def test_the_reader_itself_accepts_an_excel_made_file(excel_made: bytes) -> None:
    project = read_project(excel_made)
    assert [m.name for m in project.dir.modules] == ["ThisWorkbook", "Sheet1", "Module1", "Sheet2"]
    assert project.plaintexts == {"CMG": bytes(4), "DPB": b"\x00", "GC": b"\xff"}


def test_the_reader_decompresses_the_specifications_example() -> None:
    """[MS-OVBA] §3.2.3: a compressed container and the text it holds."""
    example = bytes.fromhex(
        "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 30"
        " 6D 6E 6F 70 06 71 02 70 04 10 72 73 74 75 76 10 77 78 79 7A 00 3C"
    )
    assert decompress(example) == b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"


def test_every_record_of_our_dir_stream_in_order_with_its_size(ours: bytes) -> None:
    project = read_project(ours)
    records = project.dir.records
    description = len(b"PMO governance add-in")
    assert records[:15] == [
        (0x0001, 4), (0x0002, 4), (0x0014, 4), (0x0003, 2), (0x0004, len(b"PMOAddin")),
        (0x0005, description), (0x0040, 2 * description), (0x0006, 0), (0x003D, 0),
        (0x0007, 4), (0x0008, 4), (0x0009, 6), (0x000C, 0), (0x003C, 0),
        (0x0016, len(b"stdole")),
    ]  # fmt: skip
    modules = addin_modules(MACROS)
    per_module = [
        [(0x0019, len(m.name)), (0x0047, 2 * len(m.name)), (0x001A, len(m.name)),
         (0x0032, 2 * len(m.name)), (0x001C, 0), (0x0048, 0), (0x0031, 4), (0x001E, 4),
         (0x002C, 2), (0x0021 if m.kind.value == "Module" else 0x0022, 0), (0x002B, 0)]
        for m in modules
    ]  # fmt: skip
    tail = [(0x000F, 2), (0x0013, 2), *[r for group in per_module for r in group], (0x0010, 0)]
    assert records[-len(tail) :] == tail
    assert [r.name for r in project.dir.references] == ["stdole", "Office"]


def test_every_module_decompresses_to_its_source(ours: bytes) -> None:
    project = read_project(ours)
    expected = {m.name: m.source for m in addin_modules(MACROS)}
    assert project.sources == expected
    assert all(m.offset == 0 for m in project.dir.modules)  # source only, no compiled cache
    assert project.vba_project == bytes.fromhex("CC61FFFF000100")


def test_the_project_stream_and_its_encrypted_values(ours: bytes) -> None:
    project = read_project(ours)
    keys = [key for key, _ in project.properties]
    assert keys == [
        "ID", "Document", "Document", "Module", "Module", "Module", "Module", "Class", "Name",
        "HelpContextID", "Description", "VersionCompatible32", "CMG", "DPB", "GC",
    ]  # fmt: skip
    # not protected, no password, visible - decoded per §2.4.3.3
    assert project.plaintexts == {"CMG": bytes(4), "DPB": b"\x00", "GC": b"\xff"}
    assert project.sections["[Workspace]"] == [
        f"{m.name}=0, 0, 0, 0, C" for m in project.dir.modules
    ]


def test_document_modules_and_libids_are_those_excel_writes(ours: bytes, excel_made: bytes) -> None:
    mine, excel = read_project(ours), read_project(excel_made)
    for name in ("ThisWorkbook", "Sheet1"):
        header = [
            line for line in mine.sources[name].split("\r\n") if line.startswith("Attribute ")
        ]
        assert "\r\n".join(header) + "\r\n" == excel.sources[name]
        kinds = (
            {m.name: m.kind for m in mine.dir.modules},
            {m.name: m.kind for m in excel.dir.modules},
        )
        assert kinds[0][name] == kinds[1][name] == 0x0022
        assert ("Document", f"{name}/&H00000000") in mine.properties
        assert ("Document", f"{name}/&H00000000") in excel.properties
    libids = {r.name: r.libid for r in mine.dir.references}
    assert libids["Office"] == {r.name: r.libid for r in excel.dir.references}["Office"]
    # quickstart.xlsm has no stdole reference; xlwings' own add-in (Excel-made) does
    ole = olefile.OleFileIO(io.BytesIO(vba_bin(XLWINGS_DIR / "addin" / "xlwings.xlam")))
    shipped = parse_dir(decompress(ole.openstream("VBA/dir").read()))
    assert {r.name: r.libid for r in shipped.references} == libids


# --- the reader is strict: it finds what a broken file gets wrong --------------------------------


def _patched(data: bytes, old: bytes, new: bytes) -> bytes:
    assert data.count(old) >= 1
    return data.replace(old, new, 1)


def test_a_wrong_encrypted_value_is_caught(ours: bytes) -> None:
    cfb = CompoundFile(ours)
    text = cfb.streams["PROJECT"]
    start = text.index(b'GC="') + 4
    broken = bytearray(ours)
    at = ours.index(text[start : start + 8])
    broken[at + 2 : at + 4] = b"00" if ours[at + 2 : at + 4] != b"00" else b"11"
    with pytest.raises(SpecError, match=r"2\.4\.3"):
        read_project(bytes(broken))


def test_a_wrong_record_size_is_caught() -> None:
    body = struct.pack("<HII", 0x0001, 3, 1)  # SYSKIND with Size 3
    with pytest.raises(SpecError, match="Size 4, not 3"):
        parse_dir(body)


def test_a_bad_chunk_signature_is_caught() -> None:
    with pytest.raises(SpecError, match="CompressedChunkSignature"):
        decompress(b"\x01\x00\x00")
    assert ast.literal_eval(repr(decompress(b"\x01"))) == b""


def test_an_unsorted_directory_is_caught(ours: bytes) -> None:
    # rename the storage VBA's child "dir" to "zzz": same length, now out of name order
    broken = _patched(
        ours, "dir".encode("utf-16-le") + b"\0\0", "zzz".encode("utf-16-le") + b"\0\0"
    )
    with pytest.raises(SpecError, match=r"2\.6\.4"):
        CompoundFile(broken)
