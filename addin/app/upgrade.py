"""Use case ``pmo upgrade-tracker``: bring trackers to the current template version.

Each tracker is upgraded on its own (:func:`addin.outputs.upgrade.upgrade_tracker`): one
that cannot be upgraded safely is left as it was, with its reason, and the others go on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from addin.app.resources import capacity_list
from addin.core.errors import OutputError
from addin.core.settings import Settings
from addin.outputs.upgrade import Upgrade, upgrade_tracker
from addin.resources import CapacityList


@dataclass(frozen=True)
class UpgradeOutcome:
    """One tracker: what its upgrade did, or why it was not upgraded (without the path)."""

    file: Path
    done: Upgrade | None = None
    reason: str = ""


def names_of(capacity: CapacityList | None) -> dict[str, list[str]] | None:
    """The capacity list's names for the Resources sheet's dropdowns (None: no list)."""
    if capacity is None:
        return None
    people = capacity.people
    return {
        "person": [m.name for m in people],
        "role": sorted({m.role for m in people if m.role}, key=str.casefold),
        "team": sorted({m.team for m in people if m.team}, key=str.casefold),
    }


def upgrade(
    paths: Iterable[Path],
    settings: Settings,
    *,
    in_place: bool = False,
    capacity: CapacityList | None = None,
) -> list[UpgradeOutcome]:
    """Upgrade each tracker; never raises for one that cannot be upgraded.

    Raises:
        ConfigError: the capacity list the settings name is missing or unreadable.
    """
    people: Mapping[str, Sequence[str]] | None = names_of(capacity or capacity_list(settings))
    out: list[UpgradeOutcome] = []
    for path in paths:
        try:
            done = upgrade_tracker(path, settings, in_place=in_place, people=people)
        except OutputError as exc:
            reason = " ".join(str(exc).split())
            head = f"{path}: "
            out.append(UpgradeOutcome(path, None, reason.removeprefix(head)))
            continue
        out.append(UpgradeOutcome(path, done))
    return out
