"""The governed tracker workbook (TRACKER_SPEC), written with XlsxWriter.

:func:`write_tracker` writes the standard tracker, empty (the template PMs start
from) or filled with a :class:`~addin.core.tracker.Tracker`'s data; :func:`new_tracker`
writes the template with the Project block pre-filled (``pmo new-tracker``).

Everything is derived from the kind registry (:mod:`addin.core.kinds`: headers,
order, types, widths, notes, bounds) and from the settings (dropdown lists, date
format, protection). Nothing repeats a header list. The workbook has an
``Instructions`` sheet, the ``Project`` key/value block and one Excel table per
table kind; tables are pre-sized with blank rows because a table on a protected
sheet cannot grow. Text is always written as text.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from addin import SPEC_VERSION, TEMPLATE_VERSION
from addin.core.errors import OutputError, os_reason
from addin.core.kinds import TABLE_KEYS, Layout, Project, Record, SheetKind, ValueType
from addin.core.ours import TEMPLATE_PROPERTY
from addin.core.settings import Settings
from addin.core.tracker import Tracker
from addin.outputs.atomic import atomic_path
from addin.outputs.cells import SAFE_OPTIONS, write_cell
from addin.outputs.template.dropdowns import Dropdown, dropdowns, pick_list
from addin.outputs.template.guidance import guidance, validation
from addin.outputs.template.instructions import (
    INSTRUCTIONS_SHEET,
    LINE_HEIGHT,
    MAX_LINES,
    TITLE,
    page_setup,
    protect,
    template_fields,
    template_kinds,
    text_lines,
    write_instructions,
)
from addin.outputs.template.styles import Lists, Styles, checked

#: Custom document property that carries :data:`addin.TEMPLATE_VERSION`.
VERSION_PROPERTY = TEMPLATE_PROPERTY
#: Custom document property that carries :data:`addin.SPEC_VERSION`.
SPEC_PROPERTY = "PMO Tracker Standard"
#: Table style of the list sheets.
TABLE_STYLE = "Table Style Medium 2"


def write_value(ws: Worksheet, row: int, col: int, value: Any, fmt: Format | None = None) -> None:
    """A template cell: :func:`~addin.outputs.cells.write_cell`, and a formatted blank for None.

    An input cell keeps its format (fill, number format, unlocked) even when empty.
    """
    if (value is None or value == "") and fmt is not None:
        ws.write_blank(row, col, None, fmt)
    else:
        write_cell(ws, row, col, value, fmt)


def _write_project(
    ws: Worksheet,
    spec: SheetKind,
    project: Project,
    settings: Settings,
    styles: Styles,
    lists: Lists,
) -> None:
    fields = template_fields(spec, styles.version)
    ws.set_column(0, 0, max(len(f.header) for f in fields) + 4)
    ws.set_column(1, 1, max(f.width for f in fields))
    ws.set_column(2, 2, 70)
    for row, field in enumerate(fields):
        write_value(ws, row, 0, field.header, styles.label)
        if field.name == "template_version":
            write_value(ws, row, 1, styles.version, styles.locked_value)
        else:
            write_value(ws, row, 1, getattr(project, field.name), styles.value(field.type))
            choices = field.choices
            rule = validation(spec, field, settings, lists.source(choices) if choices else None)
            if rule is not None:
                checked(
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
        if field.type is ValueType.TEXT and field.width > 40:
            value = getattr(project, field.name)
            lines = text_lines(value, field.width) if isinstance(value, str) else 1
            ws.set_row(row, LINE_HEIGHT * min(max(lines, 3), MAX_LINES))
    for row, (label, value) in enumerate(project.extra.items(), start=len(fields)):
        write_value(ws, row, 0, label, styles.label)
        write_value(ws, row, 1, value, styles.value(None))
    page_setup(ws, header_row=False)
    protect(ws, settings)


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


def write_table(
    ws: Worksheet,
    spec: SheetKind,
    records: Sequence[Record],
    settings: Settings,
    styles: Styles,
    lists: Lists,
    dropdowns: Mapping[str, Dropdown] | None = None,
) -> None:
    """Write one table sheet of the template: an Excel table pre-sized to ``template_rows``.

    Headers locked, data cells open, each column validated from its field (or from
    ``dropdowns``), frozen header, print setup, protection from the settings.
    """
    fields = template_fields(spec, styles.version)
    extras = _extra_headers(records, [f.header for f in fields])
    n_rows = max(spec.template_rows, len(records), 1)
    last_col = len(fields) + len(extras) - 1
    formats = [styles.body(f.type) for f in fields] + [styles.body(None)] * len(extras)
    for col, field in enumerate(fields):
        ws.set_column(col, col, field.width)
    for col in range(len(fields), last_col + 1):
        ws.set_column(col, col, 16)
    for i in range(n_rows):
        record = records[i] if i < len(records) else None
        lines = 1
        for col, field in enumerate(fields):
            value = getattr(record, field.name) if record is not None else None
            write_value(ws, i + 1, col, value, formats[col])
            if isinstance(value, str) and field.type is ValueType.TEXT:
                lines = max(lines, text_lines(value, field.width))
        for j, (key, _) in enumerate(extras, start=len(fields)):
            value = record.extra.get(key) if record is not None else None
            write_value(ws, i + 1, j, value, formats[j])
        if lines > 1:
            ws.set_row(i + 1, LINE_HEIGHT * min(lines, MAX_LINES))
    headers = [f.header for f in fields] + [h for _, h in extras]
    columns = [
        {"header": h, "header_format": styles.header, "format": formats[c]}
        for c, h in enumerate(headers)
    ]
    checked(
        ws.add_table(
            0, 0, n_rows, last_col, {"name": spec.key, "style": TABLE_STYLE, "columns": columns}
        ),
        f"the {spec.key} table",
    )
    for col, field in enumerate(fields):
        choices = field.choices
        rule = validation(spec, field, settings, lists.source(choices) if choices else None)
        drop = (dropdowns or {}).get(field.name)
        if drop is not None and drop.values:
            rule = pick_list(field, lists.named(f"{spec.key}.{field.name}", drop.values), drop)
        if rule is not None:
            checked(
                ws.data_validation(1, col, n_rows, col, rule),
                f"validation of {spec.key} {field.header}",
            )
    ws.set_row(0, 30)
    ws.freeze_panes(1, 0)
    page_setup(ws, header_row=True)
    protect(ws, settings)


def _properties(tracker: Tracker, created: dt.datetime, version: str) -> dict[str, Any]:
    project = tracker.project
    name = " ".join(p for p in (project.project_id, project.project_name) if p)
    return {
        "title": f"{TITLE}: {name}" if name else TITLE,
        "subject": f"Project tracker (TRACKER_SPEC v{SPEC_VERSION})",
        "author": project.project_manager or "PMO",
        "company": "PMO",
        "category": "PMO Tracker",
        "keywords": "PMO, project tracker, RAG",
        "comments": f"{VERSION_PROPERTY} {version}. "
        "Keep sheet names, headers and labels unchanged.",
        "created": created,
    }


def write_tracker(
    path: str | os.PathLike[str],
    tracker: Tracker | None = None,
    settings: Settings | None = None,
    *,
    created: dt.datetime | None = None,
    people: Mapping[str, Sequence[str]] | None = None,
    version: str = TEMPLATE_VERSION,
    finish: Callable[[xlsxwriter.Workbook], None] | None = None,
) -> Path:
    """Write the standard tracker workbook, empty or filled, atomically.

    Args:
        path: Where to write the ``.xlsx`` (replaced if it exists; its folder must exist).
        tracker: The data to fill in; None writes the empty template.
        settings: Dropdown lists, date format and protection; defaults when None.
        created: Creation time stored in the document properties; fix it for
            reproducible files (default: now, UTC).
        people: The capacity list's names for the Resources sheet's dropdowns:
            ``{"person": [...], "role": [...], "team": [...]}`` (None: free text).
        version: The template version to write (an earlier one leaves out the sheets and
            columns it did not have: tests of ``pmo upgrade-tracker`` make 1.0 trackers).
        finish: Called with the workbook once its sheets are written (``pmo adopt`` adds a
            note to each value and its Adoption sheet).

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
            wb = xlsxwriter.Workbook(str(tmp), dict(SAFE_OPTIONS))
            try:
                _fill_workbook(wb, tracker, settings, people, version)
                if finish is not None:
                    finish(wb)
                wb.set_properties(_properties(tracker, stamp, version))
                wb.set_custom_property(VERSION_PROPERTY, version)
                wb.set_custom_property(SPEC_PROPERTY, SPEC_VERSION)
            finally:
                wb.close()
    except (OSError, XlsxWriterException) as exc:
        raise OutputError(f"{target}: cannot write the tracker ({os_reason(exc)})") from exc
    return target


def _fill_workbook(
    wb: xlsxwriter.Workbook,
    tracker: Tracker,
    settings: Settings,
    people: Mapping[str, Sequence[str]] | None,
    version: str,
) -> None:
    styles = Styles(wb, settings, version)
    lists = Lists(settings)
    write_instructions(wb.add_worksheet(INSTRUCTIONS_SHEET), styles, settings)
    for spec in template_kinds(version):
        ws = wb.add_worksheet(spec.key)
        if spec.layout is Layout.KEYVALUE:
            _write_project(ws, spec, tracker.project, settings, styles, lists)
        else:
            records = tracker.rows(spec.key) if spec.key in TABLE_KEYS else []
            drops = dropdowns(spec, people)
            write_table(ws, spec, records, settings, styles, lists, drops)
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
    people: Mapping[str, Sequence[str]] | None = None,
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
        people: The capacity list's names for the Resources dropdowns (see
            :func:`write_tracker`).

    Returns:
        The path written.
    """
    project = Project(
        project_id=project_id, project_name=name, project_manager=manager, programme=programme
    )
    return write_tracker(path, Tracker(project), settings, created=created, people=people)
