"""Every settings section the package declares, for the tests that go over them all."""

from __future__ import annotations

import addin.core.settings  # noqa: F401 - declares every section
from addin.core.settings.section import Section


def sections() -> list[type[Section]]:
    """Every subclass of :class:`Section` declared in ``addin``, by name."""
    found: list[type[Section]] = []
    todo = list(Section.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("addin.") and cls not in found:
            found.append(cls)
    return sorted(found, key=lambda c: c.__name__)
