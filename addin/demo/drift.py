"""The drifted layout: a tracker written the way real ones drift from the template."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from addin.core.kinds import (
    Allocation,
    Field,
    Project,
    Record,
    SheetKind,
    Task,
    ValueType,
    kind,
    normalise,
)
from addin.core.settings import Settings
from addin.core.tracker import Tracker
from addin.demo.cases import SAMPLES_CREATED
from addin.outputs.atomic import atomic_path
from addin.outputs.cells import SAFE_OPTIONS
from addin.outputs.template import template_fields, write_value

# --- the drifted layout ---------------------------------------------------------------------

#: Sheets of a drifted tracker: (spec key, sheet name as written), in workbook order.
DRIFT_SHEETS: tuple[tuple[str, str], ...] = (
    ("Tasks", "Task List"),
    ("RAID", "Risks & Issues"),
    ("Project", "Project Info"),
    ("Milestones", "Milestone Tracker"),
    ("Budget", "Financials"),
    ("Lessons", "Lessons Learned"),
)
#: Headers a drifted tracker uses instead of the canonical ones: (sheet key, field) -> header.
DRIFT_HEADERS: dict[tuple[str, str], str] = {
    ("Tasks", "planned_finish"): "Due Date",
    ("Tasks", "pct_complete"): "% Done",
    ("Tasks", "owner"): "Assigned To",
    ("Project", "reported_rag"): "RAG",
    ("RAID", "mitigation"): "Mitigation",
}
#: Headers written with odd spacing or a line break (sheet key, field) -> header.
DRIFT_ODD_HEADERS: dict[tuple[str, str], str] = {
    ("Tasks", "task_name"): "  Task   Name ",
    ("Milestones", "baseline_date"): "Baseline\nDate",
    ("RAID", "probability"): "LIKELIHOOD",
}
#: The extra column a drifted Tasks sheet carries (not in the spec).
DRIFT_EXTRA_HEADER = "Predecessors"
#: First column (0-based) of each drifted sheet's table or block.
DRIFT_FIRST_COLUMN: dict[str, int] = {
    "Tasks": 1,
    "Project": 1,
    "RAID": 2,
    "Milestones": 2,
    "Budget": 2,
    "Lessons": 1,
}
#: Rows above each drifted header: title, logo text, blank.
DRIFT_HEADER_ROW = 3
#: The wide resource plan of a drifted tracker: one row per person, one column per month.
DRIFT_PLAN_SHEET = "Resource Plan"
_CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


def _resolves(spec: SheetKind, header: str, field_name: str) -> bool:
    """True when ``header`` maps to ``field_name`` (canonical headers first, then synonyms)."""
    index: dict[str, str] = {}
    for f in template_fields(spec):
        index.setdefault(normalise(f.header), f.name)
    for f in template_fields(spec):
        for synonym in f.synonyms:
            index.setdefault(normalise(synonym), f.name)
    return index.get(normalise(header)) == field_name


def drift_header(spec: SheetKind, position: int, f: Field) -> str:
    """Return the header a drifted tracker writes for a field.

    The explicit choices in :data:`DRIFT_HEADERS` and :data:`DRIFT_ODD_HEADERS`
    first; otherwise every other field takes its first synonym that still maps to
    it, and the rest keep the canonical header in another case.
    """
    key = (spec.key, f.name)
    if key in DRIFT_HEADERS:
        return DRIFT_HEADERS[key]
    if key in DRIFT_ODD_HEADERS:
        return DRIFT_ODD_HEADERS[key]
    if position % 2 == 0:
        for synonym in f.synonyms:
            if _resolves(spec, synonym, f.name):
                return synonym
    return f.header.upper() if position % 3 == 1 else f.header.lower()


def _money_text(value: float, currency: str) -> str:
    symbol = _CURRENCY_SYMBOLS.get(currency, "")
    text = f"{value:,.2f}"
    return f"{symbol}{text}" if symbol else f"{text} {currency}"


def _drift_value(f: Field, value: Any, sheet_key: str, currency: str) -> Any:
    """The value as a drifted tracker holds it (text dates, "50%", "£1,000.00", RAG letters)."""
    if value is None:
        return None
    kind = f.type
    if kind is ValueType.DATE and sheet_key != "Milestones" and isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if kind is ValueType.PERCENT and isinstance(value, int | float):
        return f"{value * 100:g}%"
    if kind is ValueType.NUMBER and isinstance(value, int | float):
        return _money_text(float(value), currency)
    if f.choices == "rag" and isinstance(value, str) and value:
        return value[0].upper()
    return value


def _drift_top(ws: Worksheet, title: str, formats: dict[str, Any]) -> None:
    ws.write_string(0, 0, title, formats["title"])
    ws.write_string(1, 0, "[logo] Northwind Group · Project Management Office", formats["logo"])


def write_drifted(
    path: str | os.PathLike[str],
    tracker: Tracker,
    settings: Settings | None = None,
    *,
    created: dt.datetime = SAMPLES_CREATED,
) -> Path:
    """Write ``tracker`` the way real trackers drift from the template.

    Same data, other shape: sheets renamed and reordered (:data:`DRIFT_SHEETS`), a
    title row, a logo-ish text and a blank row above each header, tables starting
    in column B or C as plain cells (no Excel table, no protection), headers
    renamed with synonyms, odd spacing and a line break, an extra
    ``Predecessors`` column, dates as ``dd/mm/yyyy`` text (real dates on the
    milestone sheet), percentages as ``"50%"``, money as ``"£12,500.00"`` and the
    Reported RAG as a letter. Money is written to the penny.

    Args:
        path: Where to write the ``.xlsx``.
        tracker: The data.
        settings: Supplies the default currency when the tracker has none.
        created: Creation time stored in the document properties.

    Returns:
        The path written.
    """
    settings = settings or Settings()
    currency = tracker.project.currency or settings.currency
    target = Path(path)
    name = tracker.project.project_name or "Project"
    with atomic_path(target) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), dict(SAFE_OPTIONS))
        try:
            formats = {
                "title": wb.add_format({"bold": True, "font_size": 14}),
                "logo": wb.add_format({"italic": True, "font_color": "#7F7F7F"}),
                "header": wb.add_format(
                    {"bold": True, "bg_color": "#D9D9D9", "text_wrap": True, "border": 1}
                ),
                "date": wb.add_format({"num_format": "d mmm yyyy"}),
                "label": wb.add_format({"bold": True}),
            }
            for key, sheet_name in DRIFT_SHEETS:
                ws = wb.add_worksheet(sheet_name)
                spec = kind(key)
                _drift_top(ws, f"{name} - {sheet_name}", formats)
                ws.set_landscape()
                ws.fit_to_pages(1, 0)
                first = DRIFT_FIRST_COLUMN[key]
                if spec.layout == "keyvalue":
                    _drift_project(ws, spec, tracker.project, first, currency, formats)
                else:
                    _drift_table(ws, spec, tracker.rows(key), first, currency, formats)
            plan = tracker.rows("Resources")
            if plan:
                ws = wb.add_worksheet(DRIFT_PLAN_SHEET)
                _drift_top(ws, f"{name} - resource plan (days per month)", formats)
                _drift_plan(ws, plan, formats)
            wb.set_properties(
                {
                    "title": f"{name} tracker",
                    "author": tracker.project.project_manager or "",
                    "created": created,
                }
            )
        finally:
            wb.close()
    return target


def _drift_project(
    ws: Worksheet,
    spec: SheetKind,
    project: Project,
    first: int,
    currency: str,
    formats: dict[str, Any],
) -> None:
    ws.set_column(first, first, 24)
    ws.set_column(first + 1, first + 1, 50)
    for i, f in enumerate(template_fields(spec)):
        row = DRIFT_HEADER_ROW + i
        label = drift_header(spec, i, f)
        write_value(ws, row, first, f"{label}:" if i % 4 == 0 else label, formats["label"])
        write_value(
            ws, row, first + 1, _drift_value(f, getattr(project, f.name), spec.key, currency)
        )
    for j, (label, value) in enumerate(
        project.extra.items(), start=DRIFT_HEADER_ROW + len(template_fields(spec))
    ):
        write_value(ws, j, first, label, formats["label"])
        write_value(ws, j, first + 1, value)


def _drift_table(
    ws: Worksheet,
    spec: SheetKind,
    records: Sequence[Record],
    first: int,
    currency: str,
    formats: dict[str, Any],
) -> None:
    headers = [drift_header(spec, i, f) for i, f in enumerate(template_fields(spec))]
    extra_keys: list[str] = []
    for r in records:
        extra_keys += [k for k in r.extra if k not in extra_keys]
    with_predecessors = spec.key == "Tasks"
    all_headers = headers + ([DRIFT_EXTRA_HEADER] if with_predecessors else []) + extra_keys
    for c, h in enumerate(all_headers):
        ws.write_string(DRIFT_HEADER_ROW, first + c, h, formats["header"])
        width = template_fields(spec)[c].width if c < len(template_fields(spec)) else 14
        ws.set_column(first + c, first + c, width)
    previous: dict[str, str] = {}
    for i, record in enumerate(records):
        row = DRIFT_HEADER_ROW + 1 + i
        for c, f in enumerate(template_fields(spec)):
            value = _drift_value(f, getattr(record, f.name), spec.key, currency)
            fmt = formats["date"] if isinstance(value, dt.date) else None
            write_value(ws, row, first + c, value, fmt)
        col = first + len(template_fields(spec))
        if with_predecessors and isinstance(record, Task):
            parent = (record.wbs or "").rsplit(".", 1)[0]
            pred = previous.get(parent)
            if pred:
                write_value(ws, row, col, pred)
            if record.task_id:
                previous[parent] = record.task_id
            col += 1
        for k, key in enumerate(extra_keys):
            write_value(ws, row, col + k, record.extra.get(key))


def _drift_plan(ws: Worksheet, records: Sequence[Record], formats: dict[str, Any]) -> None:
    """Resources rows as a wide plan: Team Member, Role, then ``Oct-26`` ... in days."""
    rows = [r for r in records if isinstance(r, Allocation)]
    months = sorted({r.period for r in rows if r.period is not None})
    people: dict[str, tuple[str, dict[dt.date, float]]] = {}
    for r in rows:
        if r.person and r.period and r.planned:
            entry = people.setdefault(r.person, (r.role or "", {}))
            entry[1][r.period] = entry[1].get(r.period, 0.0) + r.planned
    headers = ["Team Member", "Role", *(m.strftime("%b-%y") for m in months), "Total"]
    for c, h in enumerate(headers):
        ws.write_string(DRIFT_HEADER_ROW, c, h, formats["header"])
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 24)
    ws.set_column(2, len(headers) - 1, 8)
    for i, (person, (role, by_month)) in enumerate(people.items(), start=DRIFT_HEADER_ROW + 1):
        write_value(ws, i, 0, person)
        write_value(ws, i, 1, role)
        for c, m in enumerate(months, start=2):
            if m in by_month:
                ws.write_number(i, c, by_month[m])
        ws.write_number(i, len(headers) - 1, sum(by_month.values()))
