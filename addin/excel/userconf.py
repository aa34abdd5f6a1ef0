"""The user's ``pmo.conf``: xlwings' settings file, read by the add-in's VBA.

Format, as xlwings' VBA reads it with ``Input #`` (``GetConfigFromFile``): one
setting a line, ``"KEY","value"``, keys compared without case. Values cannot hold
a double quote. VBA reads the file in the system's ANSI code page on Windows, so
it is written in that code page there (:func:`conf_encoding`).
:func:`write_user_conf` sets one key and keeps every other line as it was; the
previous file is kept beside it as ``pmo.conf.bak``.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from addin.outputs.atomic import atomic_path

__all__ = ["conf_encoding", "conf_key", "read_user_conf", "write_user_conf"]

_LINE = re.compile(r'^\s*"([^"]*)"\s*,\s*"([^"]*)"\s*$')


def conf_key(windows: bool) -> str:
    """``INTERPRETER_WIN`` or ``INTERPRETER_MAC``: the key xlwings reads on that system."""
    return "INTERPRETER_WIN" if windows else "INTERPRETER_MAC"


def conf_encoding(windows: bool) -> str:
    """The encoding VBA's ``Input #`` reads: the ANSI code page on Windows, else UTF-8."""
    if not windows:
        return "utf-8"
    return "mbcs" if sys.platform == "win32" else "cp1252"


def read_user_conf(path: Path, encoding: str = "utf-8") -> dict[str, str]:
    """The file's settings, keys in lower case; ``{}`` when it does not exist."""
    try:
        text = path.read_text(encoding=encoding, errors="replace")
    except OSError:
        return {}
    out: dict[str, str] = {}
    for line in text.splitlines():
        match = _LINE.match(line)
        if match:
            out.setdefault(match.group(1).lower(), match.group(2))
    return out


def write_user_conf(path: Path, key: str, value: str, encoding: str = "utf-8") -> Path:
    """Set ``key`` to ``value`` in the file, keeping its other lines; create it if missing.

    Args:
        path: The user's ``pmo.conf``.
        key: The setting, e.g. ``INTERPRETER_WIN``.
        value: Its value (no double quote, no line break).
        encoding: The file's encoding (:func:`conf_encoding`).

    Returns:
        ``path``.

    Raises:
        ValueError: For a value xlwings could not read back (a double quote, a line
            break, a character the encoding lacks).
        OSError: When the file cannot be written (the old one is then intact).
    """
    if '"' in value or "\n" in value or "\r" in value:
        raise ValueError(f"{value!r}: xlwings' pmo.conf cannot hold a double quote or line break")
    try:
        value.encode(encoding)
    except UnicodeEncodeError as error:
        raise ValueError(f"{value!r}: {value[error.start]!r} is not in {encoding}") from error
    old = path.read_text(encoding=encoding, errors="replace") if path.exists() else None
    lines = [
        line
        for line in (old or "").splitlines()
        if not ((m := _LINE.match(line)) and m.group(1).lower() == key.lower())
    ]
    lines.append(f'"{key}","{value}"')
    text = "\r\n".join(lines) + "\r\n"
    if old == text:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    if old is not None:
        shutil.copy2(path, path.with_name(path.name + ".bak"))
    with atomic_path(path) as temp:
        temp.write_text(text, encoding=encoding, newline="")
    return path
