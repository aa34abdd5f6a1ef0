"""Read the Project block: labels beside values, anywhere in the first rows of a sheet.

A label cell (``Project Name``, ``PM``, ``Status Date:``) is matched like a header;
its value is the next cell to the right (past a merged label), and ``Label: value``
written in one cell counts too. The sheet with the most labels is the block.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from addin.core.kinds import Project, kind
from addin.core.rules import RuleId
from addin.read.coerce_more import period_end
from addin.read.fields import Context, type_columns
from addin.read.grid import Grid, GridSource
from addin.read.headers import HeaderIndex
from addin.read.result import BlockLayout

#: Rows scanned for Project labels.
SCAN_ROWS = 80
#: Columns scanned for Project labels (one-page reports spread them wide).
SCAN_COLS = 60

#: Blank cells a value may sit past, to the right of its label.
_GAP = 4

_LABEL_VALUE = re.compile(r"^\s*([^:]{2,40}):\s*(.+?)\s*$", re.DOTALL)


def _blank(v: Any) -> bool:
    return v is None or v == "" or (type(v) is str and not v.strip())


@dataclass
class BlockHit:
    """The labels found on one sheet: field -> value cell, and the raw values."""

    sheet: str
    cells: dict[str, tuple[int, int]]
    raw: dict[str, Any]
    uncalculated: frozenset[tuple[int, int]] = frozenset()

    inline: int = 0

    @property
    def score(self) -> int:
        """Number of distinct fields found."""
        return len(self.cells)

    @property
    def rank(self) -> tuple[int, int]:
        """Fields found, then those with a value cell of their own.

        ``Label: value`` in one cell is the weaker form: help text reads that way.
        """
        return len(self.cells), len(self.cells) - self.inline


def _merged_right_edge(
    merged: Sequence[tuple[tuple[int, int], tuple[int, int]]], row: int, col: int
) -> int:
    for (r0, c0), (r1, c1) in merged:
        if r0 <= row <= r1 and c0 <= col <= c1:
            return c1
    return col


def _is_label(index: HeaderIndex, v: Any) -> bool:
    return isinstance(v, str) and (v.rstrip().endswith(":") or index.label(v) is not None)


def _in_header_row(index: HeaderIndex, grid: Grid, r: int, c: int, label: str, value: Any) -> bool:
    """True when a label cell is a column header of a table, not a label beside its value.

    Its row holds three or more cells, the cell to its right is another header (short text,
    no digit) and the cell below it holds data, not the next label: ``Phase | PM |
    Sponsor`` over a RACI grid, ``Project_ID | Country | Project Name`` over a list of
    projects (a label column above its values, beside a column of notes, is a block).
    """
    if label.rstrip().endswith(":"):
        return False
    row = grid.rows[r - grid.top]
    if len(row) - row.count(None) - row.count("") < 3:
        return False
    if not isinstance(value, str) or not value.strip() or len(value) > 40:
        return False
    if any(ch.isdigit() for ch in value):
        return False
    below = grid.value(r + 1, c)
    return not _blank(below) and not _is_label(index, below)


def _covered(merged: Sequence[tuple[tuple[int, int], tuple[int, int]]], r: int, c: int) -> bool:
    """True for a cell inside a merged range that is not the range's first (shown) cell."""
    return any(
        r0 <= r <= r1 and c0 <= c <= c1 and (r, c) != (r0, c0) for (r0, c0), (r1, c1) in merged
    )


def scan_block(wb: GridSource, grid: Grid, index: HeaderIndex) -> BlockHit:
    """Find the Project labels on one sheet and the value cell of each."""
    cells: dict[str, tuple[int, int]] = {}
    raw: dict[str, Any] = {}
    consumed: set[tuple[int, int]] = set()
    inlined = 0
    merged: Sequence[tuple[tuple[int, int], tuple[int, int]]] | None = None
    for i, row in enumerate(grid.rows[:SCAN_ROWS]):
        r = grid.top + i
        for j, v in enumerate(row[:SCAN_COLS]):
            c = grid.left + j
            if (r, c) in consumed or not isinstance(v, str) or not v.strip():
                continue
            name = index.label(v)
            if name is None:
                m = _LABEL_VALUE.match(v)
                if m:
                    inline = index.label(m[1])
                    if inline is not None and inline not in cells:
                        cells[inline] = (r, c)
                        raw[inline] = m[2]
                        inlined += 1
                continue
            if name in cells:
                continue
            if merged is None:
                merged = wb.merged_ranges(grid.name)
            if _covered(merged, r, c):
                continue  # a stale text under a merge: Excel shows only the merge's first cell
            value_col = _merged_right_edge(merged, r, c) + 1  # right of the label's merge
            if _blank(grid.value(r, value_col)):
                ahead = next(
                    (k for k in range(value_col, value_col + _GAP) if not _blank(grid.value(r, k))),
                    None,
                )
                form = v.rstrip().endswith(":")  # "Label:" in a form: its value may sit further
                if form and ahead is not None and not _is_label(index, grid.value(r, ahead)):
                    value_col = ahead
            if _in_header_row(index, grid, r, c, v, grid.value(r, value_col)):
                continue
            cells[name] = (r, value_col)
            raw[name] = grid.value(r, value_col)
            consumed.add((r, value_col))
    return BlockHit(grid.name, cells, raw, grid.uncalculated, inlined)


def read_block(ctx: Context, hit: BlockHit) -> tuple[Project, BlockLayout]:
    """The Project record from the labels found, every refused value a finding at its cell."""
    spec = kind("Project")
    for name, cell in hit.cells.items():
        if cell in hit.uncalculated:
            ctx.add(
                RuleId.VALUE_NOT_CALCULATED,
                sheet=hit.sheet,
                row=cell[0],
                col=cell[1],
                field=spec.field(name).header,
            )
    raw = {name: [hit.raw[name]] for name in hit.cells}
    if "status_date" in raw:  # a reporting period, as of its last day
        day_first = ctx.settings.reader.day_first
        raw["status_date"] = [period_end(raw["status_date"][0], day_first=day_first)]
    typed = type_columns(ctx, spec, raw, hit.sheet, lambda name, _: hit.cells[name])
    values = {name: column[0] for name, column in typed.items()}
    return Project(sheet=hit.sheet, **values), BlockLayout("Project", hit.sheet, dict(hit.cells))
