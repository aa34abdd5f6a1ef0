"""The one-page status report of a project, from its tracker.

* :func:`status_report` gathers what the report says (pure; see :mod:`.data`);
* :func:`write_report` writes it as a one-slide deck (see :mod:`.writer`);
* :func:`decks_to_pdf` prints decks to PDF through LibreOffice (see :mod:`.pdf`).
"""

from __future__ import annotations

from addin.outputs.report.data import StatusReport, status_report
from addin.outputs.report.pdf import decks_to_pdf
from addin.outputs.report.writer import write_report

__all__ = ["StatusReport", "decks_to_pdf", "status_report", "write_report"]
