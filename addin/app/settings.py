"""Which settings apply, decided in one place for every entry point.

One order everywhere: the built-in defaults, then one ``pmo.toml``, then the
workbook's own ``PMO Settings`` sheet when the caller has a workbook open. The
``pmo.toml`` is, in order: the file named explicitly (``--config``), else the one in
the folder the work is about (the command line's working folder, the active
workbook's folder in Excel), else the file named by ``$PMO_CONFIG``, else none.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from addin.core.errors import ConfigError
from addin.core.settings import CONFIG_FILENAME, Settings, load_settings, settings_from_mapping
from addin.read import GridSource

#: Environment variable naming a ``pmo.toml`` to use when a folder has none of its own.
CONFIG_ENV = "PMO_CONFIG"
#: A workbook's own settings: setting names (``rag.stale_days``) in column A, values in B.
SETTINGS_SHEET = "PMO Settings"


def settings_file(explicit: str | Path | None = None, folder: Path | None = None) -> Path | None:
    """The ``pmo.toml`` that applies (see the module docstring), or None for the defaults."""
    if explicit is not None:
        return Path(explicit)
    if folder is not None:
        candidate = folder / CONFIG_FILENAME
        if candidate.is_file():
            return candidate
    named = os.environ.get(CONFIG_ENV, "").strip()
    return Path(named).expanduser() if named else None


def sheet_overrides(book: GridSource) -> dict[str, Any]:
    """The settings a workbook's ``PMO Settings`` sheet sets, as a nested mapping.

    Rows hold a dotted setting name in the first column and its value in the second
    (``rag.stale_days`` | ``21``); blank rows and a header row are skipped.

    Raises:
        ConfigError: a setting name is malformed (the message names the cell).
    """
    if SETTINGS_SHEET not in book.worksheets:
        return {}
    grid = book.grid(SETTINGS_SHEET)
    out: dict[str, Any] = {}
    for i, row in enumerate(grid.rows):
        if len(row) < 2 or not isinstance(row[0], str) or not row[0].strip():
            continue
        name = row[0].strip()
        if name.casefold() in ("setting", "name", "key"):
            continue
        parts = name.split(".")
        if not all(p.isidentifier() for p in parts):
            cell = f"A{grid.top + i + 1}"
            raise ConfigError(f"{SETTINGS_SHEET}!{cell}: {name!r} is not a setting name")
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        value = row[1]
        node[parts[-1]] = int(value) if isinstance(value, float) and value.is_integer() else value
    return out


def resolve_settings(
    explicit: str | Path | None = None,
    *,
    folder: Path | None = None,
    book: GridSource | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """The effective settings: defaults, then the ``pmo.toml`` that applies, then the book's.

    Args:
        explicit: A settings file named by the user (``--config``); it must exist.
        folder: The folder the work is about (searched for ``pmo.toml``).
        book: An open workbook whose ``PMO Settings`` sheet applies last.
        overrides: Settings applied after everything else (tests, scripts).

    Raises:
        ConfigError: a settings file or sheet is invalid (one line naming it).
    """
    path = settings_file(explicit, folder)
    merged: dict[str, Any] = dict(sheet_overrides(book)) if book is not None else {}
    if overrides:
        merged = {**merged, **overrides}
    if path is None and not merged:
        return Settings.default()
    if path is None:
        return settings_from_mapping(merged, SETTINGS_SHEET)
    return load_settings(path, overrides=merged or None)
