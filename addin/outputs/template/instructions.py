"""The template's Instructions sheet, and the sheet furniture every template sheet shares."""

from __future__ import annotations

import math

from xlsxwriter.worksheet import Worksheet

from addin import SPEC_VERSION, TEMPLATE_VERSION
from addin.core.kinds import KINDS, Field, Layout, SheetKind
from addin.core.rules import RULES
from addin.core.settings import Settings
from addin.outputs.cells import write_cell
from addin.outputs.template.guidance import guidance
from addin.outputs.template.styles import Styles

#: Name of the first sheet.
INSTRUCTIONS_SHEET = "Instructions"
#: Document title of the workbook.
TITLE = "PMO Project Tracker"
#: What a protected sheet still lets a user do.
PROTECTION_OPTIONS: dict[str, bool] = {
    "format_columns": True,
    "format_rows": True,
    "sort": True,
    "autofilter": True,
}
_INSTRUCTIONS_WIDTH = 96
#: Row height of one line of text (points), and the most lines a row is grown to.
LINE_HEIGHT = 15.0
MAX_LINES = 8


def template_kinds(version: str = TEMPLATE_VERSION) -> tuple[SheetKind, ...]:
    """The sheets the template of a version writes, in registry order."""
    return tuple(k for k in KINDS if k.since <= version)


def template_fields(spec: SheetKind, version: str = TEMPLATE_VERSION) -> tuple[Field, ...]:
    """The fields the template of a version writes (a later version's fields are left out)."""
    return tuple(f for f in spec.fields if f.since <= version)


def page_setup(ws: Worksheet, *, header_row: bool) -> None:
    """Landscape A4, one page wide; the header row on every page of a table sheet."""
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_footer("&L&8&A&R&8Page &P of &N")
    if header_row:
        ws.repeat_rows(0)


def protect(ws: Worksheet, settings: Settings) -> None:
    """Protect the sheet (headers locked, data cells open) unless the settings say not to."""
    if settings.template.protect_sheets:
        ws.protect(settings.template.password, dict(PROTECTION_OPTIONS))


def instructions(settings: Settings, version: str = TEMPLATE_VERSION) -> list[tuple[str, str, str]]:
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
        ("subtitle", f"Template version {version} · tracker standard v{SPEC_VERSION}", ""),
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
    for spec in template_kinds(version):
        lines.append(("item", f"{spec.key} sheet", spec.purpose))
        for field in template_fields(spec, version):
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
            "No data",
            "A part the tracker gives nothing to judge from is No data, never Green: Schedule "
            "without progress on planned tasks, dated milestones or a baseline and forecast "
            "finish; Cost without a Budget and budget lines with Actual or Forecast; Risk "
            "without a RAID sheet. A task with no % Complete counts as 100 % when Complete, "
            "0 % when Not Started, and is otherwise left out.",
        ),
        (
            "item",
            "Overall",
            "The worst of the three that have data. A report whose Status Date is blank or "
            f"more than {settings.rag.stale_days} days old is stale and at least Amber"
            + (
                f", and so is one with no data for Schedule or Cost (at least "
                f"{settings.rag.no_data_floor})"
                if settings.rag.no_data_floor != "none"
                else ""
            )
            + ". A Reported RAG better than the data is flagged.",
        ),
        ("blank", "", ""),
        ("heading", "Rules the PMO checks", ""),
    ]
    for prefix, label in ((k.rule_prefix, k.key) for k in KINDS if k.rule_prefix):
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
    rows = ", ".join(
        f"{k.template_rows} {k.key}"
        for k in template_kinds(version)
        if k.layout is not Layout.KEYVALUE
    )
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


def text_lines(text: str, width: int) -> int:
    """Return about how many lines ``text`` takes wrapped in a column ``width`` characters wide.

    Spreadsheet programs do not grow rows for wrapped text on their own when a file
    is opened, so the writer sets the height.
    """
    return sum(max(1, math.ceil(len(part) / (width * 1.2))) for part in text.splitlines() or [""])


def text_height(text: str, width: int) -> float | None:
    """Return a row height showing ``text`` wrapped in a column ``width`` wide (None: default)."""
    lines = text_lines(text, width)
    return LINE_HEIGHT * min(lines, MAX_LINES) if lines > 1 else None


def write_instructions(ws: Worksheet, styles: Styles, settings: Settings) -> None:
    """Write the Instructions sheet (see :func:`instructions`)."""
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
    for row, (style, left, right) in enumerate(instructions(settings, styles.version)):
        if style == "blank":
            continue
        write_cell(ws, row, 0, left or None, style_of[style])
        if style == "heading":
            ws.write_blank(row, 1, None, styles.heading)
        if right:
            write_cell(ws, row, 1, right, styles.text)
            height = text_height(right, _INSTRUCTIONS_WIDTH)
            if height is not None:
                ws.set_row(row, height)
    ws.set_portrait()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_footer("&L&8&A&R&8Page &P of &N")
    protect(ws, settings)
