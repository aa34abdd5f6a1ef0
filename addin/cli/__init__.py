"""The ``pmo`` command line: a thin shell over the use cases in :mod:`addin.app`.

:mod:`addin.cli.app` holds the Typer app and the options commands share; the
commands live in :mod:`addin.cli.tracker` (validate, new-tracker),
:mod:`addin.cli.portfolio` (consolidate, dashboard) and :mod:`addin.cli.admin`
(build-addin, demo, rules, config), each registered on import.
"""

from __future__ import annotations

import sys

import typer

from addin.cli import admin, portfolio, tracker
from addin.cli.app import EXIT_FINDINGS, EXIT_NOT_WRITTEN, EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE, app
from addin.cli.tracker import exit_code, render_report

#: The command modules (imported to register their commands).
COMMANDS = (tracker, portfolio, admin)


def main() -> None:
    """Console-script entry point."""
    for stream in (sys.stdout, sys.stderr):  # a file name that is not UTF-8 never ends a run
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover - interactive
        typer.echo("pmo: interrupted", err=True)
        sys.exit(130)


__all__ = [
    "COMMANDS",
    "EXIT_FINDINGS",
    "EXIT_NOT_WRITTEN",
    "EXIT_OK",
    "EXIT_UNREADABLE",
    "EXIT_USAGE",
    "app",
    "exit_code",
    "main",
    "render_report",
]
