"""The ``pmo`` command line: a thin shell over the use cases in :mod:`addin.app`.

:mod:`addin.cli.app` holds the Typer app and the options commands share; the
commands live in :mod:`addin.cli.tracker` (validate, new-tracker),
:mod:`addin.cli.onboarding` (inspect, adopt), :mod:`addin.cli.portfolio` (consolidate,
dashboard), :mod:`addin.cli.resources` (upgrade-tracker, new-capacity),
:mod:`addin.cli.history` (history, lessons), :mod:`addin.cli.decks` (pack, report) and
:mod:`addin.cli.admin` (build-addin, addin, demo, rules, config), each registered on import.
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Sequence
from typing import NoReturn

import typer
from typer.main import get_command_name

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
from addin.cli.quick_exit import exit_status, quick_exit
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


def app_for(args: Sequence[str]) -> typer.Typer:
    """The app that runs ``args``: only the command they name, when they start with one.

    Typer turns every command's signature into Click parameters before it runs any
    (about 20 ms of the 300 a ``pmo validate`` takes from a cold shell); a command line
    that starts with a command's name needs that one only. Any other (``--help``,
    ``--version``, ``config show``, a misspelt name) gets the whole app.
    """
    if not args:
        return app
    named = [
        c
        for c in app.registered_commands
        if c.callback is not None and (c.name or get_command_name(c.callback.__name__)) == args[0]
    ]
    if len(named) != 1:
        return app
    one = copy.copy(app)
    one.registered_commands = named
    one.registered_groups = []
    return one


def main() -> None:
    """Console-script entry point."""
    for stream in (sys.stdout, sys.stderr):  # a file name that is not UTF-8 never ends a run
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    install()
    try:
        app_for(sys.argv[1:])()
    except Interrupted as stop:  # Ctrl-C or SIGTERM: every finally has run on the way here
        from addin.engine.workers import stop_all

        stop_all()
        echo(interrupted_line(stop), err=True)
        sys.exit(stop.exit_code)


def run() -> NoReturn:
    """The ``pmo`` program: :func:`main`, then :func:`~addin.cli.quick_exit.quick_exit`.

    An error no command handled still ends as Python ends: with its traceback.
    """
    try:
        main()
        status = 0
    except SystemExit as stop:
        if stop.code is not None and not isinstance(stop.code, int):
            echo(str(stop.code), err=True)  # as Python prints it
        status = exit_status(stop.code)
    quick_exit(status)


__all__ = [
    "COMMANDS",
    "EXIT_FINDINGS",
    "EXIT_HISTORY",
    "EXIT_NOT_WRITTEN",
    "EXIT_OK",
    "EXIT_UNREADABLE",
    "EXIT_USAGE",
    "app",
    "app_for",
    "exit_code",
    "interrupted_line",
    "main",
    "render_report",
    "run",
]
