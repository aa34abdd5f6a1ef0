"""The template's Lessons sheet (TRACKER_SPEC v1.1), until the Lessons kind is registered.

The Lessons kind (its reader, checks and portfolio sheet) belongs to the project
database's issue; the template only needs its columns. :func:`lessons_kind` returns
the registered kind when :data:`addin.core.kinds.KINDS` has one, else :data:`LESSONS`,
declared here from the spec's columns, so the template has one Lessons sheet either way
and this module can go once the kind is registered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, ClassVar

from addin.core.kinds import KINDS, Field, Layout, Record, SheetKind, ValueType

#: Lesson categories (TRACKER_SPEC v1.1).
CATEGORIES: tuple[str, ...] = (
    "Schedule",
    "Cost",
    "Scope",
    "Quality",
    "Risk",
    "Resourcing",
    "Stakeholder",
    "Supplier",
    "Technical",
    "Governance",
)
#: Lesson types (TRACKER_SPEC v1.1).
TYPES: tuple[str, ...] = ("Went well", "To improve")


@dataclass(frozen=True, slots=True, kw_only=True)
class Lesson(Record):
    """One row of the ``Lessons`` table (the template's declaration)."""

    kind: ClassVar[str] = "Lessons"

    lesson_id: Annotated[str | None, Field("ID", width=8, since="1.1")] = None
    date: Annotated[dt.date | None, Field("Date", ValueType.DATE, since="1.1")] = None
    category: Annotated[
        str | None,
        Field("Category", required=True, width=14, note="Pick from the list.", since="1.1"),
    ] = None
    lesson_type: Annotated[
        str | None, Field("Type", width=12, note="Pick from the list.", since="1.1")
    ] = None
    lesson: Annotated[str | None, Field("Lesson", required=True, width=50, since="1.1")] = None
    recommendation: Annotated[str | None, Field("Recommendation", width=50, since="1.1")] = None
    owner: Annotated[str | None, Field("Owner", width=18, since="1.1")] = None
    tags: Annotated[
        str | None, Field("Tags", width=20, note="Words to find it by, e.g. supplier.", since="1.1")
    ] = None


LESSONS = SheetKind(
    key="Lessons",
    record=Lesson,
    layout=Layout.TABLE,
    required=False,
    since="1.1",
    purpose="What the project learned: one row per lesson, with a category and a "
    "recommendation for the next project.",
    template_rows=100,
)

#: Dropdowns of the template's own declaration: field -> its values.
DROPDOWNS: dict[str, tuple[str, ...]] = {"category": CATEGORIES, "lesson_type": TYPES}


def lessons_kind() -> SheetKind:
    """The registered Lessons kind when there is one, else the template's declaration."""
    return next((k for k in KINDS if k.key == "Lessons"), LESSONS)
