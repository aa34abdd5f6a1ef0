"""Build a bulk of long-lived data without the cyclic garbage collector walking it again.

Python's cyclic collector runs after every so many new container objects and, now and
then, walks every object alive. A consolidation builds millions of them that live to the
end of the run (each tracker's columns, findings and rows) and holds almost no cycles, so
those walks are pure cost, and they grow with the portfolio: at 20,000 trackers the main
process spent most of 35 s of "unpickle" in them (10,000 results unpickled: 8.2 s with the
collector, 2.9 s without). :func:`bulk` pauses it for such a step (the engine's run, the
portfolio writer, the resource step) and restores it after; objects are still freed as soon
as nothing refers to them.

What such a step made is then set among the oldest objects (``gc.freeze()`` and
``gc.unfreeze()``: two list splices) rather than left in the youngest generation: the
first allocation after the collector came back on walked all of it at once (0.13 s at the
end of a 1,000-tracker re-run, every run). The oldest generation is still collected, with
the rest, when enough has changed: a reference cycle made in the block is freed then.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def bulk() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (nested blocks are fine)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.freeze()  # the block's objects join the oldest generation, unwalked,
            gc.unfreeze()  # where the collector still finds any cycle among them later
            gc.enable()
