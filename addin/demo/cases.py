"""The sample portfolio's cases: what each sample tracker is designed to show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from addin.core.domain import Rag

#: The consolidation date the samples are designed for.
SAMPLES_AS_OF = dt.date(2026, 11, 20)
#: Creation time written into the sample workbooks' properties (reproducible files).
SAMPLES_CREATED = dt.datetime(2026, 11, 20, 9, 0, 0)
#: Default seed of :func:`sample_trackers`.
DEFAULT_SEED = 2026

#: Every case label a sample can carry.
CASES: tuple[str, ...] = (
    "healthy",
    "late",
    "over_budget",
    "risky",
    "stale",
    "optimistic",
    "amber",
    "data_errors",
)


@dataclass(frozen=True)
class SampleCase:
    """What a sample tracker is designed to show.

    Attributes:
        stem: File name without ``.xlsx``.
        project_id: Its Project ID as written (may be malformed on purpose).
        programme: Its programme.
        case: One of :data:`CASES`.
        shows: What the data shows, in words (for the samples README).
        schedule: Expected Schedule RAG at :data:`SAMPLES_AS_OF` (None: not asserted).
        cost: Expected Cost RAG (None: not asserted).
        risk: Expected Risk RAG (None: not asserted).
        overall: Expected Overall RAG including the stale rule (None: not asserted).
        stale: Expected stale flag.
        optimism: Expected optimism flag.
        errors: Rule ids of the deliberate data errors (empty: the file is clean).
        layout: ``standard`` (written by the template) or ``drifted``.
    """

    stem: str
    project_id: str
    programme: str
    case: str
    shows: str
    schedule: Rag | None
    cost: Rag | None
    risk: Rag | None
    overall: Rag | None
    stale: bool = False
    optimism: bool = False
    errors: tuple[str, ...] = ()
    layout: str = "standard"
