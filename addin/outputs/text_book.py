"""A report of lines as a one-sheet workbook (the ribbon's Inspect shows its report so).

A message box holds about a thousand characters; a report of a tracker's sheets, tables
and mapping block does not fit. Each line goes in column A of its own row, as text
(:func:`~addin.outputs.cells.write_cell`: never a formula or a link), in a monospaced
font so the mapping block keeps its shape. Written atomically.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException

from addin.core.errors import OutputError, os_reason
from addin.outputs.atomic import atomic_path
from addin.outputs.cells import SAFE_OPTIONS, write_cell


def write_text_book(path: str | os.PathLike[str], sheet: str, lines: Sequence[str]) -> Path:
    """Write ``lines`` one a row on sheet ``sheet`` of a new workbook at ``path``.

    Raises:
        OutputError: the file could not be written.
    """
    target = Path(path)
    try:
        with atomic_path(target) as tmp:
            wb = xlsxwriter.Workbook(str(tmp), dict(SAFE_OPTIONS))
            try:
                ws = wb.add_worksheet(sheet[:31])
                mono = wb.add_format({"font_name": "Consolas", "font_size": 10})
                ws.set_column(0, 0, 120)
                for row, line in enumerate(lines):
                    write_cell(ws, row, 0, line, mono)
            finally:
                wb.close()
    except (OSError, XlsxWriterException) as exc:
        raise OutputError(f"{target}: cannot write the report ({os_reason(exc)})") from exc
    return target
