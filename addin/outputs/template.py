"""The governed tracker workbook (TRACKER_SPEC v1), written with XlsxWriter.

:func:`write_tracker` writes the standard tracker, empty (the template PMs start
from) or filled with a :class:`~addin.model.Tracker`'s data; :func:`new_tracker`
writes the template with the Project block pre-filled (``pmo new-tracker``).

Everything here is derived from the model's :class:`~addin.model.Column`
metadata through :func:`addin.schema.sheets` (headers, order, kinds, widths,
notes) and from :class:`~addin.core.settings.Settings` (dropdown lists, date format,
protection). Nothing repeats a header list.

The workbook has an ``Instructions`` sheet, the ``Project`` key/value block and
one Excel table per list sheet (``Tasks``, ``Milestones``, ``Budget``,
``RAID``). Tables are pre-sized with blank rows (:data:`TABLE_ROWS`) because a
table on a protected sheet cannot grow; data validation covers the whole table
body. Text is always written as text: a tracker value that looks like a formula
never becomes one.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
from annotated_types import Ge, Le
from xlsxwriter.exceptions import XlsxWriterException
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from addin import SPEC_VERSION, TEMPLATE_VERSION
from addin.core.cells import column_letter, quote_sheet
from addin.core.errors import OutputError
from addin.core.rules import RULES
from addin.core.settings import Settings
from addin.model import Column, Kind, Project, Rag, Record, Tracker
from addin.outputs.atomic import atomic_path
from addin.schema import FieldSpec, SheetSpec, sheets

#: Blank rows each table is pre-sized to (or the data length, when longer).
TABLE_ROWS: dict[str, int] = {"Tasks": 200, "Milestones": 50, "Budget": 36, "RAID": 100}
#: Name of the first sheet.
INSTRUCTIONS_SHEET = "Instructions"
#: Hidden sheet holding dropdown lists too long for an in-cell list (only when needed).
LISTS_SHEET = "Lists"
#: Custom document property that carries :data:`addin.TEMPLATE_VERSION`.
VERSION_PROPERTY = "PMO Template Version"
#: Custom document property that carries :data:`addin.SPEC_VERSION`.
SPEC_PROPERTY = "PMO Tracker Standard"
#: Document title of the workbook.
TITLE = "PMO Project Tracker"
#: Dates accepted by the date validation.
DATE_MIN = dt.date(1990, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
#: Number formats (dates come from ``settings.date_format``).
MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0%"
INTEGER_FORMAT = "0"
#: Excel's limit on the characters in one cell.
MAX_CELL_TEXT = 32_767
#: Excel's limit on an in-cell dropdown list (``"a,b,c"``).
MAX_LIST_CHARS = 255
#: Table style of the list sheets.
TABLE_STYLE = "Table Style Medium 2"
#: Options every workbook is created with: never turn text into formulas, links or numbers.
WORKBOOK_OPTIONS: dict[str, Any] = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
#: What a protected sheet still lets a user do.
PROTECTION_OPTIONS: dict[str, bool] = {
    "format_columns": True,
    "format_rows": True,
    "sort": True,
    "autofilter": True,
}

_HEADER_BLUE = "#1F4E78"
_LABEL_FILL = "#DDEBF7"
_INPUT_FILL = "#FFF9E5"
_NOTE_GREY = "#595959"
#: Fill of the Reported RAG cell by value.
RAG_FILLS: dict[str, str] = {Rag.RED: "#F8696B", Rag.AMBER: "#FFC000", Rag.GREEN: "#63BE7B"}

_INSTRUCTIONS_WIDTH = 96
#: Row height of one line of text (points), and the most lines a row is grown to.
_LINE_HEIGHT = 15.0
_MAX_LINES = 8

_SHEET_PURPOSE: dict[str, str] = {
    "Project": "One value per line in column B; column C says what each line needs.",
    "Tasks": "One row per task of the plan. Weights for earned value come from Budget "
    "(or from planned duration when no task has a budget).",
    "Milestones": "One row per key milestone. Keep the Baseline Date; move the Forecast Date.",
    "Budget": "One row per month (Period = first day of the month): Planned, Actual to date "
    "and Forecast.",
    "RAID": "Risks, Assumptions, Issues and Dependencies: one row each.",
}

_RULE_GROUPS: tuple[tuple[str, str], ...] = (
    ("project.", "Project"),
    ("task.", "Tasks"),
    ("milestone.", "Milestones"),
    ("budget.", "Budget"),
    ("raid.", "RAID"),
)


# --- what a column accepts -----------------------------------------------------------------


def bounds(spec: SheetSpec, field: FieldSpec) -> tuple[int | float | None, int | float | None]:
    """Return the (lower, upper) bounds the model puts on a numeric field, None when open.

    Read from the ``Field(ge=..., le=...)`` constraints of the model, so the
    template's validation can never disagree with the model.
    """
    lower: int | float | None = None
    upper: int | float | None = None
    annotation = spec.model.model_fields[field.name].annotation
    for arg in (annotation, *typing.get_args(annotation)):
        for meta in getattr(arg, "__metadata__", ()):
            for item in (meta, *getattr(meta, "metadata", ())):
                if isinstance(item, Ge) and isinstance(item.ge, int | float):
                    lower = item.ge
                elif isinstance(item, Le) and isinstance(item.le, int | float):
                    upper = item.le
    return lower, upper


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _range_words(spec: SheetSpec, field: FieldSpec) -> str:
    lower, upper = bounds(spec, field)
    if field.kind is Kind.PERCENT:
        low, high = (lower or 0.0) * 100, (1.0 if upper is None else upper) * 100
        return f"from {_number(low)}% to {_number(high)}%"
    if lower is not None and upper is not None:
        return f"from {_number(lower)} to {_number(upper)}"
    if lower is not None:
        return f">= {_number(lower)}"
    if upper is not None:
        return f"<= {_number(upper)}"
    return "any value"


def guidance(spec: SheetSpec, field: FieldSpec, settings: Settings) -> str:
    """Return one line of guidance for a field: required?, its note, what it accepts."""
    column = field.column
    parts: list[str] = []
    if spec.layout == "keyvalue" and field.name == "template_version":
        return "Written by the template; do not change."
    if spec.layout == "keyvalue" and field.name == "currency":
        return f"A 3-letter ISO code such as GBP, EUR or USD. Blank means {settings.currency}."
    if column.required:
        parts.append("Required.")
    if column.note:
        parts.append(column.note)
    elif not column.required:
        parts.append("Optional.")
    kind = column.kind
    if kind is Kind.CHOICE and column.choices:
        values = settings.allowed.of(column.choices)
        parts.append("Pick from the list." if column.note else f"One of: {', '.join(values)}.")
    elif column.note:
        return " ".join(parts)
    elif kind is Kind.DATE:
        parts.append(f"A date ({settings.date_format}).")
    elif kind is Kind.NUMBER:
        parts.append(f"A number {_range_words(spec, field)}.")
    elif kind is Kind.PERCENT:
        parts.append(f"{_range_words(spec, field).capitalize()}.")
    elif kind is Kind.INTEGER:
        parts.append(f"A whole number {_range_words(spec, field)}.")
    return " ".join(parts)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def validation(
    spec: SheetSpec,
    field: FieldSpec,
    settings: Settings,
    list_source: str | list[str] | None = None,
) -> dict[str, Any] | None:
    """Return XlsxWriter ``data_validation`` options for a field, or None for none.

    Args:
        spec: The sheet the field belongs to.
        field: The field.
        settings: Where dropdown lists come from.
        list_source: For a CHOICE field, the list or a range reference holding it
            (default: the allowed values from settings as an in-cell list).
    """
    column: Column = field.column
    header = column.header
    prompt: dict[str, Any] = {
        "ignore_blank": True,
        "input_title": _clip(header, 32),
        "input_message": _clip(guidance(spec, field, settings), 255),
    }
    base = prompt | {"error_type": "stop", "error_title": _clip(f"Invalid {header}", 32)}
    kind = column.kind
    if kind is Kind.CHOICE and column.choices:
        values = settings.allowed.of(column.choices)
        source = list_source if list_source is not None else list(values)
        message = f"{header} must be one of: {', '.join(values)}."
        return base | {"validate": "list", "source": source, "error_message": _clip(message, 255)}
    if kind is Kind.DATE:
        message = (
            f"{header} must be a date between {DATE_MIN.year} and {DATE_MAX.year}, "
            f"typed as {settings.date_format}."
        )
        return base | {
            "validate": "date",
            "criteria": "between",
            "minimum": DATE_MIN,
            "maximum": DATE_MAX,
            "error_message": message,
        }
    if kind in (Kind.NUMBER, Kind.PERCENT, Kind.INTEGER):
        lower, upper = bounds(spec, field)
        kind_word = "whole number" if kind is Kind.INTEGER else "number"
        message = f"{header} must be a {kind_word} {_range_words(spec, field)}."
        rule: dict[str, Any] = {"validate": "whole" if kind is Kind.INTEGER else "decimal"}
        if lower is not None and upper is not None:
            rule |= {"criteria": "between", "minimum": lower, "maximum": upper}
        elif lower is not None:
            rule |= {"criteria": ">=", "value": lower}
        elif upper is not None:
            rule |= {"criteria": "<=", "value": upper}
        else:
            rule |= {"criteria": "between", "minimum": -1e307, "maximum": 1e307}
        return base | rule | {"error_message": message}
    if prompt["input_message"]:
        return prompt | {"validate": "any"}
    return None


# --- formats -------------------------------------------------------------------------------


class _Styles:
    """The cell formats of one workbook, made once and shared."""

    def __init__(self, wb: xlsxwriter.Workbook, settings: Settings) -> None:
        self._wb = wb
        self._cache: dict[tuple[str, Kind | None], Format] = {}
        self.date_format = settings.date_format
        self.header = wb.add_format(
            {
                "bold": True,
                "font_color": "#FFFFFF",
                "bg_color": _HEADER_BLUE,
                "text_wrap": True,
                "valign": "top",
                "locked": True,
            }
        )
        self.label = wb.add_format(
            {
                "bold": True,
                "bg_color": _LABEL_FILL,
                "border": 1,
                "border_color": "#BFBFBF",
                "valign": "top",
            }
        )
        self.note = wb.add_format(
            {
                "italic": True,
                "font_color": _NOTE_GREY,
                "text_wrap": True,
                "valign": "top",
                "font_size": 9,
            }
        )
        self.title = wb.add_format({"bold": True, "font_size": 16, "font_color": _HEADER_BLUE})
        self.subtitle = wb.add_format({"italic": True, "font_color": _NOTE_GREY})
        self.heading = wb.add_format(
            {
                "bold": True,
                "font_size": 12,
                "font_color": _HEADER_BLUE,
                "bottom": 1,
                "bottom_color": _HEADER_BLUE,
            }
        )
        self.item = wb.add_format({"bold": True, "valign": "top"})
        self.text = wb.add_format({"text_wrap": True, "valign": "top"})
        self.locked_value = wb.add_format(
            {
                "border": 1,
                "border_color": "#BFBFBF",
                "font_color": _NOTE_GREY,
                "valign": "top",
                "locked": True,
            }
        )
        self.rag = {name: wb.add_format({"bg_color": colour}) for name, colour in RAG_FILLS.items()}

    def _number_format(self, kind: Kind | None) -> str | None:
        return (
            {
                Kind.DATE: self.date_format,
                Kind.NUMBER: MONEY_FORMAT,
                Kind.PERCENT: PERCENT_FORMAT,
                Kind.INTEGER: INTEGER_FORMAT,
            }.get(kind)
            if kind is not None
            else None
        )

    def body(self, kind: Kind | None) -> Format:
        """Format of a table body cell of ``kind`` (unlocked); None = pass-through column."""
        key = ("body", kind)
        if key not in self._cache:
            props: dict[str, Any] = {"locked": False, "valign": "top"}
            number_format = self._number_format(kind)
            if number_format:
                props["num_format"] = number_format
            if kind in (Kind.TEXT, None):
                props["text_wrap"] = True
            self._cache[key] = self._wb.add_format(props)
        return self._cache[key]

    def value(self, kind: Kind | None) -> Format:
        """Format of a Project value cell of ``kind`` (unlocked input cell)."""
        key = ("value", kind)
        if key not in self._cache:
            props: dict[str, Any] = {
                "locked": False,
                "bg_color": _INPUT_FILL,
                "border": 1,
                "border_color": "#BFBFBF",
                "valign": "top",
                "align": "left",
                "text_wrap": True,
            }
            number_format = self._number_format(kind)
            if number_format:
                props["num_format"] = number_format
            self._cache[key] = self._wb.add_format(props)
        return self._cache[key]


# --- writing values ------------------------------------------------------------------------


def write_value(ws: Worksheet, row: int, col: int, value: Any, fmt: Format | None = None) -> None:
    """Write one tracker value safely: text as text, dates as dates, None as a blank.

    Text longer than Excel's cell limit is truncated; text that looks like a
    formula (``=``, ``+``, ``-``, ``@``) stays text. Non-finite numbers are written
    as their text so nothing is lost.
    """
    if value is None or (isinstance(value, str) and value == ""):
        if fmt is not None:
            ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, dt.datetime | dt.date):
        ws.write_datetime(row, col, value, fmt)
    elif isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            ws.write_string(row, col, str(value), fmt)
        else:
            ws.write_number(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value)[:MAX_CELL_TEXT], fmt)


def _checked(result: int, what: str) -> None:
    if result != 0:
        raise ValueError(f"XlsxWriter refused {what} (code {result})")


class _Lists:
    """Where dropdown lists live: in the validation itself, or on a hidden sheet if too long.

    Excel limits an in-cell list to 255 characters and cannot hold a value with a
    comma; such lists go to a hidden :data:`LISTS_SHEET`, written last.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._refs: dict[str, str] = {}
        keys = sorted({f.column.choices for s in sheets() for f in s.fields if f.column.choices})
        for key in keys:
            values = settings.allowed.of(key)
            too_long = len(",".join(values)) > MAX_LIST_CHARS
            if too_long or any("," in v or '"' in v for v in values):
                letter = column_letter(len(self._refs))
                self._refs[key] = (
                    f"={quote_sheet(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
                )

    def source(self, key: str) -> str | list[str]:
        """Return the validation source of the choice list ``key``."""
        return self._refs.get(key) or list(self._settings.allowed.of(key))

    def write(self, wb: xlsxwriter.Workbook) -> None:
        """Add the hidden lists sheet, when any list needs it."""
        if not self._refs:
            return
        ws = wb.add_worksheet(LISTS_SHEET)
        for col, key in enumerate(self._refs):
            ws.write_string(0, col, key)
            for row, value in enumerate(self._settings.allowed.of(key), start=1):
                ws.write_string(row, col, value[:MAX_CELL_TEXT])
        ws.hide()


# --- sheets --------------------------------------------------------------------------------


def _page_setup(ws: Worksheet, *, header_row: bool) -> None:
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_footer("&L&8&A&R&8Page &P of &N")
    if header_row:
        ws.repeat_rows(0)


def _protect(ws: Worksheet, settings: Settings) -> None:
    if settings.template.protect_sheets:
        ws.protect(settings.template.password, dict(PROTECTION_OPTIONS))


def instructions(settings: Settings) -> list[tuple[str, str, str]]:
    """Return the Instructions sheet as ``(style, column A, column B)`` lines.

    Styles are ``title``, ``subtitle``, ``heading``, ``item`` (a label and its
    text) and ``text``; ``blank`` is an empty line.
    """
    sched, cost, risk = settings.rag.schedule, settings.rag.cost, settings.rag.risk
    unprotect = (
        "ask the PMO for the password"
        if settings.template.password
        else "use Review > Unprotect Sheet (there is no password)"
    )
    lines: list[tuple[str, str, str]] = [
        ("title", TITLE, ""),
        ("subtitle", f"Template version {TEMPLATE_VERSION} · tracker standard v{SPEC_VERSION}", ""),
        ("blank", "", ""),
        ("heading", "What this workbook is", ""),
        (
            "text",
            "",
            "One workbook per project, kept up to date by its project manager. Every reporting "
            "cycle the PMO reads it, checks the data, works out Red/Amber/Green status and "
            "builds the portfolio dashboard from it.",
        ),
        (
            "text",
            "",
            "Keep the sheet names, the table headers and the Project labels exactly as they "
            "are: that is how the PMO's tools find your data. Type only in the data cells.",
        ),
        ("blank", "", ""),
        ("heading", "How to fill it in", ""),
    ]
    for spec in sheets():
        lines.append(("item", f"{spec.key} sheet", _SHEET_PURPOSE.get(spec.key, "")))
        for field in spec.fields:
            lines.append(("text", f"   {field.header}", guidance(spec, field, settings)))
    lines += [
        ("blank", "", ""),
        ("heading", "How status (RAG) is worked out", ""),
        (
            "item",
            "Schedule",
            f"Red when SPI < {sched.spi_red}, a milestone is overdue, a milestone slips more "
            f"than {sched.slippage_red_days} days or the forecast finish more than "
            f"{sched.finish_slip_red_days}; Amber when SPI < {sched.spi_amber} or a slip "
            f"exceeds {sched.slippage_amber_days} (milestone) or "
            f"{sched.finish_slip_amber_days} (finish) days.",
        ),
        (
            "item",
            "Cost",
            f"Red when the forecast overspend exceeds {cost.vac_red:.0%} of budget or CPI < "
            f"{cost.cpi_red}; Amber above {cost.vac_amber:.0%} or CPI < {cost.cpi_amber}.",
        ),
        (
            "item",
            "Risk",
            f"Red with {risk.critical_red} open Critical risk or issue, or "
            f"{risk.high_or_critical_red} open High ones; Amber with {risk.high_amber} open High "
            "one or an open one past its Due date.",
        ),
        (
            "item",
            "Overall",
            "The worst of the three. A report whose Status Date is more than "
            f"{settings.rag.stale_days} days old is stale and at least Amber. A Reported RAG "
            "better than the data is flagged.",
        ),
        ("blank", "", ""),
        ("heading", "Rules the PMO checks", ""),
    ]
    for prefix, label in _RULE_GROUPS:
        group = [rule for rule in RULES.values() if rule.id.startswith(prefix)]
        for i, rule in enumerate(group):
            first = i == 0
            lines.append(
                (
                    "item" if first else "text",
                    label if first else "",
                    f"{rule.doc} ({rule.severity})",
                )
            )
    rows = ", ".join(f"{n} {key}" for key, n in TABLE_ROWS.items())
    lines += [
        ("blank", "", ""),
        ("heading", "Protection and space", ""),
        (
            "text",
            "",
            "Headers and labels are locked so they cannot be changed by accident; data cells "
            f"are open. The tables have room for {rows} rows. For more, {unprotect}, drag the "
            "table's corner down, then protect the sheet again.",
        ),
    ]
    return lines


def _text_lines(text: str, width: int) -> int:
    """Return about how many lines ``text`` takes wrapped in a column ``width`` characters wide.

    Spreadsheet programs do not grow rows for wrapped text on their own when a file
    is opened, so the writer sets the height.
    """
    return sum(max(1, math.ceil(len(part) / (width * 1.2))) for part in text.splitlines() or [""])


def _text_height(text: str, width: int) -> float | None:
    """Return a row height showing ``text`` wrapped in a column ``width`` wide (None: default)."""
    lines = _text_lines(text, width)
    return _LINE_HEIGHT * min(lines, _MAX_LINES) if lines > 1 else None


def _write_instructions(ws: Worksheet, styles: _Styles, settings: Settings) -> None:
    ws.hide_gridlines(2)
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, _INSTRUCTIONS_WIDTH)
    style_of = {
        "title": styles.title,
        "subtitle": styles.subtitle,
        "heading": styles.heading,
        "item": styles.item,
        "text": None,
    }
    for row, (style, left, right) in enumerate(instructions(settings)):
        if style == "blank":
            continue
        write_value(ws, row, 0, left or None, style_of[style])
        if style == "heading":
            ws.write_blank(row, 1, None, styles.heading)
        if right:
            write_value(ws, row, 1, right, styles.text)
            height = _text_height(right, _INSTRUCTIONS_WIDTH)
            if height is not None:
                ws.set_row(row, height)
    ws.set_portrait()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_footer("&L&8&A&R&8Page &P of &N")
    _protect(ws, settings)


def _write_project(
    ws: Worksheet,
    spec: SheetSpec,
    project: Project,
    settings: Settings,
    styles: _Styles,
    lists: _Lists,
) -> None:
    ws.set_column(0, 0, max(len(f.header) for f in spec.fields) + 4)
    ws.set_column(1, 1, max(f.column.width for f in spec.fields))
    ws.set_column(2, 2, 70)
    for row, field in enumerate(spec.fields):
        write_value(ws, row, 0, field.header, styles.label)
        if field.name == "template_version":
            write_value(ws, row, 1, TEMPLATE_VERSION, styles.locked_value)
        else:
            write_value(ws, row, 1, getattr(project, field.name), styles.value(field.kind))
            choices = field.column.choices
            rule = validation(spec, field, settings, lists.source(choices) if choices else None)
            if rule is not None:
                _checked(
                    ws.data_validation(row, 1, row, 1, rule),
                    f"validation of Project {field.header}",
                )
            if choices == "rag":
                for value in settings.allowed.rag:
                    if value in styles.rag:
                        ws.conditional_format(
                            row,
                            1,
                            row,
                            1,
                            {
                                "type": "cell",
                                "criteria": "==",
                                "value": f'"{value}"',
                                "format": styles.rag[value],
                            },
                        )
        write_value(ws, row, 2, guidance(spec, field, settings), styles.note)
        if field.kind is Kind.TEXT and field.column.width > 40:
            value = getattr(project, field.name)
            lines = _text_lines(value, field.column.width) if isinstance(value, str) else 1
            ws.set_row(row, _LINE_HEIGHT * min(max(lines, 3), _MAX_LINES))
    for row, (label, value) in enumerate(project.extra.items(), start=len(spec.fields)):
        write_value(ws, row, 0, label, styles.label)
        write_value(ws, row, 1, value, styles.value(None))
    _page_setup(ws, header_row=False)
    _protect(ws, settings)


def _extra_headers(records: Sequence[Record], taken: Sequence[str]) -> list[tuple[str, str]]:
    """Return ``(key in Record.extra, unique table header)`` for pass-through columns."""
    seen = {h.casefold() for h in taken}
    out: list[tuple[str, str]] = []
    keys: dict[str, None] = {}
    for record in records:
        keys.update(dict.fromkeys(record.extra))
    for key in keys:
        header = key.strip() or f"Column {len(taken) + len(out) + 1}"
        base, n = header, 2
        while header.casefold() in seen:
            header, n = f"{base} ({n})", n + 1
        seen.add(header.casefold())
        out.append((key, header))
    return out


def _write_table(
    ws: Worksheet,
    spec: SheetSpec,
    records: Sequence[Record],
    settings: Settings,
    styles: _Styles,
    lists: _Lists,
) -> None:
    fields = spec.fields
    extras = _extra_headers(records, spec.headers)
    n_rows = max(TABLE_ROWS.get(spec.key, 1), len(records), 1)
    last_col = len(fields) + len(extras) - 1
    formats = [styles.body(f.kind) for f in fields] + [styles.body(None)] * len(extras)
    for col, field in enumerate(fields):
        ws.set_column(col, col, field.column.width)
    for col in range(len(fields), last_col + 1):
        ws.set_column(col, col, 16)
    for i in range(n_rows):
        record = records[i] if i < len(records) else None
        lines = 1
        for col, field in enumerate(fields):
            value = getattr(record, field.name) if record is not None else None
            write_value(ws, i + 1, col, value, formats[col])
            if isinstance(value, str) and field.kind is Kind.TEXT:
                lines = max(lines, _text_lines(value, field.column.width))
        for j, (key, _) in enumerate(extras, start=len(fields)):
            value = record.extra.get(key) if record is not None else None
            write_value(ws, i + 1, j, value, formats[j])
        if lines > 1:
            ws.set_row(i + 1, _LINE_HEIGHT * min(lines, _MAX_LINES))
    headers = list(spec.headers) + [h for _, h in extras]
    columns = [
        {"header": h, "header_format": styles.header, "format": formats[c]}
        for c, h in enumerate(headers)
    ]
    _checked(
        ws.add_table(
            0, 0, n_rows, last_col, {"name": spec.key, "style": TABLE_STYLE, "columns": columns}
        ),
        f"the {spec.key} table",
    )
    for col, field in enumerate(fields):
        choices = field.column.choices
        rule = validation(spec, field, settings, lists.source(choices) if choices else None)
        if rule is not None:
            _checked(
                ws.data_validation(1, col, n_rows, col, rule),
                f"validation of {spec.key} {field.header}",
            )
    ws.set_row(0, 30)
    ws.freeze_panes(1, 0)
    _page_setup(ws, header_row=True)
    _protect(ws, settings)


# --- workbook ------------------------------------------------------------------------------


def _properties(tracker: Tracker, created: dt.datetime) -> dict[str, Any]:
    project = tracker.project
    name = " ".join(p for p in (project.project_id, project.project_name) if p)
    return {
        "title": f"{TITLE}: {name}" if name else TITLE,
        "subject": f"Project tracker (TRACKER_SPEC v{SPEC_VERSION})",
        "author": project.project_manager or "PMO",
        "company": "PMO",
        "category": "PMO Tracker",
        "keywords": "PMO, project tracker, RAG",
        "comments": f"{VERSION_PROPERTY} {TEMPLATE_VERSION}. "
        "Keep sheet names, headers and labels unchanged.",
        "created": created,
    }


def write_tracker(
    path: str | os.PathLike[str],
    tracker: Tracker | None = None,
    settings: Settings | None = None,
    *,
    created: dt.datetime | None = None,
) -> Path:
    """Write the standard tracker workbook, empty or filled, atomically.

    Args:
        path: Where to write the ``.xlsx`` (replaced if it exists; its folder must exist).
        tracker: The data to fill in; None writes the empty template.
        settings: Dropdown lists, date format and protection; defaults when None.
        created: Creation time stored in the document properties; fix it for
            reproducible files (default: now, UTC).

    Returns:
        The path written.

    Raises:
        OutputError: The file could not be written (the previous file is intact).
    """
    settings = settings or Settings()
    tracker = tracker or Tracker()
    target = Path(path)
    stamp = created or dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    try:
        with atomic_path(target) as tmp:
            wb = xlsxwriter.Workbook(str(tmp), dict(WORKBOOK_OPTIONS))
            try:
                _fill_workbook(wb, tracker, settings)
                wb.set_properties(_properties(tracker, stamp))
                wb.set_custom_property(VERSION_PROPERTY, TEMPLATE_VERSION)
                wb.set_custom_property(SPEC_PROPERTY, SPEC_VERSION)
            finally:
                wb.close()
    except (OSError, XlsxWriterException) as exc:
        raise OutputError(f"{target}: cannot write the tracker ({exc})") from exc
    return target


def _fill_workbook(wb: xlsxwriter.Workbook, tracker: Tracker, settings: Settings) -> None:
    styles = _Styles(wb, settings)
    lists = _Lists(settings)
    _write_instructions(wb.add_worksheet(INSTRUCTIONS_SHEET), styles, settings)
    for spec in sheets():
        ws = wb.add_worksheet(spec.key)
        if spec.layout == "keyvalue":
            _write_project(ws, spec, tracker.project, settings, styles, lists)
        else:
            _write_table(ws, spec, tracker.rows(spec.key), settings, styles, lists)
    lists.write(wb)
    wb.worksheets()[0].activate()


def new_tracker(
    path: str | os.PathLike[str],
    settings: Settings | None = None,
    *,
    project_id: str | None = None,
    name: str | None = None,
    manager: str | None = None,
    programme: str | None = None,
    created: dt.datetime | None = None,
) -> Path:
    """Write the template with the Project block pre-filled (``pmo new-tracker``).

    Args:
        path: Where to write the ``.xlsx``.
        settings: Settings as for :func:`write_tracker`.
        project_id: Project ID, e.g. ``PRJ-0042``.
        name: Project Name.
        manager: Project Manager.
        programme: Programme.
        created: Creation time for the document properties (default: now).

    Returns:
        The path written.
    """
    project = Project(
        project_id=project_id, project_name=name, project_manager=manager, programme=programme
    )
    return write_tracker(path, Tracker(project=project), settings, created=created)
