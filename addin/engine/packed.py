"""A tracker's column held compressed from its worker to the outputs, decoded when read.

The main process of a consolidation holds every tracker's tables until the outputs are
written. As Python lists they cost 8 bytes a cell for the list alone, and their values
an object each: ~54 KB a standard tracker, even with equal values held once
(:mod:`addin.core.shared_values`), so 1 GB of the 2 GB a run of 20,000 trackers peaked
at. A :class:`PackedColumn` is the column pickled and compressed (~12 KB a tracker), made in
the worker that read the file, so the main process never builds the values at all unless
an output reads them; the portfolio's data sheets are written from the rows the workers
rendered, so a run that writes only the portfolio decodes none.

The compression is LZ4 (``lz4.block``, the size stored before the data): packing a
standard tracker's 53 columns took 0.77 ms with zlib at its fastest level and takes
0.08 ms, decoding them 0.17 ms and now 0.03 ms, for columns a third larger (12 KB a
tracker instead of 8.5). zlib was a twentieth of a worker's time for each tracker.

Reading one decodes it whole (0.3 ms a tracker's 53 columns); the last columns decoded
are kept, so reading a column item by item, or a few side by side, decodes each once.

Its bytes may come from the cache file, so they are decoded with the cache's restricted
unpickler (cell values only), bounded in size, and must give a list of exactly its length;
anything else raises :class:`ValueError` (a cache entry holding one is a miss: see
:func:`addin.engine.cached_result.checked_result`).

Even deflated (with zlib, before LZ4), a run of 20,000 trackers held 340 MB of columns
(17 KB a tracker: 10 KB of data, the rest a bytes object and its header for each of ~68
columns). A large run that writes its outputs to a folder (more than
:data:`~addin.engine.consolidate.LARGE_RUN` files) sets each table's column bytes
aside in one piece of a temporary file as the result arrives (:func:`spill_columns`,
:mod:`addin.core.spill`): what stays in memory is one small object a column, and nothing
for an empty one (all share :data:`EMPTY`). A column set aside reads its table's piece
back when decoded (the last few pieces read are kept), and pickles as its bytes, as any
other.
"""

from __future__ import annotations

import datetime as dt
import pickle
import struct
import threading
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import lz4.block  # type: ignore[import-untyped]

from addin.core.list_view import ListView
from addin.core.spill import Spill, Spilled
from addin.engine.cache_payload import loads

#: Most bytes one cell may decode to (a cell holds at most 32,767 characters, each at most
#: 4 bytes in UTF-8, plus pickle's framing): bounds what a tampered column can decode to.
_CELL_BYTES = 32_767 * 4 + 64
#: Decoded columns kept for reading again (a few tables' worth, side by side).
KEPT = 64
#: Tables' pieces read back from a spill and kept for their other columns.
KEPT_PIECES = 8

#: A column of dates (and empty cells) is held as ``(DATES, [ordinal or None, ...])``: a date
#: pickles as a call that rebuilds it (0.9 us a date, most of the time spent packing a
#: tracker's columns), a day's ordinal as a number (0.05 us), and rebuilds quicker too.
DATES = "dates"
_DATE_KINDS = frozenset({dt.date, type(None)})
_ORDINAL_KINDS = frozenset({int, type(None)})
_from_ordinal = dt.date.fromordinal
#: Days made from their ordinals, kept: a portfolio's columns hold a few thousand distinct
#: dates over and over, and making one (0.4 us) cost more than reading its ordinal.
_DAYS: dict[int, dt.date] = {}
_MAX_DAYS = 1 << 16

_kept: dict[int, tuple[PackedColumn, list[Any]]] = {}
_pieces: dict[int, tuple[Spilled, bytes]] = {}
_lock = threading.Lock()
#: A table's piece starts with the number of its columns, then where each one's bytes end.
_COUNT = struct.Struct("<I")
#: LZ4 writes at least one byte for every 255 it decodes to (a long run of one byte), so
#: bytes whose stored size is larger than that are refused before the size is allocated.
_LZ4_RATIO = 255


def _compress(raw: bytes) -> bytes:
    """``raw`` compressed with LZ4, its size stored first (see :meth:`PackedColumn.decoded`)."""
    data: bytes = lz4.block.compress(raw, store_size=True)
    return data


class PackedColumn(ListView[Any]):
    """A column's values pickled and compressed; read as the list it holds."""

    __slots__ = ("data", "part", "size")
    #: The form of its bytes, part of every cache entry's fingerprint: 2 holds a column of
    #: dates as their ordinals (:data:`DATES`); 3 compresses with LZ4, not zlib.
    FORM = 3

    def __init__(self, data: bytes | Spilled, size: int, part: int = -1) -> None:
        """The column of ``size`` values that ``data`` holds (see :meth:`of`).

        ``part`` >= 0: ``data`` is a table's piece set aside, of which this column is that
        part (see :func:`spill_columns`).
        """
        self.data = data
        self.size = size
        self.part = part

    @classmethod
    def of(cls, values: Sequence[Any]) -> PackedColumn:
        """``values`` packed (pickled, then compressed with LZ4); see :data:`DATES`."""
        items = list(values)
        kinds = set(map(type, items))
        held: Any = items
        if dt.date in kinds and kinds <= _DATE_KINDS:
            held = (DATES, [None if v is None else v.toordinal() for v in items])
        return cls(_compress(pickle.dumps(held, protocol=5)), len(items))

    def decoded(self) -> list[Any]:
        """The values, decoded afresh (not kept).

        Raises:
            ValueError: the bytes do not hold a list of :attr:`size` values.
        """
        data = self.raw()
        if type(data) is not bytes or type(self.size) is not int or self.size < 0:
            raise ValueError("a packed column is not bytes and a length")
        if len(data) < 4:
            raise ValueError("a packed column is too short to hold its size")
        stored = int.from_bytes(data[:4], "little")  # the size lz4.block stored first
        if stored > 64 + self.size * _CELL_BYTES or stored > _LZ4_RATIO * len(data):
            raise ValueError("a packed column says it decompresses past its bound")
        try:
            raw = lz4.block.decompress(data)
        except (lz4.block.LZ4BlockError, ValueError) as exc:  # damaged, cut, or not its size
            raise ValueError(f"a packed column does not decompress: {exc}") from None
        try:
            values = loads(raw)
        except Exception as exc:  # anything a tampered pickle can make the unpickler raise
            raise ValueError(f"a packed column does not unpickle: {exc}") from None
        if type(values) is tuple and len(values) == 2 and values[0] == DATES:
            values = _dates(values[1])
        if type(values) is not list or len(values) != self.size:
            raise ValueError("a packed column does not hold its length of values")
        return values

    def raw(self) -> bytes:
        """The column's compressed bytes (read back when set aside)."""
        if self.part < 0 or type(self.data) is not Spilled:
            return self.data  # type: ignore[return-value]  # checked by the caller
        return _part(self.data, self.part)

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
                self.raw() == other.raw() or self.values() == other.values()
            )
        if isinstance(other, list):
            return self.size == len(other) and self.values() == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to lists

    def __reduce__(self) -> tuple[Any, ...]:
        return (PackedColumn, (self.raw(), self.size))

    def __repr__(self) -> str:
        return f"PackedColumn({self.values()!r})"


def _dates(ordinals: Any) -> list[dt.date | None]:
    """The dates a column of :data:`DATES` holds as their ordinals (None where empty).

    Raises:
        ValueError: not a list of whole numbers that are days from 0001-01-01 to 9999-12-31.
    """
    if type(ordinals) is not list or not set(map(type, ordinals)) <= _ORDINAL_KINDS:
        raise ValueError("a packed column of dates does not hold their ordinals")
    missing = set(ordinals).difference(_DAYS)
    missing.discard(None)
    if missing:
        try:
            made = {o: _from_ordinal(o) for o in missing}
        except (ValueError, OverflowError) as exc:
            raise ValueError(f"a packed column of dates holds a day out of range: {exc}") from None
        if len(_DAYS) + len(made) > _MAX_DAYS:  # never emptied: another thread may be reading
            return [None if o is None else _DAYS.get(o) or made[o] for o in ordinals]
        _DAYS.update(made)
    return list(map(_DAYS.get, ordinals))


def pack_columns(columns: dict[str, Sequence[Any]]) -> dict[str, Sequence[Any]]:
    """A table's columns with every list packed (a column packed already stays as it is)."""
    return {
        name: values if isinstance(values, PackedColumn) else PackedColumn.of(values)
        for name, values in columns.items()
    }


#: The one empty column every empty column set aside becomes.
EMPTY = PackedColumn.of([])


def spill_columns(columns: Mapping[str, Sequence[Any]], spill: Spill) -> dict[str, Sequence[Any]]:
    """A table's columns with the bytes of its packed ones set aside in ``spill``.

    All of them in one piece; an empty one becomes :data:`EMPTY`. Columns not packed, or
    set aside already, stay as they are.

    Raises:
        OSError: the spill could not take them (the columns are as they were).
    """
    out = dict(columns)
    mine = [(n, c) for n, c in out.items() if type(c) is PackedColumn and c.part < 0]
    for name, column in mine:
        if not column.size:
            out[name] = EMPTY
    mine = [(n, c) for n, c in mine if c.size]
    if not mine:
        return out
    data = [c.data for _, c in mine if isinstance(c.data, bytes)]
    if len(data) != len(mine):
        return out
    ends, end = [], 0
    for d in data:
        end += len(d)
        ends.append(end)
    piece = spill.put(b"".join([struct.pack(f"<I{len(ends)}I", len(ends), *ends), *data]))
    for part, (name, column) in enumerate(mine):
        out[name] = PackedColumn(piece, column.size, part)
    return out


def _part(piece: Spilled, part: int) -> bytes:
    """Column ``part``'s bytes in a table's ``piece`` (read back once while among the last)."""
    key = id(piece)
    with _lock:
        found = _pieces.get(key)
    if found is None:
        found = (piece, piece.read())
        with _lock:
            _pieces[key] = found  # holding the piece keeps its id from being reused
            while len(_pieces) > KEPT_PIECES:
                del _pieces[next(iter(_pieces))]
    data = found[1]
    (count,) = _COUNT.unpack_from(data)
    ends = struct.unpack_from(f"<{count}I", data, _COUNT.size)
    first = _COUNT.size + 4 * count
    start = first + (ends[part - 1] if part else 0)
    return data[start : first + ends[part]]
