"""Coercions that need more than a cell: severity written as a score, effort written in weeks.

A Severity column often holds the risk score (``Risk Score``, ``Livello (PxI)``,
``Priority (1-5)``) rather than a word; a score is read as Probability x Impact and named
by the settings' severity thresholds, as a blank Severity is derived. An Effort column
holds days, but trackers write ``8 wks``, ``3 days`` or ``16h``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from addin.core.domain import derived_severity
from addin.core.rules import RuleId
from addin.core.settings import SeverityScores
from addin.read.coerce import (
    Problems,
    coerce_choice,
    coerce_number,
    parse_date_text,
    parse_number_text,
)

#: Working days in a week and working hours in a day, for effort written in either.
DAYS_PER_WEEK, HOURS_PER_DAY = 5, 8

_DURATION = re.compile(
    r"^\s*(\d+(?:[.,]\d+)?)\s*(w|wk|wks|week|weeks|d|day|days|h|hr|hrs|hour|hours|"
    r"sem|semaines?|semanas?|settimane?|wochen?|tage?|jours?|j|dias?|días|giorni|dagen?|"
    r"stunden?|std|heures?|horas?|ore|uren?|pt|md|pd)\.?\s*$",
    re.IGNORECASE,
)
_WEEK_UNITS = ("w", "s")  # week, Woche; semaine, semana, settimana
_HOUR_UNITS = ("h", "std", "stu", "ore", "ure")


def _days(text: str) -> float | None:
    m = _DURATION.match(text)
    if m is None:
        return None
    n = float(m[1].replace(",", "."))
    unit = m[2].casefold()
    if unit.startswith(_HOUR_UNITS):
        return n / HOURS_PER_DAY
    if unit.startswith(_WEEK_UNITS):
        return n * DAYS_PER_WEEK
    return n


def coerce_days(values: Sequence[Any]) -> tuple[list[Any], Problems]:
    """Effort in days: numbers as they are; ``8 wks`` is 40, ``3 d`` is 3, ``16h`` is 2."""
    out, bad = coerce_number(values)
    for i in list(bad):
        raw = values[i]
        days = _days(raw) if isinstance(raw, str) else None
        if days is not None:
            out[i] = days
            del bad[i]
    return out, bad


def coerce_severity(
    values: Sequence[Any], index: Mapping[str, str], scores: SeverityScores
) -> tuple[list[Any], Problems]:
    """Severity words through the choice list, and scores named by the thresholds.

    A score is a number or number text (``12``); 0 or less is no score (a formula on an
    empty row).
    """
    out, bad = coerce_choice(values, index)
    for i in list(bad):
        raw = values[i]
        n: float | None = None
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            n = float(raw)
        elif isinstance(raw, str):
            n = parse_number_text(raw)
        if n is None:
            continue
        del bad[i]
        out[i] = derived_severity(round(n), 1, scores) if n > 0 else None
    return out, dict.fromkeys(bad, RuleId.VALUE_NOT_ALLOWED)


#: What joins the two dates of a period written as a range (``02/03/2026 - 13/03/2026``).
_RANGE = re.compile(r"\s+(?:-|–|—|to|al|au|à|bis|a|t/m|tot)\s+|\s*[–—]\s*", re.IGNORECASE)


def period_end(value: Any, *, day_first: bool = True) -> Any:
    """The last date of a period written as a range of two dates, else ``value`` as it is.

    A status report's ``Periodo: 02/03/2026 - 13/03/2026`` is as of its last day.
    """
    if type(value) is not str or len(value) > 60:
        return value
    parts = _RANGE.split(value.strip())
    if len(parts) != 2:
        return value
    first, last = (parse_date_text(p, day_first=day_first) for p in parts)
    return last if first is not None and last is not None and first <= last else value
