"""End to end: `pmo consolidate` on clean and messy trackers, cold and warm, with a phase breakdown.

For each kind of portfolio (``clean``: the standard generated trackers; ``messy``: the
same with ~230 findings each, see bench/make_trackers.py) and each size N, one run of
this script measures, on the same files:

  * cold ``--jobs 1`` and cold ``--jobs 2`` (``--no-cache``);
  * warm: a run that fills the cache, then 5 % of the trackers rewritten, then the
    re-run (only the re-run is timed);

each ``--repeat`` times (median reported, min-max beside it), every command in a
subprocess: wall seconds, peak resident memory of the main process (sampled; the
``end`` event's exact figure when the code writes one) and of the whole process tree.
The phase breakdown comes from timers inside the engine (``pmo consolidate
--log-file``: the ``end`` event's ``phases``), not from outside guesses.

``--base DIR`` runs every measurement with another checkout's code too (``PYTHONPATH``
pointing at it), interleaved with this one's, so both see the same machine load:

    git worktree add /tmp/base integrate3
    python -m bench.bench_consolidate --sizes 100,1000 --base /tmp/base
    python -m bench.bench_consolidate --sizes 3000 --kinds messy --repeat 3
    python -m bench.bench_consolidate --naive        # adds the naive pandas script
    python -m bench.bench_consolidate --dask         # adds a run on a local Dask cluster

``--dask`` starts a ``LocalCluster`` (two worker processes, one thread each, this
checkout's code) once, and times ``--executor tcp://...`` on the same files (this
checkout only); the tree's memory then leaves out the cluster's processes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.procs import Measured, compile_package, measure

HERE = Path(__file__).resolve().parent.parent
OUT = HERE / "bench" / "out"
AS_OF = "2026-11-20"


@dataclass
class Sample:
    """The runs of one measurement: seconds, main and tree peaks, the last phases."""

    seconds: list[float] = field(default_factory=list)
    main_mb: list[float] = field(default_factory=list)
    tree_mb: list[float] = field(default_factory=list)
    #: The main process's peak as it reports it (getrusage), when it does.
    exact_mb: list[float] = field(default_factory=list)
    phases: dict[str, Any] | None = None
    failed: str = ""

    def add(self, m: Measured, log: Path) -> None:
        end = _end_event(log)
        self.seconds.append(m.seconds)
        self.main_mb.append(m.main_peak_mb)  # sampled alike for every checkout
        if end and end.get("peak_rss_mb"):
            self.exact_mb.append(float(end["peak_rss_mb"]))
        self.tree_mb.append(m.peak_mb)
        if end and "phases" in end:
            self.phases = end["phases"]
        if m.returncode not in (0, 1):
            self.failed = f"exit {m.returncode}: {m.stdout.strip().splitlines()[-1:]}"

    def line(self) -> str:
        if not self.seconds:
            return "-"
        s = self.seconds
        return (
            f"{statistics.median(s):6.2f} s ({min(s):.2f}-{max(s):.2f})  "
            f"main {statistics.median(self.main_mb):5.0f} MB  "
            f"tree {statistics.median(self.tree_mb):5.0f} MB"
            + (f"  (main exact {statistics.median(self.exact_mb):.0f})" if self.exact_mb else "")
            + (f"  FAILED {self.failed}" if self.failed else "")
        )


def _end_event(log: Path) -> dict[str, Any] | None:
    if not log.exists():
        return None
    for line in reversed(log.read_text(encoding="utf-8").splitlines()):
        event = json.loads(line)
        if event.get("event") == "end":
            return dict(event)
    return None


def _trackers(kind: str, n: int) -> Path:
    folder = OUT / f"{kind}-{n}"
    if not folder.exists() or len(list(folder.glob("*.xlsx"))) != n:
        shutil.rmtree(folder, ignore_errors=True)
        from bench.make_trackers import generate

        t = time.perf_counter()
        generate(n, folder, messy=kind == "messy")
        print(f"generated {n} {kind} trackers in {time.perf_counter() - t:.1f} s", flush=True)
    return folder


def _change(folder: Path, share: float, messy_kind: bool, week: str = "v2") -> int:
    """Rewrite a share of the trackers with different data (a new status ``week``)."""
    from addin.demo import SAMPLES_AS_OF, standard_tracker
    from addin.outputs.template import write_tracker
    from bench.make_trackers import messy

    paths = sorted(folder.glob("*.xlsx"))
    rng = random.Random(99)
    chosen = rng.sample(paths, max(1, round(len(paths) * share)))
    for path in chosen:
        tracker_rng = random.Random(path.name + week)
        tracker = standard_tracker(tracker_rng, path.stem, SAMPLES_AS_OF)
        if messy_kind:
            tracker = messy(tracker, tracker_rng)
        write_tracker(path, tracker)
    return len(chosen)


def _env(code: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(code)
    return env


def _pmo(code: Path, work: Path, inputs: Path, *extra: str) -> tuple[Measured, Path]:
    log = work / "log.jsonl"
    log.unlink(missing_ok=True)
    out = work / "portfolio.xlsx"
    cmd = [sys.executable, "-m", "addin", "consolidate", str(inputs), "-o", str(out)]
    cmd += ["--as-of", AS_OF, "--log-file", str(log), *extra]
    # From the code's own folder: ``python -m`` puts the working folder first on the path.
    return measure(cmd, merge_stderr=True, env=_env(code), cwd=code), log


#: What issue 17 measured for calamine alone reading one standard tracker, on its day.
FLOOR_REFERENCE_MS = 2.6


def machine_floor(tracker: Path, repeat: int = 30) -> float:
    """Median ms for python-calamine alone to read every sheet of ``tracker`` (in process).

    This machine's speed, measured beside the runs: the same code takes 2-3 times longer
    on a slow day of a shared virtual machine, and a run's seconds divided by this floor
    compare across days and machines where the seconds alone do not.
    """
    import python_calamine as calamine

    def read() -> object:
        book = calamine.CalamineWorkbook.from_path(str(tracker))
        return [book.get_sheet_by_name(name).to_python() for name in book.sheet_names]

    read()  # the first read loads the library and warms the file cache
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        read()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _floor_line(tracker: Path) -> str:
    floor = machine_floor(tracker)
    return (
        f"  machine: calamine alone reads {tracker.name} in {floor:.2f} ms (median of 30;"
        f" issue 17 measured {FLOOR_REFERENCE_MS} ms on its day: {floor / FLOOR_REFERENCE_MS:.1f}x)"
    )


def _fresh(work: Path, source: Path) -> Path:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    copy = work / "trackers"
    shutil.copytree(source, copy)
    return copy


def bench_one(
    kind: str, n: int, codes: dict[str, Path], repeat: int, naive: bool, dask: str = ""
) -> dict[str, dict[str, Sample]]:
    """Every measurement of one portfolio, for every code, interleaved."""
    source = _trackers(kind, n)
    size_mb = sum(p.stat().st_size for p in source.glob("*.xlsx")) / 1e6
    print(f"\n== {kind}, {n} trackers ({size_mb:.1f} MB) ==", flush=True)
    first = min(source.glob("*.xlsx"))
    print(_floor_line(first) + ", before", flush=True)
    out: dict[str, dict[str, Sample]] = {c: {} for c in codes}
    for _ in range(repeat):
        for label, code in codes.items():
            work = OUT / f"run-{kind}-{n}-{label}"
            inputs = _fresh(work, source)
            for name, extra in (
                ("cold --jobs 1", ["--jobs", "1", "--no-cache", "--no-history"]),
                ("cold --jobs 2", ["--jobs", "2", "--no-cache", "--no-history"]),
            ):
                m, log = _pmo(code, work, inputs, *extra)
                out[label].setdefault(name, Sample()).add(m, log)
            if dask and code == HERE:
                extra = ["--executor", dask, "--no-cache", "--no-history"]
                m, log = _pmo(code, work, inputs, *extra)
                out[label].setdefault("cold Dask local 2x1", Sample()).add(m, log)
            cache = ["--cache", str(work / "cache.sqlite"), "--jobs", "2", "--no-history"]
            _pmo(code, work, inputs, *cache)  # fills the cache: not timed
            changed = _change(inputs, 0.05, kind == "messy")
            m, log = _pmo(code, work, inputs, *cache)
            out[label].setdefault(f"warm {changed} changed", Sample()).add(m, log)
            if dask and code == HERE:  # the same cache, another week's changes, on the cluster
                changed = _change(inputs, 0.05, kind == "messy", week="v3")
                m, log = _pmo(code, work, inputs, *cache, "--executor", dask)
                out[label].setdefault(f"warm {changed} changed, Dask", Sample()).add(m, log)
    if naive:
        work = OUT / f"run-{kind}-{n}-naive"
        inputs = _fresh(work, source)
        sample = Sample()
        for _ in range(repeat):
            naive_py = str(HERE / "bench" / "naive_consolidate.py")
            cmd = [sys.executable, naive_py, str(inputs), str(work / "n.xlsx")]
            sample.add(measure(cmd, merge_stderr=True), work / "none")
        out.setdefault("naive", {})["pandas+openpyxl"] = sample
    print(_floor_line(first) + ", after", flush=True)
    for label, samples in out.items():
        for name, sample in samples.items():
            print(f"  {label:6s} {name:22s} {sample.line()}", flush=True)
    for label, samples in out.items():
        for name, sample in samples.items():
            if sample.phases:
                print(f"  phases, {label}, {name} (last run):")
                for side, values in sample.phases.items():
                    total = sum(values.values())
                    top = ", ".join(f"{k} {v:.2f}" for k, v in list(values.items())[:12])
                    print(f"    {side:7s} {total:6.2f} = {top}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,1000", help="comma-separated N (add 3000)")
    parser.add_argument("--kinds", default="clean,messy")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--base", type=Path, help="another checkout to measure beside this one")
    parser.add_argument("--naive", action="store_true", help="also time the naive script")
    parser.add_argument("--dask", action="store_true", help="also time a local Dask cluster")
    args = parser.parse_args()
    cluster = _local_cluster() if args.dask else None
    address = str(cluster.scheduler_address) if cluster is not None else ""
    codes = {"this": HERE}
    if args.base:
        codes = {"base": args.base.resolve(), "this": HERE}
    for code in codes.values():
        compile_package(code)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, repeat {args.repeat}")
    print("medians (min-max); main = the pmo process itself, tree = with its workers")
    for kind in args.kinds.split(","):
        for n in (int(x) for x in args.sizes.split(",")):
            bench_one(kind, n, codes, args.repeat, args.naive, address)
    if cluster is not None:
        cluster.close()
    print(f"\ndate: {dt.datetime.now():%Y-%m-%d %H:%M}")


def _local_cluster() -> Any:
    """Two Dask worker processes of one thread each that may start processes (docs/scale-out)."""
    import dask
    from distributed import LocalCluster

    with dask.config.set({"distributed.worker.daemon": False}):
        return LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        )


if __name__ == "__main__":
    main()
