"""Progress, a JSON-lines run log, and writing outputs one after another.

Progress goes to stderr (a rich bar on a terminal, else plain lines, at most one every
:data:`PLAIN_EVERY` seconds); each output written or not written gets a line.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import typer

from addin.cli.app import EXIT_NOT_WRITTEN, WRITTEN, echo, fail
from addin.core.errors import PmoError, os_reason
from addin.core.words import printable, terminal_safe

#: Where stderr is not a terminal (a scheduler's log, a mail), a plain progress line at
#: most this often, beside the first file's and the last: not a line per file of 20,000.
PLAIN_EVERY = 10.0


class Reporter:
    """Progress on stderr and, with ``--log-file``, one JSON line per event."""

    def __init__(self, total: int, log: Path | None) -> None:
        self.total = total
        self.log_path = log
        try:
            self.log = log.open("a", encoding="utf-8") if log else None
        except OSError as exc:
            fail(f"cannot write the log file {log} ({os_reason(exc)})")
        self._bar: Any = None
        self._task: Any = None
        self._said = -PLAIN_EVERY  # when the last plain line was
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
        """Report one file done."""
        if self._bar is not None:
            self._bar.update(
                self._task, completed=done, description=terminal_safe(Path(file).name[:40])
            )
        elif done in (1, total) or time.monotonic() - self._said >= PLAIN_EVERY:
            self._said = time.monotonic()
            echo(f"[{done}/{total}] {terminal_safe(file)}", err=True)

    def event(self, **fields: Any) -> None:
        """Log one event (a no-op without ``--log-file``)."""
        if self.log is not None:
            stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            shown = {
                k: printable(str(v)) if isinstance(v, str | Path) else v for k, v in fields.items()
            }
            line = json.dumps({"time": stamp, **shown}, default=str, ensure_ascii=False)
            try:
                self.log.write(terminal_safe(line) + "\n")  # a log is read in a terminal too
            except OSError as exc:
                self._cut_short(exc)

    def stop_bar(self) -> None:
        """Take the progress bar off the terminal."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def close(self) -> None:
        """Stop the bar and close the log."""
        self.stop_bar()
        if self.log is not None:
            try:
                self.log.close()
            except OSError as exc:  # what it still held could not be written
                self._cut_short(exc)
            self.log = None

    def _cut_short(self, exc: OSError) -> None:
        """The log could not take a line (a full disk): say so once, log no more, run on."""
        log, self.log = self.log, None
        if log is not None:
            with contextlib.suppress(OSError):
                log.close()  # closed, though its last lines are lost
        why = os_reason(exc)
        echo(f"pmo: the log file {self.log_path} is cut short ({why})", err=True)


def write_or_exit(action: Callable[[], Path], reporter: Reporter) -> Path:
    """Run one output writer; on failure say why (the previous file is intact) and exit 4."""
    try:
        path = action()
    except (PmoError, OSError) as exc:
        reporter.event(event="output_failed", reason=str(exc))
        reporter.event(event="end", exit_code=EXIT_NOT_WRITTEN)
        echo(f"pmo: {terminal_safe(str(exc))}", err=True)
        raise typer.Exit(EXIT_NOT_WRITTEN) from None
    WRITTEN.paths.append(path)
    reporter.event(event="written", path=path)
    return path


def write_all(writers: Sequence[tuple[Path, Callable[[], Path]]], reporter: Reporter) -> list[str]:
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
            echo(f"pmo: {terminal_safe(why)}", err=True)
            lines.append(f"not written: {shown} ({why.removeprefix(f'{shown}: ')})")
            continue
        WRITTEN.paths.append(path)
        reporter.event(event="written", path=path)
        lines.append(f"wrote {shown}")
    return lines
