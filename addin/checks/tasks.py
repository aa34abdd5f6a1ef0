"""Checks of the Tasks table (TRACKER_SPEC v1): dates in order, owners, status consistency."""

from __future__ import annotations

from collections.abc import Iterator

from addin.checks.common import duplicates
from addin.checks.context import CheckContext
from addin.checks.registry import check
from addin.core.domain import TASK_CANCELLED, TASK_COMPLETE, TASK_NOT_STARTED
from addin.core.findings import Finding
from addin.core.kinds import kind
from addin.core.rules import RuleId
from addin.core.tracker import Table

T = "Tasks"


@check(T, RuleId.TASK_FINISH_BEFORE_START, RuleId.TASK_ACTUAL_FINISH_BEFORE_START)
def finish_after_start(ctx: CheckContext, tasks: Table) -> Iterator[Finding | None]:
    """Planned Finish on or after Planned Start; Actual Finish on or after Actual Start."""
    for rule, start_field, finish_field in (
        (RuleId.TASK_FINISH_BEFORE_START, "planned_start", "planned_finish"),
        (RuleId.TASK_ACTUAL_FINISH_BEFORE_START, "actual_start", "actual_finish"),
    ):
        pairs = zip(tasks.col(start_field), tasks.col(finish_field), strict=True)
        for i, (start, finish) in enumerate(pairs):
            if start and finish and finish < start:
                yield ctx.hit(rule, T, finish_field, i, finish, start=ctx.show(start))


@check(T, RuleId.TASK_OWNER_REQUIRED, RuleId.COLUMN_MISSING)
def owner(ctx: CheckContext, tasks: Table) -> Iterator[Finding | None]:
    """A task that has started (or might have) needs an Owner.

    No Owner column at all is one finding on the header row of each sheet that needs it.
    """
    needs_column: list[str] = []
    for i, (who, status) in enumerate(zip(tasks.col("owner"), tasks.col("status"), strict=True)):
        if status == TASK_NOT_STARTED or who:
            continue
        sheet = tasks.sheets[i]
        if ctx.mapped(T, "owner", sheet):
            yield ctx.hit(RuleId.TASK_OWNER_REQUIRED, T, "owner", i, None, status=status or "blank")
        elif sheet not in needs_column:
            needs_column.append(sheet)
    for sheet in needs_column:
        layout = ctx.result.layout(T, sheet)
        if layout is None:
            continue
        yield ctx.rules.finding(
            RuleId.COLUMN_MISSING,
            file=ctx.result.file,
            sheet=layout.sheet,
            row=layout.header_row,
            col=layout.left,
            field="Owner",
            header_row=layout.header_row + 1,
        )


@check(
    T,
    RuleId.COLUMN_MISSING,
    RuleId.TASK_COMPLETE_NOT_100,
    RuleId.TASK_COMPLETE_WITHOUT_FINISH,
    RuleId.TASK_DONE_NOT_COMPLETE,
    RuleId.TASK_STARTED_NOT_STARTED,
)
def status_consistency(ctx: CheckContext, tasks: Table) -> Iterator[Finding | None]:
    """Complete <=> 100 % and an Actual Finish; an Actual Start means it is not Not Started.

    A sheet with no % Complete or Actual Finish column at all gets one ``column.missing``
    on its header row, not a false "blank" on every Complete task (issue 12).
    """
    rows = zip(
        tasks.col("status"),
        tasks.col("pct_complete"),
        tasks.col("actual_start"),
        tasks.col("actual_finish"),
        strict=True,
    )
    missing: dict[tuple[str, str], None] = {}  # (sheet, field) with no column at all
    known: dict[tuple[str, str], bool] = {}

    def mapped(sheet: str, name: str) -> bool:
        found = known.get((sheet, name))
        if found is None:
            found = known[(sheet, name)] = ctx.mapped(T, name, sheet)
        return found

    for i, (status, pct, started, finished) in enumerate(rows):
        done = pct is not None and abs(pct - 1.0) < 1e-9
        sheet = tasks.sheets[i]
        if status == TASK_COMPLETE:
            if not mapped(sheet, "pct_complete"):
                missing[(sheet, "pct_complete")] = None
            elif not done:
                shown = "blank" if pct is None else f"{pct * 100:g} %"
                yield ctx.hit(RuleId.TASK_COMPLETE_NOT_100, T, "pct_complete", i, shown)
            if not mapped(sheet, "actual_finish"):
                missing[(sheet, "actual_finish")] = None
            elif finished is None:
                yield ctx.hit(RuleId.TASK_COMPLETE_WITHOUT_FINISH, T, "actual_finish", i)
        elif done and finished is not None and status != TASK_CANCELLED:
            yield ctx.hit(RuleId.TASK_DONE_NOT_COMPLETE, T, "status", i, status or "blank")
        if started is not None and status == TASK_NOT_STARTED:
            yield ctx.hit(RuleId.TASK_STARTED_NOT_STARTED, T, "status", i, status)
    for sheet, name in missing:  # no column to check: said once, on the header row
        yield _column_missing(ctx, sheet, name)


def _column_missing(ctx: CheckContext, sheet: str, name: str) -> Finding | None:
    layout = ctx.result.layout(T, sheet)
    if layout is None:
        return None
    return ctx.rules.finding(
        RuleId.COLUMN_MISSING,
        file=ctx.result.file,
        sheet=layout.sheet,
        row=layout.header_row,
        col=layout.left,
        field=kind(T).field(name).header,
        header_row=layout.header_row + 1,
    )


@check(T, RuleId.TASK_ACTUAL_AFTER_STATUS_DATE)
def actuals_not_after_status_date(ctx: CheckContext, tasks: Table) -> Iterator[Finding | None]:
    """No actual date after the Status Date."""
    d = ctx.status_date
    if d is None:
        return
    for i, (started, finished) in enumerate(
        zip(tasks.col("actual_start"), tasks.col("actual_finish"), strict=True)
    ):
        for name, value in (("actual_start", started), ("actual_finish", finished)):
            if value is not None and value > d:
                yield ctx.hit(
                    RuleId.TASK_ACTUAL_AFTER_STATUS_DATE, T, name, i, value, status_date=ctx.show(d)
                )


@check(T, RuleId.TASK_DUPLICATE_ID)
def unique_ids(ctx: CheckContext, tasks: Table) -> Iterator[Finding | None]:
    """Task IDs are unique in the file."""
    return duplicates(ctx, tasks, "task_id", RuleId.TASK_DUPLICATE_ID)
