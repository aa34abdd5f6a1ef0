"""The safety scan's cost: one open archive, fewer passes over each sheet (issue 17, item 0).

Opening a workbook parsed its zip central directory twice: once to sniff and scan it,
once to read it. The reader now takes over the archive the scan read; a workbook the
scan refuses is still refused, with its archive closed.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest

import addin.read.sniffing as sniffing
from addin.core.errors import UnreadableFileError
from addin.core.settings import Settings
from addin.ooxml.sheetscan import _SheetWalker
from addin.read.source import Workbook
from tests.builders import write

LIMITS = Settings().limits


class _Counting(zipfile.ZipFile):
    opened: list[_Counting] = []  # noqa: RUF012 - a test's record

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _Counting.opened.append(self)


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> list[_Counting]:
    _Counting.opened = []
    monkeypatch.setattr(zipfile, "ZipFile", _Counting)
    return _Counting.opened


def test_a_workbook_is_opened_as_a_zip_once(tmp_path: Path, counting: list[_Counting]) -> None:
    path = write(tmp_path / "t.xlsx")
    with Workbook(path, LIMITS) as book:
        assert book.sheet_names  # it was read
        assert len(counting) == 1
        assert counting[0].fp is not None  # the scan's archive, still open for the reader
    assert counting[0].fp is None  # and closed with the workbook


def test_a_refused_workbook_leaves_no_archive_open(
    tmp_path: Path, counting: list[_Counting]
) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", '<!DOCTYPE x [<!ENTITY a "b">]><workbook/>')
    counting.clear()
    with pytest.raises(UnreadableFileError, match="DTD"):
        Workbook(path, LIMITS)
    assert counting and all(zf.fp is None for zf in counting)


def test_sniff_without_keep_open_closes_the_archive(
    tmp_path: Path, counting: list[_Counting]
) -> None:
    path = write(tmp_path / "t.xlsx")
    sniffed = sniffing.sniff(path, LIMITS)
    assert sniffed.kind == "xlsx" and sniffed.archive is None
    assert len(counting) == 1 and counting[0].fp is None


# --- the sheet scan's quick judgement (one search where two counts were compared) ------------

_ROW = b'<row r="1" spans="1:2"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>2</v></c></row>'


@pytest.mark.parametrize(
    ("segment", "plain"),
    [
        (_ROW, True),
        (_ROW + _ROW.replace(b"1", b"2"), True),
        (b"", True),
        (_ROW.replace(b'<row r="1"', b"<row"), False),  # a row placed by counting
        (_ROW.replace(b'<row r="1"', b'<row  r="1"'), False),
        (_ROW.replace(b'<row r="1"', b"<row r='1'"), False),
        (_ROW.replace(b'<c r="B1">', b"<c>"), False),  # a cell placed by counting
        (_ROW.replace(b'<c r="B1">', b'<c s="1" r="B1">'), False),
        (_ROW.replace(b'<c r="B1">', b'<c  r="B1">'), False),
        (_ROW.replace(b'<c r="B1">', b'<c r="B1" r ="Z9">'), False),  # a second reference
        (_ROW.replace(b'<c r="B1"><v>2</v>', b'<c r="B1"><f>1+1</f><v>2</v>'), False),
        (_ROW.replace(b"<c ", b"<x:c ").replace(b"</c>", b"</x:c>"), False),
        (_ROW.replace(b'r="B1"', b'r="B100001"'), False),  # beyond the row limit
    ],
)
def test_a_segment_is_judged_plain_only_when_every_position_is_explicit(
    segment: bytes, plain: bool
) -> None:
    walker = _SheetWalker(LIMITS, emit=False)
    assert walker._plain(segment) is plain


# --- the two quick searches judge exactly as the questions asked one by one ------------------

#: Pieces a segment may hold: the plain ones, and every odd form the judgement looks for.
_PIECES = [
    b'<row r="7">',
    b"</row>",
    b'<c r="B7">',
    b'<c r="B7"/>',
    b"<v>3</v>",
    b"</c>",
    b"<row>",
    b"<c>",
    b'<row  r="7">',
    b'<c s="1" r="B7">',
    b"<f>A1</f>",
    b"<f/>",
    b"<x:c ",
    b"</x:c>",
    b"<is><t>a:b</t></is>",
    b"<!-- r -->",
    b' r ="B7"',
    b" r='B7'",
    b' r="AA7"',
    b' r="XFD7"',
    b' r="A99999"',
    b' r="A100000"',
    b' r="A100001"',
    b' r="Z1"',
    b' r="7"',
    b' r="007"',
    b" r\t",
    b"r=\n",
    b":",
    b' spans="1:16"',
    b'<row r="99999">',
    b"<rows>",
    b"<cx>",
    b"<v >1</v>",
    b'<c r="B7" t="inlineStr">',
    b"r",
    b"<",
    b'"',
    b"=",
]


@pytest.mark.parametrize(
    ("max_rows", "max_cols"),
    [(100_000, 500), (99_999, 16_384), (10, 500), (100_000, 26), (100_000, 27), (99, 25), (10, 10)],
)
def test_the_quick_searches_judge_as_every_question_asked(
    max_rows: int, max_cols: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import random
    import re

    import addin.ooxml.sheetscan as sheetscan

    limits = LIMITS.model_copy(update={"max_rows": max_rows, "max_columns": max_cols})
    rng = random.Random(f"{max_rows} {max_cols}")
    segments = [_ROW, _ROW * 3, b""]
    for _ in range(3000):
        rows = bytearray(_ROW * rng.randint(1, 3))
        for _ in range(rng.randint(0, 3)):
            at = rng.randint(0, len(rows))
            rows[at : at + rng.randint(0, 6)] = rng.choice(_PIECES)
        segments.append(bytes(rows))

    quick = [_SheetWalker(limits, emit=False)._plain(s) for s in segments]
    asked_one_by_one = re.compile(b"")  # finds something in every segment
    monkeypatch.setattr(sheetscan, "_ODD_TAG", asked_one_by_one)
    slow = []
    for segment in segments:
        walker = _SheetWalker(limits, emit=False)
        walker._odd_reference = None
        slow.append(walker._plain(segment))

    assert quick == slow
    assert 100 < quick.count(True) < len(quick) - 100  # both judgements are well tried


def test_a_workbook_s_properties_are_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its template version, its provenance and whether it is one of our outputs: one read."""
    import addin.read.source as source
    from addin.engine.pipeline import check_tracker

    reads: list[str] = []
    real = source.custom_properties

    def counted(zf: zipfile.ZipFile) -> dict[str, str]:
        reads.append(str(zf.filename))
        return real(zf)

    monkeypatch.setattr(source, "custom_properties", counted)
    path = write(tmp_path / "t.xlsx")
    result = check_tracker(str(path), Settings.default())
    assert result.is_tracker and result.pmo_output == ""
    assert reads == [str(path)]
