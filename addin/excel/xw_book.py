"""A live Excel workbook as a :class:`~addin.excel.book.Book`, through xlwings.

Imported only when Excel calls (:func:`addin.excel.ribbon.dispatch` without a
``host``), so nothing else needs xlwings or Excel. Each method is a few xlwings
calls; the decisions (what to mark, what the Validation sheet says) are made by
:mod:`addin.outputs.annotate`, the same as for files.

How a finding is marked in Excel - the same two marks the file backend writes,
so a workbook validated in Excel and one annotated by ``pmo validate --annotate``
look alike, and either one clears the other's marks:

* a **conditional-format rule** whose formula is the always-true marker
  ``="PMO"="PMO"`` with the error or warning fill, on the cell
  (``Range.conditional_formats.add_custom``). The cell's own fill is never
  changed, so there is no previous colour to remember: clearing deletes the
  rules whose formula is the marker and the cell looks as it did. The formula
  has no function names or separators, so it reads back the same in every
  Excel language;
* a **note** (``Range.add_note`` / ``Note.text``) whose text follows the marker
  line ``--- PMO validation ---``, appended after any note the project manager
  wrote; clearing keeps their part.

Both need xlwings 0.37.5 or later (``conditional_formats``, ``add_note`` and
``Sheet.notes`` on Windows and macOS). The marks stay in the open workbook;
saving is left to the user, as for any edit in Excel.

Protected sheets (the template protects its sheets, with no password by default)
refuse new rules and notes. On Windows the protection is lifted through COM
with the template's password (``[template] password`` in ``pmo.toml``) while
marking, and put back with the same permissions when the handler closes the
book. xlwings has no protection API and Excel for Mac's AppleScript differs, so
on macOS a protected sheet gives a message asking to unprotect it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlwings as xw

from addin.core.errors import OutputError
from addin.core.findings import Severity
from addin.core.settings import LimitSettings, Settings
from addin.excel.book import EXCEL_SUFFIXES
from addin.outputs.annotate.marks import (
    MARK_FORMULA,
    NOTE_MARKER,
    VALIDATION_HEADERS,
    VALIDATION_SHEET,
    VALIDATION_TITLE,
    WARNING_FILL,
    Mark,
    strip_note,
    validation_caption,
)
from addin.outputs.palette import FINDING_FILL, HEADER_FILL, HEADER_FONT
from addin.read import Grid, grid_from_values

#: The marker rule's formula as Excel shows it.
RULE_FORMULA = f"={MARK_FORMULA}"
#: Longest message a message box shows in full.
MESSAGE_LIMIT = 1000
#: Rows and columns searched for merged cells (the Project block lives near the top left).
MERGE_SCAN = (200, 60)
_WIDTHS = (9, 16, 7, 18, 30, 80, 20)
_FORMULA_START = ("=", "+", "-", "@")
#: What a protected sheet allows (Excel's ``Protection`` object), restored after marking.
_ALLOWS = (
    "AllowFormattingCells",
    "AllowFormattingColumns",
    "AllowFormattingRows",
    "AllowInsertingColumns",
    "AllowInsertingRows",
    "AllowInsertingHyperlinks",
    "AllowDeletingColumns",
    "AllowDeletingRows",
    "AllowSorting",
    "AllowFiltering",
    "AllowUsingPivotTables",
)


class XwBook:
    """An open workbook in Excel (an ``xw.Book``) as a grid source and annotate target."""

    def __init__(self, book: Any, limits: LimitSettings | None = None) -> None:
        """Wrap an ``xw.Book``."""
        self.book = book
        self.limits = limits or LimitSettings()
        self.password = ""
        #: Sheets whose protection was lifted to mark them -> the Protect arguments to restore.
        self._lifted: dict[str, dict[str, Any]] = {}

    def configure(self, settings: Settings) -> None:
        """Read with the settings' limits; lift protection with the template's password."""
        self.limits = settings.limits
        self.password = settings.template.password

    @property
    def path(self) -> Path | None:
        """The saved file, or None for a new workbook or one only on the web."""
        full = Path(str(self.book.fullname))
        return full if full.is_absolute() and full.is_file() else None

    @property
    def name(self) -> str:
        """The workbook's name."""
        return str(self.book.name)

    # -- reading (GridSource) --

    @property
    def sheet_names(self) -> list[str]:
        """Worksheet names in workbook order."""
        return [str(s.name) for s in self.book.sheets]

    @property
    def worksheets(self) -> list[str]:
        """Worksheet names (xlwings lists only worksheets)."""
        return self.sheet_names

    def grid(self, name: str) -> Grid:
        """The sheet's values from A1 to the last used cell, bounded by the limits."""
        sheet = self.book.sheets[name]
        last = sheet.used_range.last_cell
        rows = min(int(last.row), self.limits.max_rows + 1)
        cols = min(int(last.column), self.limits.max_columns + 1)
        values = sheet.range((1, 1), (rows, cols)).options(ndim=2, err_to_str=True).value
        grid = grid_from_values(name, values or [], self.limits)
        grid.hidden = not sheet.visible
        return grid

    def merged_ranges(self, name: str) -> Sequence[tuple[tuple[int, int], tuple[int, int]]]:
        """Merged areas near the top left of a sheet, 0-based (asked for rarely, by the reader)."""
        sheet = self.book.sheets[name]
        last = sheet.used_range.last_cell
        rows, cols = min(int(last.row), MERGE_SCAN[0]), min(int(last.column), MERGE_SCAN[1])
        found: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {}
        for r in range(1, rows + 1):
            if sheet.range((r, 1), (r, cols)).merge_cells is False:
                continue  # nothing merged in this row (None means "some cells")
            for c in range(1, cols + 1):
                area = sheet.range((r, c)).merge_area
                if area.count > 1 and area.address not in found:
                    found[area.address] = (
                        (area.row - 1, area.column - 1),
                        (area.last_cell.row - 1, area.last_cell.column - 1),
                    )
        return list(found.values())

    # -- writing (Target) --

    # -- sheet protection (Windows) --

    def _editable(self, sheet: Any) -> None:
        """Lift a protected sheet's protection until :meth:`close` (Windows, through COM)."""
        if sys.platform != "win32" or sheet.name in self._lifted:
            return
        api = sheet.api
        if not api.ProtectContents:
            return
        restore: dict[str, Any] = {
            "DrawingObjects": bool(api.ProtectDrawingObjects),
            "Contents": True,
            "Scenarios": bool(api.ProtectScenarios),
            **{name: bool(getattr(api.Protection, name)) for name in _ALLOWS},
        }
        try:
            api.Unprotect(self.password)
        except Exception:
            raise OutputError(_protected(self.name, sheet.name)) from None
        self._lifted[sheet.name] = restore

    def close(self) -> None:
        """Put back the protection lifted for marking, with the same permissions."""
        lifted, self._lifted = self._lifted, {}
        for name, restore in lifted.items():
            self.book.sheets[name].api.Protect(self.password, **restore)

    def clear(self) -> None:
        """Remove our marker rules, our part of every note, and our Validation sheet."""
        for sheet in self.book.sheets:
            rules = sheet.cells.conditional_formats
            ours = [
                i
                for i in range(len(rules))
                if rules[i].type == "custom"
                and (rules[i].formula or "").lstrip("=") == MARK_FORMULA
            ]
            notes = [n for n in sheet.notes if NOTE_MARKER in (n.text or "")]
            if not ours and not notes:
                continue
            self._editable(sheet)
            for i in reversed(ours):
                rules[i].delete()
            for note in notes:
                own = strip_note(note.text or "")
                if own:
                    note.text = own
                else:
                    note.delete()
        for sheet in list(self.book.sheets):
            if sheet.name.startswith(VALIDATION_SHEET) and sheet["A1"].value == VALIDATION_TITLE:
                sheet.delete()

    def mark(self, mark: Mark) -> None:
        """Add the marker rule and our note to one cell."""
        if mark.sheet not in self.sheet_names:
            return
        sheet = self.book.sheets[mark.sheet]
        self._editable(sheet)
        cell = sheet.range((mark.row + 1, mark.col + 1))
        fill = FINDING_FILL if mark.severity is Severity.ERROR else WARNING_FILL
        try:
            cell.conditional_formats.add_custom(RULE_FORMULA, fill_color=fill, stop_if_true=False)
            note = cell.note
            own = strip_note(note.text or "") if note is not None else ""
            text = f"{own}\n\n{NOTE_MARKER}\n{mark.note}" if own else f"{NOTE_MARKER}\n{mark.note}"
            if note is not None:
                note.text = text[:32_000]
            else:
                cell.add_note(text[:32_000])
        except Exception as exc:  # a protected sheet on macOS, a locked workbook ...
            raise OutputError(
                f"{_protected(self.name, mark.sheet)} ({mark.sheet}!{mark.cell}: {exc})"
            ) from None

    def write_sheet(self, rows: Sequence[Sequence[str]], links: Sequence[str | None]) -> None:
        """Add the Validation sheet last: title, header, one row per finding linked to its cell."""
        taken = {n.casefold() for n in self.sheet_names}
        name, n = VALIDATION_SHEET, 2
        while name.casefold() in taken:
            name, n = f"{VALIDATION_SHEET} ({n})", n + 1
        sheets = self.book.sheets
        ws = sheets.add(name, after=sheets[len(sheets) - 1])
        ws["A1"].value = VALIDATION_TITLE
        ws["A1"].font.bold = True
        ws["A1"].font.size = 13
        ws["A2"].value = validation_caption(len(rows))
        header = ws.range((4, 1), (4, len(VALIDATION_HEADERS)))
        header.value = list(VALIDATION_HEADERS)
        header.font.bold = True
        header.font.color = HEADER_FONT
        header.color = HEADER_FILL
        if rows:
            last = 4 + len(rows)
            ws.range((5, 1), (last, 2)).number_format = "@"  # findings are text, never formulas
            ws.range((5, 4), (last, len(VALIDATION_HEADERS))).number_format = "@"
            ws.range((5, 1)).value = [
                _row(row, link) for row, link in zip(rows, links, strict=True)
            ]
        for j, width in enumerate(_WIDTHS, 1):
            ws.range((1, j)).column_width = width

    def save(self) -> None:
        """Leave saving to the user, as for any edit made in Excel."""
        return None


def _protected(book: str, sheet: str) -> str:
    return (
        f"{book}: cannot mark sheet '{sheet}': if it is protected, unprotect it "
        "(Review > Unprotect Sheet), click Validate again, then protect it again"
    )


def _text(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _row(row: Sequence[str], link: str | None) -> list[str]:
    out = [_text(v) if v else "" for v in row]
    if link and row[2]:
        target = link.replace('"', '""')
        out[2] = f'=HYPERLINK("#{target}","{row[2]}")'
    return out


class XwHost:
    """The Excel that called us: message boxes, the status bar, opening files."""

    def __init__(self, book: Any) -> None:
        """Use ``book`` (the workbook active when the button was clicked) and its Excel."""
        self.caller = book
        self.app = book.app

    @classmethod
    def from_caller(cls) -> XwHost:
        """The host of a ``RunPython`` call (``xw.Book.caller()``: the active workbook)."""
        return cls(xw.Book.caller())

    def message(self, text: str) -> None:
        """Show a message box titled PMO."""
        shown = text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 3] + "..."
        self.app.alert(shown, title="PMO")

    def status(self, text: str) -> None:
        """Show text in the status bar; ``""`` gives it back to Excel."""
        self.app.status_bar = text if text else False

    def open(self, path: Path) -> None:
        """Open a workbook in this Excel (and activate it), anything else in its default app."""
        if path.suffix.lower() in EXCEL_SUFFIXES:
            self.app.books.open(str(path)).activate()
            return
        if sys.platform == "win32":
            os.startfile(path)
        elif sys.platform == "darwin":
            subprocess.run(["open", str(path)], check=False)
        else:
            subprocess.run(["xdg-open", str(path)], check=False)

    def active_book(self) -> XwBook | None:
        """The workbook that was active when the button was clicked."""
        return XwBook(self.caller) if self.caller is not None else None
