"""The tracker layout derived from the models: sheets, columns, headers, synonyms.

:mod:`addin.model` is the source; this module turns its ``Column`` metadata into
plain, ordered specs the template writer, the reader and the portfolio writer
iterate over. Settings can add synonyms (``[reader.header_synonyms]``), never
remove the canonical ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from addin.model import (
    BudgetLine,
    Column,
    Kind,
    Milestone,
    Project,
    RaidItem,
    Record,
    Task,
)


@dataclass(frozen=True)
class FieldSpec:
    """One field of one sheet: its Python name plus the spec's :class:`Column`."""

    name: str
    column: Column

    @property
    def header(self) -> str:
        """The canonical header (or Project label)."""
        return self.column.header

    @property
    def kind(self) -> Kind:
        """How values are read and written."""
        return self.column.kind

    @property
    def required(self) -> bool:
        """True when the spec requires the field unconditionally."""
        return self.column.required


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of the standard tracker."""

    key: str
    model: type[Record]
    layout: Literal["keyvalue", "table"]
    synonyms: tuple[str, ...]
    fields: tuple[FieldSpec, ...]

    def field(self, name: str) -> FieldSpec:
        """Return the field spec called ``name`` (its Python attribute name)."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.key} has no field {name!r}")

    @property
    def headers(self) -> tuple[str, ...]:
        """Canonical headers in template order."""
        return tuple(f.header for f in self.fields)


def _fields(model: type[Record]) -> tuple[FieldSpec, ...]:
    out = []
    for name, info in model.model_fields.items():
        column = next((m for m in info.metadata if isinstance(m, Column)), None)
        if column is not None:
            out.append(FieldSpec(name, column))
    return tuple(out)


#: Sheet-name synonyms every installation accepts (settings may add more).
SHEET_SYNONYMS: dict[str, tuple[str, ...]] = {
    "Project": (
        "Project Info",
        "Project Details",
        "Project Summary",
        "Summary",
        "Overview",
        "Status Report",
    ),
    "Tasks": (
        "Task List",
        "Task",
        "Plan",
        "Project Plan",
        "Schedule",
        "Work Plan",
        "Workplan",
        "Activities",
    ),
    "Milestones": (
        "Milestone",
        "Milestone Tracker",
        "Key Milestones",
        "Milestone Plan",
        "Milestone List",
    ),
    "Budget": (
        "Financials",
        "Finance",
        "Costs",
        "Cost Tracker",
        "Project Budget",
        "Budget Tracker",
    ),
    "RAID": (
        "RAID Log",
        "Risks & Issues",
        "Risks and Issues",
        "Risk Register",
        "Risk Log",
        "Risks",
        "Issues",
        "Issue Log",
    ),
}


@cache
def sheets() -> tuple[SheetSpec, ...]:
    """Return the five sheets of TRACKER_SPEC v1 in workbook order."""
    specs: list[SheetSpec] = []
    for model in (Project, Task, Milestone, BudgetLine, RaidItem):
        specs.append(
            SheetSpec(
                key=model.sheet,
                model=model,
                layout="keyvalue" if model is Project else "table",
                synonyms=SHEET_SYNONYMS[model.sheet],
                fields=_fields(model),
            )
        )
    return tuple(specs)


def sheet(key: str) -> SheetSpec:
    """Return the spec of the sheet whose key is ``key`` (``Project``, ``Tasks`` ...)."""
    for s in sheets():
        if s.key == key:
            return s
    raise KeyError(f"no tracker sheet {key!r}")


TABLE_KEYS: tuple[str, ...] = ("Tasks", "Milestones", "Budget", "RAID")


def normalise(text: object) -> str:
    """Fold a header or label for matching: case, whitespace, newlines, trailing ``:``/``*``."""
    # split() and join() fold whitespace runs as a regex \s+ would (both use str.isspace).
    s = " ".join(str(text).replace("_", " ").split()).casefold()
    return s.rstrip(":*. ").strip()
