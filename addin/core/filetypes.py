"""What kind of file a path is, in words, for one-line reasons.

Only regular files are ever read, hashed or replaced: a FIFO blocks the reader forever,
``/dev/zero`` never ends, and replacing a device node with a file breaks the machine.
"""

from __future__ import annotations

import stat

_KINDS = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
    stat.S_IFLNK: "a link",
    stat.S_IFREG: "a regular file",
}


def file_kind(mode: int) -> str:
    """What a file is, from its ``st_mode``: ``a FIFO``, ``a character device``, ``a folder`` ..."""
    return _KINDS.get(stat.S_IFMT(mode), "a special file")


def not_regular(mode: int) -> str:
    """Why a file that is not a regular file is refused: ``not a regular file (a FIFO)``."""
    return f"not a regular file ({file_kind(mode)})"
