"""What upgrading one tracker to the current template version adds, worked out before any write.

From what the reader found (:func:`addin.read.read_tracker`): the sheets of the new
version the workbook lacks (Resources, Lessons), the new columns each Tasks sheet
lacks (Baseline Start, Baseline Finish, Effort; Workstream on a tracker with one Tasks
sheet, since with several the sheet's name is the workstream), and the Template
Version value to raise. A tracker that lacks nothing is at the current version and is
left alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from addin import TEMPLATE_VERSION
from addin.core.kinds import Layout, SheetKind, kind, normalise
from addin.read import ReadResult

#: The Tasks fields a tracker of one Tasks sheet gains (a later version's, in template order).
TASK_KIND = "Tasks"


@dataclass(frozen=True)
class NewColumns:
    """Columns to add to one table sheet, right of its last header.

    Attributes:
        sheet: The sheet.
        header_row: 0-based row of its header.
        first_col: 0-based column the first new column goes to.
        fields: The fields added, in order.
        last_row: 0-based last row the new columns are formatted and validated down to.
    """

    sheet: str
    header_row: int
    first_col: int
    fields: tuple[str, ...]
    last_row: int


@dataclass
class UpgradePlan:
    """Everything an upgrade adds to one tracker (empty: it is at the current version).

    Attributes:
        sheets: Sheets of the current template to add (their names, in template order).
        columns: Columns to add, per table sheet.
        version_cell: (sheet, row, col) of the Project block's Template Version value, and
            the value it holds, when it is below the current version.
        kept: Sheets of the template's names the tracker already has for another use (not
            replaced; the kind is not added).
    """

    sheets: list[str] = field(default_factory=list)
    columns: list[NewColumns] = field(default_factory=list)
    version_cell: tuple[str, int, int, str] | None = None
    kept: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when the tracker is at the current version already."""
        return not self.sheets and not self.columns and self.version_cell is None


def _below(version: object) -> bool:
    try:
        have = tuple(int(p) for p in str(version).strip().split("."))
        want = tuple(int(p) for p in TEMPLATE_VERSION.split("."))
    except ValueError:
        return True
    return have < want


def plan_upgrade(
    read: ReadResult,
    sheet_names: list[str],
    new_kinds: list[SheetKind],
    header_end: Callable[[str, int], int],
    last_row: Callable[[str], int],
) -> UpgradePlan:
    """What upgrading this tracker adds.

    Args:
        read: The reader's result for the tracker.
        sheet_names: Every sheet of the workbook.
        new_kinds: The current template's table kinds of a later version than the
            tracker's (Resources, Lessons), in template order.
        header_end: ``header_end(sheet, row)`` -> 0-based last column of a header row that
            holds anything (a Gantt band, a pass-through column): new columns go after it.
        last_row: ``last_row(sheet)`` -> 0-based last row a new column is formatted and
            validated down to (the table's, or the sheet's last used row).
    """
    out = UpgradePlan()
    folded = {normalise(n) for n in sheet_names}
    for spec in new_kinds:
        if spec.key in read.layouts:
            continue  # the tracker has this kind already (under another name, say)
        if normalise(spec.key) in folded:
            out.kept.append(spec.key)
            continue
        out.sheets.append(spec.key)
    tasks = kind(TASK_KIND)
    layouts = read.layouts.get(TASK_KIND, [])
    single = len(layouts) == 1
    for lay in layouts:
        if lay.layout is not Layout.TABLE:
            continue
        missing = tuple(
            f.name
            for f in tasks.fields
            if f.since > "1.0"
            and f.name not in lay.columns
            and (single or f.name != tasks.sheet_field)
        )
        if missing:
            first = max(header_end(lay.sheet, lay.header_row), *lay.columns.values()) + 1
            bottom = max(last_row(lay.sheet), lay.header_row + 1)
            out.columns.append(NewColumns(lay.sheet, lay.header_row, first, missing, bottom))
    if read.block is not None and "template_version" in read.block.cells:
        row, col = read.block.cells["template_version"]
        value = read.tracker.project.template_version
        if value is not None and _below(value):
            out.version_cell = (read.block.sheet, row, col, str(value))
    return out
