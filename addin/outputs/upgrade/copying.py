"""Copy what the current template has into a tracker, with openpyxl: sheets and columns.

The template (:func:`addin.outputs.template.write_tracker`) is the one definition of a
sheet's look: headers, widths, number formats, locked and open cells, dropdowns and
validation, the Excel table, frozen panes, print setup and protection. An upgrade
writes a fresh template and copies from it, so an upgraded tracker's new sheets and
columns are exactly what a new tracker has. A dropdown whose list lives on the
template's hidden lists sheet gets the same list on the tracker's (our hidden
``Lists`` sheet, created when the tracker has none of ours).
"""

from __future__ import annotations

import re
from copy import copy
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn

from addin.outputs.template.styles import LISTS_SHEET

#: openpyxl's objects, typed loosely: its stubs do not describe style proxies and copies.
Book = Any
Worksheet = Any
Cell = Any
DataValidation = Any

_LIST_REF = re.compile(r"^'?([^'!]+)'?!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)$")
#: Our lists sheet in a tracker that has a sheet called Lists of its own.
OWN_LISTS = "PMO Lists"


def style_from(dst: Cell, src: Cell) -> None:
    """Give ``dst`` the look of ``src`` (font, fill, border, format, alignment, protection)."""
    if not src.has_style:
        return
    dst.font = copy(src.font)
    dst.fill = copy(src.fill)
    dst.border = copy(src.border)
    dst.number_format = src.number_format
    dst.alignment = copy(src.alignment)
    dst.protection = copy(src.protection)


class Lists:
    """The tracker's hidden lists sheet, filled on demand from the template's."""

    def __init__(self, book: Book, template: Book) -> None:
        self.book = book
        self.template = template
        self._ws: Worksheet | None = None

    def _sheet(self) -> Worksheet:
        if self._ws is None:
            keys = _template_keys(self.template)
            found = self.book[LISTS_SHEET] if LISTS_SHEET in self.book.sheetnames else None
            ours = found is not None and (
                found.max_row <= 1 or str(found["A1"].value or "") in keys
            )
            if found is not None and ours:
                self._ws = found
            else:
                name = LISTS_SHEET if found is None else OWN_LISTS
                self._ws = self.book.create_sheet(name)
                self._ws.sheet_state = "hidden"
        return self._ws

    def source(self, formula: str) -> str:
        """A validation formula of the template, pointing at the same list in the tracker."""
        m = _LIST_REF.match(formula.lstrip("="))
        if m is None or m[1] != LISTS_SHEET or LISTS_SHEET not in self.template.sheetnames:
            return formula
        tpl = self.template[LISTS_SHEET]
        col = m[2]
        key = tpl[f"{col}1"].value
        values = [tpl[f"{col}{r}"].value for r in range(int(m[3]), int(m[5]) + 1)]
        ws = self._sheet()
        at = next(
            (c for c in range(1, ws.max_column + 1) if ws.cell(1, c).value == key),
            None,
        )
        if at is None:
            at = 1 if ws.max_row == 1 and ws["A1"].value is None else ws.max_column + 1
            ws.cell(1, at, key)
            for r, value in enumerate(values, start=2):
                ws.cell(r, at, value)
        letter = get_column_letter(at)
        title = ws.title.replace("'", "''")
        return f"'{title}'!${letter}$2:${letter}${len(values) + 1}"


def _template_keys(template: Book) -> set[str]:
    if LISTS_SHEET not in template.sheetnames:
        return set()
    ws = template[LISTS_SHEET]
    return {str(c.value) for c in ws[1] if c.value is not None}


def _validation(dv: DataValidation, sqref: str, lists: Lists) -> DataValidation:
    new = copy(dv)
    new.sqref = sqref
    if new.type == "list" and new.formula1:
        new.formula1 = lists.source(new.formula1)
    return new


def _free_table_name(book: Book, name: str) -> str:
    taken = {t.casefold() for ws in book.worksheets for t in ws.tables}
    candidate, n = name, 2
    while candidate.casefold() in taken:
        candidate, n = f"{name}{n}", n + 1
    return candidate


def copy_sheet(src: Worksheet, book: Book, lists: Lists, index: int | None = None) -> Worksheet:
    """Copy a template sheet into the tracker (see the module docstring)."""
    ws = book.create_sheet(src.title, index)
    for row in src.iter_rows():
        for cell in row:
            if cell.value is None and not cell.has_style:
                continue
            dst = ws.cell(row=cell.row, column=cell.column)
            if cell.value is not None:
                dst.value = cell.value
            style_from(dst, cell)
    for key, dim in src.column_dimensions.items():
        ws.column_dimensions[key].width = dim.width
        ws.column_dimensions[key].hidden = dim.hidden
    for key, rdim in src.row_dimensions.items():
        if rdim.height is not None:
            ws.row_dimensions[key].height = rdim.height
    for dv in src.data_validations.dataValidation:
        ws.add_data_validation(_validation(dv, str(dv.sqref), lists))
    for table in src.tables.values():
        name = _free_table_name(book, table.displayName)
        ws.add_table(
            Table(
                displayName=name,
                name=name,
                ref=table.ref,
                tableStyleInfo=copy(table.tableStyleInfo),
                tableColumns=[TableColumn(id=c.id, name=c.name) for c in table.tableColumns],
                autoFilter=AutoFilter(ref=table.ref),
                headerRowCount=table.headerRowCount,
            )
        )
    ws.freeze_panes = src.freeze_panes
    ws.protection = copy(src.protection)
    ws.sheet_view.showGridLines = src.sheet_view.showGridLines
    ws.page_setup = copy(src.page_setup)
    ws.page_margins = copy(src.page_margins)
    ws.print_options = copy(src.print_options)
    ws.sheet_properties.pageSetUpPr = copy(src.sheet_properties.pageSetUpPr)
    ws.oddFooter = copy(src.oddFooter)
    if src.print_title_rows:
        ws.print_title_rows = src.print_title_rows
    ws.sheet_state = src.sheet_state
    return ws


def _template_column(src: Worksheet, header: str) -> int | None:
    return next((c.column for c in src[1] if c.value == header), None)


def add_columns(
    ws: Worksheet,
    src: Worksheet,
    headers: list[str],
    header_row: int,
    first_col: int,
    last_row: int,
    lists: Lists,
) -> list[tuple[int, int]]:
    """Add columns with the template's headers to a table sheet; return the cells written.

    Each new column takes the template column's header and body look, width and
    validation, down to ``last_row`` (0-based). An Excel table whose header is this row
    and whose last column is just left of the new ones grows to hold them.
    """
    written: list[tuple[int, int]] = []
    body_row = 2
    for n, header in enumerate(headers):
        col = first_col + n + 1  # openpyxl counts from 1
        at = _template_column(src, header)
        dst = ws.cell(row=header_row + 1, column=col, value=header)
        written.append((header_row, col - 1))
        if at is None:
            continue
        style_from(dst, src.cell(row=1, column=at))
        body = src.cell(row=body_row, column=at)
        for r in range(header_row + 2, last_row + 2):
            style_from(ws.cell(row=r, column=col), body)
        letter, src_letter = get_column_letter(col), get_column_letter(at)
        ws.column_dimensions[letter].width = src.column_dimensions[src_letter].width
        for dv in src.data_validations.dataValidation:
            if any(cr.min_col <= at <= cr.max_col for cr in dv.sqref.ranges):
                sqref = f"{letter}{header_row + 2}:{letter}{last_row + 1}"
                ws.add_data_validation(_validation(dv, sqref, lists))
    _grow_table(ws, header_row, first_col, headers)
    return written


def _grow_table(ws: Worksheet, header_row: int, first_col: int, headers: list[str]) -> None:
    from openpyxl.worksheet.cell_range import CellRange

    for table in ws.tables.values():
        box = CellRange(table.ref)
        if box.min_row != header_row + 1 or box.max_col != first_col:
            continue
        box.expand(right=len(headers))
        table.ref = box.coord
        if table.autoFilter is not None:
            table.autoFilter.ref = box.coord
        start = len(table.tableColumns)
        for n, header in enumerate(headers):
            table.tableColumns.append(TableColumn(id=start + n + 1, name=header))
        table.tableColumns = list(table.tableColumns)


def last_header_col(ws: Worksheet, row: int) -> int:
    """0-based last column of a header row that holds anything (-1 when none)."""
    found = -1
    for cell in ws[row + 1]:
        if cell.value not in (None, ""):
            found = cell.column - 1
    return found


def table_bottom(ws: Worksheet, row: int) -> int:
    """0-based last row of the Excel table whose header is ``row``, else the sheet's last."""
    from openpyxl.worksheet.cell_range import CellRange

    for table in ws.tables.values():
        box = CellRange(table.ref)
        if box.min_row == row + 1:
            return int(box.max_row) - 1
    return int(ws.max_row) - 1


def set_value(ws: Worksheet, row: int, col: int, value: Any) -> None:
    """Write one value (the Template Version) keeping the cell's look."""
    ws.cell(row=row + 1, column=col + 1).value = value
