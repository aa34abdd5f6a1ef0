"""Read + validate one standard tracker, repeatedly: the per-tracker cost of the engine.

Compares, on the same file and in the same run:
  * pmo: ``addin.engine.validate.check_file`` (calamine read, header mapping, coercion,
    models, every rule) - the issue 3 target is <= 10 ms median;
  * its share spent opening the file safely and reading the sheets it uses
    (``addin.read.Workbook``: sniffing, archive checks, the sheet XML scan, calamine);
  * the per-tracker work of ``pmo consolidate`` (``addin.engine.pipeline.check_tracker``:
    read, check, measure: the date-independent result a worker returns and the cache keeps);
  * calamine: python-calamine reading every sheet to Python lists (the floor);
  * pandas: ``pandas.read_excel(sheet_name=None)`` with openpyxl (the naive way).

    python bench/bench_read.py [TRACKER.xlsx] [--repeat 50]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import python_calamine as calamine

from addin.core.settings import Settings
from addin.demo import SAMPLES_AS_OF
from addin.engine.pipeline import check_tracker
from addin.engine.validate import check_file
from addin.read import Workbook


def _median_ms(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    fn()  # warm up imports and caches
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("tracker", type=Path, nargs="?")
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    path = args.tracker
    if path is None:
        from bench.make_trackers import generate

        path = generate(1, Path("bench/out/one"))[0]
    settings = Settings()
    as_of: dt.date = SAMPLES_AS_OF

    def pmo() -> object:
        return check_file(path, settings, as_of=as_of)

    report = check_file(path, settings, as_of=as_of)
    sheets = [info.sheet for info in report.tables.values()]

    def opening() -> object:
        with Workbook(path, settings.limits) as wb:
            return [wb.grid(name) for name in sheets]

    def consolidate_work() -> object:
        return check_tracker(path, settings)

    def floor() -> object:
        wb = calamine.CalamineWorkbook.from_path(str(path))
        return [wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names]

    def naive() -> object:
        return pd.read_excel(path, sheet_name=None, engine="openpyxl")

    rows = {k: t.rows for k, t in report.tables.items()}
    size_kb = path.stat().st_size / 1024
    print(f"file: {path} ({size_kb:.0f} KB) rows: {rows} findings: {len(report.findings)}")
    for name, fn in (
        ("pmo read+validate", pmo),
        ("  open+read sheets", opening),
        ("pmo consolidate work", consolidate_work),
        ("calamine read only", floor),
        ("pandas+openpyxl", naive),
    ):
        median, best = _median_ms(fn, args.repeat)
        print(f"{name:20s} median {median:6.2f} ms   best {best:6.2f} ms   ({args.repeat} runs)")


if __name__ == "__main__":
    main()
