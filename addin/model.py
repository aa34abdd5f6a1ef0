"""The standard project tracker (TRACKER_SPEC v1) as typed models.

One model per sheet (:class:`Project`, :class:`Task`, :class:`Milestone`,
:class:`BudgetLine`, :class:`RaidItem`) and a :class:`Tracker` that holds them.
Every field carries a :class:`Column` in its ``Annotated`` metadata: the canonical
header the template writes, the synonyms the reader accepts, the kind of value
and whether the spec requires it. That metadata is the single source the
template, the reader, the validator and the portfolio workbook are built from
(see :mod:`addin.schema`).

The models check *types and ranges* (a Budget is a number >= 0, % Complete is a
fraction 0-1). Whether a value is *required*, allowed, or consistent with other
values is a validation rule with a stable id (:mod:`addin.core.rules`), so a tracker
with gaps can still be read and every gap pointed at.
"""

from __future__ import annotations

import datetime as dt
import math
import types
import typing
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from itertools import repeat
from typing import Annotated, Any, ClassVar, TypeVar

import annotated_types
from pydantic import BaseModel, ConfigDict, Field
from pydantic.fields import FieldInfo


class Kind(StrEnum):
    """How a column's cell values are read and written."""

    TEXT = "text"
    DATE = "date"
    NUMBER = "number"
    PERCENT = "percent"
    INTEGER = "integer"
    CHOICE = "choice"


@dataclass(frozen=True)
class Column:
    """What the spec says about one field: header, synonyms, kind, requirement.

    Attributes:
        header: Canonical header (or, on the Project sheet, label) as the template writes it.
        kind: How values are coerced and formatted.
        required: True when the spec requires the field unconditionally.
        synonyms: Other headers real trackers use for it (matched case- and space-insensitively).
        choices: For ``Kind.CHOICE``, the key of its allowed values in the settings.
        width: Column width in the template and the portfolio, in characters.
        note: One line of guidance shown as the template's input message.
    """

    header: str
    kind: Kind = Kind.TEXT
    required: bool = False
    synonyms: tuple[str, ...] = ()
    choices: str | None = None
    width: int = 14
    note: str = ""


class Rag(StrEnum):
    """A Red/Amber/Green status. Ordered worst first by :data:`RAG_ORDER`."""

    RED = "Red"
    AMBER = "Amber"
    GREEN = "Green"


#: Severity rank of a RAG: higher is worse.
RAG_ORDER: dict[str, int] = {Rag.GREEN: 0, Rag.AMBER: 1, Rag.RED: 2}


class Record(BaseModel):
    """Common base of the sheet models: strict about types, lenient about gaps."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        str_strip_whitespace=True,
        validate_default=False,
    )

    #: Key of the sheet this model reads (``Tasks``, ``Milestones`` ...).
    sheet: ClassVar[str] = ""

    row: int | None = Field(
        default=None,
        description="0-based row index of the record in its sheet (None if built in code).",
    )
    extra: dict[str, Any] = Field(
        default_factory=dict,
        description="Pass-through columns the spec does not name: header -> value.",
    )


Text = str | None
Date = dt.date | None
NonNegative = Annotated[float, Field(ge=0)] | None
Fraction = Annotated[float, Field(ge=0, le=1)] | None
Score = Annotated[int, Field(ge=1, le=5)] | None


class Project(Record):
    """The ``Project`` sheet: one key/value block describing the project."""

    sheet: ClassVar[str] = "Project"

    project_id: Annotated[
        Text,
        Column(
            "Project ID",
            required=True,
            synonyms=("Project Code", "Project No", "Project Number", "Project Ref", "Project Id"),
            width=14,
            note="Letters, a hyphen and digits, e.g. PRJ-0042. Unique across the portfolio.",
        ),
    ] = None
    project_name: Annotated[
        Text,
        Column(
            "Project Name", required=True, synonyms=("Project Title", "Project", "Name", "Title")
        ),
    ] = None
    programme: Annotated[
        Text,
        Column("Programme", synonyms=("Program", "Programme Name", "Program Name", "Portfolio")),
    ] = None
    sponsor: Annotated[
        Text, Column("Sponsor", required=True, synonyms=("Project Sponsor", "Executive Sponsor"))
    ] = None
    project_manager: Annotated[
        Text,
        Column(
            "Project Manager",
            required=True,
            synonyms=("PM", "Manager", "Project Lead", "Project Owner"),
        ),
    ] = None
    phase: Annotated[
        Text,
        Column(
            "Phase",
            Kind.CHOICE,
            required=True,
            synonyms=("Stage", "Project Phase"),
            choices="phase",
        ),
    ] = None
    status_date: Annotated[
        Date,
        Column(
            "Status Date",
            Kind.DATE,
            required=True,
            synonyms=(
                "As Of",
                "As of Date",
                "Report Date",
                "Reporting Date",
                "Status As Of",
                "Date of Report",
            ),
            note="The 'as of' date of this report. Not in the future.",
        ),
    ] = None
    start_date: Annotated[
        Date, Column("Start Date", Kind.DATE, required=True, synonyms=("Start", "Project Start"))
    ] = None
    baseline_finish: Annotated[
        Date,
        Column(
            "Baseline Finish",
            Kind.DATE,
            required=True,
            synonyms=(
                "Baseline End",
                "Baseline Finish Date",
                "Original Finish",
                "Planned Finish",
                "Planned End",
            ),
        ),
    ] = None
    forecast_finish: Annotated[
        Date,
        Column(
            "Forecast Finish",
            Kind.DATE,
            required=True,
            synonyms=(
                "Forecast End",
                "Forecast Finish Date",
                "Expected Finish",
                "Estimated Finish",
            ),
        ),
    ] = None
    budget: Annotated[
        NonNegative,
        Column(
            "Budget",
            Kind.NUMBER,
            required=True,
            synonyms=("BAC", "Total Budget", "Budget at Completion", "Approved Budget"),
            note="Budget at completion (BAC), a number >= 0.",
        ),
    ] = None
    currency: Annotated[Text, Column("Currency", synonyms=("Currency Code",))] = None
    reported_rag: Annotated[
        Text,
        Column(
            "Reported RAG",
            Kind.CHOICE,
            required=True,
            synonyms=("RAG", "Status (RAG)", "RAG Status", "Overall RAG", "Overall Status"),
            choices="rag",
            note="Your own overall status: Red, Amber or Green.",
        ),
    ] = None
    rag_comment: Annotated[
        Text,
        Column(
            "RAG Comment",
            synonyms=("RAG Commentary", "Status Comment", "Commentary", "Comment", "Comments"),
            width=60,
            note="Required unless Reported RAG is Green.",
        ),
    ] = None
    template_version: Annotated[Text, Column("Template Version", synonyms=("Version",))] = None


class Task(Record):
    """One row of the ``Tasks`` table."""

    sheet: ClassVar[str] = "Tasks"

    task_id: Annotated[
        Text,
        Column(
            "Task ID",
            required=True,
            synonyms=("ID", "Task #", "Task No", "Task Ref", "#"),
            width=10,
        ),
    ] = None
    wbs: Annotated[
        Text, Column("WBS", synonyms=("WBS Code", "WBS No", "Outline Number"), width=8)
    ] = None
    task_name: Annotated[
        Text,
        Column(
            "Task Name",
            required=True,
            synonyms=("Task", "Activity", "Task Description", "Description", "Deliverable", "Name"),
            width=40,
        ),
    ] = None
    owner: Annotated[
        Text,
        Column(
            "Owner",
            synonyms=(
                "Responsible",
                "Assigned To",
                "Assignee",
                "Task Owner",
                "Resource",
                "Resourcing",
                "Lead",
            ),
            width=18,
            note="Required unless Status is Not Started.",
        ),
    ] = None
    planned_start: Annotated[
        Date,
        Column(
            "Planned Start",
            Kind.DATE,
            required=True,
            synonyms=("Start", "Start Date", "Plan Start", "Baseline Start", "Begin"),
        ),
    ] = None
    planned_finish: Annotated[
        Date,
        Column(
            "Planned Finish",
            Kind.DATE,
            required=True,
            synonyms=(
                "Due Date",
                "Finish",
                "End Date",
                "End",
                "Deadline",
                "Target Date",
                "Due",
                "Plan Finish",
                "Planned End",
                "Finish Date",
            ),
            note="On or after Planned Start.",
        ),
    ] = None
    actual_start: Annotated[
        Date,
        Column(
            "Actual Start", Kind.DATE, synonyms=("Date Started", "Actual Start Date", "Started")
        ),
    ] = None
    actual_finish: Annotated[
        Date,
        Column(
            "Actual Finish",
            Kind.DATE,
            synonyms=(
                "Date Completed",
                "Actual Finish Date",
                "Actual End",
                "Completion Date",
                "Completed On",
            ),
            note="On or after Actual Start; set when the task is Complete.",
        ),
    ] = None
    pct_complete: Annotated[
        Fraction,
        Column(
            "% Complete",
            Kind.PERCENT,
            synonyms=(
                "% Done",
                "Progress",
                "Pct Complete",
                "Percent Complete",
                "% Completed",
                "Complete %",
                "Progress %",
                "Complete",
            ),
            width=11,
            note="0% to 100%.",
        ),
    ] = None
    status: Annotated[
        Text,
        Column(
            "Status",
            Kind.CHOICE,
            synonyms=("Task Status", "State"),
            choices="task_status",
            width=13,
        ),
    ] = None
    budget: Annotated[
        NonNegative,
        Column(
            "Budget",
            Kind.NUMBER,
            synonyms=("Cost", "Planned Cost", "Task Budget", "Budgeted Cost"),
            note="The task's share of the project budget (used for earned value).",
        ),
    ] = None
    notes: Annotated[
        Text, Column("Notes", synonyms=("Comments", "Comment", "Remarks"), width=40)
    ] = None


class Milestone(Record):
    """One row of the ``Milestones`` table."""

    sheet: ClassVar[str] = "Milestones"

    milestone_id: Annotated[
        Text,
        Column(
            "Milestone ID",
            required=True,
            synonyms=("ID", "MS ID", "Milestone #", "Ref", "#"),
            width=12,
        ),
    ] = None
    milestone: Annotated[
        Text,
        Column(
            "Milestone",
            required=True,
            synonyms=("Milestone Name", "Name", "Description", "Title"),
            width=40,
        ),
    ] = None
    baseline_date: Annotated[
        Date,
        Column(
            "Baseline Date",
            Kind.DATE,
            required=True,
            synonyms=(
                "Baseline",
                "Original Date",
                "Planned Date",
                "Baseline Due",
                "Due Date",
                "Due",
                "Target Date",
                "Date",
            ),
        ),
    ] = None
    forecast_date: Annotated[
        Date,
        Column(
            "Forecast Date",
            Kind.DATE,
            synonyms=("Forecast", "Expected Date", "Revised Date", "Current Forecast"),
            note="Required unless the milestone is Achieved.",
        ),
    ] = None
    actual_date: Annotated[
        Date,
        Column(
            "Actual Date",
            Kind.DATE,
            synonyms=("Actual", "Achieved Date", "Date Achieved", "Achieved On"),
        ),
    ] = None
    status: Annotated[
        Text,
        Column(
            "Status",
            Kind.CHOICE,
            synonyms=("Milestone Status", "State"),
            choices="milestone_status",
        ),
    ] = None
    owner: Annotated[
        Text, Column("Owner", synonyms=("Responsible", "Assigned To", "Accountable"), width=18)
    ] = None


class BudgetLine(Record):
    """One row (one month) of the ``Budget`` table."""

    sheet: ClassVar[str] = "Budget"

    period: Annotated[
        Date,
        Column(
            "Period",
            Kind.DATE,
            required=True,
            synonyms=("Month", "Period Start", "Month Start"),
            note="The first day of the month.",
        ),
    ] = None
    planned: Annotated[
        NonNegative,
        Column("Planned", Kind.NUMBER, synonyms=("Plan", "Planned Cost", "Budgeted", "Baseline")),
    ] = None
    actual: Annotated[
        NonNegative,
        Column(
            "Actual",
            Kind.NUMBER,
            synonyms=("Actuals", "Actual Cost", "Spend", "Actual Spend", "Spent"),
            note="Only for months up to the Status Date.",
        ),
    ] = None
    forecast: Annotated[
        NonNegative,
        Column("Forecast", Kind.NUMBER, synonyms=("Forecast Cost", "Estimate", "Projected")),
    ] = None


class RaidItem(Record):
    """One row of the ``RAID`` log (Risks, Assumptions, Issues, Dependencies)."""

    sheet: ClassVar[str] = "RAID"

    raid_id: Annotated[
        Text,
        Column(
            "ID",
            required=True,
            synonyms=("RAID ID", "Ref", "Risk ID", "Item ID", "#", "No"),
            width=10,
        ),
    ] = None
    type: Annotated[
        Text,
        Column(
            "Type",
            Kind.CHOICE,
            synonyms=("RAID Type", "RAID Category", "Category", "Item Type"),
            choices="raid_type",
            width=13,
        ),
    ] = None
    title: Annotated[
        Text,
        Column(
            "Title",
            required=True,
            synonyms=(
                "Description",
                "Summary",
                "Risk",
                "Issue",
                "Item",
                "Risk Description",
                "Issue Description",
                "Risk Title",
                "Issue Title",
                "Item Description",
            ),
            width=40,
        ),
    ] = None
    owner: Annotated[
        Text,
        Column(
            "Owner",
            synonyms=("Responsible", "Assigned To", "Action Owner"),
            width=18,
            note="Required when open.",
        ),
    ] = None
    raised: Annotated[
        Date,
        Column(
            "Raised",
            Kind.DATE,
            synonyms=("Date Raised", "Raised Date", "Date Logged", "Date Identified"),
        ),
    ] = None
    due: Annotated[
        Date,
        Column(
            "Due",
            Kind.DATE,
            synonyms=(
                "Due Date",
                "Target Date",
                "Deadline",
                "Review Date",
                "Target Resolution Date",
            ),
            note="Required for open Risks and Issues.",
        ),
    ] = None
    probability: Annotated[
        Score,
        Column(
            "Probability",
            Kind.INTEGER,
            synonyms=("Likelihood", "Prob"),
            width=11,
            note="1 (low) to 5 (high).",
        ),
    ] = None
    impact: Annotated[
        Score, Column("Impact", Kind.INTEGER, width=9, note="1 (low) to 5 (high).")
    ] = None
    severity: Annotated[
        Text,
        Column(
            "Severity",
            Kind.CHOICE,
            synonyms=("Priority", "Rating", "Risk Level", "Risk Rating"),
            choices="severity",
            width=11,
            note="Leave blank to derive it from Probability x Impact.",
        ),
    ] = None
    status: Annotated[
        Text,
        Column(
            "Status",
            Kind.CHOICE,
            synonyms=("RAID Status", "State"),
            choices="raid_status",
            width=12,
        ),
    ] = None
    mitigation: Annotated[
        Text,
        Column(
            "Mitigation / Action",
            synonyms=(
                "Mitigation",
                "Action",
                "Actions",
                "Mitigation Action",
                "Mitigation Plan",
                "Response",
            ),
            width=40,
            note="Required for open High or Critical items.",
        ),
    ] = None


#: The table models, in the order of the workbook's sheets.
TABLE_MODELS: tuple[type[Record], ...] = (Task, Milestone, BudgetLine, RaidItem)


class Tracker(BaseModel):
    """One project's tracker: the Project block and its four tables."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    project: Project = Field(default_factory=Project)
    tasks: list[Task] = Field(default_factory=list)
    milestones: list[Milestone] = Field(default_factory=list)
    budget: list[BudgetLine] = Field(default_factory=list)
    raid: list[RaidItem] = Field(default_factory=list)

    def rows(self, sheet: str) -> Sequence[Record]:
        """Return the records of a table by its sheet key (``Tasks``, ``RAID`` ...)."""
        tables: dict[str, Sequence[Record]] = {
            "Tasks": self.tasks,
            "Milestones": self.milestones,
            "Budget": self.budget,
            "RAID": self.raid,
        }
        return tables[sheet]


# --- building records from values already checked ---------------------------------------------
#
# Validating a record through pydantic costs a few microseconds, and a tracker has hundreds.
# The reader's coercion already produces values of the right type, so for most cells the model
# would accept the value unchanged. :func:`plain_types` says, per field, which values those are
# (an exact type, inclusive bounds, no surrounding whitespace to strip); :func:`rejected` finds
# the values of a column that are not such values; records whose values all pass are built with
# :func:`build_checked`, and every other record still goes through ``model_validate``.

_NONE = type(None)
#: Model settings whose effect on plain values :func:`rejected` reproduces.
_KNOWN_CONFIG = frozenset({"frozen", "extra", "str_strip_whitespace", "validate_default"})
_PLAIN_BASES = (str, float, int, dt.date)


@dataclass(frozen=True)
class PlainType:
    """Values a field keeps exactly as given: one exact type, optional inclusive bounds.

    Attributes:
        type: The exact Python type (``str``, ``float``, ``int`` or ``datetime.date``).
        ge: Inclusive lower bound, or None.
        le: Inclusive upper bound, or None.
        strip: True when the model strips whitespace around text (so text with any must be
            validated).
    """

    type: type
    ge: float | None = None
    le: float | None = None
    strip: bool = False


def _plain_type(info: FieldInfo, strip: bool) -> PlainType | None:
    if any(not isinstance(m, Column) for m in info.metadata):
        return None  # constraints on the field itself: leave them to pydantic
    annotation = info.annotation
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation) if origin in (typing.Union, types.UnionType) else ()
    others = [a for a in args if a is not _NONE]
    if len(args) != 2 or len(others) != 1:
        return None  # only "T | None" fields
    base = others[0]
    ge = le = None
    if typing.get_origin(base) is Annotated:
        base, *extras = typing.get_args(base)
        for extra in extras:
            if not isinstance(extra, FieldInfo):
                return None
            for constraint in extra.metadata:
                bound = getattr(constraint, "ge", getattr(constraint, "le", None))
                if type(bound) not in (int, float):
                    return None
                if isinstance(constraint, annotated_types.Ge):
                    ge = bound
                elif isinstance(constraint, annotated_types.Le):
                    le = bound
                else:
                    return None
    if base not in _PLAIN_BASES or (base is str and (ge is not None or le is not None)):
        return None
    return PlainType(base, ge, le, strip and base is str)


@cache
def plain_types(model: type[BaseModel]) -> dict[str, PlainType | None]:
    """Field name -> the values the model keeps unchanged (None: always validate that field).

    Empty when the model has validators or settings this module does not reproduce.
    """
    config = model.model_config
    decorators = model.__pydantic_decorators__
    if (
        not _SETTERS
        or not set(config) <= _KNOWN_CONFIG
        or decorators.validators
        or decorators.field_validators
        or decorators.root_validators
        or decorators.model_validators
        or model.__pydantic_post_init__ is not None
        or model.__pydantic_root_model__
        or model.__new__ is not object.__new__
        or model.__private_attributes__
        or any(info.is_required() for info in model.model_fields.values())
    ):
        return {}
    strip = bool(config.get("str_strip_whitespace"))
    return {name: _plain_type(info, strip) for name, info in model.model_fields.items()}


def _all_plain(plain: PlainType, values: list[Any]) -> bool:
    """True when every value (all of exactly ``plain.type``) is kept unchanged by the model."""
    if not values:
        return True
    if plain.type is str:
        if plain.strip and list(map(str.strip, values)) != values:
            return False
        joined = "".join(values)
        if not joined.isascii():
            try:  # pydantic refuses text that is not valid Unicode (lone surrogates)
                joined.encode("utf-8")
            except UnicodeEncodeError:
                return False
        return True
    if plain.type is float and not all(map(math.isfinite, values)):
        return False
    if plain.ge is not None and min(values) < plain.ge:
        return False
    return not (plain.le is not None and max(values) > plain.le)


def rejected(plain: PlainType | None, column: Sequence[Any]) -> list[int]:
    """Indexes of a column's values that the model might refuse or change (None always passes).

    Args:
        plain: The field's :class:`PlainType` (None: every non-None value is reported).
        column: The field's values, one per record.
    """
    if plain is None:
        return [i for i, v in enumerate(column) if v is not None]
    kinds = set(map(type, column))
    if kinds <= {plain.type, _NONE}:
        if plain.type is dt.date:  # nothing more to check
            return []
        present = [v for v in column if v is not None] if _NONE in kinds else list(column)
        if _all_plain(plain, present):
            return []
    return [
        i
        for i, v in enumerate(column)
        if v is not None and not (type(v) is plain.type and _all_plain(plain, [v]))
    ]


RecordT = TypeVar("RecordT", bound=BaseModel)
_SLOTS = ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__")


def _slot_setters() -> tuple[Any, ...]:
    """Setters of the instance slots every pydantic v2 model has (as model_construct() sets them).

    Empty when this pydantic lays its models out otherwise: then :func:`plain_types` turns
    the fast path off and every record is validated.
    """
    try:
        return tuple(BaseModel.__dict__[name].__set__ for name in _SLOTS)
    except (KeyError, AttributeError):
        return ()


_SETTERS = _slot_setters()
_SET_DICT, _SET_FIELDS_SET, _SET_EXTRA, _SET_PRIVATE = _SETTERS or (None,) * 4
_new = object.__new__


def build_checked(model: type[RecordT], values: dict[str, Any], fields_set: set[str]) -> RecordT:
    """Build a record from values the model would accept unchanged, without validating them.

    The caller proves that first, field by field, with :func:`rejected`. The record is the
    one ``model.model_validate`` would return for the same input: ``values`` holds every
    field in declaration order (defaults for those not given) and ``fields_set`` the names
    that were given.
    """
    record = _new(model)
    _SET_DICT(record, values)
    _SET_FIELDS_SET(record, fields_set)
    _SET_EXTRA(record, None)
    _SET_PRIVATE(record, None)
    return record


def build_checked_many(
    model: type[RecordT], rows: Sequence[dict[str, Any]], fields_set: set[str]
) -> list[RecordT]:
    """:func:`build_checked` for many records given the same fields (each gets its own set)."""
    n = len(rows)
    records: list[RecordT] = list(map(_new, repeat(model, n)))
    for set_slot, values in (
        (_SET_DICT, rows),
        (_SET_FIELDS_SET, map(set.copy, repeat(fields_set, n))),
        (_SET_EXTRA, repeat(None, n)),
        (_SET_PRIVATE, repeat(None, n)),
    ):
        deque(map(set_slot, records, values), maxlen=0)  # runs the map at C speed
    return records
