"""Metrics that cannot be computed, traced back to the cell that made them so.

A metric whose inputs are all present can still have no value: a Budget of 5e-324
divides to infinity, two Actuals of 1.797e308 overflow their sum. :mod:`addin.rag`
then calls the metric none (:attr:`~addin.rag.Metrics.not_computable`); this module
points at the input that did it, the value furthest from 1 in orders of magnitude
among the metric's inputs, and reports ``metric.not_computable`` there. It runs in the
pipeline, which has both the checks' view of the cells and the metrics.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from addin.checks import CheckContext
from addin.core.findings import Finding
from addin.core.kinds import kind
from addin.core.rules import RuleBook, RuleId
from addin.core.settings import Settings
from addin.core.tracker import Tracker
from addin.rag import Metrics
from addin.read import ReadResult

#: The (sheet, field) columns each metric is computed from.
INPUTS: dict[str, tuple[tuple[str, str], ...]] = {
    "PV": (("Tasks", "budget"),),
    "EV": (("Tasks", "budget"),),
    "SPI": (("Tasks", "budget"),),
    "% complete": (("Tasks", "budget"),),
    "AC": (("Budget", "actual"),),
    "EAC": (("Budget", "actual"), ("Budget", "forecast")),
    "CPI": (("Project", "budget"), ("Budget", "actual"), ("Tasks", "budget")),
    "VAC %": (("Project", "budget"), ("Budget", "actual"), ("Budget", "forecast")),
}


@dataclass(frozen=True)
class Gap:
    """A metric that cannot be computed, and the input cell most likely to blame.

    Attributes:
        metric: The metric's name as the RAG reasons write it (``VAC %``).
        sheet: Sheet key of the input (``Project``, ``Tasks``, ``Budget``).
        field: Field name of the input (``budget``, ``actual``).
        index: The input's row in its kind's table; None for the Project block.
        value: The input's value (None when no input could be singled out).
        why: ``too large`` or ``too small``.
    """

    metric: str
    sheet: str
    field: str
    index: int | None
    value: float | None
    why: str


def _values(tracker: Tracker, sheet: str, field: str) -> Iterator[tuple[int | None, float]]:
    column: Sequence[object] = (
        [getattr(tracker.project, field)] if sheet == "Project" else tracker.table(sheet).col(field)
    )
    for i, value in enumerate(column):
        if isinstance(value, float) and value and math.isfinite(value):
            yield (None if sheet == "Project" else i), value


def gaps(tracker: Tracker, metrics: Metrics) -> list[Gap]:
    """One :class:`Gap` per metric of ``metrics.not_computable``, at its most extreme input."""
    out = []
    for metric in metrics.not_computable:
        best: tuple[float, Gap] | None = None
        for sheet, field in INPUTS.get(metric, ()):
            for index, value in _values(tracker, sheet, field):
                size = abs(math.log10(abs(value)))
                if best is None or size > best[0]:
                    why = "too large" if abs(value) >= 1 else "too small"
                    best = (size, Gap(metric, sheet, field, index, value, why))
        out.append(best[1] if best else Gap(metric, "Project", "budget", None, None, "extreme"))
    return out


def gap_findings(
    read: ReadResult, metrics: Metrics, settings: Settings, rules: RuleBook
) -> list[Finding]:
    """``metric.not_computable`` at the most extreme input of each metric with no value."""
    ctx = CheckContext(read, settings, rules)
    out = []
    for gap in gaps(read.tracker, metrics):
        header = kind(gap.sheet).field(gap.field).header
        why = (
            f"{header} {ctx.show(gap.value)} is {gap.why} for the arithmetic"
            if gap.value is not None
            else "its inputs give no finite number"
        )
        found = ctx.hit(
            RuleId.METRIC_NOT_COMPUTABLE,
            gap.sheet,
            gap.field,
            gap.index or 0,
            gap.value,
            metric=gap.metric,
            why=why,
        )
        if found is not None:
            out.append(found)
    return out
