"""Bytes set aside in a temporary file until they are written out.

A consolidation's workers render every tracker's rows for the portfolio, deflated
(13 KB a standard tracker); the main process held them all until the writer copied
them into the workbook: 260 MB at 20,000 trackers. A :class:`Spill` appends them to one
temporary file instead, in a folder the caller chooses (the portfolio's own: ``/tmp``
is often a tmpfs, where the bytes would still take memory), and reads each back when it
is written. The file has no name on POSIX systems (it is unlinked as it is made) and is
deleted when closed, or with the process.
"""

from __future__ import annotations

import errno
import os
import tempfile
import threading
from pathlib import Path
from typing import IO, Any


class Spill:
    """A temporary file of appended byte strings, each read back by where it lies."""

    def __init__(self, folder: Path) -> None:
        """A spill in ``folder``, opened on first use."""
        self.folder = folder
        self._file: IO[bytes] | None = None
        self._end = 0
        self._lock = threading.Lock()

    def put(self, data: bytes) -> Spilled:
        """Set ``data`` aside; what it returns reads it back.

        Raises:
            OSError: the bytes could not all be written (no room, a file size limit): the
                spill is as it was, and what was set aside before still reads back.
        """
        with self._lock:
            if self._file is None:
                # open as long as the spill: closed by close(), or with the process;
                # unbuffered, so a full disk refuses this call, not a later read's flush
                self._file = tempfile.TemporaryFile(  # noqa: SIM115
                    prefix=".pmo-spill-", dir=self.folder, buffering=0
                )
            _write_at(self._file, data, self._end)
            offset, self._end = self._end, self._end + len(data)
        return Spilled(self, offset, len(data))

    def read(self, offset: int, length: int) -> bytes:
        """The ``length`` bytes set aside at ``offset``."""
        with self._lock:
            if self._file is None:
                raise ValueError("internal: nothing was set aside in this spill")
            if hasattr(os, "pread"):
                data = os.pread(self._file.fileno(), length, offset)
            else:  # Windows
                self._file.seek(offset)
                data = self._file.read(length)
        if len(data) != length:
            raise OSError(f"a temporary file lost {length - len(data)} bytes")
        return data

    def close(self) -> None:
        """Delete the file (what was set aside can no longer be read)."""
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None


def _write_at(file: IO[bytes], data: bytes, offset: int) -> None:
    """Write all of ``data`` at ``offset`` (a short write, as a disk fills, is carried on)."""
    view = memoryview(data)
    while view:
        if hasattr(os, "pwrite"):
            n = os.pwrite(file.fileno(), view, offset)
        else:  # Windows
            file.seek(offset)
            n = file.write(view) or 0
        if n <= 0:
            raise OSError(errno.ENOSPC, "no room for a temporary file's bytes")
        view, offset = view[n:], offset + n


class Spilled:
    """Bytes set aside in a :class:`Spill`: as long as they are, read back on demand."""

    __slots__ = ("length", "offset", "spill")

    def __init__(self, spill: Spill, offset: int, length: int) -> None:
        """``length`` bytes at ``offset`` of ``spill``."""
        self.spill = spill
        self.offset = offset
        self.length = length

    def __len__(self) -> int:
        return self.length

    def read(self) -> bytes:
        """The bytes."""
        return self.spill.read(self.offset, self.length)

    def __reduce__(self) -> tuple[Any, ...]:
        return (bytes, (self.read(),))  # what crosses a pipe is the bytes themselves
