"""A ListView reads exactly as the list it stands for, from its length and one item."""

from __future__ import annotations

import pytest

from addin.core.list_view import ListView
from tests.slices import SLICES


class Squares(ListView[int]):
    """0, 1, 4, 9 ... made one at a time: only the two methods a view must have."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n

    def _item(self, index: int) -> int:
        assert 0 <= index < self.n  # the view never asks for anything else
        return index * index


LIST = [i * i for i in range(7)]


def test_it_indexes_as_a_list_from_either_end() -> None:
    view = Squares(7)
    assert [view[i] for i in range(-7, 7)] == [LIST[i] for i in range(-7, 7)]
    assert list(view) == LIST and len(view) == 7 and 16 in view and view.index(25) == 5
    for index in (7, -8):
        with pytest.raises(IndexError, match="Squares index out of range"):
            view[index]


@pytest.mark.parametrize("part", SLICES)
def test_a_slice_is_the_lists_slice_as_a_list(part: slice) -> None:
    got = Squares(7)[part]
    assert type(got) is list and got == LIST[part]
