"""Trends and movers (when history is kept) and resource hot spots (when resource data exists).

Both are drawn from small typed inputs (:mod:`addin.outputs.pack.inputs`) the application
layer fills; without them the slides are not in the pack.
"""

from __future__ import annotations

from addin.outputs.pack.context import Pack, page_title, paged, rag_words
from addin.outputs.pack.inputs import MOVER_KINDS, Hotspots, Trends
from addin.outputs.pack.schedule import MAX_PAGES
from addin.outputs.slides.charts import Series, add_bar_chart, bars_box
from addin.outputs.slides.formats import percent
from addin.outputs.slides.shapes import add_list, add_text
from addin.outputs.slides.style import BODY_PT, MUTED_COLOUR, SMALL_PT, one_line, rag_colours
from addin.outputs.slides.tables import Column, add_table, rag_column, rows_per_page

MOVERS = (
    Column("Project ID", width=70),
    Column("Project", 2.4),
    Column("Movement", 1.2),
    rag_column("Before"),
    rag_column("Now"),
    Column("SPI change", width=70, kind="number"),
    Column("CPI change", width=70, kind="number"),
    Column("Reasons now", 3.4),
)


def _delta(value: float | None) -> str:
    return "—" if value is None else f"{round(value, 2) + 0.0:+.2f}"  # never "-0.00"


def trends_slides(pack: Pack, trends: Trends) -> None:
    """The RAG counts of each snapshot (native chart), what moved, then the movers, paged."""
    since = pack.show_date(trends.previous_as_of)
    slide = pack.deck.slide(f"Trends since {since}")
    left, right = pack.deck.content.columns([1.2, 1], gap=18)
    notes: list[str] = []
    if trends.snapshots:
        words = rag_words([])
        for snap in trends.snapshots:
            words += [w for w, _ in snap.counts if w not in words]
        series = [
            Series(w, [s.count(w) for s in trends.snapshots], rag_colours(w)[0])
            for w in words
            if any(s.count(w) for s in trends.snapshots)
        ]
        notes += add_bar_chart(
            slide,
            bars_box(left, len(trends.snapshots), per_bar=40),
            [pack.show_date(s.as_of) for s in trends.snapshots],
            series,
            title="Projects by Overall RAG at each snapshot",
            stacked=True,
            number_format="0",
            label_share=0.2,
        )
        notes += [
            f"{pack.show_date(s.as_of)}: " + ", ".join(f"{n} {w}" for w, n in s.counts)
            for s in trends.snapshots
        ]
    # A kind the pack does not list (the history's "changed": to or from No data) comes last.
    kinds = list(dict.fromkeys([*MOVER_KINDS, *(m.kind for m in trends.movers)]))
    counts = {k: sum(1 for m in trends.movers if m.kind == k) for k in kinds}
    lines = [f"{n} {kind}" for kind, n in counts.items()]
    lines.append(f"{len(trends.moved_milestones)} milestones forecast later by over a week")
    if trends.dropped:
        lines.append(f"{len(trends.dropped)} no longer reported: {', '.join(trends.dropped)}")
    add_text(slide, right.top(20), f"Since {since}", size=BODY_PT, bold=True)
    notes += add_list(slide, right.below(20, 4), lines, size=BODY_PT)
    pack.deck.notes(slide, notes)

    area = pack.deck.content
    caption, table = area.top(18), area.below(18, 6)
    per_page = rows_per_page(table, MOVERS)
    order = {k: i for i, k in enumerate(kinds)}
    movers = sorted(trends.movers, key=lambda m: order[m.kind])
    shown = movers[: per_page * MAX_PAGES]
    pages = paged(shown, per_page)
    for n, page in enumerate(pages, 1):
        slide = pack.deck.slide(page_title("Movers", n, len(pages)))
        add_text(
            slide,
            caption,
            f"Projects whose Overall RAG moved since {since}: {', '.join(kinds)}."
            + (
                f" {len(movers) - len(shown)} more are not shown."
                if len(movers) > len(shown)
                else ""
            ),
            size=SMALL_PT,
            colour=MUTED_COLOUR,
        )
        if not movers:
            add_text(slide, table.top(40), "No project's Overall RAG moved.", size=BODY_PT)
            continue
        rows = [
            (
                m.project_id,
                m.project_name,
                m.kind,
                m.before or "new",
                m.now,
                _delta(m.spi_delta),
                _delta(m.cpi_delta),
                "; ".join(m.reasons) or "—",
            )
            for m in page
        ]
        cut = add_table(slide, table, MOVERS, rows)
        pack.deck.notes(
            slide,
            pack.why([m.project_id for m in page]),
            ["Shortened on the slide:", *cut] if cut else [],
        )


HOTSPOTS = (
    Column("Resource", 1.6),
    Column("Period", width=70),
    Column("Load", width=56, kind="number"),
    rag_column("RAG"),
    Column("Projects", 2.2),
)
#: Most hot spots in the chart.
HOTSPOT_BARS = 10


def hotspots_slide(pack: Pack, hotspots: Hotspots) -> None:
    """People or roles over capacity: the worst as a native chart, the list beside it."""
    slide = pack.deck.slide("Resource hot spots")
    area = pack.deck.content
    caption, body = area.top(18), area.below(18, 6)
    add_text(
        slide,
        caption,
        f"Allocated effort over capacity: Amber over {percent(hotspots.amber_over)}, Red over "
        f"{percent(hotspots.red_over)}.",
        size=SMALL_PT,
        colour=MUTED_COLOUR,
    )
    left, right = body.columns([1, 1.2], gap=18)
    rows = hotspots.rows
    notes = [
        f"{one_line(h.resource)} {one_line(h.period)}: {percent(h.utilisation)} ({h.rag}); "
        + ", ".join(one_line(p) for p in h.projects)
        for h in rows
    ]
    if not rows:
        add_text(slide, body.top(40), "No one is allocated over capacity.", size=BODY_PT)
        pack.deck.notes(slide, notes)
        return
    worst = rows[:HOTSPOT_BARS]
    notes += add_bar_chart(
        slide,
        bars_box(left, len(worst), per_bar=30),
        [f"{h.resource} · {h.period}" for h in worst],
        [
            Series(
                "Load (% of capacity)",
                [round(h.utilisation * 100, 1) for h in worst],
                rag_colours("Red")[0],
                point_colours=[rag_colours(h.rag)[0] for h in worst],
            )
        ],
        title="Load, % of capacity (worst first)",
        number_format="0",
        legend=False,
        label_share=0.45,
    )
    fit = rows_per_page(right, HOTSPOTS)
    notes += add_table(
        slide,
        right,
        HOTSPOTS,
        [
            (h.resource, h.period, percent(h.utilisation), h.rag, ", ".join(h.projects))
            for h in rows[:fit]
        ],
    )
    if len(rows) > fit:
        notes.append(f"{len(rows) - fit} more hot spots are not on the slide.")
    pack.deck.notes(slide, notes)
