"""Subtotal rows: the quick rejection of a row with no lines above keeps every answer.

:func:`~addin.read.subtotals.subtotal_rows` skips a row at once when the code above it is
no longer than its own (so cannot continue it). The reference below applies the rule as
written, to every row: its group is the run of codes just above it that continue its own.
Both are run over outlines built to hold groups, near misses (``1`` over ``10.1``),
numbers written as floats, blanks and repeated codes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import takewhile
from typing import Any

from hypothesis import example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from addin.read.subtotals import MIN_LINES, _code, _sums, subtotal_rows


def _continues(own: str) -> Callable[[str], bool]:
    return lambda code: code.startswith(own + ".")


def _reference(
    rows: Sequence[tuple[int, list[Any]]], ids: Sequence[int], numbers: Sequence[int]
) -> set[int]:
    found: set[int] = set()
    for j in ids if numbers else ():
        column = [_code(cells[j]) if j < len(cells) else "" for _, cells in rows]
        for i, (at, cells) in enumerate(rows):
            own = column[i]
            if own and at not in found:
                run = len(list(takewhile(_continues(own), column[:i][::-1])))
                group = [line for _, line in rows[i - run : i]]
                if len(group) >= MIN_LINES and _sums(cells, group, numbers):
                    found.add(at)
    return found


_CODES = st.sampled_from(
    [
        "1",
        "1.1",
        "1.2",
        "1.1.1",
        "1.",
        "2",
        "2.a",
        "2.b",
        "10",
        "10.1",
        " 3 ",
        "3.1",
        "",
        None,
        1.0,
        1.5,
    ]
)
_AMOUNTS = st.sampled_from([None, 0, 1, 2, 3, 5, 1.5, "3", "x", True])


@st.composite
def _tables(draw: st.DrawFn) -> tuple[list[tuple[int, list[Any]]], list[int], list[int]]:
    n = draw(st.integers(0, 14))
    rows: list[tuple[int, list[Any]]] = []
    for r in range(n):
        width = draw(st.integers(1, 4))
        cells = [draw(_CODES), draw(_AMOUNTS), draw(_CODES), draw(_AMOUNTS)][:width]
        rows.append((r + draw(st.integers(0, 1)) * 100, cells))
    ids = draw(st.sampled_from([[], [0], [2], [0, 2], [5]]))
    numbers = draw(st.sampled_from([[], [1], [3], [1, 3]]))
    return rows, ids, numbers


_GROUP = [(4, ["2.a", 1]), (5, ["2.b", 2]), (6, ["2", 3])]


@hsettings(max_examples=600, deadline=None, derandomize=True)
@given(_tables())
@example(([(r, row) for r, row in _GROUP], [0], [1]))
@example(([(0, ["10.1", 1]), (1, ["10.2", 2]), (2, ["1", 3])], [0], [1]))
@example(([(0, ["1.1", 1]), (1, ["1.2", 2]), (2, [1.0, 3.0])], [0], [1]))
@example(([(0, ["1.", 1]), (1, ["1.", 2]), (2, ["1", 3])], [0], [1]))
def test_subtotal_rows_are_those_the_full_walk_finds(
    table: tuple[list[tuple[int, list[Any]]], list[int], list[int]],
) -> None:
    rows, ids, numbers = table
    assert subtotal_rows(rows, ids, numbers) == _reference(rows, ids, numbers)


def test_a_group_closed_by_its_sum_is_found_and_a_near_miss_is_not() -> None:
    assert subtotal_rows([(r, row) for r, row in _GROUP], [0], [1]) == {6}
    near = [(0, ["10.1", 1]), (1, ["10.2", 2]), (2, ["1", 3])]
    assert subtotal_rows(near, [0], [1]) == set()
    dotted = [(0, ["1.", 1]), (1, ["1.", 2]), (2, ["1", 3])]  # lines one character longer
    assert subtotal_rows(dotted, [0], [1]) == {2}
