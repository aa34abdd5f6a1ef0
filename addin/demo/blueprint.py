"""A blueprint: everything that makes one sample tracker what it is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from addin.core.domain import Rag
from addin.core.rules import RuleId

# --- blueprints -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Blueprint:
    """Everything that makes one sample tracker what it is."""

    stem: str
    project_id: str
    name: str
    programme: str
    manager: str
    case: str
    shows: str
    phase: str
    start: dt.date
    months: int
    status_date: dt.date
    bac: float
    workstreams: tuple[tuple[str, tuple[str, ...]], ...]
    steps: tuple[str, ...]
    reported: Rag
    comment: str | None
    milestone_word: str = "complete"
    perf: float = 1.02
    cost_factor: float = 1.0
    overrun: float = 0.0
    finish_slip: int = 0
    overdue_milestone: bool = False
    risk: str = "calm"
    hold: int = 0
    cancel: int = 0
    currency: str | None = "GBP"
    expect: tuple[Rag | None, Rag | None, Rag | None, Rag | None] = (
        Rag.GREEN,
        Rag.GREEN,
        Rag.GREEN,
        Rag.GREEN,
    )
    stale: bool = False
    optimism: bool = False
    errors: tuple[RuleId, ...] = ()
    layout: str = "standard"
