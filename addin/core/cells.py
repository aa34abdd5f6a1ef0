"""Cell addresses: 0-based indexes inside, A1 references only at the edge; Excel's date range."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import lru_cache

from addin.core.list_view import ListView

#: The first and last day a cell can hold as a date (serials 1 to 2,958,465, 1900 system).
FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(9999, 12, 31)


@lru_cache(maxsize=1024)
def column_letter(col: int) -> str:
    """Return the Excel column letters of a 0-based column index (0 -> ``A``, 26 -> ``AA``)."""
    if col < 0:
        raise ValueError(f"column index must be >= 0, got {col}")
    letters = ""
    n = col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """Return the 0-based index of Excel column letters (``A`` -> 0, ``AA`` -> 26)."""
    n = 0
    for ch in letters.upper():
        if not "A" <= ch <= "Z":
            raise ValueError(f"not a column reference: {letters!r}")
        n = n * 26 + (ord(ch) - 64)
    if n == 0:
        raise ValueError("empty column reference")
    return n - 1


def a1(row: int, col: int) -> str:
    """Return the A1 reference of a 0-based (row, col), e.g. ``(16, 5)`` -> ``F17``."""
    return f"{column_letter(col)}{row + 1}"


def parse_a1(ref: str) -> tuple[int, int]:
    """Return the 0-based (row, col) of an A1 reference such as ``F17`` or ``$F$17``."""
    ref = ref.replace("$", "").upper()
    i = 0
    while i < len(ref) and ref[i].isalpha():
        i += 1
    if i == 0 or i == len(ref) or not ref[i:].isdigit():
        raise ValueError(f"not an A1 reference: {ref!r}")
    return int(ref[i:]) - 1, column_index(ref[:i])


def quote_sheet(name: str) -> str:
    """Return a sheet name as Excel writes it in a reference (quoted when needed)."""
    if name.replace("_", "").isalnum() and not name[0].isdigit():
        return name
    return "'" + name.replace("'", "''") + "'"


class RowAddresses(ListView[str]):
    """The addresses of rows one after another in one column: ``Tasks!A2``, ``Tasks!A3`` ...

    ``prefix`` (the quoted sheet name, ``!`` and the column letters) then each row number
    from ``first``, ``size`` rows: three values instead of a string a row (2 KB a standard
    tracker's rows, held for the whole of a run). An address is made when it is read.
    """

    __slots__ = ("first", "prefix", "size")

    def __init__(self, prefix: str, first: int, size: int) -> None:
        """``size`` addresses from row ``first`` (1-based, as Excel shows it)."""
        self.prefix, self.first, self.size = prefix, first, size

    def __len__(self) -> int:
        return self.size

    def _item(self, index: int) -> str:
        return self.prefix + str(self.first + index)

    def __iter__(self) -> Iterator[str]:
        return map(self.prefix.__add__, map(str, range(self.first, self.first + self.size)))

    def __eq__(self, other: object) -> bool:
        """Equal to a list, or other addresses, of the same addresses (as a list is)."""
        if isinstance(other, list | RowAddresses):
            return len(other) == self.size and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to lists

    def __repr__(self) -> str:
        return f"RowAddresses({self.prefix!r}, {self.first}, {self.size})"
