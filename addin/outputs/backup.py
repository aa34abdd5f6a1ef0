"""Backups made before a tracker is replaced in place: never overwritten, checked byte for byte.

A backup sits beside the file, named after it and the time
(``plan.20261125-093000.bak.xlsx``). It is created exclusively (``O_EXCL``): when a
backup of that name exists already (two runs in one second, the same file named twice)
the next free name is taken (``plan.20261125-093000-2.bak.xlsx``), so an earlier backup
is never replaced. Its bytes are read back and compared with the original's before the
caller may replace the original, and it gets the original's mode, owner and times.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from contextlib import suppress
from pathlib import Path

from addin.core.errors import OutputError, os_reason
from addin.outputs.atomic import keep_attributes

#: Names tried for one backup before giving up (a folder full of them is a problem in itself).
_MAX_TRIES = 1000


def backup_path(path: Path, now: dt.datetime | None = None, n: int = 1) -> Path:
    """A timestamped backup name beside the file, e.g. ``plan.20261125-093000.bak.xlsx``.

    ``n`` > 1 gives the n-th name for the same second (``plan.20261125-093000-2.bak.xlsx``).
    """
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    if n > 1:
        stamp += f"-{n}"
    return path.with_name(f"{path.stem}.{stamp}.bak{path.suffix.lower()}")


def digest(data: bytes) -> str:
    """SHA-256 of some bytes, in hex."""
    return hashlib.sha256(data).hexdigest()


def _write_new(path: Path, data: bytes) -> None:
    """Create ``path`` (it must not exist, not even as a link) and write ``data`` to disk."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with suppress(OSError):
            path.unlink()  # half a backup is no backup
        raise
    os.close(fd)


def make_backup(original: Path, data: bytes, now: dt.datetime | None = None) -> Path:
    """Write ``data`` (the original's bytes) to a new backup beside ``original``; return it.

    Raises:
        OutputError: no backup could be made, or what was written does not read back
            identical; the original is not to be replaced then.
    """
    when = now or dt.datetime.now()
    try:
        for n in range(1, _MAX_TRIES + 1):
            candidate = backup_path(original, when, n)
            try:
                _write_new(candidate, data)
            except FileExistsError:
                continue
            try:
                keep_attributes(candidate, original)
                st = original.stat()
                os.utime(candidate, ns=(st.st_atime_ns, st.st_mtime_ns))
                if digest(candidate.read_bytes()) != digest(data):
                    raise OSError(0, "the backup does not read back identical")
            except OSError:
                with suppress(OSError):
                    candidate.unlink()
                raise
            return candidate
    except OSError as exc:
        raise OutputError(
            f"{original}: no backup could be made ({os_reason(exc)}); file left as it was"
        ) from None
    raise OutputError(
        f"{original}: no backup could be made ({_MAX_TRIES} backups from the same second); "
        "file left as it was"
    )
