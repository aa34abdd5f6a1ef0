"""Export the history as CSV or JSON: one table at a time, every snapshot, streamed.

Rows carry their snapshot's as-of date instead of internal ids. CSV is written for a
spreadsheet to open, so text that a spreadsheet would run as a formula (starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written with a leading
apostrophe: a tracker's text never becomes a live formula in anything we write.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any, TextIO

from sqlalchemy import Table, select
from sqlalchemy.engine import Connection

import addin.history.schema as schema

#: Exportable tables: name -> table (``projects`` is the status history).
TABLES: dict[str, Table] = {
    "snapshots": schema.snapshots,
    "projects": schema.projects,
    "milestones": schema.milestones,
    "raid": schema.raid,
    "findings": schema.findings,
    "load-log": schema.load_log,
    "rows": schema.kind_rows,
    "lessons": schema.lessons,
}
FORMATS = ("csv", "json")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_INTERNAL = {"id", "snapshot_id"}


def _rows(conn: Connection, name: str) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    table = TABLES[name]
    cols = [c for c in table.columns if c.name not in _INTERNAL]
    if "snapshot_id" in table.columns:
        s = schema.snapshots
        stmt = (
            select(s.c.as_of, *cols)
            .join(s, s.c.id == table.c.snapshot_id)
            .order_by(s.c.as_of, table.c.id)
        )
        headers = ["as_of", *(c.name for c in cols)]
    else:
        order = table.c.as_of if name == "snapshots" else table.c.id
        stmt = select(*cols).order_by(order)
        headers = [c.name for c in cols]
    result = conn.execution_options(yield_per=2000).execute(stmt)
    return headers, (tuple(r) for r in result)


def safe_csv(value: Any) -> Any:
    """A value as a CSV cell a spreadsheet will not run (see the module docstring)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def export(conn: Connection, name: str, fmt: str, out: TextIO) -> int:
    """Write one table as CSV or JSON to ``out``; returns the rows written.

    Raises:
        KeyError: no such table or format (the message lists them).
    """
    if name not in TABLES:
        raise KeyError(f"no history table {name!r} (use one of: {', '.join(TABLES)})")
    if fmt not in FORMATS:
        raise KeyError(f"no export format {fmt!r} (use csv or json)")
    headers, rows = _rows(conn, name)
    count = 0
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([safe_csv(v) for v in row])
            count += 1
        return count
    out.write("[")
    for row in rows:
        item = {h: _json_value(v) for h, v in zip(headers, row, strict=True)}
        out.write(("\n" if count == 0 else ",\n") + json.dumps(item, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count
