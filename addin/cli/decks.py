"""Deck commands: ``pmo pack`` (the steering pack) and ``pmo report`` (status reports)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from addin.cli.app import (
    EXIT_HISTORY,
    EXIT_NOT_WRITTEN,
    EXIT_OK,
    EXIT_UNREADABLE,
    AsOfOption,
    ConfigOption,
    HistoryOption,
    JobsOption,
    app,
    as_of_date,
    check_paths,
    echo,
    fail,
    settings_of,
)
from addin.cli.reporter import Reporter, write_or_exit
from addin.cli.resources import CapacityOption, PeriodOption, capacity_input, capacity_of
from addin.core.errors import PmoError
from addin.core.words import counted, printable

TemplateOption = Annotated[
    Path | None,
    typer.Option(
        "--template",
        help="The PMO's own slide master (.pptx or .potx): layouts 'Title Slide', 'Title Only'.",
        dir_okay=False,
    ),
]


@app.command()
def pack(
    portfolio: Annotated[
        Path, typer.Argument(help="A portfolio workbook written by `pmo consolidate`.")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="The deck to write (.pptx).")],
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            help="Last period's portfolio: trends and movers against it (the history unread).",
        ),
    ] = None,
    history: HistoryOption = None,
    no_history: Annotated[
        bool, typer.Option("--no-history", help="Read no history (no trends slides).")
    ] = False,
    capacity: CapacityOption = None,
    period: PeriodOption = None,
    template: TemplateOption = None,
    config: ConfigOption = None,
) -> None:
    """Write the steering-committee pack (PowerPoint) from a portfolio workbook.

    Title, portfolio summary, exceptions with reasons, trends and movers, one slide per
    programme, milestones, resource hot spots, top risks and data quality; native tables and
    charts; the reasons behind every RAG in the speaker notes.

    Trends come from the history (``--history``, ``[history] url``, or
    ``pmo-history.sqlite`` beside the portfolio when there is one), or from ``--previous``,
    which then replaces the history (``--previous`` with ``--history`` is refused). A
    history that cannot be read leaves the trends out: the deck is written, one line says
    why, exit 5. Hot spots come from the portfolio's resource plans and tasks against the
    capacity list (``--capacity``, else ``[resources] capacity``).
    """
    from addin.app.history import HistoryError, trend_beside
    from addin.app.pack import load_for_pack, steering_pack

    settings = settings_of(config)
    if output.suffix.lower() != ".pptx":
        fail(f"the pack must be a .pptx file, got {output.name}")
    if previous is not None and history is not None:
        fail("--previous and --history both give the trends: give one of them")
    inputs = [p for p in (portfolio, previous, template) if p is not None]
    check_paths([*inputs, *capacity_input(settings, capacity)], [("-o", output)])
    people = capacity_of(settings, capacity)
    try:
        current = load_for_pack(portfolio, settings, capacity=capacity)
        before = (
            load_for_pack(previous, settings, resources=False) if previous is not None else None
        )
    except PmoError as exc:
        fail(str(exc))
    trends, unread = None, None
    if previous is None and not no_history:
        try:
            trends = trend_beside(current, settings, portfolio, history)
        except HistoryError as exc:
            unread = str(exc)
    path = write_or_exit(
        lambda: steering_pack(
            current,
            output,
            settings,
            previous=before,
            history=trends,
            capacity=people,
            period=period.value if period is not None else None,
            template=template,
        ),
        Reporter(0, None),
    )
    echo(f"wrote {path}")
    if unread is not None:
        echo(f"history not read (no trends slides): {unread}")
        raise typer.Exit(EXIT_HISTORY)


class ReportFormat(StrEnum):
    """Formats of ``pmo report``."""

    pptx = "pptx"
    pdf = "pdf"


@app.command()
def report(
    sources: Annotated[list[str], typer.Argument(help="Tracker files, folders or globs.")],
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="The report (one tracker), or a folder for one per tracker."
        ),
    ],
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="pptx, or pdf through LibreOffice.")
    ] = ReportFormat.pptx,
    as_of: AsOfOption = None,
    jobs: JobsOption = None,
    template: TemplateOption = None,
    config: ConfigOption = None,
) -> None:
    """Write a one-page status report per project from its tracker.

    RAG per dimension with reasons, the PM's RAG comment, progress planned vs earned,
    milestones, top open risks and issues, key findings and the next 30 days. A folder
    gives one report per tracker, in parallel, each tracker isolated.
    """
    from addin.app.find import find_trackers
    from addin.app.report import report_paths, status_reports

    settings = settings_of(config)
    date = as_of_date(as_of)
    found = find_trackers(sources)
    if found.missing:
        fail(f"no such file or folder: {', '.join(found.missing)}")
    if not found.files:
        fail("no trackers (.xlsx, .xlsm, .xls) found")
    suffix = f".{fmt.value}"
    one = len(found.files) == 1 and not output.is_dir() and bool(output.suffix)
    if one and output.suffix.lower() != suffix:
        fail(f"the report must be a {suffix} file, got {output.name}")
    if not one:
        if output.exists() and not output.is_dir():
            fail(f"-o {output}: for several reports -o must be a folder")
        if not output.parent.is_dir():
            fail(f"-o {output}: the folder {output.parent} does not exist")
    targets = report_paths(found.files, output, fmt.value, folder=not one)
    inputs = [*found.files, *([template] if template is not None else [])]
    made = not one and not output.exists()
    if made:
        output.mkdir()
    try:
        check_paths(inputs, [(f"-o ({t.name})", t) for t in targets])
    except typer.Exit:
        if made:
            output.rmdir()
        raise
    reporter = Reporter(len(found.files), None)
    try:
        outcomes = status_reports(
            found.files,
            targets,
            settings,
            as_of=date,
            fmt=fmt.value,
            template=template,
            jobs=jobs,
            named=sorted(found.named),
            progress=reporter if len(found.files) > 1 else None,
        )
    except PmoError as exc:
        fail(str(exc))
    finally:
        reporter.close()
    written = [o for o in outcomes if o.output is not None]
    for o in outcomes:
        if o.output is not None:
            echo(f"wrote {printable(str(o.output))} ({o.project_id}: {o.overall})")
        elif o.problem == "skipped":
            echo(f"skipped: {printable(str(o.source))} ({printable(o.reason)})")
        else:
            echo(f"not written: {printable(str(o.source))} ({printable(o.reason)})")
    trackers = [o for o in outcomes if o.problem != "skipped"]
    echo(f"{counted(len(written), 'status report')} of {counted(len(trackers), 'tracker')}")
    if any(o.problem == "output" for o in outcomes):
        raise typer.Exit(EXIT_NOT_WRITTEN)
    raise typer.Exit(EXIT_UNREADABLE if any(o.problem == "input" for o in outcomes) else EXIT_OK)
