"""Subtotal rows closing an outline group: ``2 | Milestone 2 | 286`` below ``2.a`` .. ``2.x``.

A cost plan or a schedule often ends each group with a row carrying the group's own number
and the sum of its lines, labelled anything (``Milestone 2``, ``Phase B``), not only
``Subtotal``. Such a row is not a record: counting it counts every line twice. It is known
by two facts a person checks: its number is the outline parent of the rows just above it
(``2`` over ``2.a`` .. ``2.x``), and one of its amounts is the sum of theirs.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

#: Lines a group needs above its closing row (one line is a copy, not a sum).
MIN_LINES = 2


def _code(v: Any) -> str:
    if type(v) is str:
        return v.strip()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return v.strip() if isinstance(v, str) else "" if v is None else str(v)


def _number(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, int | float | str):
        return None
    try:
        return float(v)
    except ValueError:
        return None


def subtotal_rows(
    rows: Sequence[tuple[int, list[Any]]], ids: Sequence[int], numbers: Sequence[int]
) -> set[int]:
    """Sheet rows of ``rows`` that close their outline group with its sum (see above).

    Args:
        rows: (sheet row, cells) of the table's records, in order.
        ids: Cell positions of the table's ID / WBS columns.
        numbers: Cell positions of its numeric columns (effort, budget, amounts).
    """
    out: set[int] = set()
    if not ids or not numbers:
        return out
    for j in ids:
        codes = [_code(row[j]) if j < len(row) else "" for _, row in rows]
        for i, (above, code) in enumerate(pairwise(codes), 1):
            if len(above) <= len(code) or not code:
                continue  # most rows: the code above is no longer, so no line of this one's
            parent = code + "."
            if not above.startswith(parent) or rows[i][0] in out:
                continue
            first = i  # the group's lines are the rows just above whose code continues this one
            while first and codes[first - 1].startswith(parent):
                first -= 1
            lines = [row for _, row in rows[first:i]]
            if len(lines) >= MIN_LINES and _sums(rows[i][1], lines, numbers):
                out.add(rows[i][0])
    return out


def _sums(row: list[Any], lines: list[list[Any]], numbers: Sequence[int]) -> bool:
    """True when one of the row's amounts is the (non-zero) sum of the lines' amounts."""
    for k in numbers:
        own = _number(row[k]) if k < len(row) else None
        if own is None or own == 0:
            continue
        parts = [_number(line[k]) if k < len(line) else None for line in lines]
        total = sum(p for p in parts if p is not None)
        if abs(own - total) <= 0.005 * max(1.0, abs(own)):
            return True
    return False
