"""Use case ``pmo inspect``: what the reader recognised in one workbook, and how to correct it.

:func:`inspect` reads a workbook the way every run does (the same reader, the same
settings, ``[[mapping]]`` overrides included) and says, sheet by sheet, what it made of
it: each sheet's kind or why it was not read, each table's header row and rows, each
column's field with the header text seen and how strongly it named the field, the
columns no field took, the project's identity and where it came from. Its
:attr:`Inspection.mapping` is a ``[[mapping]]`` block for ``pmo.toml`` that reproduces
this reading (:mod:`addin.app.mapping_block`): a PMO pastes it and edits only what is
wrong. The workbook is only read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from addin.app.mapping_block import mapping_block
from addin.core.cells import a1, column_letter
from addin.core.findings import Finding
from addin.core.kinds import Layout, kind
from addin.core.lang import fold
from addin.core.ours import ADOPTION_SHEET, VALIDATION_SHEET
from addin.core.rules import RuleId
from addin.core.settings import Settings
from addin.read import ReadResult, SheetLayout, read_tracker

#: Version of the JSON form (:meth:`Inspection.to_dict`), raised when a key changes meaning.
INSPECT_VERSION = 1
#: How strongly a header named its field, in words (see :mod:`addin.read.headers`).
STRENGTH = {1: "weak", 2: "synonym", 3: "canonical", 4: "mapping"}
#: Rules whose findings say why a sheet was not read.
_WHY = (RuleId.SHEET_IGNORED, RuleId.RESOURCE_NOT_READ, RuleId.MAPPING_APPLIED)


@dataclass(frozen=True)
class ColumnSeen:
    """One header cell of a table: its column, its text, the field it feeds (or none)."""

    column: str
    header: str
    field: str = ""
    strength: str = ""


@dataclass(frozen=True)
class TableSeen:
    """One table the reader read: its kind, sheet, header row (1-based), rows and columns."""

    kind: str
    sheet: str
    header_row: int
    rows: int
    layout: str
    columns: tuple[ColumnSeen, ...]

    @property
    def unmapped(self) -> tuple[ColumnSeen, ...]:
        """The header cells no field took."""
        return tuple(c for c in self.columns if not c.field)


@dataclass(frozen=True)
class SheetSeen:
    """One sheet: what it was read as (``kinds``), or why not (``use`` and ``reason``).

    ``use`` is ``read``, ``project`` (the Project block), ``ignored`` (a finding says why),
    ``guidance`` (the template's Instructions), ``our output`` (an annotation's Validation
    sheet) or ``nothing found`` (no table and nothing that looks like one).
    """

    name: str
    use: str
    kinds: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class Inspection:
    """What the reader recognised in one workbook (see the module docstring)."""

    file: str
    status: str
    reason: str
    project_id: str
    project_name: str
    name_from: str
    id_from: str
    identity_cell: str
    sheets: tuple[SheetSeen, ...]
    tables: tuple[TableSeen, ...]
    block: dict[str, str] = field(default_factory=dict)
    block_sheet: str = ""
    mapped: tuple[str, ...] = ()
    errors: int = 0
    warnings: int = 0
    mapping: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON form (documented in docs/onboarding.md)."""
        return {
            "inspect_version": INSPECT_VERSION,
            "file": self.file,
            "status": self.status,
            "reason": self.reason,
            "project": {
                "id": self.project_id,
                "name": self.project_name,
                "name_from": self.name_from,
                "id_from": self.id_from,
                "cell": self.identity_cell,
            },
            "project_block": {"sheet": self.block_sheet, "labels": dict(self.block)},
            "sheets": [
                {"name": s.name, "use": s.use, "kinds": list(s.kinds), "reason": s.reason}
                for s in self.sheets
            ],
            "tables": [
                {
                    "kind": t.kind,
                    "sheet": t.sheet,
                    "header_row": t.header_row,
                    "rows": t.rows,
                    "layout": t.layout,
                    "columns": [
                        {
                            "column": c.column,
                            "header": c.header,
                            "field": c.field,
                            "strength": c.strength,
                        }
                        for c in t.columns
                        if c.field
                    ],
                    "unmapped": [{"column": c.column, "header": c.header} for c in t.unmapped],
                }
                for t in self.tables
            ],
            "mapping_applied": list(self.mapped),
            "findings": {"errors": self.errors, "warnings": self.warnings},
            "mapping": self.mapping,
        }


def _columns(lay: SheetLayout) -> tuple[ColumnSeen, ...]:
    spec = kind(lay.kind)
    by_col = {c: name for name, c in lay.columns.items()}
    cols = sorted({*lay.headers, *by_col})
    return tuple(
        ColumnSeen(
            column_letter(c),
            lay.headers.get(c, ""),
            spec.field(by_col[c]).header if c in by_col else "",
            STRENGTH.get(lay.strength.get(by_col[c], 0), "") if c in by_col else "",
        )
        for c in cols
    )


def _tables(read: ReadResult) -> list[TableSeen]:
    out: list[TableSeen] = []
    for key, layouts in read.layouts.items():
        info = read.tables[key]
        parts = info.parts or (info,)
        for lay, part in zip(layouts, parts, strict=False):
            out.append(
                TableSeen(
                    key,
                    lay.sheet,
                    lay.header_row + 1,
                    part.rows,
                    "matrix" if lay.layout is Layout.MATRIX else "table",
                    () if lay.layout is Layout.MATRIX else _columns(lay),
                )
            )
    order = {n: i for i, n in enumerate(read.sheet_order)}
    return sorted(out, key=lambda t: (order.get(t.sheet, len(order)), t.header_row))


def _sheets(read: ReadResult, tables: list[TableSeen]) -> list[SheetSeen]:
    why: dict[str, str] = {}
    for f in read.findings:
        said = f.rule != RuleId.MAPPING_APPLIED or f.message.split(",")[0].endswith("not read")
        if f.rule in _WHY and f.sheet and f.sheet not in why and said:
            why[f.sheet] = f.message
    block = read.block.sheet if read.block is not None else ""
    out: list[SheetSeen] = []
    for name in read.sheet_order:
        kinds = tuple(dict.fromkeys(t.kind for t in tables if t.sheet == name))
        if name == block:
            kinds = ("Project", *kinds)
        if kinds:
            out.append(SheetSeen(name, "read" if kinds != ("Project",) else "project", kinds))
        elif name in why:
            out.append(SheetSeen(name, "ignored", (), why[name]))
        elif fold(name) == "instructions":
            out.append(SheetSeen(name, "guidance", (), "the template's guidance: no records"))
        elif name.startswith(VALIDATION_SHEET) or name == ADOPTION_SHEET:
            out.append(SheetSeen(name, "our output", (), "a sheet pmo wrote (no records)"))
        else:
            out.append(SheetSeen(name, "nothing found", (), "no table and no Project labels"))
    return out


def _cell(sheet: str, row: int | None, col: int | None) -> str:
    if not sheet:
        return ""
    return f"'{sheet}'!{a1(row, col)}" if row is not None and col is not None else f"'{sheet}'"


def inspection(read: ReadResult, settings: Settings) -> Inspection:
    """What a reader's result says about its workbook (see :func:`inspect`)."""
    tables = _tables(read)
    ident = read.identity
    project = read.tracker.project
    findings: list[Finding] = read.findings
    block = read.tables.get("Project")
    return Inspection(
        file=read.file,
        status=str(read.status),
        reason=read.reason,
        project_id=project.project_id or (ident.project_id if ident else ""),
        project_name=project.project_name or (ident.name if ident else ""),
        name_from=ident.name_from if ident else "",
        id_from=ident.id_from if ident else "",
        identity_cell=_cell(ident.sheet, ident.row, ident.col) if ident else "",
        sheets=tuple(_sheets(read, tables)),
        tables=tuple(tables),
        block=dict(block.columns) if block is not None else {},
        block_sheet=block.sheet if block is not None else "",
        mapped=tuple(
            f"{f.location}: {f.message}" if f.location else f.message
            for f in findings
            if f.rule in (RuleId.MAPPING_APPLIED, RuleId.MAPPING_NOT_APPLIED)
        ),
        errors=sum(f.severity == "error" for f in findings),
        warnings=sum(f.severity == "warning" for f in findings),
        mapping=mapping_block(read, Path(read.file).name) if read.status.read_as_tracker else "",
    )


def inspect(path: str | Path, settings: Settings) -> Inspection:
    """Read one workbook (never changing it) and say what was recognised.

    Args:
        path: The workbook.
        settings: Effective settings (``[[mapping]]`` entries that match it apply).
    """
    return inspection(read_tracker(path, settings), settings)
