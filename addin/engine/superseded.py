"""One project, one tracker: an adopted tracker and its source found side by side.

``pmo adopt`` writes the governed version of a tracker, often beside it. Both hold the
same project, so a folder scan reads only one (:mod:`addin.core.provenance`):

- the source unchanged since it was adopted: the adopted file is read (it is a standard
  tracker, read without guessing) and the source is skipped, "superseded by
  ``Plan.adopted.xlsx``";
- the source changed since: the adopted copy is out of date and is skipped, with the way
  out (adopt again, or retire the source).

A file named on the command line is always read (that is what was asked).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from pathlib import Path

from addin.core.provenance import adopted_from, file_digest


def supersede(
    files: Sequence[Path], named: Callable[[Path], bool], identity: Callable[[Path], Hashable]
) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Split ``files`` into those to read and those left out, each with its reason.

    Args:
        files: The workbooks discovery found, in order.
        named: True for a file named on the command line (never left out).
        identity: What makes two names one file (see :func:`addin.engine.discover.identity`).
    """
    by_id = {identity(p): p for p in files}
    drop: dict[Hashable, str] = {}
    for adopted in files:
        source = adopted_from(adopted)
        if source is None:
            continue
        beside = adopted.with_name(source.name)
        key = identity(beside)
        if key not in by_id or key == identity(adopted) or key in drop:
            continue
        original = by_id[key]
        if file_digest(original) == source.digest:
            if not named(original):
                drop[key] = f"superseded by {adopted.name} (pmo adopt wrote it from this file)"
        elif not named(adopted):
            drop[identity(adopted)] = (
                f"adopted from {original.name}, which has changed since: run pmo adopt again,"
                " or retire the source"
            )
    keep = [p for p in files if identity(p) not in drop]
    left = [(p, drop[identity(p)]) for p in files if identity(p) in drop]
    return keep, left
