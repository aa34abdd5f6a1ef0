"""Find a wide plan on a sheet: a header row of key columns, then a run of period columns.

A kind declared with a :class:`~addin.core.kinds.Matrix` (Resources) may be laid out
one row per person or role and one column per month or week. Its header row is the
first of the scanned rows holding at least :data:`MIN_PERIODS` period headers
(:mod:`addin.read.period_headers`), all months or all weeks, with a key column to their
left: a header that names a person or a role (``Resource Name``, ``Role``), or one that
says so in its words (``Titles and Roles``). On a sheet named for the kind, an unheaded
label column to the left of the periods is the key column.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from addin.core.kinds import Matrix, SheetKind, normalise
from addin.read.grid import Grid
from addin.read.headers import HeaderIndex
from addin.read.period_headers import PeriodHeader, parse_period_header

#: Period headers a row needs to be a plan's header row.
MIN_PERIODS = 3
#: Words of a key header that says it holds people or roles, when no synonym matches.
_ROLE_WORDS = frozenset({"role", "roles", "title", "titles", "position", "skill", "skills"})
_PERSON_WORDS = frozenset(
    {"name", "names", "person", "people", "resource", "resources", "staff", "member", "members"}
)
#: Words that say a header names something else (a task, a cost line, a unit of time).
_OTHER_WORDS = frozenset(
    {
        "task",
        "activity",
        "milestone",
        "deliverable",
        "item",
        "cost",
        "risk",
        "issue",
        "day",
        "days",
        "week",
        "weeks",
        "month",
        "months",
        "date",
    }
)
#: Words that make a "name" header a project's name, not a person's.
_PROJECT_WORDS = frozenset({"project", "programme", "program"})
#: Words that say numbered columns are weeks (bare numbers are periods only beside them).
_WEEK_WORDS = frozenset({"week", "weeks", "wk", "wks", "kw", "woche", "wochen", "semaine"})
_WORD = re.compile(r"[a-z%]+")


@dataclass
class MatrixMatch:
    """A wide plan's header row and what its columns are.

    Attributes:
        row: 0-based sheet row of the header row.
        keys: Key field -> 0-based column (person, role, team).
        periods: (0-based column, header) of every period column, left to right.
        between: (0-based column, header text) of non-period headers among the periods.
        extras: 0-based column -> header text of the other headed columns (kept as extras).
        label: Column of an unheaded label column taken as the key (None: the keys have
            headers).
        unit: ``days``, ``hours`` or ``FTE`` when the sheet says which, else "".
    """

    row: int
    keys: dict[str, int]
    periods: list[tuple[int, PeriodHeader]]
    between: list[tuple[int, str]] = field(default_factory=list)
    extras: dict[int, str] = field(default_factory=dict)
    label: int | None = None
    unit: str = ""

    @property
    def first(self) -> int:
        """The first period column."""
        return self.periods[0][0]

    @property
    def last(self) -> int:
        """The last period column."""
        return self.periods[-1][0]


def _text(v: Any) -> str:
    return " ".join(v.split()) if isinstance(v, str) else ""


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.casefold()))


def unit_of(texts: Sequence[str], matrix: Matrix) -> str:
    """The unit the texts name (``(hours)``, ``FTE``, ``%``), or "" when none does."""
    for text in texts:
        folded = normalise(text)
        words = _words(folded)
        for word, unit in matrix.unit_words.items():
            if (" " in word and word in folded) or word in words or (word == "%" and "%" in text):
                return unit
    return ""


def _key_of(text: str, index: HeaderIndex, matrix: Matrix) -> str | None:
    name = index.match(text)
    if name in matrix.keys:
        return name
    words = _words(text)
    if words & _OTHER_WORDS:
        return None
    if words & _ROLE_WORDS:
        return "role"
    if words & _PERSON_WORDS and not words & _PROJECT_WORDS:
        return "person"
    return None


def _periods(cells: Sequence[Any], left: int, weeks: bool) -> list[tuple[int, PeriodHeader]]:
    """The period headers of a row: the longest run of one kind (months or weeks).

    Bare numbers (``1, 2, 3``) count only when ``weeks`` (the row, or the one above it,
    says they are weeks): elsewhere they are data.
    """
    found = [
        (left + j, h)
        for j, v in enumerate(cells)
        if (h := parse_period_header(v)) and (weeks or not isinstance(v, int | float))
    ]
    if len(found) < MIN_PERIODS:
        return []
    by_kind: dict[object, list[tuple[int, PeriodHeader]]] = {}
    for col, h in found:
        by_kind.setdefault((h.kind, h.relative, h.start is None), []).append((col, h))
    best = max(by_kind.values(), key=len)
    return best if len(best) >= MIN_PERIODS else []


def _label_column(grid: Grid, row: int, before: int) -> int | None:
    """An unheaded column left of the periods whose cells below the header hold text."""
    for col in range(before - 1, grid.left - 1, -1):
        if _text(grid.value(row, col)):
            continue
        below = [
            grid.value(r, col) for r in range(row + 1, min(row + 6, grid.top + len(grid.rows)))
        ]
        if any(_text(v) for v in below):
            return col
    return None


def _match_row(
    grid: Grid, i: int, index: HeaderIndex, spec: SheetKind, named: bool
) -> MatrixMatch | None:
    matrix = spec.matrix
    assert matrix is not None
    cells = grid.rows[i]
    said = [_text(v) for v in cells]
    if i > 0:
        said += [_text(v) for v in grid.rows[i - 1]]
    weeks = any(_words(t) & _WEEK_WORDS for t in said if t)
    periods = _periods(cells, grid.left, weeks)
    if not periods:
        return None
    row = grid.top + i
    first, last = periods[0][0], periods[-1][0]
    period_cols = {c for c, _ in periods}
    keys: dict[str, int] = {}
    extras: dict[int, str] = {}
    between: list[tuple[int, str]] = []
    for j, v in enumerate(cells):
        col = grid.left + j
        text = _text(v)
        if col in period_cols or not text:
            continue
        if first < col < last:
            if normalise(text) not in matrix.total_words:
                between.append((col, text))
            continue
        key = _key_of(text, index, matrix) if col < first else None
        if key is not None and key not in keys:
            keys[key] = col
        else:
            extras[col] = text
    label = None
    if not keys.keys() & matrix.anchors:
        if not named:
            return None
        label = _label_column(grid, row, first)
    above = [
        _text(grid.value(r, c))
        for r in range(max(grid.top, row - 3), row)
        for c in range(grid.left, grid.left + len(cells))
    ]
    unit = unit_of(
        [
            *extras.values(),
            *(_text(cells[c - grid.left]) for c in keys.values()),
            *(t for t in above if t),
        ],
        matrix,
    )
    return MatrixMatch(row, keys, periods, between, extras, label, unit)


def find_matrix(
    grid: Grid, index: HeaderIndex, spec: SheetKind, *, scan: int, named: bool, start: int = 0
) -> MatrixMatch | None:
    """The header row of a wide plan among the first ``scan`` rows of a sheet, or None.

    Args:
        grid: The sheet.
        index: The kind's header index (synonyms of Person, Role, Team).
        spec: The kind; it must declare a :attr:`~addin.core.kinds.SheetKind.matrix`.
        scan: How many sheet rows from the top to look at.
        named: The sheet is named for the kind (an unheaded label column may be the key).
        start: The first sheet row looked at (a plan stacked below another).
    """
    best: MatrixMatch | None = None
    limit = max(0, min(len(grid.rows), scan - grid.top))
    for i in range(max(0, start - grid.top), limit):
        match = _match_row(grid, i, index, spec, named)
        if match is not None and (best is None or len(match.periods) > len(best.periods)):
            best = match
    return best
