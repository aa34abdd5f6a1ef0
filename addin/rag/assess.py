"""Assess a tracker: every metric, every dimension, Overall, stale and optimism (RAG_RULES v2).

:func:`dimensions` depends only on the tracker (cacheable) when it has a Status Date;
:func:`conclude` adds what depends on the day of the run (stale, Overall, optimism).

Where later work plugs in:

* a dimension judged from one tracker's metrics: register it in
  :mod:`addin.rag.registry`; :func:`dimensions` judges it and :func:`conclude` takes
  Overall over it;
* a dimension judged across trackers (resource utilisation): pass it to
  :func:`conclude` as ``extra``;
* the trend against the previous snapshot compares two :class:`Assessment` (or two
  portfolio rows); it does not change Overall (RAG_RULES v2 "Trend"), so it sits after
  :func:`conclude`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import addin.rag.dimensions as _judges  # noqa: F401  (registers Schedule, Cost and Risk)
from addin.core.domain import RAG_ORDER, Rag, at_least, parse_rag, worst
from addin.core.settings import RagSettings, Settings
from addin.core.tracker import Tracker
from addin.rag.measure import measure
from addin.rag.model import Assessment, Dimension, Dimensions, Judged
from addin.rag.registry import floors, registered

__all__ = ["Dimensions", "assess", "conclude", "dimensions", "measure"]


def dimensions(tracker: Tracker, settings: Settings, as_of: dt.date | None = None) -> Dimensions:
    """Compute the metrics and every registered dimension of a tracker.

    These depend only on the tracker, so they can be cached between runs, except when the
    Status Date is blank: then ``as_of`` (the run's date) is the day they are taken at.
    """
    m = measure(tracker, settings, as_of)
    return Dimensions(m, tuple((spec.name, spec.judge(m, settings.rag)) for spec in registered()))


def _floor(judged: Judged, rag: RagSettings) -> tuple[Rag | None, tuple[str, ...]]:
    """The no-data floor and the dimensions that set it (None: no floor applies)."""
    if rag.no_data_floor == "none":
        return None, ()
    missing = tuple(name for name, dim in judged if not dim.has_data and floors(name))
    return (Rag(rag.no_data_floor), missing) if missing else (None, ())


def _reasons(judged: Judged) -> list[str]:
    out: list[str] = []
    for name, dim in judged:
        shown = dim.reasons if dim.rag is not Rag.GREEN else ()
        out.extend(f"{name} {dim.rag.value}: {why}" for why in (*shown, *dim.notes))
    return out


def conclude(
    dims: Dimensions,
    reported_rag: str | None,
    settings: Settings,
    as_of: dt.date,
    extra: Sequence[tuple[str, Dimension]] = (),
) -> Assessment:
    """Overall RAG, stale and optimism flags, and reasons, from the dimensions on a given day.

    Overall is the worst dimension that has data, and No data when none has. When it has
    data: a stale report (Status Date more than ``stale_days`` before ``as_of``, or no
    Status Date) is at least Amber, and so is a project whose Schedule or Cost has no data
    (``rag.no_data_floor``). Optimism means a known Overall is worse than the project
    manager's Reported RAG.

    Args:
        dims: The tracker's metrics and registered dimensions.
        reported_rag: The Reported RAG as read.
        settings: Thresholds (``settings.rag``).
        as_of: The run's date.
        extra: Dimensions judged outside the tracker, after the registered ones.
    """
    rag = settings.rag
    m = dims.metrics
    judged: Judged = (*dims.judged, *extra)
    overall = worst(dim.rag for _, dim in judged)
    reasons = _reasons(judged)
    stale_days = (as_of - m.status_date).days if m.status_date is not None else None
    stale = stale_days is None or stale_days > rag.stale_days
    if stale_days is None:
        reasons.append("Stale: no Status Date")
    elif stale:
        reasons.append(f"Stale: Status Date is {stale_days} days old (> {rag.stale_days})")
    if overall.known:
        if stale:
            overall = at_least(overall, Rag.AMBER)
        floor, missing = _floor(judged, rag)
        if floor is not None and at_least(overall, floor) is not overall:
            overall = floor
            reasons.append(f"Overall at least {floor.value}: no data for {' or '.join(missing)}")
    reported = parse_rag(reported_rag)
    reported = reported if reported is not None and reported.known else None
    optimism = overall.known and reported is not None and RAG_ORDER[reported] < RAG_ORDER[overall]
    return Assessment(
        metrics=m,
        judged=judged,
        overall=overall,
        reported=reported,
        stale=stale,
        stale_days=stale_days,
        optimism=optimism,
        reasons=tuple(reasons),
    )


def assess(tracker: Tracker, settings: Settings, as_of: dt.date | None = None) -> Assessment:
    """Compute metrics, every dimension, Overall, and the stale and optimism flags.

    Args:
        tracker: The project's tracker.
        settings: Thresholds (``settings.rag``).
        as_of: The consolidation date that decides staleness, and the day metrics are
            taken at when the Status Date is blank (default today).
    """
    as_of = as_of or dt.date.today()
    return conclude(
        dimensions(tracker, settings, as_of), tracker.project.reported_rag, settings, as_of
    )
