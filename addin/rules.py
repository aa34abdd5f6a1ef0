"""The rule registry: every finding's stable id, default severity and message template.

Tests assert rule ids, never wording. Settings can re-level a rule or switch it
off (``[rules]`` in ``pmo.toml``); :class:`RuleBook` applies that when a finding is
made. Templates are ``str.format`` strings over the keyword arguments the caller
passes (``field``, ``value`` and rule-specific names).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from addin.findings import Finding, Severity
from addin.words import one_line


@dataclass(frozen=True)
class Rule:
    """One rule: id, default severity, message template and a line of documentation."""

    id: str
    severity: Severity
    template: str
    doc: str


E, W = Severity.ERROR, Severity.WARNING

_RULES = (
    # -- files and structure ------------------------------------------------------------
    Rule("file.unreadable", E, "{reason}", "The file could not be opened or parsed."),
    Rule(
        "file.not_a_tracker", E, "{reason}", "Nothing in the workbook maps to the tracker standard."
    ),
    Rule(
        "sheet.missing",
        E,
        "{reason}",
        "A sheet of the standard is missing.",
    ),
    Rule(
        "sheet.no_header",
        E,
        "{reason}",
        "A sheet was found but no header row in it maps to the standard.",
    ),
    Rule(
        "column.missing",
        E,
        "required column '{field}' not found in the header row (row {header_row})",
        "A required column could not be mapped from the header row.",
    ),
    Rule(
        "column.duplicate",
        W,
        "column '{field}' appears twice; {used} is used, {ignored} is ignored",
        "Two headers map to the same field; the first is used.",
    ),
    Rule(
        "sheet.truncated",
        W,
        "only the first {limit} {what} of this sheet were read",
        "A sheet is larger than the configured limit; the rest was not read.",
    ),
    Rule(
        "row.section_heading",
        W,
        "row {row_number} looks like a section heading ('{value}'): only {field} is filled; "
        "not counted",
        "A row with only its name filled is a heading, not a record; it is left out.",
    ),
    Rule(
        "value.not_calculated",
        E,
        "{field}: values not calculated: open and save in Excel (formula with no cached value)",
        "A formula cell has no cached value, so its value is unknown.",
    ),
    # -- values -------------------------------------------------------------------------
    Rule("value.required", E, "{field} is required", "A required field is blank."),
    Rule(
        "value.not_a_date",
        E,
        "{field} '{value}' is not a date",
        "A date field holds something else.",
    ),
    Rule(
        "value.not_a_number",
        E,
        "{field} '{value}' is not a number",
        "A number field holds something else.",
    ),
    Rule(
        "value.not_a_percent",
        E,
        "{field} '{value}' is not a percentage (use 0-100 % or 0-1)",
        "A percentage field holds something else.",
    ),
    Rule(
        "value.not_allowed",
        E,
        "{field} '{value}' is not one of: {allowed}",
        "A dropdown field holds a value outside its list.",
    ),
    Rule(
        "value.out_of_range", E, "{field} {value} {bound}", "A number is outside its allowed range."
    ),
    Rule(
        "value.too_long",
        W,
        "{field} is {length} characters long; kept the first {limit}",
        "Text over the cell limit.",
    ),
    # -- Project ------------------------------------------------------------------------
    Rule(
        "project.id_format",
        E,
        "Project ID '{value}' should look like PRJ-0042 "
        "(2-5 capital letters, a hyphen, 3-6 digits)",
        "Project ID does not follow the portfolio's pattern.",
    ),
    Rule(
        "project.status_date_future",
        E,
        "Status Date {value} is in the future (today is {today})",
        "The report is dated after the day it is read.",
    ),
    Rule(
        "project.baseline_before_start",
        E,
        "Baseline Finish {value} is before Start Date {start}",
        "Baseline Finish must be on or after Start Date.",
    ),
    Rule(
        "project.forecast_before_start",
        E,
        "Forecast Finish {value} is before Start Date {start}",
        "Forecast Finish must be on or after Start Date.",
    ),
    Rule(
        "project.rag_comment_required",
        E,
        "RAG Comment is required when Reported RAG is {rag}",
        "An Amber or Red report must say why.",
    ),
    Rule(
        "project.currency_code",
        W,
        "Currency '{value}' is not a 3-letter ISO 4217 code",
        "Currency should be an ISO code such as GBP, EUR, USD.",
    ),
    Rule(
        "project.duplicate_id",
        E,
        "Project ID {value} is also used by {other}",
        "Two trackers in the portfolio claim the same Project ID.",
    ),
    Rule(
        "project.stale",
        W,
        "Status Date {value} is {days} days before {as_of}: the report is stale",
        "The report is older than the configured age.",
    ),
    # -- Tasks --------------------------------------------------------------------------
    Rule(
        "task.duplicate_id",
        E,
        "Task ID '{value}' is used again (first in row {first})",
        "Task IDs are unique.",
    ),
    Rule(
        "task.finish_before_start",
        E,
        "Planned Finish {value} is before Planned Start {start}",
        "Planned Finish must be on or after Planned Start.",
    ),
    Rule(
        "task.actual_finish_before_start",
        E,
        "Actual Finish {value} is before Actual Start {start}",
        "Actual Finish must be on or after Actual Start.",
    ),
    Rule(
        "task.owner_required",
        E,
        "Owner is required when Status is {status}",
        "Every task that has started or is planned to run needs an owner (all but Not Started).",
    ),
    Rule(
        "task.complete_not_100",
        E,
        "Status is Complete but % Complete is {value}",
        "A Complete task is 100 % complete.",
    ),
    Rule(
        "task.complete_without_finish",
        E,
        "Status is Complete but Actual Finish is blank",
        "A Complete task has an Actual Finish.",
    ),
    Rule(
        "task.done_not_complete",
        E,
        "% Complete is 100 % and Actual Finish is set, but Status is {value}",
        "A task that is 100 % done and finished must be marked Complete.",
    ),
    Rule(
        "task.started_not_started",
        E,
        "Actual Start is set but Status is Not Started",
        "A task with an Actual Start has started.",
    ),
    Rule(
        "task.actual_after_status_date",
        E,
        "{field} {value} is after the Status Date {status_date}",
        "Actual dates cannot be in the future of the report.",
    ),
    # -- Milestones ---------------------------------------------------------------------
    Rule(
        "milestone.duplicate_id",
        E,
        "Milestone ID '{value}' is used again (first in row {first})",
        "Milestone IDs are unique.",
    ),
    Rule(
        "milestone.forecast_required",
        E,
        "Forecast Date is required unless the milestone is Achieved",
        "An open milestone needs a forecast.",
    ),
    Rule(
        "milestone.achieved_without_date",
        W,
        "Status is Achieved but Actual Date is blank",
        "An Achieved milestone should record when.",
    ),
    Rule(
        "milestone.actual_after_status_date",
        E,
        "Actual Date {value} is after the Status Date {status_date}",
        "Actual dates cannot be in the future of the report.",
    ),
    # -- Budget -------------------------------------------------------------------------
    Rule(
        "budget.duplicate_period",
        E,
        "Period {value} appears again (first in row {first})",
        "One row per month.",
    ),
    Rule(
        "budget.period_not_month_start",
        W,
        "Period {value} is not the first day of a month",
        "Periods are months, dated on their first day.",
    ),
    Rule(
        "budget.actual_after_status_date",
        E,
        "Actual {value} is recorded for {period}, after the Status Date {status_date}",
        "Actual cost only for months up to the Status Date.",
    ),
    # -- RAID ---------------------------------------------------------------------------
    Rule(
        "raid.duplicate_id",
        E,
        "RAID ID '{value}' is used again (first in row {first})",
        "RAID IDs are unique.",
    ),
    Rule(
        "raid.owner_required",
        E,
        "Owner is required while the item is {status}",
        "Open items need an owner.",
    ),
    Rule(
        "raid.due_required",
        E,
        "Due is required for an open {type}",
        "Open Risks and Issues need a due date.",
    ),
    Rule(
        "raid.action_required",
        E,
        "Mitigation / Action is required for an open {severity} item",
        "Open High and Critical items need a mitigation or action.",
    ),
    Rule(
        "raid.probability_not_risk",
        W,
        "Probability is only meaningful for Risks (this is {type})",
        "Probability applies to Risks only.",
    ),
    Rule(
        "raid.severity_mismatch",
        W,
        "Severity {value} differs from Probability x Impact = {score} ({derived})",
        "A stated severity that disagrees with its scores deserves a second look.",
    ),
    Rule(
        "raid.severity_missing",
        W,
        "Severity is blank and cannot be derived (Probability and Impact needed)",
        "An open item with no severity is not counted by the Risk RAG.",
    ),
    # -- metrics ------------------------------------------------------------------------
    Rule(
        "metric.not_computable",
        W,
        "{metric} cannot be computed: {why}; it counts as none and sets no RAG",
        "A RAG metric's inputs give no finite number (a value far too large or too small).",
    ),
)

#: Every rule by id.
RULES: dict[str, Rule] = {r.id: r for r in _RULES}


class _Params(dict[str, Any]):
    """Template parameters; a placeholder nobody filled shows as ``?`` instead of raising."""

    def __missing__(self, key: str) -> str:
        return "?"


class RuleBook:
    """The rules as a run applies them: defaults, re-levelled or switched off by settings."""

    def __init__(self, levels: dict[str, str] | None = None) -> None:
        self._levels: dict[str, Severity | None] = {}
        for rule_id, level in (levels or {}).items():
            if rule_id not in RULES:
                raise KeyError(f"unknown rule id {rule_id!r}")
            self._levels[rule_id] = None if level == "off" else Severity(level)

    def severity(self, rule_id: str) -> Severity | None:
        """Return the severity of a rule in this run, or None when it is switched off."""
        if rule_id in self._levels:
            return self._levels[rule_id]
        return RULES[rule_id].severity

    def finding(
        self,
        rule_id: str,
        *,
        file: str = "",
        sheet: str = "",
        row: int | None = None,
        col: int | None = None,
        field: str = "",
        value: str = "",
        **params: Any,
    ) -> Finding | None:
        """Make a finding for ``rule_id``, or return None when the rule is switched off.

        ``field`` and ``value`` fill the message template too; extra keyword arguments
        fill the rule's own placeholders.
        """
        severity = self.severity(rule_id)
        if severity is None:
            return None
        params = _Params(field=field, value=value, **params)
        message = one_line(RULES[rule_id].template.format_map(params))
        return Finding(
            rule=rule_id,
            severity=severity,
            message=message,
            file=file,
            sheet=sheet,
            row=row,
            col=col,
            field=field,
            value=value,
        )
