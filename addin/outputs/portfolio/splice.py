"""Splice the big data sheets' rows into a workbook XlsxWriter built with those sheets empty.

The sheets' parts are found through the package's relationships
(:mod:`addin.ooxml.parts`), and each column's style index is read from the sheet's own
``<cols>`` element (XlsxWriter writes the column formats there), so nothing depends on
XlsxWriter's internals. Rows rendered in the workers (:mod:`addin.outputs.portfolio.prerender`)
are copied in as the deflated pieces they arrive as (:mod:`addin.ooxml.pieces`): the
sheet's member is written without inflating or compressing its rows again. Otherwise
rows are rendered from the run's columns a block at a time
(:func:`addin.ooxml.sheetxml.render_columns`) and streamed into the new package.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import addin.core.timing as timing
from addin.core.cells import column_letter
from addin.core.errors import OutputError
from addin.ooxml.parts import sheet_parts
from addin.ooxml.pieces import LEVEL, Piece, write_member
from addin.ooxml.sheetxml import Style, assemble, render_columns
from addin.outputs.portfolio.columns import table_name
from addin.outputs.portfolio.prerender import RowBlock

#: zlib level of the written workbook (the pieces' level: see :mod:`addin.ooxml.pieces`).
COMPRESS_LEVEL = LEVEL
#: Rows rendered at a time (bounds the memory the rendered XML takes).
BLOCK_ROWS = 50_000

_ZIP64_BYTES = 2**31 - 2**24
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"/>')
_REF = re.compile(rb'(<(?:table|autoFilter)\b[^>]*?\bref=")A1:([A-Z]+)\d+(")')
_COL = re.compile(rb"<col\b([^>]*)/>")
_ATTR = re.compile(rb'\b(min|max|style)="(\d+)"')


@dataclass(frozen=True)
class DataSheet:
    """One data sheet to fill: its title, each column's style slot, and its columns.

    ``blocks``, when given, hold the same rows already rendered in the workers (see
    :mod:`addin.outputs.portfolio.prerender`); they are used when their style indexes
    are the sheet's, and the rows are rendered from the columns otherwise.
    """

    title: str
    styles: Sequence[Style]
    columns: Sequence[Sequence[Any]]
    blocks: Sequence[RowBlock] | None = None
    #: Cells may hold long text (Findings' messages): size the part from its text.
    long_text: bool = False
    #: Number of rows when the sheet is given as blocks only (``columns`` empty).
    rows: int | None = None

    @classmethod
    def of_rows(
        cls, title: str, styles: Sequence[Style], rows: Sequence[Sequence[Any]]
    ) -> DataSheet:
        """A sheet of ``rows`` (a cell for each of ``styles``), whose text may be long."""
        columns = [list(c) for c in zip(*rows, strict=True)] or [[] for _ in styles]
        return cls(title, styles, columns, long_text=True)

    @property
    def table(self) -> str:
        """The sheet's Excel table name (``tblTasks``, ``tblTasks2`` on a continuation)."""
        return table_name(self.title)

    @property
    def count(self) -> int:
        """Number of data rows."""
        if self.rows is not None:
            return self.rows
        return len(self.columns[0]) if self.columns else 0


def column_styles(xml: bytes) -> dict[int, int]:
    """0-based column -> style index, from a worksheet's ``<cols>`` element."""
    out: dict[int, int] = {}
    for m in _COL.finditer(xml.partition(b"<sheetData")[0]):
        attrs = {k.decode(): int(v) for k, v in _ATTR.findall(m.group(1))}
        if "style" in attrs and "min" in attrs:
            for col in range(attrs["min"] - 1, attrs.get("max", attrs["min"])):
                out[col] = attrs["style"]
    return out


def style_index(sheet: DataSheet, xml: bytes) -> dict[Style, int]:
    """Style slot -> the workbook's style index, read from the sheet's column formats."""
    found = column_styles(xml)
    out: dict[Style, int] = {}
    for col, style in enumerate(sheet.styles):
        if style is Style.TEXT:
            continue
        if col not in found:
            raise OutputError(
                f"internal: column {column_letter(col)} of {sheet.title} has no style"
            )
        if out.setdefault(style, found[col]) != found[col]:
            raise OutputError(f"internal: two style indexes for {style.name} in {sheet.title}")
    return out


def _prerendered(sheet: DataSheet, styles: dict[Style, int]) -> Sequence[RowBlock] | None:
    """The sheet's prerendered blocks when every one was rendered with these style indexes."""
    if sheet.blocks is None:
        return None
    for block in sheet.blocks:
        used = dict(block.styles)
        if any(used.get(style) != index for style, index in styles.items()):
            return None
    return sheet.blocks


def _rendered(sheet: DataSheet, styles: dict[Style, int]) -> Iterator[bytes]:
    """The sheet's rows rendered from its columns, a block at a time."""
    for start in range(0, sheet.count, BLOCK_ROWS):
        part = [c[start : start + BLOCK_ROWS] for c in sheet.columns]
        yield assemble(render_columns(part, sheet.styles), styles)


def _needs_zip64(sheet: DataSheet) -> bool:
    """True when the sheet's part may pass 2 GiB (zipfile refuses to stream past it else).

    A cell of the data sheets takes well under 256 bytes of XML; a sheet of long text is
    sized from its text (7 bytes a character at worst: ``_x0007_``).
    """
    cells = sheet.count * len(sheet.styles)
    if not sheet.long_text:
        return cells * 256 > _ZIP64_BYTES
    text = sum(len(v) for column in sheet.columns for v in column if type(v) is str)
    return cells * 64 + 7 * text > _ZIP64_BYTES


def _widen_table(xml: bytes, counts: dict[bytes, int]) -> bytes:
    """Set a data sheet's table (and its autofilter) to span all its rows."""
    for marker, count in counts.items():
        if marker in xml:
            last = str(max(count, 1) + 1).encode()
            return _REF.sub(rb"\g<1>A1:\g<2>" + last + rb"\g<3>", xml)
    return xml


def splice(skeleton: Path, target: Path, sheets: Sequence[DataSheet]) -> None:
    """Copy the skeleton workbook to ``target``, inserting each data sheet's rows."""
    by_title = {s.title: s for s in sheets}
    counts = {b'name="%s"' % s.table.encode(): s.count for s in sheets}
    with (
        zipfile.ZipFile(skeleton) as src,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as dst,
    ):
        parts = {
            part: by_title[name] for name, part in sheet_parts(src).items() if name in by_title
        }
        for info in src.infolist():
            data = src.read(info.filename)
            sheet = parts.get(info.filename)
            if sheet is None:
                if info.filename.startswith("xl/tables/"):
                    data = _widen_table(data, counts)
                dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
                continue
            head, sep, tail = data.partition(b"</sheetData>")
            if not sep:
                raise OutputError(f"internal: no sheetData in {info.filename}")
            last = column_letter(len(sheet.styles) - 1)
            head = _DIMENSION.sub(
                b'<dimension ref="A1:%s%d"/>' % (last.encode(), sheet.count + 1), head, 1
            )
            styles = style_index(sheet, head)
            ready = _prerendered(sheet, styles)
            with timing.phase(f"write {sheet.title}"):
                if ready is not None:
                    pieces = [Piece.of(head), *(b.piece for b in ready)]
                    member = zipfile.ZipInfo(info.filename, info.date_time)
                    write_member(dst, member, [*pieces, Piece.of(sep + tail, final=True)])
                    continue
                with dst.open(info.filename, "w", force_zip64=_needs_zip64(sheet)) as out:
                    out.write(head)
                    for chunk in _rendered(sheet, styles):
                        out.write(chunk)
                    out.write(sep + tail)
