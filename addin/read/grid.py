"""A sheet's values as read: a rectangle of raw values and where it lies on the sheet.

Every source of a tracker (a file read by :mod:`addin.read.source`, a live workbook in
Excel) hands the reader each sheet as a :class:`Grid`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from addin.core.settings import LimitSettings


@dataclass
class Grid:
    """One sheet's values as read.

    Attributes:
        name: The sheet's real name.
        rows: Raw values; ``rows[i][j]`` is the cell at sheet row ``top + i``, column ``left + j``.
        top: 0-based sheet row of ``rows[0]``.
        left: 0-based sheet column of the first value of each row.
        truncated_rows: True when the sheet had more rows than the limit.
        truncated_cols: True when the sheet had more columns than the limit.
        hidden: True for hidden or very hidden sheets.
        uncalculated: 0-based (row, col) of formula cells that have no cached value (the
            file was written by a tool that does not calculate); they read as blank, and
            ``rows`` always reaches them.
        merged: Merged ranges as ((row, col), (row, col)), 0-based, where known.
    """

    name: str
    rows: list[list[Any]]
    top: int = 0
    left: int = 0
    truncated_rows: bool = False
    truncated_cols: bool = False
    hidden: bool = False
    uncalculated: frozenset[tuple[int, int]] = frozenset()
    merged: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = ()

    def value(self, row: int, col: int) -> Any:
        """Return the raw value at a 0-based sheet position ("" outside the grid)."""
        i, j = row - self.top, col - self.left
        if 0 <= i < len(self.rows):
            r = self.rows[i]
            if 0 <= j < len(r):
                return r[j]
        return ""


class GridSource(Protocol):
    """Anything the reader can read a tracker from: a file, or a live workbook in Excel."""

    @property
    def sheet_names(self) -> list[str]:
        """All sheet names, in workbook order."""

    @property
    def worksheets(self) -> list[str]:
        """Names of the sheets that hold cells."""

    def grid(self, name: str) -> Grid:
        """One sheet's values."""

    def merged_ranges(self, name: str) -> Sequence[tuple[tuple[int, int], tuple[int, int]]]:
        """Merged ranges of a sheet as ((row, col), (row, col)), 0-based."""


def grid_from_values(name: str, values: Sequence[Sequence[Any]], limits: LimitSettings) -> Grid:
    """Make a :class:`Grid` from a rectangle of values starting at A1 (e.g. a used range).

    Blank cells may be None or ""; the row and column limits apply as for files.
    """
    rows = [
        ["" if v is None else v for v in row[: limits.max_columns]]
        for row in values[: limits.max_rows]
    ]
    return Grid(
        name,
        rows,
        truncated_rows=len(values) > limits.max_rows,
        truncated_cols=any(len(r) > limits.max_columns for r in values[:1]),
    )


def cover(
    rows: list[list[Any]], top: int, left: int, cells: set[tuple[int, int]]
) -> tuple[list[list[Any]], int, int]:
    """Widen a sheet's rectangle of values, with blanks, to take in ``cells``.

    Calamine's rectangle ends at the last cell holding a value, and a formula with no
    cached value holds none: a row made only of such formulas would fall outside it and
    never be seen. The cells come from the scan, so they lie within the limits.
    """
    width = max((len(r) for r in rows), default=0)
    bottom, right = top + len(rows) - 1, left + width - 1
    if not rows:
        top, left, bottom, right = min(cells)[0], min(c for _, c in cells), -1, -1
    new_top = min(top, *(r for r, _ in cells))
    new_left = min(left, *(c for _, c in cells))
    new_bottom = max(bottom, *(r for r, _ in cells))
    new_right = max(right, *(c for _, c in cells))
    if (new_top, new_left, new_bottom, new_right) == (top, left, bottom, right):
        return rows, top, left
    span = new_right - new_left + 1
    pad = [""] * (left - new_left)
    out = [[""] * span for _ in range(top - new_top)]
    out += [[*pad, *r, *[""] * (span - len(pad) - len(r))] for r in rows]
    out += [[""] * span for _ in range(new_bottom - new_top + 1 - len(out))]
    return out, new_top, new_left
