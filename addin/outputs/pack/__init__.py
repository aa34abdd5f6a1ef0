"""The steering pack: a PowerPoint deck for the committee, from one portfolio run.

* :func:`write_pack` writes ``steering.pptx`` (see :mod:`addin.outputs.pack.writer`);
* :class:`Trends` and :class:`Hotspots` are the optional inputs of the trends/movers and
  resource hot-spot slides (see :mod:`addin.outputs.pack.inputs`).
"""

from __future__ import annotations

from addin.outputs.pack.inputs import (
    Hotspot,
    Hotspots,
    MovedMilestone,
    Mover,
    Snapshot,
    Trends,
)
from addin.outputs.pack.writer import build_pack, write_pack

__all__ = [
    "Hotspot",
    "Hotspots",
    "MovedMilestone",
    "Mover",
    "Snapshot",
    "Trends",
    "build_pack",
    "write_pack",
]
