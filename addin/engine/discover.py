"""Turn the command line's PATH arguments into the list of workbooks to read.

Folders are searched recursively for ``*.xlsx``, ``*.xlsm`` and ``*.xls``; globs
are expanded; files named explicitly are kept whatever their extension (so a
mis-named file gets a clear reason rather than silence). Excel lock files
(``~$name.xlsx``) and the temporary files a killed writer left behind are skipped
silently. In folders and globs, the annotated copies and backups that ``pmo validate
--annotate`` writes are recognised by name (:mod:`addin.core.ours`) and listed in
:attr:`Discovery.skipped` with the reason, for the Load Log; named explicitly, they are
read. (An adopted tracker beside its source is found here, and one of the two is left
out by the run, which reads their properties: :mod:`addin.engine.superseded`.) Symbolic
links to folders are not followed, so a link loop cannot trap the walk.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from addin.core.ours import OutputKind, kind_by_name, skip_reason
from addin.read.sniffing import WORKBOOK_SUFFIXES, is_lock_file


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
    """The workbooks found, those left out on purpose, and the arguments that matched nothing.

    Attributes:
        files: The workbooks to read, in order.
        missing: Arguments that matched nothing.
        skipped: Files a folder scan or glob found and left out (our own outputs), each
            with its one-line reason, for the Load Log.
        named: The files named on the command line (normalised), as opposed to found:
            an annotated copy named there is read (see :func:`addin.core.ours.skip_reason`).
    """

    files: list[Path] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    named: set[str] = field(default_factory=set)


def _walk(folder: Path, skipped: list[tuple[Path, str]]) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder, followlinks=False, onerror=None):
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            if path.suffix.lower() in WORKBOOK_SUFFIXES and not is_lock_file(path):
                _found(path, found, skipped)
        # A folder that merely *looks* like a workbook (``x.xlsx/``) is reported, not walked past.
        for name in dirs:
            if Path(name).suffix.lower() in WORKBOOK_SUFFIXES:
                found.append(Path(root) / name)
        dirs[:] = [d for d in dirs if Path(d).suffix.lower() not in WORKBOOK_SUFFIXES]
    return found


def _found(path: Path, found: list[Path], skipped: list[tuple[Path, str]]) -> None:
    """Keep a file a scan found, or leave it out when its name says we wrote it."""
    kind = kind_by_name(path)
    if kind is OutputKind.TEMPORARY:
        return  # half a file a killed writer left: nothing to report on
    reason = skip_reason(kind, named=False)
    if reason is None:
        found.append(path)
    else:
        skipped.append((path, reason))


def discover(arguments: Iterable[str | Path]) -> Discovery:
    """Expand folders, globs and files into a de-duplicated, ordered list of workbooks."""
    out = Discovery()
    seen: set[tuple[int, int] | str] = set()
    left_out: list[tuple[Path, str]] = []

    def add(path: Path) -> None:
        key = identity(path)
        if key not in seen:
            seen.add(key)
            out.files.append(path)

    for arg in arguments:
        text = str(arg)
        path = Path(text)
        if path.is_dir() and path.suffix.lower() not in WORKBOOK_SUFFIXES:
            for p in _walk(path, left_out):
                add(p)
        elif path.exists() or path.is_symlink():
            if not is_lock_file(path):
                out.named.add(os.path.normpath(text))
                add(path)
        elif glob.has_magic(text):
            matches = sorted(glob.glob(text, recursive=True))  # noqa: PTH207 - absolute globs too
            hits = [Path(m) for m in matches if not is_lock_file(Path(m))]
            for p in hits:
                if p.is_dir():
                    for q in _walk(p, left_out):
                        add(q)
                else:
                    found: list[Path] = []
                    _found(p, found, left_out)
                    for q in found:
                        add(q)
            if not hits:
                out.missing.append(text)
        else:
            out.missing.append(text)
    listed: set[tuple[int, int] | str] = set()
    for path, reason in left_out:  # a file both named and found is read, and listed once
        key = identity(path)
        if key not in seen and key not in listed:
            listed.add(key)
            out.skipped.append((path, reason))
    return out
