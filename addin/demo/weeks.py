"""The sample portfolio a few weeks earlier: the demo's history.

The same projects, reported weekly before :data:`~addin.demo.SAMPLES_AS_OF`: each one's
Status Date is a week earlier per week back (the stale project's report is the same old
one every week, so it turns stale within the history), and today's trouble had shown
less: the late project was Amber a week ago (its finish slip and milestone forecasts
grow week by week, which the milestone trend analysis shows), the over-budget ones
overran less, and one healthy project was Red two weeks ago and has recovered since.
Deterministic like the samples.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from pathlib import Path

from addin.core.settings import Settings
from addin.core.tracker import Tracker
from addin.demo.blueprint import Blueprint
from addin.demo.cases import DEFAULT_SEED, SAMPLES_AS_OF
from addin.demo.samples import BLUEPRINTS, _sample, write_trackers

#: Weekly snapshots the demo keeps before the samples' own.
HISTORY_WEEKS = 3
#: The healthy sample that was in trouble two and one weeks ago, and recovered.
RECOVERED = "CUS-0201_Customer_Portal_v2"


def week_as_of(weeks_back: int) -> dt.date:
    """The consolidation date ``weeks_back`` weeks before the samples' own."""
    return SAMPLES_AS_OF - dt.timedelta(days=7 * weeks_back)


def earlier(b: Blueprint, weeks_back: int) -> Blueprint:
    """A blueprint as its project stood ``weeks_back`` weeks earlier."""
    if weeks_back <= 0:
        return b
    shown = max(0.0, 1.0 - 0.5 * weeks_back)  # how much of today's trouble had shown
    status = b.status_date if b.stale else b.status_date - dt.timedelta(days=7 * weeks_back)
    changed = replace(
        b,
        status_date=status,
        perf=b.perf if b.perf >= 1 else b.perf + (1.0 - b.perf) * (1.0 - shown),
        finish_slip=round(b.finish_slip * shown),
        overrun=b.overrun * shown,
        cost_factor=1.0 + (b.cost_factor - 1.0) * shown,
        overdue_milestone=False,
    )
    if b.stem == RECOVERED and weeks_back in (1, 2):
        changed = replace(changed, perf=0.8, finish_slip=35)
    return changed


def earlier_trackers(weeks_back: int, seed: int = DEFAULT_SEED) -> list[tuple[str, Tracker]]:
    """The sample portfolio as reported ``weeks_back`` weeks before its own as-of date."""
    out: list[tuple[str, Tracker]] = []
    for index, blueprint in enumerate(BLUEPRINTS):
        rng = random.Random(f"{seed}:{index}:{blueprint.stem}")
        tracker = _sample(earlier(blueprint, weeks_back), rng, dated=blueprint.status_date)
        out.append((blueprint.stem, tracker))
    return out


def write_week(out: Path, weeks_back: int, settings: Settings | None = None) -> list[Path]:
    """Write the sample trackers as they were ``weeks_back`` weeks earlier into ``out``."""
    return write_trackers(out, earlier_trackers(weeks_back), settings)
