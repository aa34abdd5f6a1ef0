"""Checks are registered functions: each declares its kind and the rule ids it may emit.

A check takes the file's :class:`~addin.checks.context.CheckContext` and the kind's
columnar :class:`~addin.core.tracker.Table` and yields findings; it walks columns
(``zip(table.col("planned_start"), table.col("planned_finish"))``), so one call covers
every row. A check is one function plus its ``@check`` line::

    @check("Tasks", RuleId.TASK_FINISH_BEFORE_START)
    def finish_before_start(ctx: CheckContext, tasks: Table) -> Iterator[Finding]:
        ...

Checks depend only on the tracker, never on the day of the run, so their findings can
be cached between runs; the few rules that depend on the day are
:func:`addin.checks.dated.dated_findings`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from addin.core.findings import Finding
from addin.core.kinds import KINDS
from addin.core.rules import RuleId
from addin.core.tracker import Table

if TYPE_CHECKING:
    from addin.checks.context import CheckContext

CheckFn = Callable[["CheckContext", Table], Iterable[Finding | None]]


@dataclass(frozen=True)
class Check:
    """One registered check."""

    name: str
    kind: str
    emits: frozenset[RuleId]
    fn: CheckFn


_CHECKS: list[Check] = []


def check(kind: str, *emits: RuleId) -> Callable[[CheckFn], CheckFn]:
    """Register a check of ``kind`` ("*" for every kind) that may emit the rules ``emits``."""
    if kind != "*" and kind not in {k.key for k in KINDS}:
        raise KeyError(f"no tracker kind {kind!r}")
    if not emits:
        raise ValueError("a check must declare the rule ids it emits")

    def register(fn: CheckFn) -> CheckFn:
        _CHECKS.append(Check(f"{fn.__module__}.{fn.__name__}", kind, frozenset(emits), fn))
        return fn

    return register


def checks() -> tuple[Check, ...]:
    """Every registered check, in registration order."""
    return tuple(_CHECKS)


def run(ctx: CheckContext) -> Iterator[Finding]:
    """Run every registered check over the tracker's tables.

    Raises:
        RuntimeError: a check emitted a rule it did not declare (a bug in the check).
    """
    for c in _CHECKS:
        keys = [k.key for k in KINDS] if c.kind == "*" else [c.kind]
        for key in keys:
            if not ctx.has(key):
                continue
            for f in c.fn(ctx, ctx.table(key)):
                if f is None:  # the rule is switched off in this run
                    continue
                if f.rule not in c.emits:
                    raise RuntimeError(f"check {c.name} emitted undeclared rule {f.rule}")
                yield f
