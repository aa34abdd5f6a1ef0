"""Loading settings: defaults, then ``pmo.toml``, then overrides; one clear line on error.

A bad file gives a :class:`~addin.core.errors.ConfigError` whose message names the file
and the setting in PMO words::

    pmo.toml: rag.schedule.spi_red must be a number, got "low"
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from addin.core.config_file import CONFIG_FILENAME
from addin.core.errors import ConfigError, os_reason
from addin.core.settings.models import Settings
from addin.core.settings.problems import TOO_DEEP, InvalidSettings, problem


def settings_from_mapping(data: Mapping[str, Any], source: str = CONFIG_FILENAME) -> Settings:
    """Build settings from a parsed mapping; raise :class:`ConfigError` with a clear message.

    Args:
        data: The parsed TOML (or any mapping of the same shape).
        source: What to call the origin in error messages (usually the file name).
    """
    try:
        return Settings.model_validate(dict(data))
    except RecursionError:
        raise ConfigError(f"{source}: {TOO_DEEP}") from None
    except InvalidSettings as exc:
        raise ConfigError(f"{source}: {problem(exc)}") from None


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


#: A settings file is a page of text; anything larger is not one (and is not read whole).
_MAX_CONFIG_BYTES = 1024 * 1024


def _read_config(path: Path) -> bytes:
    """The bytes of a settings file: a regular file of at most 1 MB, checked before reading."""
    try:  # opened without blocking: opening a FIFO for reading would wait for a writer
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):  # a FIFO or a device would block or never end
                raise ConfigError(f"{path}: not a regular file, so not a settings file")
            if st.st_size > _MAX_CONFIG_BYTES:
                raise ConfigError(
                    f"{path}: {st.st_size:,} bytes is too large for a settings file "
                    f"(limit {_MAX_CONFIG_BYTES:,})"
                )
            return fh.read(_MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read settings file ({os_reason(exc)})") from None


def _beside(data: dict[str, Any], folder: Path) -> None:
    """A relative capacity list or portfolio path is relative to the pmo.toml that names it."""
    section = data.get("resources")
    if isinstance(section, dict):
        for key in ("capacity", "portfolio"):
            named = section.get(key)
            if (
                isinstance(named, str)
                and named.strip()
                and not Path(named).expanduser().is_absolute()
            ):
                section[key] = str(folder / named)


def find_config(explicit: str | Path | None = None, cwd: Path | None = None) -> Path | None:
    """Return the settings file to use: ``explicit`` if given, else ``pmo.toml`` in ``cwd``."""
    if explicit is not None:
        return Path(explicit)
    candidate = (cwd or Path.cwd()) / CONFIG_FILENAME
    return candidate if candidate.is_file() else None


def load_settings(
    path: str | Path | None = None,
    *,
    overrides: Mapping[str, Any] | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Load the effective settings: defaults, then ``pmo.toml``, then ``overrides``.

    Args:
        path: An explicit settings file (``--config``); it must exist. When None, a
            ``pmo.toml`` in ``cwd`` (default: the current folder) is used if present.
        overrides: Settings applied last, e.g. from a workbook's settings sheet.
        cwd: Folder searched for ``pmo.toml`` when ``path`` is None.

    Raises:
        ConfigError: the file is missing, not TOML, or holds an invalid setting.
    """
    found = find_config(path, cwd)
    data: dict[str, Any] = {}
    name = CONFIG_FILENAME
    if found is not None:
        name = found.name
        raw = _read_config(found)
        import tomllib  # here: a run without a settings file never parses TOML

        try:
            data = tomllib.loads(raw.decode("utf-8-sig"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{name}: not valid TOML ({exc})") from None
        except (RecursionError, MemoryError):
            raise ConfigError(f"{name}: {TOO_DEEP}") from None
        _beside(data, found.parent)
    if overrides:
        data = _merge(data, overrides)
    return settings_from_mapping(data, name)
