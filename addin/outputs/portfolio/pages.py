"""Tables longer than a sheet continue on the next: ``Tasks``, ``Tasks (2)``, ``Tasks (3)`` ...

A worksheet holds 1,048,576 rows; a client that opens a longer one drops the rest
without a word (Excel, LibreOffice, openpyxl, calamine). Thirty trackers of
100,000 task rows each, every one within limits, already make a longer Tasks
table, so the portfolio writer cuts a long table into sheets of at most
:data:`MAX_SHEET_ROWS` data rows, each with the same header, table and formats,
and the reader joins them again. No row is ever lost.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterator, Sequence
from typing import TypeVar

from addin.core.list_view import ListView

T = TypeVar("T")

#: Data rows one sheet holds: Excel's 1,048,576 rows less the header row.
MAX_SHEET_ROWS = 1_048_575


def sheet_count(rows: int) -> int:
    """How many sheets a table of ``rows`` data rows takes (one, even when empty)."""
    return max(1, -(-rows // MAX_SHEET_ROWS))


def titles(title: str, rows: int) -> list[str]:
    """The sheet names of a table of ``rows`` data rows: ``title``, ``title (2)`` ..."""
    return [title, *(f"{title} ({i})" for i in range(2, sheet_count(rows) + 1))]


def continued(title: str, names: Collection[str]) -> list[str]:
    """The sheets of a workbook (``names``) that hold table ``title``, in order."""
    out = [title]
    while f"{title} ({len(out) + 1})" in names:
        out.append(f"{title} ({len(out) + 1})")
    return out


def split(rows: Sequence[T]) -> list[Sequence[T]]:
    """Rows cut into one slice per sheet (see :func:`sheet_count`)."""
    cap = MAX_SHEET_ROWS
    return [rows[i * cap : (i + 1) * cap] for i in range(sheet_count(len(rows)))]


class Window(ListView[T]):
    """Items ``start:stop`` of a sequence, not copied: one sheet's share of a column.

    A portfolio's columns hold hundreds of thousands of rows; a copy of each per sheet
    doubled them in memory while the workbook was written (30 MB at 1,000 trackers).
    A slice of a window is a list, as a slice of a list is.
    """

    __slots__ = ("_base", "_start", "_stop")

    def __init__(self, base: Sequence[T], start: int, stop: int) -> None:
        """Items ``start`` (included) to ``stop`` (excluded) of ``base``, which must not change."""
        self._base, self._start, self._stop = base, start, max(start, min(stop, len(base)))

    def __len__(self) -> int:
        return self._stop - self._start

    def _item(self, index: int) -> T:
        return self._base[self._start + index]

    def _run(self, first: int, last: int) -> list[T]:
        part = self._base[self._start + first : self._start + last]
        return part if type(part) is list else list(part)

    def __iter__(self) -> Iterator[T]:
        return itertools.islice(self._base, self._start, self._stop)


def window(rows: Sequence[T], start: int, stop: int) -> Sequence[T]:
    """Items ``start:stop`` of ``rows``: ``rows`` itself when it is all of them, else a window."""
    if start == 0 and stop >= len(rows):
        return rows
    return Window(rows, start, stop)


def paged(title: str, rows: Sequence[T]) -> list[tuple[str, Sequence[T]]]:
    """``(sheet title, its rows)`` for each sheet of a table (see :func:`titles`)."""
    return list(zip(titles(title, len(rows)), split(rows), strict=True))


def note(tables: dict[str, int]) -> str:
    """The About sheet's line on the tables continued over several sheets ("" when none was).

    Args:
        tables: Data rows of each table, by its first sheet's title.
    """
    parts = [
        f"{title} on {len(names)} sheets ({', '.join(names)})"
        for title, rows in tables.items()
        if len(names := titles(title, rows)) > 1
    ]
    if not parts:
        return ""
    return f"{'; '.join(parts)}: a sheet holds at most {MAX_SHEET_ROWS:,} rows below its header"
