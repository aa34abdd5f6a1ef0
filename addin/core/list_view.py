"""A read-only sequence indexed and sliced as a list is, from two methods of its own.

The engine hands long columns around without copying them (a window on a column, a
column made of the trackers' lists, a task list that reads the cache as it goes). Each
must read exactly as the list it stands for: negative indexes, an IndexError past either
end, slices of any step, a slice that is a list. :class:`ListView` does that once; a
subclass says how long it is, what one item is, and, when it can do better than item by
item, what a run of items is.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import TypeVar, overload

T = TypeVar("T")


class ListView(Sequence[T]):
    """A read-only sequence that indexes and slices as a list; a slice of it is a list."""

    __slots__ = ()

    @abstractmethod
    def __len__(self) -> int:
        """How many items it holds."""

    @abstractmethod
    def _item(self, index: int) -> T:
        """Item ``index``, with ``0 <= index < len(self)``."""

    def _run(self, first: int, last: int) -> list[T]:
        """Items ``first`` to ``last`` (``0 <= first <= last <= len(self)``), as a list."""
        return [self._item(i) for i in range(first, last)]

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            first, last, step = index.indices(len(self))
            if step != 1:  # a reversed or strided slice: rare, so item by item
                return [self._item(i) for i in range(first, last, step)]
            return self._run(first, max(first, last))
        size = len(self)
        if not -size <= index < size:
            raise IndexError(f"{type(self).__name__} index out of range")
        return self._item(index + size if index < 0 else index)
