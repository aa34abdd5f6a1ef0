"""Turn raw cell values into typed field values, tolerating the drift real trackers have.

Each ``coerce_*`` function takes one column's raw values (as the workbook library
returns them: ``str``, ``float``, ``int``, ``bool``, ``date``, ``datetime``,
``time``, or ``""``/``None`` for blank) and returns the typed values plus the
indexes that could not be read, with the rule id that says why. Nothing here
raises on bad input: a value that cannot be coerced becomes ``None`` and a
problem entry, which the reader turns into a finding at its cell.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from addin.core.dates import date_to_serial, parse_date_text, serial_to_date
from addin.core.kinds import ValueType as Kind
from addin.core.lang import plain
from addin.core.rules import RuleId

__all__ = ["date_to_serial", "parse_date_text", "serial_to_date"]  # with the coercers below

#: Problems found while coercing one column: row index -> rule id.
Problems = dict[int, RuleId]

#: Currency symbols and the ISO codes trackers commonly write beside amounts.
_CURRENCY = re.compile(
    r"[£$€¥₹₩₽¢]|\b(?:GBP|USD|EUR|JPY|CHF|AUD|CAD|NZD|INR|CNY|SEK|NOK|DKK|ZAR|SGD|HKD|PLN)\b",
    re.IGNORECASE,
)
_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9}
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$")
#: 1.234,50 / 1.234.567 / 12,5 - dots group thousands and a comma marks decimals.
_EURO_STYLE = re.compile(
    r"^[+-]?[1-9]\d{0,2}(?:\.\d{3})+,\d+$|^[+-]?[1-9]\d{0,2}(?:\.\d{3}){2,}$|^[+-]?\d+,\d{1,2}$"
)
#: 1,234 / 12,345.67 - commas group thousands in threes.
_COMMA_GROUPS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")


def parse_number_text(text: str) -> float | None:
    """Parse a number written as text, with currency symbols and separators; None if not.

    Accepts ``1234.5``, ``1,234.50``, ``£12,500``, ``$ 1 200``, ``EUR 300``,
    ``(1,200)`` (negative), ``-5``, ``12.5k`` and ``1.2m``, and European
    ``1.234,50``.
    """
    s = text.strip()
    if not s or len(s) > 60:
        return None
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    s = (
        _CURRENCY.sub("", plain(s))
        .replace("\u00a0", "")
        .replace(" ", "")
        .replace("'", "")
        .replace("\u2009", "")
    )
    if s.startswith("-") and s[1:].startswith("-"):
        return None
    scale = 1.0
    low = s.casefold()
    for suffix in ("bn", "mn", "k", "m", "b"):
        if low.endswith(suffix) and len(low) > len(suffix):
            scale, s = _SCALES[suffix], s[: -len(suffix)]
            break
    if _EURO_STYLE.match(s):
        s = s.replace(".", "").replace(",", ".")
    elif "," in s:
        if not _COMMA_GROUPS.match(s):
            return None  # "1,2,3" is not a number
        s = s.replace(",", "")
    if not _NUMBER.match(s.casefold()):
        return None
    value = float(s) * scale
    if math.isinf(value) or math.isnan(value):
        return None
    return -value if negative else value


def _blank(v: Any) -> bool:
    return v is None or v == "" or (isinstance(v, str) and not v.strip())


#: Marks a value the one-pass column comprehensions leave to the value-by-value rules.
_PENDING: Any = object()
_NONE = type(None)
_STR, _STR_OR_NONE = frozenset({str}), frozenset({str, _NONE})


def coerce_text(values: Sequence[Any]) -> tuple[list[Any], Problems]:
    """Text: strip; numbers lose a ``.0``; dates become ISO text; blanks become None."""
    kinds = set(map(type, values))
    if kinds <= _STR:  # the usual column: text only (blank cells are "")
        stripped = list(map(str.strip, values))
        return ([s or None for s in stripped] if "" in stripped else stripped), {}
    if kinds <= _STR_OR_NONE:
        return [None if v is None else v.strip() or None for v in values], {}
    out: list[Any] = []
    for v in values:
        t = type(v)
        if t is str:
            s = v.strip()
            out.append(s or None)
        elif v is None:
            out.append(None)
        elif t is float:
            out.append(str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v))
        elif t is int:
            out.append(str(v))
        elif t is bool:
            out.append("TRUE" if v else "FALSE")
        elif isinstance(v, dt.datetime):
            out.append(v.date().isoformat() if v.time() == dt.time() else v.isoformat(" "))
        elif isinstance(v, dt.date | dt.time):
            out.append(v.isoformat())
        else:
            out.append(str(v).strip() or None)
    return out, {}


#: Serials before this (1 January 1901) are numbers of weeks or days, not dates in 1900.
_FIRST_PLAUSIBLE_SERIAL = 367


def _date_of(v: Any, day_first: bool) -> tuple[dt.date | None, bool]:
    """One cell as a date, and whether it is a problem (see :func:`coerce_date`)."""
    t = type(v)
    if t is dt.date:
        return v, False
    if t is dt.datetime:
        return v.date(), False
    if v is None or v == "":
        return None, False
    if t is float or t is int:
        if v < _FIRST_PLAUSIBLE_SERIAL:  # a week or day number, not a date in 1900
            return None, True
        d = serial_to_date(v)
        return d, d is None
    if t is str:
        if not v.strip():
            return None, False
        d = parse_date_text(v, day_first=day_first)
        return d, d is None
    return None, True


def coerce_date(values: Sequence[Any], *, day_first: bool = True) -> tuple[list[Any], Problems]:
    """Dates: real dates, datetimes, Excel serials and text dates (see :func:`parse_date_text`)."""
    date, tp = dt.date, type
    # One pass for real dates and blanks; anything else is settled cell by cell.
    out = [v if tp(v) is date else None if v is None or v == "" else _PENDING for v in values]
    bad: Problems = {}
    if _PENDING in out:
        for i, v in enumerate(out):
            if v is _PENDING:
                out[i], problem = _date_of(values[i], day_first)
                if problem:
                    bad[i] = RuleId.VALUE_NOT_A_DATE
    return out, bad


def _number_of(v: Any) -> tuple[float | None, bool]:
    """One cell as a number, and whether it is a problem (see :func:`coerce_number`)."""
    t = type(v)
    if t is float:
        if math.isnan(v) or math.isinf(v):
            return None, True
        return v, False
    if t is int:
        return float(v), False
    if v is None or v == "":
        return None, False
    if t is str:
        if not v.strip():
            return None, False
        n = parse_number_text(v)
        return n, n is None
    return None, True


def coerce_number(values: Sequence[Any]) -> tuple[list[Any], Problems]:
    """Numbers: floats, ints, and text with currency symbols or separators."""
    # One pass for finite floats (v - v is 0.0 only for those) and blanks; the rest cell by cell.
    out = [
        v if type(v) is float and v - v == 0.0 else None if v is None or v == "" else _PENDING
        for v in values
    ]
    bad: Problems = {}
    if _PENDING in out:
        for i, v in enumerate(out):
            if v is _PENDING:
                out[i], problem = _number_of(values[i])
                if problem:
                    bad[i] = RuleId.VALUE_NOT_A_NUMBER
    return out, bad


#: The five-point words read when no table is given (the settings' defaults are wider).
_SCORE_WORDS = {
    "very low": 1,
    "low": 2,
    "medium": 3,
    "med": 3,
    "moderate": 3,
    "high": 4,
    "very high": 5,
}
_LEADING_INT = re.compile(r"^\s*([1-5])\s*(?:[-–:(]|$)")
_TRAILING_INT = re.compile(r"\(\s*([1-5])\s*\)\s*$")


def scale_word(text: str) -> str:
    """A scale word as looked up: zero-width characters and accents dropped, case folded."""
    return " ".join(plain(text).split()).casefold()


def coerce_integer(
    values: Sequence[Any], scale: Mapping[str, int] | None = None
) -> tuple[list[Any], Problems]:
    """Whole numbers such as Probability and Impact (1-5).

    Also reads ``"3 - Medium"``, ``"High (4)"`` and scale words through ``scale`` (folded
    word -> number, see :func:`scale_word`; by default Very Low, Low, Medium, High, Very
    High as 1-5). A fractional number is a problem.
    """
    words = _SCORE_WORDS if scale is None else scale
    numbers, bad = coerce_number(values)
    out: list[Any] = []
    for i, n in enumerate(numbers):
        if n is None:
            raw = values[i]
            if i in bad and isinstance(raw, str):
                text = scale_word(raw)
                m = _LEADING_INT.match(text) or _TRAILING_INT.search(text)
                word = words.get(text)
                if m or word:
                    out.append(int(m[1]) if m else word)
                    del bad[i]
                    continue
            out.append(None)
        elif float(n).is_integer():
            out.append(int(n))
        else:
            out.append(None)
            bad[i] = RuleId.VALUE_NOT_A_NUMBER
    return out, bad


def coerce_percent(values: Sequence[Any]) -> tuple[list[Any], Problems]:
    """Percentages as fractions 0-1, read per column.

    ``"50%"`` is always 0.5. Bare numbers are read as percents (``50``) when most
    of the column's positive numbers are above 1, else as fractions (``0.5``), so a
    column of ``0, 25, 50, 100`` and one of ``0, 0.25, 0.5, 1`` read the same, and
    one stray ``1.5`` in a column of fractions is reported as 150 % rather than
    turning the whole column into percents. Values outside 0-100 % come back as
    they are; the model's range check reports them.
    """
    raw: list[float | None] = []
    explicit: list[bool] = []
    bad: Problems = {}
    for i, v in enumerate(values):
        t = type(v)
        if t is float or t is int:
            raw.append(float(v))
            explicit.append(False)
        elif v is None or v == "":
            raw.append(None)
            explicit.append(False)
        elif t is str:
            s = v.strip().replace("\u00a0", "")
            if not s:
                raw.append(None)
                explicit.append(False)
                continue
            pct = s.endswith("%")
            n = parse_number_text(s[:-1] if pct else s)
            if n is None:
                raw.append(None)
                explicit.append(False)
                bad[i] = RuleId.VALUE_NOT_A_PERCENT
            else:
                raw.append(n / 100 if pct else n)
                explicit.append(pct)
        else:
            raw.append(None)
            explicit.append(False)
            bad[i] = RuleId.VALUE_NOT_A_PERCENT
    bare = [n for n, e in zip(raw, explicit, strict=True) if n is not None and not e and n > 0]
    hundreds = sum(1 for n in bare if n > 1) * 2 > len(bare)
    out = [
        None if n is None else (n / 100 if hundreds and not e else n)
        for n, e in zip(raw, explicit, strict=True)
    ]
    return out, bad


def coerce_fraction(values: Sequence[Any]) -> tuple[list[Any], Problems]:
    """Shares such as FTE: numbers as written (``0.5``, ``3`` = 300 %), text may say ``50%``.

    Unlike :func:`coerce_percent`, a bare number is never read as a percent: a column
    of ``1, 2, 3`` FTE is three people, and a person's ``50`` is reported as 5,000 %
    rather than quietly read as half time.
    """
    out: list[Any] = []
    bad: Problems = {}
    for i, v in enumerate(values):
        if isinstance(v, str) and v.strip().replace("\u00a0", "").endswith("%"):
            n = parse_number_text(v.strip().replace("\u00a0", "")[:-1])
            out.append(None if n is None else n / 100)
            if n is None:
                bad[i] = RuleId.VALUE_NOT_A_PERCENT
            continue
        number, problem = _number_of(v)
        out.append(number)
        if problem:
            bad[i] = RuleId.VALUE_NOT_A_PERCENT
    return out, bad


def choice_index(
    allowed: Sequence[str], synonyms: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Map folded spellings (case, spaces, hyphens) to the canonical allowed value."""
    index: dict[str, str] = {}
    for value in allowed:
        index[_fold(value)] = value
    for alias, canonical in (synonyms or {}).items():
        if canonical in allowed:
            index.setdefault(_fold(alias), canonical)
    return index


def _fold(text: str) -> str:
    return " ".join(plain(text).replace("-", " ").replace("_", " ").split()).casefold()


def _choice_of(v: Any, index: Mapping[str, str]) -> tuple[str | None, bool]:
    """One cell as an allowed value, and whether it is a problem (see :func:`coerce_choice`)."""
    if v is None or v == "":
        return None, False
    text = v if isinstance(v, str) else coerce_text([v])[0][0]
    if text is None or not text.strip():
        return None, False
    canonical = index.get(_fold(text))
    return canonical, canonical is None


def coerce_choice(values: Sequence[Any], index: Mapping[str, str]) -> tuple[list[Any], Problems]:
    """Dropdown values: matched case- and space-insensitively, synonyms mapped to canonical."""
    if set(map(type, values)) <= _STR:  # text only: settle each spelling once
        seen = {v: _choice_of(v, index) for v in set(values)}
        out = [seen[v][0] for v in values]
        if not any(refused for _, refused in seen.values()):
            return out, {}
        return out, {i: RuleId.VALUE_NOT_ALLOWED for i, v in enumerate(values) if seen[v][1]}
    out = []
    bad: Problems = {}
    seen = {}  # a column repeats a handful of spellings
    for i, v in enumerate(values):
        if type(v) is str:
            hit = seen.get(v)
            if hit is None:
                hit = seen[v] = _choice_of(v, index)
        else:
            hit = _choice_of(v, index)
        out.append(hit[0])
        if hit[1]:
            bad[i] = RuleId.VALUE_NOT_ALLOWED
    return out, bad


def coercer(
    kind: Kind,
    *,
    day_first: bool,
    index: Mapping[str, str] | None,
    scale: Mapping[str, int] | None = None,
) -> Callable[[Sequence[Any]], tuple[list[Any], Problems]]:
    """Return the column coercion function for a field kind (``scale``: words of 1-5)."""
    if kind is Kind.DATE:
        return lambda values: coerce_date(values, day_first=day_first)
    if kind is Kind.NUMBER:
        return coerce_number
    if kind is Kind.INTEGER:
        return lambda values: coerce_integer(values, scale)
    if kind is Kind.PERCENT:
        return coerce_percent
    if kind is Kind.CHOICE:
        choices = index or {}
        return lambda values: coerce_choice(values, choices)
    return coerce_text
