"""The portfolio workbook's sheets and columns: a contract people build pivots and BI on.

``Projects`` (one row per project, :data:`PROJECT_COLUMNS`), one data sheet per kind
(``Tasks``, ``Milestones``, ``Budget``, ``RAID``: Project ID, the kind's fields, Source
Cell), ``Findings``, ``Load Log`` and ``About``. Sheet names and headers are stable;
columns are only ever added.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from addin.core.kinds import ValueType, kind
from addin.ooxml.sheetxml import Style


@dataclass(frozen=True)
class PortfolioColumn:
    """One column of a portfolio sheet: header, JSON key, style slot, width.

    ``added`` names the change that added a column to the contract; a portfolio written
    before it lacks the column and reads back with it blank.
    """

    header: str
    key: str
    style: Style = Style.TEXT
    width: int = 12
    added: str = ""


def _c(
    header: str, key: str, style: Style = Style.TEXT, width: int = 12, added: str = ""
) -> PortfolioColumn:
    return PortfolioColumn(header, key, style, width, added)


#: RAG_RULES v2: schedule quality, reported beside RAG.
_V2 = "RAG_RULES v2"


#: Columns of the ``Projects`` sheet, in order (the contract).
PROJECT_COLUMNS: tuple[PortfolioColumn, ...] = (
    _c("Project ID", "project_id", width=13),
    _c("Project Name", "project_name", width=32),
    _c("Programme", "programme", width=22),
    _c("Sponsor", "sponsor", width=18),
    _c("Project Manager", "project_manager", width=18),
    _c("Phase", "phase", width=11),
    _c("Status Date", "status_date", Style.DATE, 12),
    _c("Baseline Finish", "baseline_finish", Style.DATE, 12),
    _c("Forecast Finish", "forecast_finish", Style.DATE, 12),
    _c("Finish Slip (days)", "finish_slip_days", Style.INTEGER, 10),
    _c("Budget", "budget", Style.MONEY, 14),
    _c("AC", "ac", Style.MONEY, 14),
    _c("EAC", "eac", Style.MONEY, 14),
    _c("VAC %", "vac_pct", Style.PERCENT, 9),
    _c("% Complete", "pct_complete", Style.PERCENT, 10),
    _c("SPI", "spi", Style.NUMBER, 7),
    _c("CPI", "cpi", Style.NUMBER, 7),
    _c("Max Slippage (days)", "max_slippage_days", Style.INTEGER, 11),
    _c("Overdue Milestones", "overdue_milestones", Style.INTEGER, 11),
    _c("Open High Risks", "open_high_risks", Style.INTEGER, 10),
    _c("Schedule RAG", "schedule_rag", width=10),
    _c("Cost RAG", "cost_rag", width=10),
    _c("Risk RAG", "risk_rag", width=10),
    _c("Overall RAG", "overall_rag", width=10),
    _c("Reported RAG", "reported_rag", width=10),
    _c("Optimism", "optimism", width=10),
    _c("Stale", "stale", width=8),
    _c("Errors", "errors", Style.INTEGER, 8),
    _c("Warnings", "warnings", Style.INTEGER, 9),
    _c("BEI", "bei", Style.NUMBER, 7, _V2),
    _c("Missed Tasks %", "missed_tasks_pct", Style.PERCENT, 9, _V2),
    _c("High Duration %", "high_duration_pct", Style.PERCENT, 9, _V2),
    _c("Invalid Dates", "invalid_dates", Style.INTEGER, 9, _V2),
    _c("Unassigned %", "unassigned_pct", Style.PERCENT, 9, _V2),
    _c("Schedule Quality", "schedule_quality", width=40, added=_V2),
    _c("RAG Reasons", "rag_reasons", width=60),
    _c("Source File", "source_file", width=40),
)

#: The RAG columns of ``Projects`` (coloured by conditional formatting): ``Red``, ``Amber``,
#: ``Green`` or ``No data`` (grey), the word always in the cell.
RAG_KEYS = ("schedule_rag", "cost_rag", "risk_rag", "overall_rag", "reported_rag")
#: Yes/No columns of ``Projects`` (booleans in the run).
FLAG_KEYS = ("optimism", "stale")

FINDING_COLUMNS: tuple[PortfolioColumn, ...] = (
    _c("File", "file", width=40),
    _c("Project ID", "project_id", width=13),
    _c("Sheet", "sheet", width=14),
    _c("Cell", "cell", width=7),
    _c("Field", "field", width=18),
    _c("Rule", "rule", width=30),
    _c("Severity", "severity", width=9),
    _c("Message", "message", width=70),
    _c("Value", "value", width=20),
)

LOAD_LOG_COLUMNS: tuple[PortfolioColumn, ...] = (
    _c("File", "file", width=50),
    _c("Status", "status", width=14),
    _c("Reason", "reason", width=70),
    _c("Project ID", "project_id", width=13),
    _c("Rows Read", "rows_read", Style.INTEGER, 10),
    _c("Seconds", "seconds", Style.NUMBER, 9),
)

_TYPE_STYLE = {
    ValueType.DATE: Style.DATE,
    ValueType.PERCENT: Style.PERCENT,
    ValueType.NUMBER: Style.MONEY,
    ValueType.INTEGER: Style.INTEGER,
}


def table_columns(key: str) -> tuple[PortfolioColumn, ...]:
    """Columns of a kind's data sheet: Project ID, the kind's fields, Source Cell."""
    fields = tuple(
        PortfolioColumn(f.header, f.name, _TYPE_STYLE.get(f.type, Style.TEXT), f.width)
        for f in kind(key).fields
    )
    return (
        _c("Project ID", "project_id", width=13),
        *fields,
        _c("Source Cell", "source_cell", width=16),
    )


def table_name(title: str) -> str:
    """The Excel table (ListObject) name of a portfolio sheet, e.g. ``tblLoadLog``."""
    return "tbl" + re.sub(r"\W", "", title)
