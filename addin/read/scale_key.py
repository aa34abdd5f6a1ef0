"""A tracker's own scoring key: the words of its probability and impact scales.

Risk logs often keep a key sheet (``Risk Key``, ``Lookups``) listing each scale word
beside its number: ``1 | Very Unlikely`` ... ``4 | Very Likely`` under a ``Probability``
title, ``Minimal | 1`` ... ``Showstopper | 9`` under ``Disruption Potential``. When the
settings allow it (``[scales] file_keys``), those numbers win over the general table for
that file: the tracker says what its words mean. A key whose numbers run outside 1-5 is
spread evenly over 1-5 by rank (five levels 0, 1, 3, 5, 9 read as 1 to 5).
"""

from __future__ import annotations

from typing import Any

from addin.read.coerce import scale_word
from addin.read.fields import Context
from addin.read.grid import Grid

#: Rows and columns of a sheet searched for a key.
KEY_ROWS, KEY_COLS = 60, 12
#: The fields a key feeds when its title names none of them.
SCALE_FIELDS = ("probability", "impact")
#: Why a scoring key sheet feeds no table (its ``sheet.ignored`` finding).
KEY_REASON = "a scoring key: its scale words are read for Probability and Impact"


def _pair(a: Any, b: Any) -> tuple[str, float] | None:
    for word, n in ((a, b), (b, a)):
        if (
            isinstance(word, str)
            and word.strip()
            and len(word) <= 40
            and isinstance(n, int | float)
            and not isinstance(n, bool)
            and 0 <= n <= 100
        ):
            return scale_word(word), float(n)
    return None


def _spread(levels: dict[str, float]) -> dict[str, int]:
    """Numbers as they are when 1-5 and whole; else spread over 1-5 by rank."""
    values = sorted(set(levels.values()))
    if all(1 <= v <= 5 and v.is_integer() for v in values):
        return {w: int(v) for w, v in levels.items()}
    if len(values) == 1:
        return dict.fromkeys(levels, 3)
    rank = {v: 1 + round(4 * i / (len(values) - 1)) for i, v in enumerate(values)}
    return {w: rank[v] for w, v in levels.items()}


def _runs(grid: Grid) -> list[tuple[str, dict[str, float]]]:
    """(title above, word -> number) for each run of two or more key rows in a sheet."""
    out: list[tuple[str, dict[str, float]]] = []
    for j in range(min(KEY_COLS, max((len(r) for r in grid.rows[:KEY_ROWS]), default=0)) - 1):
        run: dict[str, float] = {}
        title = ""
        above = ""
        for row in grid.rows[:KEY_ROWS]:
            a = row[j] if j < len(row) else None
            b = row[j + 1] if j + 1 < len(row) else None
            filled = len(row) - row.count(None) - row.count("")
            pair = _pair(a, b) if filled <= 3 else None  # a key row: a word, its number
            if pair is not None:
                if not run:
                    title = above
                run.setdefault(*pair)
                continue
            if len(run) >= 2:
                out.append((title, run))
            run = {}
            above = a.strip() if isinstance(a, str) and a.strip() else above
        if len(run) >= 2:
            out.append((title, run))
    return out


def _scale_like(run: dict[str, float]) -> bool:
    """Words without digits beside whole numbers, three levels or more: a scale."""
    levels = set(run.values())
    return (
        len(levels) >= 3
        and all(n.is_integer() for n in levels)
        and not any(ch.isdigit() for w in run for ch in w)
    )


def read_keys(ctx: Context, grids: list[Grid]) -> list[str]:
    """Load the scale words of the key sheets among ``grids`` into ``ctx.file_scales``.

    Returns:
        The names of the sheets that held a key.
    """
    if not ctx.settings.scales.file_keys:
        return []
    index = ctx.indexes["RAID"]
    found: list[str] = []
    for grid in grids:
        runs = [(t, r) for t, r in _runs(grid) if _scale_like(r)]
        words = [w for _, r in runs for w in r]
        if len(words) < 3:
            continue
        for title, run in runs:
            named = index.match(title) if title else None
            targets = [named] if named in SCALE_FIELDS else list(SCALE_FIELDS)
            for name in targets:
                assert name is not None
                ctx.file_scales.setdefault(name, dict(ctx.scale)).update(_spread(run))
        found.append(grid.name)
    return found
