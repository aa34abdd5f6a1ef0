"""Read one table-layout sheet (a header row, a record per row) into a columnar table.

Rows below the header are kept up to the last one holding data; blank rows, a
repeated header (a second block, a print artefact) and section headings (only the
anchor filled, e.g. a phase name) are left out, the headings with a finding. Values
are typed per column (:mod:`addin.read.fields`); columns the spec does not name are
kept as pass-through ``extra`` values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from addin.core.cells import column_letter
from addin.core.findings import TableInfo, display_value
from addin.core.kinds import SheetKind, ValueType, normalise
from addin.core.rules import RuleId
from addin.core.tracker import Table
from addin.read.fields import Context, type_columns
from addin.read.grid import Grid
from addin.read.headers import HeaderMatch, is_gantt_header
from addin.read.result import SheetLayout
from addin.read.rows import records


def _blank(v: Any) -> bool:
    return v is None or v == "" or (type(v) is str and not v.strip())


def _structure_findings(ctx: Context, kind: SheetKind, grid: Grid, match: HeaderMatch) -> None:
    limits = ctx.settings.limits
    if grid.truncated_rows:
        ctx.add(RuleId.SHEET_TRUNCATED, sheet=grid.name, limit=f"{limits.max_rows:,}", what="rows")
    if grid.truncated_cols:
        ctx.add(
            RuleId.SHEET_TRUNCATED, sheet=grid.name, limit=f"{limits.max_columns:,}", what="columns"
        )
    for name, used, ignored in match.duplicates:
        ctx.add(
            RuleId.COLUMN_DUPLICATE,
            sheet=grid.name,
            row=match.row,
            col=ignored,
            field=kind.field(name).header,
            used=f"column {column_letter(used)}",
            ignored=f"column {column_letter(ignored)}",
        )
    for f in kind.fields:
        if f.required and f.name not in match.columns:
            ctx.add(
                RuleId.COLUMN_MISSING,
                sheet=grid.name,
                row=match.row,
                col=min(match.columns.values()),
                field=f.header,
                header_row=match.row + 1,
            )


def _heading(
    ctx: Context, kind: SheetKind, grid: Grid, match: HeaderMatch, i: int, value: Any
) -> None:
    assert kind.anchor is not None
    anchor = kind.anchor.field
    ctx.add(
        RuleId.ROW_SECTION_HEADING,
        sheet=grid.name,
        row=grid.top + i,
        col=match.columns[anchor],
        field=kind.field(anchor).header,
        value=display_value(value),
        row_number=grid.top + i + 1,
    )


def _kept_rectangular(
    ctx: Context,
    kind: SheetKind,
    grid: Grid,
    match: HeaderMatch,
    js: Sequence[int],
    anchor_col: int,
    header_texts: Mapping[int, str],
    start: int,
    stop: int,
) -> list[tuple[int, list[Any]]]:
    """The data rows of a table whose rows all hold every field column (the usual grid)."""
    kept: list[tuple[int, list[Any]]] = []
    rows, top = grid.rows, grid.top
    headings = len(js) > 2
    tp = type
    # A repeated header is text in every field column: look at date and number columns first,
    # whose cells are rarely text, so most rows are ruled out without folding any text.
    textual = {
        match.columns[f.name] - grid.left
        for f in kind.fields
        if f.name in match.columns and f.type in (ValueType.TEXT, ValueType.CHOICE)
    }
    probe = sorted(js, key=lambda k: k in textual)
    first = probe[0]
    for i in range(start, stop):
        row = rows[i]
        j = js[0]
        for j in js:  # stop at the first field that is not blank
            v = row[j]
            if not (v is None or v == "" or (tp(v) is str and not v.strip())):
                break
        else:
            continue  # every field blank
        # Only the anchor filled (the first filled field is the anchor, and no other is).
        if headings and j == anchor_col and all(_blank(row[k]) for k in js if k != anchor_col):
            _heading(ctx, kind, grid, match, i, row[anchor_col])
            continue
        if isinstance(row[first], str) and all(
            isinstance(row[k], str) and normalise(row[k]) == header_texts[k] for k in probe
        ):
            continue  # the header repeated inside the table (a second block, a print artefact)
        kept.append((top + i, row))
    return kept


def _kept_ragged(
    ctx: Context,
    kind: SheetKind,
    grid: Grid,
    match: HeaderMatch,
    js: Sequence[int],
    anchor_col: int,
    header_texts: Mapping[int, str],
    start: int,
    stop: int,
) -> list[tuple[int, list[Any]]]:
    """The data rows of a table with short rows or formulas still to be calculated."""
    kept: list[tuple[int, list[Any]]] = []
    uncalculated, left = grid.uncalculated, grid.left
    for i in range(start, stop):
        row = grid.rows[i]
        n = len(row)
        # A formula with no cached value reads as blank but is not: its row is kept.
        pending = bool(uncalculated) and any((grid.top + i, j + left) in uncalculated for j in js)
        if not pending and all(_blank(row[j]) if j < n else True for j in js):
            continue
        if (
            not pending
            and len(js) > 2
            and all((j == anchor_col) != (_blank(row[j]) if j < n else True) for j in js)
        ):
            _heading(ctx, kind, grid, match, i, row[anchor_col])
            continue
        if all(
            (isinstance(row[j], str) and normalise(row[j]) == header_texts[j]) if j < n else False
            for j in js
        ):
            continue  # the header repeated inside the table
        kept.append((grid.top + i, row))
    return kept


def read_table(
    ctx: Context, kind: SheetKind, grid: Grid, match: HeaderMatch
) -> tuple[Table, SheetLayout, TableInfo]:
    """Read the records of one sheet whose header row has been found.

    Returns:
        The sheet's rows as a columnar table (every field of the kind; None where a
        column is absent), where its fields live, and what was found for reports.
    """
    assert kind.anchor is not None
    _structure_findings(ctx, kind, grid, match)
    left = grid.left
    field_cols = [(name, col - left) for name, col in match.columns.items()]
    extra_cols = [
        (text, col - left)
        for col, text in match.extras.items()
        if not is_gantt_header(grid.value(match.row, col)) and text
    ]
    header_texts = {j: normalise(match.headers.get(j + left, "")) for _, j in field_cols}
    start = match.row - grid.top + 1
    anchor_col = match.columns[kind.anchor.field] - left
    js = [j for _, j in field_cols]
    # Calamine's grids are rectangular: when every row holds every field column and no formula
    # is pending, the rows are sorted without bounds checks (same decisions as the slow loop).
    uncalculated = grid.uncalculated
    stop = (
        len(grid.rows)
        if match.end is None
        else max(start, min(len(grid.rows), match.end - grid.top))
    )
    rectangular = not uncalculated and min(map(len, grid.rows[start:stop]), default=0) > max(js)
    pick = _kept_rectangular if rectangular else _kept_ragged
    kept = pick(ctx, kind, grid, match, js, anchor_col, header_texts, start, stop)
    kept = records(ctx, kind, grid, match, kept)

    raw: dict[str, Sequence[Any]]
    if rectangular and kept:
        columns = list(zip(*[r for _, r in kept], strict=False))
        raw = {name: columns[j] for name, j in field_cols}
    else:
        raw = {name: [r[j] if j < len(r) else "" for _, r in kept] for name, j in field_cols}
    if uncalculated:
        for name, j in field_cols:
            for sheet_row, _ in kept:
                if (sheet_row, j + left) in uncalculated:
                    ctx.add(
                        RuleId.VALUE_NOT_CALCULATED,
                        sheet=grid.name,
                        row=sheet_row,
                        col=j + left,
                        field=kind.field(name).header,
                    )
    typed = type_columns(
        ctx, kind, raw, grid.name, lambda name, i: (kept[i][0], match.columns[name])
    )
    n = len(kept)
    values: dict[str, Sequence[Any]] = {
        f.name: typed.get(f.name) or [None] * n for f in kind.fields
    }
    extra: list[Mapping[str, Any]] | None = None
    if extra_cols:
        extra = [
            {text: row[j] for text, j in extra_cols if j < len(row) and not _blank(row[j])}
            for _, row in kept
        ]
    table = Table(kind.key, values, [r for r, _ in kept], [grid.name] * n, extra)
    layout = SheetLayout(
        kind.key,
        grid.name,
        match.row,
        dict(match.columns),
        headers=dict(match.headers),
        strength=dict(match.strength),
    )
    info = TableInfo(
        sheet=grid.name,
        header_row=match.row,
        rows=n,
        columns={kind.field(name).header: column_letter(c) for name, c in match.columns.items()},
        extra_columns=tuple(text for text, _ in extra_cols),
    )
    return table, layout, info
