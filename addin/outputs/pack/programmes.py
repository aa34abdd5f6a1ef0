"""One slide per programme (paged for long lists): its projects worst first, every RAG shown."""

from __future__ import annotations

from pptx.slide import Slide

from addin.core.words import counted
from addin.outputs.dashboard.book import money_format
from addin.outputs.dashboard.summary import NO_PROGRAMME
from addin.outputs.pack.context import Pack, page_title, paged
from addin.outputs.pack.overview import flags
from addin.outputs.slides.charts import Series, add_bar_chart, bars_box
from addin.outputs.slides.formats import ratio
from addin.outputs.slides.geometry import Box
from addin.outputs.slides.shapes import add_text
from addin.outputs.slides.style import BODY_PT, TITLE_COLOUR
from addin.outputs.slides.tables import (
    Column,
    add_table,
    rag_column,
    rows_per_page,
    table_height,
)

COLUMNS = (
    Column("Project ID", width=70),
    Column("Project", 2.6),
    Column("Manager", 1.6),
    rag_column("Schedule"),
    rag_column("Cost"),
    rag_column("Risk"),
    rag_column("Overall"),
    rag_column("Reported"),
    Column("SPI", width=38, kind="number"),
    Column("CPI", width=38, kind="number"),
    Column("Top reason / flags", 3.4),
)


#: Least room under a programme's table for its two charts, in points.
CHART_ROOM = 150.0


def _charts(pack: Pack, slide: Slide, box: Box, ids: list[str]) -> list[str]:
    """Under a short table: Budget and EAC, and SPI and CPI, of the page's projects."""
    projects = [p for p in (pack.by_id.get(pid) for pid in ids) if p is not None]
    if box.h < CHART_ROOM or not projects:
        return []
    names = [f"{p.project_id or ''} {p.project_name or ''}".strip() for p in projects]
    left, right = box.columns([1, 1], gap=18)
    budgets = [p.budget or 0.0 for p in projects]
    eacs = [p.eac or 0.0 for p in projects]
    largest = max([*budgets, *eacs, 0.0])
    cut = add_bar_chart(
        slide,
        bars_box(left, len(projects) * 2, per_bar=18),
        names,
        [Series("Budget", budgets, "#1F3864"), Series("EAC", eacs, "#56B4E9")],
        title=f"Budget and EAC ({pack.data.currency})",
        number_format=money_format(pack.data.currency, largest),
        label_share=0.4,
    )
    cut += add_bar_chart(
        slide,
        bars_box(right, len(projects) * 2, per_bar=18),
        names,
        [
            Series("SPI", [p.spi or 0.0 for p in projects], "#0072B2"),
            Series("CPI", [p.cpi or 0.0 for p in projects], "#CC79A7"),
        ],
        title="SPI and CPI (1.00 = on plan)",
        number_format="0.00",
        label_share=0.4,
    )
    return cut


def programme_slides(pack: Pack) -> None:
    """For each programme (as the dashboard orders them), its projects worst first, paged."""
    members: dict[str, list[str]] = {}
    for m in pack.data.matrix:
        members.setdefault(m.programme.strip() or NO_PROGRAMME, []).append(m.project_id)
    matrix = {m.project_id: m for m in pack.data.matrix}
    area = pack.deck.content
    head = area.top(20)
    table = area.below(20, 6)
    per_page = rows_per_page(table, COLUMNS)
    for programme in pack.data.programmes:
        ids = members.get(programme.programme, [])
        pages = paged(ids, per_page)
        line = (
            f"{counted(programme.projects, 'project')}: {programme.red} Red, {programme.amber} "
            f"Amber, {programme.green} Green · budget {pack.money(programme.budget)}, "
            f"EAC {pack.money(programme.eac)}"
        )
        for n, page in enumerate(pages, 1):
            slide = pack.deck.slide(page_title(f"Programme: {programme.programme}", n, len(pages)))
            add_text(slide, head, line, size=BODY_PT, bold=True, colour=TITLE_COLOUR, lines=1)
            rows = []
            for pid in page:
                m = matrix[pid]
                p = pack.by_id.get(pid)
                flagged = flags(m.stale, m.optimism)
                reason = m.top_reason + (f" [{flagged}]" if flagged else "")
                rows.append(
                    (
                        pid,
                        m.project_name,
                        m.project_manager,
                        m.schedule,
                        m.cost,
                        m.risk,
                        m.overall,
                        m.reported,
                        ratio(p.spi if p else None),
                        ratio(p.cpi if p else None),
                        reason or "—",
                    )
                )
            cut = add_table(slide, table, COLUMNS, rows)
            used = table_height(COLUMNS, len(rows)) + 16
            cut += _charts(pack, slide, table.below(used), list(page))
            pack.deck.notes(
                slide,
                [f"Programme {programme.programme}: {line}"],
                pack.why(list(page)),
                ["Shortened on the slide:", *cut] if cut else [],
            )
