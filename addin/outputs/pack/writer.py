"""Write the steering pack: a PowerPoint deck for the committee, from one portfolio run.

Slides, in order: title; portfolio summary (KPI tiles, the worst-first RAG matrix as a
native table); portfolio by programme (native charts); exceptions (Red, No data,
optimism, stale) with reasons; trends and movers (when given); one slide per programme
(paged); milestones overdue and due in the next 30 days; slipping milestones (native
chart); top risks and issues; resource hot spots (when given); data quality.

Every number is the dashboard's (:func:`~addin.outputs.dashboard.summarise`); every RAG on a
slide has its reasons in that slide's speaker notes; text from trackers is plain text in
runs, shortened to fit its box with the full text in the notes, never a field or a link.
"""

from __future__ import annotations

from pathlib import Path

from addin.core.settings import Settings
from addin.engine.run import PortfolioRun
from addin.outputs.dashboard.summary import summarise
from addin.outputs.pack.context import Pack
from addin.outputs.pack.exceptions import exceptions_slides
from addin.outputs.pack.inputs import Hotspots, Trends
from addin.outputs.pack.overview import programmes_slide, summary_slide, title_slide
from addin.outputs.pack.programmes import programme_slides
from addin.outputs.pack.risks import quality_slide, risks_slides
from addin.outputs.pack.schedule import milestones_slides, slipping_slide
from addin.outputs.pack.trends import hotspots_slide, trends_slides
from addin.outputs.slides.deck import SlideDeck
from addin.outputs.slides.formats import long_date


def build_pack(
    run: PortfolioRun,
    settings: Settings,
    *,
    trends: Trends | None = None,
    hotspots: Hotspots | None = None,
    template: Path | None = None,
) -> Pack:
    """Lay out every slide of the pack in memory (see :func:`write_pack`)."""
    data = summarise(run, settings)
    footer = f"{data.name} · steering committee · as of {long_date(data.as_of)}"
    deck = SlideDeck(footer, template, settings.limits)
    pack = Pack(deck, run, data, settings, trends=trends, hotspots=hotspots)
    title_slide(pack)
    summary_slide(pack)
    programmes_slide(pack)
    exceptions_slides(pack)
    if trends is not None:
        trends_slides(pack, trends)
    programme_slides(pack)
    milestones_slides(pack)
    slipping_slide(pack)
    risks_slides(pack)
    if hotspots is not None:
        hotspots_slide(pack, hotspots)
    quality_slide(pack)
    return pack


def write_pack(
    path: Path,
    run: PortfolioRun,
    settings: Settings,
    *,
    trends: Trends | None = None,
    hotspots: Hotspots | None = None,
    template: Path | None = None,
) -> Path:
    """Write the steering pack of a portfolio run, atomically.

    Args:
        path: The ``.pptx`` to write; its folder must exist.
        run: The portfolio (read back from the portfolio workbook, or a consolidation's).
        settings: Date format, currency, severity scores, limits a template is held to.
        trends: How the portfolio moved (adds the trends and movers slides).
        hotspots: Resource over-allocation (adds the hot spots slide).
        template: The PMO's ``.pptx``/``.potx``: its masters, layouts, fonts, colours, logo.

    Returns:
        ``path``.

    Raises:
        OutputError: the template cannot be used, or the file could not be written (a
            previous file at ``path`` is intact).
    """
    pack = build_pack(run, settings, trends=trends, hotspots=hotspots, template=template)
    return pack.deck.save(
        path,
        title=f"{pack.data.name} - steering committee pack",
        subject=f"Steering committee pack as of {pack.data.as_of.isoformat()}",
    )
