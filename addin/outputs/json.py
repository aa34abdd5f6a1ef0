"""JSON outputs: the Projects rows of a run (``--json``), written atomically."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

from addin.core.errors import OutputError
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
            f"{path}: could not write the JSON ({exc.strerror or exc}); the previous file is intact"
        ) from None
    return path
