"""After the tables are read: name the project, and account for every sheet left out.

The Project block is the named Project sheet's labels, else the sheet with the most
Project labels (the later sheet on a tie: the latest report of a weekly series). The
project is then named (:mod:`addin.read.identity`), every inference a warning at its
cell; a sheet that looks like a table and feeds nothing gets ``sheet.ignored`` with the
reason (:mod:`addin.read.unused`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from addin.core.cells import a1
from addin.core.findings import TableInfo
from addin.core.identity import Identity
from addin.core.kinds import Project, kind
from addin.core.rules import RuleId
from addin.core.tracker import Tracker
from addin.read.block import BlockHit, scan_block
from addin.read.fields import Context
from addin.read.grid import Grid, GridSource
from addin.read.headers import HeaderMatch
from addin.read.identity import find_identity
from addin.read.result import ReadResult
from addin.read.sheets import Assignment
from addin.read.unused import project_list, several_projects, why_ignored

#: Labels needed to accept a sheet found by content as the Project block.
PROJECT_MIN_LABELS = 3
#: Labels needed on a sheet *named* like the Project sheet (one lone match is noise).
PROJECT_MIN_NAMED = 2


def find_block(
    wb: GridSource, names: Sequence[str], plan: Assignment, ctx: Context
) -> tuple[BlockHit | None, list[BlockHit]]:
    """The Project block, and the labels found on every sheet searched for it."""
    index = ctx.indexes["Project"]
    named = plan.by_name.get("Project")
    if named:
        hit = scan_block(wb, wb.grid(named[0]), index)
        if hit.score >= PROJECT_MIN_NAMED:
            return hit, [hit]
    best: BlockHit | None = None
    scans: list[BlockHit] = []
    for sheet_name in names:
        candidate = scan_block(wb, wb.grid(sheet_name), index)
        scans.append(candidate)
        if candidate.score >= PROJECT_MIN_LABELS and (best is None or candidate.rank >= best.rank):
            best = candidate  # on a tie the later sheet: the latest report of a series
    return best, scans


def listed_projects(
    wb: GridSource, others: Sequence[str], ctx: Context
) -> tuple[str, int, int] | None:
    """(sheet, 0-based header row, projects) of a sheet listing projects, one a row."""
    for name in others:
        found = project_list(ctx, wb.grid(name))
        if found is not None:
            return name, *found
    return None


def _where(identity: Identity) -> str:
    return {
        "label": "the label in this cell",
        "title": "the title in this cell",
        "content": "the sheet names",
        "filename": "the file name",
    }.get(identity.name_from, "the Project block")


def name_project(
    ctx: Context,
    result: ReadResult,
    block: BlockHit | None,
    scans: Sequence[BlockHit],
    tables: Sequence[tuple[Grid, HeaderMatch]],
    first: Grid,
    *,
    report: bool = True,
) -> Project:
    """The tracker's Project record with its name and ID filled, each inference reported.

    With ``report`` False (a file that is no tracker) the identity is only recorded: the
    JSON report names every file, and a non-tracker gets no findings but its reason.
    """
    project = result.tracker.project
    identity = find_identity(
        result.file,
        block,
        scans,
        tables,
        [first],
        ctx.indexes.values(),
        ctx.vocab,
        result.sheet_order,
    )
    result.identity = identity
    if report and identity.name_from == "label" and "Project" not in result.tables:
        _label_block(result, identity)
    if not report:
        result.tracker = Tracker(
            Project(project_id=identity.project_id, project_name=identity.name)
        )
        return result.tracker.project
    changes: dict[str, str] = {}
    if not project.project_name:
        changes["project_name"] = identity.name
    if not project.project_id:
        changes["project_id"] = identity.project_id
    for name in changes:  # a block's label left blank is still an error
        if block is not None and name in block.cells:
            r, c = block.cells[name]
            ctx.add(
                RuleId.VALUE_REQUIRED,
                sheet=block.sheet,
                row=r,
                col=c,
                field=kind("Project").field(name).header,
            )
    if identity.inferred:
        parts = []
        if identity.name_from != "block":
            parts.append(f"Project Name '{identity.name}' taken from {_where(identity)}")
        if identity.id_from != "block":
            parts.append(f"Project ID '{identity.project_id}' from the file name")
        sheet = identity.sheet or first.name
        ctx.add(
            RuleId.PROJECT_IDENTITY_INFERRED,
            sheet=sheet,
            row=identity.row if identity.sheet else first.top,
            col=identity.col if identity.sheet else first.left,
            what="; ".join(parts),
        )
    if not changes:
        return project
    return dataclasses.replace(
        project,
        project_name=changes.get("project_name", project.project_name),
        project_id=changes.get("project_id", project.project_id),
    )


def _label_block(result: ReadResult, identity: Identity) -> None:
    """Report a lone Project Name label (``Project: X`` in a title line) as the Project block.

    It is the only Project label the workbook has, so ``inspect`` and the JSON report show
    where the name was read, as they do for a block of labels.
    """
    if not identity.sheet or identity.row is None or identity.col is None:
        return
    result.tables["Project"] = TableInfo(
        sheet=identity.sheet,
        header_row=identity.row,
        rows=1,
        columns={kind("Project").field("project_name").header: a1(identity.row, identity.col)},
    )


def account_for_sheets(
    ctx: Context,
    wb: GridSource,
    plan: Assignment,
    result: ReadResult,
    others: Sequence[str],
    reasons: dict[str, str],
) -> None:
    """A ``sheet.ignored`` finding for each sheet that looks like a table and feeds nothing.

    Args:
        ctx: The file's reading context.
        wb: The workbook.
        plan: Which sheets fed which kind.
        result: What was read (its empty tables and Project block).
        others: The sheets that fed no table, in workbook order.
        reasons: Sheet -> why it was left out, where already known (a key, an example).
    """
    block = result.block.sheet if result.block is not None else None
    taken = {key: found[0][0].name for key, found in plan.tables.items() if found}
    known = {**plan.ignored, **reasons}
    for sheet, header_row in result.empty.items():
        known.setdefault(sheet, f"its header row (row {header_row + 1}) has no rows below it")
    for name in [*others, *(s for s in result.empty if s not in others)]:
        if name == block and name not in result.empty:
            continue
        grid = wb.grid(name)
        found = why_ignored(ctx, grid, taken)
        if name in known:
            r, c = (found[0], found[1]) if found else (grid.top, grid.left)
            ctx.add(RuleId.SHEET_IGNORED, sheet=name, row=r, col=c, reason=known[name])
        elif found is not None:
            ctx.add(RuleId.SHEET_IGNORED, sheet=name, row=found[0], col=found[1], reason=found[2])
    plans = [g for g, _ in plan.tables.get("Tasks", [])]
    several = several_projects(
        list({g.name: g for g in plans}.values()), [wb.grid(n) for n in others], ctx
    )
    if several is not None:
        sheet, names = several
        ctx.add(
            RuleId.WORKBOOK_SEVERAL_PROJECTS,
            sheet=sheet,
            row=wb.grid(sheet).top,
            col=wb.grid(sheet).left,
            names=", ".join(f"'{n}'" for n in names),
        )
