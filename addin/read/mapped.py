"""Apply a file's ``[[mapping]]`` to the reader's plan, and say what it decided.

Detection first decides which sheets feed which kind (:mod:`addin.read.sheets`); then a
mapping's ``sheets`` and ``header_rows`` win: a sheet mapped to a kind is read as that
kind from its header row (the one given, else the best one found, qualified or not), a
sheet mapped to ``ignore`` is not read at all. Every decision the mapping made is a
``mapping.applied`` finding at its sheet or cell, so the Load Log and ``pmo inspect`` show
that a human mapping was used; a mapping the workbook cannot honour (a sheet it does not
have, a row outside the sheet, a column it does not hold) is ``mapping.not_applied``.
"""

from __future__ import annotations

from collections.abc import Sequence

from addin.core.kinds import kind, table_kinds
from addin.core.lang import fold
from addin.core.rules import RuleId
from addin.core.settings.mapping import IGNORE
from addin.core.words import one_line
from addin.read.columns import settle_columns
from addin.read.fields import Context
from addin.read.grid import Grid, GridSource
from addin.read.headers import HeaderMatch, find_header, match_row, merged_fill
from addin.read.overrides import Mapped, apply_columns, header_key
from addin.read.result import ReadResult
from addin.read.sheets import Assignment


def _not_applied(ctx: Context, mapped: Mapped, reason: str, grid: Grid | None = None) -> None:
    where = {} if grid is None else {"sheet": grid.name, "row": grid.top, "col": grid.left}
    ctx.add(RuleId.MAPPING_NOT_APPLIED, reason=reason, entry=mapped.label, **where)


def _resolve(names: Sequence[str], ctx: Context, mapped: Mapped) -> dict[str, str]:
    """Sheet as written in pmo.toml -> the workbook's sheet (exactly, else by folded name)."""
    out: dict[str, str] = {}
    shown = ", ".join(f"'{one_line(n)}'" for n in names[:8]) + (" ..." if len(names) > 8 else "")
    for written in dict.fromkeys([*mapped.sheets, *mapped.header_rows]):
        real = written if written in names else None
        if real is None:
            real = next((n for n in names if fold(n) == fold(written)), None)
        if real is None:
            _not_applied(ctx, mapped, f"no sheet '{one_line(written)}' in this workbook ({shown})")
        else:
            out[written] = real
    return out


def _drop(plan: Assignment, sheet: str, keep: str = "") -> None:
    """Take ``sheet`` from every kind but ``keep`` (and from ``keep``'s tables too)."""
    for found in plan.tables.values():
        found[:] = [gm for gm in found if gm[0].name != sheet]
    for key, named in plan.by_name.items():
        if key != keep:
            named[:] = [n for n in named if n != sheet]
    plan.ignored.pop(sheet, None)


def _row_match(ctx: Context, wb: GridSource, grid: Grid, key: str, row: int) -> HeaderMatch:
    """The header match of ``key`` exactly at a 0-based sheet row, qualified or not."""
    i = row - grid.top
    merged = wb.merged_ranges(grid.name)
    fill = merged_fill(merged, grid.rows, grid.top, grid.left, row + 2) if merged else {}
    above = grid.rows[i - 1] if i > 0 else None
    m = match_row(ctx.indexes[key], grid.rows[i], above, r=row, left=grid.left, fill=fill)
    m.row = row
    return m


def _found(ctx: Context, wb: GridSource, grid: Grid, key: str) -> HeaderMatch | None:
    """The best header row of ``key`` in the sheet: a qualified one, else the row naming most."""
    scan = ctx.settings.reader.header_scan_rows
    index = ctx.indexes[key]
    merged = wb.merged_ranges(grid.name)
    m = find_header(
        index, grid.rows, top=grid.top, left=grid.left, scan=scan, merged=merged, named=True
    )
    if m is not None:
        return m
    best: HeaderMatch | None = None
    for i in range(min(len(grid.rows), max(0, scan - grid.top))):
        cand = _row_match(ctx, wb, grid, key, grid.top + i)
        if cand.columns and (best is None or (cand.score, cand.weight) > (best.score, best.weight)):
            best = cand
    return best


def _force(
    ctx: Context, wb: GridSource, plan: Assignment, grid: Grid, key: str, row: int | None
) -> bool:
    """Read ``grid`` as ``key`` (at ``row`` when given); False, with a finding, when it cannot."""
    mapped = ctx.mapping
    assert mapped is not None
    spec = kind(key)
    assert spec.anchor is not None
    m = _row_match(ctx, wb, grid, key, row) if row is not None else _found(ctx, wb, grid, key)
    if m is not None:
        settle_columns(ctx, spec, grid, m)
        apply_columns(mapped, key, m)
    if m is None or spec.anchor.field not in m.columns:
        if spec.matrix is not None:  # a wide plan: the matrix reader takes the named sheet
            plan.by_name.setdefault(key, []).insert(0, grid.name)
            return True
        scan = ctx.settings.reader.header_scan_rows
        at = f"row {m.row + 1}" if m is not None else f"the first {scan} rows"
        header = spec.field(spec.anchor.field).header
        _not_applied(
            ctx,
            mapped,
            f"sheet '{one_line(grid.name)}' is mapped to {key}, but {at} has no {header} column "
            f"(name one under [mapping.columns.{key}], or give [mapping.header_rows])",
            grid,
        )
        return False
    plan.tables.setdefault(key, []).append((grid, m))
    plan.unheaded.pop(key, None)
    return True


def _kinds_at(ctx: Context, wb: GridSource, grid: Grid, row: int, plan: Assignment) -> list[str]:
    """The kinds a sheet given only a header row is read as: detection's, else the best there."""
    kinds = [k for k, found in plan.tables.items() if any(g.name == grid.name for g, _ in found)]
    if kinds:
        return kinds
    best: tuple[int, str] | None = None
    for spec in table_kinds():
        m = _row_match(ctx, wb, grid, spec.key, row)
        assert spec.anchor is not None
        if spec.anchor.field in m.columns and (best is None or m.score > best[0]):
            best = (m.score, spec.key)
    return [best[1]] if best is not None else []


def remap(wb: GridSource, names: Sequence[str], plan: Assignment, ctx: Context) -> set[str]:
    """Apply the file's mapping of sheets and header rows to ``plan``.

    Returns:
        The sheets mapped to ``ignore``: no table is read from them, and they are not
        searched for a wide plan, a scoring key or a list of projects (the project's name
        may still be read from a title in them).
    """
    mapped = ctx.mapping
    if mapped is None:
        return set()
    real = _resolve(names, ctx, mapped)
    dropped: set[str] = set()
    for written, sheet in real.items():
        grid = wb.grid(sheet)
        target = mapped.sheets.get(written)
        row = mapped.header_rows.get(written)
        if row is not None and target != IGNORE and not 0 <= row - grid.top < len(grid.rows):
            rows = f"{grid.top + 1} to {grid.top + len(grid.rows)}" if grid.rows else "none"
            _not_applied(
                ctx,
                mapped,
                f"header row {row + 1} of sheet '{one_line(sheet)}' is outside its rows ({rows})",
                grid,
            )
            continue
        if target == IGNORE:
            _drop(plan, sheet)
            dropped.add(sheet)
            what = f"sheet '{one_line(sheet)}' not read"
        elif target == "Project":
            _drop(plan, sheet, keep="Project")
            plan.by_name["Project"] = [sheet, *plan.by_name.get("Project", [])]
            what = f"sheet '{one_line(sheet)}' read as the Project block"
        else:
            kinds = [target] if target else _kinds_at(ctx, wb, grid, row or 0, plan)
            if not kinds:
                _not_applied(
                    ctx,
                    mapped,
                    f"row {(row or 0) + 1} of sheet '{one_line(sheet)}' names no kind's table "
                    f"(give the sheet's kind under [mapping.sheets])",
                    grid,
                )
                continue
            _drop(plan, sheet, keep=kinds[0])
            done = [k for k in kinds if k and _force(ctx, wb, plan, grid, k, row)]
            if not done:
                continue
            shown = f" (header row {row + 1})" if row is not None else ""
            what = f"sheet '{one_line(sheet)}' read as {', '.join(done)}{shown}"
        ctx.add(
            RuleId.MAPPING_APPLIED,
            sheet=sheet,
            row=grid.top if row is None else row,
            col=grid.left,
            what=what,
            entry=mapped.label,
        )
    order = {name: i for i, name in enumerate(names)}
    for found in plan.tables.values():
        found.sort(key=lambda gm: (order.get(gm[0].name, len(order)), gm[1].row))
    return dropped


def report_columns(ctx: Context, result: ReadResult) -> None:
    """Say which columns the mapping decided, and which of its headers no table holds."""
    mapped = ctx.mapping
    if mapped is None:
        return
    for key, columns in mapped.columns.items():
        seen: set[str] = set()
        for layout in result.layouts.get(key, []):
            for col, text in layout.headers.items():
                folded = header_key(text)
                target = columns.get(folded)
                if target is None:
                    continue
                if target == IGNORE:
                    if col in layout.columns.values():
                        continue
                    what = f"column '{one_line(text)}' not read"
                elif layout.columns.get(target) == col:
                    what = f"column '{one_line(text)}' read as {kind(key).field(target).header}"
                else:
                    continue
                seen.add(folded)
                ctx.add(
                    RuleId.MAPPING_APPLIED,
                    sheet=layout.sheet,
                    row=layout.header_row,
                    col=col,
                    what=what,
                    entry=mapped.label,
                )
        for folded, header in mapped.written.get(key, {}).items():
            if folded in seen:
                continue
            sheets = ", ".join(f"'{one_line(lay.sheet)}'" for lay in result.layouts.get(key, []))
            where = f"the {key} table ({sheets})" if sheets else f"this workbook (no {key} table)"
            _not_applied(ctx, mapped, f"no column headed '{one_line(header)}' in {where}")
