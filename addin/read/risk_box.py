"""A status report's "Main risks" box: a heading that names risks, and one risk a line below.

A weekly report keeps its risks in a box beside the progress table rather than in a log:
a cell ``Principais Riscos`` (``Key Risks``, ``Top Issues``) over a few lines of text in
the same column. A person reads each line as a risk (or issue) of the project, its title
and nothing more. Read only where no RAID table was found in the workbook, and only when

- the heading is a RAID title header that names the kind (``Risks``, not ``Description``),
  standing apart: nothing to its right in its row (a box, not a header row), nothing just
  left of it or just above it (not an item of a list: ``Scope``, ``Team``, ``Risk``), and
  not a header cell of a table found above or at it;
- at least one line of text follows it directly in its column, nothing to its right
  either (not a label in a row of figures), the box ending at the first blank cell.
"""

from __future__ import annotations

from collections.abc import Sequence

from addin.read.grid import Grid
from addin.read.headers import HeaderIndex, HeaderMatch

#: Rows from the top searched for the heading.
SCAN_ROWS = 60
#: Lines a box holds at most (a longer list under one word is a table of its own).
MAX_LINES = 12


def _text(v: object) -> str:
    return v.strip() if isinstance(v, str) else ""


def _alone(row: Sequence[object], j: int) -> bool:
    """True when nothing follows the cell at position ``j`` in its row."""
    return all(v is None or v == "" for v in row[j + 1 :])


def risk_box(grid: Grid, index: HeaderIndex, taken: Sequence[HeaderMatch]) -> HeaderMatch | None:
    """The first risk box on a sheet (see above), as a RAID header match ending below it.

    Args:
        grid: The sheet.
        index: The RAID header index.
        taken: The header rows of the tables already found on the sheet.
    """
    for i, row in enumerate(grid.rows[:SCAN_ROWS]):
        r = grid.top + i
        for j, v in enumerate(row):
            text = _text(v)
            if not text or len(text) > 40 or not _alone(row, j):
                continue
            beside = _text(row[j - 1]) if j > 0 else ""
            above = grid.rows[i - 1] if i > 0 else []
            if beside or (j < len(above) and above[j] not in (None, "")):
                continue  # an item of a list, not a box's heading
            hit = index.hit(text)
            if hit is None or hit[0] != "title" or not index.mentions_kind(text):
                continue
            c = grid.left + j
            if any(m.row <= r and c in m.headers for m in taken):
                continue  # a column of a table found above: its header or its values
            lines = 0
            for below in grid.rows[i + 1 : i + 1 + MAX_LINES + 1]:
                line = _text(below[j]) if j < len(below) else ""
                if not line or not _alone(below, j) or index.hit(line) is not None:
                    break
                lines += 1
            if 1 <= lines <= MAX_LINES:
                return HeaderMatch(
                    row=r,
                    columns={"title": c},
                    headers={c: text},
                    strength={"title": hit[1]},
                    candidates={"title": [(c, hit[1])]},
                    kinded={c},
                    end=r + 1 + lines,
                )
    return None
