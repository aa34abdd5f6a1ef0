"""A portfolio read back: `pmo dashboard`, `pmo pack` and the first worksheet function call.

Consolidates the bench's N trackers (``messy`` by default: ~230 findings each, as real
portfolios are) into a portfolio once, then times, from a cold interpreter each, the
three things that read a portfolio workbook back rather than the trackers: the
dashboard built from it, the steering pack built from it, and the first call of a
worksheet function naming a project in it (what a workbook of ``=PMO_PORTFOLIO(...)``
formulas waits for when Excel opens it). Medians of ``--repeat`` runs with min-max and
the peak memory of the process tree; ``--base DIR`` measures another checkout's code
too, interleaved.

    python -m bench.bench_read_back --size 1000 --kind messy --repeat 3 --base /tmp/base
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.bench_consolidate import _trackers
from bench.procs import compile_package, measure

HERE = Path(__file__).resolve().parent.parent
_FIRST_CALL = (
    "import sys, time; from pathlib import Path; from addin.app import functions; "
    "from addin.core.settings import Settings; t = time.perf_counter(); "
    "functions.project_value(Path(sys.argv[1]), sys.argv[2], 'overall_rag', Settings()); "
    "print(time.perf_counter() - t)"
)


def _commands(portfolio: Path, out: Path, project: str) -> dict[str, list[str]]:
    pmo = [sys.executable, "-m", "addin"]
    return {
        "pmo dashboard": [
            *pmo,
            "dashboard",
            str(portfolio),
            "-o",
            str(out / "d.xlsx"),
            "--no-history",
        ],
        "pmo pack": [*pmo, "pack", str(portfolio), "-o", str(out / "k.pptx"), "--no-history"],
        "first function call": [sys.executable, "-c", _FIRST_CALL, str(portfolio), project],
    }


def main() -> None:
    """Print the read-back timings of this checkout (and of ``--base``)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--kind", choices=["clean", "messy"], default="messy")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--base", type=Path, default=None)
    args = parser.parse_args()
    codes = {"this": HERE, **({"base": args.base.resolve()} if args.base else {})}
    for code in codes.values():
        compile_package(code)
    print(
        f"{dt.datetime.now():%Y-%m-%d %H:%M}  Python {sys.version.split()[0]}  "
        f"{args.size} {args.kind} trackers",
        flush=True,
    )
    trackers = _trackers(args.kind, args.size)
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        portfolio = out / "portfolio.xlsx"
        made = subprocess.run(
            [
                sys.executable,
                "-m",
                "addin",
                "consolidate",
                str(trackers),
                "-o",
                str(portfolio),
                "--as-of",
                "2026-11-23",
                "--no-cache",
                "--no-history",
            ],
            env={**os.environ, "PYTHONPATH": str(HERE)},
            capture_output=True,
            text=True,
        )
        if not portfolio.exists():
            sys.exit(f"the portfolio was not written: {made.stderr.strip()}")
        size = portfolio.stat().st_size / 2**20
        print(f"portfolio {size:.1f} MB (made by this checkout)", flush=True)
        project = sorted(trackers.glob("*.xlsx"))[0].stem
        results: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for _ in range(args.repeat):
            for label, command in _commands(portfolio, out, project).items():
                for name, code in codes.items():
                    run = measure(command, env={**os.environ, "PYTHONPATH": str(code)}, cwd=out)
                    if run.returncode not in (0, 1):
                        sys.exit(f"{name} {label} failed: {run.stderr.strip()[-300:]}")
                    results.setdefault((label, name), []).append((run.seconds, run.peak_mb))
        for (label, name), runs in results.items():
            seconds = [s for s, _ in runs]
            peak = statistics.median(mb for _, mb in runs)
            print(
                f"  {label:20s} {name:5s} {statistics.median(seconds):6.2f} s "
                f"({min(seconds):.2f}-{max(seconds):.2f})  tree {peak:5.0f} MB"
            )


if __name__ == "__main__":
    main()
