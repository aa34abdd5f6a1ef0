"""The template's cell formats, and where its dropdown lists live."""

from __future__ import annotations

from typing import Any

import xlsxwriter
from xlsxwriter.format import Format

from addin.core.cells import column_letter, quote_sheet
from addin.core.domain import Rag
from addin.core.kinds import KINDS, ValueType
from addin.core.settings import Settings
from addin.ooxml.sheetxml import MAX_CELL_CHARS as MAX_CELL_TEXT

#: Hidden sheet holding dropdown lists too long for an in-cell list (only when needed).
LISTS_SHEET = "Lists"
#: Number formats (dates come from ``settings.date_format``).
MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0%"
INTEGER_FORMAT = "0"
#: Excel's limit on an in-cell dropdown list (``"a,b,c"``).
MAX_LIST_CHARS = 255

_HEADER_BLUE = "#1F4E78"
_LABEL_FILL = "#DDEBF7"
_INPUT_FILL = "#FFF9E5"
_NOTE_GREY = "#595959"
#: Fill of the Reported RAG cell by value.
RAG_FILLS: dict[str, str] = {Rag.RED: "#F8696B", Rag.AMBER: "#FFC000", Rag.GREEN: "#63BE7B"}


class Styles:
    """The cell formats of one workbook, made once and shared."""

    def __init__(
        self, wb: xlsxwriter.Workbook, settings: Settings, version: str | None = None
    ) -> None:
        from addin import TEMPLATE_VERSION

        #: The template version the workbook is written as.
        self.version = version or TEMPLATE_VERSION
        self._wb = wb
        self._cache: dict[tuple[str, ValueType | None], Format] = {}
        self.date_format = settings.date_format
        self.header = wb.add_format(
            {
                "bold": True,
                "font_color": "#FFFFFF",
                "bg_color": _HEADER_BLUE,
                "text_wrap": True,
                "valign": "top",
                "locked": True,
            }
        )
        self.label = wb.add_format(
            {
                "bold": True,
                "bg_color": _LABEL_FILL,
                "border": 1,
                "border_color": "#BFBFBF",
                "valign": "top",
            }
        )
        self.note = wb.add_format(
            {
                "italic": True,
                "font_color": _NOTE_GREY,
                "text_wrap": True,
                "valign": "top",
                "font_size": 9,
            }
        )
        self.title = wb.add_format({"bold": True, "font_size": 16, "font_color": _HEADER_BLUE})
        self.subtitle = wb.add_format({"italic": True, "font_color": _NOTE_GREY})
        self.heading = wb.add_format(
            {
                "bold": True,
                "font_size": 12,
                "font_color": _HEADER_BLUE,
                "bottom": 1,
                "bottom_color": _HEADER_BLUE,
            }
        )
        self.item = wb.add_format({"bold": True, "valign": "top"})
        self.text = wb.add_format({"text_wrap": True, "valign": "top"})
        self.locked_value = wb.add_format(
            {
                "border": 1,
                "border_color": "#BFBFBF",
                "font_color": _NOTE_GREY,
                "valign": "top",
                "locked": True,
            }
        )
        self.rag = {name: wb.add_format({"bg_color": colour}) for name, colour in RAG_FILLS.items()}

    def _number_format(self, kind: ValueType | None) -> str | None:
        return (
            {
                ValueType.DATE: self.date_format,
                ValueType.NUMBER: MONEY_FORMAT,
                ValueType.PERCENT: PERCENT_FORMAT,
                ValueType.INTEGER: INTEGER_FORMAT,
            }.get(kind)
            if kind is not None
            else None
        )

    def body(self, kind: ValueType | None) -> Format:
        """Format of a table body cell of ``kind`` (unlocked); None = pass-through column."""
        key = ("body", kind)
        if key not in self._cache:
            props: dict[str, Any] = {"locked": False, "valign": "top"}
            number_format = self._number_format(kind)
            if number_format:
                props["num_format"] = number_format
            if kind in (ValueType.TEXT, None):
                props["text_wrap"] = True
            self._cache[key] = self._wb.add_format(props)
        return self._cache[key]

    def value(self, kind: ValueType | None) -> Format:
        """Format of a Project value cell of ``kind`` (unlocked input cell)."""
        key = ("value", kind)
        if key not in self._cache:
            props: dict[str, Any] = {
                "locked": False,
                "bg_color": _INPUT_FILL,
                "border": 1,
                "border_color": "#BFBFBF",
                "valign": "top",
                "align": "left",
                "text_wrap": True,
            }
            number_format = self._number_format(kind)
            if number_format:
                props["num_format"] = number_format
            self._cache[key] = self._wb.add_format(props)
        return self._cache[key]


def checked(result: int, what: str) -> None:
    """Raise when XlsxWriter refused something (it returns an error code instead of raising)."""
    if result != 0:
        raise ValueError(f"XlsxWriter refused {what} (code {result})")


class Lists:
    """Where dropdown lists live: in the validation itself, or on a hidden sheet if too long.

    Excel limits an in-cell list to 255 characters and cannot hold a value with a
    comma; such lists go to a hidden :data:`LISTS_SHEET`, written last.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._refs: dict[str, str] = {}
        self._values: dict[str, tuple[str, ...]] = {}
        keys = sorted({f.choices for s in KINDS for f in s.fields if f.choices})
        for key in keys:
            values = settings.allowed.of(key)
            too_long = len(",".join(values)) > MAX_LIST_CHARS
            if too_long or any("," in v or '"' in v for v in values):
                self._hold(key, values)

    def _hold(self, key: str, values: tuple[str, ...]) -> str:
        letter = column_letter(len(self._refs))
        self._refs[key] = f"={quote_sheet(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
        self._values[key] = values
        return self._refs[key]

    def source(self, key: str) -> str | list[str]:
        """Return the validation source of the choice list ``key``."""
        return self._refs.get(key) or list(self._settings.allowed.of(key))

    def named(self, key: str, values: tuple[str, ...]) -> str | list[str]:
        """The validation source of a list that is not a setting: inline, or on the hidden sheet.

        The capacity list's names, the Lessons categories.
        """
        if key in self._refs:
            return self._refs[key]
        if len(",".join(values)) > MAX_LIST_CHARS or any("," in v or '"' in v for v in values):
            return self._hold(key, values)
        return list(values)

    def write(self, wb: xlsxwriter.Workbook) -> None:
        """Add the hidden lists sheet, when any list needs it."""
        if not self._refs:
            return
        ws = wb.add_worksheet(LISTS_SHEET)
        for col, key in enumerate(self._refs):
            ws.write_string(0, col, key)
            for row, value in enumerate(self._values[key], start=1):
                ws.write_string(row, col, value[:MAX_CELL_TEXT])
        ws.hide()
