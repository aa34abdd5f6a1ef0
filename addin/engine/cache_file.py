"""Whether a path is a ``pmo`` result cache: the only file a consolidation may write as one.

A cache path is written and, when damaged, deleted and made again, so it must hold our
cache or nothing: a tracker, another program's SQLite database or a link to either given
as ``--cache`` is refused with a one-line :class:`~addin.core.errors.UnsafePathError`
before anything is read (:func:`check_cache_path`). Our file carries the SQLite
application id :data:`APPLICATION_ID`; a cache made before the id existed is known by
its exact tables and columns.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path
from urllib.parse import quote

from addin.core.errors import UnsafePathError, os_reason
from addin.core.filetypes import file_kind
from addin.core.words import printable

#: SQLite ``application_id`` of our cache files ("PMOC"): how a cache is known to be ours.
APPLICATION_ID = 0x504D4F43
_SQLITE_HEADER = b"SQLite format 3\x00"
#: Tables and columns of a cache made before :data:`APPLICATION_ID` (still ours).
_LEGACY_TABLES = {
    "meta": ["key", "value"],
    "results": ["path", "size", "mtime_ns", "sha256", "fingerprint", "payload", "stored"],
}


def _header(path: Path) -> bytes:
    """The first 100 bytes of a regular file, read without following a link."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    try:
        return os.read(fd, 100)
    finally:
        os.close(fd)


def is_our_cache(path: Path) -> bool:
    """True when ``path`` is a cache file ``pmo`` made (by its SQLite application id).

    A cache made before the id existed is recognised by its exact tables and columns,
    read through a read-only connection.
    """
    try:
        head = _header(path)
    except OSError:
        return False
    if len(head) < 100 or not head.startswith(_SQLITE_HEADER):
        return False
    app = int.from_bytes(head[68:72], "big")
    if app == APPLICATION_ID:
        return True
    if app != 0:
        return False
    try:
        uri = "file:" + quote(os.fsencode(path.absolute())) + "?mode=ro"
        db = sqlite3.connect(uri, uri=True, timeout=1)
        try:
            names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            tables = {n: [r[1] for r in db.execute(f'PRAGMA table_info("{n}")')] for n in names}
        finally:
            db.close()
    except sqlite3.Error:
        return False
    return tables == _LEGACY_TABLES


def check_cache_path(path: Path) -> None:
    """Refuse a cache path that is not ours to write: it must be absent, empty or our cache.

    Raises:
        UnsafePathError: the path is a link (never followed), not a regular file, or a
            file that is not a ``pmo`` cache (a tracker, another program's database).
    """
    shown = printable(str(path))
    try:
        st = path.lstat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UnsafePathError(f"cache {shown}: cannot be checked ({os_reason(exc)})") from None
    if stat.S_ISLNK(st.st_mode):
        raise UnsafePathError(
            f"cache {shown}: is a link; give the cache's own path (a link is never followed, "
            "so what it points to cannot be overwritten)"
        )
    if not stat.S_ISREG(st.st_mode):
        raise UnsafePathError(f"cache {shown}: is {file_kind(st.st_mode)}, not a cache file")
    if st.st_size and not is_our_cache(path):
        raise UnsafePathError(
            f"cache {shown}: not a pmo cache (it would be overwritten); choose another "
            "--cache path, delete the file, or use --no-cache"
        )
