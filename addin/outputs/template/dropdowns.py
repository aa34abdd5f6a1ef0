"""Dropdowns that are not settings: the capacity list's names.

A Resources sheet's Person, Role and Team offer the PMO's capacity list when one is
given (a name not in the list is still accepted, with a warning: the list may lag
behind a new joiner, and consolidation reports the name as unknown). The Lessons
sheet's Category and Type are the settings' lists, like every other dropdown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from addin.core.kinds import Field, SheetKind


@dataclass(frozen=True)
class Dropdown:
    """A list a column offers: its values, and whether a value outside it is refused."""

    values: tuple[str, ...]
    strict: bool = True


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def dropdowns(spec: SheetKind, people: Mapping[str, Sequence[str]] | None) -> dict[str, Dropdown]:
    """Field -> the dropdown of a template sheet's columns beyond the settings' lists."""
    if spec.key == "Resources" and people:
        return {
            name: Dropdown(tuple(dict.fromkeys(v for v in values if v)), strict=False)
            for name, values in people.items()
            if name in {f.name for f in spec.fields} and values
        }
    return {}


def pick_list(field: Field, source: str | list[str], drop: Dropdown) -> dict[str, Any]:
    """XlsxWriter ``data_validation`` options of a dropdown column."""
    if drop.strict:
        title, message = f"Invalid {field.header}", f"{field.header}: pick from the list."
        kind = "stop"
    else:
        title = f"{field.header} not in the list"
        message = (
            f"{field.header} is not in the PMO's capacity list. Keep it only if the list is "
            "out of date (tell the PMO)."
        )
        kind = "warning"
    return {
        "validate": "list",
        "source": source,
        "ignore_blank": True,
        "input_title": _clip(field.header, 32),
        "input_message": _clip(field.note or "Pick from the list.", 255),
        "error_type": kind,
        "error_title": _clip(title, 32),
        "error_message": _clip(message, 255),
    }
