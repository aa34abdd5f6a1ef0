"""Checks of the Budget table (TRACKER_SPEC v1): one row per month, no future actuals."""

from __future__ import annotations

from collections.abc import Iterator

from addin.checks.common import duplicates
from addin.checks.context import CheckContext
from addin.checks.registry import check
from addin.core.findings import Finding
from addin.core.rules import RuleId
from addin.core.tracker import Table

B = "Budget"


@check(B, RuleId.BUDGET_PERIOD_NOT_MONTH_START)
def month_start(ctx: CheckContext, lines: Table) -> Iterator[Finding | None]:
    """A Period is the first day of its month."""
    for i, period in enumerate(lines.col("period")):
        if period is not None and period.day != 1:
            yield ctx.hit(RuleId.BUDGET_PERIOD_NOT_MONTH_START, B, "period", i, period)


@check(B, RuleId.BUDGET_ACTUAL_AFTER_STATUS_DATE)
def no_future_actuals(ctx: CheckContext, lines: Table) -> Iterator[Finding | None]:
    """No Actual for a period after the Status Date."""
    d = ctx.status_date
    if d is None:
        return
    for i, (period, actual) in enumerate(
        zip(lines.col("period"), lines.col("actual"), strict=True)
    ):
        if period is not None and period > d and (actual or 0) > 0:
            yield ctx.hit(
                RuleId.BUDGET_ACTUAL_AFTER_STATUS_DATE,
                B,
                "actual",
                i,
                actual,
                period=ctx.show(period),
                status_date=ctx.show(d),
            )


@check(B, RuleId.BUDGET_DUPLICATE_PERIOD)
def unique_periods(ctx: CheckContext, lines: Table) -> Iterator[Finding | None]:
    """One row per period."""
    return duplicates(ctx, lines, "period", RuleId.BUDGET_DUPLICATE_PERIOD)
