"""The portfolio workbook: its column contract, its writer, and reading it back."""

from addin.outputs.portfolio.columns import (
    FINDING_COLUMNS,
    LOAD_LOG_COLUMNS,
    PROJECT_COLUMNS,
    RAG_KEYS,
    PortfolioColumn,
    table_columns,
    table_name,
)
from addin.outputs.portfolio.reader import read_portfolio, read_portfolio_bounded
from addin.outputs.portfolio.writer import write_portfolio

__all__ = [
    "FINDING_COLUMNS",
    "LOAD_LOG_COLUMNS",
    "PROJECT_COLUMNS",
    "RAG_KEYS",
    "PortfolioColumn",
    "read_portfolio",
    "read_portfolio_bounded",
    "table_columns",
    "table_name",
    "write_portfolio",
]
