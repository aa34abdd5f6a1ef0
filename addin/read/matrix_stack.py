"""Wide plans stacked on one sheet: a plan grid, then below it another with the same periods.

A sheet may hold two grids one under the other, each under its own title and its own
header row: ``SOLL`` then ``IST``, ``Plan`` then ``Actual``, ``Prévision`` then ``Réel``.
Each is read as a part of the kind. A title word above a header row that names an
actual (``Actual``, ``Ist``, ``Réel``, in the languages switched on) makes its values
Actual days; else they are Planned (a plan, a forecast, or no title at all).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from addin.core.kinds import SheetKind
from addin.read.fields import Context
from addin.read.grid import Grid
from addin.read.headers import HeaderIndex
from addin.read.matrix import MatrixRead, plan_rows, read_matrix
from addin.read.matrix_fill import FillLookup
from addin.read.matrix_find import MatrixMatch, find_matrix

#: Header indexes whose words name a plan or an actual (the Budget kind's carry the
#: language packs' Soll / Ist, Prévision / Réel).
_MEASURE_KINDS = ("Resources", "Budget")
#: Rows above a header row looked at for its title.
_TITLE_ROWS = 2


def _texts(row: list[Any]) -> list[str]:
    return [" ".join(v.split()) for v in row if isinstance(v, str) and v.strip()]


def title_measure(ctx: Context, grid: Grid, match: MatrixMatch) -> str:
    """``actual`` or ``planned`` when a title row just above the header says which, else ""."""
    for r in range(match.row - 1, max(grid.top, match.row - _TITLE_ROWS) - 1, -1):
        texts = _texts(grid.rows[r - grid.top]) if r >= grid.top else []
        if len(texts) != 1:
            continue
        for key in _MEASURE_KINDS:
            index = ctx.indexes.get(key)
            found = index.match(texts[0]) if index is not None else None
            if found in ("planned", "forecast"):
                return "planned"
            if found == "actual":
                return "actual"
    return ""


def read_plans(
    ctx: Context,
    spec: SheetKind,
    grid: Grid,
    match: MatrixMatch,
    hint: dt.date | None,
    *,
    index: HeaderIndex,
    named: bool,
    fills_of: FillLookup | None,
) -> list[MatrixRead]:
    """Read the plan whose header is ``match``, and every plan stacked below it.

    Args:
        ctx: The file's reading context.
        spec: The kind.
        grid: The sheet.
        match: The first plan's header row.
        hint: The day months or weeks without a year are placed by.
        index: The kind's header index.
        named: The sheet is named for the kind.
        fills_of: Reads the sheet's fills (None: unknown).
    """
    out: list[MatrixRead] = []
    found: MatrixMatch | None = match
    while found is not None:
        measure = title_measure(ctx, grid, found)
        out.append(read_matrix(ctx, spec, grid, found, hint, fills_of=fills_of, measure=measure))
        _, stop = plan_rows(grid, found)
        if stop is None:
            break
        found = find_matrix(grid, index, spec, scan=stop + 1, named=named, start=stop)
    return out
