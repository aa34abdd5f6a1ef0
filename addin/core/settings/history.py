"""The ``[history]`` settings: where the history database is, and what a snapshot keeps."""

from __future__ import annotations

from addin.core.settings.fields import Field
from addin.core.settings.section import Section


class HistorySettings(Section):
    """The history database: a snapshot of every consolidation (README "History")."""

    enabled: bool = True
    """Save a snapshot of every consolidation (``--no-history`` skips one run)."""
    url: str = ""
    """Database URL or file; empty: pmo-history.sqlite beside the portfolio. No passwords here:
    PostgreSQL reads them from PGPASSWORD or ~/.pgpass."""
    tasks: bool = False
    """Also store every task in each snapshot (large)."""
    lock_timeout_seconds: float = Field(default=30, gt=0, le=3600)
    """How long a run waits for another run's write to the database to finish."""
