"""The exceptions of the PMO engine.

One base class, :class:`PmoError`; leaf classes for the few ways a run can fail
before any finding exists. Messages name the file and, where there is one, the
``Sheet!A1`` range. Validation problems are *findings* (data), never exceptions:
see :mod:`addin.core.findings`.
"""

from __future__ import annotations

import errno
import os

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


def io_reason(exc: BaseException) -> str | None:
    """The system's words for a read or write that failed, else None.

    An ``OSError``'s own text without Python's ``[Errno 28]`` and the file name (the
    message names the file already): ``No space left on device``; also where one is wrapped
    (XlsxWriter's ``FileCreateError(error)``, or ``raise ... from error``). lxml's serialiser,
    which openpyxl saves with, reports the same failure as ``IO_ENOSPC``: the same words.
    """
    for _ in range(4):  # a wrapper of a wrapper at most
        if isinstance(exc, OSError) and exc.strerror:
            return exc.strerror
        text = str(exc)
        code = getattr(errno, text[3:], None) if text.startswith("IO_E") else None
        if isinstance(code, int):
            return os.strerror(code)
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None
        wrapped = inner if inner is not None else exc.__cause__
        if wrapped is None:
            return None
        exc = wrapped
    return None


def os_reason(exc: BaseException) -> str:
    """``exc`` for a one-line message: :func:`io_reason`'s words, else its own text."""
    return io_reason(exc) or str(exc)
