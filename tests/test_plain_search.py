"""RE2's searches find something exactly where the ``re`` patterns that define them do.

The sheet scan judges a segment plain from two searches (:mod:`addin.ooxml.plain_search`).
RE2 has no lookahead, so its patterns are written another way; a difference would let a
segment that needs a cell-by-cell look (a formula, a reference past the limits) through
the quick path. So every string up to a few bytes long over the bytes that matter, random
rows of cells, and the sheets of the bundled workbooks are searched by both.
"""

from __future__ import annotations

import itertools
import platform
import random
import re
import zipfile
from pathlib import Path

import pytest

from addin.core.settings import Settings
from addin.ooxml import plain_search, sheetscan
from addin.ooxml.sheetscan import walk_sheet

#: Where pyproject.toml installs google-re2 (its wheels): RE2 must be what searches there.
_RE2_MACHINES = {"x86_64", "AMD64", "aarch64", "arm64"}
_WORKBOOKS = Path(__file__).resolve().parent.parent / "workbooks"

#: The bytes the odd-tag search turns on, and a few it does not.
_TAG_BYTES = [b"<", b"/", b"v", b">", b"c", b" ", b"r", b"=", b'"', b"o", b"w", b"A", b"\xff"]
#: The bytes the odd-reference search turns on: Python's \s includes \v (RE2's does not).
_REF_BYTES = [b"r", b"=", b'"', b"A", b"1", b" ", b"\x0b", b"\xff", b"<"]
_PIECES = [b'<row r="', b'<c r="', b"<v>", b"</v>", b"</c>", b"</row>", b'r="B7"', b"<f>",
           b'r="AB12345"', b"r=", b"r ", b"<x:c", b"12", b'"', b"<", b"r\t", b"<c/>"]  # fmt: skip


def _same(re2_search: plain_search.Search, re_search: plain_search.Search, data: bytes) -> bool:
    return (re2_search.search(data) is None) == (re_search.search(data) is None)


def _re2_and_re(
    monkeypatch: pytest.MonkeyPatch, digits: int
) -> tuple[plain_search.Search, plain_search.Search, plain_search.Search, plain_search.Search]:
    """(RE2's odd tag, re's odd tag, RE2's odd reference, re's odd reference)."""
    tag, ref = plain_search.odd_tag(), plain_search.odd_reference(digits)
    monkeypatch.setattr(plain_search, "_re2", None)
    assert plain_search.backend() == "re"
    return tag, plain_search.odd_tag(), ref, plain_search.odd_reference(digits)


def test_re2_searches_where_it_is_installed() -> None:
    expected = "re2" if platform.machine() in _RE2_MACHINES else "re"
    assert plain_search.backend() == expected
    if expected == "re2":
        assert plain_search.odd_tag() is not plain_search.ODD_TAG


def test_without_re2_the_definitions_search(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plain_search, "_re2", None)
    assert plain_search.odd_tag() is plain_search.ODD_TAG
    assert plain_search.odd_reference(4).search(b'<c r="B7">') is None
    assert plain_search.odd_reference(4).search(b'<c r="B77777">') is not None


def test_every_short_string_gets_the_same_answer_for_tags(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    re2_tag, re_tag, _, _ = _re2_and_re(monkeypatch, 4)
    differ = [
        s
        for n in range(6)
        for s in map(b"".join, itertools.product(_TAG_BYTES, repeat=n))
        if not _same(re2_tag, re_tag, s)
    ]
    assert differ == []
    assert re2_tag.search(b"<") is not None  # a "<" at the very end is odd
    assert re2_tag.search(b'<row r="') is None


@pytest.mark.parametrize("digits", [1, 2, 4, 6])
def test_every_short_string_gets_the_same_answer_for_references(
    digits: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, _, re2_ref, re_ref = _re2_and_re(monkeypatch, digits)
    longest = 6 if digits < 4 else 5
    differ = [
        s
        for n in range(longest + 1)
        for s in map(b"".join, itertools.product(_REF_BYTES, repeat=n))
        if not _same(re2_ref, re_ref, s)
    ]
    assert differ == []
    # A row number one digit too long, and one just short enough.
    assert re2_ref.search(b'r="A%s"' % (b"1" * (digits + 1))) is not None
    assert re2_ref.search(b'r="A%s"' % (b"1" * digits)) is None


@pytest.mark.parametrize("digits", [1, 4, 5])
def test_random_rows_get_the_same_answers(digits: int, monkeypatch: pytest.MonkeyPatch) -> None:
    re2_tag, re_tag, re2_ref, re_ref = _re2_and_re(monkeypatch, digits)
    rng = random.Random(digits)
    row = b'<row r="7"><c r="B7" t="s"><v>3</v></c><c r="C7"><v>46000</v></c></row>'
    found = {"tag": 0, "ref": 0}
    for _ in range(4000):
        data = bytearray(row * rng.randint(1, 3))
        for _ in range(rng.randint(0, 3)):
            at = rng.randint(0, len(data))
            data[at : at + rng.randint(0, 6)] = rng.choice(_PIECES)
        segment = bytes(data[: rng.randint(0, len(data))] if rng.random() < 0.2 else data)
        assert _same(re2_tag, re_tag, segment), segment
        assert _same(re2_ref, re_ref, segment), segment
        found["tag"] += re_tag.search(segment) is not None
        found["ref"] += re_ref.search(segment) is not None
    assert all(100 < n < 3900 for n in found.values())  # both answers are well tried


def test_the_bundled_workbooks_sheets_get_the_same_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    re2_tag, re_tag, re2_ref, re_ref = _re2_and_re(monkeypatch, 4)
    sheets = 0
    for path in sorted(_WORKBOOKS.rglob("*.xlsx")):
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                if name.startswith("xl/worksheets/sheet"):
                    xml = zf.read(name)
                    body = xml[xml.find(b"<sheetData") :]
                    for data in (xml, body):
                        assert _same(re2_tag, re_tag, data), (path.name, name)
                        assert _same(re2_ref, re_ref, data), (path.name, name)
                    sheets += 1
    assert sheets > 20


def test_a_nested_literal_is_odd_only_past_it() -> None:
    """A literal that starts another ("ab" and "abc") makes everything after "ab" plain.

    Read by ``re`` (RE2's ``\\z`` is its ``\\Z``), so it runs where RE2 is not installed too.
    """
    built = plain_search._not_followed_by((b"ab", b"abc")).replace(rb"\z", rb"\Z")
    search = re.compile(b"<" + built)
    assert search.search(b"<abx") is None and search.search(b"<ab") is None
    assert search.search(b"<a") is not None and search.search(b"<ax") is not None


def test_the_scan_judges_the_same_sheets_on_either_engine(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The bundled workbooks' sheets, and copies holding formulas with no cached value."""
    import io

    default = Settings.default().limits
    small = default.model_copy(update={"max_rows": 20, "max_columns": 10})
    parts = []
    for path in sorted(_WORKBOOKS.rglob("*.xlsx")):
        with zipfile.ZipFile(path) as zf:
            parts += [zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
    # A few numbers made formulas with no cached value (as openpyxl leaves them).
    number = re.compile(rb'(<c r="[A-Z]+\d+"[^>]*>)<v>(\d+)</v>')
    parts += [number.sub(rb"\1<f>1+\2</f>", p, count=3) for p in parts]

    def scans() -> list[sheetscan.SheetScan]:
        return [walk_sheet(io.BytesIO(p), at, emit=True) for p in parts for at in (default, small)]

    fast = scans()
    monkeypatch.setattr(sheetscan, "_ODD_TAG", plain_search.ODD_TAG)
    monkeypatch.setattr(plain_search, "_re2", None)
    slow = scans()
    assert fast == slow
    assert any(scan.uncalculated for scan in slow)  # formulas without values were found
    assert any(scan.truncated_rows for scan in slow) and any(s.truncated_cols for s in slow)
