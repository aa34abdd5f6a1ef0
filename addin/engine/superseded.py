"""One project, one tracker: an adopted tracker and its source found side by side.

``pmo adopt`` writes the governed version of a tracker, often beside it, and names the
source and the SHA-256 of its bytes in the adopted file's properties
(:mod:`addin.core.provenance`). Both hold the same project, so a run keeps only one:

- the source unchanged since it was adopted: the adopted file is kept (it is a standard
  tracker, read without guessing) and the source is skipped, "superseded by
  ``Plan.adopted.xlsx``";
- the source changed since: the adopted copy is out of date and is skipped, with the way
  out (adopt again, or retire the source).

A file named on the command line is always kept (that is what was asked). The properties
are read by the worker that reads each file, like every other part of a workbook: the run
itself opens no workbook, and hashes only a source that an adopted file found beside it
names.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from addin.core.provenance import file_digest


def superseded(
    files: Sequence[tuple[str, tuple[str, str] | None]], named: Callable[[str], bool]
) -> dict[int, str]:
    """Which files a run leaves out, by index, each with its reason.

    Args:
        files: Each file read, with the (file name, SHA-256) of the source it was adopted
            from when it says so (``adopted_from`` of its result), in run order.
        named: True for a file named on the command line (never left out).
    """
    where = {os.path.normcase(os.path.normpath(f)): i for i, (f, _) in enumerate(files)}
    drop: dict[int, str] = {}
    for i, (adopted, provenance) in enumerate(files):
        if provenance is None or i in drop:
            continue
        name, digest = provenance
        beside = str(Path(adopted).with_name(name))
        j = where.get(os.path.normcase(os.path.normpath(beside)))
        if j is None or j == i or j in drop:
            continue
        source = files[j][0]
        if file_digest(source) == digest:
            if not named(source):
                shown = Path(adopted).name
                drop[j] = f"superseded by {shown} (pmo adopt wrote it from this file)"
        elif not named(adopted):
            drop[i] = (
                f"adopted from {Path(source).name}, which has changed since: run pmo "
                "adopt again, or retire the source"
            )
    return drop
