"""The SHA-256 of a regular file, read without ever blocking on something that is not one.

With it, the file's *stamp*: what its status says about it (device, inode, size,
modification and change times), so a later look can tell, without reading the file,
that it is the very file that was hashed (:func:`stamp_of`). A file changed by its user
gets a new change time (and, saved by Excel, a new inode); one changed again within
the file system's clock tick after it was hashed would keep its stamp, so a file changed
less than :data:`SETTLED_NS` before it was hashed gets no stamp: it is hashed again next
time, as git does with a "racily clean" file.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path
from typing import NamedTuple

#: How long a file must have been left alone before it is hashed for its stamp to be
#: kept: longer than any file system's clock tick (FAT's is two seconds).
SETTLED_NS = 3_000_000_000


class Digest(NamedTuple):
    """A file's size, modification time and SHA-256 (hex), taken from one open file.

    ``stamp`` is the file's :func:`stamp` as it was hashed, or "" when it had changed
    too recently (:data:`SETTLED_NS`) for a later stamp to vouch for its content.
    """

    size: int
    mtime_ns: int
    sha256: str
    stamp: str = ""


def stamp(st: os.stat_result) -> str:
    """What a file's status says about it: any change to the file changes it."""
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


def stamp_of(path: str | Path, max_bytes: float) -> str | None:
    """The :func:`stamp` of a regular file (after following links) of at most ``max_bytes``.

    None for anything else or a file that cannot be looked at. Nothing is opened, so
    nothing can block.
    """
    try:
        st = os.stat(path)  # noqa: PTH116 - no Path parsed for each file of a run
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(st.st_mode) or st.st_size > max_bytes:
        return None
    return stamp(st)


def digest_of(path: str | Path, max_bytes: float) -> Digest | None:
    """The digest of a regular file (after following links) of at most ``max_bytes``.

    None for anything else, or a file that cannot be read. The type and size come from
    the open file itself, so a file swapped for a FIFO between two looks cannot block.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except (OSError, ValueError):
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > max_bytes:
            return None
        import hashlib  # here: its OpenSSL start-up is 4 ms of a command that hashes nothing

        h = hashlib.sha256()
        with os.fdopen(os.dup(fd), "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    finally:
        os.close(fd)
    settled = time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) >= SETTLED_NS
    return Digest(st.st_size, st.st_mtime_ns, h.hexdigest(), stamp(st) if settled else "")
