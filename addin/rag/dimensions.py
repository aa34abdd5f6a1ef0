"""The three dimensions of RAG, each a colour and its reasons in words (RAG_RULES v2).

Each is registered (:mod:`addin.rag.registry`): its Red and Amber triggers first; when
none fires, Green if the tracker holds evidence for it (:mod:`addin.rag.evidence`),
else No data with what is missing.
"""

from __future__ import annotations

from addin.core.domain import Rag
from addin.core.settings import RagSettings
from addin.core.words import counted
from addin.rag.evidence import cost_gaps, progress_unknown, risk_gaps, schedule_gaps
from addin.rag.metrics import metric_rag, shown
from addin.rag.model import Assessment, Dimension, Metrics
from addin.rag.registry import dimension

__all__ = [
    "Assessment",
    "Dimension",
    "Metrics",
    "cost_dimension",
    "risk_dimension",
    "schedule_dimension",
    "shown",
]


def _ratio(x: float) -> str:
    return f"{x:.2f}"


@dimension("Schedule", floor=True)
def schedule_dimension(m: Metrics, rag: RagSettings) -> Dimension:
    """Schedule RAG: SPI, overdue milestones, milestone slippage, finish slip; else No data.

    "progress unknown for N of M tasks" is a note whatever the colour (RAG_RULES v2).
    """
    s = rag.schedule
    red: list[str] = []
    amber: list[str] = []
    level = metric_rag("spi", m.spi, rag)
    if m.spi is not None and level is Rag.RED:
        red.append(f"SPI {shown(m.spi, s.spi_red)} < {s.spi_red:g}")
    elif m.spi is not None and level is Rag.AMBER:
        amber.append(f"SPI {shown(m.spi, s.spi_amber)} < {s.spi_amber:g}")
    if s.overdue_milestone_red and m.overdue_milestones:
        red.append(counted(m.overdue_milestones, "overdue milestone"))
    level = metric_rag("slippage_days", m.max_slippage, rag)
    if level is Rag.RED:
        red.append(f"milestone slippage {m.max_slippage} d > {s.slippage_red_days}")
    elif level is Rag.AMBER:
        amber.append(f"milestone slippage {m.max_slippage} d > {s.slippage_amber_days}")
    level = metric_rag("finish_slip_days", m.finish_slip, rag)
    if level is Rag.RED:
        red.append(f"finish slip {m.finish_slip} d > {s.finish_slip_red_days}")
    elif level is Rag.AMBER:
        amber.append(f"finish slip {m.finish_slip} d > {s.finish_slip_amber_days}")
    unknown = progress_unknown(m)
    notes = (unknown,) if unknown else ()
    if red:
        return Dimension(Rag.RED, tuple(red + amber), notes)
    if amber:
        return Dimension(Rag.AMBER, tuple(amber), notes)
    gaps = schedule_gaps(m, rag.unknown_progress_max)
    if gaps:
        return Dimension(Rag.NO_DATA, gaps, tuple(n for n in notes if n not in gaps[0]))
    facts = []
    if m.spi is not None:
        facts.append(f"SPI {_ratio(m.spi)}")
    if m.max_slippage is not None:
        facts.append(f"milestone slippage {m.max_slippage} d")
    if m.finish_slip is not None:
        facts.append(f"finish slip {m.finish_slip} d")
    return Dimension(Rag.GREEN, tuple(facts), notes)


@dimension("Cost", floor=True)
def cost_dimension(m: Metrics, rag: RagSettings) -> Dimension:
    """Cost RAG: VAC % and CPI; No data without a Budget and budget lines (or a CPI)."""
    c = rag.cost
    red: list[str] = []
    amber: list[str] = []
    level = metric_rag("vac_pct", m.vac_pct, rag)
    if m.vac_pct is not None and level is Rag.RED:
        red.append(
            f"VAC {shown(m.vac_pct, c.vac_red, 1, scale=100, sign='+')} % > {c.vac_red * 100:g} %"
        )
    elif m.vac_pct is not None and level is Rag.AMBER:
        amber.append(
            f"VAC {shown(m.vac_pct, c.vac_amber, 1, scale=100, sign='+')} % "
            f"> {c.vac_amber * 100:g} %"
        )
    level = metric_rag("cpi", m.cpi, rag)
    if m.cpi is not None and level is Rag.RED:
        red.append(f"CPI {shown(m.cpi, c.cpi_red)} < {c.cpi_red:g}")
    elif m.cpi is not None and level is Rag.AMBER:
        amber.append(f"CPI {shown(m.cpi, c.cpi_amber)} < {c.cpi_amber:g}")
    if red:
        return Dimension(Rag.RED, tuple(red + amber))
    if amber:
        return Dimension(Rag.AMBER, tuple(amber))
    gaps = cost_gaps(m)
    if gaps:
        return Dimension(Rag.NO_DATA, gaps)
    facts = []
    if m.vac_pct is not None:
        facts.append(f"VAC {m.vac_pct * 100:+.1f} %")
    if m.cpi is not None:
        facts.append(f"CPI {_ratio(m.cpi)}")
    return Dimension(Rag.GREEN, tuple(facts))


@dimension("Risk")
def risk_dimension(m: Metrics, rag: RagSettings) -> Dimension:
    """Risk RAG: open Critical and High risks/issues, open items past due; No data w/o RAID."""
    r = rag.risk
    red: list[str] = []
    amber: list[str] = []
    if m.open_critical >= r.critical_red:
        red.append(
            counted(m.open_critical, "open Critical risk/issue", "open Critical risks/issues")
        )
    if m.open_high_or_critical >= r.high_or_critical_red:
        red.append(
            f"{m.open_high_or_critical} open High/Critical risks/issues >= {r.high_or_critical_red}"
        )
    if m.open_high_or_critical >= r.high_amber and not red:
        amber.append(
            counted(m.open_high_or_critical, "open High risk/issue", "open High risks/issues")
        )
    if r.overdue_amber and m.overdue_risks:
        amber.append(
            counted(
                m.overdue_risks,
                "open risk/issue past its due date",
                "open risks/issues past their due date",
            )
        )
    if red:
        return Dimension(Rag.RED, tuple(red + amber))
    if amber:
        return Dimension(Rag.AMBER, tuple(amber))
    gaps = risk_gaps(m)
    if gaps:
        return Dimension(Rag.NO_DATA, gaps)
    return Dimension(Rag.GREEN, ("no open High or Critical risks/issues",))
