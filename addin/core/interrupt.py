"""Ctrl-C and SIGTERM end a command in order: workers stopped, temporary files removed.

Python's default for SIGTERM ends the process on the spot: no ``finally`` runs, so
worker processes and half-written temporary files stay behind. :func:`install`
(called by the ``pmo`` command, never by the Excel layer) turns SIGINT and SIGTERM
into :class:`Interrupted`, an exception like ``KeyboardInterrupt`` that every
``finally`` and :func:`addin.outputs.atomic.atomic_path` clean-up sees; the command then
says in one line what was written and exits with 128 + the signal's number (130,
143), as shells do.
"""

from __future__ import annotations

import signal
from types import FrameType

#: The signals that end a command in order.
SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """The command was stopped by a signal (a ``BaseException``: ``except Exception`` misses it)."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(self.name)

    @property
    def name(self) -> str:
        """The signal's name, e.g. ``SIGTERM``."""
        return signal.Signals(self.signum).name

    @property
    def exit_code(self) -> int:
        """The exit code shells use for a process ended by this signal: 130, 143."""
        return 128 + self.signum


def _interrupt(signum: int, frame: FrameType | None) -> None:
    # A second Ctrl-C must not cut the clean-up short: it is bounded (a second or so).
    for s in SIGNALS:
        signal.signal(s, signal.SIG_IGN)
    raise Interrupted(signum)


def install() -> None:
    """Make SIGINT and SIGTERM raise :class:`Interrupted` in the main thread."""
    for s in SIGNALS:
        signal.signal(s, _interrupt)
