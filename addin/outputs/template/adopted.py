"""An adopted tracker: the governed template filled from a tracker in another layout.

:func:`write_adopted` writes the standard tracker (:func:`~addin.outputs.template.write_tracker`:
its validation, dropdowns and protection unchanged) and then adds a cell note to every
value naming where it came from (``Adopted from 'Risk Log'!C7``) and an ``Adoption``
sheet listing what could not be carried over (a column no field takes, a sheet not read,
a row or a value the reader refused), each with its sheet, cell and why.

Notes, not an "Adopted from" column: a note changes no table, no header and no
validation, so the adopted file is a template tracker like any other (its tables are
what ``pmo validate`` expects, and a later template upgrade sees no foreign column);
a note survives protection and a PM deletes them all in two clicks once adopted.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter

from addin.core.kinds import TABLE_KEYS, kind
from addin.core.ours import ADOPTION_SHEET, ADOPTION_TITLE
from addin.core.provenance import ADOPTED_DIGEST_PROPERTY, ADOPTED_FROM_PROPERTY
from addin.core.settings import Settings
from addin.core.tracker import Tracker
from addin.outputs.cells import write_cell
from addin.outputs.template.instructions import template_fields
from addin.outputs.template.writer import _extra_headers, write_tracker

#: Who the notes are by.
AUTHOR = "pmo adopt"
_HEADERS = ("Sheet", "Cell", "What", "Why")


@dataclass(frozen=True)
class Sources:
    """Where one record's values came from: field name -> note, extra column -> note."""

    fields: Mapping[str, str] = field(default_factory=dict)
    extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LeftOut:
    """Something of the source tracker not carried over, and why."""

    sheet: str
    cell: str
    what: str
    why: str


def _notes(
    tracker: Tracker, sources: Mapping[str, Sequence[Sources]]
) -> dict[str, dict[tuple[int, int], str]]:
    """Template sheet -> (row, col) -> note, at the cells the template writes each value to."""
    out: dict[str, dict[tuple[int, int], str]] = {}
    project = kind("Project")
    for row, f in enumerate(template_fields(project)):
        text = sources.get("Project", [Sources()])[0].fields.get(f.name)
        if text:
            out.setdefault(project.key, {})[(row, 1)] = text
    for key in TABLE_KEYS:
        records = tracker.rows(key)
        if not records or key not in sources:
            continue
        fields = template_fields(kind(key))
        cols = {f.name: c for c, f in enumerate(fields)}
        extras = {
            k: len(fields) + j
            for j, (k, _) in enumerate(_extra_headers(records, [f.header for f in fields]))
        }
        for i, src in enumerate(sources[key]):
            cells = out.setdefault(key, {})
            for name, text in src.fields.items():
                if name in cols:
                    cells[(i + 1, cols[name])] = text
            for name, text in src.extra.items():
                if name in extras:
                    cells[(i + 1, extras[name])] = text
    return out


def _adoption_sheet(wb: xlsxwriter.Workbook, source: str, left: Sequence[LeftOut]) -> None:
    ws = wb.add_worksheet(ADOPTION_SHEET)
    bold = wb.add_format({"bold": True})
    write_cell(ws, 0, 0, ADOPTION_TITLE, bold)
    write_cell(
        ws,
        1,
        0,
        f"Adopted from {source}. Every value carries a note naming its source cell. "
        f"Below: what could not be carried over ({len(left)}).",
    )
    for c, h in enumerate(_HEADERS):
        write_cell(ws, 3, c, h, bold)
    for r, item in enumerate(left, start=4):
        for c, value in enumerate((item.sheet, item.cell, item.what, item.why)):
            write_cell(ws, r, c, value)
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 10)
    ws.set_column(2, 2, 40)
    ws.set_column(3, 3, 90)
    ws.freeze_panes(4, 0)


def write_adopted(
    path: str | os.PathLike[str],
    tracker: Tracker,
    settings: Settings,
    sources: Mapping[str, Sequence[Sources]],
    left: Sequence[LeftOut],
    source: str,
    *,
    digest: str = "",
    created: dt.datetime | None = None,
) -> Path:
    """Write the adopted tracker atomically (see the module docstring).

    Args:
        path: The ``.xlsx`` to write.
        tracker: The records read from the source tracker.
        settings: Dropdowns, formats, protection.
        sources: Kind -> per record (in order) where its values came from; ``Project``
            holds one.
        left: What was not carried over, for the Adoption sheet.
        source: The source tracker's file name, for the Adoption sheet and the
            ``PMO Adopted From`` property (:mod:`addin.core.provenance`).
        digest: SHA-256 of the source's bytes (the ``PMO Adopted From SHA-256``
            property); blank: no provenance written.
        created: Creation time of the document properties (default: now).

    Raises:
        OutputError: The file could not be written (a previous file is intact).
    """
    notes = _notes(tracker, sources)

    def finish(wb: xlsxwriter.Workbook) -> None:
        for sheet, cells in notes.items():
            ws = wb.get_worksheet_by_name(sheet)
            if ws is None:
                continue
            for (r, c), text in cells.items():
                ws.write_comment(r, c, text, {"author": AUTHOR, "x_scale": 1.5})
        _adoption_sheet(wb, source, left)
        if digest:
            wb.set_custom_property(ADOPTED_FROM_PROPERTY, source)
            wb.set_custom_property(ADOPTED_DIGEST_PROPERTY, digest)

    return write_tracker(path, tracker, settings, created=created, finish=finish)
