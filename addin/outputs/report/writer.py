"""Write a one-page status report: one slide per project, from its tracker.

Left: the RAG of each dimension with its reasons, the project manager's RAG comment, and
progress (planned vs earned, a native chart, with SPI, CPI, budget and EAC). Right:
milestones (baseline, forecast, status, slip), the top open risks and issues, key
findings and the next 30 days. What does not fit is in the speaker notes, in full.
"""

from __future__ import annotations

from pathlib import Path

from pptx.slide import Slide

from addin.core.settings import LimitSettings, Settings
from addin.outputs.report.data import NEXT_DAYS, StatusReport
from addin.outputs.slides.charts import Series, add_bar_chart, bars_box
from addin.outputs.slides.deck import SlideDeck
from addin.outputs.slides.formats import dates, days, long_date, money, percent, ratio
from addin.outputs.slides.geometry import Box
from addin.outputs.slides.measure import line_height, lines_needed
from addin.outputs.slides.shapes import PAD_X, PAD_Y, add_list, add_text
from addin.outputs.slides.style import (
    BODY_PT,
    MUTED_COLOUR,
    SMALL_PT,
    TITLE_COLOUR,
    one_line,
)
from addin.outputs.slides.tables import Column, add_table, rag_column, rows_per_page, table_height

#: Height of a block's heading (one line of bold body text), in points.
HEAD = line_height(BODY_PT) + 2 * PAD_Y + 0.5
GAP = 8.0
#: Most lines of the PM's comment on the slide; most milestone and risk rows.
COMMENT_LINES = 6
MILESTONE_ROWS = 8
RISK_ROWS = 5
#: Least height of the findings and next-30-days lists, in points.
LISTS_HEIGHT = 110.0

RAG_TABLE = (
    Column("", width=62),
    rag_column("RAG"),
    Column("Reasons", 1, lines=2),
)
MILESTONES = (
    Column("Milestone", 2.6),
    Column("Baseline", width=64),
    Column("Forecast", width=64),
    Column("Status", 1),
    Column("Slip", width=44, kind="number"),
)
RISKS = (
    Column("Severity", width=56, kind="rag", as_rag=(("Critical", "Red"), ("High", "Amber"))),
    Column("ID", width=40),
    Column("Title", 2.6),
    Column("Owner", 1.2),
    Column("Due", width=64),
)


def _heading(slide: Slide, box: Box, text: str) -> Box:
    add_text(slide, box.top(HEAD), text, size=BODY_PT, bold=True, colour=TITLE_COLOUR, lines=1)
    return box.below(HEAD, 2)


class _Writer:
    def __init__(self, deck: SlideDeck, report: StatusReport, settings: Settings) -> None:
        self.deck, self.r, self.settings = deck, report, settings
        self.show = dates(settings.date_format)
        self.notes: list[str] = []

    def write(self) -> None:
        r, p = self.r, self.r.project
        title = f"{p.project_name or p.project_id or 'Project'} - status report"
        slide = self.deck.slide(title)
        area = self.deck.content
        facts = [
            p.project_id or "",
            p.programme or "",
            f"PM {p.project_manager}" if p.project_manager else "",
            f"Sponsor {p.sponsor}" if p.sponsor else "",
            p.phase or "",
            f"Status Date {self.show(p.status_date)}",
            f"reported {p.reported_rag}" if p.reported_rag else "no reported RAG",
        ]
        line = " · ".join(one_line(f) for f in facts if f)
        cut = add_text(slide, area.top(18), line, size=SMALL_PT, colour=MUTED_COLOUR, lines=1)
        self.notes += [f"Project: {cut}"] if cut else []
        left, right = area.below(18, 4).columns([1, 1.15], gap=20)
        self.left(slide, left)
        self.right(slide, right)
        why = [
            f"{d.name} {d.rag}: {'; '.join(d.reasons) or 'no reason recorded'}"
            for d in r.dimensions
        ]
        self.deck.notes(
            slide,
            ["Why each RAG:", *why],
            [f"Project manager's comment: {r.comment}"] if r.comment else [],
            ["Also:", *self.notes] if self.notes else [],
        )

    def left(self, slide: Slide, box: Box) -> None:
        r = self.r
        rows = [(d.name, d.rag, "; ".join(d.reasons) or "—") for d in r.dimensions]
        height = table_height(RAG_TABLE, len(rows), SMALL_PT)
        self.notes += add_table(slide, box.top(height), RAG_TABLE, rows, size=SMALL_PT)
        rest = box.below(height, GAP)
        text = r.comment or "No RAG comment in the tracker."
        width = rest.w - 2 * PAD_X
        lines = min(max(lines_needed(text, width, BODY_PT - 1), 2), COMMENT_LINES)
        comment = rest.top(HEAD + 2 + lines * line_height(BODY_PT - 1) + 2 * PAD_Y + 1)
        progress = rest.below(comment.h, GAP)
        inner = _heading(slide, comment, "Project manager's comment")
        cut = add_text(
            slide, inner, text, size=BODY_PT - 1, colour=None if r.comment else MUTED_COLOUR
        )
        self.notes += [f"Comment: {cut}"] if cut else []
        self.progress(slide, progress)

    def progress(self, slide: Slide, box: Box) -> None:
        r, p = self.r, self.r.project
        inner = _heading(slide, box, "Progress: planned vs earned")
        chart = bars_box(Box(inner.x, inner.y, inner.w, inner.h - 34), 2, per_bar=36, frame=40)
        facts_box = inner.below(chart.h + 4).top(30)
        if r.planned is None and r.earned is None:
            add_text(
                slide, chart.top(40), "No weighted tasks: progress is not measured.", size=SMALL_PT
            )
        else:
            values = [round((r.planned or 0) * 100, 1), round((r.earned or 0) * 100, 1)]
            add_bar_chart(
                slide,
                chart,
                ["Planned by the Status Date", "Earned (% complete)"],
                [Series("% of the plan", values, "#0072B2", point_colours=["#BFBFBF", "#0072B2"])],
                number_format='0"%"',
                legend=False,
                label_share=0.38,
            )
        money_ = self.r.currency
        facts = (
            f"SPI {ratio(p.spi)} · CPI {ratio(p.cpi)} · budget {money(p.budget, money_)} · "
            f"EAC {money(p.eac, money_)} ({percent(p.vac_pct, signed=True)}) · forecast finish "
            f"{self.show(p.forecast_finish)} ({days(p.finish_slip_days)} vs baseline)"
        )
        cut = add_text(slide, facts_box, facts, size=SMALL_PT, lines=2)
        self.notes += [f"Progress: {cut}"] if cut else []
        self.notes.append(
            f"Planned {percent(r.planned)} of the plan's weight by {self.show(r.status_date)}; "
            f"earned {percent(r.earned)}."
        )

    def right(self, slide: Slide, box: Box) -> None:
        r = self.r
        ms_rows = min(max(len(r.milestones), 1), MILESTONE_ROWS)
        risk_rows = min(max(len(r.risks), 1), RISK_ROWS)
        ms_h = HEAD + 2 + table_height(MILESTONES, ms_rows, SMALL_PT)
        risk_h = HEAD + 2 + table_height(RISKS, risk_rows, SMALL_PT)
        while box.h - ms_h - risk_h - 2 * GAP < LISTS_HEIGHT and ms_rows > 3:
            ms_rows -= 1
            ms_h = HEAD + 2 + table_height(MILESTONES, ms_rows, SMALL_PT)
        top = box.top(ms_h)
        middle = box.below(ms_h, GAP).top(risk_h)
        bottom = box.below(ms_h + GAP + risk_h, GAP)
        inner = _heading(slide, top, f"Milestones ({len(r.milestones)})")
        fit = rows_per_page(inner, MILESTONES, SMALL_PT)
        rows = [
            (
                m.milestone + (" (overdue)" if m.overdue else ""),
                self.show(m.baseline),
                self.show(m.forecast),
                m.status,
                days(m.slip_days),
            )
            for m in r.milestones
        ]
        if rows:
            self.notes += add_table(slide, inner, MILESTONES, rows[:fit], size=SMALL_PT)
            self.notes += [f"Milestone not shown: {' | '.join(map(str, x))}" for x in rows[fit:]]
        else:
            add_text(slide, inner.top(20), "No milestones in the tracker.", size=SMALL_PT)
        inner = _heading(slide, middle, f"Top open risks and issues ({len(r.risks)} open)")
        room = rows_per_page(inner, RISKS, SMALL_PT)
        items = [(x.severity, x.raid_id, x.title, x.owner, self.show(x.due)) for x in r.risks]
        if items:
            self.notes += add_table(slide, inner, RISKS, items[:room], size=SMALL_PT)
            self.notes += [f"Open item not shown: {' | '.join(x)}" for x in items[room:]]
        else:
            add_text(slide, inner.top(20), "No open risks or issues.", size=SMALL_PT)
        findings, ahead = bottom.columns([1, 1.15], gap=14)
        inner = _heading(slide, findings, "Key findings")
        found = list(r.findings)
        if r.errors or r.warnings:
            found.insert(0, f"{r.errors} validation errors, {r.warnings} warnings in the tracker")
        self.notes += add_list(
            slide,
            inner,
            found,
            size=SMALL_PT,
            each=2,
            empty="Nothing to report: the tracker is clean and current.",
        )
        inner = _heading(slide, ahead, f"Next {NEXT_DAYS} days")
        coming = [
            f"{self.show(n.when)} {n.what}: {n.name}" + (f" ({n.owner})" if n.owner else "")
            for n in r.next_days
        ]
        self.notes += add_list(
            slide, inner, coming, size=SMALL_PT, each=1, empty="Nothing planned."
        )


def write_report(
    path: Path,
    report: StatusReport,
    settings: Settings,
    *,
    template: Path | None = None,
    limits: LimitSettings | None = None,
) -> Path:
    """Write one project's one-page status report (a one-slide deck), atomically.

    Raises:
        OutputError: the template cannot be used or the file could not be written.
    """
    p = report.project
    footer = f"{one_line(p.project_id or '')} status report · as of {long_date(report.status_date)}"
    deck = SlideDeck(footer, template, limits or settings.limits)
    _Writer(deck, report, settings).write()
    return deck.save(
        path,
        title=f"{one_line(p.project_name or p.project_id or 'Project')} - status report",
        subject=f"Status report as of {report.status_date.isoformat()}",
    )


__all__ = ["write_report"]
