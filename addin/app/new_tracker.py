"""Use case: a new tracker from the governed template, its Project block pre-filled."""

from __future__ import annotations

from pathlib import Path

from addin.app.resources import capacity_list
from addin.app.upgrade import names_of
from addin.core.settings import Settings
from addin.outputs.template import new_tracker as write_new
from addin.resources import CapacityList


def new_tracker(
    output: Path,
    settings: Settings,
    *,
    project_id: str | None = None,
    name: str | None = None,
    manager: str | None = None,
    programme: str | None = None,
    capacity: CapacityList | None = None,
) -> Path:
    """Write a new tracker at ``output`` (replacing it: the caller decides whether it may).

    The Resources sheet offers the capacity list's people, roles and teams (the list
    given, else the one ``[resources] capacity`` names).

    Raises:
        ConfigError: the capacity list the settings name is missing or unreadable.
    """
    people = names_of(capacity or capacity_list(settings))
    return write_new(
        output,
        settings,
        project_id=project_id,
        name=name,
        manager=manager,
        programme=programme,
        people=people,
    )
