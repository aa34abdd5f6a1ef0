"""The rules' data: every rule's id, default severity, message template and documentation.

Split from :mod:`addin.core.rules` (the registry's machinery) because it is a long table.
Templates are ``str.format`` strings over the keyword arguments a check passes
(``field``, ``value`` and rule-specific names).
"""

from __future__ import annotations

from addin.core.rule_ids import Rule, RuleId
from addin.core.rule_table_resources import RESOURCE_RULES
from addin.core.severity import Severity

E, W = Severity.ERROR, Severity.WARNING

RULE_TABLE: tuple[Rule, ...] = (
    # -- files and structure ------------------------------------------------------------
    Rule(RuleId.FILE_UNREADABLE, E, "{reason}", "The file could not be opened or parsed."),
    Rule(
        RuleId.FILE_NOT_A_TRACKER,
        E,
        "{reason}",
        "Nothing in the workbook maps to the tracker standard.",
    ),
    Rule(
        RuleId.SHEET_MISSING,
        E,
        "{reason}",
        "A sheet of the standard is missing.",
    ),
    Rule(
        RuleId.SHEET_NO_HEADER,
        E,
        "{reason}",
        "A sheet was found but no header row in it maps to the standard.",
    ),
    Rule(
        RuleId.SHEET_IGNORED,
        W,
        "sheet not read: {reason}",
        "A sheet that looks like a table feeds nothing; the finding says why.",
    ),
    Rule(
        RuleId.MAPPING_APPLIED,
        W,
        "{what}, by the mapping in pmo.toml: {entry}",
        "A human mapping of pmo.toml ([[mapping]]) decided how a sheet or column was read.",
    ),
    Rule(
        RuleId.MAPPING_NOT_APPLIED,
        E,
        "the mapping in pmo.toml could not be applied, {entry}: {reason}",
        "A [[mapping]] of pmo.toml names a sheet, row or column this workbook does not have.",
    ),
    Rule(
        RuleId.WORKBOOK_SEVERAL_PROJECTS,
        W,
        "this workbook seems to hold several projects ({names}, listed on this sheet); "
        "it is read as one tracker: keep one tracker per project",
        "Plan sheets that each name another project, listed on a dashboard beside them.",
    ),
    Rule(
        RuleId.COLUMN_MISSING,
        E,
        "required column '{field}' not found in the header row (row {header_row})",
        "A required column could not be mapped from the header row.",
    ),
    Rule(
        RuleId.COLUMN_DUPLICATE,
        W,
        "column '{field}' appears twice; {used} is used, {ignored} is ignored",
        "Two headers map to the same field; the first is used.",
    ),
    Rule(
        RuleId.SHEET_TRUNCATED,
        W,
        "only the first {limit} {what} of this sheet were read",
        "A sheet is larger than the configured limit; the rest was not read.",
    ),
    Rule(
        RuleId.ROW_SECTION_HEADING,
        W,
        "row {row_number} looks like a section heading ('{value}'): only {field} is filled; "
        "not counted",
        "A row with only its name filled is a heading, not a record; it is left out.",
    ),
    Rule(
        RuleId.ROW_NOT_A_RECORD,
        W,
        "row {row_number} {why}: not counted",
        "A total line, or a row with values but no name and no ID, is not a record.",
    ),
    Rule(
        RuleId.VALUE_NOT_CALCULATED,
        E,
        "{field}: values not calculated: open and save in Excel (formula with no cached value)",
        "A formula cell has no cached value, so its value is unknown.",
    ),
    # -- values -------------------------------------------------------------------------
    Rule(RuleId.VALUE_REQUIRED, E, "{field} is required", "A required field is blank."),
    Rule(
        RuleId.VALUE_NOT_A_DATE,
        E,
        "{field} '{value}' is not a date",
        "A date field holds something else.",
    ),
    Rule(
        RuleId.VALUE_NOT_A_NUMBER,
        E,
        "{field} '{value}' is not a number",
        "A number field holds something else.",
    ),
    Rule(
        RuleId.VALUE_NOT_A_PERCENT,
        E,
        "{field} '{value}' is not a percentage (use 0-100 % or 0-1)",
        "A percentage field holds something else.",
    ),
    Rule(
        RuleId.VALUE_NOT_ALLOWED,
        E,
        "{field} '{value}' is not one of: {allowed}",
        "A dropdown field holds a value outside its list.",
    ),
    Rule(
        RuleId.VALUE_OUT_OF_RANGE,
        E,
        "{field} {value} {bound}",
        "A number is outside its allowed range.",
    ),
    Rule(
        RuleId.VALUE_TOO_LONG,
        W,
        "{field} is {length} characters long; kept the first {limit}",
        "Text over the cell limit.",
    ),
    # -- Project ------------------------------------------------------------------------
    Rule(
        RuleId.PROJECT_ID_FORMAT,
        E,
        "Project ID '{value}' should look like PRJ-0042 "
        "(2-5 capital letters, a hyphen, 3-6 digits)",
        "Project ID does not follow the portfolio's pattern.",
    ),
    Rule(
        RuleId.PROJECT_IDENTITY_INFERRED,
        W,
        "no Project block names the project: {what}; add Project ID and Project Name",
        "The project's name or ID was inferred (a label, a title, the sheet or file name).",
    ),
    Rule(
        RuleId.PROJECT_STATUS_DATE_FUTURE,
        E,
        "Status Date {value} is in the future (today is {today})",
        "The report is dated after the day it is read.",
    ),
    Rule(
        RuleId.PROJECT_BASELINE_BEFORE_START,
        E,
        "Baseline Finish {value} is before Start Date {start}",
        "Baseline Finish must be on or after Start Date.",
    ),
    Rule(
        RuleId.PROJECT_FORECAST_BEFORE_START,
        E,
        "Forecast Finish {value} is before Start Date {start}",
        "Forecast Finish must be on or after Start Date.",
    ),
    Rule(
        RuleId.PROJECT_RAG_COMMENT_REQUIRED,
        E,
        "RAG Comment is required when Reported RAG is {rag}",
        "An Amber or Red report must say why.",
    ),
    Rule(
        RuleId.PROJECT_CURRENCY_CODE,
        W,
        "Currency '{value}' is not a 3-letter ISO 4217 code",
        "Currency should be an ISO code such as GBP, EUR, USD.",
    ),
    Rule(
        RuleId.PROJECT_DUPLICATE_ID,
        E,
        "Project ID {value} is also used by {other}",
        "Two trackers in the portfolio claim the same Project ID.",
    ),
    Rule(
        RuleId.PROJECT_STALE,
        W,
        "Status Date {value} is {days} days before {as_of}: the report is stale",
        "The report is older than the configured age.",
    ),
    # -- Tasks --------------------------------------------------------------------------
    Rule(
        RuleId.TASK_DUPLICATE_ID,
        E,
        "Task ID '{value}' is used again (first in row {first})",
        "Task IDs are unique.",
    ),
    Rule(
        RuleId.TASK_FINISH_BEFORE_START,
        E,
        "Planned Finish {value} is before Planned Start {start}",
        "Planned Finish must be on or after Planned Start.",
    ),
    Rule(
        RuleId.TASK_ACTUAL_FINISH_BEFORE_START,
        E,
        "Actual Finish {value} is before Actual Start {start}",
        "Actual Finish must be on or after Actual Start.",
    ),
    Rule(
        RuleId.TASK_OWNER_REQUIRED,
        E,
        "Owner is required when Status is {status}",
        "Every task that has started or is planned to run needs an owner (all but Not Started).",
    ),
    Rule(
        RuleId.TASK_COMPLETE_NOT_100,
        E,
        "Status is Complete but % Complete is {value}",
        "A Complete task is 100 % complete.",
    ),
    Rule(
        RuleId.TASK_COMPLETE_WITHOUT_FINISH,
        E,
        "Status is Complete but Actual Finish is blank",
        "A Complete task has an Actual Finish.",
    ),
    Rule(
        RuleId.TASK_DONE_NOT_COMPLETE,
        E,
        "% Complete is 100 % and Actual Finish is set, but Status is {value}",
        "A task that is 100 % done and finished must be marked Complete.",
    ),
    Rule(
        RuleId.TASK_STARTED_NOT_STARTED,
        E,
        "Actual Start is set but Status is Not Started",
        "A task with an Actual Start has started.",
    ),
    Rule(
        RuleId.TASK_ACTUAL_AFTER_STATUS_DATE,
        E,
        "{field} {value} is after the Status Date {status_date}",
        "Actual dates cannot be in the future of the report.",
    ),
    # -- Milestones ---------------------------------------------------------------------
    Rule(
        RuleId.MILESTONE_DUPLICATE_ID,
        E,
        "Milestone ID '{value}' is used again (first in row {first})",
        "Milestone IDs are unique.",
    ),
    Rule(
        RuleId.MILESTONE_FORECAST_REQUIRED,
        E,
        "Forecast Date is required unless the milestone is Achieved",
        "An open milestone needs a forecast.",
    ),
    Rule(
        RuleId.MILESTONE_ACHIEVED_WITHOUT_DATE,
        W,
        "Status is Achieved but Actual Date is blank",
        "An Achieved milestone should record when.",
    ),
    Rule(
        RuleId.MILESTONE_ACTUAL_AFTER_STATUS_DATE,
        E,
        "Actual Date {value} is after the Status Date {status_date}",
        "Actual dates cannot be in the future of the report.",
    ),
    # -- Budget -------------------------------------------------------------------------
    Rule(
        RuleId.BUDGET_DUPLICATE_PERIOD,
        E,
        "Period {value} appears again (first in row {first})",
        "One row per month.",
    ),
    Rule(
        RuleId.BUDGET_PERIOD_NOT_MONTH_START,
        W,
        "Period {value} is not the first day of a month",
        "Periods are months, dated on their first day.",
    ),
    Rule(
        RuleId.BUDGET_ACTUAL_AFTER_STATUS_DATE,
        E,
        "Actual {value} is recorded for {period}, after the Status Date {status_date}",
        "Actual cost only for months up to the Status Date.",
    ),
    # -- RAID ---------------------------------------------------------------------------
    Rule(
        RuleId.RAID_DUPLICATE_ID,
        E,
        "RAID ID '{value}' is used again (first in row {first})",
        "RAID IDs are unique.",
    ),
    Rule(
        RuleId.RAID_OWNER_REQUIRED,
        E,
        "Owner is required while the item is {status}",
        "Open items need an owner.",
    ),
    Rule(
        RuleId.RAID_DUE_REQUIRED,
        E,
        "Due is required for an open {type}",
        "Open Risks and Issues need a due date.",
    ),
    Rule(
        RuleId.RAID_ACTION_REQUIRED,
        E,
        "Mitigation / Action is required for an open {severity} item",
        "Open High and Critical items need a mitigation or action.",
    ),
    Rule(
        RuleId.RAID_PROBABILITY_NOT_RISK,
        W,
        "Probability is only meaningful for Risks (this is {type})",
        "Probability applies to Risks only.",
    ),
    Rule(
        RuleId.RAID_SEVERITY_MISMATCH,
        W,
        "Severity {value} differs from Probability x Impact = {score} ({derived})",
        "A stated severity that disagrees with its scores deserves a second look.",
    ),
    Rule(
        RuleId.RAID_SEVERITY_MISSING,
        W,
        "Severity is blank and cannot be derived (Probability and Impact needed)",
        "An open item with no severity is not counted by the Risk RAG.",
    ),
    # -- lessons learned (v1.1) -----------------------------------------------------------
    Rule(
        RuleId.LESSON_DUPLICATE_ID,
        E,
        "Lesson ID '{value}' is used again (first in row {first})",
        "Lesson IDs are unique in a tracker.",
    ),
    Rule(
        RuleId.LESSON_DATE_AFTER_STATUS_DATE,
        W,
        "lesson dated {value}, after the Status Date {status_date}",
        "A lesson is learned by the Status Date, not after it.",
    ),
    Rule(
        RuleId.LESSON_RECOMMENDATION_MISSING,
        W,
        "a lesson To improve has no Recommendation: say what the next project should do",
        "A lesson to improve is only useful with a recommendation.",
    ),
    # -- Resources ----------------------------------------------------------------------
    *RESOURCE_RULES,
    # -- metrics ------------------------------------------------------------------------
    Rule(
        RuleId.METRIC_NOT_COMPUTABLE,
        W,
        "{metric} cannot be computed: {why}; it counts as none and sets no RAG",
        "A RAG metric's inputs give no finite number (a value far too large or too small).",
    ),
)
