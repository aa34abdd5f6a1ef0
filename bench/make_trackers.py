"""Generate N standard-size trackers (seeded) for the benchmarks, clean or messy.

Each tracker has ~200 tasks, 20 milestones, 12 budget rows and 30 RAID items,
written through the governed template (addin.outputs.template.write_tracker), so the
benchmark reads exactly what project managers would keep.

A *messy* tracker (``--messy``) is the same tracker with the mistakes real ones carry,
about 230 findings each: actual finish dates after the Status Date, statuses outside
the allowed list and tasks under way without an owner.

    python bench/make_trackers.py 1000 bench/out/trackers [--messy]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from addin.core.tracker import Tracker, replace
from addin.demo import SAMPLES_AS_OF, standard_tracker
from addin.outputs.template import write_tracker

SEED = 7
#: Statuses no task_status list allows (each one finding).
_BAD_STATUSES = ("Done-ish", "WIP", "On hold?", "Blocked!!", "tbc")


def messy(tracker: Tracker, rng: random.Random) -> Tracker:
    """The tracker with the usual mistakes: future actuals, odd statuses, missing owners."""
    status_date = tracker.project.status_date
    assert status_date is not None
    tasks: list[Any] = []
    for i, task in enumerate(tracker.tasks):
        change: dict[str, Any] = {}
        if i % 3 == 0:  # an actual finish after the Status Date
            change["actual_finish"] = status_date + dt.timedelta(days=rng.randint(1, 40))
        if i % 3 == 1:  # a status outside the list
            change["status"] = rng.choice(_BAD_STATUSES)
        if i % 4 == 2:  # under way, nobody owns it
            change["owner"] = None
            change.setdefault("status", "In Progress")
        tasks.append(replace(task, **change) if change else task)
    return replace(tracker, tasks=tasks)


def _one(args: tuple[int, str, bool]) -> str:
    i, folder, is_messy = args
    rng = random.Random(SEED * 100_003 + i)
    status_date = SAMPLES_AS_OF - dt.timedelta(days=rng.randint(0, 20))
    tracker = standard_tracker(rng, f"BEN-{i:04d}", status_date)
    if is_messy:
        tracker = messy(tracker, rng)
    path = Path(folder) / f"BEN-{i:04d}.xlsx"
    write_tracker(path, tracker)
    return str(path)


def generate(n: int, folder: Path, jobs: int | None = None, *, messy: bool = False) -> list[Path]:
    """Write ``n`` trackers into ``folder`` (in parallel); return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    work = [(i, str(folder), messy) for i in range(1, n + 1)]
    with ProcessPoolExecutor(jobs) as pool:
        return [Path(p) for p in pool.map(_one, work, chunksize=8)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int, nargs="?", default=1000)
    parser.add_argument("folder", type=Path, nargs="?", default=Path("bench/out/trackers"))
    parser.add_argument("--messy", action="store_true", help="trackers with ~230 findings each")
    args = parser.parse_args()
    t = time.perf_counter()
    paths = generate(args.n, args.folder, messy=args.messy)
    print(f"wrote {len(paths)} trackers to {args.folder} in {time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    main()
