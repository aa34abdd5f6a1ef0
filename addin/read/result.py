"""What reading one workbook produced: the tracker, where each value lives, what went wrong."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from addin.core.findings import FileStatus, Finding, TableInfo
from addin.core.identity import Identity
from addin.core.kinds import Layout
from addin.core.tracker import Tracker


@dataclass(frozen=True)
class SheetLayout:
    """Where one sheet's fields live: the sheet, its header row and field -> column (0-based).

    A matrix (a wide plan) maps only its key columns; each record's period, value and
    source cell is its own cell (:attr:`addin.core.tracker.Table.cols`).
    """

    kind: str
    sheet: str
    header_row: int
    columns: Mapping[str, int]
    layout: Layout = Layout.TABLE
    #: Column -> its header text as read (every header cell, mapped or not).
    headers: Mapping[int, str] = field(default_factory=dict)
    #: Field -> how strongly its header named it (1 weak, 2 synonym, 3 canonical, 4 mapping).
    strength: Mapping[str, int] = field(default_factory=dict)

    @property
    def left(self) -> int:
        """The table's first mapped column (its Source Cell column in the portfolio)."""
        return min(self.columns.values()) if self.columns else 0


@dataclass(frozen=True)
class BlockLayout:
    """Where a key/value block's values live: field -> (row, col) of its value cell."""

    kind: str
    sheet: str
    cells: Mapping[str, tuple[int, int]]


@dataclass
class ReadResult:
    """What reading one file produced.

    Attributes:
        file: The path as given.
        status: ``valid`` until validation settles it; ``unreadable`` or ``not_a_tracker``
            when reading failed.
        reason: One line when the status is not valid.
        tracker: The records read, a columnar table per kind (empty when unreadable).
        layouts: Kind -> where its fields live, one layout per sheet that fed it.
        block: Where the Project block's values live (None when no block was found).
        tables: Kind -> what was found, for reports.
        findings: Problems met while reading (structure, coercion, ranges).
        sheet_order: Real sheet names in workbook order.
        pmo_output: What ``pmo`` output the workbook says it is (``portfolio`` ...), or ""
            (see :mod:`addin.core.ours`); a portfolio or dashboard is ``skipped``, not read.
        adopted_from: (file name, SHA-256) of the tracker ``pmo adopt`` made this one from,
            as its properties say (:mod:`addin.core.provenance`); None when not adopted.
        empty: Sheet -> 0-based header row of a table found there with no rows below it,
            left out beside the kind's other tables (reported as an ignored sheet).
        identity: The project's name and ID and where they came from (None when the file
            was not read as a tracker).
    """

    file: str
    status: FileStatus = FileStatus.VALID
    reason: str = ""
    tracker: Tracker = field(default_factory=Tracker)
    layouts: dict[str, list[SheetLayout]] = field(default_factory=dict)
    block: BlockLayout | None = None
    tables: dict[str, TableInfo] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    sheet_order: list[str] = field(default_factory=list)
    pmo_output: str = ""
    adopted_from: tuple[str, str] | None = None
    empty: dict[str, int] = field(default_factory=dict)
    identity: Identity | None = None

    def layout(
        self, kind: str, sheet: str | None = None, row: int | None = None
    ) -> SheetLayout | None:
        """The layout of a kind's sheet (its first sheet when ``sheet`` is None).

        With ``row``, the layout of the table that row belongs to: the nearest header above
        it (a sheet may hold two tables of one kind, one below the other).
        """
        found = self.layouts.get(kind, [])
        if sheet is None:
            return found[0] if found else None
        mine = [lay for lay in found if lay.sheet == sheet]
        if row is not None and len(mine) > 1:
            above = [lay for lay in mine if lay.header_row < row]
            if above:
                return max(above, key=lambda lay: lay.header_row)
        return mine[0] if mine else None

    def where(
        self, kind: str, field_name: str, index: int | None = None
    ) -> tuple[str, int | None, int | None]:
        """(real sheet name, row, col) of a field: of the Project block, or of row ``index``."""
        if index is None:
            if self.block is None or kind != self.block.kind:
                return "", None, None
            pos = self.block.cells.get(field_name)
            return (self.block.sheet, None, None) if pos is None else (self.block.sheet, *pos)
        table = self.tracker.table(kind)
        sheet, row = table.sheets[index], table.rows[index]
        lay = self.layout(kind, sheet, row)
        if lay is None:
            return sheet, row, None
        col = lay.columns.get(field_name)
        if col is None and lay.layout is Layout.MATRIX and table.cols is not None:
            col = table.cols[index]  # a matrix record's period, value and cell are its own
        return sheet, row, col

    def mapped(self, kind: str, field_name: str, sheet: str | None = None) -> bool:
        """True when the field's column (or label) was found (on ``sheet``, else on any sheet)."""
        if self.block is not None and kind == self.block.kind:
            return True
        layouts = self.layouts.get(kind, [])
        return any(
            field_name in lay.columns or lay.layout is Layout.MATRIX
            for lay in layouts
            if sheet is None or lay.sheet == sheet
        )
