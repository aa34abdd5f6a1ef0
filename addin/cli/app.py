"""The ``pmo`` command: the Typer app, its shared options, and how a command speaks and fails.

Each command (in :mod:`addin.cli.tracker`, :mod:`addin.cli.portfolio`,
:mod:`addin.cli.admin`) parses its arguments, calls one use case of
:mod:`addin.app`, renders the result and maps it to an exit code:

* 0 - clean;
* 1 - findings (error-severity validation findings);
* 2 - usage or configuration error;
* 3 - some input files unreadable, outputs written;
* 4 - outputs not written;
* 5 - the history database could not be used (``history not saved: ...``; the outputs
  were written);
* 130, 143 - interrupted by Ctrl-C, SIGTERM (one line says what was written).

``--format json`` prints exactly the library's report. Everything printed goes
through :func:`echo`, which makes it terminal-safe. No spreadsheet library is
imported by the command line, and each command imports the layers it uses inside its
function, so starting ``pmo`` costs only what the command invoked needs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

import addin
from addin.core.cells import FIRST_DATE, LAST_DATE
from addin.core.config_file import CONFIG_FILENAME
from addin.core.errors import ConfigError, UnsafePathError, os_reason
from addin.core.words import terminal_safe

if TYPE_CHECKING:
    from addin.core.settings import Settings

# The layers below (settings models, engine, outputs, history) are imported inside the
# functions that use them: every ribbon click starts Python, and ``pmo validate`` must not
# pay for the database or the dashboard (tests/test_cold_start.py).

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_UNREADABLE, EXIT_NOT_WRITTEN = 0, 1, 2, 3, 4
EXIT_HISTORY = 5

app = typer.Typer(
    rich_markup_mode="markdown",
    name="pmo",
    help="PMO governance for Excel project trackers: validate, consolidate, RAG, dashboards.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
config_app = typer.Typer(
    rich_markup_mode="markdown",
    help="Show or create the settings file (pmo.toml).",
    no_args_is_help=True,
)
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
        help=(
            "The date to judge staleness and future dates against (YYYY-MM-DD, from "
            "1900-01-01 to 9999-12-31; default today)."
        ),
    ),
]


def echo(text: str = "", *, err: bool = False, nl: bool = True) -> None:
    """Print a block of output: the one way the command line writes to the terminal.

    Whatever it holds (file names, cell values, reasons) passes
    :func:`~addin.core.words.terminal_safe`, so no escape sequence, control or bidi
    character from a tracker reaches the terminal as itself.

    A stream that cannot be written (redirected to a full disk; a pipe whose reader left,
    as ``| head`` does) is written no more, and the command goes on: its outputs matter
    more than its report. A full disk under standard output is said once on standard
    error; a closed pipe is not (it was closed on purpose).
    """
    stream = sys.stderr if err else sys.stdout
    if any(lost is stream for lost in _LOST):
        return
    try:
        typer.echo(terminal_safe(text, lines=True), err=err, nl=nl)
    except OSError as exc:
        _LOST.append(stream)
        if not err and not isinstance(exc, BrokenPipeError):
            why = os_reason(exc)
            with contextlib.suppress(OSError):
                typer.echo(f"pmo: cannot write to standard output ({why}); going on", err=True)


#: The streams that could not be written (held, so another stream never takes their id).
_LOST: list[object] = []


class Written:
    """What this command has written so far (the line an interruption prints names it)."""

    def __init__(self) -> None:
        self.paths: list[Path] = []
        self.annotating = False


WRITTEN = Written()


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Say why the command cannot go on (one line on stderr) and exit with ``code``."""
    echo(f"pmo: {terminal_safe(message)}", err=True)
    raise typer.Exit(code)


def settings_of(path: Path | None) -> Settings:
    """The effective settings (``--config``, else ./pmo.toml, else $PMO_CONFIG); exit 2 if bad."""
    from addin.app.settings import resolve_settings

    try:
        return resolve_settings(path, folder=Path.cwd())
    except ConfigError as exc:
        fail(str(exc))


def as_of_date(text: str | None) -> dt.date:
    """The ``--as-of`` date (default today); exit 2 when it is not a date Excel can show."""
    if text is None:
        return dt.date.today()
    try:
        date = dt.date.fromisoformat(text)
    except ValueError:
        fail(f"--as-of must be a date like 2026-11-20, got {text!r}")
    if not FIRST_DATE <= date <= LAST_DATE:
        fail(f"--as-of must be a date Excel can show, {FIRST_DATE} to {LAST_DATE}, got {text}")
    return date


def check_paths(
    inputs: list[Path],
    outputs: list[tuple[str, Path | None]],
    *,
    log: Path | None = None,
    replaceable: Callable[[Path], bool] | None = None,
) -> None:
    """Refuse (exit 2, one line) any output that would replace an input, a device or a twin."""
    from addin.app.output_paths import Output, check_outputs

    wanted = [Output(option, path) for option, path in outputs if path is not None]
    if log is not None:
        wanted.append(Output("--log-file", log, appends=True))
    try:
        check_outputs(inputs, wanted, replaceable=replaceable)
    except UnsafePathError as exc:
        fail(str(exc))


def _version(value: bool) -> None:
    if value:
        echo(f"pmo {addin.__version__}")
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


def _jobs(value: int | None) -> int | None:
    """Cap ``--jobs`` at the CPUs available, saying so (the engine applies the same cap)."""
    if value is None:
        return None
    from addin.engine.workers import effective_jobs

    capped = effective_jobs(value)
    if capped < value:
        echo(f"pmo: --jobs {value} capped at {capped} (the CPUs available)", err=True)
    return capped


JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs", "-j", min=1, callback=_jobs, help="Reader processes (default and most: CPUs)."
    ),
]
LogFileOption = Annotated[
    Path | None,
    typer.Option("--log-file", help="Append a JSON-lines log of the run (for schedulers)."),
]
HistoryOption = Annotated[
    str | None,
    typer.Option(
        "--history",
        help=(
            "History database: a file (SQLite) or postgresql+psycopg://USER@HOST/DB "
            "(default: [history] url, else pmo-history.sqlite beside the portfolio)."
        ),
    ),
]
NoHistoryOption = Annotated[
    bool, typer.Option("--no-history", help="Keep no snapshot of this run (and no trends).")
]
