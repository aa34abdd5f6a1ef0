"""Where an adopted tracker came from: the source ``pmo adopt`` read, named in the file.

``pmo adopt`` writes the source tracker's file name and the SHA-256 of its bytes into the
adopted file's custom document properties. A folder holding both is then one project, not
two: the run (:mod:`addin.engine.superseded`) keeps the adopted file, the governed
version, and skips its source while the source is unchanged since it was adopted; once the
source has changed, the adopted copy is the stale one and is skipped instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from addin.core.digest import digest_of

#: Custom document property naming the file an adopted tracker was adopted from.
ADOPTED_FROM_PROPERTY = "PMO Adopted From"
#: Custom document property holding the SHA-256 (hex) of that file's bytes when adopted.
ADOPTED_DIGEST_PROPERTY = "PMO Adopted From SHA-256"
#: Largest source hashed when comparing (a tracker is far smaller).
_MAX_BYTES = 256 * 1024 * 1024


class Provenance(NamedTuple):
    """The source an adopted tracker names: its file name and the digest of its bytes."""

    name: str
    digest: str


def provenance_of(props: Mapping[str, str]) -> Provenance | None:
    """The source an adopted workbook names in its custom properties, or None (not adopted).

    Read in the worker that reads the workbook (:meth:`addin.read.source.Workbook.adopted_from`),
    so discovery never opens a workbook itself.
    """
    name = props.get(ADOPTED_FROM_PROPERTY, "")
    digest = props.get(ADOPTED_DIGEST_PROPERTY, "")
    if not name or not digest or Path(name).name != name:
        return None  # a path, not a file name beside it: nothing to supersede
    return Provenance(name, digest.casefold())


def file_digest(path: str | Path) -> str | None:
    """SHA-256 (hex) of a regular file's bytes; None when it cannot be read."""
    found = digest_of(path, _MAX_BYTES)
    return None if found is None else found.sha256
