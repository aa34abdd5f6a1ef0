"""Checks of the Project block (TRACKER_SPEC v1): id format, dates in order, commentary."""

from __future__ import annotations

import re
from collections.abc import Iterator

from addin.checks.context import CheckContext
from addin.checks.registry import check
from addin.core.findings import Finding
from addin.core.rules import RuleId
from addin.core.tracker import Table

PROJECT_ID = re.compile(r"^[A-Z]{2,5}-\d{3,6}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")


@check("Project", RuleId.PROJECT_ID_FORMAT, RuleId.PROJECT_CURRENCY_CODE)
def formats(ctx: CheckContext, _: Table) -> Iterator[Finding | None]:
    """Project ID like PRJ-0042; Currency a three-letter ISO code."""
    p = ctx.project
    identity = ctx.result.identity
    given = identity is None or identity.id_from == "block"  # not the file name's stand-in
    if p.project_id is not None and given and not PROJECT_ID.match(p.project_id):
        yield ctx.hit(RuleId.PROJECT_ID_FORMAT, "Project", "project_id", 0, p.project_id)
    if p.currency is not None and not CURRENCY.match(p.currency):
        yield ctx.hit(RuleId.PROJECT_CURRENCY_CODE, "Project", "currency", 0, p.currency)


@check("Project", RuleId.PROJECT_BASELINE_BEFORE_START, RuleId.PROJECT_FORECAST_BEFORE_START)
def finish_after_start(ctx: CheckContext, _: Table) -> Iterator[Finding | None]:
    """Baseline and Forecast Finish on or after the Start Date."""
    p = ctx.project
    if p.start_date is None:
        return
    start = ctx.show(p.start_date)
    if p.baseline_finish is not None and p.baseline_finish < p.start_date:
        yield ctx.hit(
            RuleId.PROJECT_BASELINE_BEFORE_START,
            "Project",
            "baseline_finish",
            0,
            p.baseline_finish,
            start=start,
        )
    if p.forecast_finish is not None and p.forecast_finish < p.start_date:
        yield ctx.hit(
            RuleId.PROJECT_FORECAST_BEFORE_START,
            "Project",
            "forecast_finish",
            0,
            p.forecast_finish,
            start=start,
        )


@check("Project", RuleId.PROJECT_RAG_COMMENT_REQUIRED)
def rag_comment(ctx: CheckContext, _: Table) -> Iterator[Finding | None]:
    """A Red or Amber Reported RAG needs its RAG Comment."""
    p = ctx.project
    if p.reported_rag in ("Red", "Amber") and not p.rag_comment:
        yield ctx.hit(
            RuleId.PROJECT_RAG_COMMENT_REQUIRED, "Project", "rag_comment", 0, rag=p.reported_rag
        )
