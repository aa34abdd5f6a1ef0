"""Rule ids: every finding's stable id, as an enum (see :mod:`addin.core.rules`)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from addin.core.severity import Severity


class RuleId(StrEnum):
    """Every rule's stable id. Tests and code name rules by member, never by string."""

    FILE_UNREADABLE = "file.unreadable"
    FILE_NOT_A_TRACKER = "file.not_a_tracker"
    SHEET_MISSING = "sheet.missing"
    SHEET_NO_HEADER = "sheet.no_header"
    SHEET_IGNORED = "sheet.ignored"
    WORKBOOK_SEVERAL_PROJECTS = "workbook.several_projects"
    MAPPING_APPLIED = "mapping.applied"
    MAPPING_NOT_APPLIED = "mapping.not_applied"
    COLUMN_MISSING = "column.missing"
    COLUMN_DUPLICATE = "column.duplicate"
    SHEET_TRUNCATED = "sheet.truncated"
    ROW_SECTION_HEADING = "row.section_heading"
    ROW_NOT_A_RECORD = "row.not_a_record"
    VALUE_NOT_CALCULATED = "value.not_calculated"
    VALUE_REQUIRED = "value.required"
    VALUE_NOT_A_DATE = "value.not_a_date"
    VALUE_NOT_A_NUMBER = "value.not_a_number"
    VALUE_NOT_A_PERCENT = "value.not_a_percent"
    VALUE_NOT_ALLOWED = "value.not_allowed"
    VALUE_OUT_OF_RANGE = "value.out_of_range"
    VALUE_TOO_LONG = "value.too_long"
    PROJECT_ID_FORMAT = "project.id_format"
    PROJECT_IDENTITY_INFERRED = "identity.inferred"
    PROJECT_STATUS_DATE_FUTURE = "project.status_date_future"
    PROJECT_BASELINE_BEFORE_START = "project.baseline_before_start"
    PROJECT_FORECAST_BEFORE_START = "project.forecast_before_start"
    PROJECT_RAG_COMMENT_REQUIRED = "project.rag_comment_required"
    PROJECT_CURRENCY_CODE = "project.currency_code"
    PROJECT_DUPLICATE_ID = "project.duplicate_id"
    PROJECT_STALE = "project.stale"
    TASK_DUPLICATE_ID = "task.duplicate_id"
    TASK_FINISH_BEFORE_START = "task.finish_before_start"
    TASK_ACTUAL_FINISH_BEFORE_START = "task.actual_finish_before_start"
    TASK_OWNER_REQUIRED = "task.owner_required"
    TASK_COMPLETE_NOT_100 = "task.complete_not_100"
    TASK_COMPLETE_WITHOUT_FINISH = "task.complete_without_finish"
    TASK_DONE_NOT_COMPLETE = "task.done_not_complete"
    TASK_STARTED_NOT_STARTED = "task.started_not_started"
    TASK_ACTUAL_AFTER_STATUS_DATE = "task.actual_after_status_date"
    MILESTONE_DUPLICATE_ID = "milestone.duplicate_id"
    MILESTONE_FORECAST_REQUIRED = "milestone.forecast_required"
    MILESTONE_ACHIEVED_WITHOUT_DATE = "milestone.achieved_without_date"
    MILESTONE_ACTUAL_AFTER_STATUS_DATE = "milestone.actual_after_status_date"
    BUDGET_DUPLICATE_PERIOD = "budget.duplicate_period"
    BUDGET_PERIOD_NOT_MONTH_START = "budget.period_not_month_start"
    BUDGET_ACTUAL_AFTER_STATUS_DATE = "budget.actual_after_status_date"
    RAID_DUPLICATE_ID = "raid.duplicate_id"
    RAID_OWNER_REQUIRED = "raid.owner_required"
    RAID_DUE_REQUIRED = "raid.due_required"
    RAID_ACTION_REQUIRED = "raid.action_required"
    RAID_PROBABILITY_NOT_RISK = "raid.probability_not_risk"
    RAID_SEVERITY_MISMATCH = "raid.severity_mismatch"
    RAID_SEVERITY_MISSING = "raid.severity_missing"
    LESSON_DUPLICATE_ID = "lesson.duplicate_id"
    LESSON_DATE_AFTER_STATUS_DATE = "lesson.date_after_status_date"
    LESSON_RECOMMENDATION_MISSING = "lesson.recommendation_missing"
    RESOURCE_OVER_ALLOCATED = "resource.over_allocated"
    RESOURCE_UNKNOWN_PERSON = "resource.unknown_person"
    RESOURCE_UNASSIGNED_EFFORT = "resource.unassigned_effort"
    RESOURCE_AFTER_LEAVING = "resource.after_leaving"
    RESOURCE_PERIOD_HEADER = "resource.period_header"
    RESOURCE_NOT_READ = "resource.not_read"
    RESOURCE_DRAWN_IN_COLOUR = "resource.drawn_in_colour"
    METRIC_NOT_COMPUTABLE = "metric.not_computable"


@dataclass(frozen=True)
class Rule:
    """One rule: id, default severity, message template and a line of documentation."""

    id: RuleId
    severity: Severity
    template: str
    doc: str
