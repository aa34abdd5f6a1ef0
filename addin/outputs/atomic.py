"""Write a file atomically: into a temporary file beside it, then rename over it.

A reader (Excel, the consolidator, a sync client) never sees a half-written
workbook, and a failed write leaves the previous file intact::

    with atomic_path(Path("out/Portfolio.xlsx")) as tmp:
        workbook = xlsxwriter.Workbook(tmp)
        ...
        workbook.close()
    # out/Portfolio.xlsx is now the new file

The temporary file lives in the target's folder (so the final rename is an
``os.replace`` on one file system, atomic on POSIX and Windows), is hidden
(its name starts with ``.``) and keeps the target's suffix, because some writers
choose their format from it (``pandas.to_excel``). It is not created in advance:
the writer creates it, with the usual permissions.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

#: Longest file name, in bytes, that common file systems accept (ext4, NTFS, APFS).
_NAME_MAX = 255


def temp_sibling(target: Path, suffix: str | None = None) -> Path:
    """Return an unused, hidden temporary path in ``target``'s folder.

    Args:
        target: The file that will eventually be replaced.
        suffix: Suffix of the temporary name; defaults to ``target``'s own (``.xlsx``).
    """
    suffix = target.suffix if suffix is None else suffix
    stem = target.stem
    # A target whose name is near the 255-byte limit of most file systems must still get
    # a temporary name: the stem is shortened (it only helps a person recognise the file).
    while stem and len(os.fsencode(f".{stem}.00000000.tmp{suffix}")) > _NAME_MAX:
        stem = stem[:-1]
    while True:
        candidate = target.with_name(f".{stem}.{secrets.token_hex(4)}.tmp{suffix}")
        if not candidate.exists():
            return candidate


def _fsync(path: Path) -> None:
    """Flush ``path`` to disk (best effort: some file systems refuse)."""
    with suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextmanager
def atomic_path(target: str | os.PathLike[str], *, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path to write to; on success move it onto ``target``.

    The caller writes the complete file to the yielded path. When the ``with``
    block ends normally the file is flushed to disk and renamed over ``target``
    (replacing any previous file). When the block raises, the temporary file is
    deleted, ``target`` is left untouched and the exception propagates. Writing
    nothing to the yielded path is an error (``FileNotFoundError`` on exit).

    Args:
        target: The file to create or replace. Its folder must exist.
        suffix: Suffix of the temporary file; defaults to ``target``'s suffix.

    Yields:
        A path in ``target``'s folder that does not exist yet.
    """
    final = Path(target)
    tmp = temp_sibling(final, suffix)
    try:
        yield tmp
        if not tmp.exists():
            raise FileNotFoundError(f"{final}: nothing was written to {tmp.name}")
        _fsync(tmp)
        tmp.replace(final)
    except BaseException:
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise
