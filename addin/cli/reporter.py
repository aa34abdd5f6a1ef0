"""Progress on stderr (a rich bar on a terminal, else plain lines) and a JSON-lines run log."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from addin.cli.app import EXIT_NOT_WRITTEN, fail
from addin.core.errors import PmoError
from addin.core.words import printable


class Reporter:
    """Progress on stderr and, with ``--log-file``, one JSON line per event."""

    def __init__(self, total: int, log: Path | None) -> None:
        self.total = total
        try:
            self.log = log.open("a", encoding="utf-8") if log else None
        except OSError as exc:
            fail(f"cannot write the log file {log} ({exc.strerror or exc})")
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
                TextColumn("{task.description}"),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("", total=total)

    def __call__(self, done: int, total: int, file: str) -> None:
        """Report one file done."""
        if self._bar is not None:
            self._bar.update(
                self._task, completed=done, description=printable(Path(file).name)[:40]
            )
        else:
            typer.echo(f"[{done}/{total}] {printable(file)}", err=True)

    def event(self, **fields: Any) -> None:
        """Log one event (a no-op without ``--log-file``)."""
        if self.log is not None:
            stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            shown = {
                k: printable(str(v)) if isinstance(v, str | Path) else v for k, v in fields.items()
            }
            self.log.write(
                json.dumps({"time": stamp, **shown}, default=str, ensure_ascii=False) + "\n"
            )

    def stop_bar(self) -> None:
        """Take the progress bar off the terminal."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def close(self) -> None:
        """Stop the bar and close the log."""
        self.stop_bar()
        if self.log is not None:
            self.log.close()
            self.log = None


def write_or_exit(action: Callable[[], Path], reporter: Reporter) -> Path:
    """Run one output writer; on failure say why (the previous file is intact) and exit 4."""
    try:
        path = action()
    except (PmoError, OSError) as exc:
        reporter.event(event="output_failed", reason=str(exc))
        reporter.event(event="end", exit_code=EXIT_NOT_WRITTEN)
        typer.echo(f"pmo: {printable(str(exc))}", err=True)
        raise typer.Exit(EXIT_NOT_WRITTEN) from None
    reporter.event(event="written", path=path)
    return path
