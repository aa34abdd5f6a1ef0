"""Annotation never drops what it does not know: refused in place, named for a copy.

Each case adds to a good tracker one thing openpyxl would not write back (a part, a
relationship, an element under an unusual name) and checks that ``--in-place`` refuses
in one line and leaves the file's bytes as they were, and that a copy says what it lacks.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from addin.core.errors import OutputError
from addin.core.settings import LimitSettings
from addin.outputs.annotate import VALIDATION_TITLE, annotate_file, annotate_workbook
from addin.read import Workbook
from addin.read.sniffing import BAD_CHECKSUM, CUT_SHORT, NOT_INFLATING, archive_damage
from tests.builders import base_tracker, write
from tests.hostile.make import part_crc, parts_of, sheet_part, zip_parts

_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MS = "http://schemas.microsoft.com/office"
_MS17 = f"{_MS}/2017/10/relationships"


def _extend(
    path: Path,
    parts: dict[str, bytes],
    rels: list[tuple[str, str, str]],
    *,
    sheet_tail: bytes = b"",
    cell_attr: bytes = b"",
    suffix: str = ".xlsx",
) -> Path:
    """A good tracker plus ``parts``, relationships (source, type, target) and sheet XML."""
    base = write(path.with_name(f"base{suffix}"), base_tracker())
    tasks = sheet_part(base, "Tasks")
    out = dict(parts_of(base))
    out.update(parts)
    for n, (source, kind, target) in enumerate(rels, 50):
        source = tasks if source == "TASKS" else source
        folder, name = source.rsplit("/", 1) if "/" in source else ("", source)
        rels_part = f"{folder}/_rels/{name}.rels".lstrip("/")
        xml = out.get(rels_part) or (
            b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/relationships"></Relationships>'
        )
        assert isinstance(xml, bytes)
        rel = f'<Relationship Id="rId{n}" Type="{kind}" Target="{target}"/>'.encode()
        out[rels_part] = xml.replace(b"</Relationships>", rel + b"</Relationships>")
    sheet = out[tasks]
    assert isinstance(sheet, bytes)
    sheet = sheet.replace(b"</worksheet>", sheet_tail + b"</worksheet>")
    if cell_attr:  # on the first cell of the second row
        sheet = re.sub(rb'(<c r="A2")', rb"\1 " + cell_attr, sheet, count=1)
    out[tasks] = sheet
    zip_parts(path, out)
    base.unlink()
    return path


_XML = b'<?xml version="1.0"?><x xmlns="urn:x"/>'

CASES: dict[str, Callable[[Path], Path]] = {
    "power query": lambda p: _extend(
        p,
        {"xl/connections.xml": _XML, "customXml/item1.xml": _XML},
        [
            ("xl/workbook.xml", f"{_R}/connections", "connections.xml"),
            ("xl/workbook.xml", f"{_R}/customXml", "../customXml/item1.xml"),
        ],
    ),
    "threaded comments and persons": lambda p: _extend(
        p,
        {"xl/threadedComments/tc1.xml": _XML, "xl/persons/person.xml": _XML},
        [
            (
                "TASKS",
                f"{_MS}/2017/10/relationships/threadedComment",
                "../threadedComments/tc1.xml",
            ),
            ("xl/workbook.xml", f"{_MS}/2017/10/relationships/person", "persons/person.xml"),
        ],
    ),
    "header image": lambda p: _extend(
        p,
        {"xl/drawings/hf.vml": b"<xml/>", "xl/media/logo.png": b"\x89PNG"},
        [
            ("TASKS", f"{_R}/vmlDrawing", "../drawings/hf.vml"),
            ("xl/drawings/hf.vml", f"{_R}/image", "../media/logo.png"),
        ],
        sheet_tail=b'<legacyDrawingHF r:id="rId50"/>',
    ),
    "image in a drawing with an unusual name": lambda p: _extend(
        p,
        {"xl/art/picture.xml": _XML, "xl/media/photo.png": b"\x89PNG"},
        [
            ("TASKS", f"{_R}/drawing", "../art/picture.xml"),
            ("xl/art/picture.xml", f"{_R}/image", "../media/photo.png"),
        ],
        sheet_tail=b'<drawing r:id="rId50"/>',
    ),
    "VBA signature": lambda p: _extend(
        p,
        {"xl/vbaProject.bin": b"\xd0\xcf", "xl/vbaProjectSignature.bin": b"sig"},
        [
            ("xl/workbook.xml", f"{_MS}/2006/relationships/vbaProject", "vbaProject.bin"),
            (
                "xl/vbaProject.bin",
                f"{_MS}/2006/relationships/vbaProjectSignature",
                "vbaProjectSignature.bin",
            ),
        ],
        suffix=".xlsm",
    ),
    "customUI relationship": lambda p: _extend(
        p,
        {"customUI/customUI.xml": _XML},
        [("", f"{_MS}/2006/relationships/ui/extensibility", "customUI/customUI.xml")],
    ),
    "dynamic arrays": lambda p: _extend(
        p,
        {"xl/metadata.xml": _XML},
        [("xl/workbook.xml", f"{_R}/sheetMetadata", "metadata.xml")],
        cell_attr=b'cm="1"',
    ),
    "x14 validation under another prefix": lambda p: _extend(
        p,
        {},
        [],
        sheet_tail=(
            b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
            b'xmlns:q="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
            b'<q:dataValidations count="1"><q:dataValidation type="list"><q:formula1>'
            b"<f>Lists!$A$1:$A$3</f></q:formula1><sqref>B2:B9</sqref></q:dataValidation>"
            b"</q:dataValidations></ext></extLst>"
        ),
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_in_place_refuses_what_it_would_lose_and_a_copy_says_so(tmp_path: Path, case: str) -> None:
    suffix = ".xlsm" if case == "VBA signature" else ".xlsx"
    path = CASES[case](tmp_path / f"plan{suffix}")
    before = path.read_bytes()
    with pytest.raises(OutputError) as refused:
        annotate_file(path, [], in_place=True)
    assert "\n" not in str(refused.value) and "the file was left as it was" in str(refused.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no backup, no temp file
    copy = annotate_workbook(path, [])
    assert copy.missing and copy.path.exists()
    assert path.read_bytes() == before


def test_the_package_comparison_catches_what_the_allow_list_cannot(tmp_path: Path) -> None:
    """A value under a merged range: every part is allowed, openpyxl still drops the value."""
    import openpyxl

    path = write(tmp_path / "plan.xlsx", base_tracker())
    wb = openpyxl.load_workbook(path)
    wb["Tasks"]["Z2"] = "kept under the merge"
    wb.save(path)
    data = parts_of(path)
    part = sheet_part(path, "Tasks")
    sheet = data[part]
    assert isinstance(sheet, bytes)
    data[part] = sheet.replace(
        b"</sheetData>",
        b'</sheetData><mergeCells count="1"><mergeCell ref="Y2:Z2"/></mergeCells>',
        1,
    )
    zip_parts(path, data)
    before = path.read_bytes()
    with pytest.raises(OutputError, match="cell values"):
        annotate_file(path, [], in_place=True)
    assert path.read_bytes() == before


def test_escaped_text_round_trips_exactly(tmp_path: Path) -> None:
    r"""``_x005F_x003D_1+1`` is the literal text ``_x003D_1+1``, never ``=1+1``."""
    path = write(tmp_path / "plan.xlsx", base_tracker())
    data = parts_of(path)
    part = sheet_part(path, "Tasks")
    sheet = data[part]
    assert isinstance(sheet, bytes)
    data[part] = re.sub(
        rb'<c r="B2"[^>]*?(/>|>.*?</c>)',
        b'<c r="B2" t="inlineStr"><is><t>_x005F_x003D_1+1</t></is></c>',
        sheet,
        count=1,
        flags=re.S,
    )
    zip_parts(path, data)

    def b2(p: Path) -> object:
        with Workbook(p, LimitSettings()) as book:
            return book.grid("Tasks").value(1, 1)

    assert b2(path) == "_x003D_1+1"
    annotate_file(path, [], in_place=True)
    assert b2(path) == "_x003D_1+1"
    with zipfile.ZipFile(path) as zf:
        assert VALIDATION_TITLE.encode() in b"".join(zf.read(n) for n in zf.namelist())


@pytest.mark.parametrize("in_place", [False, True], ids=["copy", "in-place"])
def test_a_damaged_part_refuses_the_annotation_in_the_readers_words(
    tmp_path: Path, in_place: bool
) -> None:
    # Damage past the safety scan's peek at a sheet the reader does not read: openpyxl
    # meets it, and the refusal says what the reader would have said.
    path = write(tmp_path / "plan.xlsx", base_tracker())
    part_crc(path, sheet_part(path, "Instructions"))
    before = path.read_bytes()
    with pytest.raises(OutputError) as refused:
        annotate_file(path, [], in_place=in_place)
    assert str(refused.value) == f"{path}: not annotated: {BAD_CHECKSUM}"
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


@pytest.mark.parametrize(
    ("exc", "why"),
    [
        (zipfile.BadZipFile("Bad CRC-32 for file 'xl/theme/theme1.xml'"), BAD_CHECKSUM),
        (zipfile.BadZipFile("Bad magic number for file header"), BAD_CHECKSUM),
        (zlib.error("Error -3 while decompressing data: invalid block type"), NOT_INFLATING),
        (EOFError(), CUT_SHORT),
        (zipfile.BadZipFile("File is not a zip file"), None),
        (KeyError("There is no item named 'xl/styles.xml' in the archive"), None),
        (ValueError("Bad CRC"), None),
    ],
)
def test_archive_damage_names_only_zip_and_zlib_damage(exc: BaseException, why: str | None) -> None:
    assert archive_damage(exc) == why
