"""A portfolio's trend over its last snapshots, as typed data (RAG_RULES v2 "Trend").

Computed by :mod:`addin.history.trend` from the history database (and the run being
reported, as its latest point); drawn by the dashboard's Trends page, which never reads
the database itself. Dates are oldest first; a value a project did not report at a
snapshot is None. RAG values are words: any word other than Red, Amber and Green (RAG v2's
"No data", or one a later version adds) is carried as it is and counted as "other".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

#: Overall RAG words ranked worst last; any other word has no rank (it is "other").
RAG_RANK: dict[str, int] = {"Green": 0, "Amber": 1, "Red": 2}

#: Kinds of mover, in the order the Trends page lists them.
NEW_RED = "New Red"
WORSENED = "Worsened"
RECOVERED = "Recovered"
STALE_AGAIN = "Stale again"
CHANGED = "Changed"
MOVER_KINDS = (NEW_RED, WORSENED, RECOVERED, STALE_AGAIN, CHANGED)


@dataclass(frozen=True)
class RagMix:
    """Projects by Overall RAG at one snapshot."""

    as_of: dt.date
    red: int
    amber: int
    green: int
    other: int

    @property
    def total(self) -> int:
        """Projects in the snapshot."""
        return self.red + self.amber + self.green + self.other


@dataclass(frozen=True)
class Mover:
    """A project whose status moved since the previous snapshot, and why.

    Attributes:
        kind: One of :data:`MOVER_KINDS`.
        before: Overall RAG at the previous snapshot (None: not in it).
        now: Overall RAG now.
        reason: What moved it, in the engine's words (the reasons behind the dimensions
            that changed; for a recovery, what no longer holds).
    """

    kind: str
    project_id: str
    project_name: str
    before: str | None
    now: str
    reason: str
    spi_before: float | None = None
    spi_now: float | None = None
    cpi_before: float | None = None
    cpi_now: float | None = None

    @property
    def spi_change(self) -> float | None:
        """SPI now minus SPI before (None when either is unknown)."""
        if self.spi_before is None or self.spi_now is None:
            return None
        return self.spi_now - self.spi_before

    @property
    def cpi_change(self) -> float | None:
        """CPI now minus CPI before (None when either is unknown)."""
        if self.cpi_before is None or self.cpi_now is None:
            return None
        return self.cpi_now - self.cpi_before


@dataclass(frozen=True)
class RagStrip:
    """One project's Overall RAG at each of the strip's snapshots (None: not reported)."""

    project_id: str
    project_name: str
    rags: tuple[str | None, ...]


@dataclass(frozen=True)
class MetricLine:
    """One project's SPI or CPI at each snapshot of the window."""

    project_id: str
    project_name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class MilestoneTrend:
    """One milestone's forecast at each snapshot (milestone trend analysis).

    Attributes:
        moved_days: Latest forecast minus the first forecast in the window (days later).
    """

    project_id: str
    milestone_id: str
    milestone: str
    baseline: dt.date | None
    forecasts: tuple[dt.date | None, ...]
    moved_days: int

    @property
    def label(self) -> str:
        """Chart series name: ``PRJ-0001 M-03 Go-live`` cut to 40 characters."""
        text = f"{self.project_id} {self.milestone_id} {self.milestone}".strip()
        return text if len(text) <= 40 else text[:39] + "…"


@dataclass(frozen=True)
class Slip:
    """A milestone whose date moved later by more than the slip threshold since last time.

    ``before`` and ``now`` are its dates at the previous and the latest snapshot: the
    forecast, or the actual date once achieved.
    """

    project_id: str
    milestone_id: str
    milestone: str
    before: dt.date
    now: dt.date

    @property
    def moved_days(self) -> int:
        """Days the date moved later."""
        return (self.now - self.before).days


@dataclass(frozen=True)
class TrendData:
    """Everything the Trends page shows.

    Attributes:
        dates: The snapshots of the window, oldest first (the reported run last).
        mix: Projects by Overall RAG at each of ``dates``.
        previous_as_of: The snapshot movers are measured against (None: only one).
        movers: Projects that moved since ``previous_as_of``, by kind then worst now.
        strip_dates: The last snapshots of the RAG strip, oldest first.
        strips: Every project of the latest snapshot: movers first, then worst now.
        spi: SPI over ``dates`` of the projects with the lowest SPI now.
        cpi: CPI over ``dates`` of the projects with the lowest CPI now.
        milestones: Forecast over ``dates`` of the milestones that slipped most.
        slipping: Milestones whose forecast moved later by more than the slip threshold
            since the previous snapshot.
        slips: Those milestones, the most moved first.
        dropped: Project IDs of the previous snapshot that the latest no longer has.
    """

    dates: tuple[dt.date, ...]
    mix: tuple[RagMix, ...]
    previous_as_of: dt.date | None
    movers: tuple[Mover, ...]
    strip_dates: tuple[dt.date, ...]
    strips: tuple[RagStrip, ...]
    spi: tuple[MetricLine, ...]
    cpi: tuple[MetricLine, ...]
    milestones: tuple[MilestoneTrend, ...]
    slipping: int = 0
    slips: tuple[Slip, ...] = ()
    dropped: tuple[str, ...] = ()

    def count(self, kind: str) -> int:
        """Movers of one kind."""
        return sum(1 for m in self.movers if m.kind == kind)
