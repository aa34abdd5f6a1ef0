"""The ``pmo`` command: the Typer app, its shared options, and how a command fails.

Each command (in :mod:`addin.cli.tracker`, :mod:`addin.cli.portfolio`,
:mod:`addin.cli.admin`) parses its arguments, calls one use case of
:mod:`addin.app`, renders the result and maps it to an exit code:

* 0 - clean;
* 1 - findings (error-severity validation findings);
* 2 - usage or configuration error;
* 3 - some input files unreadable, outputs written;
* 4 - outputs not written.

``--format json`` prints exactly the library's report. No spreadsheet library is
imported by the command line.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from addin import __version__
from addin.app.settings import resolve_settings
from addin.core.errors import ConfigError
from addin.core.settings import CONFIG_FILENAME, Settings

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_UNREADABLE, EXIT_NOT_WRITTEN = 0, 1, 2, 3, 4

app = typer.Typer(
    name="pmo",
    help="PMO governance for Excel project trackers: validate, consolidate, RAG, dashboards.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
config_app = typer.Typer(help="Show or create the settings file (pmo.toml).", no_args_is_help=True)
app.add_typer(config_app, name="config")


class Format(StrEnum):
    """Output formats of reporting commands."""

    text = "text"
    json = "json"


ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help=f"Settings file (default: ./{CONFIG_FILENAME} when present, else $PMO_CONFIG).",
        dir_okay=False,
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="The date to judge staleness and future dates against (YYYY-MM-DD; default today).",
    ),
]


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Say why the command cannot go on (one line on stderr) and exit with ``code``."""
    typer.echo(f"pmo: {message}", err=True)
    raise typer.Exit(code)


def settings_of(path: Path | None) -> Settings:
    """The effective settings (``--config``, else ./pmo.toml, else $PMO_CONFIG); exit 2 if bad."""
    try:
        return resolve_settings(path, folder=Path.cwd())
    except ConfigError as exc:
        fail(str(exc))


def as_of_date(text: str | None) -> dt.date:
    """The ``--as-of`` date (default today); exit 2 when it is not a date."""
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(f"--as-of must be a date like 2026-11-20, got {text!r}")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"pmo {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """PMO governance for Excel project trackers."""


JobsOption = Annotated[
    int | None, typer.Option("--jobs", "-j", min=1, help="Reader processes (default: CPUs).")
]
LogFileOption = Annotated[
    Path | None,
    typer.Option("--log-file", help="Append a JSON-lines log of the run (for schedulers)."),
]
