"""Use cases: the capacity list, and the resource step of a consolidation.

:func:`capacity_list` reads the PMO's capacity list named by ``--capacity`` or
``[resources] capacity`` (a missing or unreadable list is a one-line
:class:`~addin.core.errors.ConfigError`, before any tracker is read).
:func:`resource_step` works out demand, load and the portfolio-wide resource findings
of a run (:func:`addin.resources.plan_resources`), adds the findings to the run and
keeps the load with it for the outputs; a run with no resource data at all (no
Resources rows, no task Effort) and no capacity list has no resource step, so a v1.0
portfolio is unchanged.
"""

from __future__ import annotations

from pathlib import Path

from addin.core.chunked import Chunked
from addin.core.errors import ConfigError
from addin.core.periods import PeriodKind
from addin.core.settings import Settings
from addin.engine.run import PortfolioRun
from addin.outputs.capacity import new_capacity as write_capacity_template
from addin.resources import (
    CapacityList,
    ResourceLoad,
    attach,
    has_resource_data,
    load_of,
    plan_resources,
    read_capacity,
)
from addin.resources.capacity import unknown_file

#: The row kinds a resource load is worked out from (a portfolio read back for it).
LOAD_KINDS = frozenset({"Resources", "Tasks"})


def capacity_path(settings: Settings, named: str | Path | None = None) -> Path | None:
    """The capacity list that applies: ``named`` (``--capacity``), else the settings' one."""
    if named is not None and str(named).strip():
        return Path(str(named)).expanduser()
    configured = settings.resources.capacity.strip()
    return Path(configured).expanduser() if configured else None


def capacity_list(settings: Settings, named: str | Path | None = None) -> CapacityList | None:
    """Read the capacity list that applies (None when none is named).

    Raises:
        ConfigError: the list is named but missing or unreadable (one line).
    """
    path = capacity_path(settings, named)
    if path is None:
        return None
    if not path.is_file():
        raise ConfigError(unknown_file(path))
    return read_capacity(path, settings)


def resource_step(
    run: PortfolioRun,
    settings: Settings,
    capacity: CapacityList | None = None,
    *,
    period: str | None = None,
    add_findings: bool = True,
) -> ResourceLoad | None:
    """Work out a run's resource load, add its findings to the run, and keep it with the run.

    Args:
        run: A consolidated run (or one read back from a portfolio workbook).
        settings: Effective settings.
        capacity: The capacity list (see :func:`capacity_list`), or None.
        period: ``month`` or ``week`` (default: ``[resources] period``).
        add_findings: Add the load's findings to the run (not for a run read back from a
            portfolio, whose Findings sheet has them already).

    Returns:
        The load, or None when the run has no resource data and no capacity list.
    """
    found = load_of(run)
    if found is not None:
        return found
    if capacity is None and not has_resource_data(run):
        return None
    kind = PeriodKind(period) if period else None
    load = plan_resources(run, settings, capacity, kind=kind)
    if add_findings:
        if isinstance(run.findings, Chunked):  # the files' own, end to end (see assemble)
            run.findings.add(load.findings)
        else:
            run.findings = Chunked([run.findings, load.findings])
    attach(run, load)
    return load


def new_capacity(path: Path, settings: Settings) -> Path:
    """Write the governed capacity list template (``pmo new-capacity``)."""
    return write_capacity_template(path, settings)
