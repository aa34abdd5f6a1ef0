"""Use case: a new tracker from the governed template, its Project block pre-filled."""

from __future__ import annotations

from pathlib import Path

from addin.core.settings import Settings
from addin.outputs.template import new_tracker as write_new


def new_tracker(
    output: Path,
    settings: Settings,
    *,
    project_id: str | None = None,
    name: str | None = None,
    manager: str | None = None,
    programme: str | None = None,
) -> Path:
    """Write a new tracker at ``output`` (replacing it: the caller decides whether it may)."""
    return write_new(
        output, settings, project_id=project_id, name=name, manager=manager, programme=programme
    )
