"""Settle a header row's columns by what they hold, as a person reading the sheet would.

Headers alone mislead. When two columns name one field, the one with data wins over an
empty one (a hidden ``Likelihood`` beside the filled ``Probability``), then the stronger
header, then the column whose values fit the field (the numbers, not the prose), then
for names and actions the fuller text (the ``Activities`` beside a ``Task`` column of
bullets). A typed column whose cells are prose is no field (``Impact (resulting in...)``
is not the 1-5 Impact); a choice column none of whose values is a choice of its field
goes to the choice field its values fit (``Risk Status`` holding LOW/MEDIUM/HIGH is the
Severity) or to none. A column the anchor lost whose values are codes (``1.a``) is the
WBS or ID. Columns named by their canonical header are trusted as they are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from addin.core.kinds import Field, SheetKind, ValueType
from addin.read.fields import Context, field_coercer
from addin.read.grid import Grid
from addin.read.header_text import CANONICAL
from addin.read.headers import HeaderMatch

#: Data rows looked at below a header.
SAMPLE_ROWS = 40
_OUTLINE = re.compile(r"^\d+(?:\.\d+)+$")
#: Fields whose fuller text makes the better column.
_WORDY = frozenset({"task_name", "title", "milestone", "mitigation", "notes"})


def _blank(v: Any) -> bool:
    return v is None or v == "" or (isinstance(v, str) and not v.strip())


def _window(grid: Grid, match: HeaderMatch) -> list[list[Any]]:
    """The first data rows below a header, up to the first blank row after data.

    A table stacked below may hold anything. Computed once per header (kept on the match).
    """
    if match.sample is not None:
        return match.sample
    start = match.row - grid.top + 1
    stop = min(len(grid.rows), start + SAMPLE_ROWS)
    if match.end is not None:
        stop = min(stop, match.end - grid.top)
    rows: list[list[Any]] = []
    for row in grid.rows[start:stop]:
        if len(row) - row.count(None) - row.count("") == 0:
            if rows:
                break
            continue
        rows.append(row)
    match.sample = rows
    return rows


def _sample(grid: Grid, match: HeaderMatch, col: int) -> list[Any]:
    """The column's values in the first data rows (see :func:`_window`)."""
    j = col - grid.left
    return [row[j] for row in _window(grid, match) if j < len(row) and not _blank(row[j])]


def _first(grid: Grid, match: HeaderMatch, name: str) -> Any:
    """The first value of a field's column below the header (None when blank throughout)."""
    j = match.columns[name] - grid.left
    return next((r[j] for r in _window(grid, match) if j < len(r) and not _blank(r[j])), None)


def _fit(ctx: Context, f: Field, values: Sequence[Any]) -> float:
    """The share of values that read as the field's type (1.0 for text, or no values)."""
    if not values or f.type is ValueType.TEXT:
        return 1.0
    _, bad = field_coercer(ctx, f)(values)
    return 1.0 - len(bad) / len(values)


def _prose(values: Sequence[Any]) -> bool:
    """True when most values are sentences rather than codes, numbers or words of a scale."""
    texts = [v for v in values if isinstance(v, str)]
    if len(texts) * 2 < len(values) or not texts:
        return False
    long = sum(1 for t in texts if len(t.split()) >= 4 or len(t) > 30)
    return long * 2 >= len(texts)


def _leads_with_values(ctx: Context, f: Field, values: Sequence[Any]) -> bool:
    """True when most values start with a value of the field: ``100% throughout``.

    Such a column is the field written in words, not a description: it stays mapped, so
    each cell that is not a plain value is a finding at its cell (issue 14: "text like
    '50% tapering to 25%' is a finding with the cell"), never silently an extra column.
    """
    heads = [v.split()[0].rstrip(",;:") if isinstance(v, str) and v.split() else v for v in values]
    return _fit(ctx, f, heads) >= 0.5


def _wordiness(values: Sequence[Any]) -> float:
    texts = [v for v in values if isinstance(v, str)]
    if not texts:
        return 0.0
    return sum(len(t.strip()) for t in texts) / len(values)


def _code_like(values: Sequence[Any]) -> bool:
    """True when most values are numbers or short codes with a digit (``1.a``, ``T-04``)."""
    if not values:
        return False
    codes = sum(
        1
        for v in values
        if isinstance(v, int | float)
        or (
            (isinstance(v, str) and len(v.strip()) <= 12 and " " not in v.strip())
            and any(c.isdigit() for c in str(v))
        )
    )
    return codes * 5 >= len(values) * 4


def _choose(ctx: Context, spec: SheetKind, grid: Grid, match: HeaderMatch) -> None:
    for name, cands in list(match.candidates.items()):
        if len(cands) < 2:
            continue
        f = spec.field(name)
        scored = []
        for col, strength in cands:
            values = _sample(grid, match, col)
            fit = _fit(ctx, f, values)
            words = _wordiness(values) if name in _WORDY else 0.0
            scored.append(((bool(values), fit >= 0.5, strength, words, -col), col, values))
        scored.sort(reverse=True)
        match.pick(name, scored[0][1])
        if spec.anchor is not None and name == spec.anchor.field:
            _code_column(spec, match, [(col, values) for _, col, values in scored[1:]])


def _code_column(spec: SheetKind, match: HeaderMatch, losers: list[tuple[int, list[Any]]]) -> None:
    """A name column that lost to a better one and holds codes (``1.a``) is the WBS or ID.

    ``Activity`` beside ``Activity Name``: the first holds 1.a, 1.b ...
    """
    names = [f.name for f in spec.fields]
    target = next((n for n in ("wbs", names[0]) if n in names and n not in match.columns), None)
    for col, values in losers:
        if target is not None and _code_like(values):
            match.candidates.setdefault(target, []).append((col, 1))
            match.pick(target, col)
            return


def _check_types(ctx: Context, spec: SheetKind, grid: Grid, match: HeaderMatch) -> None:
    choice_fields = [f for f in spec.fields if f.type is ValueType.CHOICE]
    for name in list(match.columns):
        f = spec.field(name)
        if f.type is ValueType.TEXT:
            continue
        canonical = match.strength.get(name, 0) >= CANONICAL  # trusted unless it holds prose
        if canonical and (
            f.type is ValueType.CHOICE or not isinstance(_first(grid, match, name), str)
        ):
            continue
        values = _sample(grid, match, match.columns[name])
        if len(values) < 2 or (match.strength.get(name, 0) >= CANONICAL and not _prose(values)):
            continue
        fit = _fit(ctx, f, values)
        if f.type is ValueType.CHOICE and fit < 0.5:
            better = next(
                (
                    g
                    for g in choice_fields
                    if g.name != name
                    and g.name not in match.columns
                    and _fit(ctx, g, values) >= 0.8
                ),
                None,
            )
            col = match.columns[name]
            if better is not None:
                match.pick(name, None)
                match.candidates.setdefault(better.name, []).append((col, 1))
                match.pick(better.name, col)
            elif fit == 0 and len(values) >= 3:
                match.pick(name, None)
            continue
        if fit < 0.3 and _prose(values) and not _leads_with_values(ctx, f, values):
            match.pick(name, None)


def _is_outline(v: Any) -> bool:
    """``1.2``, ``3.1.4`` or 1.2 stored as a number: an outline (WBS) number."""
    if isinstance(v, float) and not isinstance(v, bool):
        return not v.is_integer()
    return isinstance(v, str) and bool(_OUTLINE.match(v.strip()))


def _group_column(spec: SheetKind, grid: Grid, match: HeaderMatch) -> None:
    """An unheaded column left of the table, labelling groups of rows, is the Workstream.

    ``Session 1`` on the first row of each session, blank below it.
    """
    if spec.sheet_field is None or spec.sheet_field in match.columns or not match.columns:
        return
    col = min(match.columns.values()) - 1
    if col < grid.left or col in match.headers:
        return
    start = match.row - grid.top + 1
    js = [c - grid.left for c in match.columns.values()]
    rows = [
        r
        for r in grid.rows[start : start + SAMPLE_ROWS]
        if any(k < len(r) and not _blank(r[k]) for k in js)
    ]
    j = col - grid.left
    labels = [r[j] for r in rows if j < len(r) and not _blank(r[j])]
    filled = len(rows)
    if (
        labels
        and all(isinstance(v, str) and not v.strip().isdigit() for v in labels)
        and (len(labels) * 2 <= filled)
    ):
        match.candidates.setdefault(spec.sheet_field, []).append((col, 1))
        match.pick(spec.sheet_field, col)


def _infer(ctx: Context, spec: SheetKind, grid: Grid, match: HeaderMatch) -> None:
    """Fields a column's content names when its header does not.

    An unheaded column just left of the table holding 1, 2, 3 ... is the ID; an ID column
    of outline numbers (``1.1``) is the WBS; a column of choice words (Started / YTS /
    Completed under ``Detail Discussion``) is that choice field when it is not mapped.
    """
    names = {f.name for f in spec.fields}
    ident = spec.fields[0].name if spec.fields[0].name.endswith("_id") else None
    if match.columns and ident is not None and ident not in match.columns:
        col = min(match.columns.values()) - 1
        if col >= grid.left and col not in match.headers:
            values = _sample(grid, match, col)
            numbers = [v for v in values if isinstance(v, int | float) and float(v).is_integer()]
            if len(values) >= 3 and len(numbers) == len(values) and numbers == sorted(numbers):
                match.candidates.setdefault(ident, []).append((col, 1))
                match.pick(ident, col)
    _group_column(spec, grid, match)
    if "wbs" in names and "wbs" not in match.columns and ident in match.columns:
        col = match.columns[ident]
        values = _sample(grid, match, col)
        if values and sum(map(_is_outline, values)) * 2 >= len(values):
            match.pick(ident, None)
            match.candidates.setdefault("wbs", []).append((col, 1))
            match.pick("wbs", col)
    free = [f for f in spec.fields if f.type is ValueType.CHOICE and f.name not in match.columns]
    for col in list(match.extras):
        values = _sample(grid, match, col)
        if len(values) < 3 or len({str(v) for v in values}) < 2:
            continue
        fits = next((f for f in free if _fit(ctx, f, values) >= 0.8), None)
        if fits is not None:
            free.remove(fits)
            match.candidates.setdefault(fits.name, []).append((col, 1))
            match.pick(fits.name, col)


def settle_columns(ctx: Context, spec: SheetKind, grid: Grid, match: HeaderMatch) -> None:
    """Choose each field's column by content; drop or move columns whose cells deny it.

    See the module docstring.
    """
    _choose(ctx, spec, grid, match)
    _check_types(ctx, spec, grid, match)
    _infer(ctx, spec, grid, match)
    for name in [n for n in match.candidates if n not in match.columns]:
        for col, _ in match.candidates[name]:
            if col not in match.columns.values():
                match.extras.setdefault(col, match.headers.get(col, ""))
    for col in list(match.extras):
        if col in match.columns.values():
            del match.extras[col]
