"""Where a run's time goes: cheap, always-on phase counters (issue 17).

Code marks a phase with ``with phase("parse"):``; the time is added to this process's
totals as *self time*: a phase nested in another is taken out of the outer one, so the
phases of a process add up to the time spent inside any of them. Each counter costs
about a microsecond, so phases mark per-file and per-sheet steps, never per-cell work.

A worker takes its totals after each task (:func:`take`) and sends them back with the
task's result; the run sums them (:func:`add`). A run's breakdown is
:class:`Phases`: the workers' totals (CPU-seconds of all workers together) and the main
process's (wall seconds), printed by ``bench/bench_consolidate.py`` and written in the
``end`` event of ``pmo consolidate --log-file``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

#: This process's seconds per phase (self time) since the last :func:`take`.
_TOTALS: dict[str, float] = {}
#: The phases open now, innermost last: [name, start, seconds spent in nested phases].
_STACK: list[list[object]] = []


@contextmanager
def phase(name: str) -> Iterator[None]:
    """Count the time inside the block as phase ``name`` (less any phase nested in it)."""
    clock = time.perf_counter
    frame: list[object] = [name, clock(), 0.0]
    _STACK.append(frame)
    try:
        yield
    finally:
        elapsed = clock() - frame[1]  # type: ignore[operator]
        _STACK.pop()
        _TOTALS[name] = _TOTALS.get(name, 0.0) + elapsed - frame[2]  # type: ignore[operator]
        if _STACK:
            outer = _STACK[-1]
            outer[2] = outer[2] + elapsed  # type: ignore[operator]


def count(name: str, seconds: float) -> None:
    """Add ``seconds`` measured elsewhere to phase ``name`` (not taken out of an open phase)."""
    _TOTALS[name] = _TOTALS.get(name, 0.0) + seconds


def reset() -> None:
    """Start this process's totals from zero (a forked worker drops its parent's)."""
    _TOTALS.clear()
    _STACK.clear()


def totals() -> dict[str, float]:
    """A copy of this process's totals so far."""
    return dict(_TOTALS)


def take() -> dict[str, float]:
    """This process's totals since the last call, and start again from zero."""
    out = dict(_TOTALS)
    _TOTALS.clear()
    return out


def add(into: dict[str, float], more: Mapping[str, float]) -> None:
    """Add one set of totals to another, phase by phase."""
    for name, seconds in more.items():
        into[name] = into.get(name, 0.0) + seconds


def since(before: Mapping[str, float], after: Mapping[str, float]) -> dict[str, float]:
    """The totals spent between two :func:`totals` (phases with no time left out)."""
    out = {k: v - before.get(k, 0.0) for k, v in after.items()}
    return {k: v for k, v in out.items() if v > 0}


def peak_rss_mb() -> float | None:
    """This process's peak resident memory in MB (not its workers'); None where unknown."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux gives KB, macOS bytes.
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


@dataclass
class Phases:
    """A run's breakdown: the workers' phases (summed) and the main process's."""

    workers: dict[str, float] = field(default_factory=dict)
    main: dict[str, float] = field(default_factory=dict)

    def as_dict(self, digits: int = 3) -> dict[str, dict[str, float]]:
        """Rounded, largest first, for a log line or JSON."""
        return {
            "workers": _rounded(self.workers, digits),
            "main": _rounded(self.main, digits),
        }

    def lines(self) -> list[str]:
        """One line per side: ``workers (CPU-s): parse 1.20, scan 0.80, ...``."""
        out = []
        for label, values in (("workers (CPU-s)", self.workers), ("main (s)", self.main)):
            shown = ", ".join(f"{k} {v:.2f}" for k, v in _rounded(values, 2).items())
            out.append(f"{label}: total {sum(values.values()):.2f} = {shown or '-'}")
        return out


def _rounded(values: Mapping[str, float], digits: int) -> dict[str, float]:
    ordered = sorted(values.items(), key=lambda kv: -kv[1])
    return {k: round(v, digits) for k, v in ordered}
