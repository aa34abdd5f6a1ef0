"""The RAID log: Risks, Assumptions, Issues and Dependencies (TRACKER_SPEC v1, v1.1).

Every sheet named or headed like a RAID log feeds the kind (v1.1): a ``Risks`` sheet
and an ``Issues`` sheet are one log, each row's Type taken from its sheet's name when
the Type column is absent, and a ``Closed ...`` sheet holds closed items.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, ClassVar

from addin.core.kinds.spec import Anchor, Field, Layout, Record, SheetKind, ValueType


@dataclass(frozen=True, slots=True, kw_only=True)
class RaidItem(Record):
    """One row of the ``RAID`` log (Risks, Assumptions, Issues, Dependencies)."""

    kind: ClassVar[str] = "RAID"

    raid_id: Annotated[
        str | None,
        Field(
            "ID",
            required=True,
            synonyms=("RAID ID", "Ref", "Risk ID", "Item ID", "#", "No"),
            width=10,
        ),
    ] = None
    type: Annotated[
        str | None,
        Field(
            "Type",
            ValueType.CHOICE,
            synonyms=("RAID Type", "RAID Category", "Item Type"),
            choices="raid_type",
            width=13,
        ),
    ] = None
    title: Annotated[
        str | None,
        Field(
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
            weak=(
                "Description",
                "Summary",
                "Item",
                "Item Description",
                "Risk Description",
                "Issue Description",
            ),
            width=40,
        ),
    ] = None
    owner: Annotated[
        str | None,
        Field(
            "Owner",
            synonyms=("Responsible", "Assigned To", "Action Owner"),
            width=18,
            note="Required when open.",
        ),
    ] = None
    raised: Annotated[
        dt.date | None,
        Field(
            "Raised",
            ValueType.DATE,
            synonyms=("Date Raised", "Raised Date", "Date Logged", "Date Identified"),
        ),
    ] = None
    due: Annotated[
        dt.date | None,
        Field(
            "Due",
            ValueType.DATE,
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
        int | None,
        Field(
            "Probability",
            ValueType.INTEGER,
            synonyms=("Likelihood", "Prob"),
            width=11,
            note="1 (low) to 5 (high).",
            ge=1,
            le=5,
        ),
    ] = None
    impact: Annotated[
        int | None,
        Field("Impact", ValueType.INTEGER, width=9, note="1 (low) to 5 (high).", ge=1, le=5),
    ] = None
    severity: Annotated[
        str | None,
        Field(
            "Severity",
            ValueType.CHOICE,
            synonyms=("Priority", "Rating", "Risk Level", "Risk Rating"),
            choices="severity",
            width=11,
            note="Leave blank to derive it from Probability x Impact.",
        ),
    ] = None
    status: Annotated[
        str | None,
        Field(
            "Status",
            ValueType.CHOICE,
            synonyms=("RAID Status", "State"),
            choices="raid_status",
            width=12,
        ),
    ] = None
    mitigation: Annotated[
        str | None,
        Field(
            "Mitigation / Action",
            synonyms=(
                "Mitigation",
                "Action",
                "Actions",
                "Mitigation Action",
                "Mitigation Plan",
                "Response",
            ),
            weak=("Response",),
            width=40,
            note="Required for open High or Critical items.",
        ),
    ] = None


KIND = SheetKind(
    key="RAID",
    record=RaidItem,
    layout=Layout.TABLE,
    sheet_names=(
        "RAID Log",
        "Risks & Issues",
        "Risks and Issues",
        "Risk Register",
        "Risk Log",
        "Risks",
        "Issues",
        "Issue Log",
        "Assumptions",
        "Dependencies",
        "Risk",
        "Issue",
        "Assumption",
        "Dependency",
        "Closed Risks",
        "Closed Issues",
    ),
    anchor=Anchor(
        "title",
        frozenset({"type", "severity", "probability", "impact", "mitigation"}),
        "a title and a type, status, owner or severity",
        common=frozenset({"status", "owner", "due", "raised", "raid_id"}),
    ),
    several=True,
    type_field="type",
    type_words={
        "risk": "Risk",
        "risks": "Risk",
        "issue": "Issue",
        "issues": "Issue",
        "assumption": "Assumption",
        "assumptions": "Assumption",
        "dependency": "Dependency",
        "dependencies": "Dependency",
    },
    closed_words=("closed",),
    status_field="status",
    closed_value="Closed",
    portfolio="RAID",
    purpose="Risks, Assumptions, Issues and Dependencies: one row each.",
    template_rows=100,
    rule_prefix="raid.",
)
