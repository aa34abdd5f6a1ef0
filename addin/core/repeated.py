"""Columns held as two values: one value repeated, or numbers counting up one by one.

A portfolio's per-kind rows carry each row's Project ID, the same for every row of a
tracker: a list of it was 8 bytes a row (2.5 KB a standard tracker, 50 MB at 20,000
trackers) to say one thing. A :class:`Repeated` says it once, and reads as that list; so
does a table's sheet name on each of its rows. A table's row numbers, one after another,
are a :class:`Consecutive`. Both pickle as the plain lists they stand for.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from addin.core.list_view import ListView

T = TypeVar("T")


class _ForList(ListView[T]):
    """A view that stands for a plain list: unhashable as one, and pickled as one."""

    __slots__ = ()

    __hash__ = None  # type: ignore[assignment]  # equal to lists

    def __reduce__(self) -> tuple[Any, ...]:
        return (list, (list(self),))


class Repeated(_ForList[T]):
    """``value``, ``size`` times, read as the list ``[value] * size``."""

    __slots__ = ("size", "value")

    def __init__(self, value: T, size: int) -> None:
        """``value`` repeated ``size`` times (a negative size is none)."""
        self.value = value
        self.size = max(size, 0)

    def __len__(self) -> int:
        return self.size

    def _item(self, index: int) -> T:
        return self.value

    def _run(self, first: int, last: int) -> list[T]:
        return [self.value] * (last - first)

    def __iter__(self) -> Iterator[T]:
        return itertools.repeat(self.value, self.size)

    def __eq__(self, other: object) -> bool:
        """Equal to a list, or another repeated value, of the same items (as a list is)."""
        if isinstance(other, Repeated):
            return self.size == other.size and (self.size == 0 or self.value == other.value)
        if isinstance(other, list):
            return len(other) == self.size and all(v == self.value for v in other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"Repeated({self.value!r}, {self.size})"


class Consecutive(_ForList[int]):
    """The numbers ``first``, ``first + 1`` ... ``size`` of them, read as that list."""

    __slots__ = ("first", "size")

    def __init__(self, first: int, size: int) -> None:
        """``size`` numbers from ``first``."""
        self.first, self.size = first, max(size, 0)

    @classmethod
    def of(cls, values: Sequence[int | None]) -> Consecutive | None:
        """``values`` as consecutive numbers, when that is what they are (else None)."""
        if isinstance(values, Consecutive):
            return values
        if not values or type(values[0]) is not int:
            return None
        first = values[0]
        if list(values) != list(range(first, first + len(values))):
            return None
        return cls(first, len(values))

    def __len__(self) -> int:
        return self.size

    def _item(self, index: int) -> int:
        return self.first + index

    def _run(self, first: int, last: int) -> list[int]:
        return list(range(self.first + first, self.first + last))

    def __iter__(self) -> Iterator[int]:
        return iter(range(self.first, self.first + self.size))

    def __eq__(self, other: object) -> bool:
        """Equal to a list, or other numbers, of the same numbers (as a list is)."""
        if isinstance(other, Consecutive):
            return self.size == other.size and (self.size == 0 or self.first == other.first)
        if isinstance(other, list):
            return other == list(self)
        return NotImplemented

    def __repr__(self) -> str:
        return f"Consecutive({self.first}, {self.size})"
