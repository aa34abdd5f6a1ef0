"""A tracker's column held deflated from its worker to the outputs, decoded when read.

The main process of a consolidation holds every tracker's tables until the outputs are
written. As Python lists they cost 8 bytes a cell for the list alone, and their values
an object each: ~54 KB a standard tracker, even with equal values held once
(:mod:`addin.core.shared_values`), so 1 GB of the 2 GB a run of 20,000 trackers peaked
at. A :class:`PackedColumn` is the column pickled and deflated (~10 KB a tracker), made in
the worker that read the file, so the main process never builds the values at all unless
an output reads them; the portfolio's data sheets are written from the rows the workers
rendered, so a run that writes only the portfolio decodes none.

Reading one decodes it whole (0.3 ms a tracker's 53 columns); the last columns decoded
are kept, so reading a column item by item, or a few side by side, decodes each once.

Its bytes may come from the cache file, so they are decoded with the cache's restricted
unpickler (cell values only), bounded in size, and must give a list of exactly its length;
anything else raises :class:`ValueError` (a cache entry holding one is a miss: see
:func:`addin.engine.cached_result.checked_result`).
"""

from __future__ import annotations

import pickle
import threading
import zlib
from collections.abc import Iterator, Sequence
from typing import Any

from addin.core.list_view import ListView
from addin.engine.cache import loads

#: Most bytes one cell may decode to (a cell holds at most 32,767 characters, each at most
#: 4 bytes in UTF-8, plus pickle's framing): bounds what a tampered column can inflate to.
_CELL_BYTES = 32_767 * 4 + 64
#: Decoded columns kept for reading again (a few tables' worth, side by side).
KEPT = 64

_kept: dict[int, tuple[PackedColumn, list[Any]]] = {}
_lock = threading.Lock()


class PackedColumn(ListView[Any]):
    """A column's values pickled and deflated; read as the list it holds."""

    __slots__ = ("data", "size")

    def __init__(self, data: bytes, size: int) -> None:
        """The column of ``size`` values that ``data`` holds (see :meth:`of`)."""
        self.data = data
        self.size = size

    @classmethod
    def of(cls, values: Sequence[Any]) -> PackedColumn:
        """``values`` packed (deflated at the fastest level)."""
        return cls(zlib.compress(pickle.dumps(list(values), protocol=5), 1), len(values))

    def decoded(self) -> list[Any]:
        """The values, decoded afresh (not kept).

        Raises:
            ValueError: the bytes do not hold a list of :attr:`size` values.
        """
        if type(self.data) is not bytes or type(self.size) is not int or self.size < 0:
            raise ValueError("a packed column is not bytes and a length")
        inflater = zlib.decompressobj()
        try:
            raw = inflater.decompress(self.data, 64 + self.size * _CELL_BYTES)
        except zlib.error as exc:
            raise ValueError(f"a packed column does not inflate: {exc}") from None
        if inflater.unconsumed_tail or not inflater.eof:
            raise ValueError("a packed column inflates past its bound, or not to its end")
        try:
            values = loads(raw)
        except Exception as exc:  # anything a tampered pickle can make the unpickler raise
            raise ValueError(f"a packed column does not unpickle: {exc}") from None
        if type(values) is not list or len(values) != self.size:
            raise ValueError("a packed column does not hold its length of values")
        return values

    def values(self) -> list[Any]:
        """The values, decoded once while this column is among the last :data:`KEPT` read."""
        key = id(self)
        with _lock:
            found = _kept.pop(key, None)
            if found is not None:
                _kept[key] = found  # the most recent again
                return found[1]
        values = self.decoded()
        with _lock:
            _kept[key] = (self, values)  # holding the column keeps its id from being reused
            while len(_kept) > KEPT:
                del _kept[next(iter(_kept))]
        return values

    def __len__(self) -> int:
        return self.size

    def _item(self, index: int) -> Any:
        return self.values()[index]

    def _run(self, first: int, last: int) -> list[Any]:
        return self.values()[first:last]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.values())

    def __eq__(self, other: object) -> bool:
        """Equal to a list or another packed column of equal values (as a list is)."""
        if isinstance(other, PackedColumn):
            return self.size == other.size and (
                self.data == other.data or self.values() == other.values()
            )
        if isinstance(other, list):
            return self.size == len(other) and self.values() == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to lists

    def __reduce__(self) -> tuple[Any, ...]:
        return (PackedColumn, (self.data, self.size))

    def __repr__(self) -> str:
        return f"PackedColumn({self.values()!r})"


def pack_columns(columns: dict[str, Sequence[Any]]) -> dict[str, Sequence[Any]]:
    """A table's columns with every list packed (a column packed already stays as it is)."""
    return {
        name: values if isinstance(values, PackedColumn) else PackedColumn.of(values)
        for name, values in columns.items()
    }
