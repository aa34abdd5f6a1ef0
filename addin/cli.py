"""The ``pmo`` command: a thin shell over the engine.

Each command parses its arguments, calls one library function, renders the
result and maps it to an exit code:

* 0 - clean;
* 1 - findings (error-severity validation findings);
* 2 - usage or configuration error;
* 3 - some input files unreadable, outputs written;
* 4 - outputs not written;
* 130, 143 - interrupted by Ctrl-C, SIGTERM (one line says what was written).

``--format json`` prints exactly the library's report. No spreadsheet library is
imported here.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import sys
import time
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from addin import __version__
from addin.cells import FIRST_DATE, LAST_DATE
from addin.config import CONFIG_FILENAME, Settings, load_settings, to_toml
from addin.errors import ConfigError, OutputError, PmoError, UnsafePathError
from addin.findings import FileStatus, Report
from addin.interrupt import Interrupted

if TYPE_CHECKING:
    from addin.consolidate import Consolidation
from addin.words import counted, printable, terminal_safe

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
        help=(
            "The date to judge staleness and future dates against (YYYY-MM-DD, from "
            "1900-01-01 to 9999-12-31; default today)."
        ),
    ),
]


def _echo(text: str = "", *, err: bool = False, nl: bool = True) -> None:
    """Print a block of output: the one way the CLI writes to the terminal.

    Whatever it holds (file names, cell values, reasons) passes
    :func:`~addin.words.terminal_safe`, so no escape sequence, control or bidi character
    from a tracker reaches the terminal as itself.
    """
    typer.echo(terminal_safe(text, lines=True), err=err, nl=nl)


class _Written:
    """What this command has written so far (the line an interruption prints names it)."""

    def __init__(self) -> None:
        self.paths: list[Path] = []
        self.annotating = False


_WRITTEN = _Written()


def _fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    _echo(f"pmo: {terminal_safe(message)}", err=True)
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
        date = dt.date.fromisoformat(text)
    except ValueError:
        _fail(f"--as-of must be a date like 2026-11-20, got {text!r}")
    if not FIRST_DATE <= date <= LAST_DATE:
        _fail(f"--as-of must be a date Excel can show, {FIRST_DATE} to {LAST_DATE}, got {text}")
    return date


def _check_paths(
    inputs: list[Path],
    outputs: list[tuple[str, Path | None]],
    *,
    log: Path | None = None,
    replaceable: Callable[[Path], bool] | None = None,
) -> None:
    """Refuse (exit 2, one line) any output that would replace an input, a device or a twin."""
    from addin.output_paths import Output, check_outputs

    wanted = [Output(option, path) for option, path in outputs if path is not None]
    if log is not None:
        wanted.append(Output("--log-file", log, appends=True))
    try:
        check_outputs(inputs, wanted, replaceable=replaceable)
    except UnsafePathError as exc:
        _fail(str(exc))


def _version(value: bool) -> None:
    if value:
        _echo(f"pmo {__version__}")
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


def _jobs(value: int | None) -> int | None:
    """Cap ``--jobs`` at the CPUs available, saying so (the engine applies the same cap)."""
    if value is None:
        return None
    from addin.workers import effective_jobs

    capped = effective_jobs(value)
    if capped < value:
        _echo(f"pmo: --jobs {value} capped at {capped} (the CPUs available)", err=True)
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
    jobs: JobsOption = None,
    log_file: LogFileOption = None,
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
    _check_paths([*found.files, *(f for f, _ in found.skipped)], [], log=log_file)
    started = time.perf_counter()
    reporter = _Reporter(0, log_file)
    try:
        reporter.event(event="start", command="validate", files=len(found.files), as_of=date)
        report = check_files(
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
            _echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False, allow_nan=False))
        else:
            _echo(render_report(report))
        code = EXIT_NOT_WRITTEN if not_written else exit_code(report)
        reporter.event(event="end", exit_code=code, seconds=round(time.perf_counter() - started, 3))
    finally:
        reporter.close()
    raise typer.Exit(code)


def _annotate(
    report: Report, settings: Settings, *, in_place: bool, jobs: int | None, reporter: _Reporter
) -> int:
    """Annotate every readable tracker of a report; return how many could not be written."""
    from addin.annotate import annotate_reports

    failed = 0
    _WRITTEN.annotating = True
    annotated = annotate_reports(report.files, settings.limits, in_place=in_place, jobs=jobs)
    _WRITTEN.annotating = False
    for a in annotated:
        if a.reason:
            failed += 1
            reporter.event(event="output_failed", file=a.file, reason=a.reason)
            _echo(f"pmo: {terminal_safe(a.reason)}", err=True)
        else:
            _WRITTEN.paths.append(Path(a.written))
            reporter.event(event="written", path=a.written, missing=a.missing)
            lacks = f" (not carried over: {a.missing})" if a.missing else ""
            _echo(f"annotated: {terminal_safe(a.written + lacks)}", err=True)
    return failed


# --- consolidate -------------------------------------------------------------------------------


class _Reporter:
    """Progress on stderr (a rich bar on a terminal, else plain lines) and a JSON-lines log."""

    def __init__(self, total: int, log: Path | None) -> None:
        self.total = total
        try:
            self.log = log.open("a", encoding="utf-8") if log else None
        except OSError as exc:
            _fail(f"cannot write the log file {log} ({exc.strerror or exc})")
        self._bar: Any = None
        self._task: Any = None
        if sys.stderr.isatty() and total:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self._bar = Progress(
                TextColumn("reading"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("{task.description}", markup=False),  # a file name is never markup
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("", total=total)

    def __call__(self, done: int, total: int, file: str) -> None:
        if self._bar is not None:
            self._bar.update(
                self._task, completed=done, description=terminal_safe(Path(file).name[:40])
            )
        else:
            _echo(f"[{done}/{total}] {terminal_safe(file)}", err=True)

    def event(self, **fields: Any) -> None:
        if self.log is not None:
            stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            shown = {
                k: printable(str(v)) if isinstance(v, str | Path) else v for k, v in fields.items()
            }
            line = json.dumps({"time": stamp, **shown}, default=str, ensure_ascii=False)
            self.log.write(terminal_safe(line) + "\n")  # a log is read in a terminal too

    def stop_bar(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def close(self) -> None:
        self.stop_bar()
        if self.log is not None:
            self.log.close()
            self.log = None


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None  # JSON has no Infinity or NaN: a value that is not a number is none
    return value.isoformat() if isinstance(value, dt.date) else value


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
    from addin.cache import check_cache_path
    from addin.consolidate import consolidate as run
    from addin.discover import discover
    from addin.ours import written_by_pmo
    from addin.portfolio import write_portfolio

    settings = _settings(config)
    date = _as_of(as_of)
    found = discover(sources)
    if found.missing:
        _fail(f"no such file or folder: {', '.join(found.missing)}")
    if output.suffix.lower() != ".xlsx":
        _fail(f"the portfolio must be an .xlsx file, got {output.name}")
    cache_path = (
        None if no_cache else (cache or output.with_name(f"{output.stem}.pmo-cache.sqlite"))
    )
    named = found.named

    def replaceable(path: Path) -> bool:  # last run's portfolio, found in the folder
        return os.path.normpath(path) not in named and written_by_pmo(path)

    _check_paths(
        [*found.files, *(f for f, _ in found.skipped)],
        [("-o", output), ("--json", json_out), ("--dashboard", dashboard), ("--cache", cache_path)],
        log=log_file,
        replaceable=replaceable,
    )
    if cache_path is not None:
        try:
            check_cache_path(cache_path)
        except UnsafePathError as exc:
            _fail(str(exc))
    reporter = _Reporter(len(found.files), log_file)
    try:
        reporter.event(
            event="start", command="consolidate", files=len(found.files), as_of=date, output=output
        )
        result = run(
            found.files,
            settings,
            as_of=date,
            jobs=jobs,
            cache_path=cache_path,
            progress=reporter,
            skipped=found.skipped,
            named=named,
        )
        reporter.stop_bar()
        for r in result.reports:
            reporter.event(
                event="file", file=r.file, status=str(r.status), reason=r.reason, errors=r.errors
            )
        writers: list[tuple[Path, Callable[[], Path]]] = [
            (output, lambda: write_portfolio(output, result.portfolio, result.tables, settings))
        ]
        if json_out is not None:
            rows = [
                {k: _json_value(v) for k, v in row.items()} for row in result.portfolio.projects
            ]
            writers.append((json_out, lambda: _write_json(json_out, rows)))
        if dashboard is not None:
            from addin.dashboard import write_dashboard

            writers.append(
                (dashboard, lambda: write_dashboard(dashboard, result.portfolio, settings))
            )
        outcomes = _write_all(writers, reporter)
        _echo(_consolidation_summary(result))
        for line in outcomes:
            _echo(line)
        code = EXIT_UNREADABLE if result.unreadable else EXIT_FINDINGS if result.errors else EXIT_OK
        if any(line.startswith("not written") for line in outcomes):
            code = EXIT_NOT_WRITTEN
        reporter.event(event="end", exit_code=code, seconds=round(result.seconds, 3))
    finally:
        reporter.close()
    raise typer.Exit(code)


def _consolidation_summary(result: Consolidation) -> str:
    s = {st: sum(1 for r in result.reports if r.status is st) for st in FileStatus}
    lines = [
        f"read {counted(len(result.reports), 'file')} in {result.seconds:.1f} s "
        f"({len(result.reread)} read, {result.cache_hits} from cache): "
        f"{s[FileStatus.VALID]} valid, {s[FileStatus.INVALID]} invalid, "
        f"{s[FileStatus.UNREADABLE]} unreadable, {s[FileStatus.NOT_A_TRACKER]} not a tracker"
        + (f", {s[FileStatus.SKIPPED]} skipped (ours)" if s[FileStatus.SKIPPED] else "")
        + f"; {counted(len(result.portfolio.projects), 'project')}, "
        f"{counted(result.errors, 'error')}"
    ]
    for r in result.reports:
        if not r.status.read_as_tracker:
            lines.append(f"  {r.status}: {terminal_safe(r.file)}: {terminal_safe(r.reason)}")
    return "\n".join(lines)


def _write_json(path: Path, rows: list[dict[str, Any]]) -> Path:
    from addin.atomic import atomic_path

    try:
        with atomic_path(path) as tmp:
            text = json.dumps(rows, indent=2, ensure_ascii=False, allow_nan=False)
            tmp.write_text(terminal_safe(text, lines=True) + "\n", encoding="utf-8")
    except OSError as exc:
        raise OutputError(
            f"{path}: could not write the JSON ({exc.strerror or exc}); the previous file is intact"
        ) from None
    return path


def _write_all(writers: list[tuple[Path, Callable[[], Path]]], reporter: _Reporter) -> list[str]:
    """Write the outputs in order, stopping at the first failure; say what became of each.

    A failure is one ``pmo:`` line on stderr; the returned lines (for stdout) name every
    output: ``wrote PATH`` or ``not written: PATH (why)``. Outputs after a failure are
    not attempted, so the files on disk stay of one run.
    """
    lines: list[str] = []
    failed = False
    for path, action in writers:
        shown = printable(str(path))
        if failed:
            lines.append(f"not written: {shown} (not attempted after the failure above)")
            continue
        try:
            action()
        except (PmoError, OSError) as exc:
            failed = True
            why = printable(str(exc))
            reporter.event(event="output_failed", path=path, reason=why)
            _echo(f"pmo: {terminal_safe(why)}", err=True)
            lines.append(f"not written: {shown} ({why.removeprefix(f'{shown}: ')})")
            continue
        _WRITTEN.paths.append(path)
        reporter.event(event="written", path=path)
        lines.append(f"wrote {shown}")
    return lines


def _write(action: Callable[[], Path], reporter: _Reporter) -> Path:
    """Run one output writer; on failure say why (the previous file is intact) and exit 4."""
    try:
        path = action()
    except (PmoError, OSError) as exc:
        reporter.event(event="output_failed", reason=str(exc))
        reporter.event(event="end", exit_code=EXIT_NOT_WRITTEN)
        _echo(f"pmo: {terminal_safe(str(exc))}", err=True)
        raise typer.Exit(EXIT_NOT_WRITTEN) from None
    _WRITTEN.paths.append(path)
    reporter.event(event="written", path=path)
    return path


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
) -> None:
    """Create a new tracker from the governed PMO template."""
    from addin.template import new_tracker as make

    settings = _settings(config)
    if output.suffix.lower() != ".xlsx":
        _fail(f"a tracker must be an .xlsx file, got {output.name}")
    if output.exists() and not force:
        _fail(
            f"{output} exists; use --force to replace it (trackers are never overwritten silently)"
        )
    _check_paths([], [("new-tracker", output)])
    path = _write(
        lambda: make(
            output, settings, project_id=project_id, name=name, manager=manager, programme=programme
        ),
        _Reporter(0, None),
    )
    _echo(f"wrote {path}")


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
    from addin.dashboard import export_pdf, write_dashboard
    from addin.portfolio import read_portfolio_bounded

    settings = _settings(config)
    inputs = [portfolio] if previous is None else [portfolio, previous]
    _check_paths(inputs, [("-o", output), ("--pdf", pdf)])
    try:
        current = read_portfolio_bounded(portfolio, settings.limits)
        before = read_portfolio_bounded(previous, settings.limits) if previous is not None else None
    except PmoError as exc:
        _fail(str(exc))
    reporter = _Reporter(0, None)
    written = [
        _write(lambda: write_dashboard(output, current, settings, previous=before), reporter)
    ]
    if pdf is not None:
        written.append(_write(lambda: export_pdf(output, pdf), reporter))
    for path in written:
        _echo(f"wrote {path}")


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
        _fail(str(exc), EXIT_NOT_WRITTEN)
    except PmoError as exc:
        _fail(str(exc))
    _echo(f"wrote {path}")


@app.command()
def demo(
    outdir: Annotated[Path, typer.Argument(help="Folder for the demo's outputs.")] = Path(
        "pmo-demo"
    ),
) -> None:
    """Run the whole job on the bundled sample trackers and say where each output is."""
    from addin.demo import run_demo

    try:
        outputs = run_demo(outdir, echo=_echo)
    except PmoError as exc:
        _fail(str(exc), EXIT_NOT_WRITTEN)
    _echo("")
    _echo("Outputs:")
    width = max(len(label) for label in outputs)
    for label, path in outputs.items():
        _echo(f"  {label:<{width}}  {path}")


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
        _echo(f"{rule.id:<{width}}  {level or 'off':<7}  {rule.doc}")


@config_app.command("show")
def config_show(config: ConfigOption = None) -> None:
    """Print the effective settings (defaults overlaid with pmo.toml) as TOML."""
    settings = _settings(config)
    _echo(to_toml(settings, commented=False), nl=False)


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
    _check_paths([], [("config init", path)])
    try:
        with atomic_path(path) as tmp:
            tmp.write_text(to_toml(Settings()), encoding="utf-8")
    except (OutputError, OSError) as exc:
        _fail(str(exc), EXIT_NOT_WRITTEN)
    _echo(f"wrote {path}")


def _interrupted_line(stop: Interrupted) -> str:
    """The one line an interrupted command prints: what it wrote before it was stopped."""
    head = f"pmo: interrupted ({stop.name})"
    if _WRITTEN.annotating:
        return (
            f"{head} while annotating: trackers annotated before it are complete, "
            "none was left half-written"
        )
    if not _WRITTEN.paths:
        return f"{head}; nothing was written"
    paths = _WRITTEN.paths
    wrote = ", ".join(terminal_safe(str(p)) for p in paths[:3])
    more = f" and {len(paths) - 3} more" if len(paths) > 3 else ""
    return f"{head}; wrote only {wrote}{more}; nothing else was written"


# --- the Excel add-in: install, status, remove (logic in addin.excel.install) ------------------

addin_app = typer.Typer(
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
        _fail(str(exc), exc.exit_code)
    for line in lines:
        _echo(line)


@addin_app.command("status")
def addin_status() -> None:
    """Check the installed add-in, its versions and your pmo.conf (exit 1 on a problem)."""
    from addin.excel.install import InstallError, Machine, status

    try:
        checks = status(Machine.current())
    except InstallError as exc:
        _fail(str(exc), exc.exit_code)
    for check in checks:
        _echo(f"{'ok     ' if check.ok else 'PROBLEM'}  {check.text}")
    if not all(check.ok for check in checks):
        raise typer.Exit(EXIT_FINDINGS)


@addin_app.command("remove")
def addin_remove(all_users: GlobalOption = False) -> None:
    """Remove the installed PMO.xlam (your pmo.conf is kept)."""
    from addin.excel.install import InstallError, Machine, remove

    try:
        lines = remove(Machine.current(), all_users=all_users)
    except InstallError as exc:
        _fail(str(exc), exc.exit_code)
    for line in lines:
        _echo(line)


def main() -> None:
    """Console-script entry point."""
    from addin.interrupt import install

    for stream in (sys.stdout, sys.stderr):  # a file name that is not UTF-8 never ends a run
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    install()
    try:
        app()
    except Interrupted as stop:  # Ctrl-C or SIGTERM: every finally has run on the way here
        from addin.workers import stop_all

        stop_all()
        _echo(_interrupted_line(stop), err=True)
        sys.exit(stop.exit_code)


if __name__ == "__main__":  # pragma: no cover
    main()
