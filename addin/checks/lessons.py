"""Checks of the Lessons table (TRACKER_SPEC v1.1)."""

from __future__ import annotations

from collections.abc import Iterator

from addin.checks.common import duplicates
from addin.checks.context import CheckContext
from addin.checks.registry import check
from addin.core.findings import Finding
from addin.core.rules import RuleId
from addin.core.tracker import Table

L = "Lessons"
#: The lesson type whose rows want a recommendation.
TO_IMPROVE = "To improve"


@check(L, RuleId.LESSON_DUPLICATE_ID)
def unique_ids(ctx: CheckContext, lessons: Table) -> Iterator[Finding | None]:
    """Lesson IDs are unique in the file."""
    return duplicates(ctx, lessons, "lesson_id", RuleId.LESSON_DUPLICATE_ID)


@check(L, RuleId.LESSON_DATE_AFTER_STATUS_DATE)
def dated_by_status_date(ctx: CheckContext, lessons: Table) -> Iterator[Finding | None]:
    """A lesson is not dated after the tracker's Status Date."""
    d = ctx.status_date
    if d is None:
        return
    for i, date in enumerate(lessons.col("date")):
        if date is not None and date > d:
            yield ctx.hit(
                RuleId.LESSON_DATE_AFTER_STATUS_DATE, L, "date", i, date, status_date=ctx.show(d)
            )


@check(L, RuleId.LESSON_RECOMMENDATION_MISSING)
def recommendation_to_improve(ctx: CheckContext, lessons: Table) -> Iterator[Finding | None]:
    """A lesson To improve says what the next project should do."""
    rows = zip(lessons.col("type"), lessons.col("recommendation"), strict=True)
    for i, (kind, recommendation) in enumerate(rows):
        if kind == TO_IMPROVE and not (recommendation or "").strip():
            yield ctx.hit(RuleId.LESSON_RECOMMENDATION_MISSING, L, "recommendation", i)
