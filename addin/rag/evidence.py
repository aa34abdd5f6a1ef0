"""What counts as evidence for each dimension (RAG_RULES v2), and what is missing when none.

A dimension is judged only from evidence; without it, it is **No data**, with a reason
that names what is missing, so a PMO analyst knows what to ask the project manager for.

* Schedule: SPI computable (PV > 0); or a milestone with Baseline and Forecast (or
  Actual) dates; or Baseline and Forecast Finish.
* Cost: BAC > 0, and Budget lines with Actual or Forecast (or a computable CPI).
* Risk: a RAID table was found (a found table with no open items is evidence of none).

Each function returns ``()`` when the dimension has evidence, else one reason. A Red or
Amber trigger that fires is evidence in itself (an overdue milestone with no baseline),
so the dimensions ask here only when nothing fired.
"""

from __future__ import annotations

from addin.core.words import counted
from addin.rag.model import Metrics


def progress_unknown(m: Metrics) -> str:
    """``progress unknown for N of M tasks`` ("" when every task's progress is known)."""
    if not m.progress_unknown:
        return ""
    return f"progress unknown for {m.progress_unknown} of {counted(m.tasks_planned, 'task')}"


def _spi_gap(m: Metrics, unknown_max: float) -> str:
    """Why SPI is none, in words."""
    if not m.tasks_planned:
        return "no tasks with Planned Start and Planned Finish"
    if m.progress_unknown and (m.unknown_weight > unknown_max or m.pv is None):
        return progress_unknown(m)
    if not m.pv:
        return "no work planned by the Status Date (PV 0)"
    return "SPI not computable"


def schedule_gaps(m: Metrics, unknown_max: float = 0.5) -> tuple[str, ...]:
    """Why Schedule has no evidence; ``()`` when it has some."""
    dated = m.milestones_dated or m.max_slippage is not None
    if m.spi is not None or dated or m.finish_slip is not None:
        return ()
    return (
        f"{_spi_gap(m, unknown_max)}, no milestone with Baseline and Forecast dates, "
        "no Baseline and Forecast Finish",
    )


def cost_gaps(m: Metrics) -> tuple[str, ...]:
    """Why Cost has no evidence; ``()`` when it has some."""
    has_bac = m.bac is not None and m.bac > 0
    has_spend = bool(m.cost_lines) or m.cpi is not None
    if has_bac and has_spend:
        return ()
    missing = []
    if not has_bac:
        missing.append("no Budget (BAC)" if not m.bac else "Budget (BAC) is not positive")
    if not has_spend:
        missing.append("no budget lines with Actual or Forecast")
    return (", ".join(missing),)


def risk_gaps(m: Metrics) -> tuple[str, ...]:
    """Why Risk has no evidence; ``()`` when a RAID table was found."""
    return () if m.raid_found else ("no RAID log (risks and issues) found",)
