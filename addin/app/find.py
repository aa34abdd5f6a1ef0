"""Finding the trackers a command names: files, folders and globs.

A module of its own so ``pmo validate`` finds its inputs without importing the
consolidation's writers (see :mod:`addin.engine.discover`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import addin.core.timing as timing
from addin.engine.discover import Discovery, discover


def find_trackers(sources: Sequence[str | Path]) -> Discovery:
    """The workbooks named by files, folders and globs (see :mod:`addin.engine.discover`)."""
    with timing.phase("discover"):
        return discover(sources)
