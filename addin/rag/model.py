"""What RAG computes, as typed data: the metrics, a dimension's verdict, the assessment.

A dimension is Red, Amber, Green or **No data** (RAG_RULES v2), always with reasons in
words. Dimensions are kept in order by name (``("Schedule", Dimension(...))``), so a
dimension registered later (:mod:`addin.rag.registry`) flows through Overall, the
reasons and the outputs without a new field here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from addin.core.domain import Rag
from addin.rag.quality import ScheduleQuality


@dataclass(frozen=True)
class Metrics:
    """Every RAG_RULES metric of one project (None = "none"), and the evidence behind them.

    Attributes:
        status_date: The tracker's Status Date (None: blank).
        judged_on: The day the metrics were taken at: the Status Date, else the run's date.
        tasks_planned: Tasks with both planned dates, not Cancelled (the M of "N of M").
        progress_unknown: Of those, tasks whose progress is unknown (no % Complete, and a
            Status that says neither Complete nor Not Started).
        unknown_weight: The share of the earned-value weight those tasks hold (0-1).
        milestones_dated: Milestones with a Baseline Date and a Forecast or Actual Date.
        cost_lines: Budget lines with an Actual or a Forecast.
        raid_found: True when the tracker has a RAID table (even one with no rows).
        quality: Schedule quality (reported beside RAG, not folded into it).
        not_computable: Metrics whose inputs are there but whose result is not a finite
            number (``"SPI"``).
    """

    status_date: dt.date | None
    pv: float | None
    ev: float | None
    spi: float | None
    pct_complete: float | None
    bac: float | None
    ac: float | None
    eac: float | None
    cpi: float | None
    vac_pct: float | None
    max_slippage: int | None
    overdue_milestones: int
    finish_slip: int | None
    open_critical: int
    open_high: int
    overdue_risks: int
    not_computable: tuple[str, ...] = ()
    judged_on: dt.date | None = None
    tasks_planned: int = 0
    progress_unknown: int = 0
    unknown_weight: float = 0.0
    milestones_dated: int = 0
    cost_lines: int = 0
    raid_found: bool = False
    quality: ScheduleQuality = field(default_factory=ScheduleQuality)

    @property
    def open_high_or_critical(self) -> int:
        """Open High plus open Critical risks/issues."""
        return self.open_high + self.open_critical


@dataclass(frozen=True)
class Dimension:
    """A RAG and the reasons for it, in words.

    Attributes:
        rag: Red, Amber, Green or No data.
        reasons: Why (for Green: the facts it rests on; for No data: what is missing).
        notes: What a reader must know whatever the colour ("progress unknown for 2 of 9
            tasks"); shown with the reasons even when the dimension is Green.
    """

    rag: Rag
    reasons: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def has_data(self) -> bool:
        """True unless the dimension is No data."""
        return self.rag.known


#: Dimensions by name, in their registered order.
Judged = tuple[tuple[str, Dimension], ...]


def _named(judged: Judged, name: str) -> Dimension:
    for key, dim in judged:
        if key == name:
            return dim
    raise KeyError(f"no dimension {name!r}; have {', '.join(k for k, _ in judged)}")


class _DimensionsByName:
    """Dimensions looked up by name, shared by :class:`Dimensions` and :class:`Assessment`."""

    judged: Judged

    def dimension(self, name: str) -> Dimension:
        """One dimension by name (``Schedule``); KeyError when there is none."""
        return _named(self.judged, name)

    @property
    def schedule(self) -> Dimension:
        """The Schedule dimension."""
        return self.dimension("Schedule")

    @property
    def cost(self) -> Dimension:
        """The Cost dimension."""
        return self.dimension("Cost")

    @property
    def risk(self) -> Dimension:
        """The Risk dimension."""
        return self.dimension("Risk")


@dataclass(frozen=True)
class Dimensions(_DimensionsByName):
    """The date-independent part of an assessment: metrics and every dimension, by name."""

    metrics: Metrics
    judged: Judged


@dataclass(frozen=True)
class Assessment(_DimensionsByName):
    """The computed status of one project.

    Attributes:
        metrics: Every metric.
        judged: Every dimension by name, in order (Schedule, Cost, Risk, then any
            registered later).
        overall: The worst dimension with data, floored (stale, no data); No data when no
            dimension has data.
        reported: The project manager's Reported RAG (None when blank or not a RAG).
        stale: The Status Date is older than the stale age, or blank.
        stale_days: Its age in days (None when blank).
        optimism: Reported is better than a known Overall.
        reasons: Every reason, ``"<Dimension> <RAG>: <why>"``, then Stale and the floor.
    """

    metrics: Metrics
    judged: Judged
    overall: Rag
    reported: Rag | None
    stale: bool
    stale_days: int | None
    optimism: bool
    reasons: tuple[str, ...] = field(default=())

    @property
    def top_reason(self) -> str:
        """The first reason behind the overall RAG ("" when there is none)."""
        return self.reasons[0] if self.reasons else ""
