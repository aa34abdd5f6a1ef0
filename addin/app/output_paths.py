"""Check every path a command will write before it runs: an output never replaces an input.

Every command that writes calls :func:`check_outputs` with its inputs and its outputs
before it reads anything. An output is refused, with a one-line
:class:`~addin.core.errors.UnsafePathError`, when:

* it is one of the inputs: the same file after following links (same device and inode
  where it exists), or the same resolved path where it does not yet;
* two outputs name the same file;
* its folder does not exist, or is not a folder;
* it exists and is not a regular file (a device, a FIFO, a socket, a folder), itself or
  behind a link: an atomic write would replace the node with a file and say "wrote".
  An output that is appended to (a log) may be a FIFO or a device, never a folder.

The cache has rules of its own on top (it must be ours or absent and is never reached
through a link): see :func:`addin.engine.cache_file.check_cache_path`.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from addin.core.errors import UnsafePathError, os_reason
from addin.core.filetypes import file_kind
from addin.core.words import printable


@dataclass(frozen=True)
class Output:
    """One path a command will write.

    Attributes:
        option: How the user named it, for messages (``-o``, ``--json``, ``--log-file``).
        path: The path as given.
        appends: True for a file written by appending (a log): a FIFO or a device is fine.
    """

    option: str
    path: Path
    appends: bool = False


def _keys(path: Path) -> set[tuple[object, ...]]:
    """What identifies the file at ``path``: its device and inode, and its resolved path."""
    keys: set[tuple[object, ...]] = {("path", os.path.realpath(path))}
    try:
        st = path.stat()
    except (OSError, ValueError):
        return keys
    keys.add(("inode", st.st_dev, st.st_ino))
    return keys


def _input_keys(path: Path) -> tuple[tuple[object, ...]]:
    """What identifies an input for :func:`_keys`: its device and inode, else its resolved path.

    An output's resolved path names an existing file only when that file has the output's
    device and inode, so an input needs its resolved path only when it has none to give
    (it cannot be looked at). Resolving every input cost a run of 1,000 files 25 ms.
    """
    try:
        st = os.stat(path)  # noqa: PTH116 - what Path.stat does, for each input of a run
    except (OSError, ValueError):
        return (("path", os.path.realpath(path)),)
    return (("inode", st.st_dev, st.st_ino),)


def _shown(path: Path) -> str:
    return printable(str(path))


def _check_target(out: Output) -> None:
    """Refuse an output whose folder is missing or whose target is not a regular file."""
    path = out.path
    parent = path.parent
    if not parent.is_dir():
        what = "is not a folder" if parent.exists() else "does not exist"
        raise UnsafePathError(f"{out.option} {_shown(path)}: folder {_shown(parent)} {what}")
    try:
        st = path.stat()  # follows links: what a write would reach
    except FileNotFoundError:
        return  # absent (or a dangling link): the file will be created
    except OSError as exc:
        raise UnsafePathError(
            f"{out.option} {_shown(path)}: cannot be checked ({os_reason(exc)})"
        ) from None
    if stat.S_ISREG(st.st_mode):
        return
    if out.appends and not stat.S_ISDIR(st.st_mode):
        return
    behind = " (behind a link)" if path.is_symlink() else ""
    raise UnsafePathError(
        f"{out.option} {_shown(path)}: is {file_kind(st.st_mode)}{behind}, not a regular file; "
        "refusing to write there"
    )


def check_outputs(
    inputs: Iterable[Path],
    outputs: Sequence[Output],
    *,
    replaceable: Callable[[Path], bool] | None = None,
) -> None:
    """Refuse, before anything runs, an output that would destroy an input or a device.

    Args:
        inputs: Every file the command reads (trackers, a portfolio, a previous portfolio).
        outputs: Every file the command writes; None-valued options are left out by callers.
        replaceable: Says whether an input an output names may be replaced all the same:
            ``pmo consolidate T -o T/portfolio.xlsx`` finds last week's portfolio in ``T``
            (it skips it: see :mod:`addin.core.ours`) and replaces it.

    Raises:
        UnsafePathError: one line naming the option, the path and why.
    """
    taken: dict[tuple[object, ...], Path] = {}
    for path in inputs:
        for key in _input_keys(path):
            taken.setdefault(key, Path(path))
    written: dict[tuple[object, ...], Output] = {}
    for out in outputs:
        keys = _keys(out.path)
        hit = next((taken[k] for k in keys if k in taken), None)
        if hit is not None and not (replaceable is not None and replaceable(hit)):
            raise UnsafePathError(
                f"{out.option} {_shown(out.path)}: is one of the inputs ({_shown(hit)}); "
                "choose another path (inputs are never overwritten)"
            )
        twin = next((written[k] for k in keys if k in written), None)
        if twin is not None:
            raise UnsafePathError(
                f"{twin.option} and {out.option} name the same file ({_shown(out.path)}); "
                "give each output its own path"
            )
        _check_target(out)
        for key in keys:
            written[key] = out
