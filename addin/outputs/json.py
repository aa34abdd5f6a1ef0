"""JSON outputs: the Projects rows of a run (``--json``), written atomically.

The contract of ``--json``: a list with one object per project, keyed by the Projects
columns' keys (:data:`~addin.outputs.portfolio.columns.PROJECT_COLUMNS`), dates as ISO
text, flags (``optimism``, ``stale``) as ``"Yes"``/``"No"``, a number that is none as
``null``. ``schedule_rag``, ``cost_rag``, ``risk_rag`` and ``overall_rag`` are always one
of ``"Red"``, ``"Amber"``, ``"Green"`` or ``"No data"`` (RAG_RULES v2: a dimension the
tracker holds no evidence for; Overall when no dimension has data), never ``null``;
``rag_reasons`` says why, e.g. ``"Cost No data: no budget lines with Actual or Forecast"``.
``reported_rag`` is the project manager's own word, or ``null``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

from addin.core.errors import OutputError, os_reason
from addin.core.words import terminal_safe
from addin.engine.run import PortfolioRun
from addin.outputs.atomic import atomic_path
from addin.outputs.portfolio.columns import FLAG_KEYS, PROJECT_COLUMNS


def _plain(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None  # JSON has no Infinity or NaN: a value that is not a number is none
    return value.isoformat() if isinstance(value, dt.date) else value


def project_records(run: PortfolioRun) -> list[dict[str, Any]]:
    """The Projects rows as JSON objects (snake_case keys, dates ISO, flags Yes/No)."""
    out = []
    for p in run.projects:
        row: dict[str, Any] = {}
        for c in PROJECT_COLUMNS:
            value = p.value(c.key)
            row[c.key] = ("Yes" if value else "No") if c.key in FLAG_KEYS else _plain(value)
        out.append(row)
    return out


def write_json(path: Path, data: Any) -> Path:
    """Write ``data`` as indented UTF-8 JSON, atomically.

    Raises:
        OutputError: the file could not be written (the previous file is intact).
    """
    try:
        with atomic_path(path) as tmp:
            text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
            tmp.write_text(terminal_safe(text, lines=True) + "\n", encoding="utf-8")
    except OSError as exc:
        raise OutputError(
            f"{path}: could not write the JSON ({os_reason(exc)}); the previous file is intact"
        ) from None
    return path
