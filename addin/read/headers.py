"""Find a table's header row and map its columns to spec fields.

Headers are matched case- and space-insensitively against each field's canonical
header and synonyms (plus those settings add); newlines, trailing ``:``/``*`` and
a trailing parenthetical such as ``(£)`` or ``(dd/mm/yyyy)`` are ignored. The
header row is the row, among the first N, whose cells match the most fields;
a header split over two rows (``PLAN`` above ``START``) is matched as one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from addin.core.kinds import KINDS, SheetKind, kind, normalise
from addin.core.settings import Settings

#: A header row that maps at least this many fields (and 3/4 of its sheet's), with no
#: unknown cells, ends the search early.
_SURE = 4

_PAREN = re.compile(r"\s*[\(\[][^)\]]*[\)\]]\s*$")


@lru_cache(maxsize=4096)  # the same headers and labels recur in every tracker
@lru_cache(maxsize=8192)
def header_keys(text: str) -> tuple[str, ...]:
    """The folded forms a header cell may match: as written, then without a trailing ``(...)``.

    Cached: the same header texts come back in every tracker of a portfolio.
    """
    folded = normalise(text)
    bare = normalise(_PAREN.sub("", text.rstrip(":*. ")))
    return (folded,) if bare == folded or not bare else (folded, bare)


@dataclass(frozen=True)
class HeaderIndex:
    """Folded header text -> field name, for one sheet."""

    sheet: str
    names: dict[str, str]

    def match(self, text: Any) -> str | None:
        """Return the field a header cell names, or None."""
        if not isinstance(text, str) or not text.strip() or len(text) > 120:
            return None
        for key in header_keys(text):
            found = self.names.get(key)
            if found is not None:
                return found
        return None


def _build_index(spec: SheetKind, extra: dict[str, list[str]]) -> HeaderIndex:
    names: dict[str, str] = {}
    # Canonical headers win over any synonym, then synonyms in declaration order.
    for f in spec.fields:
        names.setdefault(normalise(f.header), f.name)
    for f in spec.fields:
        for synonym in (*f.synonyms, *extra.get(f.header, ())):
            names.setdefault(normalise(synonym), f.name)
    return HeaderIndex(spec.key, names)


@lru_cache(maxsize=64)
def _cached_indexes(
    extra_key: tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...],
) -> dict[str, HeaderIndex]:
    extra = {sheet: {h: list(s) for h, s in headers} for sheet, headers in extra_key}
    return {spec.key: _build_index(spec, extra.get(spec.key, {})) for spec in KINDS}


def header_indexes(settings: Settings) -> dict[str, HeaderIndex]:
    """Return the header index of every sheet under these settings (cached)."""
    extra = settings.reader.header_synonyms
    key = tuple(
        sorted(
            (sheet, tuple(sorted((h, tuple(s)) for h, s in headers.items())))
            for sheet, headers in extra.items()
        )
    )
    return _cached_indexes(key)


@dataclass
class HeaderMatch:
    """The header row found in a sheet and how its columns map.

    Attributes:
        row: 0-based row index of the (last) header row.
        columns: field name -> 0-based column index (first occurrence wins).
        headers: column index -> header text as written (for every non-empty header cell).
        duplicates: (field, used column, ignored column) for fields named twice.
        extras: column index -> header text of columns that map to no field.
    """

    row: int
    columns: dict[str, int]
    headers: dict[int, str] = field(default_factory=dict)
    duplicates: list[tuple[str, int, int]] = field(default_factory=list)
    extras: dict[int, str] = field(default_factory=dict)

    @property
    def score(self) -> int:
        """Number of distinct fields mapped."""
        return len(self.columns)


def _cell_text(v: Any) -> str:
    if isinstance(v, str):
        return v
    return ""


def _match_row(
    index: HeaderIndex, row: Sequence[Any], above: Sequence[Any] | None, left: int
) -> HeaderMatch:
    columns: dict[str, int] = {}
    headers: dict[int, str] = {}
    duplicates: list[tuple[str, int, int]] = []
    extras: dict[int, str] = {}
    for j, v in enumerate(row):
        text = _cell_text(v).strip()
        upper = _cell_text(above[j]).strip() if above is not None and j < len(above) else ""
        if not text:
            continue
        col = left + j
        name = None
        written = text
        if upper:
            name = index.match(f"{upper} {text}")
            if name is not None:
                written = f"{upper} {text}"
        if name is None:
            name = index.match(text)
        headers[col] = " ".join(written.split())
        if name is None:
            extras[col] = headers[col]
        elif name in columns:
            duplicates.append((name, columns[name], col))
        else:
            columns[name] = col
    return HeaderMatch(0, columns, headers, duplicates, extras)


def qualifies(sheet_key: str, match: HeaderMatch) -> bool:
    """True when a header match names the fields that identify this kind's table."""
    anchor = kind(sheet_key).anchor
    if anchor is None:
        return False
    return anchor.field in match.columns and bool(anchor.others & match.columns.keys())


def find_header(
    index: HeaderIndex, rows: Sequence[Sequence[Any]], *, top: int, left: int, scan: int
) -> HeaderMatch | None:
    """Find the best header row among the first ``scan`` rows of a grid.

    Args:
        index: The sheet's header index.
        rows: The grid's rows (as read, starting at ``top``/``left``).
        top: 0-based sheet row of ``rows[0]``.
        left: 0-based sheet column of ``rows[i][0]``.
        scan: How many sheet rows from the top of the sheet to consider.

    Returns:
        The best qualifying match (most fields; the earliest on a tie), or None.
    """
    best: HeaderMatch | None = None
    limit = max(0, min(len(rows), scan - top))
    sure = max(_SURE, round(len(kind(index.sheet).fields) * 0.75))
    for i in range(limit):
        row = rows[i]
        if not any(isinstance(v, str) and v.strip() for v in row):
            continue
        above = rows[i - 1] if i > 0 else None
        match = _match_row(index, row, above, left)
        if not qualifies(index.sheet, match):
            continue
        match.row = top + i
        if best is None or match.score > best.score:
            best = match
        if match.score >= sure and not match.extras and not match.duplicates:
            break  # a near-complete row of known headers and nothing else: stop looking
    return best


def is_gantt_header(value: Any) -> bool:
    """True for header cells that are dates or numbers (week/period bands of a Gantt chart)."""
    return isinstance(value, dt.date | float | int) and not isinstance(value, bool)
