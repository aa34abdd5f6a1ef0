"""Checks of one tracker's resource data (TRACKER_SPEC v1.1): effort with nobody to do it.

Whether a person is over-allocated, unknown or gone depends on every project and on
the PMO's capacity list, so those findings come from the portfolio step
(:mod:`addin.resources`), not from here.
"""

from __future__ import annotations

from collections.abc import Iterator

from addin.checks.context import CheckContext
from addin.checks.registry import check
from addin.core.domain import TASK_CANCELLED, TASK_COMPLETE
from addin.core.findings import Finding
from addin.core.rules import RuleId
from addin.core.tracker import Table

R, T = "Resources", "Tasks"


@check(T, RuleId.RESOURCE_UNASSIGNED_EFFORT)
def task_effort_without_owner(ctx: CheckContext, tasks: Table) -> Iterator[Finding | None]:
    """An open task with Effort and no Owner: days planned that nobody will work."""
    rows = zip(
        tasks.col("effort"),
        tasks.col("owner"),
        tasks.col("status"),
        tasks.col("task_id"),
        strict=True,
    )
    for i, (effort, owner, status, task_id) in enumerate(rows):
        if not effort or owner or status in (TASK_COMPLETE, TASK_CANCELLED):
            continue
        name = f"Task '{task_id}'" if task_id else f"The task in row {_row(tasks, i)}"
        yield ctx.hit(
            RuleId.RESOURCE_UNASSIGNED_EFFORT,
            T,
            "effort",
            i,
            effort,
            what=f"{name} ({effort:g} days of Effort)",
            why="it has no Owner",
        )


@check(R, RuleId.RESOURCE_UNASSIGNED_EFFORT, RuleId.VALUE_OUT_OF_RANGE)
def allocation_rows(ctx: CheckContext, rows: Table) -> Iterator[Finding | None]:
    """A Resources row needs a Person or a Role; one person's FTE on a project is at most 100 %."""
    cols = zip(
        rows.col("person"), rows.col("role"), rows.col("planned"), rows.col("fte"), strict=True
    )
    for i, (person, role, planned, fte) in enumerate(cols):
        if (planned or fte) and not person and not role:
            amount = f"{planned:g} days" if planned else f"{fte * 100:g} % FTE"
            field = "planned" if planned else "fte"
            yield ctx.hit(
                RuleId.RESOURCE_UNASSIGNED_EFFORT,
                R,
                field,
                i,
                planned if planned else f"{fte * 100:g} %",
                what=f"The allocation in row {_row(rows, i)} ({amount})",
                why="it names no Person or Role",
            )
        if person and fte is not None and fte > 1 + 1e-9:
            yield ctx.hit(
                RuleId.VALUE_OUT_OF_RANGE,
                R,
                "fte",
                i,
                f"{fte * 100:g} %",
                bound="must be at most 100 % for one person",
            )


def _row(table: Table, i: int) -> str:
    row = table.rows[i]
    return "?" if row is None else str(row + 1)
