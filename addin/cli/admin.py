"""Administrative commands: ``build-addin``, ``demo``, ``rules`` and ``config``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from addin.app.demo import run_demo
from addin.cli.app import EXIT_NOT_WRITTEN, ConfigOption, app, config_app, fail, settings_of
from addin.core.errors import OutputError, PmoError
from addin.core.rules import RULES, RuleBook
from addin.core.settings import CONFIG_FILENAME, Settings, to_toml
from addin.outputs.atomic import atomic_path


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
    typer.echo(f"wrote {path}")


@app.command()
def demo(
    outdir: Annotated[Path, typer.Argument(help="Folder for the demo's outputs.")] = Path(
        "pmo-demo"
    ),
) -> None:
    """Run the whole job on the bundled sample trackers and say where each output is."""
    try:
        outputs = run_demo(outdir, echo=typer.echo)
    except PmoError as exc:
        fail(str(exc), EXIT_NOT_WRITTEN)
    typer.echo("")
    typer.echo("Outputs:")
    width = max(len(label) for label in outputs)
    for label, path in outputs.items():
        typer.echo(f"  {label:<{width}}  {path}")


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
        typer.echo(f"{rule.id:<{width}}  {level or 'off':<7}  {rule.doc}")


@config_app.command("show")
def config_show(config: ConfigOption = None) -> None:
    """Print the effective settings (defaults overlaid with pmo.toml) as TOML."""
    settings = settings_of(config)
    typer.echo(to_toml(settings, commented=False), nl=False)


@config_app.command("init")
def config_init(
    path: Annotated[Path, typer.Argument(help="Where to write the file.", dir_okay=False)] = Path(
        CONFIG_FILENAME
    ),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented pmo.toml with every setting at its default."""
    if path.exists() and not force:
        fail(f"{path} exists; use --force to overwrite it")
    try:
        with atomic_path(path) as tmp:
            tmp.write_text(to_toml(Settings()), encoding="utf-8")
    except (OutputError, OSError) as exc:
        fail(str(exc), EXIT_NOT_WRITTEN)
    typer.echo(f"wrote {path}")
