"""The portfolio's rendered rows, kept in the cache and taken back only when they are plain.

Rendering a tracker's rows (:mod:`addin.outputs.portfolio.prerender`) is most of what a
cache hit costs a worker on a re-run (1.9 ms a tracker); checking rows rendered last
time costs a third of it. :class:`KeptRows` is the prepare step a consolidation runs
in its workers: it renders a tracker's rows, packs them for the cache (as they are,
deflated) and, for a cache hit, takes them back instead of rendering again - but only
when they can be nothing but what we write:

* exactly the blocks the result's tables make (the same kinds, each with as many rows
  as its table), rendered with the style indexes this workbook uses;
* each block's XML, inflated within a bound, is rows of cells that hold a number, a
  boolean or inline text with XML's own escapes - no formula, no shared string, no
  attribute or element we do not write - as long as, and with the CRC-32, recorded
  beside it. Anything else is rendered again from the result.

The cache ties these bytes to the result they were made from (a digest of its bytes), so
rows are never taken back for a result that was changed. When the cache entry is sealed
(written by this user's ``pmo`` and unchanged since: :mod:`addin.core.seal`), the rows
are what we rendered, and are taken back without inflating them: their length and
CRC-32 were recorded when they were made (still only for the same kinds, row counts and
style indexes).
"""

from __future__ import annotations

import re
import struct
from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache
from typing import Any

from addin.core.kinds import table_kinds
from addin.core.spill import Spill
from addin.engine.pipeline import TrackerResult
from addin.ooxml.pieces import Piece, inflate
from addin.ooxml.sheetxml import Style
from addin.outputs.portfolio.finding_blocks import FINDINGS, FINDINGS_AFTER, own_blocks
from addin.outputs.portfolio.prerender import RowBlock, prerender

#: One block: its kind's name length, row count, deflated length, style pairs, and its
#: XML's length, CRC-32 and CRC shift (see :class:`~addin.ooxml.pieces.Piece`).
_BLOCK = struct.Struct("<HIIHIII")
_PAIR = struct.Struct("<BI")
#: Each style slot by its number (a dict lookup: calling the enum cost a re-run 25 ms).
_STYLE_OF = {int(s): s for s in Style}
#: The kept bytes' first bytes: their layout's, so bytes of another layout (kept by
#: another version of this module) are never parsed as this one's, sealed or not.
_MAGIC = b"PMO-ROWS4" + _BLOCK.format.encode() + _PAIR.format.encode()
#: Most XML a kept block may inflate to: per row, far more than a row we render (~0.5 KB);
#: a block past it (rows of very long text) is simply rendered again.
_BYTES_PER_ROW = 8 * 1024
_BASE_BYTES = 1024 * 1024

# Every repetition is possessive (``*+``, ``?+``): what follows each one starts with a
# character it cannot take, so giving some back could never help a match, and the
# engine is told not to try (a fifth less time on a re-run's rows).
_NUMBER = rb"-?[0-9]++(?:\.[0-9]++)?+(?:[eE][+-]?[0-9]++)?+"
_TEXT = rb"[^<&]*+(?:&(?:amp|lt|gt);[^<&]*+)*+"


#: A kept block: its deflated rows, row count, style pairs, and its XML's length, CRC-32
#: and CRC shift.
_Block = tuple[bytes, int, tuple[tuple[Style, int], ...], tuple[int, int, int]]


@lru_cache(maxsize=8)
def _grammar(indexes: tuple[int, ...]) -> re.Pattern[bytes]:
    """Rows of the cells we render, with only these style indexes.

    A cell is ``<c/>``, a number (with one of the style indexes, or none), a boolean, or
    inline text with XML's own escapes; the alternatives share their ``<c`` and ``t="``.
    """
    style = rb'(?: s="(?:' + b"|".join(b"%d" % i for i in indexes) + rb')")?+' if indexes else b""
    cell = (
        rb"<c(?:/>"
        rb"|" + style + rb"><v>" + _NUMBER + rb"</v></c>"
        rb'| t="(?:b"><v>[01]</v></c>'
        rb'|inlineStr"><is><t(?: xml:space="preserve")?+>' + _TEXT + rb"</t></is></c>))"
    )
    return re.compile(rb"(?:<row>(?:" + cell + rb")*+</row>)*+")


class KeptRows:
    """Render a tracker's rows in its worker, and keep them in the cache for the next run.

    Picklable (it travels to the workers): it holds only the style map.
    """

    def __init__(self, styles: Mapping[Style, int]) -> None:
        """Rows rendered with ``styles`` (see :func:`~addin.outputs.portfolio.writer.style_map`)."""
        self.styles = dict(styles)

    def __call__(self, result: TrackerResult) -> dict[str, RowBlock]:
        """The tracker's rows by kind (:func:`prerender`) and its Findings rows, rendered."""
        made = prerender(result, self.styles)
        made.update(own_blocks(result))
        return made

    def pack(self, made: Any) -> bytes | None:
        """The blocks as bytes for the cache; None for anything but what :meth:`__call__` made."""
        if not isinstance(made, dict):
            return None
        out = [_MAGIC]
        for key, block in made.items():
            if not isinstance(block, RowBlock):
                return None
            name = key.encode()
            piece = block.piece
            packed = piece.deflated()
            head = (len(name), block.count, len(packed), len(block.styles))
            out.append(_BLOCK.pack(*head, piece.size, piece.crc, piece.shift))
            out.append(name)
            out.extend(_PAIR.pack(int(style), index) for style, index in block.styles)
            out.append(packed)
        return b"".join(out)

    def hold(self, made: Any, spill: Spill) -> Any:
        """The blocks with their rows set aside in ``spill`` until the writer copies them."""
        if not isinstance(made, dict):
            return made
        return {
            key: replace(block, piece=replace(block.piece, packed=spill.put(block.piece.packed)))
            if isinstance(block, RowBlock) and isinstance(block.piece.packed, bytes)
            else block
            for key, block in made.items()
        }

    def unpack(
        self, data: bytes, result: TrackerResult, sealed: bool = False
    ) -> dict[str, RowBlock] | None:
        """The blocks :meth:`pack` kept for ``result`` when sound (module docstring), else None.

        ``sealed``: ``data`` comes from an entry this user's ``pmo`` sealed, with
        ``result``; its rows are not inflated and checked again.
        """
        try:
            blocks = self._parse(data)
        except (struct.error, ValueError, KeyError, UnicodeDecodeError):
            return None
        if blocks is None or set(blocks) - self._findings_after(blocks) != self._kinds(result):
            return None
        findings = [blocks[k][1] for k in (FINDINGS, FINDINGS_AFTER) if k in blocks]
        if sum(findings) != len(result.findings) or not all(findings):
            return None
        used = tuple(sorted(self.styles.items()))
        grammar = _grammar(tuple(sorted({i for s, i in used if s is not Style.TEXT})))
        out = {}
        for key, (packed, count, styles, recorded) in blocks.items():
            findings_rows = key in (FINDINGS, FINDINGS_AFTER)  # counted together above
            rows, wanted = (count, ()) if findings_rows else (len(result.tables[key]), used)
            if count != rows or styles != wanted:
                return None
            if sealed:
                out[key] = RowBlock(Piece(packed, *recorded), count, styles)
                continue
            xml = inflate(packed, _BASE_BYTES + _BYTES_PER_ROW * count)
            if xml is None or xml.count(b"<row>") != count or not grammar.fullmatch(xml):
                return None
            piece = Piece.known(packed, xml)
            if (piece.size, piece.crc, piece.shift) != recorded:
                return None
            out[key] = RowBlock(piece, count, styles)
        return out

    @staticmethod
    def _findings_after(blocks: Mapping[str, _Block]) -> set[str]:
        """The rest of the Findings rows, kept beside their first block (never alone)."""
        return {FINDINGS_AFTER} if FINDINGS in blocks and FINDINGS_AFTER in blocks else set()

    @staticmethod
    def _kinds(result: TrackerResult) -> set[str]:
        """The kinds :func:`prerender` makes blocks for, and Findings when there are any."""
        kinds = {
            spec.key
            for spec in table_kinds()
            if spec.portfolio and spec.key in result.tables and len(result.tables[spec.key])
        }
        return kinds | ({FINDINGS} if result.findings else set())

    @staticmethod
    def _parse(data: bytes) -> dict[str, _Block] | None:
        if not data.startswith(_MAGIC):
            return None
        at, out = len(_MAGIC), {}
        while at < len(data):
            name, count, length, pairs, size, crc, shift = _BLOCK.unpack_from(data, at)
            at += _BLOCK.size
            key = data[at : at + name].decode()
            at += name
            styles = []
            for _ in range(pairs):
                style, index = _PAIR.unpack_from(data, at)
                styles.append((_STYLE_OF[style], index))
                at += _PAIR.size
            packed = data[at : at + length]
            at += length
            if len(packed) != length or key in out:
                return None
            out[key] = (packed, count, tuple(styles), (size, crc, shift))
        return out
