"""The ribbon's Resources button: who is over-allocated, from the open portfolio.

Thin like every handler (:mod:`addin.excel.ribbon`): with a saved portfolio workbook
active, it works out the resource load (the capacity list of the folder's settings),
writes the dashboard beside the portfolio, whose Resources page shows it, opens it,
and says in a few lines who is over-allocated, when and by which projects.
"""

from __future__ import annotations

from addin.core.words import counted
from addin.excel.book import Host
from addin.excel.portfolio_book import dashboard_of_active

#: Conflicts named in the message (the rest are counted; all are on the Resources page).
SHOWN = 6


def on_resources(host: Host) -> str:
    """Build the dashboard (with its Resources page) from the active portfolio and open it."""
    from addin.outputs.dashboard.resource_data import resource_page
    from addin.resources import load_of

    built = dashboard_of_active(host, "Resources")
    if isinstance(built, str):
        return built
    name, settings, output, note = built.name, built.settings, built.output, built.note
    load = load_of(built.portfolio)
    if load is None:
        return (
            f"{name} holds no resource plans (no Resources sheets, no task Effort) and no "
            f"capacity list is set: nothing to show. Wrote {output}." + note
        )
    host.open(output)
    page = resource_page(load, settings)
    people = sorted({c.person for c in page.conflicts})
    source = load.capacity_file or "no capacity list: everyone counted full time"
    lines = [
        f"Resources of {name} ({source}), next {len(page.periods)} {page.unit}s: "
        f"{counted(len(people), 'person', 'people')} over-allocated.",
    ]
    for c in page.conflicts[:SHOWN]:
        lines.append(f"  {c.person}, {c.period}: {c.utilisation:.0%} ({c.level}): {c.projects}")
    if len(page.conflicts) > SHOWN:
        lines.append(f"  ... and {len(page.conflicts) - SHOWN} more on the Resources page.")
    lines.append(f"Wrote {output} (see its Resources page).")
    return "\n".join(lines) + note
