"""Exceptions: the projects that need the committee, each once, with its reasons.

Red (Overall Red), No data (a RAG judged without evidence, or any RAG word other than
Red, Amber and Green), Optimism (the project manager reports better than computed) and
Stale (an old Status Date). Red, Optimism and Stale are the dashboard's own exception
rows; No data comes from the same worst-first matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

from addin.outputs.pack.context import Pack, is_exception_rag, page_title, paged
from addin.outputs.slides.geometry import Box
from addin.outputs.slides.shapes import add_text
from addin.outputs.slides.style import BODY_PT, MUTED_COLOUR, SMALL_PT
from addin.outputs.slides.tables import Column, add_table, rag_column, rows_per_page

#: The order exceptions are listed in (a project is listed under its first).
KINDS = ("Red", "No data", "Optimism", "Stale")


@dataclass(frozen=True)
class Exception_:
    """One project on the exceptions slides, with every exception it raises."""

    project_id: str
    project_name: str
    kinds: tuple[str, ...]
    reported: str
    overall: str
    status_date: str
    reasons: tuple[str, ...]


def exceptions(pack: Pack) -> list[Exception_]:
    """Each project needing attention once, in :data:`KINDS` order, worst first within each."""
    kinds: dict[str, list[str]] = {}
    for e in pack.data.exceptions:
        kinds.setdefault(e.project_id, []).append(e.kind)
    for m in pack.data.matrix:
        if any(is_exception_rag(w) and w != "Red" for w in (m.schedule, m.cost, m.risk, m.overall)):
            kinds.setdefault(m.project_id, []).append("No data")
    order = {pid: i for i, pid in enumerate(m.project_id for m in pack.data.matrix)}
    listed = sorted(
        kinds,
        key=lambda pid: (min(KINDS.index(k) for k in kinds[pid]), order.get(pid, len(order))),
    )
    out = []
    for pid in listed:
        p = pack.by_id.get(pid)
        if p is None:
            continue
        out.append(
            Exception_(
                project_id=pid,
                project_name=p.project_name or "",
                kinds=tuple(k for k in KINDS if k in kinds[pid]),
                reported=p.reported_rag or "",
                overall=p.overall_rag,
                status_date=pack.show_date(p.status_date),
                reasons=p.reasons,
            )
        )
    return out


COLUMNS = (
    Column("Project ID", width=70),
    Column("Project", 2.2),
    Column("Exception", 1.2, lines=2),
    rag_column("Reported"),
    rag_column("Overall"),
    Column("Status Date", width=80),
    Column("Reasons", 6, lines=3),
)


def exceptions_slides(pack: Pack) -> None:
    """The exceptions, paged: one row per project, the reasons beside it."""
    rows = exceptions(pack)
    area = pack.deck.content
    caption = area.top(18)
    table = area.below(18, 6)
    per_page = rows_per_page(table, COLUMNS)
    pages = paged(rows, per_page)
    counts = {k: sum(1 for r in rows if k in r.kinds) for k in KINDS}
    summary = (
        ", ".join(f"{n} {k}" for k, n in counts.items() if n)
        + f" - {len(rows)} projects. Reasons for every RAG are in the speaker notes."
        if rows
        else ""
    )
    stale = pack.settings.rag.stale_days
    for n, page in enumerate(pages, 1):
        slide = pack.deck.slide(page_title("Exceptions", n, len(pages)))
        if not rows:
            add_text(
                slide,
                Box(area.x, area.y, area.w, 60),
                "No exceptions: no project is Red, without data, optimistic or stale "
                f"(Status Date more than {stale} days old).",
                size=BODY_PT,
            )
            continue
        add_text(slide, caption, summary, size=SMALL_PT, colour=MUTED_COLOUR)
        items = page
        cut = add_table(
            slide,
            table,
            COLUMNS,
            [
                (
                    r.project_id,
                    r.project_name,
                    ", ".join(r.kinds),
                    r.reported,
                    r.overall,
                    r.status_date,
                    "\n".join(r.reasons) or "—",
                )
                for r in items
            ],
        )
        pack.deck.notes(
            slide,
            [
                "Red: Overall Red. No data: a RAG judged without evidence. Optimism: the project "
                f"manager reports better than computed. Stale: Status Date over {stale} days old."
            ],
            pack.why([r.project_id for r in items]),
            ["Shortened on the slide:", *cut] if cut else [],
        )
