"""Annotate a workbook file with openpyxl, as ``pmo validate --annotate`` does.

:class:`FileTarget` is the :class:`~addin.outputs.annotate.marks.Target` for files; the
ribbon's live workbook (:mod:`addin.excel.xw_book`) is the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from addin.core.findings import Severity
from addin.outputs.annotate.marks import (
    MARK_FORMULA,
    NOTE_AUTHOR,
    NOTE_MARKER,
    VALIDATION_HEADERS,
    VALIDATION_SHEET,
    VALIDATION_TITLE,
    WARNING_FILL,
    Mark,
    strip_note,
    validation_caption,
)
from addin.outputs.bookfile import BookFile
from addin.outputs.cells import set_text
from addin.outputs.palette import FINDING_FILL, HEADER_FILL, HEADER_FONT


class FileTarget(BookFile):
    """Annotate a workbook file with openpyxl.

    Formulas, styles, data validations, conditional formats, defined names, tables
    and VBA (``.xlsm``) are kept. What openpyxl cannot keep is named before anything is
    written (:attr:`missing`, see :mod:`addin.ooxml.roundtrip`), and every save is
    compared with the original before it replaces anything.

    Attributes:
        original: The file's bytes as loaded: what an in-place save backs up.
        missing: What the workbook holds that an annotated copy would not carry over.
    """

    what = "annotation"

    def __init__(self, path: Path) -> None:
        """Load ``path`` for annotation (``.xlsx`` or ``.xlsm``)."""
        super().__init__(path, marker=NOTE_MARKER)

    def clear(self) -> None:
        """Remove our highlight rules, notes and Validation sheet."""
        from openpyxl.formatting.formatting import ConditionalFormattingList

        for ws in self.book.worksheets:
            kept = ConditionalFormattingList()
            for rng in ws.conditional_formatting:
                for rule in rng.rules:
                    if MARK_FORMULA not in (rule.formula or []):
                        kept.add(str(rng.sqref), rule)
            ws.conditional_formatting = kept
            for row in ws.iter_rows():
                for cell in row:
                    comment = cell.comment
                    if comment is None or NOTE_MARKER not in comment.text:
                        continue
                    own = strip_note(comment.text)
                    cell.comment = None if not own else _comment(own, comment.author or "")
        for ws in list(self.book.worksheets):
            if ws.title.startswith(VALIDATION_SHEET) and ws["A1"].value == VALIDATION_TITLE:
                self.replaced.add(ws.title)
                self.book.remove(ws)

    def mark(self, mark: Mark) -> None:
        """Add a highlight rule and a note on one cell."""
        from openpyxl.formatting.rule import FormulaRule
        from openpyxl.styles import PatternFill

        if mark.sheet not in self.book.sheetnames:
            return
        ws = self.book[mark.sheet]
        colour = (FINDING_FILL if mark.severity is Severity.ERROR else WARNING_FILL).lstrip("#")
        fill = PatternFill(start_color=colour, end_color=colour, fill_type="solid")
        rule = FormulaRule(formula=[MARK_FORMULA], fill=fill, stopIfTrue=False)  # type: ignore[no-untyped-call]
        ws.conditional_formatting.add(mark.cell, rule)
        cell = ws.cell(row=mark.row + 1, column=mark.col + 1)
        existing = cell.comment
        own = strip_note(existing.text) if existing is not None else ""
        text = f"{own}\n\n{NOTE_MARKER}\n{mark.note}" if own else f"{NOTE_MARKER}\n{mark.note}"
        cell.comment = _comment(
            text, existing.author if existing is not None and own else NOTE_AUTHOR
        )

    def write_sheet(self, rows: Sequence[Sequence[str]], links: Sequence[str | None]) -> None:
        """Add the Validation sheet (last): one row per finding, linked to its cell."""
        from openpyxl.styles import Font, PatternFill
        from openpyxl.worksheet.hyperlink import Hyperlink

        name = VALIDATION_SHEET
        n = 2
        while name in self.book.sheetnames:
            name = f"{VALIDATION_SHEET} ({n})"
            n += 1
        ws = self.book.create_sheet(name)
        ws["A1"] = VALIDATION_TITLE
        ws["A1"].font = Font(bold=True, size=13)
        ws["A2"] = validation_caption(len(rows))
        if self.missing:
            lacks = "; ".join(self.missing)
            set_text(ws["A3"], f"Not carried over from {self.path.name}: {lacks}")
        header_fill = PatternFill(
            start_color=HEADER_FILL.lstrip("#"),
            end_color=HEADER_FILL.lstrip("#"),
            fill_type="solid",
        )
        for j, h in enumerate(VALIDATION_HEADERS, 1):
            c = ws.cell(row=4, column=j, value=h)
            c.font = Font(bold=True, color=HEADER_FONT.lstrip("#"))
            c.fill = header_fill
        for i, (row, link) in enumerate(zip(rows, links, strict=True), 5):
            for j, value in enumerate(row, 1):
                c = ws.cell(row=i, column=j)
                set_text(c, value)  # tracker text is never a formula here
            if link:
                # the Cell column links to the cell; a sheet-level finding links from its Sheet
                c = ws.cell(row=i, column=3 if row[2] else 2)
                c.hyperlink = Hyperlink(ref=c.coordinate, location=link, display=str(c.value or ""))
                c.font = Font(color="0563C1", underline="single")
        for j, width in enumerate((9, 16, 7, 18, 30, 80, 20), 1):
            ws.column_dimensions[ws.cell(row=4, column=j).column_letter].width = width
        ws.freeze_panes = "A5"
        if rows:
            ws.auto_filter.ref = f"A4:G{4 + len(rows)}"
        # Printing: landscape, one page wide, the header row on every page.
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = "4:4"


def _comment(text: str, author: str) -> Any:
    from openpyxl.comments import Comment

    comment = Comment(text[:32_000], author or NOTE_AUTHOR)
    comment.width, comment.height = 320, 140
    return comment
