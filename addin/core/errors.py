"""The exceptions of the PMO engine.

One base class, :class:`PmoError`; leaf classes for the few ways a run can fail
before any finding exists. Messages name the file and, where there is one, the
``Sheet!A1`` range. Validation problems are *findings* (data), never exceptions:
see :mod:`addin.core.findings`.
"""

from __future__ import annotations

from addin.core.words import one_line


class PmoError(Exception):
    """Base class of every error the engine raises on purpose."""


class ConfigError(PmoError):
    """A settings file (``pmo.toml``) or a workbook's settings sheet is invalid."""


class UnreadableFileError(PmoError):
    """A workbook could not be opened or parsed; the message is a one-line reason."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = one_line(reason)
        super().__init__(f"{path}: {self.reason}")


class NotATrackerError(PmoError):
    """A workbook opened, but nothing in it maps to the tracker standard."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = one_line(reason)
        super().__init__(f"{path}: {self.reason}")


class OutputError(PmoError):
    """An output file could not be written; the previous file, if any, is intact."""


class UnsafePathError(PmoError):
    """A path given for an output or the cache would destroy something; nothing was run.

    An input tracker, a device, a FIFO, a folder, another program's file, a link the
    cache would follow, or two outputs naming one file. The message is one line.
    """


class ExecutorError(PmoError):
    """The cluster a run was sent to cannot run it (unreachable, no workers, set up wrongly).

    The message is one line that says what to change; nothing was written.
    """
