"""Steering-committee dashboards: RAG status at a glance, from a consolidated portfolio.

* :func:`summarise` computes every number and list the dashboard shows (pure);
* :func:`write_dashboard` writes ``dashboard.xlsx``: a one-page Dashboard sheet
  (KPI tiles, native charts, the RAG matrix worst first) and the detail sheets it
  links to;
* :func:`export_pdf` prints it to PDF through LibreOffice headless.
"""

from __future__ import annotations

from addin.outputs.dashboard.data import DashboardData
from addin.outputs.dashboard.pdf import export_pdf
from addin.outputs.dashboard.summary import summarise
from addin.outputs.dashboard.writer import write_dashboard

__all__ = ["DashboardData", "export_pdf", "summarise", "write_dashboard"]
