"""The history database: every consolidation remembered, trends, lessons learned searchable.

One URL (:mod:`.url`): an embedded SQLite file (``pmo-history.sqlite`` beside the
portfolio, WAL mode) or PostgreSQL (``postgresql+psycopg://``), through SQLAlchemy 2 Core.
The schema is versioned by Alembic migrations shipped in this package
(:mod:`.migrate`), upgraded on first use, never dropped.

* :func:`~.store.open_store` opens it (locks, migrations, one-line errors);
* :func:`~.save.save_run` stores a :class:`~addin.engine.run.PortfolioRun` as the
  snapshot of its as-of date, in one transaction;
* :mod:`.read` lists snapshots, a project's timeline, a metric's last values;
* :mod:`.frames` and :mod:`.trend` make the Trends page's
  :class:`~addin.engine.trend.TrendData`;
* :mod:`.lessons` keeps lessons learned and searches them by full text;
* :mod:`.export` writes a table as CSV or JSON.

This layer consumes the engine's run; the use cases in :mod:`addin.app` compose it with
the outputs (which never import it: the dashboard takes the trend as data).
"""

from addin.history.errors import HistoryError
from addin.history.save import SnapshotInfo, save_run
from addin.history.store import Store, open_store
from addin.history.url import DEFAULT_NAME, HistoryUrl, beside, parse_url

__all__ = [
    "DEFAULT_NAME",
    "HistoryError",
    "HistoryUrl",
    "SnapshotInfo",
    "Store",
    "beside",
    "open_store",
    "parse_url",
    "save_run",
]
