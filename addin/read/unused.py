"""Sheets that feed nothing, and why: nothing is dropped without a word.

A sheet that looks like a table (a row of three or more cells over rows of data) but
feeds no kind gets a ``sheet.ignored`` finding saying why: an example or template, a
scoring key, a header with nothing below it, a header that names some fields but not
what identifies a table. A sheet listing several projects (one row each) says the
workbook is a portfolio, not one project's tracker; a workbook whose plan sheets each
carry another project's name, listed on a dashboard beside them, is reported too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from addin.core.kinds import kind, table_kinds
from addin.core.lang import fold
from addin.read.fields import Context
from addin.read.grid import Grid
from addin.read.headers import match_row, qualifies
from addin.read.identity import project_title

#: Rows of a sheet searched for a table-like row, and columns for names on a dashboard.
_ROWS, _COLS = 30, 40


def _filled(row: Sequence[Any]) -> int:
    return sum(
        1 for v in row if v is not None and v != "" and not (isinstance(v, str) and not v.strip())
    )


def _tabular_row(grid: Grid) -> int | None:
    """0-based index in ``grid.rows`` of a row of 3+ cells over at least two rows of 2+."""
    rows = grid.rows[:_ROWS]
    for i, row in enumerate(rows):
        if _filled(row) >= 3 and sum(_filled(r) >= 2 for r in grid.rows[i + 1 : i + 4]) >= 2:
            return i
    return None


def project_list(ctx: Context, grid: Grid) -> tuple[int, int] | None:
    """(0-based header row, number of projects) when the sheet lists projects, one a row.

    Its header names the Project Name or ID and another project field (Budget, Start Date,
    Project Manager ...) as columns; the rows below name two projects or more.
    """
    index = ctx.indexes["Project"]
    for i, row in enumerate(grid.rows[:_ROWS]):
        if _filled(row) < 3:
            continue
        fields: dict[str, int] = {}
        for j, v in enumerate(row):
            name = index.label(v)
            if name is not None:
                fields.setdefault(name, j)
        key = fields.get("project_name", fields.get("project_id"))
        if key is None or len(fields) < 2:
            continue
        names = {
            fold(str(r[key]))
            for r in grid.rows[i + 1 : i + 500]
            if key < len(r) and r[key] not in (None, "")
        }
        if len(names) >= 2:
            return grid.top + i, len(names)
    return None


def why_ignored(
    ctx: Context, grid: Grid, taken: Mapping[str, str] | None = None
) -> tuple[int, int, str] | None:
    """(row, col, reason) for a sheet that looks like a table but feeds nothing, or None.

    Args:
        ctx: The file's reading context.
        grid: The sheet.
        taken: Kind -> the sheet that feeds it, for a kind read from one sheet only: a
            second table of it is said to be one, not "too little".
    """
    i = _tabular_row(grid)
    if i is None:
        return None
    row = grid.rows[i]
    r = grid.top + i
    col = grid.left + next(j for j, v in enumerate(row) if v not in (None, ""))
    best: tuple[int, str, list[str]] | None = None
    second: tuple[str, list[str]] | None = None
    for spec in table_kinds():
        m = match_row(ctx.indexes[spec.key], row, None, r=r, left=grid.left, fill={})
        if m.columns and (best is None or len(m.columns) > best[0]):
            headers = [spec.field(n).header for n in m.columns]
            best = (len(m.columns), spec.key, headers)
        one_sheet = not spec.several and spec.key in (taken or {})
        if second is None and one_sheet and qualifies(spec.key, m):
            second = (spec.key, [spec.field(n).header for n in m.columns])
    if second is not None:
        key, headers = second
        return (
            r,
            col,
            f"its header row (row {r + 1}) names {', '.join(headers)}: a second {key} table; "
            f"{key} is read from one sheet, '{(taken or {})[key]}'",
        )
    if best is None:
        return (
            r,
            col,
            (
                f"row {r + 1} looks like a table's header, but none of its cells names a field "
                "of the tracker (a task, a milestone, a budget period, a RAID item)"
            ),
        )
    _, key, headers = best
    anchor = kind(key).anchor
    assert anchor is not None
    name = kind(key).field(anchor.field).header
    named = f"its header row (row {r + 1}) names {', '.join(headers)}"
    if name in headers:
        return r, col, f"{named}: too little for a {key} table, which needs {anchor.words}"
    return r, col, f"{named} but no {name} (a {key} table needs {anchor.words})"


def _names_in(grid: Grid) -> set[str]:
    return {
        fold(v)
        for row in grid.rows[:200]
        for v in row[:_COLS]
        if isinstance(v, str) and 2 < len(v.strip()) <= 80
    }


def several_projects(
    plan_grids: Sequence[Grid], others: Sequence[Grid], ctx: Context
) -> tuple[str, list[str]] | None:
    """(dashboard sheet, project names) of a workbook of several projects read as one.

    Each plan sheet names its own project (a title, else its name) and another sheet
    lists those names.
    """
    if len(plan_grids) < 2:
        return None
    named: list[str] = []
    for grid in plan_grids:
        first = next((r for r in grid.rows[:6] if _filled(r)), [])
        title = next(
            (t for v in first if isinstance(v, str) and (t := project_title(v, ctx.vocab))), None
        )
        named.append(title or grid.name)
    if len({fold(n) for n in named}) < 2:
        return None
    for other in others:
        seen = _names_in(other)
        listed = [n for n in named if fold(n) in seen]
        if len(listed) >= 2:
            return other.name, listed
    return None
