"""Lessons learned: what a project learned, for the projects after it (TRACKER_SPEC v1.1).

An optional table: a tracker without a Lessons sheet is as valid as before. Its rows go
to the portfolio's ``Lessons`` sheet and into the history database, where
``pmo lessons search`` finds them by full text.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, ClassVar

from addin.core.kinds.spec import Anchor, Field, Layout, Record, SheetKind, ValueType


@dataclass(frozen=True, slots=True, kw_only=True)
class Lesson(Record):
    """One row of the ``Lessons`` table."""

    kind: ClassVar[str] = "Lessons"

    lesson_id: Annotated[
        str | None,
        Field("ID", synonyms=("Lesson ID", "Ref", "#", "No", "LL ID"), width=10),
    ] = None
    date: Annotated[
        dt.date | None,
        Field(
            "Date",
            ValueType.DATE,
            synonyms=("Date Raised", "Date Logged", "Date Identified", "Logged"),
        ),
    ] = None
    category: Annotated[
        str | None,
        Field(
            "Category",
            ValueType.CHOICE,
            required=True,
            synonyms=("Area", "Lesson Category", "Theme", "Knowledge Area"),
            choices="lesson_category",
            width=14,
        ),
    ] = None
    type: Annotated[
        str | None,
        Field(
            "Type",
            ValueType.CHOICE,
            synonyms=(
                "Lesson Type",
                "Went Well / To Improve",
                "Outcome",
                "Win / Issue",
                "Win / Loss",
                "Positive / Negative",
                "Success / Issue",
                "Went Well / Could Improve",
            ),
            choices="lesson_type",
            width=12,
            note="Went well, or To improve.",
        ),
    ] = None
    lesson: Annotated[
        str | None,
        Field(
            "Lesson",
            required=True,
            synonyms=(
                "Lesson Learned",
                "Lessons Learned",
                "Lesson Learnt",
                "Lessons Learnt",
                "Lesson Description",
                "Observation",
                "What Happened",
                "Describe What Happened",
                "Description of What Happened",
                "What Was Learned",
                "What We Learned",
                "Event Description",
                "Situation",
            ),
            width=50,
            note="What happened, and what it taught us.",
        ),
    ] = None
    recommendation: Annotated[
        str | None,
        Field(
            "Recommendation",
            synonyms=(
                "Recommendations",
                "Recommended Action",
                "Next Time",
                "What To Do Differently",
                "How Does This Change Future Projects",
                "For Future Projects",
                "Recommendation for Future Projects",
                "Future Recommendation",
                "Suggested Improvement",
                "What Would You Do Differently",
            ),
            width=50,
            note="What the next project should do. Expected for a lesson To improve.",
        ),
    ] = None
    owner: Annotated[
        str | None,
        Field("Owner", synonyms=("Raised By", "Author", "Submitted By"), width=18),
    ] = None
    tags: Annotated[
        str | None,
        Field("Tags", synonyms=("Keywords", "Labels"), width=24, note="Words to find it by."),
    ] = None


KIND = SheetKind(
    key="Lessons",
    record=Lesson,
    layout=Layout.TABLE,
    sheet_names=(
        "Lessons Learned",
        "Lessons Learnt",
        "Lesson Log",
        "Lessons Log",
        "Lessons Learned Log",
        "LL",
    ),
    anchor=Anchor(
        "lesson",
        frozenset({"category", "recommendation", "type"}),
        "a lesson and a category, type or recommendation",
    ),
    required=False,
    portfolio="Lessons",
    since="1.1",
    purpose="What the project learned (went well, or to improve), for the projects after it.",
    template_rows=50,
    rule_prefix="lesson.",
)
