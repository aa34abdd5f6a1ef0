"""Turn the command line's PATH arguments into the list of workbooks to read.

Folders are searched recursively for ``*.xlsx``, ``*.xlsm`` and ``*.xls``; globs
are expanded; files named explicitly are kept whatever their extension (so a
mis-named file gets a clear reason rather than silence). Excel lock files
(``~$name.xlsx``) are skipped silently, and so are, in folders, the annotated
copies and backups that ``pmo validate --annotate`` writes and any temporary file
a killed writer left behind. Symbolic links to folders are not
followed, so a link loop cannot trap the walk.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from addin.read.source import WORKBOOK_SUFFIXES, is_lock_file

_OUR_OUTPUTS = re.compile(r"\.(checked|\d{8}-\d{6}(-\d+)?\.bak)\.xls[xm]$", re.IGNORECASE)
#: A temporary file of :mod:`addin.atomic` (``.plan.checked.1a2b3c4d.tmp.xlsx``), left
#: behind only when a writer was killed before it could clean up.
_OUR_TEMPORARY = re.compile(r"^\..*\.[0-9a-f]{8}\.tmp\.xls[xm]$", re.IGNORECASE)


def is_our_output(path: Path) -> bool:
    """True for files ``pmo`` writes beside trackers: annotated copies, backups, temporaries.

    Copies and backups hold the same Project ID as the tracker they came from, and a
    temporary file is half a workbook, so a folder scan leaves them out (naming one
    explicitly still reads it).
    """
    return bool(_OUR_OUTPUTS.search(path.name) or _OUR_TEMPORARY.match(path.name))


def identity(path: Path) -> tuple[int, int] | str:
    """What makes two names one file: device and inode (links followed), else the name.

    ``t.xlsx``, ``./t.xlsx``, ``$PWD/t.xlsx``, a symbolic link to it and a hard link are
    one file, read (and annotated in place) once. A name that cannot be looked up (a
    dangling link) stands for itself.
    """
    try:
        st = path.stat()
    except OSError:
        return os.path.normcase(os.path.abspath(path))  # noqa: PTH100 - no link resolution
    return st.st_dev, st.st_ino


@dataclass
class Discovery:
    """The workbooks found, and the arguments that matched nothing."""

    files: list[Path] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _walk(folder: Path) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder, followlinks=False, onerror=None):
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            if (
                path.suffix.lower() in WORKBOOK_SUFFIXES
                and not is_lock_file(path)
                and not is_our_output(path)
            ):
                found.append(path)
        # A folder that merely *looks* like a workbook (``x.xlsx/``) is reported, not walked past.
        for name in dirs:
            if Path(name).suffix.lower() in WORKBOOK_SUFFIXES:
                found.append(Path(root) / name)
        dirs[:] = [d for d in dirs if Path(d).suffix.lower() not in WORKBOOK_SUFFIXES]
    return found


def discover(arguments: Iterable[str | Path]) -> Discovery:
    """Expand folders, globs and files into a de-duplicated, ordered list of workbooks."""
    out = Discovery()
    seen: set[tuple[int, int] | str] = set()

    def add(path: Path) -> None:
        key = identity(path)
        if key not in seen:
            seen.add(key)
            out.files.append(path)

    for arg in arguments:
        text = str(arg)
        path = Path(text)
        if path.is_dir() and path.suffix.lower() not in WORKBOOK_SUFFIXES:
            for p in _walk(path):
                add(p)
        elif path.exists() or path.is_symlink():
            if not is_lock_file(path):
                add(path)
        elif glob.has_magic(text):
            matches = sorted(glob.glob(text, recursive=True))  # noqa: PTH207 - absolute globs too
            hits = [Path(m) for m in matches if not is_lock_file(Path(m))]
            for p in hits:
                if p.is_dir():
                    for q in _walk(p):
                        add(q)
                else:
                    add(p)
            if not hits:
                out.missing.append(text)
        else:
            out.missing.append(text)
    return out
