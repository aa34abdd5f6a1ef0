"""vbaProject.bin pieces: module sources, the dir/PROJECT/PROJECTwm streams, and
§2.4.3 data encryption, checked against the specification's own examples."""

from __future__ import annotations

import io
import struct
from importlib import resources

import olefile
import pytest
from oletools.olevba import VBA_Parser

from addin.excel.vba.compression import decompress
from addin.excel.vba.encryption import EncryptionError, decrypt_data, encrypt_data
from addin.excel.vba.project import (
    OFFICE_REFERENCE,
    STDOLE_REFERENCE,
    VBA_PROJECT_STREAM,
    Module,
    ModuleKind,
    ProjectError,
    VbaProject,
    normalize_source,
)

# --- §2.4.3 data encryption: the §3.1.6 PROJECT stream example --------------------------

SPEC_ID = "{917DED54-440B-4FD1-A5C1-74ACF261E600}"


@pytest.mark.parametrize(
    "hex_text, plain, ignored",
    [
        ("0705D8E3D8EDDBF1DBF1DBF1DBF1", bytes(4), b"\x07\x07\x07"),  # CMG: not protected
        ("0E0CD1ECDFF4E7F5E7F5E7", b"\x00", b"\x07\x07\x07"),  # DPB: no password
        ("1517CAF1D6F9D7F9D706", b"\xff", b"\x07\x07"),  # GC: visible
    ],
)
def test_data_encryption_reproduces_the_spec_example(
    hex_text: str, plain: bytes, ignored: bytes
) -> None:
    encrypted = bytes.fromhex(hex_text)
    assert decrypt_data(encrypted, SPEC_ID) == plain
    assert encrypt_data(plain, SPEC_ID, seed=encrypted[0], ignored=ignored) == encrypted


@pytest.mark.parametrize("seed", range(0, 256, 17))
def test_encryption_round_trips_for_any_seed(seed: int) -> None:
    encrypted = encrypt_data(b"\x00\x01\x02\xff", SPEC_ID, seed=seed, ignored=b"\x99\x98\x97")
    assert len(encrypted) == 3 + (seed & 6) // 2 + 4 + 4
    assert decrypt_data(encrypted, SPEC_ID) == b"\x00\x01\x02\xff"


def test_decryption_checks_the_project_key() -> None:
    encrypted = encrypt_data(b"\xff", SPEC_ID, seed=0x15)
    with pytest.raises(EncryptionError, match="another project id"):
        decrypt_data(encrypted, "{00000000-0000-0000-0000-000000000000}")


# --- module sources ---------------------------------------------------------------------


def test_bas_with_vb_name_keeps_its_name_and_gets_crlf() -> None:
    module = Module.from_bas('Attribute VB_Name = "Tools"\nOption Explicit\r\nSub A()\rEnd Sub\n')
    assert module.name == "Tools"
    assert module.kind is ModuleKind.STANDARD
    expected = 'Attribute VB_Name = "Tools"\r\nOption Explicit\r\nSub A()\r\nEnd Sub\r\n'
    assert module.source == expected


def test_bas_without_vb_name_is_named_like_the_editor_would() -> None:
    module = Module.from_bas("Sub A()\nEnd Sub\n", default_name="Helpers")
    assert module.source == 'Attribute VB_Name = "Helpers"\r\nSub A()\r\nEnd Sub\r\n'


@pytest.mark.parametrize(
    "text, name, message",
    [
        ("Sub A()\nEnd Sub\n", None, "no Attribute VB_Name"),
        ('Attribute VB_Name = "1abc"\n', None, "must start with a letter"),
        ("Sub A()\n", "has space", "must start with a letter"),
    ],
)
def test_bad_module_names_are_refused(text: str, name: str | None, message: str) -> None:
    with pytest.raises(ProjectError, match=message):
        Module.from_bas(text, default_name=name)


def test_cls_import_adds_the_attributes_the_editor_adds() -> None:
    text = (resources.files("xlwings") / "addin" / "Dictionary.cls").read_text(encoding="utf-8")
    module = Module.from_cls(text)
    assert (module.name, module.kind) == ("Dictionary", ModuleKind.CLASS)
    header = module.source.split("\r\n")[:8]
    assert header == [
        'Attribute VB_Name = "Dictionary"',
        'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"',
        "Attribute VB_GlobalNameSpace = False",
        "Attribute VB_Creatable = False",
        "Attribute VB_PredeclaredId = False",
        "Attribute VB_Exposed = True",
        "Attribute VB_TemplateDerived = False",
        "Attribute VB_Customizable = False",
    ]
    assert "VERSION 1.0 CLASS" not in module.source
    assert module.source.endswith(normalize_source(text).split("\r\n", 9)[-1])


def test_document_modules_carry_excels_attribute_lines() -> None:
    sheet = Module.document("Sheet1", workbook=False)
    assert sheet.kind is ModuleKind.DOCUMENT
    assert sheet.source == (
        'Attribute VB_Name = "Sheet1"\r\n'
        'Attribute VB_Base = "0{00020820-0000-0000-C000-000000000046}"\r\n'
        "Attribute VB_GlobalNameSpace = False\r\n"
        "Attribute VB_Creatable = False\r\n"
        "Attribute VB_PredeclaredId = True\r\n"
        "Attribute VB_Exposed = True\r\n"
        "Attribute VB_TemplateDerived = False\r\n"
        "Attribute VB_Customizable = True\r\n"
    )
    workbook = Module.document("ThisWorkbook", workbook=True)
    assert '"0{00020819-0000-0000-C000-000000000046}"' in workbook.source


def test_source_outside_code_page_1252_names_the_line() -> None:
    module = Module.from_bas("Attribute VB_Name = \"M\"\n' ok\n' snowman \u2603\n")
    with pytest.raises(ProjectError, match="module M, line 3: '\u2603' is not in code page 1252"):
        module.encoded()


def test_a_module_whose_tail_the_format_cannot_store_is_refused() -> None:
    """3641+ trailing bytes with no repeated 3-byte sequence: the last chunk would be
    stored raw and padded with NULs, which would then show up in the source."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    tail = "".join(a + b for a in alphabet for b in alphabet)[:3700]  # no repeated trigram
    header = 'Attribute VB_Name = "M"\r\n'
    text = header + "'" + "x" * (4096 - len(header) - 1) + tail
    project = VbaProject("P", (Module.from_bas(text),))
    with pytest.raises(ProjectError, match="module M cannot be stored exactly: its last 3700"):
        project.to_bytes()
    VbaProject("P", (Module.from_bas(text[:-100]),)).to_bytes()  # 3600 bytes still fit


def test_names_must_be_unique_and_differ_from_the_project() -> None:
    module = Module.from_bas("Sub A()\nEnd Sub\n", default_name="Tools")
    with pytest.raises(ProjectError, match="used twice"):
        VbaProject("Tools", (module,))
    with pytest.raises(ProjectError, match="used twice"):
        VbaProject("Proj", (module, Module.from_bas("", default_name="TOOLS")))


# --- the streams ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project() -> VbaProject:
    return VbaProject(
        "Demo",
        (
            Module.document("ThisWorkbook", workbook=True),
            Module.document("Sheet1", workbook=False),
            Module.from_bas("Sub Hello()\nEnd Sub\n", default_name="Tools"),
            Module.from_cls(
                'VERSION 1.0 CLASS\nBEGIN\nEND\nAttribute VB_Name = "Thing"\n'
                "Attribute VB_Exposed = False\n"
            ),
        ),
        project_id="{917DED54-440B-4FD1-A5C1-74ACF261E600}",
    )


def records(dir_stream: bytes) -> list[tuple[int, bytes]]:
    """(Id, payload) of every dir stream record; PROJECTVERSION's Size is a Reserved 4."""
    out, position = [], 0
    while position < len(dir_stream):
        record_id, size = struct.unpack_from("<HI", dir_stream, position)
        position += 6
        if record_id == 0x0009:
            size = 6
        out.append((record_id, dir_stream[position : position + size]))
        position += size
    return out


def test_dir_stream_records_in_spec_order(project: VbaProject) -> None:
    found = records(project.dir_stream())
    information = [0x01, 0x02, 0x14, 0x03, 0x04, 0x05, 0x40, 0x06, 0x3D, 0x07, 0x08, 0x09, 0x0C]
    reference = [0x16, 0x3E, 0x0D]  # REFERENCENAME, its Unicode part, REFERENCEREGISTERED
    module = [0x19, 0x47, 0x1A, 0x32, 0x1C, 0x48, 0x31, 0x1E, 0x2C]  # up to MODULECOOKIE
    assert [record_id for record_id, _ in found] == [
        *information,
        0x3C,
        *reference,  # stdole
        *reference,  # Office
        *(0x0F, 0x13),  # PROJECTMODULES, PROJECTCOOKIE
        *(*module, 0x22, 0x2B),  # ThisWorkbook: document module, terminator
        *(*module, 0x22, 0x2B),  # Sheet1
        *(*module, 0x21, 0x2B),  # Tools: procedural module
        *(*module, 0x22, 0x2B),  # Thing: class module
        0x10,  # end of the dir stream
    ]
    payload = dict(found[:14])
    assert payload[0x01] == struct.pack("<I", 1)  # SYSKIND: 32-bit Windows
    assert payload[0x02] == payload[0x14] == struct.pack("<I", 0x409)
    assert payload[0x03] == struct.pack("<H", 1252)
    assert payload[0x04] == b"Demo"
    assert payload[0x09] == struct.pack("<IH", 1, 0)
    assert found[found.index((0x0F, struct.pack("<H", 4))) + 1] == (0x13, b"\xff\xff")
    offsets = [data for record_id, data in found if record_id == 0x31]
    cookies = [data for record_id, data in found if record_id == 0x2C]
    assert offsets == [bytes(4)] * 4  # no performance cache: source starts at 0
    assert cookies == [b"\xff\xff"] * 4
    libids = [data for record_id, data in found if record_id == 0x0D]
    for libid, reference in zip(libids, (STDOLE_REFERENCE, OFFICE_REFERENCE), strict=True):
        encoded = reference.libid.encode("cp1252")
        assert libid == struct.pack("<I", len(encoded)) + encoded + bytes(6)


def test_project_stream_text(project: VbaProject) -> None:
    lines = project.project_stream().decode("cp1252").split("\r\n")
    secrets = {line.split("=", 1)[0]: line.split("=", 1)[1].strip('"') for line in lines[8:11]}
    assert lines[:8] + lines[11:] == [
        'ID="{917DED54-440B-4FD1-A5C1-74ACF261E600}"',
        "Document=ThisWorkbook/&H00000000",
        "Document=Sheet1/&H00000000",
        "Module=Tools",
        "Class=Thing",
        'Name="Demo"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        "",
        "[Host Extender Info]",
        "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
        "",
        "[Workspace]",
        "ThisWorkbook=0, 0, 0, 0, C",
        "Sheet1=0, 0, 0, 0, C",
        "Tools=0, 0, 0, 0, C",
        "Thing=0, 0, 0, 0, C",
        "",
    ]
    plain = {key: decrypt_data(bytes.fromhex(text), project.guid) for key, text in secrets.items()}
    assert plain == {"CMG": bytes(4), "DPB": b"\x00", "GC": b"\xff"}


def test_name_map_stream(project: VbaProject) -> None:
    expected = b"".join(
        name.encode() + b"\x00" + name.encode("utf-16-le") + b"\x00\x00"
        for name in ("ThisWorkbook", "Sheet1", "Tools", "Thing")
    )
    assert project.name_map_stream() == expected + b"\x00\x00"


def test_vba_project_stream_has_no_performance_cache() -> None:
    reserved1, version, reserved2, reserved3 = struct.unpack("<HHBH", VBA_PROJECT_STREAM)
    assert len(VBA_PROJECT_STREAM) == 7
    assert (reserved1, version, reserved2, reserved3) == (0x61CC, 0xFFFF, 0x00, 0x0001)


def test_compound_file_streams(project: VbaProject) -> None:
    data = project.to_bytes()
    ole = olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)
    assert sorted("/".join(path) for path in ole.listdir()) == [
        "PROJECT",
        "PROJECTwm",
        "VBA/Sheet1",
        "VBA/Thing",
        "VBA/ThisWorkbook",
        "VBA/Tools",
        "VBA/_VBA_PROJECT",
        "VBA/dir",
    ]
    assert decompress(ole.openstream("VBA/dir").read()) == project.dir_stream()
    for module in project.modules:
        assert decompress(ole.openstream(f"VBA/{module.name}").read()) == module.encoded()
    assert project.to_bytes() == data  # deterministic


def test_olevba_parses_the_project_strictly(project: VbaProject) -> None:
    parser = VBA_Parser("vbaProject.bin", data=project.to_bytes(), relaxed=False)
    found = {name: code for _, _, name, code in parser.extract_macros()}
    assert found == {
        "ThisWorkbook.cls": project.modules[0].source,
        "Sheet1.cls": project.modules[1].source,
        "Tools.bas": project.modules[2].source,
        "Thing.cls": project.modules[3].source,
    }
