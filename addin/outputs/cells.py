"""The one safe-cell writer every output uses.

:func:`write_cell` for the XlsxWriter outputs, :func:`set_text` for the one output edited
with openpyxl (the annotated tracker).

One rule for text: it is always written as text, whatever it looks like (``=SUM(A1)``,
``+44 20``, ``@user``, ``http://...``), so nothing from a tracker becomes a formula,
a number or a live link; it is cut to Excel's 32,767 characters. Booleans are
booleans, dates are dates in the given format, and a number that is not finite
(NaN, infinity) is left blank, because Excel has no such number.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from addin.ooxml.sheetxml import MAX_CELL_CHARS, clean_text

if TYPE_CHECKING:  # openpyxl (and numpy with it) is imported only by the one output using it
    from openpyxl.cell.cell import Cell

#: Workbook options every writer passes: tracker text never becomes a formula, link or number.
SAFE_OPTIONS: dict[str, Any] = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def write_cell(ws: Worksheet, row: int, col: int, value: Any, fmt: Format | None = None) -> None:
    """Write one value as what it is, never as a formula or link (None and "" stay blank)."""
    if value is None or value == "":
        return
    if isinstance(value, str):
        # XlsxWriter escapes control characters and literal _xHHHH_ itself; only cut to size.
        ws.write_string(row, col, value[:MAX_CELL_CHARS], fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(row, col, value, fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), fmt)
    elif isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return
        ws.write_number(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value)[:MAX_CELL_CHARS], fmt)


def set_text(cell: Cell, value: str | None) -> None:
    """Set an openpyxl cell to ``value`` as text, never a formula (None and "" blank).

    The same rule as :func:`write_cell`: cut to 32,767 characters; characters XML cannot
    hold are escaped (openpyxl would refuse them), and the cell is typed as a string, so
    ``=cmd|...`` stays the text it is.
    """
    cell.value = clean_text(value) if value else None
    cell.data_type = "s"
