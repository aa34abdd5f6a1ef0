"""Administrative commands: ``build-addin``, ``addin``, ``demo``, ``rules`` and ``config``.

The add-in commands drive the Excel layer (building and installing ``PMO.xlam``); the
command line is the outermost layer, so it may.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from addin.cli.app import (
    EXIT_FINDINGS,
    EXIT_NOT_WRITTEN,
    ConfigOption,
    app,
    check_paths,
    config_app,
    echo,
    fail,
    settings_of,
)
from addin.core.config_file import CONFIG_FILENAME
from addin.core.errors import OutputError, PmoError, os_reason
from addin.core.rules import RULES, RuleBook


@app.command("build-addin")
def build_addin(
    output: Annotated[Path, typer.Option("--output", "-o", help="The add-in to write.")] = Path(
        "dist/PMO.xlam"
    ),
    macros: Annotated[
        Path | None,
        typer.Option(
            "--macros",
            help="Folder with PMO.bas, customUI14.xml, pmo.conf.tsv (default: ./macros).",
        ),
    ] = None,
    python: Annotated[
        str | None,
        typer.Option(
            "--python", help="Python interpreter the add-in runs (default: python on PATH)."
        ),
    ] = None,
) -> None:
    """Build the Excel add-in PMO.xlam from the VBA and ribbon sources (works on Linux)."""
    from addin.excel.xlam import build_addin as build

    try:
        path = build(output, macros, python=python)
    except OutputError as exc:
        fail(str(exc), EXIT_NOT_WRITTEN)
    except PmoError as exc:
        fail(str(exc))
    echo(f"wrote {path}")


@app.command()
def demo(
    outdir: Annotated[Path, typer.Argument(help="Folder for the demo's outputs.")] = Path(
        "pmo-demo"
    ),
) -> None:
    """Run the whole job on the bundled sample trackers and say where each output is."""
    from addin.app.demo import run_demo  # the samples' generator, only when asked for

    try:
        outputs = run_demo(outdir, echo=echo)
    except PmoError as exc:
        fail(str(exc), EXIT_NOT_WRITTEN)
    echo("")
    echo("Outputs:")
    width = max(len(label) for label in outputs)
    for label, path in outputs.items():
        echo(f"  {label:<{width}}  {path}")


# --- rules and settings ----------------------------------------------------------------------


@app.command()
def rules(
    config: ConfigOption = None,
) -> None:
    """List every validation rule: id, severity in effect, and what it checks."""
    settings = settings_of(config)
    book = RuleBook(dict(settings.rules))
    width = max(len(r) for r in RULES)
    for rule in RULES.values():
        level = book.severity(rule.id)
        echo(f"{rule.id:<{width}}  {level or 'off':<7}  {rule.doc}")


@config_app.command("show")
def config_show(config: ConfigOption = None) -> None:
    """Print the effective settings (defaults overlaid with pmo.toml) as TOML."""
    from addin.core.settings import to_toml
    from addin.history.url import shown as shown_url

    settings = settings_of(config)
    shown = settings.with_changes({"history.url": shown_url(settings.history.url)})
    echo(to_toml(shown, commented=False), nl=False)


@config_app.command("init")
def config_init(
    path: Annotated[Path, typer.Argument(help="Where to write the file.", dir_okay=False)] = Path(
        CONFIG_FILENAME
    ),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented pmo.toml with every setting at its default."""
    from addin.core.settings import Settings, to_toml
    from addin.outputs.atomic import atomic_path

    if path.exists() and not force:
        fail(f"{path} exists; use --force to overwrite it")
    check_paths([], [("config init", path)])
    try:
        with atomic_path(path) as tmp:
            tmp.write_text(to_toml(Settings()), encoding="utf-8")
    except OutputError as exc:
        fail(str(exc), EXIT_NOT_WRITTEN)
    except OSError as exc:
        fail(f"{path}: cannot write the settings file ({os_reason(exc)})", EXIT_NOT_WRITTEN)
    echo(f"wrote {path}")


addin_app = typer.Typer(
    rich_markup_mode="markdown",
    help="Install, check or remove the Excel add-in PMO.xlam (Windows and macOS).",
    no_args_is_help=True,
)
app.add_typer(addin_app, name="addin")
GlobalOption = Annotated[
    bool,
    typer.Option(
        "--global", help="Excel's own XLSTART, for every user (Windows; elevated prompt)."
    ),
]


@addin_app.command("install")
def addin_install(
    python: Annotated[
        str | None,
        typer.Option("--python", help="Interpreter the add-in runs (default: this Python)."),
    ] = None,
    all_users: GlobalOption = False,
    xlam: Annotated[
        Path | None,
        typer.Option(
            "--xlam", help="Install this PMO.xlam instead of building one.", dir_okay=False
        ),
    ] = None,
    macros: Annotated[
        Path | None, typer.Option("--macros", help="The add-in's sources (default: ./macros).")
    ] = None,
) -> None:
    """Build PMO.xlam, put it where Excel loads it, and write your pmo.conf."""
    from addin.excel.install import InstallError, Machine, install

    try:
        lines = install(
            Machine.current(), python=python, all_users=all_users, xlam=xlam, macros_dir=macros
        )
    except InstallError as exc:
        fail(str(exc), exc.exit_code)
    for line in lines:
        echo(line)


@addin_app.command("status")
def addin_status() -> None:
    """Check the installed add-in, its versions and your pmo.conf (exit 1 on a problem)."""
    from addin.excel.install import InstallError, Machine, status

    try:
        checks = status(Machine.current())
    except InstallError as exc:
        fail(str(exc), exc.exit_code)
    for check in checks:
        echo(f"{'ok     ' if check.ok else 'PROBLEM'}  {check.text}")
    if not all(check.ok for check in checks):
        raise typer.Exit(EXIT_FINDINGS)


@addin_app.command("remove")
def addin_remove(all_users: GlobalOption = False) -> None:
    """Remove the installed PMO.xlam (your pmo.conf is kept)."""
    from addin.excel.install import InstallError, Machine, remove

    try:
        lines = remove(Machine.current(), all_users=all_users)
    except InstallError as exc:
        fail(str(exc), exc.exit_code)
    for line in lines:
        echo(line)
