"""Use case ``pmo adopt``: move a tracker onto the governed template, losing nothing silently.

The tracker is read the way every run reads it (``[[mapping]]`` overrides included); the
records are written into the standard template (:mod:`addin.outputs.template.adopted`),
each value with a note naming its source cell, and everything that could not be carried
over (a column no field takes, a sheet not read, a row or value the reader refused) is
listed on the ``Adoption`` sheet with its sheet, cell and why. The source workbook is
only read; the output is written atomically. ``pmo validate`` of the adopted file then
finds the same values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from addin.app.inspect import inspection
from addin.core.cells import a1
from addin.core.errors import NotATrackerError, UnreadableFileError
from addin.core.findings import FileStatus
from addin.core.kinds import TABLE_KEYS, kind
from addin.core.provenance import file_digest
from addin.core.rules import RuleId
from addin.core.settings import Settings
from addin.core.words import one_line
from addin.outputs.template.adopted import LeftOut, Sources, write_adopted
from addin.read import ReadResult, read_tracker

#: Suffix of the adopted copy written beside a tracker (the ribbon's Adopt, the default).
ADOPTED_SUFFIX = ".adopted.xlsx"

#: Reader findings whose value, row or column is not carried over, and what each loses.
_LOST = {
    RuleId.ROW_SECTION_HEADING: "row",
    RuleId.ROW_NOT_A_RECORD: "row",
    RuleId.COLUMN_DUPLICATE: "column",
    RuleId.VALUE_NOT_A_DATE: "value",
    RuleId.VALUE_NOT_A_NUMBER: "value",
    RuleId.VALUE_NOT_A_PERCENT: "value",
    RuleId.VALUE_NOT_ALLOWED: "value",
    RuleId.VALUE_OUT_OF_RANGE: "value",
    RuleId.VALUE_NOT_CALCULATED: "value",
    RuleId.VALUE_TOO_LONG: "value (cut)",
}
_FROM_NAME = {"filename": "the file name", "content": "the sheet names"}


@dataclass(frozen=True)
class Adoption:
    """What ``pmo adopt`` wrote: the file, its project, rows per kind, notes, what was left."""

    source: str
    written: Path
    project_id: str
    project_name: str
    rows: dict[str, int]
    notes: int
    left: tuple[LeftOut, ...]


def adopted_path(tracker: Path) -> Path:
    """``Plan.xlsx`` -> ``Plan.adopted.xlsx`` beside it."""
    return tracker.with_name(tracker.stem + ADOPTED_SUFFIX)


def _cell(sheet: str, row: int | None, col: int | None) -> str:
    return (
        f"Adopted from '{one_line(sheet)}'!{a1(row, col)}"
        if row is not None and col is not None
        else ""
    )


def _project_sources(read: ReadResult) -> Sources:
    out: dict[str, str] = {}
    for f in kind("Project").fields:
        sheet, row, col = read.where("Project", f.name)
        if getattr(read.tracker.project, f.name) not in (None, ""):
            out[f.name] = _cell(sheet, row, col)
    ident = read.identity
    if ident is not None:
        for name, origin in (("project_name", ident.name_from), ("project_id", ident.id_from)):
            if origin == "block" or out.get(name):
                continue
            if origin in _FROM_NAME:
                out[name] = f"Adopted from {_FROM_NAME[origin]}"
            else:
                out[name] = _cell(ident.sheet, ident.row, ident.col)
    return Sources({k: v for k, v in out.items() if v})


def _table_sources(read: ReadResult, key: str) -> list[Sources]:
    table = read.tracker.table(key)
    spec = kind(key)
    out: list[Sources] = []
    for i in range(len(table)):
        fields: dict[str, str] = {}
        for f in spec.fields:
            if table.columns[f.name][i] in (None, ""):
                continue
            sheet, row, col = read.where(key, f.name, i)
            at = f" (row {row + 1})" if row is not None else ""
            named = f"Adopted from the name of sheet '{one_line(sheet)}'{at}"
            fields[f.name] = _cell(sheet, row, col) or named
        extra: dict[str, str] = {}
        lay = read.layout(key, table.sheets[i], table.rows[i])
        if table.extra is not None and lay is not None:
            by_text = {text: col for col, text in lay.headers.items()}
            for name in table.extra[i]:
                if name in by_text:
                    extra[name] = _cell(table.sheets[i], table.rows[i], by_text[name])
        out.append(Sources(fields, extra))
    return out


def _left(read: ReadResult, settings: Settings) -> list[LeftOut]:
    """What the adopted tracker does not carry: sheets, columns, rows and values."""
    out: list[LeftOut] = []
    for s in inspection(read, settings).sheets:
        if not s.kinds and s.use != "guidance":
            out.append(LeftOut(s.name, "", "sheet", s.reason or s.use))
    for key, layouts in read.layouts.items():
        info = read.tables[key]
        parts = info.parts or (info,)
        for lay, part in zip(layouts, parts, strict=False):
            used = set(lay.columns.values())
            for col, text in sorted(lay.headers.items()):
                if col in used:
                    continue
                why = (
                    f"no {key} field takes it: kept as the extra column '{one_line(text)}' "
                    "(not checked)"
                    if text in part.extra_columns
                    else f"no {key} field takes it, and it is a period or date header: not carried"
                )
                out.append(
                    LeftOut(lay.sheet, a1(lay.header_row, col), f"column '{one_line(text)}'", why)
                )
    for f in read.findings:
        lost = next((w for rule, w in _LOST.items() if rule == f.rule), None)
        if lost is not None:
            out.append(LeftOut(f.sheet, f.cell, lost, one_line(f.message)))
    return out


def _read_back(written: Path, read: ReadResult, settings: Settings) -> list[LeftOut]:
    """What ``pmo validate`` of the adopted file would not count, though it was written.

    A row holding only a task's name reads as a section heading, a budget line with no
    period is no record: said, so that nothing is lost silently.
    """
    back = read_tracker(written, settings)
    out = [
        LeftOut(
            f.sheet,
            f.cell,
            "row (adopted file)",
            f"written, but pmo validate does not count it: {one_line(f.message)}",
        )
        for f in back.findings
        if f.rule in (RuleId.ROW_NOT_A_RECORD, RuleId.ROW_SECTION_HEADING) and f.sheet in TABLE_KEYS
    ]
    said = {item.sheet for item in out}
    for key, table in read.tracker.tables.items():
        n, m = len(table), len(back.tracker.table(key))
        if m < n and key not in said:
            why = f"{n} rows written, {m} read back by pmo validate (a row below ends the table)"
            out.append(LeftOut(key, f"A{m + 2}", "rows (adopted file)", why))
    return out


def adopt(
    path: Path, output: Path, settings: Settings, *, created: dt.datetime | None = None
) -> Adoption:
    """Write the tracker at ``path`` into the governed template at ``output``.

    Raises:
        UnreadableFileError: the workbook could not be read.
        NotATrackerError: nothing in it maps to the tracker standard.
        OutputError: the output could not be written (a previous file is intact).
    """
    read = read_tracker(path, settings)
    if read.status is FileStatus.UNREADABLE:
        raise UnreadableFileError(str(path), read.reason)
    if not read.status.read_as_tracker:
        raise NotATrackerError(str(path), read.reason or str(read.status))
    sources: dict[str, list[Sources]] = {"Project": [_project_sources(read)]}
    for key in TABLE_KEYS:
        if key in read.tracker.tables:
            sources[key] = _table_sources(read, key)
    left = _left(read, settings)
    digest = file_digest(path) or ""  # names the source: found beside it, it is superseded
    written = write_adopted(
        output, read.tracker, settings, sources, left, path.name, digest=digest, created=created
    )
    lost = _read_back(written, read, settings)
    if lost:  # said on the Adoption sheet too: written again with them
        left += lost
        write_adopted(
            output,
            read.tracker,
            settings,
            sources,
            left,
            path.name,
            digest=digest,
            created=created,
        )
    notes = sum(len(s.fields) + len(s.extra) for srcs in sources.values() for s in srcs)
    project = read.tracker.project
    return Adoption(
        source=str(path),
        written=written,
        project_id=project.project_id or "",
        project_name=project.project_name or "",
        rows={k: len(t) for k, t in read.tracker.tables.items() if len(t)},
        notes=notes,
        left=tuple(left),
    )
