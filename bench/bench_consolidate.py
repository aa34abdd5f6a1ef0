"""End to end: `pmo consolidate` against the naive pandas script, cold and incremental.

Runs, in one session and on the same N generated trackers (bench/make_trackers.py):
  1. the naive script (pandas read_excel with openpyxl on every sheet, concat, to_excel);
  2. `pmo consolidate` cold (empty cache): read, validate, RAG, write the portfolio;
  3. `pmo consolidate` again after 5 % of the trackers changed (warm cache);
  4. the engine alone (read + validate + RAG, no workbook written), in-process.
Each command runs in a subprocess; wall time and the peak resident memory of its
whole process tree (parent + reader workers, sampled from /proc every 20 ms) are
reported.

    python -m bench.bench_consolidate [N] [--skip-naive]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
import time
from pathlib import Path

from bench.procs import measure

OUT = Path("bench/out")


def run(label: str, cmd: list[str]) -> tuple[float, float]:
    """Run a command; return (seconds, peak MB of its process tree)."""
    m = measure(cmd, merge_stderr=True)
    tail = m.stdout.strip().splitlines()[-3:]
    print(f"{label:34s} {m.seconds:7.2f} s   peak {m.peak_mb:7.0f} MB   exit {m.returncode}")
    for line in tail:
        print(f"    {line[:150]}")
    return m.seconds, m.peak_mb


def _change(paths: list[Path], share: float) -> list[Path]:
    """Rewrite a share of the trackers with different data (a new status week)."""
    from addin.demo import SAMPLES_AS_OF, standard_tracker
    from addin.outputs.template import write_tracker

    rng = random.Random(99)
    chosen = rng.sample(paths, max(1, round(len(paths) * share)))
    for path in chosen:
        tracker = standard_tracker(random.Random(path.name + "v2"), path.stem, SAMPLES_AS_OF)
        write_tracker(path, tracker)
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int, nargs="?", default=1000)
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    folder = OUT / f"trackers-{args.n}"
    if not folder.exists() or len(list(folder.glob("*.xlsx"))) != args.n:
        shutil.rmtree(folder, ignore_errors=True)
        from bench.make_trackers import generate

        t = time.perf_counter()
        generate(args.n, folder)
        print(f"generated {args.n} trackers in {time.perf_counter() - t:.1f} s")
    work = OUT / f"run-{args.n}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    trackers = sorted(folder.glob("*.xlsx"))
    copy = work / "trackers"
    shutil.copytree(folder, copy)
    py = sys.executable
    pmo = [py, "-m", "addin"]
    as_of = "2026-11-20"
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    size_mb = sum(p.stat().st_size for p in trackers) / 1e6
    print(f"{len(trackers)} trackers, {size_mb:.1f} MB, python {sys.version.split()[0]}")

    results: dict[str, tuple[float, float]] = {}
    if not args.skip_naive:
        results["naive"] = run(
            "naive pandas script",
            [py, "bench/naive_consolidate.py", str(copy), str(work / "naive.xlsx")],
        )
    cache = work / "cache.sqlite"
    output = str(work / "portfolio.xlsx")
    consolidate_cmd = [*pmo, "consolidate", str(copy), "-o", output, "--as-of", as_of]
    consolidate_cmd += ["--cache", str(cache), *jobs]
    results["cold"] = run(
        "pmo consolidate (cold cache)",
        consolidate_cmd,
    )
    changed = _change(sorted(copy.glob("*.xlsx")), 0.05)
    results["rerun"] = run(
        f"pmo consolidate ({len(changed)} changed)",
        consolidate_cmd,
    )
    engine = (
        "import sys, time, datetime as dt; from pathlib import Path; "
        "from addin.core.settings import Settings; "
        "from addin.engine.consolidate import consolidate; "
        "files=sorted(Path(sys.argv[1]).glob('*.xlsx')); t=time.perf_counter(); "
        "c=consolidate(files, Settings(), as_of=dt.date(2026,11,20)); "
        "n=sum(len(t) for t in c.tables.values()); "
        "print(f'engine: {len(c.projects)} projects, {n} rows "
        "in {time.perf_counter()-t:.2f} s')"
    )
    results["engine"] = run("engine only (read+validate+RAG)", [py, "-c", engine, str(copy)])
    print()
    cold = results["cold"][0]
    if "naive" in results:
        print(f"speed-up over naive: {results['naive'][0] / cold:.1f}x end to end")
    print(f"re-run with 5 % changed: {results['rerun'][0] / cold:.0%} of the cold run")
    print(f"peak memory (cold): {results['cold'][1]:.0f} MB")
    print(f"date: {dt.datetime.now():%Y-%m-%d %H:%M}")


if __name__ == "__main__":
    main()
