"""Read one workbook into a tracker: find each kind's sheets, read them, keep every cell.

Sheets are matched to kinds by name first (canonical name, then synonyms), then by
content (the sheet whose header row names the kind's anchor fields best). A kind
that may be spread over several sheets (RAID; Tasks, one sheet per workstream)
takes every sheet named or headed for it: RAID rows take their Type from the
sheet's name when the Type column is absent (``Risks`` -> Risk) and a ``Closed
...`` sheet's rows are closed; task rows take the sheet's name as their
Workstream. The Project block is the sheet with the most Project labels.

The reader never raises for a bad workbook: an unreadable file comes back with
status ``unreadable`` and a one-line reason, and every problem is a finding with
its sheet and cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache, partial
from pathlib import Path

from addin.core.cells import column_letter
from addin.core.errors import UnreadableFileError
from addin.core.findings import FileStatus, TableInfo
from addin.core.kinds import Project, SheetKind, kind, normalise, table_kinds
from addin.core.lang import fold
from addin.core.ours import skip_reason
from addin.core.rules import RuleBook, RuleId
from addin.core.settings import Settings
from addin.core.tracker import Table, Tracker
from addin.core.words import one_line
from addin.read.accounting import account_for_sheets, find_block, listed_projects, name_project
from addin.read.block import BlockHit, read_block
from addin.read.fields import Context
from addin.read.grid import Grid, GridSource
from addin.read.headers import HeaderMatch
from addin.read.mapped import remap, report_columns
from addin.read.matrix import other_projects
from addin.read.matrix_find import find_matrix
from addin.read.matrix_stack import read_plans
from addin.read.overrides import Mapped, file_mapping, mapped_settings
from addin.read.result import BlockLayout, ReadResult, SheetLayout
from addin.read.scale_key import KEY_REASON, read_keys
from addin.read.sheets import (
    GUIDANCE_SHEETS,
    Assignment,
    assign_sheets,
    named_type,
    ours,
    raid_words,
)
from addin.read.source import Workbook
from addin.read.table import read_table


def read_tracker(path: str | Path, settings: Settings, rules: RuleBook | None = None) -> ReadResult:
    """Read a tracker workbook; never raises for a bad file.

    Args:
        path: The workbook (``.xlsx``, ``.xlsm`` or ``.xls``).
        settings: Effective settings (synonyms, date order, limits, allowed values).
        rules: The run's rule book (severity overrides); defaults to the settings' rules.

    Returns:
        A :class:`ReadResult` with the tracker, where each kind was found, and the
        findings met while reading. ``status`` is ``unreadable`` or ``not_a_tracker``
        (with a one-line ``reason``) when nothing could be read.
    """
    name = str(path)
    rules = rules or RuleBook(dict(settings.rules))
    try:
        wb = Workbook(Path(path), settings.limits)
    except UnreadableFileError as exc:
        return ReadResult(file=name, status=FileStatus.UNREADABLE, reason=exc.reason)
    with wb:
        kind = wb.pmo_output()
        reason = skip_reason(kind, named=True)
        if reason is not None:  # a portfolio or dashboard we wrote: never a tracker
            return ReadResult(file=name, status=FileStatus.SKIPPED, reason=reason, pmo_output=kind)
        result = read_source(wb, name, settings, rules, from_template=bool(wb.template_version()))
        result.pmo_output = kind
        result.adopted_from = wb.adopted_from()
        return result


def read_source(
    source: GridSource,
    name: str,
    settings: Settings,
    rules: RuleBook | None = None,
    *,
    from_template: bool = False,
) -> ReadResult:
    """Read a tracker from any grid source (see :func:`read_tracker`); never raises for bad data.

    Args:
        source: The sheets to read, e.g. a live workbook's used ranges.
        name: What to call the workbook in findings (its path).
        settings: Effective settings.
        rules: The run's rule book; defaults to the settings' rules.
        from_template: The workbook was made from our template: its guidance sheet holds
            no records and is not searched (see :mod:`addin.read.sheets`).
    """
    rules = rules or RuleBook(dict(settings.rules))
    result = ReadResult(file=name)
    # pmo.toml's [[mapping]] for this file wins; a tracker made from the template is the standard
    mapping = None if from_template else file_mapping(settings, name)
    if mapping is not None:
        settings = mapped_settings(settings, mapping)
    try:
        _read(source, settings, rules, result, from_template, mapping)
    except UnreadableFileError as exc:
        result = ReadResult(file=name, status=FileStatus.UNREADABLE, reason=exc.reason)
    return result


def _sheet_words(spec: SheetKind, settings: Settings) -> str:
    names = [spec.key, *spec.sheet_names[:4], *settings.reader.sheet_synonyms.get(spec.key, ())]
    return ", ".join(names)


@lru_cache(maxsize=16)
def _closing(words: tuple[str, ...], packs: frozenset[str]) -> dict[str, bool]:
    return {fold(w): True for w in (*words, *packs)}


def _from_sheet(
    ctx: Context, spec: SheetKind, table: Table, sheet: str, layout: SheetLayout, several: bool
) -> None:
    """Fill what a sheet's name says: RAID Type and closed status, a task's Workstream."""
    n = len(table)
    if spec.type_field and spec.type_field not in layout.columns:
        found = named_type(sheet, raid_words(spec, ctx))
        if found is not None:
            table.columns[spec.type_field] = [found] * n
    closed = spec.closed_value and named_type(sheet, _closing(spec.closed_words, ctx.vocab.closed))
    if closed and spec.status_field and spec.status_field not in layout.columns:
        table.columns[spec.status_field] = [spec.closed_value] * n
    if several and spec.sheet_field:  # blank cells too: a v1.1 plan sheet has the column
        table.columns[spec.sheet_field] = [v or sheet for v in table.columns[spec.sheet_field]]


def _read_kind(
    ctx: Context, spec: SheetKind, found: Sequence[tuple[Grid, HeaderMatch]], result: ReadResult
) -> list[tuple[Table, SheetLayout, TableInfo]]:
    """One kind's table sheets, read: those with rows (else the first), names filled in.

    A sheet that lists many projects' resources is said (``resource.not_read``), not read
    as this project's plan. A header with nothing below it, beside tables that hold rows,
    is left out with its findings (no missing column of a table that feeds nothing) and
    reported as an empty table.
    """
    read: list[tuple[Grid, Table, SheetLayout, TableInfo]] = []
    spans = []
    for grid, match in found:
        foreign, col = other_projects(grid, match.row, match.extras) if spec.matrix else ("", 0)
        if foreign:  # a resource list of many projects: said, not read as this one's plan
            ctx.add(
                RuleId.RESOURCE_NOT_READ, sheet=grid.name, row=match.row, col=col, reason=foreign
            )
            continue
        start = len(ctx.findings)
        read.append((grid, *read_table(ctx, spec, grid, match)))
        spans.append((start, len(ctx.findings)))
    full = [r for r in read if r[3].rows]
    kept = full or read[:1]  # a header with nothing below it, beside tables that hold rows
    dropped: set[int] = set()
    for (grid, _, _, info), (a, b) in zip(read, spans, strict=True):
        if all(k[3] is not info for k in kept):
            dropped.update(range(a, b))  # no missing column of a table left out
            if all(k[0] is not grid for k in kept):
                result.empty[grid.name] = info.header_row
    if dropped:
        ctx.findings[:] = [f for i, f in enumerate(ctx.findings) if i not in dropped]
    several = len({grid.name for grid, *_ in kept}) > 1
    parts: list[tuple[Table, SheetLayout, TableInfo]] = []
    for grid, table, layout, info in kept:
        _from_sheet(ctx, spec, table, grid.name, layout, several)
        parts.append((table, layout, info))
    return parts


def _settle(
    spec: SheetKind, parts: Sequence[tuple[Table, SheetLayout, TableInfo]], result: ReadResult
) -> Table:
    """One kind's sheets as one table, with where each part was found."""
    infos = [info for _, _, info in parts]
    for _, layout, _ in parts:
        result.layouts.setdefault(spec.key, []).append(layout)
    first = infos[0]
    total = sum(i.rows for i in infos)
    result.tables[spec.key] = TableInfo(
        sheet=first.sheet,
        header_row=first.header_row,
        rows=total,
        columns=first.columns,
        extra_columns=first.extra_columns,
        parts=tuple(infos) if len(infos) > 1 else (),
    )
    return Table.concat(spec.key, [table for table, _, _ in parts])


def _matrix_sheets(
    spec: SheetKind, plan: Assignment, names: Sequence[str], from_template: bool
) -> list[tuple[str, bool]]:
    """Sheets that may hold a wide plan of ``spec``: (sheet, named for the kind).

    Its named sheets without a table header; when no sheet gave the kind a table, also
    every sheet no kind took or is named for (the template's guidance sheet aside).
    """
    assert spec.matrix is not None
    stems = spec.matrix.name_stems
    taken = {grid.name for found in plan.tables.values() for grid, _ in found}
    named = plan.by_name.get(spec.key, [])
    out = [(n, True) for n in named if n not in taken]
    if plan.tables.get(spec.key):
        return out
    claimed = {n for sheets in plan.by_name.values() for n in sheets}
    skip = GUIDANCE_SHEETS if from_template else frozenset()
    for n in names:
        folded = normalise(n)
        if n not in taken and n not in claimed and folded not in skip:
            out.append((n, any(stem in folded for stem in stems)))
    return out


def _read_matrices(
    ctx: Context,
    wb: GridSource,
    spec: SheetKind,
    candidates: Sequence[tuple[str, bool]],
    hint: dt.date | None,
) -> tuple[list[tuple[Table, SheetLayout, TableInfo]], list[str], list[str]]:
    """The wide plans among ``candidates``, and why those found could not be read.

    Also the sheets found to be wide plans (read, or said why not in a
    ``resource.not_read`` finding): they are accounted for.
    """
    parts: list[tuple[Table, SheetLayout, TableInfo]] = []
    reasons: list[str] = []
    seen: list[str] = []
    scan = ctx.settings.reader.header_scan_rows
    for name, named in candidates:
        grid = wb.grid(name)
        match = find_matrix(grid, ctx.indexes[spec.key], spec, scan=scan, named=named)
        if match is None:
            continue
        seen.append(name)
        fills_of = partial(wb.fills, name) if isinstance(wb, Workbook) else None
        index = ctx.indexes[spec.key]
        for done in read_plans(
            ctx, spec, grid, match, hint, index=index, named=named, fills_of=fills_of
        ):
            if done.table is not None and done.layout is not None and done.info is not None:
                parts.append((done.table, done.layout, done.info))
            elif done.not_read:
                reasons.append(done.not_read)
    return parts, reasons, seen


def _missing(ctx: Context, spec: SheetKind, plan: Assignment, settings: Settings) -> None:
    scan = settings.reader.header_scan_rows
    assert spec.anchor is not None
    what = spec.anchor.words
    named = plan.unheaded.get(spec.key)
    if named is not None:
        ctx.add(
            RuleId.SHEET_NO_HEADER,
            sheet=named,
            reason=f"no header row with {what} found in the first {scan} rows of sheet '{named}'",
        )
    else:
        ctx.add(
            RuleId.SHEET_MISSING,
            reason=(
                f"no {spec.key} sheet: no sheet named {_sheet_words(spec, settings)}, "
                f"and no header row with {what} in the first {scan} rows of any sheet"
            ),
        )


def _read(
    wb: GridSource,
    settings: Settings,
    rules: RuleBook,
    result: ReadResult,
    from_template: bool,
    mapping: Mapped | None,
) -> None:
    ctx = Context(result.file, settings, rules)
    ctx.mapping = mapping
    result.sheet_order = list(wb.sheet_names)
    names = wb.worksheets
    plan = assign_sheets(wb, names, ctx, from_template=from_template)
    ignored = remap(wb, names, plan, ctx)  # a mapping's "ignore": no table of it, no word
    used = {g.name for found in plan.tables.values() for g, _ in found}
    skip = GUIDANCE_SHEETS if from_template else frozenset()
    others = [n for n in names if n not in used and fold(n) not in skip and not ours(wb, n)]
    others = [n for n in others if n not in ignored]
    keys = read_keys(ctx, [wb.grid(n) for n in others if n not in plan.ignored])
    hit, scans = find_block(wb, names, plan, ctx)
    listing = listed_projects(wb, [n for n in others if hit is None or n != hit.sheet], ctx)
    opening = next((n for n in names if fold(n) not in skip), None)
    first = wb.grid(opening) if opening is not None else Grid("", [])
    if listing is not None and (hit is None or not hit.raw.get("project_name")):
        sheet, row, count = listing
        result.status = FileStatus.NOT_A_TRACKER
        result.reason = (
            f"not one project's tracker: sheet '{one_line(sheet)}' lists {count} projects, "
            f"one a row (header row {row + 1}); validate each project's own tracker"
        )
        name_project(ctx, result, None, [], [], first, report=False)
        return
    project = Project()
    if hit is not None:  # first: a wide resource plan dates its periods from the project
        project, result.block = _block(ctx, hit, result)
    tables: dict[str, Table] = {}
    not_read: list[str] = []
    matrices: set[str] = set()  # found to be wide plans: read, or said why not
    for spec in table_kinds():
        found = plan.tables.get(spec.key)
        parts = _read_kind(ctx, spec, found, result) if found else []
        if spec.matrix is not None:
            kept = [n for n in names if n not in ignored]
            candidates = _matrix_sheets(spec, plan, kept, from_template)
            wide, why, seen = _read_matrices(
                ctx, wb, spec, candidates, project.start_date or project.status_date
            )
            parts += wide
            not_read += why
            matrices.update(seen)
        if parts:
            tables[spec.key] = _settle(spec, parts, result)
        elif spec.required:
            _missing(ctx, spec, plan, settings)

    if hit is None:
        if not tables:
            result.status = FileStatus.NOT_A_TRACKER
            result.reason = _not_a_tracker_reason(names, settings.reader.header_scan_rows)
            if not_read:
                result.reason += "; " + "; ".join(not_read)
            name_project(ctx, result, None, scans, [], first, report=False)
            return
        ctx.add(
            RuleId.SHEET_MISSING,
            reason=(
                "no Project sheet: "
                f"no sheet named {_sheet_words(kind('Project'), settings)}, "
                "and no block of Project labels "
                "(Project ID, Project Name, Status Date ...) in any sheet"
            ),
        )
    if "Project" in result.tables:  # reported after the tables, as it always was
        result.tables["Project"] = result.tables.pop("Project")
    result.tracker = Tracker(project, tables)
    order = {n: i for i, n in enumerate(names)}
    read = sorted(
        (gm for found in plan.tables.values() for gm in found),
        key=lambda gm: (order.get(gm[0].name, len(order)), gm[1].row),
    )
    project = name_project(ctx, result, hit, scans, read, first)
    result.tracker = Tracker(project, tables)
    reasons = dict.fromkeys(keys, KEY_REASON)
    if listing is not None:
        reasons[listing[0]] = f"it lists {listing[2]} projects, one a row"
    unused = [n for n in others if n not in matrices]  # a wide plan is accounted for
    account_for_sheets(ctx, wb, plan, result, unused, reasons)
    report_columns(ctx, result)
    result.findings = ctx.findings


def _block(ctx: Context, hit: BlockHit, result: ReadResult) -> tuple[Project, BlockLayout]:
    """Read the Project block and record where its labels were found."""
    project, layout = read_block(ctx, hit)
    spec = kind("Project")
    result.tables["Project"] = TableInfo(
        sheet=hit.sheet,
        header_row=min(r for r, _ in hit.cells.values()),
        rows=1,
        columns={
            spec.field(n).header: f"{column_letter(c)}{r + 1}" for n, (r, c) in hit.cells.items()
        },
    )
    return project, layout


def _not_a_tracker_reason(names: Sequence[str], scan: int) -> str:
    shown = ", ".join(f"'{one_line(n)}'" for n in names[:6]) + (" ..." if len(names) > 6 else "")
    return (
        f"not a project tracker: no Project block and no table with a task name and a date, "
        f"a milestone and a date, a budget period or a RAID title in the first {scan} rows of "
        f"any sheet ({len(names)} sheet{'s' if len(names) != 1 else ''}: {shown or 'none'})"
    )
