"""Build a small workbook from rows in a few lines (issue 12's tests write trackers by hand).

``book(path, {"Risks": [["Risk", "Owner"], ["Late supplier", "Ann"]]})``; dates are
written as real dates, ``merges`` spans cells (``{"Plan": ["A1:D1"]}``) with the value of
their top-left cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter


def book(
    path: Path,
    sheets: Mapping[str, Sequence[Sequence[Any]]],
    merges: Mapping[str, Sequence[str]] | None = None,
) -> Path:
    """Write ``sheets`` (name -> rows) to ``path``; None cells stay blank."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, dt.date):
                    ws.write_datetime(r, c, dt.datetime(v.year, v.month, v.day), date)
                else:
                    ws.write(r, c, v)
        for ref in (merges or {}).get(name, ()):
            first, _last = ref.split(":")
            r0, c0 = _cell(first)
            ws.merge_range(ref, _at(rows, r0, c0))
    wb.close()
    return path


def _cell(ref: str) -> tuple[int, int]:
    letters = "".join(ch for ch in ref if ch.isalpha())
    col = 0
    for ch in letters.upper():
        col = col * 26 + ord(ch) - 64
    return int(ref[len(letters) :]) - 1, col - 1


def _at(rows: Sequence[Sequence[Any]], r: int, c: int) -> Any:
    if r < len(rows) and c < len(rows[r]):
        return rows[r][c]
    return None
