"""The ``pmo`` command line: a thin shell over the use cases in :mod:`addin.app`.

:mod:`addin.cli.app` holds the Typer app and the options commands share; the
commands live in :mod:`addin.cli.tracker` (validate, new-tracker),
:mod:`addin.cli.onboarding` (inspect, adopt), :mod:`addin.cli.portfolio` (consolidate,
dashboard), :mod:`addin.cli.resources` (upgrade-tracker, new-capacity),
:mod:`addin.cli.history` (history, lessons), :mod:`addin.cli.decks` (pack, report) and
:mod:`addin.cli.admin` (build-addin, addin, demo, rules, config), each registered on import.
"""

from __future__ import annotations

import sys

from addin.cli import admin, decks, history, onboarding, portfolio, resources, tracker
from addin.cli.app import (
    EXIT_FINDINGS,
    EXIT_HISTORY,
    EXIT_NOT_WRITTEN,
    EXIT_OK,
    EXIT_UNREADABLE,
    EXIT_USAGE,
    WRITTEN,
    app,
    echo,
)
from addin.cli.tracker import exit_code, render_report
from addin.core.interrupt import Interrupted, install
from addin.core.words import terminal_safe

#: The command modules (imported to register their commands).
COMMANDS = (tracker, onboarding, portfolio, resources, history, decks, admin)


def interrupted_line(stop: Interrupted) -> str:
    """The one line an interrupted command prints: what it wrote before it was stopped."""
    head = f"pmo: interrupted ({stop.name})"
    if WRITTEN.annotating:
        return (
            f"{head} while annotating: trackers annotated before it are complete, "
            "none was left half-written"
        )
    if not WRITTEN.paths:
        return f"{head}; nothing was written"
    paths = WRITTEN.paths
    wrote = ", ".join(terminal_safe(str(p)) for p in paths[:3])
    more = f" and {len(paths) - 3} more" if len(paths) > 3 else ""
    return f"{head}; wrote only {wrote}{more}; nothing else was written"


def main() -> None:
    """Console-script entry point."""
    for stream in (sys.stdout, sys.stderr):  # a file name that is not UTF-8 never ends a run
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    install()
    try:
        app()
    except Interrupted as stop:  # Ctrl-C or SIGTERM: every finally has run on the way here
        from addin.engine.workers import stop_all

        stop_all()
        echo(interrupted_line(stop), err=True)
        sys.exit(stop.exit_code)


__all__ = [
    "COMMANDS",
    "EXIT_FINDINGS",
    "EXIT_HISTORY",
    "EXIT_NOT_WRITTEN",
    "EXIT_OK",
    "EXIT_UNREADABLE",
    "EXIT_USAGE",
    "app",
    "exit_code",
    "interrupted_line",
    "main",
    "render_report",
]
