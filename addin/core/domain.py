"""What the PMO's words mean, once: RAG order, open RAID items, severity from scores.

Both the checks (:mod:`addin.checks`) and RAG (:mod:`addin.rag`) use these; neither
imports the other. Functions take plain values, so they work row by row or over
columns alike.
"""

from __future__ import annotations

from enum import StrEnum

from addin.core.settings import SeverityScores


class Rag(StrEnum):
    """A Red/Amber/Green status. Ordered worst first by :data:`RAG_ORDER`."""

    RED = "Red"
    AMBER = "Amber"
    GREEN = "Green"


#: Severity rank of a RAG: higher is worse.
RAG_ORDER: dict[str, int] = {Rag.GREEN: 0, Rag.AMBER: 1, Rag.RED: 2}

#: RAID severities, least severe first.
SEVERITIES = ("Low", "Medium", "High", "Critical")

#: RAID statuses that count as open.
OPEN_STATUSES = frozenset({"Open", "Mitigating"})

#: RAID types the Risk RAG counts (None: an item whose type is not stated).
RISK_TYPES = frozenset({None, "Risk", "Issue"})

#: The task status that means done, and the one that takes a task out of the plan.
TASK_COMPLETE, TASK_NOT_STARTED, TASK_CANCELLED = "Complete", "Not Started", "Cancelled"
#: The milestone status that means achieved.
MILESTONE_ACHIEVED = "Achieved"


def derived_severity(
    probability: int | None, impact: int | None, scores: SeverityScores
) -> str | None:
    """Severity from Probability x Impact (>= critical, >= high, >= medium, else Low)."""
    if probability is None or impact is None:
        return None
    score = probability * impact
    if score >= scores.critical:
        return "Critical"
    if score >= scores.high:
        return "High"
    if score >= scores.medium:
        return "Medium"
    return "Low"


def severity_of(
    severity: str | None, probability: int | None, impact: int | None, scores: SeverityScores
) -> str | None:
    """An item's stated Severity, or the one derived from its scores when blank."""
    return severity or derived_severity(probability, impact, scores)


def is_open(status: str | None) -> bool:
    """True for a RAID Status of Open or Mitigating."""
    return status in OPEN_STATUSES


def counts_for_risk(type_: str | None, status: str | None) -> bool:
    """True for open Risks and Issues (and open items of unstated type)."""
    return status in OPEN_STATUSES and type_ in RISK_TYPES


def worst(rags: list[Rag] | tuple[Rag, ...]) -> Rag:
    """The worst of several RAGs (Green when none)."""
    return max(rags, key=lambda r: RAG_ORDER[r], default=Rag.GREEN)
