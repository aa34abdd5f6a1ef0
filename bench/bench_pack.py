"""The steering pack and the status reports: how long they take at portfolio scale.

On N generated standard trackers (bench/make_trackers.py; the 1,000 of bench_consolidate):
  1. `pmo consolidate` once, for the portfolio workbook the pack reads;
  2. `pmo pack portfolio.xlsx -o steering.pptx` end to end (read back + summary + deck);
  3. the pack writer alone, in-process, from the run read back (median of 3);
  4. one status report in-process (read, check, measure, write the deck; median of 20),
     and `pmo report ONE.xlsx -o one.pptx` end to end;
  5. `pmo report FOLDER -o reports/` for all N trackers (workers = --jobs, default CPUs).
Each command runs in a subprocess: wall time, the CPU time of its process tree (what the
wall time is on a quiet machine, divided by the cores used) and its peak memory.

    python -m bench.bench_pack [N] [--jobs J]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

from bench.procs import measure

OUT = Path("bench/out")
AS_OF = "2026-11-20"


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run(label: str, cmd: list[str]) -> float:
    """Run a command; print wall time, CPU time of its process tree (load-independent), peak."""
    before = _cpu()
    m = measure(cmd, merge_stderr=True)
    cpu = _cpu() - before
    tail = [line for line in m.stdout.strip().splitlines() if not line.startswith("[")][-2:]
    print(
        f"{label:44s} {m.seconds:7.2f} s   cpu {cpu:7.2f} s   peak {m.peak_mb:6.0f} MB   "
        f"exit {m.returncode}"
    )
    for line in tail:
        print(f"    {line[:140]}")
    return m.seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int, nargs="?", default=1000)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    folder = OUT / f"trackers-{args.n}"
    if not folder.exists() or len(list(folder.glob("*.xlsx"))) != args.n:
        from bench.make_trackers import generate

        shutil.rmtree(folder, ignore_errors=True)
        generate(args.n, folder)
    work = OUT / f"pack-{args.n}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    pmo = [sys.executable, "-m", "addin"]
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"bench_pack {dt.datetime.now():%Y-%m-%d %H:%M} - {args.n} trackers; load {load}")
    portfolio = work / "portfolio.xlsx"
    run(
        "pmo consolidate (for the portfolio)",
        [*pmo, "consolidate", str(folder), "-o", str(portfolio), "--as-of", AS_OF, "--no-cache"],
    )
    run("pmo pack (end to end)", [*pmo, "pack", str(portfolio), "-o", str(work / "steering.pptx")])

    from pptx import Presentation

    from addin.app.pack import load_for_pack
    from addin.app.report import report_of
    from addin.core.settings import Settings
    from addin.engine.pipeline import check_tracker
    from addin.outputs.pack import write_pack
    from addin.outputs.report import write_report

    settings = Settings()
    started = time.perf_counter()
    portfolio_run = load_for_pack(portfolio, settings)
    read = time.perf_counter() - started
    times = []
    for _ in range(3):
        t = time.perf_counter()
        write_pack(work / "alone.pptx", portfolio_run, settings)
        times.append(time.perf_counter() - t)
    slides = len(Presentation(str(work / "alone.pptx")).slides)
    print(f"{'read back for the pack (in-process)':44s} {read:7.2f} s")
    print(
        f"{'pack writer alone (median of 3)':44s} {statistics.median(times):7.2f} s",
        f"  {slides} slides",
    )

    one = sorted(folder.glob("*.xlsx"))[0]
    as_of = dt.date.fromisoformat(AS_OF)
    times = []
    for _ in range(20):
        t = time.perf_counter()
        report, _ = report_of(check_tracker(one, settings), settings, as_of)
        assert report is not None
        write_report(work / "one.pptx", report, settings)
        times.append(time.perf_counter() - t)
    print(f"{'one status report in-process (median of 20)':44s} {statistics.median(times):7.3f} s")
    run(
        "pmo report ONE.xlsx (end to end)",
        [*pmo, "report", str(one), "-o", str(work / "one-cli.pptx"), "--as-of", AS_OF],
    )
    run(
        f"pmo report FOLDER ({args.n} reports)",
        [*pmo, "report", str(folder), "-o", str(work / "reports"), "--as-of", AS_OF, *jobs],
    )


if __name__ == "__main__":
    main()
