"""Which rows below a header are records, as a person counting them would decide.

Kept out, each with a reason:

- a *continuation*: the name cell is blank because it is merged down from the row above
  (one risk spread over three rows for its numbered mitigation steps) - part of that
  record, silently;
- a *placeholder*: only the ID or WBS number is filled (a pre-numbered empty row) -
  silently, it holds nothing;
- a *total*: the name is ``Subtotal``, ``Total``, ``Gesamt`` ... - a warning at the row;
- a *subtotal* by any label: a row closing its outline group (``2`` below ``2.a`` ..
  ``2.x``) with the sum of its lines (:mod:`addin.read.subtotals`) - a warning at the row;
- a row with values but *no name and no ID* (formula residue, a totals line whose label
  sits in an unheaded column) - a warning at the row;
- a *heading*: only the name (and its number) filled while most rows hold more (phase
  rows ``1 Organisation`` above ``1.1 ...``) - the section-heading warning.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from addin.core.findings import display_value
from addin.core.kinds import SheetKind, ValueType
from addin.core.lang import fold
from addin.core.rules import RuleId
from addin.read.fields import Context
from addin.read.grid import Grid
from addin.read.headers import HeaderMatch
from addin.read.subtotals import subtotal_rows

#: Fields that number a record rather than describe it.
ID_FIELDS = frozenset({"task_id", "wbs", "milestone_id", "raid_id", "lesson_id"})
#: First or last words of a name that make the row a total, in the languages of the packs.
TOTAL_WORDS = frozenset(
    {
        "total",
        "totals",
        "subtotal",
        "subtotals",
        "sub-total",
        "grand total",
        "sum",
        "summe",
        "gesamt",
        "gesamtsumme",
        "zwischensumme",
        "sous-total",
        "totale",
        "subtotale",
        "totaal",
        "subtotaal",
        "合計",
        "小計",
        "итого",
    }
)

#: Pieces of every total word (a cheap first test).
_TOTAL_STEMS = re.compile("tot|sum|gesamt|合計|小計|итог", re.IGNORECASE)

Kept = list[tuple[int, list[Any]]]
#: Cell types no header cell has.
_NOT_TEXT = (float, int, dt.date, dt.datetime, bool)


def _blank(v: Any) -> bool:
    return v is None or v == "" or (type(v) is str and not v.strip())


def is_total(name: Any) -> bool:
    """True for a name such as ``Subtotal``, ``Total (Scheduled)``, ``Milestone 1 Totals``."""
    if not isinstance(name, str) or len(name) > 60:
        return False
    if not _has_total_stem(name):  # most names: out here
        return False
    words = name.casefold().replace("(", " ").replace(":", " ").split()
    if not words or len(words) > 3:
        return False
    return words[0] in TOTAL_WORDS or words[-1] in TOTAL_WORDS or " ".join(words[:2]) in TOTAL_WORDS


def _has_total_stem(name: str) -> bool:
    """Whether ``name`` holds a piece of a total word (:data:`_TOTAL_STEMS`).

    ASCII text holds one, in any case, when its lower case holds an ASCII stem (no other
    stem, nor any case-insensitive match of one, is ASCII): three plain searches take a
    seventh of the time of the case-insensitive one, which every name in a table's first
    column passes through.
    """
    if name.isascii():
        low = name.lower()
        return "tot" in low or "sum" in low or "gesamt" in low
    return _TOTAL_STEMS.search(name) is not None


def _filled(row: list[Any]) -> int:
    return sum(1 for v in row if not _blank(v))


def _bare(row: list[Any], others: list[int], ids: list[int], unmapped: set[int]) -> bool:
    """True when only the name and the number are filled among the row's headed columns.

    Cells under no header, or under a header no field takes (a second header row's role
    names beside a group's title), do not make a heading a record.
    """
    n = len(row)
    for j in others:  # the usual row fills its next field: out at once
        if j < n and not _blank(row[j]):
            return False
    own = sum(1 for j, v in enumerate(row) if j not in unmapped and not _blank(v))
    return own <= 1 + sum(not _blank(row[j]) for j in ids if j < n)


def headerlike(
    ctx: Context, spec: SheetKind, match: HeaderMatch, grid: Grid, row: list[Any]
) -> bool:
    """True for a row that reads as a header (``# | Activity`` below a log), not a record.

    A record's cells may happen to be header words (Type ``Risk``, Strategy
    ``Mitigation``), so one such word, or a few among the row's values, ends nothing. The
    row is a header when most of this table's mapped columns hold their own column's
    header words (the header repeated), or when most of its text cells are header words of
    some kind (another table's header) - a cell holding a value its column accepts
    (``Risk`` in a Type column) is a value, not a header word; or when its only other cell
    is a name header standing where this table keeps another field (``Activity`` in the
    Owner column). Only the table's own columns count: another table's header beside it
    (a box of risks right of a progress list) ends nothing.
    """
    texts: list[tuple[int, str]] = []
    cols = match.headers or dict.fromkeys(match.columns.values(), "")
    lo, hi = min(cols) - grid.left, max(cols) - grid.left  # a header beside it ends nothing
    for j, v in enumerate(row):  # most rows hold a date or a number: out at the first
        if v is None or v == "" or j < lo or j > hi:
            continue
        if type(v) is not str or len(v) > 40:
            return False
        if v.strip():
            texts.append((j, v))
    if len(texts) < 2:
        return False
    fields = {c - grid.left: n for n, c in match.columns.items()}
    hits: list[tuple[int, str, str]] = []
    own = 0
    for j, v in texts:
        mine = fields.get(j)
        if mine is not None and (found := ctx.indexes[spec.key].hit(v)) and found[0] == mine:
            own += 1
        if mine is not None and _accepted(ctx, spec, mine, v):
            continue  # a value of its own column (Type ``Risk``), whatever else it names
        for index in ctx.indexes.values():
            found = index.hit(v)
            if found is not None and found[1] >= 2:
                hits.append((j, index.sheet, found[0]))
                break
    if own >= 2 and own * 2 > len(match.columns):
        return True  # the header repeated
    if len(hits) >= 2:
        return len(hits) * 2 > len(texts)
    if len(hits) != 1 or len(texts) != 2:
        return False
    j, key, name = hits[0]
    field = fields.get(j)
    anchor = spec.anchor.field if spec.anchor else ""
    return not (field is None or field == name or key != spec.key or name != anchor)


def _accepted(ctx: Context, spec: SheetKind, field: str, value: str) -> bool:
    """True when ``value`` is one of the choices of ``field`` (``Risk`` for a RAID Type)."""
    choices = ctx.choices.get(spec.field(field).choices or "")
    return choices is not None and fold(value) in choices


def _code(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip() if not _blank(v) else ""


def _parent(row: list[Any], ids: list[int], rows: Kept, r: int) -> bool:
    """True when the row's number is the outline parent of the next row's (1 over 1.1)."""
    nxt = next((other for at, other in rows if at > r), None)
    if nxt is None:
        return False
    for j in ids:
        mine = _code(row[j]) if j < len(row) else ""
        theirs = _code(nxt[j]) if j < len(nxt) else ""
        if mine and theirs.startswith(mine + "."):
            return True
    return False


def _merged_down(grid: Grid, col: int) -> set[int]:
    """Sheet rows whose cell in ``col`` is covered by a merge that starts on a row above."""
    out: set[int] = set()
    for (r0, c0), (r1, c1) in grid.merged:
        if c0 <= col <= c1 and r1 > r0:
            out.update(range(r0 + 1, r1 + 1))
    return out


def _not_a_record(ctx: Context, grid: Grid, row: int, col: int, why: str) -> None:
    ctx.add(RuleId.ROW_NOT_A_RECORD, sheet=grid.name, row=row, col=col, row_number=row + 1, why=why)


def records(ctx: Context, spec: SheetKind, grid: Grid, match: HeaderMatch, kept: Kept) -> Kept:
    """The rows of ``kept`` that are records (see the module docstring)."""
    assert spec.anchor is not None
    anchor = spec.anchor.field
    left = grid.left
    a = match.columns[anchor] - left
    ids = [match.columns[n] - left for n in ID_FIELDS if n in match.columns]
    key = next(
        (
            match.columns[n] - left
            for n in ("task_id", "milestone_id", "raid_id", "lesson_id")
            if n in match.columns
        ),
        None,
    )
    others = [c - left for n, c in match.columns.items() if n != anchor and n not in ID_FIELDS]
    typed = [
        c - left
        for n, c in match.columns.items()
        if spec.field(n).type not in (ValueType.TEXT, ValueType.CHOICE)
    ]
    probe = typed[0] if typed else None
    down: set[int] | None = None
    out: Kept = []
    bare: list[tuple[int, list[Any]]] = []
    header = spec.field(anchor).header
    first_other = others[0] if others else None
    pending = grid.uncalculated
    cols = list(match.columns.values())
    unmapped = {c - left for c in match.extras} | {
        j
        for j in range(max(map(len, (r for _, r in kept)), default=0))
        if j + left not in match.headers
    }
    for r, row in kept:
        name = row[a] if a < len(row) else None
        if pending and any((r, c) in pending for c in cols):
            pass  # formulas with no value yet: a row of values to come, kept as it is
        elif name is None or name == "" or (type(name) is str and not name.strip()):
            if down is None:
                down = _merged_down(grid, a + left)
            if r in down:
                continue
            if all(_blank(row[j]) for j in others if j < len(row)):
                continue
            if key is None or key >= len(row) or _blank(row[key]):
                _not_a_record(ctx, grid, r, a + left, f"has values but no {header} or ID")
                continue
        elif type(name) is str and is_total(name):
            _not_a_record(ctx, grid, r, a + left, f"is a total ('{display_value(name)}')")
            continue
        elif (
            ids
            and (first_other is None or first_other >= len(row) or _blank(row[first_other]))
            and _bare(row, others, ids, unmapped)
        ):
            bare.append((r, row))
        if probe is not None and probe < len(row) and type(row[probe]) in _NOT_TEXT:
            pass  # a date or a number where the table keeps one: no header row
        elif headerlike(ctx, spec, match, grid, row):
            break  # another table's header: this table ends above it
        out.append((r, row))
    numbers = [
        c - left
        for n, c in match.columns.items()
        if spec.field(n).type in (ValueType.NUMBER, ValueType.INTEGER)
    ]
    for r in sorted(subtotal_rows(out, ids, numbers)):
        _not_a_record(ctx, grid, r, a + left, "closes its group with the sum of its lines")
        out = [(at, row) for at, row in out if at != r]
    bare = [(r, row) for r, row in bare if _parent(row, ids, out, r)]
    if bare and len(bare) * 2 < len(out):
        drop = {r for r, _ in bare}
        for r, row in bare:
            ctx.add(
                RuleId.ROW_SECTION_HEADING,
                sheet=grid.name,
                row=r,
                col=a + left,
                field=header,
                value=display_value(row[a]),
                row_number=r + 1,
            )
        out = [(r, row) for r, row in out if r not in drop]
    return out
