"""Turn a kind's raw cell columns into typed columns, with a finding for every refused cell.

Each field's column is coerced by its type (text dates, ``50%``, ``£12,500``, R/A/G),
then checked against the field's bounds (a Budget is at least 0, % Complete at most
100 %, a Probability 1 to 5). A refused value becomes None and a finding at its cell.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import addin.read.coerce as coerce
from addin.core.findings import Finding, display_value
from addin.core.kinds import Field, SheetKind, ValueType
from addin.core.lang import Vocabulary, vocabulary
from addin.core.rules import RuleBook, RuleId
from addin.core.settings import AllowedValues, ScaleSettings, Settings, ValueSynonyms
from addin.ooxml.sheetxml import MAX_CELL_CHARS
from addin.read.coerce_more import coerce_days, coerce_severity
from addin.read.headers import HeaderIndex, header_indexes
from addin.read.overrides import Mapped


@lru_cache(maxsize=16)
def _choice_indexes(
    allowed: AllowedValues, values: ValueSynonyms, languages: tuple[str, ...]
) -> dict[str, dict[str, str]]:
    packs = vocabulary(languages).values
    return {
        key: coerce.choice_index(allowed.of(key), {**packs.get(key, {}), **values.of(key)})
        for key in type(allowed).model_fields
    }


def choice_indexes(settings: Settings) -> dict[str, dict[str, str]]:
    """Folded spelling -> canonical value, per choice list (cached by the settings' values).

    The settings' synonyms win over the language packs' words.
    """
    return _choice_indexes(settings.allowed, settings.values, settings.reader.languages)


@lru_cache(maxsize=16)
def _scale_index(scales: ScaleSettings, languages: tuple[str, ...]) -> dict[str, int]:
    out = dict(vocabulary(languages).scale)
    out.update({coerce.scale_word(w): n for w, n in scales.words.items()})
    return out


def scale_index(settings: Settings) -> dict[str, int]:
    """Folded scale word -> 1-5 (cached by the settings' values).

    The settings' table wins over the language packs' words.
    """
    return _scale_index(settings.scales, settings.reader.languages)


def field_coercer(
    ctx: Context, f: Field, scale: Mapping[str, int] | None = None
) -> Callable[[Sequence[Any]], tuple[list[Any], coerce.Problems]]:
    """The coercion of one field's column under the file's settings.

    ``scale`` is the file's own scale words, when it has a key sheet.
    """
    index = ctx.choices.get(f.choices or "")
    if f.choices == "severity" and index is not None:
        scores = ctx.settings.rag.severity
        return lambda values: coerce_severity(values, index, scores)
    if f.unit == "days":
        return coerce_days
    return coerce.coercer(
        f.type,
        day_first=ctx.settings.reader.day_first,
        index=index,
        scale=scale if scale is not None else ctx.scale,
    )


class Context:
    """Per-file state shared by the reading steps: settings, rules and the findings so far."""

    def __init__(self, path: str, settings: Settings, rules: RuleBook) -> None:
        self.file = path
        self.settings = settings
        self.rules = rules
        self.findings: list[Finding] = []
        self.indexes: dict[str, HeaderIndex] = header_indexes(settings)
        self.vocab: Vocabulary = vocabulary(settings.reader.languages)
        self.choices: dict[str, dict[str, str]] = choice_indexes(settings)
        self.scale: dict[str, int] = scale_index(settings)
        #: Field name -> scale words of the file's own key sheet (see ``addin.read.scale_key``).
        self.file_scales: dict[str, dict[str, int]] = {}
        #: The ``[[mapping]]`` of pmo.toml that applies to this file (see ``addin.read.overrides``).
        self.mapping: Mapped | None = None

    def add(self, rule: RuleId, **kwargs: Any) -> None:
        """Record a finding of ``rule`` in this file (nothing when the rule is off)."""
        f = self.rules.finding(rule, file=self.file, **kwargs)
        if f is not None:
            self.findings.append(f)


def bound_text(f: Field, below: bool) -> str:
    """``must be at least 0`` / ``must be at most 100 %``: the bound a value broke, in words."""
    bound = f.ge if below else f.le
    shown = (
        f"{float(bound or 0) * 100:g} %" if f.type is ValueType.PERCENT else display_value(bound)
    )
    return f"must be at {'least' if below else 'most'} {shown}"


def out_of_bounds(f: Field, values: list[Any]) -> dict[int, bool]:
    """Index -> True (below ``ge``) / False (above ``le``) for the values outside the bounds.

    The usual column, all within bounds, is settled by its minimum and maximum alone.
    """
    lo, hi = f.ge, f.le
    present = [v for v in values if v is not None]
    if not present or ((lo is None or min(present) >= lo) and (hi is None or max(present) <= hi)):
        return {}
    return {
        i: lo is not None and v < lo
        for i, v in enumerate(values)
        if v is not None and ((lo is not None and v < lo) or (hi is not None and v > hi))
    }


def _shown(f: Field, value: Any, raw: Any) -> str:
    if f.type is ValueType.PERCENT and isinstance(value, float):
        return f"{value * 100:g} %"
    return display_value(raw)


@dataclass
class Typed:
    """Typed columns of one sheet, and the cells that were refused."""

    values: dict[str, list[Any]] = field(default_factory=dict)


Where = Callable[[str, int], tuple[int | None, int | None]]


def type_columns(
    ctx: Context,
    kind: SheetKind,
    raw: Mapping[str, Sequence[Any]],
    sheet: str,
    where: Where,
) -> dict[str, list[Any]]:
    """Coerce and bound-check each field's raw column; report refused cells at ``where``.

    Args:
        ctx: The file's reading context.
        kind: The kind whose fields these are.
        raw: Field name -> raw cell values (only the fields whose column was found).
        sheet: The sheet's real name, for findings.
        where: ``where(field, i)`` -> the 0-based (row, col) of value ``i`` of a field.
    """
    out: dict[str, list[Any]] = {}
    for f in kind.fields:
        column = raw.get(f.name)
        if column is None:
            continue
        fn = (
            coerce.coerce_fraction
            if f.fraction
            else field_coercer(ctx, f, ctx.file_scales.get(f.name))
        )
        values, bad = fn(column)
        allowed = ", ".join(ctx.settings.allowed.of(f.choices)) if f.choices else ""
        for i, rule in bad.items():
            row, col = where(f.name, i)
            ctx.add(
                rule,
                sheet=sheet,
                row=row,
                col=col,
                field=f.header,
                value=display_value(column[i]),
                allowed=allowed,
            )
        if f.ge is not None or f.le is not None:
            for i, below in out_of_bounds(f, values).items():
                row, col = where(f.name, i)
                ctx.add(
                    RuleId.VALUE_OUT_OF_RANGE,
                    sheet=sheet,
                    row=row,
                    col=col,
                    field=f.header,
                    value=_shown(f, values[i], column[i]),
                    bound=bound_text(f, below),
                )
                values[i] = None
        if f.type is ValueType.TEXT:
            _cut_long_text(ctx, f, values, sheet, where)
        out[f.name] = values
    return out


def _cut_long_text(ctx: Context, f: Field, values: list[Any], sheet: str, where: Where) -> None:
    """Cut text longer than a cell holds to the cell limit, with a warning at its cell.

    The outputs could not hold it whole, and a silent cut loses words nobody saw go.
    """
    for i, v in enumerate(values):
        if type(v) is str and len(v) > MAX_CELL_CHARS:
            row, col = where(f.name, i)
            ctx.add(
                RuleId.VALUE_TOO_LONG,
                sheet=sheet,
                row=row,
                col=col,
                field=f.header,
                value=display_value(v),
                length=f"{len(v):,}",
                limit=f"{MAX_CELL_CHARS:,}",
            )
            values[i] = v[:MAX_CELL_CHARS]
