"""Onboarding commands: ``pmo inspect`` (what the reader recognised) and ``pmo adopt``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from addin.cli.app import (
    EXIT_FINDINGS,
    EXIT_NOT_WRITTEN,
    EXIT_OK,
    EXIT_UNREADABLE,
    WRITTEN,
    ConfigOption,
    Format,
    app,
    check_paths,
    echo,
    fail,
    settings_of,
)
from addin.core.errors import NotATrackerError, OutputError, UnreadableFileError
from addin.core.words import counted, terminal_safe

if TYPE_CHECKING:
    from addin.app.adopt import Adoption

FileArgument = Annotated[
    Path, typer.Argument(help="A tracker workbook (.xlsx, .xlsm, .xls).", dir_okay=False)
]


def _existing(path: Path) -> None:
    if not path.is_file():
        fail(f"no such file: {path}")


@app.command()
def inspect(
    path: FileArgument,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="text (one screen) or json.")
    ] = Format.text,
    config: ConfigOption = None,
) -> None:
    """Say what the reader recognised in one workbook, and print a mapping block for pmo.toml."""
    from addin.app.inspect import inspect as run_inspect
    from addin.app.inspect_text import render_inspection

    settings = settings_of(config)
    _existing(path)
    found = run_inspect(path, settings)
    if fmt is Format.json:
        echo(json.dumps(found.to_dict(), indent=2, ensure_ascii=False, allow_nan=False))
    else:
        echo(render_inspection(found))
    raise typer.Exit(EXIT_UNREADABLE if found.status == "unreadable" else EXIT_OK)


def _summary(done: Adoption) -> str:
    rows = ", ".join(f"{key} {n}" for key, n in done.rows.items()) or "no rows"
    return (
        f"adopted {terminal_safe(done.source)}: {rows}; "
        f"{counted(done.notes, 'value')} with a note naming its source cell; "
        f"{counted(len(done.left), 'thing')} not carried over (listed on the Adoption sheet)"
    )


@app.command()
def adopt(
    path: FileArgument,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="The standard tracker to write (default: NAME.adopted.xlsx beside NAME.xlsx).",
            dir_okay=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing output.")] = False,
    config: ConfigOption = None,
) -> None:
    """Write a tracker's content into the governed template, each value with its source cell."""
    from addin.app.adopt import adopt as run_adopt
    from addin.app.adopt import adopted_path

    settings = settings_of(config)
    _existing(path)
    target = output or adopted_path(path)
    if target.suffix.lower() != ".xlsx":
        fail(f"the adopted tracker must be an .xlsx file, got {target.name}")
    if target.exists() and not force:
        fail(f"{target} exists; use --force to replace it")
    check_paths([path], [("-o", target)])
    try:
        done = run_adopt(path, target, settings)
    except UnreadableFileError as exc:
        fail(str(exc), EXIT_UNREADABLE)
    except NotATrackerError as exc:
        fail(str(exc), EXIT_FINDINGS)
    except OutputError as exc:
        fail(str(exc), EXIT_NOT_WRITTEN)
    WRITTEN.paths.append(done.written)
    echo(_summary(done))
    echo(f"wrote {done.written}")
