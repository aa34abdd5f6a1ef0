"""Use case: consolidate trackers into a portfolio run, and write its outputs.

The command line, the ribbon's Consolidate button and the demo all go through here:
discover the files (our own outputs left out), run the engine, then write the
portfolio workbook, its JSON, the dashboard and the steering pack from the one typed run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import addin.core.timing as timing
from addin.app.resources import capacity_list, resource_step
from addin.core.settings import Settings
from addin.engine.consolidate import Progress
from addin.engine.consolidate import consolidate as run_engine
from addin.engine.run import PortfolioRun
from addin.outputs.json import project_records, write_json
from addin.outputs.portfolio import write_portfolio
from addin.outputs.portfolio.writer import prerender_for
from addin.resources import CapacityList

if TYPE_CHECKING:  # a history's trend: its module is imported where a history is read
    from addin.engine.trend import TrendData


def cache_beside(output: Path) -> Path:
    """The cache file kept beside a portfolio (``portfolio.pmo-cache.sqlite``)."""
    return output.with_name(f"{output.stem}.pmo-cache.sqlite")


def consolidate(
    files: Sequence[Path | str],
    settings: Settings,
    *,
    as_of: dt.date | None = None,
    jobs: int | None = None,
    cache: Path | None = None,
    progress: Progress | None = None,
    skipped: Sequence[tuple[Path, str]] = (),
    named: Collection[str] = (),
    for_workbook: bool = True,
    capacity: CapacityList | None = None,
    period: str | None = None,
    spill: Path | None = None,
) -> PortfolioRun:
    """Read every tracker (in parallel, cached) and assemble the portfolio run.

    ``skipped`` and ``named`` come from :func:`find_trackers`: files left out on purpose
    (our own outputs), and the files the user named (an annotated copy named is read).
    With ``for_workbook`` (a portfolio workbook will be written), each tracker's rows are
    also rendered in its worker, so the writer does not render them on one core; with
    ``spill`` (a folder: the portfolio's own), they and the tables' columns of a large
    run wait for the outputs in a temporary file there rather than in memory (see
    :data:`addin.engine.consolidate.LARGE_RUN`).

    The resource step follows (:func:`addin.app.resources.resource_step`): with the
    capacity list given (else the one ``[resources] capacity`` names), per ``period``.

    Raises:
        ConfigError: the capacity list the settings name is missing or unreadable.
    """
    if capacity is None:
        capacity = capacity_list(settings)
    run = run_engine(
        files,
        settings,
        as_of=as_of,
        jobs=jobs,
        cache_path=cache,
        progress=progress,
        skipped=skipped,
        named=named,
        prepare=prerender_for(settings) if for_workbook else None,
        spill=spill,
    )
    with timing.phase("resources"):
        resource_step(run, settings, capacity, period=period)
    return run


@dataclass
class Outputs:
    """Where a run's outputs go (None: not wanted)."""

    portfolio: Path | None = None
    json: Path | None = None
    dashboard: Path | None = None
    pack: Path | None = None


def output_jobs(
    run: PortfolioRun, settings: Settings, outputs: Outputs, *, trends: TrendData | None = None
) -> list[tuple[Path, Callable[[], Path]]]:
    """The writers of the requested outputs, in order: portfolio, JSON, dashboard, pack.

    ``trends`` (from the history, see :func:`addin.app.history.trend`) adds the dashboard's
    Trends page and the pack's trends and movers; the pack's resource hot spots come from
    the run's own resource load.
    """
    jobs: list[tuple[Path, Callable[[], Path]]] = []
    if outputs.portfolio is not None:
        portfolio = outputs.portfolio
        jobs.append((portfolio, lambda: write_portfolio(portfolio, run, settings)))
    if outputs.json is not None:
        json_path = outputs.json
        jobs.append((json_path, timed("json", lambda: write_json(json_path, project_records(run)))))
    if outputs.dashboard is not None:
        dashboard = outputs.dashboard
        jobs.append(
            (
                dashboard,
                timed("dashboard", lambda: _dashboard(dashboard, run, settings, trends)),
            )
        )
    if outputs.pack is not None:
        pack = outputs.pack
        jobs.append((pack, timed("pack", lambda: _pack(pack, run, settings, trends))))
    return jobs


def _dashboard(path: Path, run: PortfolioRun, settings: Settings, trends: TrendData | None) -> Path:
    # Imported on use, like the pack's: a run that writes neither never loads their
    # charts, slides and python-pptx (a third of a second at every start).
    from addin.outputs.dashboard import write_dashboard

    return write_dashboard(path, run, settings, trends=trends)


def _pack(path: Path, run: PortfolioRun, settings: Settings, trends: TrendData | None) -> Path:
    from addin.app.pack import steering_pack

    return steering_pack(run, path, settings, history=trends)


def timed(name: str, write: Callable[[], Path]) -> Callable[[], Path]:
    """``write``, its time counted as phase ``name`` (:mod:`addin.core.timing`)."""

    def run() -> Path:
        with timing.phase(name):
            return write()

    return run


def write_outputs(
    run: PortfolioRun, settings: Settings, outputs: Outputs, *, trends: TrendData | None = None
) -> list[Path]:
    """Write the requested outputs of a run, in order (see :func:`output_jobs`).

    Raises:
        OutputError: an output could not be written (its previous file is intact).
    """
    return [write() for _, write in output_jobs(run, settings, outputs, trends=trends)]
