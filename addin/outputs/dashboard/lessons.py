"""The dashboard's Lessons page: lessons learned by category, and the latest ten.

Made from the run's Lessons rows (TRACKER_SPEC v1.1), when the portfolio has any: a table
of counts per category (went well, to improve) beside a native bar chart of it, then the
latest lessons with their recommendations, so a steering committee sees what the
portfolio is learning. ``pmo lessons search`` finds the rest in the history.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from addin.core.settings import Settings
from addin.engine.run import PortfolioRun
from addin.outputs.dashboard.book import Book, Col
from addin.outputs.dashboard.data import LessonCount, LessonLine, Lessons
from addin.outputs.palette import HEADER_FILL, RAG_COLOURS, TITLE_FONT

#: Sheet name of the Lessons page.
LESSONS = "Lessons"
#: Lessons listed on the page, newest first.
LATEST = 10
WENT_WELL, TO_IMPROVE = "Went well", "To improve"
HEADER_ROW = 3


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def lessons_summary(run: PortfolioRun, settings: Settings, latest: int = LATEST) -> Lessons | None:
    """Counts by category and the latest lessons (None when the portfolio has no lessons)."""
    rows = run.table("Lessons")
    if not len(rows):
        return None
    names = {p.project_id: p.project_name or "" for p in run.projects}
    cols = rows.columns
    lines = [
        LessonLine(
            date=date if isinstance(date, dt.date) else None,
            project_id=_text(pid),
            project_name=names.get(pid, ""),
            category=_text(category),
            type=_text(kind),
            lesson=_text(lesson),
            recommendation=_text(recommendation),
        )
        for pid, date, category, kind, lesson, recommendation in zip(
            rows.project_ids,
            *(cols[k] for k in ("date", "category", "type", "lesson", "recommendation")),
            strict=True,
        )
        if lesson
    ]
    order = {c: i for i, c in enumerate(settings.allowed.lesson_category)}
    by = Counter((line.category or "(none)", line.type) for line in lines)
    categories = sorted({c for c, _ in by}, key=lambda c: (order.get(c, len(order)), c))
    counts = tuple(
        LessonCount(
            c,
            by[(c, WENT_WELL)],
            by[(c, TO_IMPROVE)],
            sum(n for (cat, _), n in by.items() if cat == c),
        )
        for c in categories
    )
    newest = sorted(lines, key=lambda x: (x.date or dt.date.min, x.project_id), reverse=True)
    return Lessons(total=len(lines), by_category=counts, latest=tuple(newest[:latest]))


def lessons_sheet(book: Book, lessons: Lessons) -> None:
    """Write the Lessons page (one landscape page)."""
    ws = book.wb.add_worksheet(LESSONS)
    last_col = 6
    book.title(
        ws,
        LESSONS,
        last_col,
        f"{lessons.total} lessons learned in the trackers' Lessons sheets: by category, and the "
        f"latest {len(lessons.latest)}. Find any of them with `pmo lessons search WORDS`.",
    )
    book.page(ws, LESSONS, header_row=HEADER_ROW)
    ws.fit_to_pages(1, 1)
    cols = [
        Col("Category", 16),
        Col(WENT_WELL, 10, "int"),
        Col(TO_IMPROVE, 10, "int"),
        Col("Total", 8, "int"),
    ]
    counts = [(c.category, c.went_well, c.to_improve, c.total) for c in lessons.by_category]
    _, last = book.table(ws, "LessonsByCategory", HEADER_ROW, 0, cols, counts)
    n = len(counts)
    chart = book.wb.add_chart({"type": "bar", "subtype": "stacked"})
    for col, colour in ((1, RAG_COLOURS["Green"][0]), (2, HEADER_FILL)):
        chart.add_series(
            {
                "name": [LESSONS, HEADER_ROW, col],
                "categories": [LESSONS, HEADER_ROW + 1, 0, HEADER_ROW + n, 0],
                "values": [LESSONS, HEADER_ROW + 1, col, HEADER_ROW + n, col],
                "fill": {"color": colour},
                "gap": 50,
            }
        )
    font = {"name": "Calibri", "size": 8}
    chart.set_title(
        {
            "name": "Lessons by category",
            "name_font": {"name": "Calibri", "size": 10, "bold": True, "color": TITLE_FONT},
        }
    )
    chart.set_y_axis({"num_font": font, "reverse": True})
    chart.set_x_axis({"num_font": font, "min": 0, "num_format": "0"})
    chart.set_legend({"position": "bottom", "font": font})
    height = max(200, 22 * n + 90)
    chart.set_size({"width": 520, "height": height})
    ws.insert_chart(HEADER_ROW, 5, chart, {"x_offset": 10, "y_offset": 0, "object_position": 3})
    top = max(last + 3, HEADER_ROW + height // 20 + 2)
    book.merged(ws, top - 1, 0, last_col, f"The latest {len(lessons.latest)}", book.f["section"])
    latest = [
        Col("Date", 11, "date"),
        Col("Project ID", 11),
        Col("Project", 20, "wrap"),
        Col("Category", 12),
        Col("Type", 10),
        Col("Lesson", 48, "wrap"),
        Col("Recommendation", 40, "wrap"),
    ]
    rows = [
        (x.date, x.project_id, x.project_name, x.category, x.type, x.lesson, x.recommendation)
        for x in lessons.latest
    ]
    book.table(ws, "LatestLessons", top, 0, latest, rows)
