"""Which rows below a header are records, as a person counting them would decide.

Kept out, each with a reason:

- a *continuation*: the name cell is blank because it is merged down from the row above
  (one risk spread over three rows for its numbered mitigation steps) - part of that
  record, silently;
- a *placeholder*: only the ID or WBS number is filled (a pre-numbered empty row) -
  silently, it holds nothing;
- a *total*: the name is ``Subtotal``, ``Total``, ``Gesamt`` ... - a warning at the row;
- a row with values but *no name and no ID* (formula residue, a totals line whose label
  sits in an unheaded column) - a warning at the row;
- a *heading*: only the name (and its number) filled while most rows hold more (phase
  rows ``1 Organisation`` above ``1.1 ...``) - the section-heading warning.
"""

from __future__ import annotations

from typing import Any

from addin.core.findings import display_value
from addin.core.kinds import SheetKind
from addin.core.lang import fold
from addin.core.rules import RuleId
from addin.read.fields import Context
from addin.read.headers import HeaderMatch
from addin.read.source import Grid

#: Fields that number a record rather than describe it.
ID_FIELDS = frozenset({"task_id", "wbs", "milestone_id", "raid_id"})
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

Kept = list[tuple[int, list[Any]]]


def _blank(v: Any) -> bool:
    return v is None or v == "" or (type(v) is str and not v.strip())


def is_total(name: Any) -> bool:
    """True for a name such as ``Subtotal``, ``Total (Scheduled)``, ``Milestone 1 Totals``."""
    if not isinstance(name, str):
        return False
    words = fold(name).replace("(", " ").replace(":", " ").split()
    if not words or len(words) > 3:
        return False
    return words[0] in TOTAL_WORDS or words[-1] in TOTAL_WORDS or fold(name) in TOTAL_WORDS


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
            for n in ("task_id", "milestone_id", "raid_id")
            if n in match.columns
        ),
        None,
    )
    others = [c - left for n, c in match.columns.items() if n != anchor and n not in ID_FIELDS]
    down: set[int] | None = None
    out: Kept = []
    bare: list[tuple[int, list[Any]]] = []
    header = spec.field(anchor).header
    for r, row in kept:
        name = row[a] if a < len(row) else None
        if _blank(name):
            if down is None:
                down = _merged_down(grid, a + left)
            if r in down:
                continue
            if all(_blank(row[j]) for j in others if j < len(row)):
                continue
            if key is None or key >= len(row) or _blank(row[key]):
                _not_a_record(ctx, grid, r, a + left, f"has values but no {header} or ID")
                continue
        elif is_total(name):
            _not_a_record(ctx, grid, r, a + left, f"is a total ('{display_value(name)}')")
            continue
        elif ids and others and all(_blank(row[j]) for j in others if j < len(row)):
            bare.append((r, row))
        out.append((r, row))
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
