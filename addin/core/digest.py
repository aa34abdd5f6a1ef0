"""The SHA-256 of a regular file, read without ever blocking on something that is not one."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import NamedTuple


class Digest(NamedTuple):
    """A file's size, modification time and SHA-256 (hex), taken from one open file."""

    size: int
    mtime_ns: int
    sha256: str


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
        h = hashlib.sha256()
        with os.fdopen(os.dup(fd), "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    finally:
        os.close(fd)
    return Digest(st.st_size, st.st_mtime_ns, h.hexdigest())
