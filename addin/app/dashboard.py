"""Use case: build the steering dashboard from a portfolio workbook (and a previous one)."""

from __future__ import annotations

from pathlib import Path

from addin.app.resources import LOAD_KINDS, capacity_list, capacity_path, resource_step
from addin.core.settings import Settings
from addin.engine.run import PortfolioRun
from addin.engine.trend import TrendData
from addin.outputs.dashboard import export_pdf, write_dashboard
from addin.outputs.portfolio import read_portfolio_bounded
from addin.resources import CapacityList

#: The row kinds the dashboard shows (its Milestones, RAID and Lessons pages).
DASHBOARD_KINDS = frozenset({"Milestones", "RAID", "Lessons"})


def load_portfolio(path: Path, settings: Settings) -> PortfolioRun:
    """Read a portfolio workbook back into its whole run, like any input (a history backfill).

    Through the reader's safety layer, in a worker held to the settings' time and memory
    limits, so a hostile portfolio costs the worker, never the run.

    Raises:
        OutputError: not a readable portfolio workbook (one line: why).
    """
    return read_portfolio_bounded(path, settings.limits)


def load_for_output(
    path: Path,
    settings: Settings,
    kinds: frozenset[str] = DASHBOARD_KINDS,
    *,
    capacity: Path | None = None,
    resources: bool = True,
) -> PortfolioRun:
    """Read a portfolio workbook back for an output that shows ``kinds`` of rows, bounded.

    A portfolio's longest sheets are read only when the output needs them: the Tasks
    (200,000 rows at 1,000 projects) and Resources rows only for a resource load that can
    give something (with ``resources``, when the portfolio has resource data, its Capacity
    sheet, or a capacity list applies: ``capacity``, else the configured one); of the
    Findings, only those of the files no project was loaded from, which the outputs count.

    Raises:
        OutputError: not a readable portfolio workbook (one line: why).
    """
    extra = LOAD_KINDS if resources else frozenset()
    if extra and capacity_path(settings, capacity) is not None:
        kinds, extra = kinds | extra, frozenset()
    return read_portfolio_bounded(path, settings.limits, kinds, extra, findings="unloaded")


def dashboard(
    portfolio: PortfolioRun,
    output: Path,
    settings: Settings,
    *,
    previous: PortfolioRun | None = None,
    trends: TrendData | None = None,
    capacity: CapacityList | None = None,
    period: str | None = None,
) -> Path:
    """Write the dashboard workbook of a run (the trend against ``previous``, the Trends page).

    A run read back from a portfolio gets its resource load worked out again (with the
    capacity list given, else the configured one), for the Resources page; its findings
    are already on the portfolio's Findings sheet.

    Raises:
        ConfigError: the capacity list the settings name is missing or unreadable.
    """
    if capacity is None:
        capacity = capacity_list(settings)
    resource_step(portfolio, settings, capacity, period=period, add_findings=False)
    return write_dashboard(output, portfolio, settings, previous=previous, trends=trends)


def pdf(dashboard_path: Path, output: Path) -> Path:
    """Print a dashboard workbook to PDF through LibreOffice."""
    return export_pdf(dashboard_path, output)
