"""Use case: consolidate trackers into a portfolio run, and write its outputs.

The command line, the ribbon's Consolidate button and the demo all go through here:
discover the files (our own outputs left out), run the engine, then write the
portfolio workbook, its JSON and the dashboard from the one typed run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from addin.core.settings import Settings
from addin.engine.consolidate import Progress
from addin.engine.consolidate import consolidate as run_engine
from addin.engine.discover import Discovery, discover
from addin.engine.run import PortfolioRun
from addin.outputs.dashboard import write_dashboard
from addin.outputs.json import project_records, write_json
from addin.outputs.portfolio import write_portfolio


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
) -> PortfolioRun:
    """Read every tracker (in parallel, cached) and assemble the portfolio run."""
    return run_engine(files, settings, as_of=as_of, jobs=jobs, cache_path=cache, progress=progress)


def find_trackers(sources: Sequence[str | Path]) -> Discovery:
    """The workbooks named by files, folders and globs (see :mod:`addin.engine.discover`)."""
    return discover(sources)


@dataclass
class Outputs:
    """Where a run's outputs go (None: not wanted)."""

    portfolio: Path | None = None
    json: Path | None = None
    dashboard: Path | None = None


def write_outputs(
    run: PortfolioRun,
    settings: Settings,
    outputs: Outputs,
    *,
    each: Callable[[Callable[[], Path]], Path] | None = None,
) -> list[Path]:
    """Write the requested outputs of a run, in order: portfolio, JSON, dashboard.

    Args:
        run: The run to write.
        settings: Effective settings.
        outputs: Which outputs, and where.
        each: Called with each writer (default: call it); the command line passes a
            wrapper that reports a failed write and stops.

    Raises:
        OutputError: an output could not be written (its previous file is intact).
    """
    call = each or (lambda write: write())
    jobs: list[Callable[[], Path]] = []
    if outputs.portfolio is not None:
        portfolio = outputs.portfolio
        jobs.append(lambda: write_portfolio(portfolio, run, settings))
    if outputs.json is not None:
        json_path = outputs.json
        jobs.append(lambda: write_json(json_path, project_records(run)))
    if outputs.dashboard is not None:
        dashboard = outputs.dashboard
        jobs.append(lambda: write_dashboard(dashboard, run, settings))
    return [call(job) for job in jobs]
