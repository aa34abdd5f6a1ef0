"""The dashboard's data: KPI tiles, chart series, matrix rows, detail lists, trend.

Plain frozen dataclasses, filled by :func:`addin.outputs.dashboard.summary.summarise` and
laid out by the writer; tests assert the workbook against them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from addin.engine.trend import TrendData
from addin.outputs.dashboard.resource_data import ResourcePage

#: Milestones whose forecast falls within this many days of the as-of date are "ahead".
AHEAD_DAYS = 30


@dataclass(frozen=True)
class Tile:
    """One KPI tile: a big number, a line under it, and a label.

    Attributes:
        key: Stable id (``projects``, ``red``, ``budget`` ...).
        label: Words under the number.
        value: The number.
        kind: ``count`` or ``money`` (how the number is formatted).
        share: A fraction shown under the number (``0.25`` -> "25% of projects"), or None.
        note: Text shown under the number when there is no share.
        link: Sheet the tile's label links to, or None.
        rag: RAG whose palette colours the tile, or None.
    """

    key: str
    label: str
    value: float
    kind: Literal["count", "money"] = "count"
    share: float | None = None
    note: str = ""
    link: str | None = None
    rag: str | None = None


@dataclass(frozen=True)
class ProgrammeRow:
    """Chart series of one programme: projects by Overall RAG, total Budget and EAC."""

    programme: str
    projects: int
    red: int
    amber: int
    green: int
    budget: float
    eac: float
    no_data: int = 0


@dataclass(frozen=True)
class MatrixRow:
    """One project in the RAG matrix."""

    project_id: str
    project_name: str
    programme: str
    project_manager: str
    schedule: str
    cost: str
    risk: str
    overall: str
    reported: str
    stale: bool
    optimism: bool
    top_reason: str


@dataclass(frozen=True)
class ExceptionRow:
    """A project that needs the committee's attention, and why.

    ``kind`` is ``Red``, ``No data`` (a dimension, or Overall, without evidence),
    ``Optimism`` (Reported better than computed) or ``Stale``; ``reasons`` are the
    engine's RAG reasons, in its order (for No data: only those that say what is missing).
    """

    kind: str
    project_id: str
    project_name: str
    programme: str
    project_manager: str
    reported: str
    overall: str
    status_date: dt.date | None
    age_days: int | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class MilestoneRow:
    """A milestone not yet achieved: overdue, passed since the report, or due soon.

    ``when`` is ``Overdue`` (forecast before the project's Status Date, as the RAG
    rules count it), ``Passed since report`` (forecast between the Status Date and
    the as-of date) or ``Due soon`` (forecast within :data:`AHEAD_DAYS` of as-of).
    """

    when: str
    project_id: str
    project_name: str
    milestone_id: str
    milestone: str
    owner: str
    status: str
    baseline: dt.date | None
    forecast: dt.date
    slippage_days: int | None
    days_from_as_of: int


@dataclass(frozen=True)
class Slippage:
    """One milestone's slippage (Forecast - Baseline, days), for the worst-ten chart."""

    project_id: str
    milestone_id: str
    milestone: str
    days: int

    @property
    def label(self) -> str:
        """Chart category: ``PRJ-0001 M-03 Go-live`` cut to 34 characters."""
        text = f"{self.project_id} {self.milestone_id} {self.milestone}".strip()
        return text if len(text) <= 34 else text[:33] + "…"


@dataclass(frozen=True)
class RiskRow:
    """An open High or Critical risk or issue."""

    severity: str
    project_id: str
    project_name: str
    raid_id: str
    type: str
    title: str
    owner: str
    due: dt.date | None
    status: str
    mitigation: str


@dataclass(frozen=True)
class QualityRow:
    """One line of a data-quality league table (a project or a project manager)."""

    name: str
    detail: str
    errors: int
    warnings: int
    files: int


@dataclass(frozen=True)
class UnloadedFile:
    """A file that did not make it into the portfolio, and why."""

    file: str
    status: str
    reason: str
    errors: int
    warnings: int


@dataclass(frozen=True)
class TrendRow:
    """A project's Overall RAG last time and now."""

    project_id: str
    project_name: str
    programme: str
    before: str | None
    now: str
    arrow: str


@dataclass(frozen=True)
class Trend:
    """How the portfolio moved since the previous portfolio."""

    previous_as_of: dt.date
    rows: tuple[TrendRow, ...]
    new_reds: tuple[TrendRow, ...]
    recovered: tuple[TrendRow, ...]
    dropped: tuple[str, ...]

    @property
    def better(self) -> int:
        """Projects whose Overall RAG improved."""
        return sum(1 for r in self.rows if r.arrow == ARROW_BETTER)

    @property
    def worse(self) -> int:
        """Projects whose Overall RAG worsened."""
        return sum(1 for r in self.rows if r.arrow == ARROW_WORSE)


ARROW_BETTER = "▲"
ARROW_WORSE = "▼"
ARROW_SAME = "="
ARROW_NEW = "new"


@dataclass(frozen=True)
class LessonLine:
    """One lesson learned, as the Lessons page lists it."""

    date: dt.date | None
    project_id: str
    project_name: str
    category: str
    type: str
    lesson: str
    recommendation: str


@dataclass(frozen=True)
class LessonCount:
    """Lessons of one category: what went well, what to improve, in all."""

    category: str
    went_well: int
    to_improve: int
    total: int


@dataclass(frozen=True)
class Lessons:
    """The Lessons page: counts by category and the latest lessons."""

    total: int
    by_category: tuple[LessonCount, ...]
    latest: tuple[LessonLine, ...]


@dataclass(frozen=True)
class DashboardData:
    """Every number and list the dashboard workbook shows."""

    name: str
    as_of: dt.date
    tiles: tuple[Tile, ...]
    programmes: tuple[ProgrammeRow, ...]
    slippages: tuple[Slippage, ...]
    matrix: tuple[MatrixRow, ...]
    exceptions: tuple[ExceptionRow, ...]
    milestones: tuple[MilestoneRow, ...]
    top_risks: tuple[RiskRow, ...]
    quality_projects: tuple[QualityRow, ...]
    quality_managers: tuple[QualityRow, ...]
    unloaded: tuple[UnloadedFile, ...] = ()
    trend: Trend | None = None
    trends: TrendData | None = None
    lessons: Lessons | None = None
    resources: ResourcePage | None = None
    currency: str = "GBP"
    ahead_days: int = AHEAD_DAYS
    generated: str = field(default="", compare=False)

    def tile(self, key: str) -> Tile:
        """The tile with this key (KeyError if none)."""
        for t in self.tiles:
            if t.key == key:
                return t
        raise KeyError(key)
