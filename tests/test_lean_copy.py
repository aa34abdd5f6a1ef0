"""The parser's lean copy of a workbook reads exactly as the file does.

Calamine reads a copy made in memory (:mod:`addin.ooxml.lean_copy`): sheets stored, their
trailing empty formatted rows cut. Every sheet of every bundled and real workbook must read
the same from it as from the file (values, where they start, merged ranges, the sheet
list), the reader's grids must be the same with and without it, and a tail is cut only when
what is cut holds nothing.
"""

from __future__ import annotations

import io
import itertools
import random
import zipfile
from pathlib import Path
from typing import Any

import pytest
import python_calamine as calamine

from addin.core.errors import UnreadableFileError
from addin.core.settings import Settings
from addin.ooxml import lean_copy as lean
from addin.ooxml import plain_search
from addin.ooxml.lean_copy import empty_tail, lean_copy, without_empty_tail
from addin.ooxml.parts import workbook_parts
from addin.read import source
from addin.read.source import Workbook
from tests.builders import write
from tests.conftest import CORPUS, ROOT, SAMPLES
from tests.hostile.make import minimal_book, parts_of, sheet_part, sheet_xml

_BUNDLED = [*sorted(SAMPLES.glob("*.xlsx")), *sorted((ROOT / "workbooks").glob("*.xlsx"))]
_REAL = sorted(CORPUS.glob("*.xlsx"))
_HEAD = b'<worksheet xmlns="x"><sheetData>'
_FOOT = b'</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>'
_VALUED = b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="2"/></row>'
_EMPTY_ROW = (
    b'<row r="2" spans="1:3" s="4" customFormat="1"><c r="A2" s="13"/><c r="B2" s="1"/></row>'
)


def _copy(path: Path) -> lean.LeanCopy:
    with zipfile.ZipFile(path) as zf:
        parts, _ = workbook_parts(zf)
        made = lean_copy(zf, {p for p in parts.values() if p})
    assert made is not None
    return made


def _sheets(book: Any) -> dict[str, tuple[Any, ...]]:
    found = {}
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        found[name] = (sheet.to_python(), sheet.start, sheet.end, sheet.merged_cell_ranges)
    return found


def _meta(book: Any) -> list[tuple[str, str, str]]:
    return [(m.name, str(m.typ), str(m.visible)) for m in book.sheets_metadata]


@pytest.mark.parametrize("path", _BUNDLED + _REAL, ids=lambda p: p.name)
def test_calamine_reads_the_copy_as_it_reads_the_file(path: Path) -> None:
    made = _copy(path)
    from_file = calamine.CalamineWorkbook.from_path(str(path))
    from_copy = calamine.CalamineWorkbook.from_filelike(io.BytesIO(made.data))
    assert _meta(from_copy) == _meta(from_file)
    assert _sheets(from_copy) == _sheets(from_file)
    with zipfile.ZipFile(path) as zf, zipfile.ZipFile(io.BytesIO(made.data)) as copy:
        assert copy.testzip() is None
        assert [i.filename for i in copy.infolist()] == [i.filename for i in zf.infolist()]
        for name, xml in made.sheets.items():  # held as the file holds it
            assert xml == zf.read(name)
            assert copy.getinfo(name).compress_type == zipfile.ZIP_STORED
        for info in zf.infolist():
            if info.filename not in made.sheets:
                assert copy.read(info.filename) == zf.read(info.filename)


def _stored_and_held(path: Path) -> tuple[int, int]:
    made = _copy(path)
    with zipfile.ZipFile(io.BytesIO(made.data)) as copy:
        stored = sum(copy.getinfo(n).file_size for n in made.sheets)
    return stored, sum(len(x) for x in made.sheets.values())


def test_the_template_and_the_samples_made_from_it_lose_their_empty_rows() -> None:
    """Not a copy that cuts nothing: the template's 200 formatted rows go, a quarter is left."""
    stored, held = _stored_and_held(ROOT / "workbooks" / "PMO_Tracker_Template.xlsx")
    assert stored < 0.3 * held
    sizes = {p.name: _stored_and_held(p) for p in SAMPLES.glob("*.xlsx")}
    cut = [name for name, (stored, held) in sizes.items() if stored < 0.5 * held]
    assert len(cut) == 11  # all but FIN-0302, written in a drifted layout of its own
    assert "FIN-0302_P2P_Automation.xlsx" not in cut


def _calls(monkeypatch: pytest.MonkeyPatch, name: str) -> list[tuple[Any, ...]]:
    """The calls the reader makes to ``name`` from now on (which still does its work)."""
    calls: list[tuple[Any, ...]] = []
    real = getattr(source, name)

    def counted(*args: Any) -> Any:
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(source, name, counted)
    return calls


def _no_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on the reader makes no lean copy: calamine reads the file, as it used to."""
    monkeypatch.setattr(source, "lean_copy", lambda zf, sheets, stored=None: None)


def _grids(path: Path) -> dict[str, Any]:
    with Workbook(path, Settings().limits) as book:
        return {name: book.grid(name) for name in book.worksheets}


@pytest.mark.parametrize("path", _BUNDLED + _REAL, ids=lambda p: p.name)
def test_the_reader_gives_the_same_grids_with_and_without_the_copy(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _calls(monkeypatch, "lean_copy")
    with_copy = _grids(path)
    assert len(calls) == 1
    _no_copy(monkeypatch)
    assert _grids(path) == with_copy


def test_the_reader_cuts_a_sheet_past_the_limits_the_same_with_the_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "t.xlsx")
    limits = Settings().limits.model_copy(update={"max_rows": 10, "max_columns": 10})
    with Workbook(path, limits) as book:
        with_copy = {n: book.grid(n) for n in book.worksheets}
    _no_copy(monkeypatch)
    with Workbook(path, limits) as book:
        assert {n: book.grid(n) for n in book.worksheets} == with_copy
    assert any(g.truncated_rows for g in with_copy.values())
    assert any(g.truncated_cols for g in with_copy.values())


# --- what is cut ------------------------------------------------------------------------------


def test_a_tail_of_empty_rows_is_cut_up_to_the_end_of_the_cells() -> None:
    xml = _HEAD + _VALUED + _EMPTY_ROW * 3 + b'<row r="9"/>' + _FOOT
    assert without_empty_tail(xml) == _HEAD + _VALUED + _FOOT
    odd = _HEAD + _VALUED + b'<row r="2"><c r="A2" a="x>y" b=\'1\'/></row>' + _FOOT  # legal XML
    assert without_empty_tail(odd) == _HEAD + _VALUED + _FOOT
    spaced = _HEAD + _VALUED + b"\n  " + _EMPTY_ROW.replace(b"><c", b">\n\t<c") + b"\r\n" + _FOOT
    assert without_empty_tail(spaced) == _HEAD + _VALUED + _FOOT
    only_empty = _HEAD + _EMPTY_ROW * 2 + _FOOT
    assert without_empty_tail(only_empty) == _HEAD + _FOOT


@pytest.mark.parametrize(
    "tail",
    [
        b'<row r="2"><c r="A2"><f>1+1</f></c></row>',  # a formula: ends in </c>, kept
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c></row>',
        b'<row r="2"><c r="A2"></c></row>',  # an empty cell that is not self-closed
        b'<!-- a comment --><row r="2"/>',
        b'<x:row r="2"><x:c r="A2" s="1"/></x:row>',  # a prefix
        b'<row r="2"><c r="A2" s="1" t="&lt;"/></row>',  # an entity in an attribute
        b'<row r="2"><c r="A2" s=1/></row>',  # unquoted
        b'<row r="2"><c r="A2" s="1"></row>',  # not closed
        b'<row r="2"><c r="A2" s="1"/>',  # no </row>
        b'<row r="2"><extLst/></row>',
        b'<row r="2"><c r="A2" s="1"/></row><![CDATA[x]]>',
        b'<row r="2"><c r="A2" s="1"/>x</row>',  # text
        b'<row r="2"><c r="A2" t="inlineStr"><is><t><![CDATA[</c></row><row r="3"/>'
        b"</sheetData>]]></t></is></c></row>",  # an end of the cells spelled in a cell
    ],
)
def test_a_tail_holding_anything_else_is_not_cut(tail: bytes) -> None:
    xml = _HEAD + _VALUED + tail + _FOOT
    span = empty_tail(xml)
    cut = b"" if span is None else xml[span[0] : span[1]]
    assert tail not in cut
    assert not cut.strip()  # only ever nothing after the last row holding content


def test_nothing_to_cut_without_sheet_data() -> None:
    assert empty_tail(b"<worksheet><sheetData/></worksheet>") is None
    assert empty_tail(b"<chartsheet/>") is None
    assert empty_tail(_HEAD + _VALUED + _FOOT) is None  # nothing after the last cell
    assert empty_tail(_HEAD + _VALUED + _EMPTY_ROW) is None  # no </sheetData>


_PIECES = [_EMPTY_ROW, b'<row r="3"/>', b'<row r="4"><c r="A4"><v>1</v></c></row>', b"\n",
           b"<!---->", b'<row r="5"><c r="A5" s="1">', b"</row>", b'<c r="B5"/>',
           b"&amp;"]  # fmt: skip


def test_what_is_cut_is_only_ever_empty_rows_on_either_engine(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Random tails: the same cut with RE2 and ``re``, and never a piece that holds anything."""
    rng = random.Random(17)
    tails = [b"".join(rng.choices(_PIECES, k=rng.randint(1, 6))) for _ in range(3000)]
    tails += [b"".join(p) for k in (1, 2, 3) for p in itertools.product(_PIECES, repeat=k)]
    with_re2 = [empty_tail(_HEAD + _VALUED + t + _FOOT) for t in tails]
    monkeypatch.setattr(plain_search, "_re2", None)
    monkeypatch.setattr(lean, "_EMPTY_ROWS", plain_search.whole_match(lean.EMPTY_ROWS))
    with_re = [empty_tail(_HEAD + _VALUED + t + _FOOT) for t in tails]
    assert with_re == with_re2
    cuts = 0
    for tail, span in zip(tails, with_re, strict=True):
        xml = _HEAD + _VALUED + tail + _FOOT
        if span is None:
            continue
        cuts += 1
        cut = xml[span[0] : span[1]]
        assert b"<v>" not in cut and b"<!--" not in cut and b"&" not in cut
        assert cut.count(b"<row") == cut.count(b"</row>") + cut.count(b"/>") - cut.count(b"<c ")
    assert 300 < cuts < len(tails) - 300


# --- when there is no copy, or a part is left as it is ---------------------------------------


def test_no_copy_of_a_large_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "t.xlsx")
    monkeypatch.setattr(lean, "MAX_FILE", path.stat().st_size - 1)
    with zipfile.ZipFile(path) as zf:
        assert lean_copy(zf, {"xl/worksheets/sheet1.xml"}) is None


def test_past_the_held_limit_sheets_stay_as_the_file_has_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "t.xlsx")
    monkeypatch.setattr(lean, "MAX_HELD", 1)
    made = _copy(path)
    assert made.sheets == {}
    with zipfile.ZipFile(path) as zf, zipfile.ZipFile(io.BytesIO(made.data)) as copy:
        for info in zf.infolist():
            assert copy.getinfo(info.filename).compress_type == info.compress_type
            assert copy.read(info.filename) == zf.read(info.filename)
    assert _grids(path) == _grids_without_copy(path, monkeypatch)


def _grids_without_copy(path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    with monkeypatch.context() as patch:
        _no_copy(patch)
        return _grids(path)


def test_parts_with_data_descriptors_are_copied(tmp_path: Path) -> None:
    """A zip written to a stream puts sizes after the data; the copy states them up front."""
    src = write(tmp_path / "t.xlsx")

    class Stream(io.RawIOBase):
        def __init__(self) -> None:
            self.data = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, b: Any) -> int:
            self.data += bytes(b)
            return len(b)

    stream = Stream()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in parts_of(src).items():
            assert isinstance(content, bytes)
            zf.writestr(name, content)
    path = tmp_path / "streamed.xlsx"
    path.write_bytes(bytes(stream.data))
    with zipfile.ZipFile(path) as zf:
        assert all(i.flag_bits & 0x8 for i in zf.infolist())
    made = _copy(path)
    from_file = calamine.CalamineWorkbook.from_path(str(path))
    from_copy = calamine.CalamineWorkbook.from_filelike(io.BytesIO(made.data))
    assert _sheets(from_copy) == _sheets(from_file)
    assert _streamed(made.data) == len(parts_of(src))


def _streamed(data: bytes) -> int:
    """Read an archive as a streaming reader does, header after header; how many parts."""
    at, count = 0, 0
    while data[at : at + 4] == b"PK\x03\x04":
        flags, csize = int.from_bytes(data[at + 6 : at + 8], "little"), data[at + 18 : at + 22]
        assert not flags & 0x8  # no data descriptor: the sizes are in the header itself
        name_length = int.from_bytes(data[at + 26 : at + 28], "little")
        extra_length = int.from_bytes(data[at + 28 : at + 30], "little")
        at += 30 + name_length + extra_length + int.from_bytes(csize, "little")
        count += 1
    assert data[at : at + 4] == b"PK\x01\x02"  # the directory follows the last part
    return count


def test_a_part_whose_header_disagrees_means_no_copy(tmp_path: Path) -> None:
    path = write(tmp_path / "t.xlsx")
    data = bytearray(path.read_bytes())
    at = data.find(b"xl/workbook.xml")  # the first spelling is the local header's
    data[at : at + 15] = b"xl/workbook.xmX"
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as zf:
        assert lean_copy(zf, set()) is None


def test_a_sheet_with_a_bad_crc_is_refused_as_without_the_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "t.xlsx")
    bad = _bad_crc(tmp_path, path, sheet_part(path, "Tasks"))
    with zipfile.ZipFile(bad) as zf:
        made = lean_copy(zf, {sheet_part(path, "Tasks")})
    assert made is not None and made.sheets == {}  # not held: copied as the file has it
    with_copy = _refusal(bad)
    _no_copy(monkeypatch)
    assert _refusal(bad) == with_copy
    assert "fails its checksum" in with_copy


def _bad_crc(tmp_path: Path, path: Path, part: str) -> Path:
    """``path`` with ``part``'s CRC wrong in the directory and its local header alike."""
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(part)
    data = bytearray(path.read_bytes())
    good = info.CRC.to_bytes(4, "little")
    bad = (info.CRC ^ 0xFFFFFFFF).to_bytes(4, "little")
    assert data.count(good) >= 1
    data = bytearray(bytes(data).replace(good, bad))
    out = tmp_path / "bad-crc.xlsx"
    out.write_bytes(bytes(data))
    return out


def _refusal(path: Path) -> str:
    with pytest.raises(UnreadableFileError) as caught, Workbook(path, Settings().limits) as book:
        for name in book.worksheets:
            book.grid(name)
    return caught.value.reason


def test_the_sheet_scan_reads_the_held_sheets_not_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each sheet is inflated once, for the copy; the scan reads what was held."""
    path = write(tmp_path / "t.xlsx")
    opened = _calls(monkeypatch, "open_part")
    with Workbook(path, Settings().limits) as book:
        book.grid("Tasks")
        assert len(book._held) == len(book.worksheets) - 1
    assert book._held == {}  # what no scan asked for goes with the file
    grids = _grids(path)
    assert len(grids) >= 6
    assert opened == []
    _no_copy(monkeypatch)
    assert _grids(path) == grids
    assert len(opened) == len(grids)


def test_of_a_name_given_twice_the_part_zipfile_reads_is_held(tmp_path: Path) -> None:
    path = tmp_path / "twice.zip"
    with zipfile.ZipFile(path, "w") as zf, pytest.warns(UserWarning, match="Duplicate"):
        zf.writestr("xl/worksheets/sheet1.xml", _HEAD + _VALUED + _FOOT)
        zf.writestr("xl/worksheets/sheet1.xml", _HEAD + _VALUED + _EMPTY_ROW + _FOOT)
    with zipfile.ZipFile(path) as zf:
        made = lean_copy(zf, {"xl/worksheets/sheet1.xml"})
        assert made is not None
        assert made.sheets == {"xl/worksheets/sheet1.xml": zf.read("xl/worksheets/sheet1.xml")}
    assert made.sheets["xl/worksheets/sheet1.xml"].count(b"<row") == 2


def test_a_workbook_calamine_cannot_open_from_bytes_is_opened_from_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opened from bytes, calamine says "cannot detect file format" for what it refuses."""
    rows = b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    broken = minimal_book(tmp_path / "b.xlsx", sheet_xml(rows), shared_strings=b"<sst><si><t>")
    made = _copy(broken)
    with pytest.raises(Exception, match=r"(?i)detect"):
        calamine.CalamineWorkbook.from_filelike(io.BytesIO(made.data))
    with_copy = _refusal(broken)
    assert "detect" not in with_copy.lower()
    _no_copy(monkeypatch)
    assert _refusal(broken) == with_copy
