"""A column made of other lists end to end, read as one sequence without copying them.

A portfolio's column is every tracker's column of that field, one after the other. Built
by extending one list, it held each tracker's values twice while the portfolio was
assembled, and the memory the trackers' lists gave back could not hold the long list
that replaced them: 28 MB of a 170 MB peak at 1,000 trackers, 0.5 GB at 20,000. A :class:`Chunked`
keeps the trackers' own lists as its chunks: appending one costs a reference.

Reading it in order (``for``, ``zip``) walks the chunks; reading one item costs a
binary search over the chunks' ends, remembering the last chunk it read, so reading
items in order stays cheap. Loops over many rows should zip columns rather than index them.
"""

from __future__ import annotations

import bisect
import itertools
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar

from addin.core.list_view import ListView

T = TypeVar("T")


class Chunked(ListView[T]):
    """Lists read end to end as one sequence; each chunk must not change once added."""

    __slots__ = ("_chunks", "_ends", "_last")

    def __init__(self, chunks: Iterable[Sequence[T]] = ()) -> None:
        """A sequence of ``chunks``, in order (none: empty)."""
        self._chunks: list[Sequence[T]] = []
        # the index just past each chunk, as machine integers: 8 bytes each, not an int
        # object each (36), for the 50 chunks a tracker adds to a run's columns
        self._ends = array("q")
        self._last = 0  # the chunk the last item read came from
        for chunk in chunks:
            self.add(chunk)

    def add(self, chunk: Sequence[T]) -> None:
        """Append ``chunk``'s items (the chunk itself, not a copy; an empty one is dropped)."""
        n = len(chunk)
        if n:
            ends = self._ends
            self._chunks.append(chunk)
            ends.append(ends[-1] + n if ends else n)

    @property
    def chunks(self) -> tuple[Sequence[T], ...]:
        """The chunks, in order."""
        return tuple(self._chunks)

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    def _item(self, index: int) -> T:
        k = self._last
        if not (self._ends[k] - len(self._chunks[k]) <= index < self._ends[k]):
            k = self._last = bisect.bisect_right(self._ends, index)
        return self._chunks[k][index - self._ends[k] + len(self._chunks[k])]

    def _run(self, first: int, last: int) -> list[T]:
        out: list[T] = []
        k = bisect.bisect_right(self._ends, first)
        while first < last and k < len(self._chunks):
            chunk, end = self._chunks[k], self._ends[k]
            start = end - len(chunk)
            out.extend(chunk[first - start : min(last, end) - start])
            first, k = end, k + 1
        return out

    def __iter__(self) -> Iterator[T]:
        return itertools.chain.from_iterable(self._chunks)

    def __eq__(self, other: object) -> bool:
        """Equal to a list or another column of equal items in the same order (as a list is)."""
        if not isinstance(other, list | Chunked):
            return NotImplemented
        return len(self) == len(other) and all(
            a is b or a == b for a, b in zip(self, other, strict=True)
        )

    __hash__ = None  # type: ignore[assignment]  # equal to lists, and as mutable as one

    def __repr__(self) -> str:
        return f"Chunked({list(self)!r})"
