"""History commands: ``pmo history list|show|export|import`` and ``pmo lessons search``.

The history is ``--history`` (a SQLite file or a PostgreSQL URL), else ``[history] url``,
else ``pmo-history.sqlite`` in the current folder. A history that cannot be used is one
line and exit 5; a URL is only ever printed with its password hidden.
"""

from __future__ import annotations

import io
import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from addin.cli.app import (
    EXIT_HISTORY,
    EXIT_NOT_WRITTEN,
    EXIT_OK,
    EXIT_UNREADABLE,
    ConfigOption,
    Format,
    HistoryOption,
    app,
    check_paths,
    echo,
    fail,
    settings_of,
)
from addin.core.errors import OutputError

if TYPE_CHECKING:  # the history layer (sqlalchemy) is imported by the commands that use it
    from addin.app.history import HistoryError, HistoryUrl
    from addin.core.settings import Settings

history_app = typer.Typer(
    rich_markup_mode="markdown",
    help="The history database: snapshots, a project's timeline, export, backfill.",
    no_args_is_help=True,
)
lessons_app = typer.Typer(
    rich_markup_mode="markdown",
    help="Lessons learned, from every snapshot kept.",
    no_args_is_help=True,
)
app.add_typer(history_app, name="history")
app.add_typer(lessons_app, name="lessons")


class ExportFormat(StrEnum):
    """Formats of ``pmo history export``."""

    csv = "csv"
    json = "json"


def _url(given: str | None, settings: Settings) -> HistoryUrl:
    """The history to use; a path that cannot be one (a folder, not SQLite) is exit 2."""
    from addin.app.history import HistoryError, check_target, history_url

    try:
        url = history_url(given, settings)
        check_target(url)
    except HistoryError as exc:
        fail(f"--history: {exc}")
    return url


def _unusable(exc: HistoryError) -> None:
    fail(f"history: {exc}", EXIT_HISTORY)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


@history_app.command("list")
def history_list(
    history: HistoryOption = None,
    config: ConfigOption = None,
    fmt: Annotated[Format, typer.Option("--format", help="text or json.")] = Format.text,
) -> None:
    """List the snapshots: as-of date, projects, Red / Amber / Green, where each came from."""
    from addin.app.history import HistoryError, list_snapshots

    settings = settings_of(config)
    url = _url(history, settings)
    try:
        snapshots = list_snapshots(url, settings)
    except HistoryError as exc:
        _unusable(exc)
    if fmt is Format.json:
        echo(json.dumps([_snapshot_json(s) for s in snapshots], indent=2, ensure_ascii=False))
        return
    if not snapshots:
        echo(f"no snapshots in {url.shown} yet")
        return
    echo(
        f"{'as of':<10}  {'projects':>8}  {'Red':>4}  {'Amber':>5}  {'Green':>5}  "
        f"{'other':>5}  {'errors':>6}  source"
    )
    for s in snapshots:
        echo(
            f"{s.as_of.isoformat():<10}  {s.projects:>8}  {s.red:>4}  {s.amber:>5}  "
            f"{s.green:>5}  {s.other:>5}  {s.errors:>6}  {s.source}"
        )
    echo(f"{len(snapshots)} snapshot{'s' if len(snapshots) != 1 else ''} in {url.shown}")


def _snapshot_json(s: Any) -> dict[str, Any]:
    return {
        "as_of": s.as_of.isoformat(),
        "portfolio": s.portfolio,
        "projects": s.projects,
        "red": s.red,
        "amber": s.amber,
        "green": s.green,
        "other": s.other,
        "files": s.files,
        "errors": s.errors,
        "source": s.source,
        "saved_at": s.saved_at,
    }


@history_app.command("show")
def history_show(
    project_id: Annotated[str, typer.Argument(help="The Project ID, e.g. PRJ-0042.")],
    history: HistoryOption = None,
    config: ConfigOption = None,
    fmt: Annotated[Format, typer.Option("--format", help="text or json.")] = Format.text,
) -> None:
    """A project's timeline: RAG, SPI, CPI and slips at every snapshot, and what changed."""
    from addin.app.history import HistoryError, project_timeline

    settings = settings_of(config)
    url = _url(history, settings)
    try:
        found, entries = project_timeline(url, settings, project_id)
    except HistoryError as exc:
        _unusable(exc)
    except KeyError as exc:
        fail(f"{exc.args[0]} ({url.shown})")
    if fmt is Format.json:
        echo(json.dumps([_entry_json(e) for e in entries], indent=2, ensure_ascii=False))
        return
    name = entries[-1].project_name if entries else ""
    echo(
        f"{found} {name} — {len(entries)} snapshot{'s' if len(entries) != 1 else ''} in {url.shown}"
    )
    echo(
        f"{'as of':<10}  {'Overall':<8} {'Sched':<6} {'Cost':<6} {'Risk':<6} "
        f"{'SPI':>5} {'CPI':>5} {'slip':>5}"
    )
    for e in entries:
        slip = "" if e.finish_slip_days is None else str(e.finish_slip_days)
        stale = " (stale)" if e.stale else ""
        echo(
            f"{e.as_of.isoformat():<10}  {e.overall:<8} {e.schedule:<6} {e.cost:<6} "
            f"{e.risk:<6} {_number(e.spi):>5} {_number(e.cpi):>5} {slip:>5}{stale}"
        )
        for change in e.changes:
            echo(f"            - {change}")


def _entry_json(e: Any) -> dict[str, Any]:
    return {
        "as_of": e.as_of.isoformat(),
        "project_name": e.project_name,
        "overall_rag": e.overall,
        "schedule_rag": e.schedule,
        "cost_rag": e.cost,
        "risk_rag": e.risk,
        "reported_rag": e.reported,
        "stale": e.stale,
        "spi": e.spi,
        "cpi": e.cpi,
        "finish_slip_days": e.finish_slip_days,
        "max_slippage_days": e.max_slippage_days,
        "reasons": list(e.reasons),
        "changes": list(e.changes),
    }


@history_app.command("export")
def history_export(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="csv or json.")] = ExportFormat.csv,
    table: Annotated[
        str,
        typer.Option(
            "--table",
            help="projects (the status history), snapshots, milestones, raid, lessons, "
            "findings, load-log or rows (every other kind, as JSON).",
        ),
    ] = "projects",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here (default: the terminal).")
    ] = None,
    history: HistoryOption = None,
    config: ConfigOption = None,
) -> None:
    """Export one table of the history, every snapshot, as CSV or JSON."""
    from addin.app.history import HistoryError, export_table
    from addin.outputs.atomic import atomic_path

    settings = settings_of(config)
    url = _url(history, settings)
    if output is not None:
        check_paths([p for p in (url.path,) if p is not None], [("-o", output)])
    buffer = io.StringIO()
    try:
        rows = export_table(url, settings, table, fmt.value, buffer)
    except HistoryError as exc:
        _unusable(exc)
    except KeyError as exc:
        fail(str(exc.args[0]))
    if output is None:
        echo(buffer.getvalue(), nl=False)
        return
    try:
        with atomic_path(output) as tmp:
            tmp.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    except (OutputError, OSError) as exc:
        fail(str(exc), EXIT_NOT_WRITTEN)
    echo(f"wrote {output} ({rows} rows of {table})")


@history_app.command("import")
def history_import(
    portfolios: Annotated[
        list[Path], typer.Argument(help="Portfolio workbooks written by `pmo consolidate`.")
    ],
    history: HistoryOption = None,
    config: ConfigOption = None,
) -> None:
    """Backfill the history from portfolio workbooks: one snapshot per workbook's as-of date.

    A portfolio's sheets are a contract, so months of earlier portfolios become months of
    history. A workbook that cannot be read is named with its reason (exit 3); the others
    are imported.
    """
    from addin.app.dashboard import load_portfolio
    from addin.app.history import HistoryError, import_portfolios

    settings = settings_of(config)
    url = _url(history, settings)
    check_paths(list(portfolios), [("--history", url.path)])
    try:
        results = import_portfolios(portfolios, url, settings, load_portfolio)
    except HistoryError as exc:
        _unusable(exc)
    for r in results:
        if r.snapshot is None:
            echo(f"not imported: {r.path}: {r.reason}")
        else:
            how = "replaced" if r.snapshot.replaced else "imported"
            echo(
                f"{how} {r.path} as the snapshot of {r.snapshot.as_of.isoformat()} "
                f"({r.snapshot.projects} projects)"
            )
    raise typer.Exit(EXIT_UNREADABLE if any(r.snapshot is None for r in results) else EXIT_OK)


@lessons_app.command("search")
def lessons_search(
    query: Annotated[str, typer.Argument(help='Words to find, e.g. "supplier delay".')],
    category: Annotated[
        str | None, typer.Option("--category", help="Only this category (Supplier, Cost ...).")
    ] = None,
    project: Annotated[
        str | None, typer.Option("--project", help="Only this project's lessons.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000, help="Most shown.")] = 10,
    history: HistoryOption = None,
    config: ConfigOption = None,
    fmt: Annotated[Format, typer.Option("--format", help="text or json.")] = Format.text,
) -> None:
    """Search the lessons learned of every project ever kept, most relevant first."""
    from addin.app.history import HistoryError, search_lessons

    settings = settings_of(config)
    url = _url(history, settings)
    try:
        hits = search_lessons(url, settings, query, category=category, project=project, limit=limit)
    except HistoryError as exc:
        _unusable(exc)
    if fmt is Format.json:
        echo(json.dumps([_hit_json(h) for h in hits], indent=2, ensure_ascii=False))
        return
    if not hits:
        echo(f"no lesson matches {query!r}")
        return
    for n, h in enumerate(hits, 1):
        when = h.date.isoformat() if h.date else "undated"
        kind = " · ".join(x for x in (h.category, h.type) if x)
        echo(f"{n}. [{kind}] {h.project_id} {h.project_name or ''} ({h.lesson_id or '-'}, {when})")
        echo(f"   {h.lesson or ''}")
        if h.recommendation:
            echo(f"   → {h.recommendation}")


def _hit_json(h: Any) -> dict[str, Any]:
    return {
        "project_id": h.project_id,
        "project_name": h.project_name,
        "lesson_id": h.lesson_id,
        "date": h.date.isoformat() if h.date else None,
        "category": h.category,
        "type": h.type,
        "lesson": h.lesson,
        "recommendation": h.recommendation,
        "owner": h.owner,
        "tags": h.tags,
        "last_seen": h.last_seen.isoformat() if h.last_seen else None,
    }
