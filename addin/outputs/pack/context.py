"""What every slide of the steering pack draws on: the deck, the run, the dashboard's summary.

The numbers and lists are the dashboard's own (:func:`addin.outputs.dashboard.summarise`),
so the pack and the dashboard never disagree; the pack only lays them out and writes the
reasons behind every RAG into the speaker notes (:meth:`Pack.why`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from addin.core.settings import Settings
from addin.engine.run import PortfolioRun, ProjectStatus
from addin.outputs.dashboard.data import DashboardData
from addin.outputs.pack.inputs import Hotspots, Trends
from addin.outputs.slides.deck import SlideDeck
from addin.outputs.slides.formats import dates, money, ratio
from addin.outputs.slides.style import one_line

#: The RAG words the engine writes today; any other word is drawn too (grey), never dropped.
KNOWN_RAGS = ("Red", "Amber", "Green")
#: The word RAG v2 writes for a dimension judged without evidence.
NO_DATA = "No data"
DIMENSIONS = ("Schedule", "Cost", "Risk")


def rag_words(projects: Iterable[ProjectStatus]) -> list[str]:
    """Red, Amber, Green, then any other Overall RAG word in use (``No data``)."""
    found = {p.overall_rag or NO_DATA for p in projects}
    return [*KNOWN_RAGS, *sorted(found - set(KNOWN_RAGS))]


def is_exception_rag(word: str) -> bool:
    """True for a RAG word that is neither Amber nor Green: Red, No data, any unknown word."""
    return word not in ("Amber", "Green")


T = TypeVar("T")


def page_title(title: str, page: int, pages: int) -> str:
    """``title`` with ``(page 2 of 3)`` when the list takes more than one slide."""
    return f"{title} (page {page} of {pages})" if pages > 1 else title


def paged(items: Sequence[T], per_page: int) -> list[Sequence[T]]:
    """``items`` in pages of ``per_page`` (one empty page when there are none)."""
    return [items[i : i + per_page] for i in range(0, len(items), per_page)] or [[]]


@dataclass
class Pack:
    """The deck being written and everything its slides show."""

    deck: SlideDeck
    run: PortfolioRun
    data: DashboardData
    settings: Settings
    trends: Trends | None = None
    hotspots: Hotspots | None = None
    by_id: dict[str, ProjectStatus] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {p.project_id or "": p for p in self.run.projects}
        self.show_date = dates(self.settings.date_format)

    def money(self, value: float | None) -> str:
        """An amount in the portfolio's currency, short (``£21.8m``)."""
        return money(value, self.data.currency)

    def why(self, project_ids: Sequence[str]) -> list[str]:
        """The reasons behind every RAG of these projects, for a slide's speaker notes."""
        lines: list[str] = []
        for pid in dict.fromkeys(project_ids):
            p = self.by_id.get(pid)
            if p is not None:
                lines.extend(project_reasons(p))
        return ["Why each RAG on this slide:", *lines] if lines else []


def project_reasons(p: ProjectStatus) -> list[str]:
    """One project's RAGs and the reasons behind each, in words a reviewer can defend."""
    head = f"{one_line(p.project_id or '(no ID)')} {one_line(p.project_name or '')}".strip()
    overall = p.overall_rag or NO_DATA
    line = f"{head}: Overall {overall}"
    if p.reported_rag:
        line += f" (reported {one_line(p.reported_rag)}{', optimism' if p.optimism else ''})"
    lines = [line]
    for dim in DIMENSIONS:
        word = getattr(p, f"{dim.lower()}_rag") or NO_DATA
        why = p.dimension_reasons(dim)
        if not why:
            why = ("no threshold crossed",) if word == "Green" else ("no reason recorded",)
        lines.extend(f"  {dim} {word}: {one_line(w)}" for w in why)
    for reason in p.reasons:
        if not reason.startswith(tuple(f"{d} " for d in DIMENSIONS)):
            lines.append(f"  {one_line(reason)}")
    slip = "—" if p.max_slippage_days is None else str(p.max_slippage_days)
    evidence = [
        f"SPI {ratio(p.spi)}",
        f"CPI {ratio(p.cpi)}",
        f"max milestone slippage {slip} d",
        f"{p.overdue_milestones} overdue milestones",
        f"{p.open_high_risks} open High/Critical",
    ]
    lines.append(f"  Evidence: {', '.join(evidence)}")
    return lines
