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

Replacing a file keeps what the file was: its mode and, where the process may set them,
its owner and group are copied onto the new file before the rename (a ``0600`` tracker
stays ``0600``). A target that is a symbolic link is written *through*: the new file
goes beside the link's final target and replaces it, and the link stays a link. A link
to anything but a regular file (a device, a FIFO, a folder) is refused.
"""

from __future__ import annotations

import os
import secrets
import stat
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from addin.core.errors import OutputError

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


def write_target(target: Path) -> Path:
    """The file a write to ``target`` really replaces: ``target``, or a link's final target.

    Raises:
        OutputError: ``target`` is a link to something other than a regular file (or to
            nothing that can be named, such as a link loop).
    """
    if not target.is_symlink():
        return target
    try:
        real = target.resolve(strict=False)
    except (OSError, RuntimeError) as exc:  # a link loop
        raise OutputError(f"{target}: not written: the link cannot be followed ({exc})") from None
    if real.is_symlink() or (real.exists() and not real.is_file()):
        raise OutputError(f"{target}: not written: it links to {real}, which is not a regular file")
    return real


def keep_attributes(new: Path, old: Path) -> None:
    """Give ``new`` the mode, owner and group of ``old`` (an existing file it will replace).

    The owner and group are copied only where the process may set them (root, or a group
    the owner belongs to); otherwise they stay the process's, as for any new file.
    """
    try:
        st = old.stat()
    except FileNotFoundError:
        return  # a new file keeps the umask default
    with suppress(OSError):
        os.chown(new, st.st_uid, st.st_gid)
    with suppress(OSError):  # the group alone, where the owner could not be given away
        os.chown(new, -1, st.st_gid)
    new.chmod(stat.S_IMODE(st.st_mode))  # after chown, which clears set-id bits


@contextmanager
def atomic_path(target: str | os.PathLike[str], *, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path to write to; on success move it onto ``target``.

    The caller writes the complete file to the yielded path. When the ``with``
    block ends normally the file is flushed to disk and renamed over ``target``
    (replacing any previous file). When the block raises, the temporary file is
    deleted, ``target`` is left untouched and the exception propagates. Writing
    nothing to the yielded path is an error (``FileNotFoundError`` on exit).

    Args:
        target: The file to create or replace. Its folder must exist. A symbolic link is
            written through (its target is replaced; the link stays).
        suffix: Suffix of the temporary file; defaults to ``target``'s suffix.

    Yields:
        A path in the folder of the file replaced that does not exist yet.

    Raises:
        OutputError: ``target`` links to something other than a regular file.
    """
    final = write_target(Path(target))
    tmp = temp_sibling(final, suffix)
    try:
        yield tmp
        if not tmp.exists():
            raise FileNotFoundError(f"{final}: nothing was written to {tmp.name}")
        keep_attributes(tmp, final)
        _fsync(tmp)
        tmp.replace(final)
    except BaseException as exc:
        let_go(exc)
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise


def let_go(exc: BaseException) -> None:
    """Close, quietly, what a writer that raised ``exc`` left open.

    XlsxWriter and openpyxl open the file they write as a zip archive and, when a write
    fails (a full disk), leave it open in their frames. Closed later by the garbage
    collector, it fails again, and Python prints "Exception ignored in ZipFile.__del__"
    and a traceback under the run's one line. The frames ``exc`` passed through that have
    returned are cleared here, which closes what only they held, with Python's report of
    an error in a finaliser switched off for the moment: ``exc`` itself says what failed.
    """
    hook = sys.unraisablehook
    sys.unraisablehook = _ignore
    seen: set[int] = set()
    at: BaseException | None = exc
    try:
        while at is not None and id(at) not in seen:  # and what it was raised in handling
            seen.add(id(at))
            traceback.clear_frames(at.__traceback__)
            at = at.__cause__ or at.__context__
    finally:
        sys.unraisablehook = hook


def _ignore(unraisable: object) -> None:
    """An unraisable-exception hook that drops them (see :func:`let_go`)."""
