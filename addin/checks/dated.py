"""The rules that depend on the day of the run: a Status Date in the future, or stale.

Kept apart from the registered checks so that everything else can be cached between
runs; these are recomputed on every run from the Status Date and its cell.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from addin.checks.context import date_formatter
from addin.core.findings import Finding
from addin.core.rules import RuleBook, RuleId
from addin.core.settings import Settings


def dated_findings(
    file: str,
    status_date: dt.date | None,
    where: tuple[str, int | None, int | None],
    settings: Settings,
    as_of: dt.date,
    rules: RuleBook,
) -> list[Finding]:
    """Status Date in the future, or older than ``rag.stale_days`` at ``as_of``.

    Args:
        file: The tracker's path.
        status_date: Its Status Date (None: nothing to check).
        where: (sheet, row, col) of the Status Date cell.
        settings: Effective settings (stale age, date format).
        as_of: The run's date.
        rules: The run's rule book.
    """
    if status_date is None:
        return []
    show = date_formatter(settings.date_format)
    sheet_name, row, col = where
    common: dict[str, Any] = {
        "file": file,
        "sheet": sheet_name,
        "row": row,
        "col": col,
        "field": "Status Date",
        "value": show(status_date),
    }
    out: list[Finding | None] = []
    if status_date > as_of:
        out.append(rules.finding(RuleId.PROJECT_STATUS_DATE_FUTURE, today=show(as_of), **common))
    age = (as_of - status_date).days
    if age > settings.rag.stale_days:
        out.append(rules.finding(RuleId.PROJECT_STALE, days=age, as_of=show(as_of), **common))
    return [f for f in out if f is not None]
