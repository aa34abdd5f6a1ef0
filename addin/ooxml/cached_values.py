"""Keep formula results across an openpyxl save.

openpyxl writes every formula cell with an empty value (``<f>..</f><v />``), so a
workbook it saved reads as blanks in any client that does not recalculate
(our own reader among them) until someone opens and saves it in Excel. After an
annotation is saved, :func:`restore` copies each formula cell's cached result
from the original file back into the saved one. Cells are matched by sheet
name and reference; anything that does not match exactly is left as it is.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from addin.ooxml.parts import sheet_parts

#: A cell: self-closing (``<c r="L2" s="3"/>``, no group 2) or with content. Matching the
#: empty form first keeps an empty cell from swallowing the next cell (and the search from
#: running to the end of the sheet for each one: quadratic on a sheet of styled blanks).
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.DOTALL)
_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_TYPE = re.compile(rb'\s+t="[^"]*"')
_VALUE = re.compile(rb"<v>(.*?)</v>", re.DOTALL)
_EMPTY_VALUE = re.compile(rb"<v\s*/>|<v></v>")


def _cached(xml: bytes) -> dict[bytes, tuple[bytes | None, bytes]]:
    """Reference -> (type attribute, value) of every formula cell with a cached value."""
    out: dict[bytes, tuple[bytes | None, bytes]] = {}
    for m in _CELL.finditer(xml):
        attrs, inner = m.group(1), m.group(2)
        if inner is None or b"<f" not in inner:
            continue
        v = _VALUE.search(inner)
        ref = _REF.search(attrs)
        if v is None or ref is None:
            continue
        t = re.search(rb'\bt="([^"]*)"', attrs)
        out[ref.group(1)] = (t.group(1) if t else None, v.group(1))
    return out


def _fill(xml: bytes, cached: dict[bytes, tuple[bytes | None, bytes]]) -> tuple[bytes, int]:
    restored = 0

    def put(m: re.Match[bytes]) -> bytes:
        nonlocal restored
        attrs, inner = m.group(1), m.group(2)
        ref = _REF.search(attrs)
        if inner is None or ref is None or b"<f" not in inner or not _EMPTY_VALUE.search(inner):
            return m.group(0)
        hit = cached.get(ref.group(1))
        if hit is None:
            return m.group(0)
        kind, value = hit
        attrs = _TYPE.sub(b"", attrs) + (b' t="%s"' % kind if kind else b"")
        restored += 1
        return (
            b"<c"
            + attrs
            + b">"
            + _EMPTY_VALUE.sub(b"<v>" + value + b"</v>", inner, count=1)
            + b"</c>"
        )

    return _CELL.sub(put, xml), restored


def restore(saved: Path, original: Path) -> int:
    """Copy formula results from ``original`` into ``saved`` (rewritten in place).

    Returns:
        How many formula cells got their result back.
    """
    with zipfile.ZipFile(original) as src:
        names = sheet_parts(src)
        cached = {
            name: _cached(src.read(part)) for name, part in names.items() if part in src.namelist()
        }
    if not any(cached.values()):
        return 0
    restored = 0
    tmp = saved.with_name(saved.name + ".part")
    try:
        with zipfile.ZipFile(saved) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
            targets = {part: cached.get(name, {}) for name, part in sheet_parts(zin).items()}
            for info in zin.infolist():
                data = zin.read(info.filename)
                if targets.get(info.filename):
                    data, n = _fill(data, targets[info.filename])
                    restored += n
                zout.writestr(info, data)
        tmp.replace(saved)
    finally:
        tmp.unlink(missing_ok=True)
    return restored
