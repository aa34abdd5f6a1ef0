"""The Resources rules' data (TRACKER_SPEC v1.1): a part of :mod:`addin.core.rule_table`.

Split from it to keep each table module short; the rows are the same kind of data.
"""

from __future__ import annotations

from addin.core.rule_ids import Rule, RuleId
from addin.core.severity import Severity

W = Severity.WARNING

RESOURCE_RULES: tuple[Rule, ...] = (
    Rule(
        RuleId.RESOURCE_OVER_ALLOCATED,
        W,
        "{person} is at {pct} of capacity in {period} ({level}: {demand} of {capacity} days): "
        "{projects}",
        "A person is allocated more than their capacity over all projects (RAG_RULES v2: above "
        "100 % Amber, above 120 % Red); one finding per person, at their worst period.",
    ),
    Rule(
        RuleId.RESOURCE_UNKNOWN_PERSON,
        W,
        "'{value}' is not in the capacity list{near}",
        "A person named in a tracker is not in the PMO's capacity list (near matches named).",
    ),
    Rule(
        RuleId.RESOURCE_UNASSIGNED_EFFORT,
        W,
        "{what} has no one to do it: {why}",
        "Planned effort with no Owner (a task) or no Person or Role (a Resources row).",
    ),
    Rule(
        RuleId.RESOURCE_AFTER_LEAVING,
        W,
        "{person} is allocated {days} days from {period} on, after their End date {end}",
        "A person is allocated after the End date the capacity list gives them.",
    ),
    Rule(
        RuleId.RESOURCE_PERIOD_HEADER,
        W,
        "column header '{value}' among the periods is not a period (a date, Jan-27, "
        "2027-W05): column not read",
        "A column between the period columns of a wide Resources sheet names no period.",
    ),
    Rule(
        RuleId.RESOURCE_NOT_READ,
        W,
        "resource plan not read: {reason}",
        "A sheet laid out as a resource plan whose allocations cannot be read, and why.",
    ),
    Rule(
        RuleId.RESOURCE_DRAWN_IN_COLOUR,
        W,
        "resource plan drawn in cell colour: {detail}",
        "A wide resource plan whose allocations are cell fills with no value: who and when "
        "are read, how much is unknown.",
    ),
)
