"""Equal cell values from many trackers held once: a dictionary-encoded column's trick.

Each tracker's result reaches the main process as its own objects: the sheet name
``"Tasks"`` of each of its rows and the cell address ``"Tasks!B12"`` are new objects in
every one of a thousand trackers, though trackers made from one template repeat them all
over. :class:`ValuePool` swaps each value for the first equal one it has seen, so the
main process holds one copy, and the tracker's own copies are freed at once. (The cell
values themselves stay packed until an output reads them: :mod:`addin.engine.packed`.)

Only columns whose every value is a ``str``, ``date``, ``datetime`` or None are shared:
these are immutable and no two of those types compare equal, so a shared value is the
very value it replaces. Numbers are left as they are: floats (``0.0 == -0.0``) and bools
(``True == 1``) could become another value, and Python already holds small ints once.
A column whose values hardly repeat (free-text notes) stops being pooled once it has
shown it, as Parquet writers fall back from a dictionary to plain values, so the pool
never costs more than it saves for long.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from typing import Any, TypeVar

T = TypeVar("T")

#: The value types a column may hold, all of them, to be shared.
SHAREABLE = frozenset({str, dt.date, dt.datetime, type(None)})
#: Values a column is watched over before it may be found not to repeat.
TRIAL = 20_000
#: Values one at a time (:meth:`ValuePool.one`) watched over before they may be found not
#: to repeat.
ONE_TRIAL = 200
#: A column whose distinct values are more than this share of its values stops pooling.
MOSTLY_DISTINCT = 0.5


class _Column:
    """The values seen in one named column, while it repeats enough to be worth it."""

    __slots__ = ("active", "seen", "values")

    def __init__(self) -> None:
        self.seen: dict[Any, Any] = {}
        self.values = 0
        self.active = True


class ValuePool:
    """Share equal values across the columns of many results, column by column.

    One pool is meant for one run: it keeps a reference to every distinct value it
    shares until it is dropped.
    """

    def __init__(self) -> None:
        self._columns: dict[Hashable, _Column] = {}

    def one(self, name: Hashable, value: T, key: Hashable) -> T:
        """The first value seen under ``name`` with this ``key`` (``value``, when it is the first).

        For values that are not hashable themselves (a table's column letters, a dict):
        ``key`` stands for ``value``, and equal keys must mean equal values, never changed.
        Like a column, a name whose values hardly repeat (trackers from as many templates)
        stops being pooled once :data:`ONE_TRIAL` of them have shown it.
        """
        column = self._columns.get(name)
        if column is None:
            column = self._columns[name] = _Column()
        if not column.active:
            return value
        found: T = column.seen.setdefault(key, value)
        column.values += 1
        if column.values >= ONE_TRIAL and len(column.seen) > MOSTLY_DISTINCT * column.values:
            column.active = False
            column.seen.clear()
        return found

    def share(self, name: Hashable, values: list[Any]) -> None:
        """Replace, in place, each value of ``values`` by the first equal one seen under ``name``.

        A list holding any value of another type (a number) is left as it is.
        """
        column = self._columns.get(name)
        if column is None:
            column = self._columns[name] = _Column()
        if not column.active or not values or not set(map(type, values)) <= SHAREABLE:
            return
        seen = column.seen
        values[:] = map(seen.setdefault, values, values)
        column.values += len(values)
        if column.values >= TRIAL and len(seen) > MOSTLY_DISTINCT * column.values:
            column.active = False
            seen.clear()
