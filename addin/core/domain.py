"""What the PMO's words mean, once: RAG order, open RAID items, severity from scores.

Both the checks (:mod:`addin.checks`) and RAG (:mod:`addin.rag`) use these; neither
imports the other. Functions take plain values, so they work row by row or over
columns alike.

RAG has four values (RAG_RULES v2): Red, Amber, Green, and **No data**, which a
dimension is when nothing in the tracker is evidence for it. Where No data sits:

* **Overall** is the worst of the dimensions that *have* data (:func:`worst`); it is
  No data only when none has. No data never hides a known Red or Amber, and is never
  Green.
* **Sorting and "at least"** (:data:`RAG_ORDER`, :func:`rag_rank`): Red, then No data,
  then Amber, then Green. A project the trackers say nothing about needs more of a
  committee's attention than a known Amber (it may be anything), less than a known Red.
  So "at least Amber" (stale, the no-data floor) leaves No data as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from addin.core.settings import SeverityScores


class Rag(StrEnum):
    """A Red/Amber/Green status, or No data. Ranked by :data:`RAG_ORDER`."""

    RED = "Red"
    AMBER = "Amber"
    GREEN = "Green"
    NO_DATA = "No data"

    @property
    def known(self) -> bool:
        """True for Red, Amber and Green: the status rests on evidence."""
        return self is not Rag.NO_DATA


#: Rank of a RAG for sorting worst first and for "at least": higher is worse.
#: Red 3, No data 2, Amber 1, Green 0 (see the module docstring for why).
RAG_ORDER: dict[str, int] = {Rag.GREEN: 0, Rag.AMBER: 1, Rag.NO_DATA: 2, Rag.RED: 3}

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


def rag_rank(value: object) -> int:
    """Rank of a RAG word for sorting: Red 3, No data 2, Amber 1, Green 0; else (blank) -1."""
    return RAG_ORDER.get(value, -1) if isinstance(value, str) else -1


def parse_rag(value: object) -> Rag | None:
    """The RAG a word names exactly (``"No data"`` included); None for anything else."""
    try:
        return Rag(value) if isinstance(value, str) else None
    except ValueError:
        return None


def worst(rags: Iterable[Rag]) -> Rag:
    """The worst of the RAGs that have data; No data when none has (or there are none).

    ``worst([Green, No data]) is Green``: a dimension without evidence neither improves
    nor worsens the others; it is reported on its own (and may floor Overall, see
    :func:`addin.rag.conclude`).
    """
    known = [r for r in rags if r.known]
    return max(known, key=lambda r: RAG_ORDER[r]) if known else Rag.NO_DATA


def at_least(rag: Rag, floor: Rag) -> Rag:
    """``rag``, raised to ``floor`` when ranked better (No data stays No data over Amber)."""
    return floor if RAG_ORDER[floor] > RAG_ORDER[rag] else rag
