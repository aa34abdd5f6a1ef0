"""The sheets the Dashboard links to, and the hidden Chart Data its charts read.

RAG Matrix, Exceptions, Milestones ahead, Top risks, Data quality and Trend.

Each sheet: a title row with the portfolio name and as-of date, a link back to
the Dashboard, one or more Excel tables (autofilter, frozen header), landscape
print fitted to the page width with the header row repeated.
"""

from __future__ import annotations

from pathlib import PurePath

from xlsxwriter.worksheet import Worksheet

from addin.outputs.dashboard.book import (
    CHART_DATA,
    EXCEPTIONS,
    MATRIX,
    MILESTONES,
    QUALITY,
    TOP_RISKS,
    TREND,
    Book,
    Col,
)
from addin.outputs.dashboard.charts import RAG_SERIES, SLIP_COL
from addin.outputs.dashboard.data import ARROW_BETTER, ARROW_WORSE, Trend
from addin.outputs.palette import FINDING_FILL, RAG_COLOURS

#: Row of the table headers on every detail sheet (0-based).
HEADER_ROW = 3


def _sheet(book: Book, name: str, last_col: int, description: str) -> Worksheet:
    ws = book.wb.add_worksheet(name)
    book.title(ws, name, last_col, description)
    book.page(ws, name, header_row=HEADER_ROW)
    ws.fit_to_pages(1, 0)
    ws.freeze_panes(HEADER_ROW + 1, 0)
    return ws


def matrix_sheet(book: Book) -> None:
    """Every project, worst first, with its three dimensions and Overall RAG."""
    cols = [
        Col("#", 5, "int"),
        Col("Project ID", 12),
        Col("Project", 32),
        Col("Programme", 22),
        Col("Project Manager", 20),
        Col("Schedule", 10, "rag"),
        Col("Cost", 10, "rag"),
        Col("Risk", 10, "rag"),
        Col("Overall", 10, "rag"),
        Col("Reported", 10, "rag"),
        Col("Stale", 7, "center"),
        Col("Optimism", 9, "center"),
        Col("Top reason", 60, "wrap"),
    ]
    ws = _sheet(
        book,
        MATRIX,
        len(cols) - 1,
        "Every project, worst first: Overall Red, No data, Amber, Green, then Schedule, Cost, "
        "Risk. Overall is the worst dimension with data; No data (grey) where the tracker "
        "holds no evidence. A stale report, or one with no data for Schedule or Cost, is at "
        "least Amber.",
    )
    rows = [
        (
            i,
            m.project_id,
            m.project_name,
            m.programme,
            m.project_manager,
            m.schedule,
            m.cost,
            m.risk,
            m.overall,
            m.reported,
            m.stale,
            m.optimism,
            m.top_reason,
        )
        for i, m in enumerate(book.data.matrix, 1)
    ]
    book.table(ws, "RagMatrix", HEADER_ROW, 0, cols, rows, empty="No projects.")
    ws.freeze_panes(HEADER_ROW + 1, 3)


def exceptions_sheet(book: Book) -> None:
    """Red projects with their reasons, No data (what is missing), optimism, stale reports."""
    cols = [
        Col("Exception", 11, "rag"),
        Col("Project ID", 12),
        Col("Project", 28),
        Col("Programme", 20),
        Col("Project Manager", 18),
        Col("Reported", 10, "rag"),
        Col("Overall", 10, "rag"),
        Col("Status Date", 12, "date"),
        Col("Age (days)", 9, "int"),
        Col("Reasons", 70, "wrap"),
    ]
    stale_days = book.settings.rag.stale_days
    ws = _sheet(
        book,
        EXCEPTIONS,
        len(cols) - 1,
        "Red: Overall Red. No data: a dimension without evidence in the tracker (what is "
        "missing). Optimism: the project manager reports better than computed. Stale: Status "
        f"Date more than {stale_days} days before the as-of date, or none.",
    )
    rows = [
        (
            e.kind,
            e.project_id,
            e.project_name,
            e.programme,
            e.project_manager,
            e.reported,
            e.overall,
            e.status_date,
            e.age_days,
            "\n".join(e.reasons),
        )
        for e in book.data.exceptions
    ]
    book.table(ws, "Exceptions", HEADER_ROW, 0, cols, rows, empty="No exceptions.")


def milestones_sheet(book: Book) -> None:
    """Milestones not achieved: overdue, passed since the report, or due soon."""
    cols = [
        Col("When", 18),
        Col("Days from As Of", 9, "int"),
        Col("Project ID", 12),
        Col("Project", 26),
        Col("Milestone ID", 11),
        Col("Milestone", 36, "wrap"),
        Col("Owner", 18),
        Col("Status", 12),
        Col("Baseline", 12, "date"),
        Col("Forecast", 12, "date"),
        Col("Slippage (days)", 10, "int"),
    ]
    ws = _sheet(
        book,
        MILESTONES,
        len(cols) - 1,
        "Not achieved and overdue (forecast before the project's Status Date), passed since "
        f"the report, or forecast within {book.data.ahead_days} days of the as-of date.",
    )
    rows = [
        (
            m.when,
            m.days_from_as_of,
            m.project_id,
            m.project_name,
            m.milestone_id,
            m.milestone,
            m.owner,
            m.status,
            m.baseline,
            m.forecast,
            m.slippage_days,
        )
        for m in book.data.milestones
    ]
    first, last = book.table(ws, "MilestonesAhead", HEADER_ROW, 0, cols, rows)
    if rows:
        fill, font = RAG_COLOURS["Red"]
        overdue = book.wb.add_format({"bg_color": fill, "font_color": font, "bold": True})
        ws.conditional_format(
            first,
            0,
            last,
            0,
            {"type": "cell", "criteria": "==", "value": '"Overdue"', "format": overdue},
        )


def risks_sheet(book: Book) -> None:
    """Open High and Critical risks and issues, worst first, then by due date."""
    cols = [
        Col("Severity", 10),
        Col("Project ID", 12),
        Col("Project", 24),
        Col("ID", 8),
        Col("Type", 8),
        Col("Title", 40, "wrap"),
        Col("Owner", 18),
        Col("Due", 12, "date"),
        Col("Status", 11),
        Col("Mitigation / Action", 44, "wrap"),
    ]
    ws = _sheet(
        book,
        TOP_RISKS,
        len(cols) - 1,
        "Open (Open or Mitigating) risks and issues of severity Critical or High, stated or "
        "derived from Probability x Impact; Critical first, then by due date.",
    )
    rows = [
        (
            r.severity,
            r.project_id,
            r.project_name,
            r.raid_id,
            r.type,
            r.title,
            r.owner,
            r.due,
            r.status,
            r.mitigation,
        )
        for r in book.data.top_risks
    ]
    first, last = book.table(ws, "TopRisks", HEADER_ROW, 0, cols, rows)
    if rows:
        for word, rag in (("Critical", "Red"), ("High", "Amber")):
            ws.conditional_format(
                first,
                0,
                last,
                0,
                {"type": "cell", "criteria": "==", "value": f'"{word}"', "format": book.rag[rag]},
            )


def quality_sheet(book: Book) -> None:
    """Data-quality league tables by project and by project manager; files not loaded."""
    data = book.data
    ws = _sheet(
        book,
        QUALITY,
        10,
        "Validation findings (errors, warnings) per project and per project manager, worst "
        "first. Data quality is reported beside RAG, not folded into it.",
    )
    by_project = [
        Col("Project ID", 12),
        Col("Project", 28),
        Col("Errors", 8, "int"),
        Col("Warnings", 9, "int"),
        Col("Files", 7, "int"),
    ]
    rows = [(q.name, q.detail, q.errors, q.warnings, q.files) for q in data.quality_projects]
    errors = book.style(bg_color=FINDING_FILL, bold=True)
    over_zero = {"type": "cell", "criteria": ">", "value": 0, "format": errors}
    first, last = book.table(ws, "QualityByProject", HEADER_ROW, 0, by_project, rows)
    ws.conditional_format(first, 2, last, 2, over_zero)
    by_pm = [
        Col("Project Manager", 22),
        Col("Projects", 30, "wrap"),
        Col("Errors", 8, "int"),
        Col("Warnings", 9, "int"),
        Col("Files", 13, "int"),
    ]
    rows = [(q.name, q.detail, q.errors, q.warnings, q.files) for q in data.quality_managers]
    first, last = book.table(ws, "QualityByManager", HEADER_ROW, 6, by_pm, rows)
    ws.conditional_format(first, 8, last, 8, over_zero)
    ws.set_column(5, 5, 3)
    if data.unloaded:
        top = last + 3
        book.merged(ws, top - 1, 6, 10, "Files not in the portfolio", book.f["section"])
        unloaded = [
            Col("File", 22, "wrap"),
            Col("Reason", 30, "wrap"),
            Col("Errors", 8, "int"),
            Col("Warnings", 9, "int"),
            Col("Status", 13),
        ]
        files = [
            (PurePath(u.file).name, u.reason, u.errors, u.warnings, u.status) for u in data.unloaded
        ]
        book.table(ws, "FilesNotLoaded", top, 6, unloaded, files)


def trend_sheet(book: Book, trend: Trend) -> None:
    """Each project's Overall RAG last time and now; new Reds and recovered projects."""
    cols = [
        Col("Project ID", 12),
        Col("Project", 28),
        Col("Programme", 20),
        Col("Last time", 10, "rag"),
        Col("Now", 10, "rag"),
        Col("Change", 8, "center"),
    ]
    previous = book.show_date(trend.previous_as_of)
    description = (
        f"Overall RAG at {previous} and now. ▲ better, ▼ worse, = same, new: not in the "
        "previous portfolio."
    )
    if trend.dropped:
        description += " No longer reported: " + ", ".join(trend.dropped) + "."
    ws = _sheet(book, TREND, 14, description)
    rows = [
        (r.project_id, r.project_name, r.programme, r.before, r.now, r.arrow) for r in trend.rows
    ]
    first, last = book.table(ws, "Trend", HEADER_ROW, 0, cols, rows, empty="No projects.")
    fonts = {ARROW_WORSE: RAG_COLOURS["Red"][0], ARROW_BETTER: RAG_COLOURS["Green"][0]}
    for arrow, colour in fonts.items():
        fmt = book.wb.add_format({"font_color": colour, "bold": True, "align": "center"})
        ws.conditional_format(
            first,
            5,
            last,
            5,
            {"type": "cell", "criteria": "==", "value": f'"{arrow}"', "format": fmt},
        )
    short = [Col("Project ID", 12), Col("Project", 26), Col("Last time", 10, "rag")]
    ws.set_column(6, 6, 3)
    book.table(
        ws,
        "NewReds",
        HEADER_ROW,
        7,
        short,
        [(r.project_id, r.project_name, r.before or "new") for r in trend.new_reds],
        empty="No new Red projects.",
    )
    ws.set_column(10, 10, 3)
    book.table(
        ws,
        "Recovered",
        HEADER_ROW,
        11,
        [*short[:2], Col("Now", 10, "rag")],
        [(r.project_id, r.project_name, r.now) for r in trend.recovered],
        empty="No recovered projects.",
    )
    book.merged(ws, HEADER_ROW - 1, 7, 9, "New Red (Red now, not Red before)", book.f["section"])
    book.merged(ws, HEADER_ROW - 1, 11, 13, "Recovered (Red before, not now)", book.f["section"])


def chart_data_sheet(book: Book) -> Worksheet:
    """The hidden sheet the Dashboard's charts read: per programme, and the worst slippages.

    Columns A-G: Programme, Red, Amber, Green, No data, Budget, EAC (row 2 on, one per
    programme); I-J: Milestone, Slippage (days).
    """
    data = book.data
    ws = book.wb.add_worksheet(CHART_DATA)
    headers = ("Programme", *RAG_SERIES, "Budget", "EAC")
    for c, h in enumerate(headers):
        ws.write_string(0, c, h, book.f["header"])
    for r, p in enumerate(data.programmes, 1):
        book.put(ws, r, 0, p.programme)
        values = (p.red, p.amber, p.green, p.no_data, p.budget, p.eac)
        for c, value in enumerate(values, 1):
            ws.write_number(r, c, value)
    ws.write_string(0, SLIP_COL, "Milestone", book.f["header"])
    ws.write_string(0, SLIP_COL + 1, "Slippage (days)", book.f["header"])
    for r, s in enumerate(data.slippages, 1):
        book.put(ws, r, SLIP_COL, s.label)
        ws.write_number(r, SLIP_COL + 1, s.days)
    ws.set_column(0, 0, 26)
    ws.set_column(1, len(headers) - 1, 12)
    ws.set_column(SLIP_COL, SLIP_COL, 36)
    ws.set_column(SLIP_COL + 1, SLIP_COL + 1, 14)
    ws.hide()
    return ws
