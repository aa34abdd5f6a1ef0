"""What an annotation marks: one :class:`Mark` per cell, and the Validation sheet's rows.

:func:`plan` decides; a :class:`Target` (a file, or a live workbook in Excel) writes
what was decided, so every way of annotating marks the same cells the same way. The
constants here are how a later run recognises, and removes, what an earlier one wrote.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from addin.core.cells import a1, quote_sheet
from addin.core.findings import Finding, Severity
from addin.core.ours import VALIDATION_SHEET as VALIDATION_SHEET
from addin.core.ours import VALIDATION_TITLE as VALIDATION_TITLE
from addin.core.words import counted

#: Author of our notes; their text follows this marker so it can be removed again.
NOTE_AUTHOR = "PMO validation"
NOTE_MARKER = "--- PMO validation ---"
#: The always-true formula of our highlight rules; how we recognise them.
MARK_FORMULA = '"PMO"="PMO"'
WARNING_FILL = "#FFF2CC"
VALIDATION_HEADERS = ("Severity", "Sheet", "Cell", "Field", "Rule", "Message", "Value")


@dataclass(frozen=True)
class Mark:
    """One cell to highlight, with the note that explains it."""

    sheet: str
    row: int
    col: int
    severity: Severity
    note: str

    @property
    def cell(self) -> str:
        """A1 reference of the cell."""
        return a1(self.row, self.col)


@dataclass(frozen=True)
class Plan:
    """Everything an annotation writes: cell marks and the Validation sheet's rows."""

    marks: tuple[Mark, ...]
    rows: tuple[tuple[str, ...], ...]
    links: tuple[str | None, ...]


def plan(findings: Iterable[Finding]) -> Plan:
    """Decide what to mark: one mark per cell (worst severity, all messages), a row per finding."""
    by_cell: dict[tuple[str, int, int], list[Finding]] = defaultdict(list)
    rows: list[tuple[str, ...]] = []
    links: list[str | None] = []
    for f in findings:
        rows.append((str(f.severity), f.sheet, f.cell, f.field, f.rule, f.message, f.value))
        if f.sheet and f.row is not None and f.col is not None:
            by_cell[(f.sheet, f.row, f.col)].append(f)
            links.append(f"{quote_sheet(f.sheet)}!{f.cell}")
        elif f.sheet:
            links.append(f"{quote_sheet(f.sheet)}!A1")
        else:
            links.append(None)
    marks = []
    for (sheet, row, col), group in by_cell.items():
        severity = (
            Severity.ERROR if any(f.severity is Severity.ERROR for f in group) else Severity.WARNING
        )
        note = "\n".join(f"{f.severity}: {f.message} [{f.rule}]" for f in group)
        marks.append(Mark(sheet, row, col, severity, note))
    return Plan(tuple(marks), tuple(rows), tuple(links))


def validation_caption(count: int, when: dt.datetime | None = None) -> str:
    """The line under the Validation sheet's title: ``4 findings, 2026-11-30 09:15. ...``."""
    stamp = when or dt.datetime.now()
    return f"{counted(count, 'finding')}, {stamp:%Y-%m-%d %H:%M}. Re-run to refresh."


class Target(Protocol):
    """Where a plan is written: a file (openpyxl) or a live workbook (xlwings)."""

    def clear(self) -> None:
        """Remove every mark, note and Validation sheet a previous annotation made."""

    def mark(self, mark: Mark) -> None:
        """Highlight one cell and attach its note."""

    def write_sheet(self, rows: Sequence[Sequence[str]], links: Sequence[str | None]) -> None:
        """Write the Validation sheet: a header, then one row per finding linking to its cell."""


def apply(target: Target, findings: Iterable[Finding]) -> Plan:
    """Replace any previous annotation in ``target`` with the findings' marks and sheet."""
    p = plan(findings)
    target.clear()
    for m in p.marks:
        target.mark(m)
    target.write_sheet(p.rows, p.links)
    return p


def strip_note(text: str) -> str:
    """Remove our part from a note's text, leaving the project manager's own words."""
    head, _, _ = text.partition(NOTE_MARKER)
    return head.rstrip()
