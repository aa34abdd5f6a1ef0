"""Read a wide plan (:attr:`~addin.core.kinds.Layout.MATRIX`): each filled period cell, one record.

The header row comes from :mod:`addin.read.matrix_find`. Below it, each row is one
person or role; every filled cell under a period column becomes a record with the
row's keys, the column's period and the value, in days (hours are turned into days)
or as FTE, and keeps its own cell as its source. Total rows are left out; a blank cell
or a zero is no allocation. A bad value (text, a negative number) is a finding at its
cell; a header among the periods that names none is a finding on that header.

A plan whose period cells hold no values but are filled in colour is read from the fills
(:mod:`addin.read.matrix_fill`): one record per filled cell, its amount unknown (no days,
no FTE), and one ``resource.drawn_in_colour`` finding on its range says so.

A plan that cannot be read says why, once, as a ``resource.not_read`` finding: its
period cells hold no values and no fill, its periods cannot be placed in time (numbered
weeks, months without a year and no Start Date to place them), or its rows are measures
(Planned, Requested, Actual) rather than people. A plan drawn in colour whose periods
cannot be placed is still reported as a table (its rows, its columns) with no records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import addin.read.coerce as coerce
from addin.core.cells import a1, column_letter
from addin.core.findings import TableInfo, display_value
from addin.core.kinds import Layout, Matrix, SheetKind, normalise
from addin.core.rules import RuleId
from addin.core.tracker import Table
from addin.read.fields import Context
from addin.read.grid import Grid
from addin.read.matrix_fill import Drawn, FillLookup, drawn_allocations, gantt_like, rows_by_number
from addin.read.matrix_find import MIN_PERIODS, MatrixMatch
from addin.read.period_headers import parse_period_header, place, row_kind
from addin.read.result import SheetLayout


@dataclass
class MatrixRead:
    """What reading one wide plan gave: its records, or why it was not read."""

    table: Table | None = None
    layout: SheetLayout | None = None
    info: TableInfo | None = None
    not_read: str = ""


def _text(v: Any) -> str:
    if isinstance(v, str):
        return " ".join(v.split())
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return "" if v is None or isinstance(v, bool) else str(v)


def _blank(v: Any) -> bool:
    return v is None or v == "" or (isinstance(v, str) and not v.strip())


def _amount(v: Any) -> bool:
    """True for a cell that holds a number (or a number or percentage written as text)."""
    if isinstance(v, bool):
        return False
    if isinstance(v, int | float):
        return True
    return isinstance(v, str) and coerce.parse_number_text(v.strip().rstrip("%")) is not None


def _header_row_again(grid: Grid, i: int, match: MatrixMatch) -> bool:
    """True when row ``i`` repeats a period header row (a second block starts)."""
    row = grid.rows[i]
    found = 0
    for col, _ in match.periods:
        j = col - grid.left
        if j < len(row) and not isinstance(row[j], float | int) and parse_period_header(row[j]):
            found += 1
    return found >= MIN_PERIODS


def _shown_range(headers: list[str]) -> str:
    return f"'{headers[0]}' .. '{headers[-1]}'" if len(headers) > 1 else f"'{headers[0]}'"


def _placement(
    grid: Grid, match: MatrixMatch, hint: dt.date | None
) -> tuple[list[dt.date | None], str]:
    headers = [h for _, h in match.periods]
    kind = row_kind(headers)
    starts = place(headers, kind, hint)
    if all(s is not None for s in starts):
        return starts, ""
    shown = _shown_range([_text(grid.value(match.row, c)) for c, _ in match.periods])
    if any(h.relative for h in headers):
        why = f"the period headers {shown} are numbered weeks with no dates"
    else:
        why = (
            f"the period headers {shown} have no year, and the Project block gives no Start "
            "Date or Status Date to place them"
        )
    return starts, f"{why}, so the plan cannot be placed in time"


def _measure_rows(grid: Grid, match: MatrixMatch, rows: list[int], matrix: Matrix) -> list[str]:
    col = match.label if match.label is not None else next(iter(match.keys.values()), None)
    if col is None:
        return []
    labels = [_text(grid.value(r, col)) for r in rows]
    named = [t for t in labels if t]
    if named and all(normalise(t) in matrix.measure_words for t in named):
        return named
    return []


def _coerce(values: list[Any], unit: str) -> tuple[list[Any], dict[int, RuleId]]:
    if unit == "FTE":
        return coerce.coerce_fraction(values)
    return coerce.coerce_number(values)


def plan_rows(grid: Grid, match: MatrixMatch) -> tuple[list[int], int | None]:
    """The sheet rows below a plan's header, and the row where a next plan's header starts."""
    rows: list[int] = []
    for i in range(match.row - grid.top + 1, len(grid.rows)):
        if _header_row_again(grid, i, match):
            return rows, grid.top + i
        rows.append(grid.top + i)
    return rows, None


def read_matrix(
    ctx: Context,
    spec: SheetKind,
    grid: Grid,
    match: MatrixMatch,
    hint: dt.date | None,
    *,
    fills_of: FillLookup | None = None,
    measure: str = "",
) -> MatrixRead:
    """Read one wide plan whose header row was found (see the module docstring).

    Args:
        ctx: The file's reading context.
        spec: The kind (its :attr:`~addin.core.kinds.SheetKind.matrix` says the fields).
        grid: The sheet.
        match: Its header row.
        hint: The day months or weeks without a year are placed by (the Start Date).
        fills_of: Reads the sheet's cell fills, for a plan drawn in colour (None: unknown).
        measure: ``actual`` when the plan's title says it holds actuals, else "".
    """
    matrix = spec.matrix
    assert matrix is not None
    sheet = grid.name
    for col, text in match.between:
        ctx.add(RuleId.RESOURCE_PERIOD_HEADER, sheet=sheet, row=match.row, col=col, value=text)
    rows, stop = plan_rows(grid, match)
    key_cols = [c for c in (*match.keys.values(), match.label) if c is not None]
    if key_cols:
        keyed = [r for r in rows if any(_text(grid.value(r, c)) for c in key_cols)]
    else:  # no key column at all: the rows up to the last that holds anything
        filled = [r for r in rows if any(not _blank(v) for v in grid.rows[r - grid.top])]
        keyed = [r for r in rows if filled and r <= filled[-1]]
    where = (match.row, match.first)

    def not_read(reason: str) -> MatrixRead:
        ctx.add(RuleId.RESOURCE_NOT_READ, sheet=sheet, row=where[0], col=where[1], reason=reason)
        return MatrixRead(not_read=f"sheet '{sheet}': {reason}")

    measures = _measure_rows(grid, match, keyed, matrix)
    if measures:
        return not_read(
            f"its rows are measures ({', '.join(dict.fromkeys(measures))}) of a series, "
            "not people or roles"
        )
    cells = [grid.value(r, c) for r in keyed for c, _ in match.periods]
    if not any(_amount(v) for v in cells) and fills_of is not None and not gantt_like(match):
        drawn = drawn_allocations(grid, match, stop, key_cols, fills_of)
        done = _drawn(ctx, spec, grid, match, drawn, hint, measure) if drawn else None
        if done is not None:
            return done
    if keyed and not any(_amount(v) for v in cells):
        span = f"{a1(keyed[0], match.first)}:{a1(keyed[-1], match.last)}"
        return not_read(
            f"the period cells {span} hold no amounts (an allocation shown only by cell fill, "
            "colour or marks is not read)"
        )
    starts, why = _placement(grid, match, hint)
    if why:
        return not_read(why)
    return _records(ctx, spec, grid, match, rows, starts, measure)


def _keys(grid: Grid, match: MatrixMatch, r: int) -> dict[str, str | None]:
    keys = {k: _text(grid.value(r, c)) or None for k, c in match.keys.items()}
    if match.label is not None:
        keys["person"] = _text(grid.value(r, match.label)) or None
    return keys


def _drawn(
    ctx: Context,
    spec: SheetKind,
    grid: Grid,
    match: MatrixMatch,
    drawn: Drawn,
    hint: dt.date | None,
    measure: str,
) -> MatrixRead | None:
    """A plan drawn in colour: one record per filled cell, amounts unknown (None: no cell)."""
    matrix = spec.matrix
    assert matrix is not None
    keys_of = {r: _keys(grid, match, r) for r in drawn.rows}
    total = {
        r
        for r, k in keys_of.items()
        if any(normalise(v) in matrix.total_words for v in k.values() if v)
    }
    cells = [cell for cell in drawn.cells if cell[0] not in total]
    drawn = Drawn(
        [r for r in drawn.rows if r not in total],
        cells,
        [r for r in drawn.unlabelled if r not in total],
    )
    if not drawn.rows:
        return None
    what = {"actual": "time worked", "planned": "planned time"}.get(measure, "allocations")
    detail = (
        f"{len(drawn.cells)} period cells of {drawn.span(match)} ({len(drawn.rows)} rows) show "
        f"{what} as fills with no value: the amounts (days, hours or FTE) are unknown and "
        "not counted"
    )
    if drawn.unlabelled:
        detail += f"; {rows_by_number(drawn.unlabelled)} name no person or role (known by row)"
    ctx.add(
        RuleId.RESOURCE_DRAWN_IN_COLOUR,
        sheet=grid.name,
        row=drawn.rows[0],
        col=match.first,
        detail=detail,
    )
    starts, why = _placement(grid, match, hint)
    if why:  # reported as a table, with no record: nothing can be placed in time
        ctx.add(
            RuleId.RESOURCE_NOT_READ, sheet=grid.name, row=match.row, col=match.first, reason=why
        )
        cells = []
    out: dict[str, list[Any]] = {f.name: [] for f in spec.fields}
    for r, _, n in cells:
        record = {**dict.fromkeys(out), **keys_of[r], matrix.period: starts[n]}
        for name, column in out.items():
            column.append(record.get(name))
    columns: dict[str, Sequence[Any]] = dict(out)
    table = Table(
        spec.key,
        columns,
        [r for r, _, _ in cells],
        [grid.name] * len(cells),
        None,
        [c for _, c, _ in cells],
    )
    return MatrixRead(
        table,
        _layout(spec, grid, match),
        _info(spec, grid, match, len(cells) if not why else len(drawn.rows), amount=None),
    )


def _layout(spec: SheetKind, grid: Grid, match: MatrixMatch) -> SheetLayout:
    return SheetLayout(spec.key, grid.name, match.row, dict(match.keys), Layout.MATRIX)


def _info(
    spec: SheetKind, grid: Grid, match: MatrixMatch, rows: int, amount: str | None
) -> TableInfo:
    """Where the plan was found: its key columns, its periods and (when read) its amounts."""
    matrix = spec.matrix
    assert matrix is not None
    span = f"{column_letter(match.first)}:{column_letter(match.last)}"
    columns = {spec.field(k).header: column_letter(c) for k, c in match.keys.items()}
    columns[spec.field(matrix.period).header] = span
    if amount is not None:
        columns[spec.field(amount).header] = span
    return TableInfo(
        sheet=grid.name,
        header_row=match.row,
        rows=rows,
        columns=columns,
        extra_columns=tuple(match.extras.values()),
    )


def _records(
    ctx: Context,
    spec: SheetKind,
    grid: Grid,
    match: MatrixMatch,
    rows: list[int],
    starts: list[dt.date | None],
    measure: str,
) -> MatrixRead:
    matrix = spec.matrix
    assert matrix is not None
    settings = ctx.settings.resources
    raw: list[Any] = []
    at: list[tuple[int, int, int]] = []  # (sheet row, column, period index)
    keys_of: dict[int, dict[str, str | None]] = {}
    for r in rows:
        keys = _keys(grid, match, r)
        if any(normalise(v) in matrix.total_words for v in keys.values() if v):
            continue
        keys_of[r] = keys
        for n, (c, _) in enumerate(match.periods):
            v = grid.value(r, c)
            if not _blank(v):
                raw.append(v)
                at.append((r, c, n))
    # The sheet says its unit (a title, a header); else values written "50%" are FTE.
    percent = any(isinstance(v, str) and v.strip().endswith("%") for v in raw)
    unit = match.unit or ("FTE" if percent else settings.unit)
    target = matrix.values[unit]
    if measure == "actual" and target == "planned":  # a grid titled Actual / Ist / Réel
        target = "actual"
    field = spec.field(target)
    values, bad = _coerce(raw, unit)
    for i, rule in bad.items():
        r, c, _ = at[i]
        ctx.add(
            rule, sheet=grid.name, row=r, col=c, field=field.header, value=display_value(raw[i])
        )
    out: dict[str, list[Any]] = {f.name: [] for f in spec.fields}
    kept_rows: list[int | None] = []
    kept_cols: list[int | None] = []
    for i, value in enumerate(values):
        r, c, n = at[i]
        if value is None or value == 0:
            continue
        if value < 0:
            ctx.add(
                RuleId.VALUE_OUT_OF_RANGE,
                sheet=grid.name,
                row=r,
                col=c,
                field=field.header,
                value=display_value(raw[i]),
                bound="must be at least 0",
            )
            continue
        record = {**dict.fromkeys(out), **keys_of[r], matrix.period: starts[n]}
        record[target] = value / settings.hours_per_day if unit == "hours" else value
        for name, column in out.items():
            column.append(record.get(name))
        kept_rows.append(r)
        kept_cols.append(c)
    n = len(kept_rows)
    columns: dict[str, Sequence[Any]] = dict(out)
    table = Table(spec.key, columns, kept_rows, [grid.name] * n, None, kept_cols)
    return MatrixRead(table, _layout(spec, grid, match), _info(spec, grid, match, n, target))


#: Folded headers of a column naming the project a row belongs to.
PROJECT_HEADERS = frozenset({"project id", "project", "project name", "project code", "project no"})


def other_projects(grid: Grid, header_row: int, extras: Mapping[int, str]) -> tuple[str, int]:
    """Why a plan sheet is a portfolio's list rather than one tracker's plan, and the column.

    ("", -1) when it is one tracker's plan.

    A resource list whose rows name several projects (a Project ID column with more than
    one value) is the PMO's assignment list across projects, not this tracker's plan.
    """
    for col, text in extras.items():
        if normalise(text) not in PROJECT_HEADERS:
            continue
        values = {
            _text(grid.value(r, col))
            for r in range(header_row + 1, grid.top + len(grid.rows))
            if not _blank(grid.value(r, col))
        }
        if len(values) > 1:
            return (
                f"it lists the allocations of {len(values)} projects (column '{text}'): a "
                "portfolio's resource list, not this tracker's plan",
                col,
            )
    return "", -1
