"""Numbers and dates as a slide shows them: ``£21.8m``, ``+3.0%``, ``0.81``, ``20/11/2026``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from addin.checks import date_formatter

_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$", "JPY": "¥", "INR": "₹"}


def money(value: float | None, currency: str) -> str:
    """``£21.8m``, ``£450k``, ``£1.2bn``, ``12,500 CHF``; "—" for none."""
    if value is None:
        return "—"
    symbol = _SYMBOLS.get(currency, "")
    size = abs(value)
    if size >= 1_000_000_000:
        body = f"{value / 1_000_000_000:,.1f}bn"
    elif size >= 1_000_000:
        body = f"{value / 1_000_000:,.1f}m"
    elif size >= 10_000:
        body = f"{value / 1_000:,.0f}k"
    else:
        body = f"{value:,.0f}"
    sign = "-" if body.startswith("-") else ""
    body = body.lstrip("-")
    return f"{sign}{symbol}{body}" if symbol else f"{sign}{body} {currency}"


def ratio(value: float | None) -> str:
    """An index such as SPI or CPI to two decimals; "—" for none."""
    return "—" if value is None else f"{value:.2f}"


def percent(value: float | None, *, signed: bool = False) -> str:
    """A fraction as a percentage (``0.42`` -> ``42%``); "—" for none."""
    if value is None:
        return "—"
    return f"{value * 100:+.1f}%" if signed else f"{value * 100:.0f}%"


def days(value: int | None) -> str:
    """A number of days (``+12 d``); "—" for none."""
    return "—" if value is None else f"{value:+d} d"


def dates(excel_format: str) -> Callable[[dt.date | None], str]:
    """A function showing dates in the settings' format ("—" for none)."""
    show = date_formatter(excel_format)
    return lambda d: "—" if d is None else show(d)


def long_date(d: dt.date) -> str:
    """``20 November 2026``."""
    return f"{d.day} {d:%B %Y}"
