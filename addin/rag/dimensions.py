"""The three dimensions of RAG, each a colour and its reasons in words (RAG_RULES)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from addin.core.domain import Rag
from addin.core.settings import RagSettings
from addin.core.words import counted
from addin.rag.metrics import metric_rag


@dataclass(frozen=True)
class Metrics:
    """Every RAG_RULES v1 metric of one project (None = "none")."""

    status_date: dt.date | None
    pv: float | None
    ev: float | None
    spi: float | None
    pct_complete: float | None
    bac: float | None
    ac: float | None
    eac: float | None
    cpi: float | None
    vac_pct: float | None
    max_slippage: int | None
    overdue_milestones: int
    finish_slip: int | None
    open_critical: int
    open_high: int
    overdue_risks: int
    #: Metrics whose inputs are there but whose result is not a finite number (``"SPI"``).
    not_computable: tuple[str, ...] = ()

    @property
    def open_high_or_critical(self) -> int:
        """Open High plus open Critical risks/issues."""
        return self.open_high + self.open_critical


@dataclass(frozen=True)
class Dimension:
    """A RAG and the reasons for it, in words."""

    rag: Rag
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assessment:
    """The computed status of one project."""

    metrics: Metrics
    schedule: Dimension
    cost: Dimension
    risk: Dimension
    overall: Rag
    reported: Rag | None
    stale: bool
    stale_days: int | None
    optimism: bool
    reasons: tuple[str, ...] = field(default=())

    @property
    def top_reason(self) -> str:
        """The first reason behind the overall RAG ("" when Green)."""
        return self.reasons[0] if self.reasons else ""


def _ratio(x: float) -> str:
    return f"{x:.2f}"


def shown(
    value: float, threshold: float, decimals: int = 2, *, scale: float = 1.0, sign: str = ""
) -> str:
    """Format ``value`` so the text never contradicts its comparison with ``threshold``.

    ``0.849`` against ``0.85`` shows as ``0.849`` rather than a misleading
    ``0.85 < 0.85``: decimals are added until the rounded value and the rounded
    threshold differ the way the real numbers do (up to 6 decimals).
    """
    for d in range(decimals, 7):
        a, b = round(value * scale, d), round(threshold * scale, d)
        if (a < b) == (value < threshold) and (a > b) == (value > threshold):
            return f"{value * scale:{sign}.{d}f}"
    return f"{value * scale:{sign}.6f}"


def schedule_dimension(m: Metrics, rag: RagSettings) -> Dimension:
    """Schedule RAG: SPI, overdue milestones, milestone slippage, finish slip."""
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
    if red:
        return Dimension(Rag.RED, tuple(red + amber))
    if amber:
        return Dimension(Rag.AMBER, tuple(amber))
    facts = []
    if m.spi is not None:
        facts.append(f"SPI {_ratio(m.spi)}")
    if m.max_slippage is not None:
        facts.append(f"milestone slippage {m.max_slippage} d")
    if m.finish_slip is not None:
        facts.append(f"finish slip {m.finish_slip} d")
    return Dimension(Rag.GREEN, tuple(facts))


def cost_dimension(m: Metrics, rag: RagSettings) -> Dimension:
    """Cost RAG: VAC % and CPI."""
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
    facts = []
    if m.vac_pct is not None:
        facts.append(f"VAC {m.vac_pct * 100:+.1f} %")
    if m.cpi is not None:
        facts.append(f"CPI {_ratio(m.cpi)}")
    return Dimension(Rag.GREEN, tuple(facts))


def risk_dimension(m: Metrics, rag: RagSettings) -> Dimension:
    """Risk RAG: open Critical and High risks/issues, and open items past their due date."""
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
    return Dimension(Rag.GREEN, ("no open High or Critical risks/issues",))
