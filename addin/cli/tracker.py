"""Tracker commands: ``pmo validate`` and ``pmo new-tracker``."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from addin.cli.app import (
    EXIT_FINDINGS,
    EXIT_NOT_WRITTEN,
    EXIT_OK,
    EXIT_UNREADABLE,
    WRITTEN,
    AsOfOption,
    ConfigOption,
    Format,
    JobsOption,
    LogFileOption,
    app,
    as_of_date,
    check_paths,
    echo,
    fail,
    settings_of,
)
from addin.cli.reporter import Reporter, write_or_exit
from addin.cli.resources import CapacityOption, capacity_of
from addin.core.findings import FileStatus, Report
from addin.core.words import counted, terminal_safe

if TYPE_CHECKING:
    from addin.core.settings import Settings


def render_report(report: Report) -> str:
    """Render a validation report as text: one block per file, one line per finding."""
    lines: list[str] = []
    for fr in report.files:
        counts = f"{counted(fr.errors, 'error')}, {counted(fr.warnings, 'warning')}"
        lines.append(f"{terminal_safe(fr.file)}  {fr.status}  ({counts})")
        if not fr.status.read_as_tracker:
            lines.append(f"  {terminal_safe(fr.reason)}")
            continue
        width = max((len(f.location) for f in fr.findings), default=0)
        for f in fr.findings:
            message = terminal_safe(f.message)
            lines.append(f"  {f.location or '-':<{width}}  {f.severity:<7}  {f.rule}  {message}")
    s = report.summary()
    skipped = f", {s['skipped']} skipped (ours)" if s["skipped"] else ""
    lines.append(
        f"{counted(s['files'], 'file')}: {s['valid']} valid, {s['invalid']} invalid, "
        f"{s['unreadable']} unreadable, {s['not_a_tracker']} not a tracker{skipped}; "
        f"{counted(s['errors'], 'error')}, {counted(s['warnings'], 'warning')}"
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
            "--annotate",
            help="Write findings into a copy of each workbook (NAME.checked.xlsx for NAME.xlsx).",
        ),
    ] = False,
    in_place: Annotated[
        bool,
        typer.Option(
            "--in-place", help="With --annotate: update the workbook itself, keeping a backup."
        ),
    ] = False,
    jobs: JobsOption = None,
    log_file: LogFileOption = None,
) -> None:
    """Validate trackers against the PMO standard; every finding names its cell."""
    from addin.app.find import find_trackers
    from addin.app.validate import validate as run_validate

    settings = settings_of(config)
    date = as_of_date(as_of)
    found = find_trackers(paths)
    if found.missing:
        fail(f"no such file or folder: {', '.join(found.missing)}")
    if in_place and not annotate:
        fail("--in-place only makes sense with --annotate")
    check_paths([*found.files, *(f for f, _ in found.skipped)], [], log=log_file)
    started = time.perf_counter()
    reporter = Reporter(0, log_file)
    try:
        reporter.event(event="start", command="validate", files=len(found.files), as_of=date)
        report = run_validate(
            found.files,
            settings,
            as_of=date,
            fail_fast=fail_fast,
            jobs=jobs,
            skipped=found.skipped,
            named=found.named,
        )
        for r in report.files:
            reporter.event(
                event="file", file=r.file, status=str(r.status), reason=r.reason, errors=r.errors
            )
        not_written = 0
        if annotate:
            not_written = _annotate(
                report, settings, in_place=in_place, jobs=jobs, reporter=reporter
            )
        if fmt is Format.json:
            echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False, allow_nan=False))
        else:
            echo(render_report(report))
        code = EXIT_NOT_WRITTEN if not_written else exit_code(report)
        reporter.event(event="end", exit_code=code, seconds=round(time.perf_counter() - started, 3))
    finally:
        reporter.close()
    raise typer.Exit(code)


def _annotate(
    report: Report, settings: Settings, *, in_place: bool, jobs: int | None, reporter: Reporter
) -> int:
    """Annotate every readable tracker of a report; return how many could not be written."""
    from addin.app.validate import annotate

    failed = 0
    WRITTEN.annotating = True
    annotated = annotate(report, settings.limits, in_place=in_place, jobs=jobs)
    WRITTEN.annotating = False
    for a in annotated:
        if a.reason:
            failed += 1
            reporter.event(event="output_failed", file=a.file, reason=a.reason)
            echo(f"pmo: {terminal_safe(a.reason)}", err=True)
        else:
            WRITTEN.paths.append(Path(a.written))
            reporter.event(event="written", path=a.written, missing=a.missing)
            lacks = f" (not carried over: {a.missing})" if a.missing else ""
            echo(f"annotated: {terminal_safe(a.written + lacks)}", err=True)
    return failed


@app.command("new-tracker")
def new_tracker(
    output: Annotated[
        Path, typer.Argument(help="The tracker workbook to create (.xlsx).", dir_okay=False)
    ],
    project_id: Annotated[
        str | None, typer.Option("--id", help="Project ID, e.g. PRJ-0042.")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Project Name.")] = None,
    manager: Annotated[str | None, typer.Option("--manager", help="Project Manager.")] = None,
    programme: Annotated[str | None, typer.Option("--programme", help="Programme.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    config: ConfigOption = None,
    capacity: CapacityOption = None,
) -> None:
    """Create a new tracker from the governed PMO template."""
    from addin.app.new_tracker import new_tracker as make_tracker

    settings = settings_of(config)
    people = capacity_of(settings, capacity)
    if output.suffix.lower() != ".xlsx":
        fail(f"a tracker must be an .xlsx file, got {output.name}")
    if output.exists() and not force:
        fail(
            f"{output} exists; use --force to replace it (trackers are never overwritten silently)"
        )
    check_paths([], [("new-tracker", output)])
    path = write_or_exit(
        lambda: make_tracker(
            output,
            settings,
            project_id=project_id,
            name=name,
            manager=manager,
            programme=programme,
            capacity=people,
        ),
        Reporter(0, None),
    )
    echo(f"wrote {path}")
