"""What the portfolio buttons share: the active portfolio, and the dashboard beside it.

Dashboard, Resources and Steering pack all work on a saved portfolio workbook (one with a
Projects sheet); each says in the same words what to do when there is none. Dashboard and
Resources both write ``dashboard.xlsx`` beside it, with the Trends page from the history
when there is one, so clicking one after the other never loses a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from addin.core.settings import Settings
from addin.engine.run import PortfolioRun
from addin.excel.book import Host, free_path, settings_for

#: The dashboard's file name (stem) beside the portfolio.
DASHBOARD_NAME = "dashboard"


def saved_portfolio(host: Host, button: str) -> tuple[str, Path] | str:
    """The active portfolio's name and saved path, or the message saying why there is none.

    Args:
        host: The Excel host.
        button: The button's label, for the message (``Steering pack``).
    """
    book = host.active_book()
    if book is None or "Projects" not in book.sheet_names:
        what = "No workbook is open" if book is None else f"{book.name} is not a portfolio workbook"
        return (
            f"{what}: {button} works on a portfolio (a workbook with a Projects sheet). "
            f"Click Consolidate to build one from a folder of trackers, then click {button} "
            "with the portfolio open."
        )
    if book.path is None:
        return f"Save {book.name} first: {button} reads the saved portfolio file."
    return book.name, book.path


def dashboard_beside(
    portfolio: PortfolioRun, path: Path, settings: Settings, *, name: str = DASHBOARD_NAME
) -> tuple[Path, str]:
    """Write the dashboard beside the portfolio at ``path``; (its path, a note for the message).

    The Trends page comes from the configured history, or the one beside the portfolio; a
    history that cannot be read leaves it out and the note says why.
    """
    from addin.app.dashboard import dashboard
    from addin.app.history import HistoryError, trend_beside

    output = free_path(path.parent, name, reuse_ours=True)
    trends, note = None, ""
    try:
        trends = trend_beside(portfolio, settings, path)
    except HistoryError as exc:
        note = f"\nHistory not read (no Trends page): {exc}"
    dashboard(portfolio, output, settings, trends=trends)
    return output, note


@dataclass(frozen=True)
class DashboardBuilt:
    """The active portfolio, read, and the dashboard written beside it (Dashboard, Resources)."""

    name: str
    settings: Settings
    portfolio: PortfolioRun
    output: Path
    note: str


def dashboard_of_active(host: Host, button: str) -> DashboardBuilt | str:
    """Read the active saved portfolio and write its dashboard beside it; else say why not.

    Args:
        host: The Excel host.
        button: The button's label, for the message when there is no saved portfolio.
    """
    from addin.app.dashboard import load_for_output

    found = saved_portfolio(host, button)
    if isinstance(found, str):
        return found
    name, path = found
    settings, _ = settings_for(path.parent)
    portfolio = load_for_output(path, settings)
    output, note = dashboard_beside(portfolio, path, settings)
    return DashboardBuilt(name, settings, portfolio, output, note)
