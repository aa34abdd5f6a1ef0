"""Top risks (open Critical and High risks and issues) and data quality.

Both lists are the dashboard's: :func:`~addin.outputs.dashboard.ahead.top_risks` and the
data-quality league tables. Data quality is reported beside RAG, never folded into it.
"""

from __future__ import annotations

from pathlib import PurePath

from addin.core.words import counted
from addin.outputs.pack.context import Pack, page_title, paged
from addin.outputs.pack.schedule import MAX_PAGES
from addin.outputs.slides.charts import Series, add_bar_chart, bars_box
from addin.outputs.slides.shapes import add_list, add_text
from addin.outputs.slides.style import BODY_PT, MUTED_COLOUR, SMALL_PT
from addin.outputs.slides.tables import Column, add_table, rows_per_page

SEVERITY_COLOURS = (("Critical", "Red"), ("High", "Amber"))

RISKS = (
    Column("Severity", width=62, kind="rag", as_rag=SEVERITY_COLOURS),
    Column("Project ID", width=70),
    Column("Project", 1.6),
    Column("ID", width=44),
    Column("Type", width=40),
    Column("Title", 2.4, lines=2),
    Column("Owner", 1.1),
    Column("Due", width=70),
    Column("Mitigation / action", 2.6, lines=2),
)


def risks_slides(pack: Pack) -> None:
    """Open Critical and High risks and issues, Critical first, then by due date."""
    items = pack.data.top_risks
    area = pack.deck.content
    caption, table = area.top(18), area.below(18, 6)
    per_page = rows_per_page(table, RISKS)
    shown = items[: per_page * MAX_PAGES]
    pages = paged(shown, per_page)
    critical = sum(1 for r in items if r.severity == "Critical")
    words = (
        f"{critical} Critical and {len(items) - critical} High open risks and issues "
        "(stated, or from Probability x Impact); Critical first, then by due date."
    )
    if len(items) > len(shown):
        words += f" {len(items) - len(shown)} more are on the dashboard's Top risks."
    for n, page in enumerate(pages, 1):
        slide = pack.deck.slide(page_title("Top risks and issues", n, len(pages)))
        add_text(slide, caption, words, size=SMALL_PT, colour=MUTED_COLOUR)
        if not items:
            add_text(slide, table.top(40), "No open Critical or High risk or issue.", size=BODY_PT)
            continue
        rows = [
            (
                r.severity,
                r.project_id,
                r.project_name,
                r.raid_id,
                r.type,
                r.title,
                r.owner,
                pack.show_date(r.due),
                r.mitigation or "—",
            )
            for r in page
        ]
        cut = add_table(slide, table, RISKS, rows)
        pack.deck.notes(slide, [words], ["Shortened on the slide:", *cut] if cut else [])


#: Most project managers in the data-quality chart.
QUALITY_CHART = 10
BY_PROJECT = (
    Column("Project ID", width=70),
    Column("Project", 3),
    Column("Errors", width=50, kind="number"),
    Column("Warnings", width=68, kind="number"),
)


def quality_slide(pack: Pack) -> None:
    """Validation findings by project manager (chart) and by project (table), worst first."""
    data = pack.data
    slide = pack.deck.slide("Data quality")
    area = pack.deck.content
    caption, body = area.top(18), area.below(18, 6)
    errors = sum(q.errors for q in data.quality_projects)
    warnings = sum(q.warnings for q in data.quality_projects)
    add_text(
        slide,
        caption,
        f"{counted(errors, 'validation error')} and {counted(warnings, 'warning')} in the "
        "trackers, reported beside RAG, not folded into it. Fix them in the trackers.",
        size=SMALL_PT,
        colour=MUTED_COLOUR,
    )
    left, right = body.columns([1, 1], gap=18)
    notes: list[str] = []
    managers = [q for q in data.quality_managers if q.errors or q.warnings][:QUALITY_CHART]
    if data.unloaded:
        left, files = left.rows([3, 1], gap=8)
        lines = [
            f"{PurePath(u.file).name}: {u.status}, {u.reason}"
            if u.reason
            else PurePath(u.file).name
            for u in data.unloaded
        ]
        add_text(slide, files.top(16), "Files not in the portfolio", size=BODY_PT, bold=True)
        notes += add_list(slide, files.below(16), lines, size=SMALL_PT, each=1)
    if managers:
        notes += add_bar_chart(
            slide,
            bars_box(left, len(managers)),
            [q.name for q in managers],
            [
                Series("Errors", [q.errors for q in managers], "#D55E00"),
                Series("Warnings", [q.warnings for q in managers], "#56B4E9"),
            ],
            title="Findings by project manager (worst first)",
            stacked=True,
            number_format="0",
        )
    else:
        add_text(
            slide, left.top(40), "No validation findings: every tracker is clean.", size=BODY_PT
        )
    fit = rows_per_page(right, BY_PROJECT)
    worst = [q for q in data.quality_projects if q.errors or q.warnings][:fit]
    if worst:
        notes += add_table(
            slide, right, BY_PROJECT, [(q.name, q.detail, q.errors, q.warnings) for q in worst]
        )
    pack.deck.notes(
        slide,
        [f"{q.name} ({q.detail}): {q.errors} errors, {q.warnings} warnings" for q in managers],
        ["Also:", *notes] if notes else [],
    )
