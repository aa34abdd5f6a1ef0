"""Find a table's header row and map its columns to spec fields, by strength.

A header cell names a field through the field's canonical header (strength 3), a synonym
from the declaration, a language pack or settings (2), or a weak clue (1): a weak
synonym (``Description``), one part of a ``Comments / Resolution`` header, a header's
last word (``High Availability Risks``), or a one-letter typo (``Intial Release Date``).
Case, spacing, accents, zero-width characters, trailing ``:``/``*`` and a trailing
``(...)`` are ignored (:mod:`addin.read.header_text`). When two columns name one field,
the stronger header wins (:mod:`addin.read.columns` then weighs what the columns hold).

The header row is the row, among the first N, whose cells name the most fields; a header
split over two rows (``PLAN`` above ``START``, or ``Initial`` merged over
``Probability | Impact``) is read as one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from addin.core.kinds import KINDS, kind
from addin.core.lang import vocabulary
from addin.core.settings import Settings
from addin.read.header_text import HeaderIndex, build_index, header_keys

__all__ = [
    "HeaderIndex",
    "HeaderMatch",
    "find_header",
    "header_indexes",
    "header_keys",
    "is_gantt_header",
    "qualifies",
]

#: A header row that maps at least this many fields (and 3/4 of its sheet's), with no
#: unknown cells, ends the search early.
_SURE = 4

Merged = Sequence[tuple[tuple[int, int], tuple[int, int]]]


@lru_cache(maxsize=64)
def _cached_indexes(
    extra_key: tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...],
    languages: tuple[str, ...],
) -> dict[str, HeaderIndex]:
    extra = {sheet: {h: list(s) for h, s in headers} for sheet, headers in extra_key}
    vocab = vocabulary(languages)
    return {spec.key: build_index(spec, extra.get(spec.key, {}), vocab) for spec in KINDS}


def header_indexes(settings: Settings) -> dict[str, HeaderIndex]:
    """Return the header index of every kind under these settings (cached by value)."""
    extra = settings.reader.header_synonyms
    key = tuple(
        sorted(
            (sheet, tuple(sorted((h, tuple(s)) for h, s in headers.items())))
            for sheet, headers in extra.items()
        )
    )
    return _cached_indexes(key, settings.reader.languages)


@dataclass
class HeaderMatch:
    """The header row found in a sheet and how its columns map.

    Attributes:
        row: 0-based row index of the (last) header row.
        columns: field name -> 0-based column index (the strongest header; leftmost on a tie).
        headers: column index -> header text as written (for every non-empty header cell).
        duplicates: (field, used column, ignored column) for fields named twice.
        extras: column index -> header text of columns that map to no field.
        strength: field name -> how strongly its column's header names it (1-3).
        candidates: field name -> every (column, strength) that names it, leftmost first.
        kinded: Columns whose header names the kind itself (``Risk Owner``, ``Task ID``).
        end: 0-based sheet row where the table stops (exclusive; None: the sheet's end),
            when another table starts below it.
        sample: The first data rows below the header, once looked at (see
            :mod:`addin.read.columns`).
    """

    row: int
    columns: dict[str, int]
    headers: dict[int, str] = field(default_factory=dict)
    duplicates: list[tuple[str, int, int]] = field(default_factory=list)
    extras: dict[int, str] = field(default_factory=dict)
    strength: dict[str, int] = field(default_factory=dict)
    candidates: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    kinded: set[int] = field(default_factory=set)
    end: int | None = None
    sample: list[list[Any]] | None = field(default=None, repr=False, compare=False)

    @property
    def score(self) -> int:
        """Number of distinct fields mapped."""
        return len(self.columns)

    @property
    def weight(self) -> int:
        """Sum of the mapped fields' strengths (ties between rows of equal score)."""
        return sum(self.strength.values())

    def pick(self, name: str, col: int | None) -> None:
        """Map ``name`` to ``col`` (None: to no column); the other candidates become duplicates."""
        if col is None:
            self.columns.pop(name, None)
            self.strength.pop(name, None)
        else:
            self.columns[name] = col
            self.strength[name] = dict(self.candidates.get(name, [])).get(col, 1)
        self.recount()

    def recount(self) -> None:
        """List as duplicates every candidate column of a mapped field that is not its column."""
        used = set(self.columns.values())
        self.duplicates = [
            (f, self.columns[f], c)
            for f, cands in self.candidates.items()
            if f in self.columns
            for c, _ in cands
            if c not in used
        ]


def _text(v: Any) -> str:
    return v.strip() if isinstance(v, str) else ""


def merged_fill(
    merged: Merged, rows: Sequence[Sequence[Any]], top: int, left: int, upto: int
) -> dict[tuple[int, int], tuple[str, int]]:
    """(row, col) -> (text, first row) of the merged range covering it, in the first rows."""
    out: dict[tuple[int, int], tuple[str, int]] = {}
    for (r0, c0), (r1, c1) in merged:
        if r0 >= upto or (r0 == r1 and c0 == c1):
            continue
        i, j = r0 - top, c0 - left
        if not (0 <= i < len(rows)) or not (0 <= j < len(rows[i])):
            continue
        text = _text(rows[i][j])
        if not text:
            continue
        for r in range(r0, min(r1, upto) + 1):
            for c in range(c0, min(c1, c0 + 200) + 1):
                out[(r, c)] = (text, r0)
    return out


def match_row(
    index: HeaderIndex,
    row: Sequence[Any],
    above: Sequence[Any] | None,
    *,
    r: int,
    left: int,
    fill: Mapping[tuple[int, int], tuple[str, int]],
) -> HeaderMatch:
    cands: dict[str, list[tuple[int, int]]] = {}
    headers: dict[int, str] = {}
    extras: dict[int, str] = {}
    kinded: set[int] = set()
    width = max(len(row), len(above) if above is not None else 0)
    for j in range(width):
        col = left + j
        text = _text(row[j]) if j < len(row) else ""
        if not text and fill:  # a header merged down from the row above (not across)
            text, first = fill.get((r, col), ("", r))
            text = text if first < r else ""
        if not text:
            continue
        upper = _text(above[j]) if above is not None and j < len(above) else ""
        if not upper and fill:  # ``Initial`` merged over three columns of the row below
            upper = fill.get((r - 1, col), ("", 0))[0]
        hit = index.hit(text)
        written = text
        if upper and upper != text:  # the two rows read as one, when that names more
            joined = index.hit(f"{upper} {text}")
            if joined is not None and (hit is None or joined[1] >= hit[1]):
                hit, written = joined, f"{upper} {text}"
        headers[col] = " ".join(written.split())
        if hit is None:
            extras[col] = headers[col]
            continue
        cands.setdefault(hit[0], []).append((col, hit[1]))
        if index.mentions_kind(written):
            kinded.add(col)
    match = HeaderMatch(0, {}, headers, [], extras, {}, cands, kinded)
    for name, found in cands.items():
        best = max(found, key=lambda cs: (cs[1], -cs[0]))
        match.columns[name] = best[0]
        match.strength[name] = best[1]
    match.recount()
    return match


def qualifies(sheet_key: str, match: HeaderMatch, *, named: bool = False) -> bool:
    """True when a header match names the fields that identify this kind's table.

    See :class:`~addin.core.kinds.spec.Anchor`: the anchor plus a field only this kind has;
    or the anchor by a header of its own (not a weak one) plus a shared field (owner,
    status, an ID); or, on a sheet named for the kind or in a row whose headers name the
    kind, the anchor plus any of those.
    """
    spec = kind(sheet_key)
    anchor = spec.anchor
    if anchor is None or anchor.field not in match.columns:
        return False
    found = match.columns.keys()
    if len(found) == 2 and spec.fields[0].name in found and not match.extras:
        return False  # "# | Activity": a numbered list of lines, not a table
    if anchor.others & found:
        return True
    if not anchor.common & found:
        return False
    return match.strength.get(anchor.field, 0) >= 2 or named or says_kind(match, anchor.field)


def says_kind(match: HeaderMatch, anchor: str) -> bool:
    """True when a header other than the anchor's names the kind (``Risk Owner``)."""
    return any(c != match.columns.get(anchor) for c in match.kinded)


def find_header(
    index: HeaderIndex,
    rows: Sequence[Sequence[Any]],
    *,
    top: int,
    left: int,
    scan: int,
    merged: Merged = (),
    named: bool = False,
    start: int = 0,
) -> HeaderMatch | None:
    """Find the best header row among the first ``scan`` rows of a grid.

    Args:
        index: The kind's header index.
        rows: The grid's rows (as read, starting at ``top``/``left``).
        top: 0-based sheet row of ``rows[0]``.
        left: 0-based sheet column of ``rows[i][0]``.
        scan: How many sheet rows from the top of the sheet to consider.
        merged: The sheet's merged ranges (a header merged over columns or rows is read in
            every cell it covers).
        named: The sheet is named for this kind (a weaker header row qualifies).
        start: The first grid row to consider (to find a table below another).

    Returns:
        The best qualifying match (most fields, then the strongest headers; the earliest
        on a tie), or None.
    """
    best: HeaderMatch | None = None
    limit = max(0, min(len(rows), scan - top))
    fill = merged_fill(merged, rows, top, left, top + limit + 1) if merged else {}
    sure = max(_SURE, round(len(kind(index.sheet).fields) * 0.75))
    for i in range(start, limit):
        row = rows[i]
        if not any(isinstance(v, str) and v.strip() for v in row) and not fill:
            continue
        above = rows[i - 1] if i > 0 else None
        match = match_row(index, row, above, r=top + i, left=left, fill=fill)
        if not qualifies(index.sheet, match, named=named):
            continue
        match.row = top + i
        if best is None or (match.score, match.weight) > (best.score, best.weight):
            best = match
        if match.score >= sure and not match.extras and not match.duplicates:
            break  # a near-complete row of known headers and nothing else: stop looking
    return best


def is_gantt_header(value: Any) -> bool:
    """True for header cells that are dates or numbers (week/period bands of a Gantt chart)."""
    return isinstance(value, dt.date | float | int) and not isinstance(value, bool)
