"""Loading settings: defaults, then ``pmo.toml``, then overrides; one clear line on error.

A bad file gives a :class:`~addin.core.errors.ConfigError` whose message names the file
and the setting in PMO words::

    pmo.toml: rag.schedule.spi_red must be a number, got "low"
"""

from __future__ import annotations

import json
import os
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from addin.core.errors import ConfigError
from addin.core.settings.models import CONFIG_FILENAME, Settings

_TYPE_WORDS = {
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "string_type": "must be text",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "dict_type": "must be a table",
    "model_type": "must be a table",
    "model_attributes_type": "must be a table",
    "extra_forbidden": "is not a known setting",
    "missing": "is required",
    "finite_number": "must be a finite number",
}


def _describe(error: Mapping[str, Any]) -> str:
    loc = ".".join(str(p) for p in error["loc"])
    kind = error["type"]
    try:
        got = json.dumps(error.get("input"), default=str, ensure_ascii=False)
    except (RecursionError, ValueError):  # nested too deeply to show, or a circular value
        got = "a nested value"
    if len(got) > 60:
        got = got[:57] + "..."
    if kind in _TYPE_WORDS:
        text = _TYPE_WORDS[kind]
        return (
            f"{loc} {text}"
            if kind in ("extra_forbidden", "missing")
            else f"{loc} {text}, got {got}"
        )
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"{loc} must be one of {expected}, got {got}"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        ((word, bound),) = error["ctx"].items()
        sign = {"gt": ">", "ge": ">=", "lt": "<", "le": "<="}[word]
        return f"{loc} must be {sign} {bound}, got {got}"
    if kind == "string_pattern_mismatch":
        return f"{loc} has the wrong form, got {got}"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{loc}: {message}" if loc else message


def settings_from_mapping(data: Mapping[str, Any], source: str = CONFIG_FILENAME) -> Settings:
    """Build settings from a parsed mapping; raise :class:`ConfigError` with a clear message.

    Args:
        data: The parsed TOML (or any mapping of the same shape).
        source: What to call the origin in error messages (usually the file name).
    """
    try:
        return Settings.model_validate(dict(data))
    except RecursionError:
        raise ConfigError(f"{source}: {_TOO_DEEP}") from None
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        more = len(exc.errors()) - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise ConfigError(f"{source}: {_describe(first)}{tail}") from None


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
_TOO_DEEP = "nested too deeply (tables or lists inside one another): not a settings file"


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
        raise ConfigError(f"{path}: cannot read settings file ({exc.strerror or exc})") from None


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
        try:
            data = tomllib.loads(raw.decode("utf-8-sig"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{name}: not valid TOML ({exc})") from None
        except (RecursionError, MemoryError):
            raise ConfigError(f"{name}: {_TOO_DEEP}") from None
    if overrides:
        data = _merge(data, overrides)
    return settings_from_mapping(data, name)
