"""Portfolio commands: ``pmo consolidate`` and ``pmo dashboard``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from addin.app.consolidate import Outputs, cache_beside, find_trackers, output_jobs
from addin.app.consolidate import consolidate as consolidate_trackers
from addin.app.dashboard import dashboard as build_dashboard
from addin.app.dashboard import load_portfolio
from addin.app.dashboard import pdf as print_pdf
from addin.cli.app import (
    EXIT_FINDINGS,
    EXIT_NOT_WRITTEN,
    EXIT_OK,
    EXIT_UNREADABLE,
    AsOfOption,
    ConfigOption,
    JobsOption,
    LogFileOption,
    app,
    as_of_date,
    check_paths,
    echo,
    fail,
    settings_of,
)
from addin.cli.reporter import Reporter, write_all, write_or_exit
from addin.core.errors import PmoError, UnsafePathError
from addin.core.findings import FileStatus
from addin.core.ours import written_by_pmo
from addin.core.words import counted, terminal_safe
from addin.engine.cache import check_cache_path
from addin.engine.run import PortfolioRun


@app.command()
def consolidate(
    sources: Annotated[
        list[str], typer.Argument(help="Tracker files, folders (recursive) or globs.")
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The portfolio workbook to write.")
    ],
    as_of: AsOfOption = None,
    jobs: JobsOption = None,
    config: ConfigOption = None,
    json_out: Annotated[
        Path | None,
        typer.Option("--json", help="Also write the Projects rows as JSON (snake_case keys)."),
    ] = None,
    dashboard: Annotated[
        Path | None,
        typer.Option("--dashboard", help="Also write the dashboard workbook (no re-read)."),
    ] = None,
    pack: Annotated[
        Path | None,
        typer.Option("--pack", help="Also write the steering pack (.pptx; no re-read)."),
    ] = None,
    cache: Annotated[
        Path | None,
        typer.Option("--cache", help="Cache file (default: beside the output).", dir_okay=False),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Read every file again; keep no cache.")
    ] = False,
    log_file: LogFileOption = None,
) -> None:
    """Consolidate trackers into one portfolio workbook, with computed RAG and reasons."""
    settings = settings_of(config)
    date = as_of_date(as_of)
    found = find_trackers(sources)
    if found.missing:
        fail(f"no such file or folder: {', '.join(found.missing)}")
    if output.suffix.lower() != ".xlsx":
        fail(f"the portfolio must be an .xlsx file, got {output.name}")
    if pack is not None and pack.suffix.lower() != ".pptx":
        fail(f"the pack must be a .pptx file, got {pack.name}")
    cache_path = None if no_cache else (cache or cache_beside(output))
    named = found.named

    def replaceable(path: Path) -> bool:  # last run's portfolio, found in the folder
        return os.path.normpath(path) not in named and written_by_pmo(path)

    check_paths(
        [*found.files, *(f for f, _ in found.skipped)],
        [
            ("-o", output),
            ("--json", json_out),
            ("--dashboard", dashboard),
            ("--pack", pack),
            ("--cache", cache_path),
        ],
        log=log_file,
        replaceable=replaceable,
    )
    if cache_path is not None:
        try:
            check_cache_path(cache_path)
        except UnsafePathError as exc:
            fail(str(exc))
    reporter = Reporter(len(found.files), log_file)
    try:
        reporter.event(
            event="start", command="consolidate", files=len(found.files), as_of=date, output=output
        )
        run = consolidate_trackers(
            found.files,
            settings,
            as_of=date,
            jobs=jobs,
            cache=cache_path,
            progress=reporter,
            skipped=found.skipped,
            named=named,
        )
        reporter.stop_bar()
        for r in run.reports:
            reporter.event(
                event="file", file=r.file, status=str(r.status), reason=r.reason, errors=r.errors
            )
        wanted = Outputs(portfolio=output, json=json_out, dashboard=dashboard, pack=pack)
        outcomes = write_all(output_jobs(run, settings, wanted), reporter)
        echo(_consolidation_summary(run))
        for line in outcomes:
            echo(line)
        code = EXIT_UNREADABLE if run.unreadable else EXIT_FINDINGS if run.errors else EXIT_OK
        if any(line.startswith("not written") for line in outcomes):
            code = EXIT_NOT_WRITTEN
        reporter.event(event="end", exit_code=code, seconds=round(run.seconds, 3))
    finally:
        reporter.close()
    raise typer.Exit(code)


def _consolidation_summary(result: PortfolioRun) -> str:
    s = {st: sum(1 for r in result.reports if r.status is st) for st in FileStatus}
    lines = [
        f"read {counted(len(result.reports), 'file')} in {result.seconds:.1f} s "
        f"({len(result.reread)} read, {result.cache_hits} from cache): "
        f"{s[FileStatus.VALID]} valid, {s[FileStatus.INVALID]} invalid, "
        f"{s[FileStatus.UNREADABLE]} unreadable, {s[FileStatus.NOT_A_TRACKER]} not a tracker"
        + (f", {s[FileStatus.SKIPPED]} skipped (ours)" if s[FileStatus.SKIPPED] else "")
        + f"; {counted(len(result.projects), 'project')}, "
        f"{counted(result.errors, 'error')}"
    ]
    for r in result.reports:
        if not r.status.read_as_tracker:
            lines.append(f"  {r.status}: {terminal_safe(r.file)}: {terminal_safe(r.reason)}")
    return "\n".join(lines)


@app.command()
def dashboard(
    portfolio: Annotated[
        Path, typer.Argument(help="A portfolio workbook written by `pmo consolidate`.")
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The dashboard workbook to write.")
    ],
    previous: Annotated[
        Path | None, typer.Option("--previous", help="Last period's portfolio, for the RAG trend.")
    ] = None,
    pdf: Annotated[
        Path | None, typer.Option("--pdf", help="Also print the dashboard to PDF (LibreOffice).")
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Build the steering-committee dashboard from a portfolio workbook.

    The portfolio is read like any input, in a worker held to the settings' limits: one
    that cannot be read (damaged, not a portfolio, too large) is refused in one line,
    exit 2.
    """
    settings = settings_of(config)
    inputs = [portfolio] if previous is None else [portfolio, previous]
    check_paths(inputs, [("-o", output), ("--pdf", pdf)])
    try:
        current = load_portfolio(portfolio, settings)
        before = load_portfolio(previous, settings) if previous is not None else None
    except PmoError as exc:
        fail(str(exc))
    reporter = Reporter(0, None)
    written = [
        write_or_exit(lambda: build_dashboard(current, output, settings, previous=before), reporter)
    ]
    if pdf is not None:
        written.append(write_or_exit(lambda: print_pdf(output, pdf), reporter))
    for path in written:
        echo(f"wrote {path}")
