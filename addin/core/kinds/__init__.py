"""The sheet-kind registry: every kind a tracker may hold, declared once.

Each kind lives in its own module (:mod:`.project`, :mod:`.tasks` ...) as a record
class plus a :class:`~addin.core.kinds.spec.SheetKind`; this module only lists them,
in workbook order. To add a kind: write its module, then add its ``KIND`` to
:data:`KINDS` below (its checks register themselves in :mod:`addin.checks`). A kind's
module keeps its annotations as objects (no ``from __future__ import annotations``), so
its fields are read without evaluating text (see ``spec._field_annotations``).
"""

from __future__ import annotations

from addin.core.kinds import budget, lessons, milestones, project, raid, resources, tasks
from addin.core.kinds.budget import BudgetLine
from addin.core.kinds.lessons import Lesson
from addin.core.kinds.milestones import Milestone
from addin.core.kinds.project import Project
from addin.core.kinds.raid import RaidItem
from addin.core.kinds.resources import Allocation
from addin.core.kinds.spec import (
    RECORD_META,
    Anchor,
    Field,
    Layout,
    Matrix,
    Record,
    SheetKind,
    ValueType,
    fields_of,
    normalise,
)
from addin.core.kinds.tasks import Task

#: Every kind, in the order of the template's sheets.
KINDS: tuple[SheetKind, ...] = (
    project.KIND,
    tasks.KIND,
    milestones.KIND,
    budget.KIND,
    raid.KIND,
    resources.KIND,
    lessons.KIND,
)

_BY_KEY = {k.key: k for k in KINDS}


def kind(key: str) -> SheetKind:
    """The kind whose key is ``key`` (``Project``, ``Tasks`` ...)."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(f"no tracker sheet kind {key!r}") from None


def table_kinds() -> tuple[SheetKind, ...]:
    """The kinds read as tables or matrices (every kind but the Project block), in order."""
    return tuple(k for k in KINDS if k.layout is not Layout.KEYVALUE)


TABLE_KEYS: tuple[str, ...] = tuple(k.key for k in table_kinds())

__all__ = [
    "KINDS",
    "RECORD_META",
    "TABLE_KEYS",
    "Allocation",
    "Anchor",
    "BudgetLine",
    "Field",
    "Layout",
    "Lesson",
    "Matrix",
    "Milestone",
    "Project",
    "RaidItem",
    "Record",
    "SheetKind",
    "Task",
    "ValueType",
    "fields_of",
    "kind",
    "normalise",
    "table_kinds",
]
