"""The version guard: the add-in, the package and xlwings must be the ones built together.

``PMO.xlam`` embeds xlwings' VBA of the xlwings installed when it was built (its
DLL and AppleScript names carry that version), and calls
``addin.excel.ribbon.dispatch`` of the pmo-addin that built it. Every button
passes the add-in's two versions to Python (``addin_version=..., xlwings_version=...``);
:func:`mismatches` compares them with what this Python has, and a mismatch
stops the button with a message saying what differs and how to fix it, before
anything runs.
"""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

from addin import __version__

__all__ = ["AddinBuild", "mismatch_message", "mismatches", "xlwings_version"]

FIX = (
    "Nothing was run. To fix it, in a terminal run `pmo addin install` with the Python "
    "the add-in should use (it rebuilds PMO.xlam for that Python), then restart Excel."
)


@dataclass(frozen=True)
class AddinBuild:
    """What the add-in (``PMO.xlam``) reports about itself when a button calls Python."""

    addin_version: str
    """The pmo-addin version that built the add-in (``PMO_ADDIN_VERSION``)."""
    xlwings_version: str
    """The xlwings whose VBA the add-in carries (``XLWINGS_VERSION``)."""


def xlwings_version() -> str:
    """The installed xlwings' version, or ``not installed``."""
    try:
        return version("xlwings")
    except PackageNotFoundError:
        return "not installed"


def mismatches(build: AddinBuild) -> list[str]:
    """Each way the add-in and this Python do not match, in words (empty: they match).

    Args:
        build: The versions the add-in reported.

    Returns:
        One sentence per mismatch.
    """
    problems = []
    python = f"the Python it runs ({sys.executable})"
    if build.addin_version != __version__:
        problems.append(
            f"PMO.xlam was built by pmo-addin {build.addin_version or '(unknown)'}, "
            f"but {python} has pmo-addin {__version__}."
        )
    installed = xlwings_version()
    if build.xlwings_version != installed:
        problems.append(
            f"PMO.xlam carries the VBA of xlwings {build.xlwings_version or '(unknown)'}, "
            f"but {python} has xlwings {installed}."
        )
    return problems


def mismatch_message(problems: list[str]) -> str:
    """The message a button shows when the add-in and Python do not match."""
    return "\n".join(["PMO.xlam and its Python do not match:", *problems, FIX])


def python_version() -> str:
    """``3.11.9 (/path/to/python)``."""
    return f"{platform.python_version()} ({sys.executable})"
