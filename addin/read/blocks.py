"""Tables stacked on one sheet: find each, and end each where the next begins.

A status report holds a progress table, then a problems log below it; a risk log keeps a
second version under the first. Below a sheet's first table, a row that follows a blank
row or a one-cell title row, and that is a header row of some kind, starts another
table of that kind (its *block*). Every block then ends where the next block on its
sheet begins (before that block's title row), so no table swallows the one below it.
A header repeated word for word (a new page, a section) starts nothing: the table goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from addin.core.kinds import kind, table_kinds
from addin.read.grid import Grid
from addin.read.headers import HeaderMatch

#: (grid, header) of one table; a kind's list of them in an assignment.
Found = list[tuple[Grid, HeaderMatch]]
#: Find a header of ``kind`` exactly at a 0-based sheet row of a grid (None: none there).
MatchAt = Callable[[Grid, str, int], HeaderMatch | None]


def _filled(row: list[object]) -> int:
    return len(row) - row.count(None) - row.count("")


def _candidates(grid: Grid, below: int) -> Iterator[int]:
    """Sheet rows below ``below`` that follow a blank row or a one-cell title row."""
    prev = -1
    top = grid.top
    for i, row in enumerate(grid.rows):
        n = len(row) - row.count(None) - row.count("")
        if prev <= 1 and n >= 2 and prev >= 0 and top + i > below + 1:
            yield top + i
        prev = n


def _is_title(grid: Grid, r: int) -> bool:
    i = r - grid.top
    return 0 <= i < len(grid.rows) and _filled(grid.rows[i]) == 1


def stack_blocks(tables: dict[str, Found], match_at: MatchAt) -> None:
    """Add the tables found below each sheet's first one, and end every table at the next.

    Args:
        tables: Kind -> (grid, header) of every table found so far; changed in place.
        match_at: Finds a header of a kind exactly at a row (settled and qualified).
    """
    sheets: dict[str, tuple[Grid, list[tuple[str, HeaderMatch]]]] = {}
    for key, found in tables.items():
        for grid, m in found:
            sheets.setdefault(grid.name, (grid, []))[1].append((key, m))
    for grid, blocks in sheets.values():
        taken = {m.row for _, m in blocks}
        first = min(taken)
        for r in _candidates(grid, first):
            if r in taken:
                continue
            best: tuple[str, HeaderMatch] | None = None
            for spec in table_kinds():
                at = match_at(grid, spec.key, r)
                if at is not None and (best is None or at.score > best[1].score):
                    best = (spec.key, at)
            if best is None:
                continue
            key, m = best
            if any(k == key and _same_header(o, m) for k, o in blocks):
                continue  # the header repeated (a new page, a section): the same table goes on
            others = [g.name for g, _ in tables.get(key, [])]
            if not kind(key).several and any(name != grid.name for name in others):
                continue
            tables.setdefault(key, []).append((grid, m))
            blocks.append(best)
            taken.add(r)
        _end_each(grid, [m for _, m in blocks])


def _same_header(a: HeaderMatch, b: HeaderMatch) -> bool:
    return [t.casefold() for t in a.headers.values()] == [t.casefold() for t in b.headers.values()]


def _span(m: HeaderMatch) -> tuple[int, int]:
    cols = m.columns.values()
    return (min(cols), max(cols)) if cols else (0, 1 << 20)


def _end_each(grid: Grid, blocks: list[HeaderMatch]) -> None:
    """End each block where the next one below it, in the same columns, begins.

    A box beside a table (a report's main risks right of its progress list) shares no
    column with it, so neither ends the other.
    """
    ordered = sorted(blocks, key=lambda m: m.row)
    for i, m in enumerate(ordered):
        lo, hi = _span(m)
        nxt = next(
            (
                n
                for n in ordered[i + 1 :]
                if n.row > m.row and _span(n)[0] <= hi and lo <= _span(n)[1]
            ),
            None,
        )
        if nxt is None:
            continue
        end = nxt.row - (1 if _is_title(grid, nxt.row - 1) else 0)
        m.end = end if m.end is None else min(m.end, end)
