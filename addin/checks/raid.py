"""Checks of the RAID log (TRACKER_SPEC v1): governance of open items, consistent severity."""

from __future__ import annotations

from collections.abc import Iterator

from addin.checks.common import duplicates
from addin.checks.context import CheckContext
from addin.checks.registry import check
from addin.core.domain import RISK_TYPES, derived_severity, is_open, severity_of
from addin.core.findings import Finding
from addin.core.rules import RuleId
from addin.core.tracker import Table

R = "RAID"


@check(
    R,
    RuleId.RAID_OWNER_REQUIRED,
    RuleId.RAID_DUE_REQUIRED,
    RuleId.RAID_ACTION_REQUIRED,
    RuleId.RAID_SEVERITY_MISSING,
)
def open_items(ctx: CheckContext, items: Table) -> Iterator[Finding | None]:
    """Open items are governed: owner, due date, action, severity.

    An open item has an owner; an open Risk or Issue a due date; an open High or
    Critical one an action; an open risk or issue a severity (stated or derivable).
    """
    scores = ctx.settings.rag.severity
    rows = zip(
        items.col("status"),
        items.col("type"),
        items.col("owner"),
        items.col("due"),
        items.col("mitigation"),
        items.col("severity"),
        items.col("probability"),
        items.col("impact"),
        strict=True,
    )
    for i, (status, type_, owner, due, action, stated, probability, impact) in enumerate(rows):
        if not is_open(status):
            continue
        sheet = items.sheets[i]
        severity = severity_of(stated, probability, impact, scores)
        if not owner and ctx.mapped(R, "owner", sheet):
            yield ctx.hit(RuleId.RAID_OWNER_REQUIRED, R, "owner", i, None, status=status)
        if type_ in ("Risk", "Issue") and due is None and ctx.mapped(R, "due", sheet):
            yield ctx.hit(RuleId.RAID_DUE_REQUIRED, R, "due", i, None, type=type_)
        if severity in ("High", "Critical") and not action and ctx.mapped(R, "mitigation", sheet):
            yield ctx.hit(RuleId.RAID_ACTION_REQUIRED, R, "mitigation", i, None, severity=severity)
        if severity is None and type_ in RISK_TYPES:
            yield ctx.hit(RuleId.RAID_SEVERITY_MISSING, R, "severity", i)


@check(R, RuleId.RAID_PROBABILITY_NOT_RISK, RuleId.RAID_SEVERITY_MISMATCH)
def scores(ctx: CheckContext, items: Table) -> Iterator[Finding | None]:
    """Probability only for Risks; a stated Severity that agrees with Probability x Impact."""
    levels = ctx.settings.rag.severity
    rows = zip(
        items.col("type"),
        items.col("probability"),
        items.col("impact"),
        items.col("severity"),
        strict=True,
    )
    for i, (type_, probability, impact, stated) in enumerate(rows):
        if probability is not None and type_ not in (None, "Risk"):
            yield ctx.hit(
                RuleId.RAID_PROBABILITY_NOT_RISK, R, "probability", i, probability, type=type_
            )
        derived = derived_severity(probability, impact, levels)
        if stated is not None and derived is not None and derived != stated:
            yield ctx.hit(
                RuleId.RAID_SEVERITY_MISMATCH,
                R,
                "severity",
                i,
                stated,
                score=(probability or 0) * (impact or 0),
                derived=derived,
            )


@check(R, RuleId.RAID_DUPLICATE_ID)
def unique_ids(ctx: CheckContext, items: Table) -> Iterator[Finding | None]:
    """RAID IDs are unique in the file."""
    return duplicates(ctx, items, "raid_id", RuleId.RAID_DUPLICATE_ID)
