"""What a check sees of one file: its tables, where each value lives, and how to report.

:meth:`CheckContext.hit` makes a finding that points at the cell of a field in a row
(or of a Project value), with the field's canonical header and the value shown the
way the workbook shows it (dates in the settings' date format).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from typing import Any

from addin.core.findings import Finding, display_value
from addin.core.kinds import Project, kind
from addin.core.rules import RuleBook, RuleId
from addin.core.settings import Settings
from addin.core.tracker import Table
from addin.read import ReadResult

_STRFTIME = (
    ("yyyy", "%Y"),
    ("yy", "%y"),
    ("mmmm", "%B"),
    ("mmm", "%b"),
    ("mm", "%m"),
    ("dd", "%d"),
)


def date_formatter(excel_format: str) -> Callable[[dt.date], str]:
    """Return a function that renders dates the way an Excel number format shows them."""
    fmt = excel_format.lower()
    for token, code in _STRFTIME:
        fmt = fmt.replace(token, code)
    fmt = re.sub(r"(?<!%)\bm\b", "%m", fmt)
    fmt = re.sub(r"(?<!%)\bd\b", "%d", fmt)
    if "%" not in fmt:
        fmt = "%d/%m/%Y"
    # A tracker's findings show the same few days over and over (a messy one ~135 dates,
    # ~25 days): each is formatted once (strftime took 3.7 us a call).
    return functools.lru_cache(maxsize=1024)(lambda d: d.strftime(fmt))


class CheckContext:
    """One file's read result as the checks see it.

    Attributes:
        result: What the reader produced.
        settings: Effective settings.
        rules: The run's rule book.
        as_of: The day of the run (dated checks only; None otherwise).
        project: The Project record.
        status_date: The project's Status Date, or None.
        flagged: Cells the reader already reported (a refused value is not also "blank").
    """

    def __init__(
        self,
        result: ReadResult,
        settings: Settings,
        rules: RuleBook,
        as_of: dt.date | None = None,
    ) -> None:
        self.result = result
        self.settings = settings
        self.rules = rules
        self.as_of = as_of
        self.fmt = date_formatter(settings.date_format)
        self.project: Project = result.tracker.project
        self.status_date: dt.date | None = self.project.status_date
        self.flagged = {(f.sheet, f.row, f.col) for f in result.findings if f.row is not None}

    def has(self, key: str) -> bool:
        """True when the tracker holds the kind (its block or at least one of its sheets)."""
        if key == "Project":
            return self.result.block is not None
        return key in self.result.layouts

    def table(self, key: str) -> Table:
        """The kind's table; the Project block is a table of one row."""
        if key == "Project":
            return Table.of("Project", [self.project])
        return self.result.tracker.table(key)

    def show(self, value: Any) -> str:
        """A value as the workbook shows it (dates in the settings' format)."""
        if isinstance(value, dt.date):
            return self.fmt(value)
        return display_value(value)

    def where(self, key: str, field: str, i: int) -> tuple[str, int | None, int | None]:
        """(sheet, row, col) of a field in row ``i`` of a kind (of the block for Project).

        A field with no column (or no label) points at its row's first column (or the
        block's first label): every finding has a cell.
        """
        sheet, row, col = self.result.where(key, field, None if key == "Project" else i)
        if col is not None:
            return sheet, row, col
        if key == "Project":
            block = self.result.block
            if block is None or not block.cells:
                return sheet, row, col
            r, c = min(block.cells.values())
            return block.sheet, r, c
        layout = self.result.layout(key, sheet, row)
        return sheet, row, None if layout is None else layout.left

    def mapped(self, key: str, field: str, sheet: str | None = None) -> bool:
        """True when the field's column was found (on ``sheet``, else on any of the kind's)."""
        return self.result.mapped(key, field, sheet)

    def is_flagged(self, key: str, field: str, i: int) -> bool:
        """True when the reader already reported this cell (a field with no cell: never)."""
        found = self.result.where(key, field, None if key == "Project" else i)
        return found[1] is not None and found in self.flagged

    def hit(
        self, rule: RuleId, key: str, field: str, i: int, value: Any = None, **params: Any
    ) -> Finding | None:
        """A finding of ``rule`` at a field of row ``i`` (None when the rule is switched off)."""
        sheet, row, col = self.where(key, field, i)
        header = kind(key).field(field).header if field else ""
        return self.rules.finding(
            rule,
            file=self.result.file,
            sheet=sheet,
            row=row,
            col=col,
            field=header,
            value=self.show(value),
            **params,
        )
