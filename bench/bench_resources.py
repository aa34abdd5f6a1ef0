"""Resources across projects at scale: what the resource roll-up adds to a cold consolidation.

N standard trackers (bench/make_trackers.py's: ~200 tasks, 20 milestones, 12 budget
rows, 30 RAID items), each with **Effort on every task** and a **Resources sheet of 15
people x 12 months** (180 rows, long layout) drawn from a PMO of 1,500 people, plus the
PMO's capacity list of those 1,500 people (FTE, non-project share, some leavers,
holidays). Then, each in a subprocess with wall time and the peak memory of its process
tree (bench/procs.py):

  1. ``pmo consolidate`` of these trackers **with** ``--capacity``: reads the Resources
     sheets and Effort, works out demand and load, writes the Resources and Capacity
     sheets (cold cache);
  2. the same command with the code of another checkout (``--baseline /work/main``: its
     ``addin`` first on ``PYTHONPATH``), which reads neither: the difference is what the
     resource roll-up costs end to end;
  3. the resource step alone, in process, on the run of 1 (demand, load, findings, and
     the Capacity sheet written into a workbook).

    python -m bench.bench_resources [N] [--baseline PATH] [--jobs J]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

from bench.procs import measure

OUT = Path("bench/out")
SEED = 11
PEOPLE = 1_500
PER_PROJECT = 15
MONTHS = 12
ROLES = ("Developer", "Tester", "Business Analyst", "Project Manager", "Architect", "Designer")
TEAMS = ("Platform", "Data", "Digital", "Finance Systems", "Infrastructure")


def person(i: int) -> str:
    return f"Person {i:04d}"


def _one(args: tuple[int, str]) -> str:
    from addin.core.kinds import Allocation
    from addin.core.periods import PeriodKind, period_start, shift
    from addin.demo import SAMPLES_AS_OF, standard_tracker
    from addin.demo.staffing import with_effort
    from addin.outputs.template import write_tracker

    i, folder = args
    rng = random.Random(SEED * 100_003 + i)
    status_date = SAMPLES_AS_OF - dt.timedelta(days=rng.randint(0, 20))
    tracker = standard_tracker(rng, f"BEN-{i:04d}", status_date)
    team = rng.sample(range(1, PEOPLE + 1), PER_PROJECT)
    tasks = [
        replace(
            t, owner=person(rng.choice(team)), effort=with_effort(t.planned_start, t.planned_finish)
        )
        for t in tracker.tasks
    ]
    first = shift(period_start(status_date, PeriodKind.MONTH), PeriodKind.MONTH, -6)
    rows = [
        Allocation(
            person=person(p),
            role=ROLES[p % len(ROLES)],
            team=TEAMS[p % len(TEAMS)],
            period=shift(first, PeriodKind.MONTH, m),
            planned=float(rng.choice((2, 3, 4, 5, 6, 8, 10))),
        )
        for p in team
        for m in range(MONTHS)
    ]
    path = Path(folder) / f"BEN-{i:04d}.xlsx"
    write_tracker(path, tracker.replace(tasks=tasks, resources=rows))
    return str(path)


def generate(n: int, folder: Path, jobs: int | None = None) -> list[Path]:
    """Write ``n`` trackers with Resources sheets and Effort into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(jobs) as pool:
        args = [(i, str(folder)) for i in range(1, n + 1)]
        return [Path(p) for p in pool.map(_one, args, chunksize=8)]


def capacity(path: Path) -> Path:
    """The PMO's capacity list of every person the trackers name."""
    from addin.core.capacity import CapacityEntry, Holiday
    from addin.demo.staffing import HOLIDAYS
    from addin.outputs.capacity import write_capacity_list

    rng = random.Random(SEED)
    people = [
        CapacityEntry(
            person=person(i),
            role=ROLES[i % len(ROLES)],
            team=TEAMS[i % len(TEAMS)],
            fte=rng.choice((1.0, 1.0, 1.0, 0.8, 0.6)),
            non_project=rng.choice((0.0, 0.1, 0.2)),
            end=dt.date(2027, 3, 31) if i % 97 == 0 else None,
        )
        for i in range(1, PEOPLE + 1)
    ]
    holidays = [Holiday(date=d, name=name) for d, name in HOLIDAYS]
    return write_capacity_list(path, people=people, holidays=holidays)


def run(label: str, cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run a command; return (seconds, peak MB of its process tree)."""
    m = measure(cmd, merge_stderr=True, env=env)
    tail = m.stdout.strip().splitlines()[-2:]
    print(f"{label:44s} {m.seconds:7.2f} s   peak {m.peak_mb:7.0f} MB   exit {m.returncode}")
    for line in tail:
        print(f"    {line[:150]}")
    return m.seconds, m.peak_mb


STEP = """
import sys, time, datetime as dt, io
from pathlib import Path
import xlsxwriter
from addin.core.settings import Settings
from addin.engine.consolidate import consolidate
from addin.resources import plan_resources, read_capacity
from addin.outputs.portfolio.capacity import write_capacity
s = Settings()
files = sorted(Path(sys.argv[1]).glob('*.xlsx'))
run = consolidate(files, s, as_of=dt.date(2026, 11, 20))
t = time.perf_counter(); cap = read_capacity(Path(sys.argv[2]), s); t_cap = time.perf_counter() - t
t = time.perf_counter(); load = plan_resources(run, s, cap); t_plan = time.perf_counter() - t
t = time.perf_counter()
wb = xlsxwriter.Workbook(io.BytesIO(), {'in_memory': True}); write_capacity(wb, load, s); wb.close()
t_sheet = time.perf_counter() - t
rows = len(run.table('Resources')); tasks = len(run.table('Tasks'))
print(f'{rows} resource rows, {tasks} tasks, {len(load.people)} people, '
      f'{len(load.findings)} findings')
print(f'read capacity list {t_cap:.2f} s, demand+load+findings {t_plan:.2f} s, '
      f'Capacity sheet {t_sheet:.2f} s')
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int, nargs="?", default=1000)
    parser.add_argument("--baseline", type=Path, default=None, help="another checkout to compare")
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    folder = OUT / f"resources-{args.n}"
    if not folder.exists() or len(list(folder.glob("*.xlsx"))) != args.n:
        shutil.rmtree(folder, ignore_errors=True)
        t = time.perf_counter()
        generate(args.n, folder)
        print(f"generated {args.n} trackers in {time.perf_counter() - t:.1f} s")
    work = OUT / f"resources-run-{args.n}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    cap = capacity(work / "capacity.xlsx")
    size_mb = sum(p.stat().st_size for p in folder.glob("*.xlsx")) / 1e6
    print(f"{args.n} trackers, {size_mb:.1f} MB, python {sys.version.split()[0]}")
    py = sys.executable
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    base = [py, "-m", "addin", "consolidate", str(folder), "--as-of", "2026-11-20", *jobs]
    ours = run(
        "pmo consolidate --capacity (this checkout)",
        [*base, "-o", str(work / "portfolio.xlsx"), "--capacity", str(cap), "--no-cache"],
    )
    if args.baseline is not None:
        env = {**os.environ, "PYTHONPATH": str(args.baseline.resolve())}
        theirs = run(
            f"pmo consolidate ({args.baseline})",
            [*base, "-o", str(work / "baseline.xlsx"), "--no-cache"],
            env=env,
        )
        print(
            f"resource roll-up adds {ours[0] - theirs[0]:+.2f} s "
            f"({ours[0] / theirs[0] - 1:+.0%}) and {ours[1] - theirs[1]:+.0f} MB peak"
        )
    run("resource step alone (in process)", [py, "-c", STEP, str(folder), str(cap)])
    print(f"date: {dt.datetime.now():%Y-%m-%d %H:%M}")


if __name__ == "__main__":
    main()
