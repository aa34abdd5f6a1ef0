"""Resource commands: ``pmo upgrade-tracker`` and ``pmo new-capacity``; the shared options."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from addin.cli.app import (
    EXIT_NOT_WRITTEN,
    EXIT_OK,
    ConfigOption,
    app,
    check_paths,
    echo,
    fail,
    settings_of,
)
from addin.cli.reporter import Reporter, write_or_exit
from addin.core.errors import ConfigError
from addin.core.words import terminal_safe

if TYPE_CHECKING:
    from addin.core.settings import Settings
    from addin.resources import CapacityList


class Period(StrEnum):
    """Planning periods of ``--period``."""

    month = "month"
    week = "week"


CapacityOption = Annotated[
    Path | None,
    typer.Option(
        "--capacity",
        help="The PMO's capacity list (default: [resources] capacity in pmo.toml).",
        dir_okay=False,
    ),
]
PeriodOption = Annotated[
    Period | None,
    typer.Option("--period", help="Resource demand per month or per ISO week (default: month)."),
]


def capacity_of(settings: Settings, named: Path | None) -> CapacityList | None:
    """The capacity list (``--capacity``, else the settings'); exit 2 in one line if bad."""
    from addin.app.resources import capacity_list

    try:
        return capacity_list(settings, named)
    except ConfigError as exc:
        fail(str(exc))


def capacity_input(settings: Settings, named: Path | None) -> list[Path]:
    """The capacity list's path as an input no output may replace (none: [])."""
    from addin.app.resources import capacity_path

    path = capacity_path(settings, named)
    return [path] if path is not None else []


@app.command("upgrade-tracker")
def upgrade_tracker(
    paths: Annotated[list[Path], typer.Argument(help="Tracker files (.xlsx, .xlsm).")],
    in_place: Annotated[
        bool,
        typer.Option(
            "--in-place",
            help="Replace each tracker itself, after a byte-for-byte backup beside it "
            "(default: write NAME.upgraded.xlsx beside it).",
        ),
    ] = False,
    capacity: CapacityOption = None,
    config: ConfigOption = None,
) -> None:
    """Bring trackers to the current template: new sheets and columns, every value kept."""
    from addin.app.find import find_trackers
    from addin.app.upgrade import upgrade
    from addin.outputs.upgrade import upgraded_path

    settings = settings_of(config)
    found = find_trackers([str(p) for p in paths])
    if found.missing:
        fail(f"no such file or folder: {', '.join(found.missing)}")
    files = [Path(f) for f in found.files]
    if not in_place:
        check_paths(files, [("upgraded copy", upgraded_path(f)) for f in files])
    people = capacity_of(settings, capacity)
    code = EXIT_OK
    for outcome in upgrade(files, settings, in_place=in_place, capacity=people):
        name = terminal_safe(str(outcome.file))
        done = outcome.done
        if done is None:
            echo(f"{name}: {terminal_safe(outcome.reason)}")
            code = EXIT_NOT_WRITTEN
        elif done.current:
            echo(f"{name}: already at the current template version; left as it was")
        else:
            where = (
                f"upgraded in place (backup {done.backup})"
                if in_place
                else f"upgraded copy {done.written}"
            )
            echo(f"{name}: {terminal_safe(where)}")
            for line in done.changes:
                echo(f"  {terminal_safe(line)}")
            if done.missing:
                echo(f"  not carried over: {terminal_safe('; '.join(done.missing))}")
    raise typer.Exit(code)


@app.command("new-capacity")
def new_capacity_list(
    output: Annotated[
        Path, typer.Argument(help="The capacity list workbook to create (.xlsx).", dir_okay=False)
    ],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    config: ConfigOption = None,
) -> None:
    """Create the PMO's capacity list (people, FTE, availability, holidays) from its template."""
    from addin.app.resources import new_capacity

    settings = settings_of(config)
    if output.suffix.lower() != ".xlsx":
        fail(f"a capacity list must be an .xlsx file, got {output.name}")
    if output.exists() and not force:
        fail(f"{output} exists; use --force to replace it (files are never overwritten silently)")
    check_paths([], [("new-capacity", output)])
    path = write_or_exit(lambda: new_capacity(output, settings), Reporter(0, None))
    echo(f"wrote {path}")
