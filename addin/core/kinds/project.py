"""The Project block: one key/value block describing the project (TRACKER_SPEC v1)."""

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, ClassVar

from addin.core.kinds.spec import Field, Layout, Record, SheetKind, ValueType
from addin.core.quick_state import quick_state


@quick_state
@dataclass(frozen=True, slots=True, kw_only=True)
class Project(Record):
    """The ``Project`` sheet: one key/value block describing the project."""

    kind: ClassVar[str] = "Project"

    project_id: Annotated[
        str | None,
        Field(
            "Project ID",
            required=True,
            synonyms=("Project Code", "Project No", "Project Number", "Project Ref", "Project Id"),
            width=14,
            note="Letters, a hyphen and digits, e.g. PRJ-0042. Unique across the portfolio.",
        ),
    ] = None
    project_name: Annotated[
        str | None,
        Field(
            "Project Name",
            required=True,
            synonyms=("Project Title", "Project", "Name", "Title"),
            weak=("Name", "Title"),
        ),
    ] = None
    programme: Annotated[
        str | None,
        Field("Programme", synonyms=("Program", "Programme Name", "Program Name", "Portfolio")),
    ] = None
    sponsor: Annotated[
        str | None,
        Field("Sponsor", required=True, synonyms=("Project Sponsor", "Executive Sponsor")),
    ] = None
    project_manager: Annotated[
        str | None,
        Field(
            "Project Manager",
            required=True,
            synonyms=("PM", "Manager", "Project Lead", "Project Owner"),
        ),
    ] = None
    phase: Annotated[
        str | None,
        Field(
            "Phase",
            ValueType.CHOICE,
            required=True,
            synonyms=("Stage", "Project Phase"),
            choices="phase",
        ),
    ] = None
    status_date: Annotated[
        dt.date | None,
        Field(
            "Status Date",
            ValueType.DATE,
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
        dt.date | None,
        Field("Start Date", ValueType.DATE, required=True, synonyms=("Start", "Project Start")),
    ] = None
    baseline_finish: Annotated[
        dt.date | None,
        Field(
            "Baseline Finish",
            ValueType.DATE,
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
        dt.date | None,
        Field(
            "Forecast Finish",
            ValueType.DATE,
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
        float | None,
        Field(
            "Budget",
            ValueType.NUMBER,
            required=True,
            synonyms=("BAC", "Total Budget", "Budget at Completion", "Approved Budget"),
            note="Budget at completion (BAC), a number >= 0.",
            ge=0,
        ),
    ] = None
    currency: Annotated[str | None, Field("Currency", synonyms=("Currency Code",))] = None
    reported_rag: Annotated[
        str | None,
        Field(
            "Reported RAG",
            ValueType.CHOICE,
            required=True,
            synonyms=("RAG", "Status (RAG)", "RAG Status", "Overall RAG", "Overall Status"),
            choices="rag",
            note="Your own overall status: Red, Amber or Green.",
        ),
    ] = None
    rag_comment: Annotated[
        str | None,
        Field(
            "RAG Comment",
            synonyms=("RAG Commentary", "Status Comment", "Commentary", "Comment", "Comments"),
            width=60,
            note="Required unless Reported RAG is Green.",
        ),
    ] = None
    template_version: Annotated[str | None, Field("Template Version", synonyms=("Version",))] = None


KIND = SheetKind(
    key="Project",
    record=Project,
    layout=Layout.KEYVALUE,
    purpose="One value per line in column B; column C says what each line needs.",
    rule_prefix="project.",
    sheet_names=(
        "Project Info",
        "Project Details",
        "Project Summary",
        "Summary",
        "Overview",
        "Status Report",
    ),
)
