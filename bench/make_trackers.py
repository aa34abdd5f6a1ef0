"""Generate N standard-size trackers (seeded) for the benchmarks.

Each tracker has ~200 tasks, 20 milestones, 12 budget rows and 30 RAID items,
written through the governed template (addin.outputs.template.write_tracker), so the
benchmark reads exactly what project managers would keep.

    python bench/make_trackers.py 1000 bench/out/trackers
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from addin.demo import SAMPLES_AS_OF, standard_tracker
from addin.outputs.template import write_tracker

SEED = 7


def _one(args: tuple[int, str]) -> str:
    i, folder = args
    rng = random.Random(SEED * 100_003 + i)
    status_date = SAMPLES_AS_OF - dt.timedelta(days=rng.randint(0, 20))
    tracker = standard_tracker(rng, f"BEN-{i:04d}", status_date)
    path = Path(folder) / f"BEN-{i:04d}.xlsx"
    write_tracker(path, tracker)
    return str(path)


def generate(n: int, folder: Path, jobs: int | None = None) -> list[Path]:
    """Write ``n`` trackers into ``folder`` (in parallel); return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(jobs) as pool:
        return [
            Path(p)
            for p in pool.map(_one, [(i, str(folder)) for i in range(1, n + 1)], chunksize=8)
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int, nargs="?", default=1000)
    parser.add_argument("folder", type=Path, nargs="?", default=Path("bench/out/trackers"))
    args = parser.parse_args()
    t = time.perf_counter()
    paths = generate(args.n, args.folder)
    print(f"wrote {len(paths)} trackers to {args.folder} in {time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    main()
