"""What a hostile input costs before its reason is reported.

Generates a zip bomb and a 1,048,576-row sheet (streamed, a few MB on disk) and runs
``pmo validate FILE`` on each in a subprocess, reporting wall time and the peak resident
memory of the whole process tree (parent + reader worker, sampled from /proc every
20 ms), and the reason line printed. Target (issue 7): under 5 s and under 500 MB each.

Then ``pmo consolidate`` of a folder holding N copies of one tracker (every one claims
the same Project ID; issue 10 case 12): the work must grow linearly with N (it was
quadratic: 6,000 copies took 112 s and 4.6 GB), so time and memory are reported at N/4,
N/2 and N.

    python -m bench.bench_hostile [--bomb-mb 2048] [--repeat 3] [--duplicates 6000] [--no-files]

The same numbers with GNU time (peak of the largest single process)::

    /usr/bin/time -v .venv/bin/pmo validate bench/out/hostile/zip-bomb.xlsx
    /usr/bin/time -v .venv/bin/pmo validate bench/out/hostile/rows-1048576.xlsx
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import time
from pathlib import Path

from bench.procs import measure

OUT = Path("bench/out/hostile")


def validate(path: Path) -> tuple[float, float, str]:
    """Run ``pmo validate path``; return (seconds, peak MB of the process tree, reason)."""
    m = measure([sys.executable, "-m", "addin", "validate", str(path), "--as-of", "2026-11-20"])
    lines = m.stdout.splitlines()
    reason = lines[1].strip() if len(lines) > 2 else m.stdout.strip()
    return m.seconds, m.peak_mb, reason


def consolidate(folder: Path, output: Path) -> tuple[float, float, str]:
    """Run ``pmo consolidate folder``; return (seconds, peak MB of the process tree, summary)."""
    m = measure(
        [
            *(sys.executable, "-m", "addin", "consolidate", str(folder)),
            *("-o", str(output), "--no-cache", "--as-of", "2026-11-20"),
        ]
    )
    return m.seconds, m.peak_mb, m.stdout.splitlines()[0] if m.stdout else m.stderr[-200:]


def duplicates(n: int) -> None:
    """Time ``pmo consolidate`` over n/4, n/2 and n copies of one tracker (one Project ID)."""
    from tests.builders import write

    print("\npmo consolidate of N copies of one tracker (same Project ID), --no-cache")
    for count in (n // 4, n // 2, n):
        folder = OUT / f"duplicates-{count}"
        folder.mkdir()
        source = write(folder / "copy-00000.xlsx")
        for i in range(1, count):
            shutil.copyfile(source, folder / f"copy-{i:05d}.xlsx")
        seconds, peak, summary = consolidate(folder, OUT / f"portfolio-{count}.xlsx")
        print(
            f"N={count:<6d} {seconds:7.1f} s  {seconds / count * 1000:5.1f} ms/file   "
            f"peak {peak:5.0f} MB   {summary[:90]}"
        )
        shutil.rmtree(folder)


def hostile_files(bomb_mb: int, repeat: int) -> None:
    """Time ``pmo validate`` on a zip bomb and on a sheet filled to its last row."""
    from tests.hostile import make  # the generators the tests use

    files = {}
    for label, build in {
        "zip-bomb.xlsx": lambda p: make.zip_bomb(p, bomb_mb),
        "rows-1048576.xlsx": lambda p: make.million_rows(p, "BEN-0001"),
    }.items():
        start = time.perf_counter()
        files[label] = path = build(OUT / label)
        print(
            f"made {label}: {path.stat().st_size / 2**20:.1f} MB on disk "
            f"in {time.perf_counter() - start:.1f} s"
        )
    print(f"\npmo validate FILE, best of {repeat} ({dt.date.today()})")
    for label, path in files.items():
        runs = [validate(path) for _ in range(repeat)]
        seconds = min(r[0] for r in runs)
        peak = max(r[1] for r in runs)
        print(f"{label:20s} {seconds:6.2f} s   peak {peak:5.0f} MB   {runs[0][2][:110]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bomb-mb", type=int, default=2048, help="the bomb's expanded size")
    parser.add_argument("--repeat", type=int, default=3, help="runs per file (best is kept)")
    parser.add_argument(
        "--duplicates", type=int, default=6000, help="copies of one tracker (0: skip)"
    )
    parser.add_argument("--no-files", action="store_true", help="skip the two hostile files")
    args = parser.parse_args()

    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    if not args.no_files:
        hostile_files(args.bomb_mb, args.repeat)
    if args.duplicates:
        duplicates(args.duplicates)


if __name__ == "__main__":
    main()
