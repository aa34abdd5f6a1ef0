"""Checks every kind shares: required values, and ids that must be unique in a file."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from addin.checks.context import CheckContext
from addin.checks.registry import check
from addin.core.findings import Finding
from addin.core.kinds import kind
from addin.core.rules import RuleId
from addin.core.tracker import Table


@check("*", RuleId.VALUE_REQUIRED)
def required(ctx: CheckContext, table: Table) -> Iterator[Finding | None]:
    """A required field left blank (the Project block's labels; a table's found columns).

    A table's required column that was not found at all is the reader's
    ``column.missing``, once, not a finding on every row.
    """
    spec = kind(table.kind)
    block = table.kind == "Project"
    for f in spec.fields:
        if not f.required:
            continue
        values = table.col(f.name)
        if None not in values:
            continue
        for i, value in enumerate(values):
            if value is not None:
                continue
            if not block and not ctx.mapped(table.kind, f.name, table.sheets[i]):
                continue
            if ctx.is_flagged(table.kind, f.name, i):
                continue
            yield ctx.hit(RuleId.VALUE_REQUIRED, table.kind, f.name, i)


def duplicates(
    ctx: CheckContext, table: Table, field: str, rule: RuleId
) -> Iterator[Finding | None]:
    """A finding on every repeat of a value that must be unique (case-insensitive for text)."""
    values = table.col(field)
    present = [v for v in values if v is not None]
    keys = [v.casefold() if isinstance(v, str) else v for v in present]
    if len(set(keys)) == len(keys):
        return  # no value seen twice
    first: dict[Any, int | None] = {}
    for i, value in enumerate(values):
        if value is None:
            continue
        folded = value.casefold() if isinstance(value, str) else value
        if folded in first:
            where = first[folded]
            yield ctx.hit(
                rule, table.kind, field, i, value, first="?" if where is None else where + 1
            )
        else:
            first[folded] = table.rows[i]
