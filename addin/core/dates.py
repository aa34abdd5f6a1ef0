"""Dates as trackers hold them: Excel's date serials, and dates written as text.

Pure functions with no dependency, used by the reader (coercion) and by the writers
(SpreadsheetML cells).
"""

from __future__ import annotations

import datetime as dt
import math
import re

from addin.core.cells import FIRST_DATE

_EXCEL_EPOCH = dt.date(1899, 12, 30).toordinal()
_MAX_SERIAL = 2_958_465  # 9999-12-31
_MIN_SERIAL = 1

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        )
    )
    for m in names
}
#: Month names and their abbreviations (folded) -> month number.
MONTHS = _MONTHS

_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"  # date, then an optional time and zone (text is casefolded)
    r"(?:[t ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?$"
)
_YMD_SLASH = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")
_NUMERIC_DATE = re.compile(
    r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_DAY_MONTH_NAME = re.compile(
    r"^(\d{1,2})(?:st|nd|rd|th)?[\s\-/.]+([a-z]+)\.?,?[\s\-/.]+(\d{4}|\d{2})$"
)
_MONTH_NAME_DAY = re.compile(
    r"^([a-z]+)\.?[\s\-/.]+(\d{1,2})(?:st|nd|rd|th)?,?[\s\-/.]+(\d{4}|\d{2})$"
)
_MONTH_NAME_YEAR = re.compile(r"^([a-z]+)\.?[\s\-/.]+(\d{4})$")


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # Excel's two-digit-year rule: 00-29 -> 2000s, 30-99 -> 1900s
        year += 2000 if year < 30 else 1900
    return year


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    if year < FIRST_DATE.year:  # 0001-01-01 is text to Excel, never a date it can show
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date_text(text: str, *, day_first: bool = True) -> dt.date | None:
    """Parse a date written as text; return None when it is not a date.

    Accepts ISO (``2026-01-31``, with an optional time), ``31/01/2026``,
    ``31/01/26``, ``31-01-2026``, ``31.01.2026`` (day first unless ``day_first``
    is False; a part above 12 settles the order), ``2026/01/31``, ``31 Jan 2026``,
    ``31-Jan-26``, ``Jan 31, 2026`` and ``January 2026`` (the first of the month).
    """
    s = text.strip().casefold()
    if not s or len(s) > 40:
        return None
    m = _ISO.match(s) or _YMD_SLASH.match(s)
    if m:
        return _make_date(int(m[1]), int(m[2]), int(m[3]))
    m = _NUMERIC_DATE.match(s)
    if m:
        a, b, year = int(m[1]), int(m[2]), _year(m[3])
        day, month = (a, b) if day_first else (b, a)
        if month > 12 and day <= 12:
            day, month = month, day
        return _make_date(year, month, day)
    m = _DAY_MONTH_NAME.match(s)
    if m and m[2] in _MONTHS:
        return _make_date(_year(m[3]), _MONTHS[m[2]], int(m[1]))
    m = _MONTH_NAME_DAY.match(s)
    if m and m[1] in _MONTHS:
        return _make_date(_year(m[3]), _MONTHS[m[1]], int(m[2]))
    m = _MONTH_NAME_YEAR.match(s)
    if m and m[1] in _MONTHS:
        return _make_date(int(m[2]), _MONTHS[m[1]], 1)
    return None


def serial_to_date(serial: float) -> dt.date | None:
    """Convert an Excel date serial (1900 system) to a date; None when out of range.

    Serials below 61 follow Excel's calendar, which counts a 29 February 1900 that
    never was: serial 1 is 1 January 1900, and 60 (the phantom day) is refused.
    """
    if not (_MIN_SERIAL <= serial <= _MAX_SERIAL) or math.isnan(serial):
        return None
    whole = int(serial)
    if whole == 60:
        return None
    return dt.date.fromordinal(_EXCEL_EPOCH + whole + (1 if whole < 60 else 0))


def date_to_serial(value: dt.date) -> int:
    """Convert a date to its Excel serial (1900 system)."""
    return value.toordinal() - _EXCEL_EPOCH
