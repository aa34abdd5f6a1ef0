"""Each tracker's data rows rendered in the worker that read it, for the portfolio writer.

Rendering three million cells is the largest part of writing a portfolio. Done in the
parent after the run, it runs on one core while the workers stand idle; done here, per
tracker, it is spread over the workers (and runs for cache hits too, since those are
loaded in the workers). The engine stays typed: it hands :func:`prerender` each
:class:`~addin.engine.pipeline.TrackerResult` and keeps what it returns, opaque, in
:attr:`~addin.engine.run.PortfolioRun.prepared`.

A tracker's rows of one kind are one :class:`RowBlock`: ``<row>cells</row>`` repeated,
without row numbers (ECMA-376 lets a row follow the one before it, and Excel,
LibreOffice, openpyxl and calamine read them so), so a block reads the same wherever it
lands; the cells' style indexes are already resolved with the map
:func:`~addin.outputs.portfolio.writer.style_map` predicts. A block is deflated as a
:class:`~addin.ooxml.pieces.Piece`, so the writer copies its bytes into the sheet without
inflating them again. The writer uses blocks only
when they hold exactly the rows of the run and were rendered with the style indexes its
workbook really has; otherwise it renders from the run's columns. Either way the sheet
is the same, byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from addin.core.kinds import table_kinds
from addin.core.quick_state import quick_state
from addin.engine.assemble import source_cells
from addin.engine.pipeline import TrackerResult
from addin.ooxml.pieces import Piece, inflate
from addin.ooxml.sheetxml import Style, render_columns, style_marks
from addin.outputs.portfolio.columns import table_columns

_OPEN, _CLOSE = b"<row>", b"</row>"


@quick_state
@dataclass(frozen=True, slots=True)
class RowBlock:
    """One tracker's rows of one kind, rendered: ``count`` ``<row>`` elements in :attr:`xml`.

    Kept deflated (:attr:`piece`, about a tenth of the XML): the main process holds every
    tracker's blocks from the moment its worker sends them until the sheet is written, so
    this is most of its memory on a large run, and of what crosses the pipe.
    """

    piece: Piece
    count: int
    styles: tuple[tuple[Style, int], ...]

    @classmethod
    def of(cls, xml: bytes, count: int, styles: tuple[tuple[Style, int], ...]) -> RowBlock:
        """A block of ``count`` rendered rows (deflated at the fastest level)."""
        return cls(Piece.of(xml), count, styles)

    @property
    def xml(self) -> bytes:
        """The rows' SpreadsheetML."""
        xml = inflate(self.piece.deflated(), self.piece.size)
        if xml is None:
            raise ValueError("internal: a row block that does not inflate")
        return xml


def prerender(result: TrackerResult, styles: Mapping[Style, int]) -> dict[str, RowBlock]:
    """The portfolio data rows of one tracker, by kind, as the writer would render them.

    The same columns, in the same order, as the data sheets: Project ID, the kind's
    fields, Source Cell (:func:`~addin.outputs.portfolio.sheet_cells.data_columns`).

    Args:
        result: One tracker's result.
        styles: Style slot -> the workbook's style index (see
            :func:`~addin.outputs.portfolio.writer.style_map`).
    """
    out: dict[str, RowBlock] = {}
    pid = result.project.project_id
    used = tuple(sorted(styles.items()))
    marks = style_marks(styles)  # the style indexes written as the cells are rendered
    for spec in table_kinds():
        table = result.tables.get(spec.key)
        if not spec.portfolio or table is None or not len(table):
            continue
        columns = table_columns(spec.key)
        values = [
            [pid] * len(table),
            *(table.columns[c.key] for c in columns[1:-1]),
            source_cells(result, spec.key),
        ]
        rows = render_columns(values, [c.style for c in columns], marks)
        xml = _OPEN + (_CLOSE + _OPEN).join(rows) + _CLOSE
        out[spec.key] = RowBlock.of(xml, len(rows), used)
    return out


def blocks_for(
    prepared: Mapping[str, object], spans: Sequence[tuple[str, int]], key: str, total: int
) -> list[RowBlock] | None:
    """A kind's ``total`` rows over the run as the blocks prerendered per file, in order.

    None when any file's block is missing or of another count, or the spans do not
    cover the table (a run read back from a workbook has none): the writer then
    renders from the run's columns.
    """
    out: list[RowBlock] = []
    for file, count in spans:
        made = prepared.get(file)
        block = made.get(key) if isinstance(made, dict) else None
        if not isinstance(block, RowBlock) or block.count != count:
            return None
        out.append(block)
    return out if sum(b.count for b in out) == total else None


def cut(block: RowBlock, rows: int) -> tuple[RowBlock, RowBlock]:
    """A block split after its first ``rows`` rows (where a sheet ends inside it)."""
    xml, at = block.xml, 0
    for _ in range(rows):
        at = xml.index(_CLOSE, at) + len(_CLOSE)
    head = RowBlock.of(xml[:at], rows, block.styles)
    return head, RowBlock.of(xml[at:], block.count - rows, block.styles)


def split_blocks(blocks: Sequence[RowBlock], sizes: Sequence[int]) -> list[list[RowBlock]]:
    """Blocks shared out over sheets of ``sizes`` rows, in order, a block cut where a sheet ends.

    The sizes add up to the blocks' rows (see :func:`addin.outputs.portfolio.pages.split`).
    """
    pages: list[list[RowBlock]] = []
    queue = list(reversed(blocks))
    for size in sizes:
        page: list[RowBlock] = []
        while size:
            block = queue.pop()
            if block.count > size:
                block, rest = cut(block, size)
                queue.append(rest)
            page.append(block)
            size -= block.count
        pages.append(page)
    return pages
