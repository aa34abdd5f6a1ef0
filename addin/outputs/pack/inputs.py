"""What the steering pack shows beyond one portfolio run, as small typed inputs.

The pack's own sections come from the run (through the dashboard's summary). Two more
depend on data a run alone does not hold, and are drawn only when the application layer
gives them:

* :class:`Trends` - how the portfolio moved since earlier snapshots: the movers (worsened,
  recovered, new Red, stale again) with their SPI/CPI deltas, the milestones whose forecast
  moved later, and the RAG counts of each snapshot for the trend chart. Filled from the
  history when one is kept (``--history``, or the one beside the portfolio) or from a
  previous portfolio (``pmo pack --previous``).
* :class:`Hotspots` - resource over-allocation: each person or role over capacity in a
  period, with the projects that load them. Filled from the run's resource load when it
  has resource data.

RAG words are given as words: the pack draws any word (``No data`` in grey), never only
Red, Amber and Green.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

#: The kinds of movement RAG_RULES v2 names, in the order the pack lists them.
MOVER_KINDS = ("new Red", "worsened", "stale again", "recovered")


@dataclass(frozen=True)
class Mover:
    """A project whose status moved since the previous snapshot.

    Attributes:
        project_id: The project.
        project_name: Its name.
        kind: One of :data:`MOVER_KINDS`; another word (the history's ``changed``: an
            Overall RAG to or from No data) is shown as given, after them.
        before: Overall RAG at the previous snapshot ("" when the project is new).
        now: Overall RAG now.
        spi_delta: SPI now minus SPI before (None when either is none).
        cpi_delta: CPI now minus CPI before (None when either is none).
        reasons: The reasons behind the Overall RAG now.
    """

    project_id: str
    project_name: str
    kind: str
    before: str
    now: str
    spi_delta: float | None = None
    cpi_delta: float | None = None
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class MovedMilestone:
    """A milestone whose forecast moved later than at the previous snapshot."""

    project_id: str
    milestone_id: str
    milestone: str
    previous_forecast: dt.date
    forecast: dt.date

    @property
    def moved_days(self) -> int:
        """Days the forecast moved (later is positive)."""
        return (self.forecast - self.previous_forecast).days


@dataclass(frozen=True)
class Snapshot:
    """The Overall RAG counts of the portfolio at one date (a point of the trend chart).

    ``counts`` maps a RAG word to its number of projects (``No data`` included when any).
    """

    as_of: dt.date
    counts: tuple[tuple[str, int], ...]

    def count(self, word: str) -> int:
        """Projects whose Overall RAG was ``word`` at this snapshot."""
        return dict(self.counts).get(word, 0)


@dataclass(frozen=True)
class Trends:
    """How the portfolio moved: filled from the history or a previous portfolio.

    Attributes:
        previous_as_of: The snapshot the movers are measured against.
        movers: Projects that moved, in the order to show them.
        moved_milestones: Milestones whose forecast moved later by more than the
            threshold (RAG_RULES v2: 7 days), worst first.
        snapshots: The RAG counts at each snapshot, oldest first (two or more for a chart).
        dropped: Project IDs in the previous snapshot, no longer reported.
    """

    previous_as_of: dt.date
    movers: tuple[Mover, ...] = ()
    moved_milestones: tuple[MovedMilestone, ...] = ()
    snapshots: tuple[Snapshot, ...] = ()
    dropped: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hotspot:
    """One person (or role) over capacity in one period.

    Attributes:
        resource: The person or role.
        period: The period, as the resource data names it (``2026-12``, ``w49``).
        utilisation: Allocated effort / capacity (1.35 is 135 %).
        rag: ``Red`` or ``Amber`` by the resource thresholds (any word is shown as given).
        projects: The projects that load the resource in the period.
    """

    resource: str
    period: str
    utilisation: float
    rag: str
    projects: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hotspots:
    """Resource over-allocation hot spots, worst first (filled when resource data exists)."""

    rows: tuple[Hotspot, ...]
    amber_over: float = 1.0
    red_over: float = 1.2
