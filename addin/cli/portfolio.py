"""Portfolio commands: ``pmo consolidate`` and ``pmo dashboard``."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

import addin.core.timing as timing
from addin.cli.app import (
    EXIT_FINDINGS,
    EXIT_HISTORY,
    EXIT_NOT_WRITTEN,
    EXIT_OK,
    EXIT_UNREADABLE,
    AsOfOption,
    ConfigOption,
    HistoryOption,
    JobsOption,
    LogFileOption,
    NoHistoryOption,
    app,
    as_of_date,
    check_paths,
    echo,
    fail,
    settings_of,
)
from addin.cli.reporter import Reporter, write_all, write_or_exit
from addin.cli.resources import CapacityOption, PeriodOption, capacity_input, capacity_of
from addin.core.errors import ConfigError, ExecutorError, PmoError, UnsafePathError
from addin.core.findings import FileStatus
from addin.core.ours import written_by_pmo
from addin.core.words import counted, terminal_safe

if TYPE_CHECKING:  # the engine, outputs and history are imported by the commands themselves
    from addin.app.history import HistoryUrl
    from addin.core.settings import Settings
    from addin.engine.run import PortfolioRun
    from addin.history import Store


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
    history: HistoryOption = None,
    no_history: NoHistoryOption = False,
    capacity: CapacityOption = None,
    period: PeriodOption = None,
    executor: Annotated[
        str | None,
        typer.Option(
            "--executor",
            help="Where files are read: 'local' (default) or a Dask scheduler such as "
            "tcp://scheduler:8786 (docs/scale-out.md); overrides [engine] executor.",
        ),
    ] = None,
) -> None:
    """Consolidate trackers into one portfolio workbook, with computed RAG and reasons.

    Each run is kept as a snapshot in the history database (keyed by its as-of date; a
    re-run replaces it), and the dashboard gets a Trends page from it. When the history
    cannot be written, the outputs are still written: one line says why, exit 5.
    """
    from addin.app.consolidate import Outputs, cache_beside, output_jobs
    from addin.app.consolidate import consolidate as consolidate_trackers
    from addin.app.find import find_trackers
    from addin.engine.cache_file import check_cache_path

    settings = settings_of(config)
    if executor is not None:
        try:
            settings = settings.with_changes({"engine.executor": executor})
        except ConfigError as exc:
            fail(f"--executor: {exc}")
    if jobs is not None and not settings.engine.local:
        echo("pmo: --jobs has no effect on a Dask cluster (its worker threads decide)", err=True)
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
    url = _history_of(history, no_history, settings, output)

    def replaceable(path: Path) -> bool:  # last run's portfolio, found in the folder
        return os.path.normpath(path) not in named and written_by_pmo(path)

    check_paths(
        [*found.files, *(f for f, _ in found.skipped), *capacity_input(settings, capacity)],
        [
            ("-o", output),
            ("--json", json_out),
            ("--dashboard", dashboard),
            ("--pack", pack),
            ("--cache", cache_path),
            ("--history", url.path if url is not None else None),
        ],
        log=log_file,
        replaceable=replaceable,
    )
    people = capacity_of(settings, capacity)
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
        try:
            run = consolidate_trackers(
                found.files,
                settings,
                as_of=date,
                jobs=jobs,
                cache=cache_path,
                progress=reporter,
                skipped=found.skipped,
                named=named,
                capacity=people,
                period=period.value if period is not None else None,
                spill=output.parent,
            )
        except ExecutorError as exc:
            reporter.stop_bar()
            fail(str(exc))
        reporter.stop_bar()
        for r in run.reports:
            reporter.event(
                event="file", file=r.file, status=str(r.status), reason=r.reason, errors=r.errors
            )
        store, history_error = _open_history(url, settings)
        trends = None
        if store is not None and (dashboard is not None or pack is not None):
            from addin.app.history import HistoryError, trend

            try:
                trends = trend(store, run)
            except HistoryError as exc:
                history_error = str(exc)
        wanted = Outputs(portfolio=output, json=json_out, dashboard=dashboard, pack=pack)
        outcomes = write_all(output_jobs(run, settings, wanted, trends=trends), reporter)
        failed = any(line.startswith("not written") for line in outcomes)
        if store is not None and history_error is None:
            with timing.phase("history"):
                history_error = _remember(store, run, settings, failed, outcomes)
        if store is not None:
            store.close()
        if history_error is not None:
            outcomes.append(f"history not saved: {history_error}")
            reporter.event(event="history_not_saved", reason=history_error)
        echo(_consolidation_summary(run))
        for line in outcomes:
            echo(line)
        code = EXIT_UNREADABLE if run.unreadable else EXIT_FINDINGS if run.errors else EXIT_OK
        if history_error is not None:
            code = EXIT_HISTORY
        if failed:
            code = EXIT_NOT_WRITTEN
        run.phases.main = timing.totals()
        reporter.event(
            event="end",
            exit_code=code,
            seconds=round(run.seconds, 3),
            phases=run.phases.as_dict(),
            peak_rss_mb=timing.peak_rss_mb(),
        )
    finally:
        reporter.close()
    raise typer.Exit(code)


def _history_of(
    given: str | None, off: bool, settings: Settings, portfolio: Path
) -> HistoryUrl | None:
    """The history this run is kept in (None: ``--no-history`` or ``[history] enabled``)."""
    if off or (given is None and not settings.history.enabled):
        return None  # the database layer (SQLAlchemy) is not even imported
    from addin.app.history import HistoryError, check_target, history_url

    try:
        url = history_url(given, settings, portfolio=portfolio)
        check_target(url)
    except HistoryError as exc:
        fail(f"--history: {exc}")
    return url


def _open_history(url: HistoryUrl | None, settings: Settings) -> tuple[Store | None, str | None]:
    if url is None:
        return None, None
    from addin.app.history import HistoryError, open_history

    try:
        return open_history(url, settings), None
    except HistoryError as exc:
        return None, str(exc)


def _remember(
    store: Store, run: PortfolioRun, settings: Settings, failed: bool, outcomes: list[str]
) -> str | None:
    """Save the run's snapshot (after every output was written); the reason it was not."""
    from addin.app.history import HistoryError, remember, saved_line

    if failed:
        return "not attempted after the failure above"
    try:
        outcomes.append(saved_line(remember(store, run, settings), store.url))
    except HistoryError as exc:
        return str(exc)
    return None


#: Files not read as trackers that the summary names one by one; the rest are counted.
SHOWN = 20


def _words(status: FileStatus) -> str:
    """``not a tracker``, as the summary's first line says it (not ``not_a_tracker``)."""
    return str(status).replace("_", " ")


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
    left_out = [r for r in result.reports if not r.status.read_as_tracker]
    for r in left_out[:SHOWN]:
        said = f"{_words(r.status)}: {terminal_safe(r.file)}: {terminal_safe(r.reason)}"
        lines.append(f"  {said}")
    if len(left_out) > SHOWN:
        more = Counter(_words(r.status) for r in left_out[SHOWN:])
        kinds = ", ".join(f"{n:,} {status}" for status, n in more.most_common())
        lines.append(
            f"  and {len(left_out) - SHOWN:,} more ({kinds}): each with its reason in the "
            "portfolio's Load Log sheet"
        )
    if result.cache_unsaved:
        why = terminal_safe(result.cache_unsaved)
        lines.append(f"  cache not updated: {why} (it keeps what it held for the next run)")
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
    history: HistoryOption = None,
    no_history: NoHistoryOption = False,
    capacity: CapacityOption = None,
    period: PeriodOption = None,
) -> None:
    """Build the steering-committee dashboard from a portfolio workbook.

    With a history (``--history``, ``[history] url``, or ``pmo-history.sqlite`` beside the
    portfolio when there is one), the dashboard gets a Trends page: the portfolio is its
    latest point. A history that cannot be read leaves the Trends page out: one line says
    why, exit 5.

    The portfolio is read like any input, in a worker held to the settings' limits: one
    that cannot be read (damaged, not a portfolio, too large) is refused in one line,
    exit 2.
    """
    from addin.app.dashboard import dashboard as build_dashboard
    from addin.app.dashboard import load_for_output
    from addin.app.dashboard import pdf as print_pdf
    from addin.app.history import HistoryError, trend_beside

    settings = settings_of(config)
    inputs = [portfolio] if previous is None else [portfolio, previous]
    check_paths([*inputs, *capacity_input(settings, capacity)], [("-o", output), ("--pdf", pdf)])
    people = capacity_of(settings, capacity)
    span = period.value if period is not None else None
    try:
        current = load_for_output(portfolio, settings, capacity=capacity)
        before = None
        if previous is not None:  # for its projects' RAG only
            before = load_for_output(previous, settings, frozenset(), resources=False)
    except PmoError as exc:
        fail(str(exc))
    trends, unread = None, None
    if not no_history:
        try:
            trends = trend_beside(current, settings, portfolio, history)
        except HistoryError as exc:
            unread = str(exc)
    reporter = Reporter(0, None)
    written = [
        write_or_exit(
            lambda: build_dashboard(
                current,
                output,
                settings,
                previous=before,
                trends=trends,
                capacity=people,
                period=span,
            ),
            reporter,
        )
    ]
    if pdf is not None:
        written.append(write_or_exit(lambda: print_pdf(output, pdf), reporter))
    for path in written:
        echo(f"wrote {path}")
    if unread is not None:
        echo(f"history not read (no Trends page): {unread}")
        raise typer.Exit(EXIT_HISTORY)
