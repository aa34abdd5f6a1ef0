"""Milestones: overdue and due in the next 30 days; slipping milestones (chart and lists).

The lists are the dashboard's (``Milestones ahead`` and the worst slippages); a list
longer than :data:`MAX_PAGES` slides says how many more the dashboard workbook holds.
When history is kept, the milestones whose forecast moved later since the previous
snapshot are listed beside the slippage chart.
"""

from __future__ import annotations

from addin.outputs.pack.context import Pack, page_title, paged
from addin.outputs.slides.charts import Series, add_bar_chart, bars_box
from addin.outputs.slides.formats import days, long_date
from addin.outputs.slides.shapes import add_text
from addin.outputs.slides.style import BODY_PT, MUTED_COLOUR, SMALL_PT
from addin.outputs.slides.tables import Column, add_table, rows_per_page

#: Most slides a list of items (milestones, risks) takes; the rest is counted.
MAX_PAGES = 3
#: Bar colour of slippage charts (the dashboard's).
SLIP_COLOUR = "#0072B2"

AHEAD = (
    Column("When", 1.3),
    Column("Project ID", width=70),
    Column("Project", 1.8),
    Column("Milestone", 2.6),
    Column("Owner", 1.3),
    Column("Baseline", width=70),
    Column("Forecast", width=70),
    Column("Slip", width=46, kind="number"),
    Column("Days to go", width=68, kind="number"),
)


def milestones_slides(pack: Pack) -> None:
    """Milestones not achieved: overdue, passed since the report, due within 30 days."""
    data = pack.data
    area = pack.deck.content
    caption, table = area.top(18), area.below(18, 6)
    per_page = rows_per_page(table, AHEAD)
    items = data.milestones
    shown = items[: per_page * MAX_PAGES]
    pages = paged(shown, per_page)
    counts = {w: sum(1 for m in items if m.when == w) for w in ("Overdue", "Passed since report")}
    soon = len(items) - sum(counts.values())
    words = (
        f"{counts['Overdue']} overdue (before the project's Status Date), "
        f"{counts['Passed since report']} passed since the report, {soon} due within "
        f"{data.ahead_days} days of {long_date(data.as_of)}."
    )
    if len(items) > len(shown):
        words += (
            f" The {len(items) - len(shown)} later ones are on the dashboard's Milestones ahead."
        )
    title = f"Milestones: overdue and due in the next {data.ahead_days} days"
    for n, page in enumerate(pages, 1):
        slide = pack.deck.slide(page_title(title, n, len(pages)))
        add_text(slide, caption, words, size=SMALL_PT, colour=MUTED_COLOUR)
        if not items:
            add_text(slide, table.top(40), "No milestone is overdue or due soon.", size=BODY_PT)
            continue
        rows = [
            (
                m.when,
                m.project_id,
                m.project_name,
                f"{m.milestone_id} {m.milestone}".strip(),
                m.owner,
                pack.show_date(m.baseline),
                pack.show_date(m.forecast),
                days(m.slippage_days),
                f"{m.days_from_as_of:+d}",
            )
            for m in page
        ]
        cut = add_table(slide, table, AHEAD, rows)
        pack.deck.notes(
            slide,
            [words, "Slip: forecast minus baseline, in days (milestones not achieved)."],
            ["Shortened on the slide:", *cut] if cut else [],
        )


SLIPS = (
    Column("Project ID", width=70),
    Column("Milestone", 3),
    Column("Slip", width=46, kind="number"),
)
MOVED = (
    Column("Project ID", width=70),
    Column("Milestone", 2.4),
    Column("Was", width=70),
    Column("Now", width=70),
    Column("Moved", width=50, kind="number"),
)


def slipping_slide(pack: Pack) -> None:
    """The worst milestone slippages as a native chart, and the forecasts that moved later."""
    data = pack.data
    slide = pack.deck.slide("Slipping milestones")
    area = pack.deck.content
    left, right = area.columns([1.1, 1], gap=18)
    notes: list[str] = []
    if data.slippages:
        cut = add_bar_chart(
            slide,
            bars_box(left, len(data.slippages)),
            [s.label for s in data.slippages],
            [Series("Slippage (days)", [s.days for s in data.slippages], SLIP_COLOUR)],
            title=f"Worst {len(data.slippages)} slippages (forecast - baseline, days)",
            number_format="0",
            legend=False,
            label_share=0.45,
        )
        notes += [
            f"{s.project_id} {s.milestone_id} {s.milestone}: {s.days} days" for s in data.slippages
        ]
        notes += ["Shortened:", *cut] if cut else []
    else:
        add_text(
            slide, left.top(40), "No milestone is forecast later than its baseline.", size=BODY_PT
        )
    trends = pack.trends
    if trends is not None:
        head, table = right.top(20), right.below(20, 4)
        since = pack.show_date(trends.previous_as_of)
        add_text(slide, head, f"Forecast moved later since {since}", size=BODY_PT, bold=True)
        fit = rows_per_page(table, MOVED)
        moved = trends.moved_milestones
        rows = [
            (
                m.project_id,
                f"{m.milestone_id} {m.milestone}".strip(),
                pack.show_date(m.previous_forecast),
                pack.show_date(m.forecast),
                f"+{m.moved_days} d",
            )
            for m in moved[:fit]
        ]
        if rows:
            notes += add_table(slide, table, MOVED, rows)
        else:
            add_text(slide, table.top(40), "No forecast moved later.", size=BODY_PT)
        if len(moved) > fit:
            notes.append(f"{len(moved) - fit} more moved milestones are not on the slide.")
    else:
        head, table = right.top(20), right.below(20, 4)
        add_text(slide, head, "Slipping the most", size=BODY_PT, bold=True)
        fit = rows_per_page(table, SLIPS)
        slips = [
            (s.project_id, f"{s.milestone_id} {s.milestone}".strip(), f"+{s.days} d")
            for s in data.slippages[:fit]
        ]
        if slips:
            notes += add_table(slide, table, SLIPS, slips)
    pack.deck.notes(slide, notes)
