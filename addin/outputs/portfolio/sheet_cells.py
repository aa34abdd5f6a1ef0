"""The cells of the portfolio's long sheets, as the writer puts them.

Projects (a row a project), each kind's data sheet (as columns: Project ID, the kind's
fields, Source Cell), Findings and Load Log. The writer renders them from columns and
splices them in, or, as the reference it is tested against, writes them cell by cell
(:mod:`addin.outputs.portfolio.writer`): both from these.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from addin.core.words import printable
from addin.engine.run import PortfolioRun
from addin.outputs.portfolio.columns import FLAG_KEYS, PROJECT_COLUMNS, table_columns
from addin.outputs.portfolio.finding_blocks import finding_cells


def project_rows(run: PortfolioRun) -> list[list[Any]]:
    """The Projects sheet's cells: flags as Yes/No, reasons joined with "; ".

    A ratio (SPI, CPI, VAC %) is kept to the 16 significant digits XlsxWriter writes a
    number with, so the sheet is the same rendered from columns or written cell by cell.
    """
    out = []
    for p in run.projects:
        row = []
        for c in PROJECT_COLUMNS:
            value = p.value(c.key)
            if c.key in FLAG_KEYS:
                value = "Yes" if value else "No"
            elif c.key == "source_file":
                value = printable(value)
            elif type(value) is float and math.isfinite(value):
                value = float(f"{value:.16G}")
            row.append(value)
        out.append(row)
    return out


def finding_rows(run: PortfolioRun) -> list[list[Any]]:
    """The Findings sheet's cells."""
    return finding_cells(run.findings, run.project_of())


def load_log_rows(run: PortfolioRun) -> list[list[Any]]:
    """The Load Log sheet's cells."""
    return [
        [
            printable(e.file),
            str(e.status),
            printable(e.reason),
            e.project_id,
            e.rows_read,
            e.seconds,
        ]
        for e in run.load_log
    ]


def data_columns(run: PortfolioRun, key: str) -> list[Sequence[Any]]:
    """A kind's data sheet as columns: Project ID, the kind's fields, Source Cell."""
    rows = run.table(key)
    return [
        rows.project_ids,
        *(rows.columns[c.key] for c in table_columns(key)[1:-1]),
        rows.source_cells,
    ]
