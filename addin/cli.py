"""The ``pmo`` command: a thin shell over the engine.

Each command parses its arguments, calls one library function, renders the
result and maps it to an exit code:

* 0 - clean;
* 1 - findings (error-severity validation findings);
* 2 - usage or configuration error;
* 3 - some input files unreadable, outputs written;
* 4 - outputs not written.

``--format json`` prints exactly the library's report. No spreadsheet library is
imported here.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from addin import __version__
from addin.config import CONFIG_FILENAME, Settings, load_settings, to_toml
from addin.errors import ConfigError, OutputError, PmoError
from addin.findings import FileStatus, Report
from addin.words import counted

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
        help=f"Settings file (default: ./{CONFIG_FILENAME} when present).",
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


def _fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    typer.echo(f"pmo: {message}", err=True)
    raise typer.Exit(code)


def _settings(path: Path | None) -> Settings:
    try:
        return load_settings(path)
    except ConfigError as exc:
        _fail(str(exc))


def _as_of(text: str | None) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        _fail(f"--as-of must be a date like 2026-11-20, got {text!r}")


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


# --- validate ------------------------------------------------------------------------------


def render_report(report: Report) -> str:
    """Render a validation report as text: one block per file, one line per finding."""
    lines: list[str] = []
    for fr in report.files:
        counts = f"{counted(fr.errors, 'error')}, {counted(fr.warnings, 'warning')}"
        lines.append(f"{fr.file}  {fr.status}  ({counts})")
        if fr.status in (FileStatus.UNREADABLE, FileStatus.NOT_A_TRACKER):
            lines.append(f"  {fr.reason}")
            continue
        width = max((len(f.location) for f in fr.findings), default=0)
        for f in fr.findings:
            lines.append(f"  {f.location or '-':<{width}}  {f.severity:<7}  {f.rule}  {f.message}")
    s = report.summary()
    lines.append(
        f"{counted(s['files'], 'file')}: {s['valid']} valid, {s['invalid']} invalid, "
        f"{s['unreadable']} unreadable, {s['not_a_tracker']} not a tracker; "
        f"{s['errors']} errors, {s['warnings']} warnings"
    )
    return "\n".join(lines)


def exit_code(report: Report) -> int:
    """Map a report to the exit code: 3 unreadable files, 1 error findings, else 0."""
    if report.count(FileStatus.UNREADABLE):
        return EXIT_UNREADABLE
    return EXIT_FINDINGS if report.errors else EXIT_OK


@app.command()
def validate(
    paths: Annotated[
        list[str], typer.Argument(help="Tracker files, folders (searched recursively) or globs.")
    ],
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="text (one line a finding) or json.")
    ] = Format.text,
    config: ConfigOption = None,
    as_of: AsOfOption = None,
    fail_fast: Annotated[
        bool, typer.Option("--fail-fast", help="Stop each file at its first error.")
    ] = False,
    annotate: Annotated[
        bool,
        typer.Option(
            "--annotate", help="Write findings into a copy of each workbook (<name>.checked.xlsx)."
        ),
    ] = False,
    in_place: Annotated[
        bool,
        typer.Option(
            "--in-place", help="With --annotate: update the workbook itself, keeping a backup."
        ),
    ] = False,
) -> None:
    """Validate trackers against the PMO standard; every finding names its cell."""
    from addin.discover import discover
    from addin.validate import check_files

    settings = _settings(config)
    date = _as_of(as_of)
    found = discover(paths)
    if found.missing:
        _fail(f"no such file or folder: {', '.join(found.missing)}")
    if in_place and not annotate:
        _fail("--in-place only makes sense with --annotate")
    report = check_files(found.files, settings, as_of=date, fail_fast=fail_fast)
    if annotate:
        from addin.annotate import annotate_file

        for fr in report.files:
            if fr.status in (FileStatus.UNREADABLE, FileStatus.NOT_A_TRACKER):
                continue
            try:
                written = annotate_file(Path(fr.file), fr.findings, in_place=in_place)
            except PmoError as exc:
                typer.echo(f"pmo: {exc}", err=True)
                raise typer.Exit(EXIT_NOT_WRITTEN) from None
            if fmt is Format.text:
                typer.echo(f"annotated: {written}", err=True)
    if fmt is Format.json:
        typer.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        typer.echo(render_report(report))
    raise typer.Exit(exit_code(report))


# --- rules and settings ----------------------------------------------------------------------


@app.command()
def rules(
    config: ConfigOption = None,
) -> None:
    """List every validation rule: id, severity in effect, and what it checks."""
    from addin.rules import RULES, RuleBook

    settings = _settings(config)
    book = RuleBook(dict(settings.rules))
    width = max(len(r) for r in RULES)
    for rule in RULES.values():
        level = book.severity(rule.id)
        typer.echo(f"{rule.id:<{width}}  {level or 'off':<7}  {rule.doc}")


@config_app.command("show")
def config_show(config: ConfigOption = None) -> None:
    """Print the effective settings (defaults overlaid with pmo.toml) as TOML."""
    settings = _settings(config)
    typer.echo(to_toml(settings, commented=False), nl=False)


@config_app.command("init")
def config_init(
    path: Annotated[Path, typer.Argument(help="Where to write the file.", dir_okay=False)] = Path(
        CONFIG_FILENAME
    ),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented pmo.toml with every setting at its default."""
    from addin.atomic import atomic_path

    if path.exists() and not force:
        _fail(f"{path} exists; use --force to overwrite it")
    try:
        with atomic_path(path) as tmp:
            tmp.write_text(to_toml(Settings()), encoding="utf-8")
    except (OutputError, OSError) as exc:
        _fail(str(exc), EXIT_NOT_WRITTEN)
    typer.echo(f"wrote {path}")


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover - interactive
        typer.echo("pmo: interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
