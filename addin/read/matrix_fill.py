"""A wide plan drawn in cell colour: which empty period cells are filled, and so allocated.

Some plans hold no amounts at all: the months a role is staffed are filled green, the
weeks a student works are boxes coloured by discipline. A period cell is an allocation
when it holds no value and is filled with a colour that is not the plan's background:
not white or none, not the fill of the header's period cells, and not a fill that the
same row's other cells (its label, its key and extra columns) use too - a banded row or
a coloured heading row colours those as well. The amount of such an allocation is
unknown, so a record made from it holds no days and no FTE.

Cell fills come from the workbook's styles (:mod:`addin.ooxml.fills`), asked for only
here; a source that cannot give them (a live workbook, ``.xls``, ``.ods``) gives None
and the plan stays unread with its reason. A sheet whose columns name tasks, activities
or milestones is a Gantt chart (bars in colour are tasks, not people) and is not read
this way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from addin.core.cells import a1
from addin.ooxml.fills import Area, CellFills
from addin.read.grid import Grid
from addin.read.matrix_find import MatrixMatch

#: Reads the fills of an area of the plan's sheet (None: they cannot be known).
FillLookup = Callable[[Area], CellFills | None]
#: Rows below the last value of a sheet still looked at for filled cells.
_BEYOND = 500
#: Words of a header that say the rows are tasks (a Gantt chart), not people.
_TASK_WORDS = frozenset(
    {"task", "tasks", "activity", "activities", "milestone", "milestones", "deliverable"}
)
_WORD = re.compile(r"[^\W\d_]+")


@dataclass
class Drawn:
    """The allocations of a plan drawn in colour.

    Attributes:
        rows: 0-based sheet rows that hold at least one allocation, top to bottom.
        cells: (sheet row, column, period index) of every allocation.
        unlabelled: Rows among ``rows`` whose key columns name nobody (or that have none).
    """

    rows: list[int] = field(default_factory=list)
    cells: list[tuple[int, int, int]] = field(default_factory=list)
    unlabelled: list[int] = field(default_factory=list)

    def span(self, match: MatrixMatch) -> str:
        """The range the allocations lie in (``D4:K45``)."""
        return f"{a1(self.rows[0], match.first)}:{a1(self.rows[-1], match.last)}"


def _blank(v: Any) -> bool:
    return v is None or v == "" or (isinstance(v, str) and not v.strip())


def gantt_like(match: MatrixMatch) -> bool:
    """True when a header of the plan's row names tasks or milestones (a Gantt chart)."""
    texts = list(match.extras.values())
    return any(set(_WORD.findall(t.casefold())) & _TASK_WORDS for t in texts)


def drawn_allocations(
    grid: Grid,
    match: MatrixMatch,
    stop: int | None,
    key_cols: Sequence[int],
    fills_of: FillLookup,
) -> Drawn | None:
    """The allocations drawn in colour below the plan's header (None: fills unknown).

    Args:
        grid: The sheet.
        match: The plan's header row.
        stop: The 0-based row where the next plan's header starts (None: none below).
        key_cols: The columns naming the row's person, role or team.
        fills_of: Reads the sheet's fills.
    """
    period_cols = {c for c, _ in match.periods}
    right = max([match.last, *match.extras, *key_cols])
    bottom = stop - 1 if stop is not None else grid.top + len(grid.rows) - 1 + _BEYOND
    if bottom <= match.row:
        return Drawn()
    fills = fills_of(Area(match.row, bottom, grid.left, right))
    if fills is None:
        return None
    header = {fills.get((match.row, c), "") for c in period_cols}
    by_row: dict[int, dict[int, str]] = {}
    for (r, c), key in fills.items():
        by_row.setdefault(r, {})[c] = key
    out = Drawn()
    for r in sorted(by_row):
        if r <= match.row:
            continue
        row_fills = by_row[r]
        background = {"", *header}
        background.update(k for c, k in row_fills.items() if c not in period_cols)
        cells = [
            (r, c, n)
            for n, (c, _) in enumerate(match.periods)
            if row_fills.get(c, "") not in background and _blank(grid.value(r, c))
        ]
        if not cells:
            continue
        out.rows.append(r)
        out.cells += cells
        if not any(not _blank(grid.value(r, c)) for c in key_cols):
            out.unlabelled.append(r)
    return out


def rows_by_number(rows: Sequence[int]) -> str:
    """1-based sheet rows as a short text: ``rows 3-8``, ``rows 3, 5``, ``row 4``."""
    shown = [r + 1 for r in rows]
    if len(shown) == 1:
        return f"row {shown[0]}"
    if shown == list(range(shown[0], shown[-1] + 1)):
        return f"rows {shown[0]}-{shown[-1]}"
    listed = ", ".join(str(r) for r in shown[:6])
    return f"rows {listed}{' ...' if len(shown) > 6 else ''}"
