"""Cell-value coercion (addin/read/coerce.py) against TRACKER_SPEC v1 "Tolerated drift".

Each coercer takes one column of raw cell values and returns ``(values, problems)``,
where problems maps a row index to a stable rule id. Nothing may raise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from addin.core.settings import Settings
from addin.read.coerce import (
    choice_index,
    coerce_choice,
    coerce_date,
    coerce_integer,
    coerce_number,
    coerce_percent,
    coerce_text,
    date_to_serial,
    parse_date_text,
    parse_number_text,
    serial_to_date,
)

FAST = hsettings(max_examples=200, deadline=None, derandomize=True)
NOT_A_DATE, NOT_A_NUMBER = "value.not_a_date", "value.not_a_number"
NOT_A_PERCENT, NOT_ALLOWED = "value.not_a_percent", "value.not_allowed"
PROBLEM_IDS = {NOT_A_DATE, NOT_A_NUMBER, NOT_A_PERCENT, NOT_ALLOWED}

d = dt.date


def one(coerce: Any, value: Any, **kw: Any) -> tuple[Any, str | None]:
    """Coerce a single cell: (value, problem id or None)."""
    out, problems = coerce([value], **kw)
    assert set(problems) <= {0}
    return out[0], problems.get(0)


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # real Excel dates and datetimes
        (d(2026, 1, 31), d(2026, 1, 31)),
        (dt.datetime(2026, 1, 31, 0, 0), d(2026, 1, 31)),
        (dt.datetime(2026, 1, 31, 17, 45, 12), d(2026, 1, 31)),
        # serials (1900 system): 45658 = 1 Jan 2025, 46000 = 9 Dec 2025 (45658 + 342 days)
        (45658, d(2025, 1, 1)),
        (45658.0, d(2025, 1, 1)),
        (46000, d(2025, 12, 9)),
        (46000.75, d(2025, 12, 9)),  # time of day dropped
        (46053, d(2026, 1, 31)),  # 46000 + 53: 9 Dec + 53 d = 31 Jan 2026
        # ISO text
        ("2026-01-31", d(2026, 1, 31)),
        ("2026-1-5", d(2026, 1, 5)),
        ("2026-01-31 10:30", d(2026, 1, 31)),
        ("2026-01-31 10:30:15", d(2026, 1, 31)),
        ("2026-01-31T10:30:15", d(2026, 1, 31)),  # ISO 8601 datetime text, "T" separator
        ("  2026-01-31  ", d(2026, 1, 31)),
        ("2026/01/31", d(2026, 1, 31)),
        # dd/mm/yyyy and dd/mm/yy, day first by default
        ("31/01/2026", d(2026, 1, 31)),
        ("03/01/2026", d(2026, 1, 3)),
        ("3/1/2026", d(2026, 1, 3)),
        ("31/1/2026", d(2026, 1, 31)),
        ("31-01-2026", d(2026, 1, 31)),
        ("31.01.2026", d(2026, 1, 31)),
        ("31/01/26", d(2026, 1, 31)),
        ("03/01/26", d(2026, 1, 3)),
        ("01/02/99", d(1999, 2, 1)),
        ("29/02/2028", d(2028, 2, 29)),  # leap year
        # a part above 12 settles the order whatever the default
        ("13/01/2026", d(2026, 1, 13)),
        ("01/13/2026", d(2026, 1, 13)),
        ("12/31/2026", d(2026, 12, 31)),
        # month names
        ("31 Jan 2026", d(2026, 1, 31)),
        ("31 January 2026", d(2026, 1, 31)),
        ("31-Jan-26", d(2026, 1, 31)),
        ("31-JAN-2026", d(2026, 1, 31)),
        ("3rd March 2026", d(2026, 3, 3)),
        ("1st Sept 2026", d(2026, 9, 1)),
        ("Jan 31, 2026", d(2026, 1, 31)),
        ("March 3 2026", d(2026, 3, 3)),
        ("January 2026", d(2026, 1, 1)),
        # blanks are None without a problem
        (None, None),
        ("", None),
        ("   ", None),
    ],
)
def test_date_values(raw: Any, expected: dt.date | None) -> None:
    assert one(coerce_date, raw) == (expected, None)


@pytest.mark.parametrize(
    ("raw", "day_first", "expected"),
    [
        ("03/01/2026", True, d(2026, 1, 3)),
        ("03/01/2026", False, d(2026, 3, 1)),
        ("01/02/26", True, d(2026, 2, 1)),
        ("01/02/26", False, d(2026, 1, 2)),
        ("12/11/2026", True, d(2026, 11, 12)),
        ("12/11/2026", False, d(2026, 12, 11)),
        # a part > 12 settles the order either way
        ("13/01/2026", False, d(2026, 1, 13)),
        ("01/13/2026", True, d(2026, 1, 13)),
        ("31/12/2026", False, d(2026, 12, 31)),
        # unambiguous forms do not depend on the setting
        ("2026-03-01", False, d(2026, 3, 1)),
        ("1 Mar 2026", False, d(2026, 3, 1)),
    ],
)
def test_date_order_setting(raw: str, day_first: bool, expected: dt.date) -> None:
    assert one(coerce_date, raw, day_first=day_first) == (expected, None)


@pytest.mark.parametrize(
    "raw",
    [
        "abc",
        "TBC",
        "n/a",
        "32/01/2026",
        "31/02/2026",
        "29/02/2026",  # not a leap year
        "13/13/2026",
        "2026-02-30",
        "2026-13-01",
        "0001-01-01",  # before 1900: Excel cannot show it as a date
        "31/12/1899",
        "Smarch 3 2026",
        "31 Foo 2026",
        "Q3 2026",
        "2026",
        "12.5",
        0,  # before serial 1
        -5,
        3_000_000,  # past 31 Dec 9999
        float("nan"),
        float("inf"),
        True,
        dt.time(9, 30),
    ],
)
def test_not_a_date(raw: Any) -> None:
    assert one(coerce_date, raw) == (None, NOT_A_DATE)


def test_date_column_keeps_positions() -> None:
    values = [d(2026, 1, 2), "junk", None, "02/01/2026", 46000, "", "31/02/2026"]
    assert coerce_date(values) == (
        [d(2026, 1, 2), None, None, d(2026, 1, 2), d(2025, 12, 9), None, None],
        {1: NOT_A_DATE, 6: NOT_A_DATE},
    )


@FAST
@given(st.dates(d(1901, 1, 1), d(9999, 12, 31)))
def test_serial_round_trip(value: dt.date) -> None:
    assert serial_to_date(date_to_serial(value)) == value
    assert one(coerce_date, float(date_to_serial(value))) == (value, None)


@pytest.mark.parametrize("week", [1, 12.0, 52, 366])
def test_a_week_number_is_no_date_in_1900(week: float) -> None:
    """Issue 12: WEEK 1..12 in a budget's period column were read as January 1900."""
    assert one(coerce_date, week) == (None, NOT_A_DATE)


@FAST
@given(st.dates(d(1900, 1, 1), d(9999, 12, 31)))
def test_iso_text_parses_back(value: dt.date) -> None:
    assert parse_date_text(value.isoformat()) == value


@FAST
@given(st.dates(d(1900, 1, 1), d(9999, 12, 31)))
def test_dd_mm_yyyy_text_parses_back(value: dt.date) -> None:
    text = f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    assert parse_date_text(text) == value
    assert parse_date_text(f"{value.day}/{value.month}/{value.year}") == value
    us = f"{value.month:02d}/{value.day:02d}/{value.year:04d}"
    assert parse_date_text(us, day_first=False) == value


# --- numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (12, 12.0),
        (12.5, 12.5),
        (-3, -3.0),
        ("1234.5", 1234.5),
        ("  42 ", 42.0),
        ("-5", -5.0),
        ("+5", 5.0),
        (".5", 0.5),
        ("1e3", 1000.0),
        # thousands separators
        ("1,234", 1234.0),
        ("1,234.50", 1234.5),
        ("1,234,567.89", 1234567.89),
        ("1 200", 1200.0),
        ("1\u00a0200", 1200.0),
        # currency symbols and codes
        ("£12,500", 12500.0),
        ("£ 12,500", 12500.0),
        ("$1,200", 1200.0),
        ("$ 1 200", 1200.0),
        ("€300", 300.0),
        ("EUR 300", 300.0),
        ("1,200 GBP", 1200.0),
        ("-£1,200", -1200.0),
        # accounting negatives
        ("(1,200)", -1200.0),
        ("(£1,200)", -1200.0),
        ("(5)", -5.0),
        # scale suffixes
        ("12.5k", 12500.0),
        ("12.5K", 12500.0),
        ("£1.2m", 1_200_000.0),
        ("3bn", 3_000_000_000.0),
        # European style
        ("1.234,50", 1234.5),
        ("€1.234.567,89", 1234567.89),
        ("12,5", 12.5),
        # plain decimals with three places are decimals, not thousands
        ("0.125", 0.125),
        # blanks
        (None, None),
        ("", None),
        ("  ", None),
    ],
)
def test_number_values(raw: Any, expected: float | None) -> None:
    value, problem = one(coerce_number, raw)
    assert problem is None
    assert value == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize(
    "raw",
    [
        "junk",
        "TBC",
        "n/a",
        "-",
        "£",
        "()",
        "--5",
        "1..2",
        "12%",
        "1,2,3",  # not thousands groups
        "5 abc",  # trailing junk is not a currency
        "k",
        "nan",
        "inf",
        "1e400",
        float("nan"),
        float("inf"),
        True,
        d(2026, 1, 1),
    ],
)
def test_not_a_number(raw: Any) -> None:
    assert one(coerce_number, raw) == (None, NOT_A_NUMBER)


money = st.integers(0, 10**11)  # in pence/cents, up to a billion


@FAST
@given(
    cents=money,
    symbol=st.sampled_from(["£", "$", "€", "£ ", "$ ", "€ ", "GBP ", "USD ", "EUR "]),
    negative=st.sampled_from(["", "-", "()"]),
)
def test_formatted_money_parses_back(cents: int, symbol: str, negative: str) -> None:
    amount = cents / 100
    body = f"{symbol}{amount:,.2f}"
    text = f"({body})" if negative == "()" else f"{negative}{body}"
    expected = -amount if negative else amount
    assert parse_number_text(text) == pytest.approx(expected)
    # the symbol or code after the amount ("1,234.50 GBP", "1,234.50 €") reads the same
    assert parse_number_text(f"{amount:,.2f} {symbol.strip()}") == pytest.approx(amount)


@FAST
@given(st.integers(-(10**12), 10**12))
def test_whole_numbers_with_thousands_separators_parse_back(n: int) -> None:
    assert parse_number_text(f"{n:,}") == n
    assert parse_number_text(f"£{n:,}" if n >= 0 else f"-£{-n:,}") == n


# --- percents ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        # fractions 0-1
        ([0, 0.25, 0.5, 1], [0.0, 0.25, 0.5, 1.0]),
        ([0.5], [0.5]),
        ([1], [1.0]),
        # 0-100: most of the column's positive bare numbers are above 1
        ([0, 25, 50, 100], [0.0, 0.25, 0.5, 1.0]),
        ([50], [0.5]),
        ([1, 50, 75], [0.01, 0.5, 0.75]),
        ([0.5, 50, 75], [0.005, 0.5, 0.75]),  # one column, one rule
        # a stray value above 1 in a column of fractions stays itself (reported as out of range)
        ([1, 0.5, 1.5], [1.0, 0.5, 1.5]),
        ([1, 50], [1.0, 50.0]),  # a tie is read as fractions
        # text with % is always a percent
        (["50%"], [0.5]),
        (["50 %", " 25% "], [0.5, 0.25]),
        (["100%", "0%"], [1.0, 0.0]),
        (["12.5%"], [0.125]),
        (["50%", 0.25], [0.5, 0.25]),
        (["50%", 25], [0.5, 0.25]),
        # numbers as text follow the column rule too
        (["0.5", "1"], [0.5, 1.0]),
        (["50", "100"], [0.5, 1.0]),
        # blanks
        ([None, "", 0.5], [None, None, 0.5]),
    ],
)
def test_percent_columns(column: list[Any], expected: list[float | None]) -> None:
    values, problems = coerce_percent(column)
    assert problems == {}
    assert values == [pytest.approx(e) if e is not None else None for e in expected]


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        # a decimal written with three places is that decimal, not thousands
        (["12.125%"], [0.12125]),
        (["0.125"], [0.125]),
    ],
)
def test_percent_decimals(column: list[Any], expected: list[float]) -> None:
    values, problems = coerce_percent(column)
    assert problems == {}
    assert values == pytest.approx(expected)


@pytest.mark.parametrize("raw", ["half", "x%", "%", "TBC", True, d(2026, 1, 1)])
def test_not_a_percent(raw: Any) -> None:
    assert one(coerce_percent, raw) == (None, NOT_A_PERCENT)


@FAST
@example([25, 1, 50])
@given(
    st.lists(st.one_of(st.none(), st.integers(0, 100)), min_size=1, max_size=12).filter(
        lambda xs: (
            sum(1 for x in xs if x is not None and x > 1) * 2
            > sum(1 for x in xs if x is not None and x > 0)
        )
    )
)
def test_percent_columns_read_the_same_in_every_representation(hundreds: list[int | None]) -> None:
    # The same progress as 0-1 fractions, as 0-100 numbers and as "n%" text. (A column
    # whose positive 0-100 numbers are mostly 1 is read as fractions by the column rule,
    # hence the filter.)
    expected = [None if x is None else pytest.approx(x / 100) for x in hundreds]
    fractions = [None if x is None else x / 100 for x in hundreds]
    texts = [None if x is None else f"{x}%" for x in hundreds]
    number_texts = [None if x is None else str(x) for x in hundreds]
    for column in (fractions, hundreds, texts, number_texts):
        values, problems = coerce_percent(column)
        assert (values, problems) == (expected, {})


# --- integers (Probability, Impact) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1, 1),
        (5, 5),
        (3.0, 3),
        ("3", 3),
        (" 4 ", 4),
        ("Very Low", 1),
        ("low", 2),
        ("Medium", 3),
        ("HIGH", 4),
        ("very  high", 5),
        ("3 - Medium", 3),
        ("4: High", 4),
        ("High (4)", 4),
        (None, None),
        ("", None),
    ],
)
def test_integer_values(raw: Any, expected: int | None) -> None:
    value, problem = one(coerce_integer, raw)
    assert (value, problem) == (expected, None)
    assert value is None or type(value) is int


@pytest.mark.parametrize("raw", [2.5, "2.5", "three-ish", "x", True])
def test_not_an_integer(raw: Any) -> None:
    assert one(coerce_integer, raw) == (None, NOT_A_NUMBER)


# --- choices -----------------------------------------------------------------------------------

SETTINGS = Settings()


def index(key: str) -> dict[str, str]:
    return choice_index(SETTINGS.allowed.of(key), SETTINGS.values.of(key))


@pytest.mark.parametrize(
    ("key", "raw", "expected"),
    [
        ("rag", "Red", "Red"),
        ("rag", "red", "Red"),
        ("rag", "  AMBER ", "Amber"),
        ("rag", "R", "Red"),
        ("rag", "a", "Amber"),
        ("rag", "g", "Green"),
        ("rag", "Yellow", "Amber"),
        ("task_status", "in progress", "In Progress"),
        ("task_status", "In   Progress", "In Progress"),
        ("task_status", "IN\nPROGRESS", "In Progress"),
        ("task_status", "not-started", "Not Started"),
        ("task_status", "Done", "Complete"),
        ("task_status", "WIP", "In Progress"),
        ("task_status", "on-hold", "On Hold"),
        ("task_status", "canceled", "Cancelled"),
        ("milestone_status", "complete", "Achieved"),
        ("milestone_status", "at risk", "At Risk"),
        ("raid_type", "i", "Issue"),
        ("raid_type", "risk", "Risk"),
        ("raid_status", "resolved", "Closed"),
        ("raid_status", "In Progress", "Mitigating"),
        ("severity", "med", "Medium"),
        ("severity", "very high", "Critical"),
        ("phase", "execution", "Execution"),
        ("phase", "Plan", "Planning"),
        ("phase", None, None),
        ("phase", "", None),
    ],
)
def test_choice_values(key: str, raw: Any, expected: str | None) -> None:
    assert one(coerce_choice, raw, index=index(key)) == (expected, None)


@pytest.mark.parametrize(
    ("key", "raw"),
    [
        ("rag", "Purple"),
        ("rag", "X"),
        ("rag", 1),
        ("task_status", "Achieved"),
        ("milestone_status", "Cancelled"),
        ("severity", "Extreme"),
        ("raid_type", "Opportunity"),
    ],
)
def test_choice_not_allowed(key: str, raw: Any) -> None:
    assert one(coerce_choice, raw, index=index(key)) == (None, NOT_ALLOWED)


def test_every_synonym_in_settings_maps_to_its_value() -> None:
    for key in (
        "rag",
        "task_status",
        "milestone_status",
        "raid_status",
        "raid_type",
        "severity",
        "phase",
    ):
        synonyms = SETTINGS.values.of(key)
        assert synonyms, key
        values, problems = coerce_choice(list(synonyms), index(key))
        assert (values, problems) == (list(synonyms.values()), {}), key


# --- text --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Alice ", "Alice"),
        ("", None),
        ("   ", None),
        (None, None),
        (1.0, "1"),
        (42.0, "42"),
        (-7.0, "-7"),
        (2.5, "2.5"),
        (12, "12"),
        (True, "TRUE"),
        (d(2026, 1, 31), "2026-01-31"),
    ],
)
def test_text_values(raw: Any, expected: str | None) -> None:
    assert coerce_text([raw]) == ([expected], {})


# --- nothing raises ----------------------------------------------------------------------------

cell = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.floats(allow_nan=True, allow_infinity=True),
    # numbers a workbook cell can hold (a double's range)
    st.integers(min_value=-(10**300), max_value=10**300),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.sampled_from(["31/01/2026", "£1,200", "50%", "(3)", "12.5k", "Jan 2026", "High (4)"]),
)


@FAST
@given(column=st.lists(cell, max_size=15), day_first=st.booleans())
def test_coercion_never_raises(column: list[Any], day_first: bool) -> None:
    coercers: dict[str, Callable[[list[Any]], tuple[list[Any], dict[int, str]]]] = {
        "date": lambda vs: coerce_date(vs, day_first=day_first),
        "number": coerce_number,
        "integer": coerce_integer,
        "percent": coerce_percent,
        "text": coerce_text,
        "choice": lambda vs: coerce_choice(vs, index("task_status")),
    }
    for name, coerce in coercers.items():
        values, problems = coerce(column)
        assert len(values) == len(column), name
        assert set(problems) <= set(range(len(column))), name
        assert set(problems.values()) <= PROBLEM_IDS, name
        assert all(values[i] is None for i in problems), name


@FAST
@given(st.text(max_size=60))
def test_text_parsers_never_raise(text: str) -> None:
    for day_first in (True, False):
        value = parse_date_text(text, day_first=day_first)
        assert value is None or isinstance(value, dt.date)
    number = parse_number_text(text)
    assert number is None or isinstance(number, float)
