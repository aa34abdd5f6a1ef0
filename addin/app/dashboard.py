"""Use case: build the steering dashboard from a portfolio workbook (and a previous one)."""

from __future__ import annotations

from pathlib import Path

from addin.app.resources import capacity_list, resource_step
from addin.core.settings import Settings
from addin.engine.run import PortfolioRun
from addin.engine.trend import TrendData
from addin.outputs.dashboard import export_pdf, write_dashboard
from addin.outputs.portfolio import read_portfolio_bounded
from addin.resources import CapacityList


def load_portfolio(path: Path, settings: Settings) -> PortfolioRun:
    """Read a portfolio workbook back into its run, like any input.

    Through the reader's safety layer, in a worker held to the settings' time and memory
    limits, so a hostile portfolio costs the worker, never the run.

    Raises:
        OutputError: not a readable portfolio workbook (one line: why).
    """
    return read_portfolio_bounded(path, settings.limits)


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
