"""A tracker's findings held as a few bytes each, read as the list of findings they are.

A :class:`~addin.core.findings.Finding` is a tuple of nine: 128 bytes, and 8 more for the
list that holds it. A large run keeps every file's findings until it has written its
outputs: 20,000 messy trackers hold 4.7 M of them, 640 MB as tuples. Most of a large
run reads a file's findings only to count them (errors, warnings), and its Findings
sheet is written from rows its workers rendered. :class:`PackedFindings` keeps a
tracker's findings as their pickle, deflated, their severities as one byte each and
its first error as it is: the 236 findings of a messy bench tracker take 3.0 KB, not
36.6 KB (with their texts). Packing them costs 0.23-0.30 ms, and reading them back as
tuples 0.25 ms, where calamine takes 4.7 ms to read that tracker. The few findings a
run adds to a file's own on its day are set among them by :class:`PackedWithAdded`,
which leaves them packed.

It reads as the list it stands for (``for``, ``len``, indexes, slices, ``==``): each
finding is made again when read, so a pass over them makes them afresh and a reader
that keeps them keeps them as tuples. It pickles (to the cache, say) as that list, of
plain tuples, as a result's findings do (:func:`~addin.core.quick_state.rows_as_tuples`).
A large run's worker packs a tracker's findings and sends them to the run packed
(:func:`as_sent`, the reducer :mod:`addin.engine.wire` gives its pickler), so the run
neither unpickles them as tuples nor packs them again. The pickle it holds is made by
``pmo`` from findings in memory, in the run's process or in one of its workers (whose
whole result the run unpickles anyway), never read from a file or the cache.
"""

from __future__ import annotations

import bisect
import itertools
import pickle
import zlib
from collections.abc import Iterator, Sequence
from typing import Any

from addin.core import deflate
from addin.core.findings import Finding, Severity
from addin.core.list_view import ListView

_SEVERITIES = tuple(Severity)
_SEVERITY_CODE = {id(s): n for n, s in enumerate(_SEVERITIES)}
_AT_SEVERITY = Finding._fields.index("severity")
_ERROR = _SEVERITIES.index(Severity.ERROR)


class _HeldFindings(ListView[Finding]):
    """Findings held otherwise than as a list, read, compared and pickled as that list."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        """Equal to a list, or other findings held so, of equal findings in the same order."""
        if not isinstance(other, list | _HeldFindings):
            return NotImplemented
        return len(self) == len(other) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # equal to lists

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled (to the cache, say) as what a result's findings pickle as: plain tuples
        return (list, (self._rows(),))

    def _rows(self) -> list[tuple[Any, ...]]:
        """The findings as plain tuples."""
        return list(map(tuple, self))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self)!r})"


class PackedFindings(_HeldFindings):
    """Findings held packed: read as the list of :class:`Finding` tuples they were made from."""

    __slots__ = ("_blob", "_first_error", "_severities", "_size")

    def __init__(self, findings: Sequence[Finding]) -> None:
        """``findings`` packed.

        Each reads back equal and of the same types: a severity a
        :class:`~addin.core.severity.Severity`, never the equal string.
        """
        self._size = len(findings)
        rows = list(map(tuple, findings))
        self._blob = deflate.compress(pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL), 1)
        codes = [_SEVERITY_CODE.get(id(row[_AT_SEVERITY]), -1) for row in rows]
        self._severities = bytes(codes) if -1 not in codes else None  # else read from the rows
        # the first error names the file's reason (FileReport.settle): read without the rest
        first = self._severities.find(_ERROR) if self._severities is not None else -1
        self._first_error = (first, findings[first]) if first >= 0 else None

    @classmethod
    def _sent(
        cls,
        size: int,
        blob: bytes,
        severities: bytes | None,
        first_error: tuple[int, Finding] | None,
    ) -> PackedFindings:
        """Findings as a worker packed and sent them (see :func:`as_sent`)."""
        self = cls.__new__(cls)
        self._size, self._blob, self._severities = size, blob, severities
        self._first_error = first_error
        return self

    def _rows(self) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = pickle.loads(zlib.decompress(self._blob))  # see __init__
        return rows

    def _findings(self) -> list[Finding]:
        return list(map(tuple.__new__, itertools.repeat(Finding), self._rows()))

    def __len__(self) -> int:
        return self._size

    def _item(self, index: int) -> Finding:
        kept = self._first_error
        if kept is not None and kept[0] == index:
            return kept[1]
        return self._findings()[index]

    def _run(self, first: int, last: int) -> list[Finding]:
        return self._findings()[first:last]

    def __iter__(self) -> Iterator[Finding]:
        return iter(self._findings())

    def severities(self) -> list[Severity]:
        """The severity of each finding, in order, without making the findings again."""
        if self._severities is None:
            return [f.severity for f in self._findings()]
        return list(map(_SEVERITIES.__getitem__, self._severities))


def as_sent(findings: PackedFindings) -> tuple[Any, ...]:
    """How a worker pickles packed findings for its run: packed, as they are held.

    A reducer for :class:`multiprocessing.reduction.ForkingPickler` only: anything else
    (the cache, a Dask cluster) pickles them as the plain list they stand for.
    """
    held = (findings._size, findings._blob, findings._severities, findings._first_error)
    return (PackedFindings._sent, held)


class PackedWithAdded(_HeldFindings):
    """A file's packed findings with those the run added set among them, read as one list.

    The run adds a few findings to a file's own on its day (a stale Status Date, a
    Project ID claimed twice: ``engine.pipeline.finish``). They stand at ``at`` (ascending,
    as ``FileReport.added_at`` says) in the list this reads as; the file's own stay packed,
    not packed again with them, and reading an added finding, or the first error, makes
    none of the others again.
    """

    __slots__ = ("_added", "_at", "_own")

    def __init__(self, own: PackedFindings, added: Sequence[Finding], at: Sequence[int]) -> None:
        """``own`` with ``added[k]`` standing at index ``at[k]`` (ascending) of the whole."""
        places = list(at)
        if len(added) != len(places) or places != sorted(set(places)):
            raise ValueError("added findings need one place each, ascending")
        if places and places[-1] >= len(own) + len(places):
            raise ValueError("an added finding stands past the end of the list")
        self._own, self._added, self._at = own, tuple(added), tuple(at)

    def __len__(self) -> int:
        return len(self._own) + len(self._added)

    def _merged(self) -> list[Finding]:
        out = list(self._own)
        for at, finding in zip(self._at, self._added, strict=True):
            out.insert(at, finding)
        return out

    def _item(self, index: int) -> Finding:
        before = bisect.bisect_left(self._at, index)  # added findings before ``index``
        if before < len(self._at) and self._at[before] == index:
            return self._added[before]
        return self._own[index - before]

    def _run(self, first: int, last: int) -> list[Finding]:
        return self._merged()[first:last]

    def __iter__(self) -> Iterator[Finding]:
        return iter(self._merged())

    def severities(self) -> list[Severity]:
        """The severity of each finding, in order, without making the file's own again."""
        out = self._own.severities()
        for at, finding in zip(self._at, self._added, strict=True):
            out.insert(at, finding.severity)
        return out
