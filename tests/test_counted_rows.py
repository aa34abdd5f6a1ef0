"""Rows and cells placed by counting are judged by counting (issue 17: a portfolio read back).

Our portfolio's data rows carry no references (``<row><c t="inlineStr">``); the sheet scan
walked each of them cell by cell: 12 of the 16 s `pmo pack` took to read back a messy
1,000-project portfolio. A segment whose rows and cells all stand by counting is now judged
from counts. These tests hold that judgement to the row-by-row walk's on every sheet they
make (what calamine is then given, and what the scan says), and RE2's search to ``re``'s.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import random
import re

import pytest

from addin.core.settings import LimitSettings, Settings
from addin.ooxml import plain_search, sheetscan
from addin.ooxml.sheetscan import BadSheet, SheetScan, _SheetWalker, walk_sheet
from addin.ooxml.sheetxml import Style, assemble, render_rows

LIMITS = Settings().limits

_TEXT = b'<c t="inlineStr"><is><t>a</t></is></c>'
_NUMBER = b"<c><v>2</v></c>"


def _row(*cells: bytes) -> bytes:
    return b"<row>" + b"".join(cells) + b"</row>"


def _walker(max_rows: int = 100, max_cols: int = 10) -> _SheetWalker:
    limits = LIMITS.model_copy(update={"max_rows": max_rows, "max_columns": max_cols})
    return _SheetWalker(limits, emit=False)


def test_the_portfolio_writers_rows_are_judged_by_counting() -> None:
    rows = render_rows(
        [["BEN-0001", dt.date(2026, 11, 23), 0.5, 1200.0, "a < b & c", None, 3]] * 40,
        [Style.TEXT, Style.DATE, Style.PERCENT, Style.MONEY, Style.TEXT, Style.TEXT, Style.INTEGER],
    )
    segment = assemble(rows, {s: i for i, s in enumerate(Style)})
    walker, short = _walker(max_rows=1000), _walker(max_rows=40)
    walker.last_row = short.last_row = 0  # the header row, written with its references
    assert walker._counted(segment)
    assert walker.last_row == 40
    assert not short._counted(segment)  # row 41 is past the limit  # row 41 is past the limit


@pytest.mark.parametrize(
    ("segment", "counted"),
    [
        (_row(_TEXT, _NUMBER) * 3, True),
        (b"<row/>" + _row(_NUMBER) + b'<row spans="1:2"/>', True),
        (_row(*[_NUMBER] * 10), True),  # as many cells as the limit allows
        (_row(*[_NUMBER] * 11), False),  # one more
        (_row(*[b"<c/>"] * 11), False),  # empty cells take their places too
        (_row(b'<c r="A1"><v>2</v></c>'), False),  # a reference: said row by row
        (b'<row r="3">' + _NUMBER + b"</row>", False),
        (_row(b"<c><f>1+1</f></c>"), False),  # a formula
        (_row(b"<x:c><v>2</v></x:c>"), False),  # a prefixed tag
        (_row(b'<c t="inlineStr"><is><t><![CDATA[<row>]]></t></is></c>'), False),
        (_row(_NUMBER) + b"<!-- <row> -->", False),
        (b"<rows>" + _NUMBER + b"</rows>", False),
        (_NUMBER + _row(_NUMBER), False),  # a cell outside any row
        (_row(_NUMBER) + _NUMBER + _row(_NUMBER), False),  # and between two rows
        (b"<row>" + _NUMBER + b"<row>" + _NUMBER + b"</row></row>", False),  # rows nested
        (b"<row/>" + _NUMBER + b"</row>", False),  # a cell after a row closed by its tag
        (_row(_NUMBER) + b"\n", False),  # anything after a row: said row by row
        (b"", True),
    ],
)
def test_a_segment_is_judged_by_counting_only_when_that_is_all_it_needs(
    segment: bytes, counted: bool
) -> None:
    walker = _walker()
    assert walker._counted(segment) is counted
    assert walker.last_row == (segment.count(b"<row") - 1 if counted else -1)


# --- the same answers as the row-by-row walk --------------------------------------------------

#: What a random sheet is made of: counted rows and cells, and every form that stops counting.
_PIECES = [_TEXT, _NUMBER, b"<c/>", b"<row/>", b"<row>", b"</row>", b'<c r="B2">', b' r="C9"',
           b"<f>1</f>", b"<x:c>", b"<!-- c -->", b"<rows/>", b'<row r="4">', b"\n"]  # fmt: skip


def _sheet(rng: random.Random) -> bytes:
    wide = rng.choice([6, 12])
    rows = [
        _row(*rng.choices([_TEXT, _NUMBER, b"<c/>"], k=rng.randint(0, wide)))
        for _ in range(rng.randint(1, 40))
    ]
    rows = [b"<row/>" if r == b"<row></row>" else r for r in rows]
    body = bytearray(b"".join(rows))
    for _ in range(rng.choice([0, 0, 1, 2])):
        at = rng.randint(0, len(body))
        body[at : at + rng.randint(0, 8)] = rng.choice(_PIECES)
    return b"<worksheet><sheetData>" + bytes(body) + b"</sheetData></worksheet>"


def _as_calamine_gets_it(data: bytes, limits: LimitSettings) -> tuple[str, SheetScan | None, bytes]:
    """What the reader hands calamine (see ``Workbook._scan``), and what the scan found."""
    try:
        scan = walk_sheet(io.BytesIO(data), limits, emit=False)
        xml = data
        if scan.verbatim_end is not None:
            xml = data[: scan.verbatim_end] + scan.closing
        elif scan.cut:
            xml = walk_sheet(io.BytesIO(data), limits, emit=True).xml or b""
    except BadSheet as exc:
        return str(exc), None, b""
    scan.xml, scan.verbatim_end, scan.closing = None, None, b""
    return "", scan, _explicit(xml)


def _explicit(xml: bytes) -> bytes:
    """A sheet with every row and cell placed by its reference: the row-by-row walk's copy."""
    limits = LIMITS.model_copy(update={"max_rows": 1000, "max_columns": 1000})
    walker = _SheetWalker(limits, emit=True)
    walker._counted = lambda seg: False  # type: ignore[method-assign]
    walker._plain = lambda seg: False  # type: ignore[method-assign]
    start = xml.find(b">", xml.find(b"<sheetData")) + 1
    end = xml.rfind(b"</sheetData>")
    walker.segment(xml[start:end])
    return b"".join(walker.out or [])


@pytest.mark.parametrize(("max_rows", "max_cols"), [(100, 20), (30, 20), (100, 10), (25, 10)])
@pytest.mark.parametrize("chunk", [1 << 20, 97])
def test_counting_gives_calamine_what_the_row_by_row_walk_gives(
    max_rows: int, max_cols: int, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    limits = LIMITS.model_copy(update={"max_rows": max_rows, "max_columns": max_cols})
    monkeypatch.setattr(sheetscan, "_CHUNK", chunk)  # segments of one row or of the whole sheet
    rng = random.Random(f"{max_rows} {max_cols} {chunk}")
    sheets = [_sheet(rng) for _ in range(400)]
    judged: list[bool] = []
    by_counting = _SheetWalker._counted

    def recorded(self: _SheetWalker, seg: bytes) -> bool:
        judged.append(by_counting(self, seg))
        return judged[-1]

    monkeypatch.setattr(_SheetWalker, "_counted", recorded)
    counted = [_as_calamine_gets_it(s, limits) for s in sheets]
    monkeypatch.setattr(_SheetWalker, "_counted", lambda self, seg: False)
    walked = [_as_calamine_gets_it(s, limits) for s in sheets]
    assert counted == walked
    assert judged.count(True) > 50  # counting judged many of them
    scans = [scan for _, scan, _ in walked if scan is not None]
    refused = [why for why, _, _ in walked if why]
    assert 20 < len(refused) < 200  # damaged sheets are refused alike
    assert any(s.truncated_rows for s in scans) == (max_rows < 40)
    assert any(s.truncated_cols for s in scans) or max_cols > 12
    assert any(s.uncalculated for s in scans)


# --- RE2 and re ------------------------------------------------------------------------------

_BYTES = [b"<", b"!", b"?", b"x", b":", b"f", b" ", b"\x0b", b"r", b"=", b"o", b"w", b"/", b">"]


def test_re2_and_re_find_the_same_forms_that_stop_counting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    installed = plain_search.not_counted()
    monkeypatch.setattr(plain_search, "_re2", None)
    defined = plain_search.not_counted()
    assert isinstance(defined, re.Pattern)
    differ = [
        s
        for n in range(6)
        for s in map(b"".join, itertools.product(_BYTES, repeat=n))
        if (installed.search(s) is None) != (defined.search(s) is None)
    ]
    assert differ == []
    for odd in (b"<!--", b"<?x", b"<x:c", b"<f>", b"<f/>", b' r="A1"', b"\tr =", b"<rows"):
        assert defined.search(odd) is not None, odd
    for plain in (b"<row>", b"<row/>", b'<row spans="1:2">', b"<c><v>1</v></c>", b"<fx>", b"ar="):
        assert defined.search(plain) is None, plain
