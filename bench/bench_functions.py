"""Worksheet functions: time per call, as Excel makes them (issue 17: target <= 1 ms).

Runs ``pmo demo`` into a scratch folder (portfolio, capacity list, history with four
weekly snapshots), points ``$PMO_CONFIG`` at a pmo.toml naming them, then calls each
``PMO_*`` function of :mod:`addin.excel.udfs` with the arguments Excel passes (ranges as
lists, dates as datetimes): the first call (reads and caches what it needs) once, and
the median of ``--calls`` later calls. xlwings' own marshalling to and from Excel is not
part of it (it needs Excel).

    python -m bench.bench_functions --calls 2000
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _calls(label: str, fn: Callable[[], Any], calls: int) -> None:
    started = time.perf_counter()
    first = fn()
    cold = time.perf_counter() - started
    times = []
    for _ in range(calls):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    warm = statistics.median(times) * 1e3
    p95 = sorted(times)[int(len(times) * 0.95)] * 1e3
    shown = repr(first)[:40]
    print(f"  {label:14s} first {cold * 1e3:8.2f} ms   then median {warm:6.3f} ms  p95 {p95:6.3f}"
          f"   -> {shown}", flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    from addin.app.demo import run_demo

    work = Path(tempfile.mkdtemp(prefix="pmo-bench-functions-"))
    run_demo(work, echo=lambda *a, **k: None)
    config = work / "pmo.toml"
    config.write_text(
        f'[history]\nurl = "{work / "pmo-history.sqlite"}"\n'
        f'[resources]\nportfolio = "{work / "portfolio.xlsx"}"\n'
        f'capacity = "{work / "capacity.xlsx"}"\n',
        encoding="utf-8",
    )
    os.environ["PMO_CONFIG"] = str(config)
    import addin.excel.udfs as udfs

    portfolio = str(work / "portfolio.xlsx")
    day = dt.datetime(2026, 11, 16)
    tasks = 40  # a tracker's Tasks columns, as ranges
    budgets = [1000.0 + i for i in range(tasks)]
    starts = [dt.datetime(2026, 1, 5) + dt.timedelta(days=7 * i) for i in range(tasks)]
    finishes = [s + dt.timedelta(days=30) for s in starts]
    pct = [min(1.0, i / tasks * 1.5) for i in range(tasks)]
    statuses = ["Complete" if p >= 1 else "In Progress" for p in pct]
    print(f"python {sys.version.split()[0]}; {args.calls} calls each; demo in {work}")
    _calls("PMO_SPI", lambda: udfs.PMO_SPI(budgets, starts, finishes, pct, day, statuses),
           args.calls)  # fmt: skip
    _calls("PMO_CPI", lambda: udfs.PMO_CPI(250000, 0.4, 90000), args.calls)
    periods = [dt.datetime(2026, m, 1) for m in range(1, 13)]
    _calls("PMO_EAC", lambda: udfs.PMO_EAC(periods, [1e4] * 12, [1.1e4] * 12, day), args.calls)
    _calls("PMO_RAG", lambda: udfs.PMO_RAG("spi", 0.87), args.calls)
    _calls("PMO_CHECK", lambda: udfs.PMO_CHECK("31/02/2026", "Planned Finish"), args.calls)
    _calls("PMO_PORTFOLIO", lambda: udfs.PMO_PORTFOLIO(portfolio, "CUS-0201", "Overall RAG"),
           args.calls)  # fmt: skip
    _calls("PMO_TREND", lambda: udfs.PMO_TREND("CUS-0201", "SPI", 4), args.calls)
    person = _someone(work / "capacity.xlsx")
    _calls("PMO_LOAD", lambda: udfs.PMO_LOAD(person, "Dec-26"), args.calls)


def _someone(capacity: Path) -> str:
    """The first person of the demo's capacity list."""
    import openpyxl

    book = openpyxl.load_workbook(capacity, read_only=True)
    for row in book.worksheets[0].iter_rows(min_row=2, values_only=True):
        if row and isinstance(row[0], str) and row[0].strip():
            return row[0]
    return "nobody"


if __name__ == "__main__":
    main()
