"""Checks of the Milestones table (TRACKER_SPEC v1)."""

from __future__ import annotations

from collections.abc import Iterator

from addin.checks.common import duplicates
from addin.checks.context import CheckContext
from addin.checks.registry import check
from addin.core.domain import MILESTONE_ACHIEVED
from addin.core.findings import Finding
from addin.core.rules import RuleId
from addin.core.tracker import Table

M = "Milestones"


@check(M, RuleId.MILESTONE_FORECAST_REQUIRED, RuleId.MILESTONE_ACHIEVED_WITHOUT_DATE)
def dates_by_status(ctx: CheckContext, items: Table) -> Iterator[Finding | None]:
    """A Forecast Date unless Achieved; an Actual Date once Achieved."""
    rows = zip(
        items.col("status"), items.col("forecast_date"), items.col("actual_date"), strict=True
    )
    for i, (status, forecast, actual) in enumerate(rows):
        achieved = status == MILESTONE_ACHIEVED
        if (
            not achieved
            and forecast is None
            and ctx.mapped(M, "forecast_date", items.sheets[i])
            and not ctx.is_flagged(M, "forecast_date", i)
        ):
            yield ctx.hit(RuleId.MILESTONE_FORECAST_REQUIRED, M, "forecast_date", i)
        if achieved and actual is None:
            yield ctx.hit(RuleId.MILESTONE_ACHIEVED_WITHOUT_DATE, M, "actual_date", i)


@check(M, RuleId.MILESTONE_ACTUAL_AFTER_STATUS_DATE)
def actual_not_after_status_date(ctx: CheckContext, items: Table) -> Iterator[Finding | None]:
    """No Actual Date after the Status Date."""
    d = ctx.status_date
    if d is None:
        return
    for i, actual in enumerate(items.col("actual_date")):
        if actual is not None and actual > d:
            yield ctx.hit(
                RuleId.MILESTONE_ACTUAL_AFTER_STATUS_DATE,
                M,
                "actual_date",
                i,
                actual,
                status_date=ctx.show(d),
            )


@check(M, RuleId.MILESTONE_DUPLICATE_ID)
def unique_ids(ctx: CheckContext, items: Table) -> Iterator[Finding | None]:
    """Milestone IDs are unique in the file."""
    return duplicates(ctx, items, "milestone_id", RuleId.MILESTONE_DUPLICATE_ID)
