"""A separate process that writes to a history, for the kill -9 and two-runs-at-once tests.

``python -m tests.history.child save URL AS_OF PROJECTS [PREFIX]`` stores a run of
PROJECTS projects (ten milestones each) as the snapshot of AS_OF and prints ``saved``.
``python -m tests.history.child pause URL AS_OF PROJECTS`` does the same but, once the
snapshot's project rows are in (its milestones not yet), prints ``mid-write`` and
sleeps: the parent kills it there.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from typing import Any

import addin.history.save as save
from addin.engine.run import PortfolioRun
from addin.history import open_store, parse_url, save_run
from tests.history.weeks import milestone, project, week


def big_run(as_of: dt.date, projects: int, prefix: str = "P") -> PortfolioRun:
    """A run of ``projects`` projects with ten milestones each."""
    base = dt.date(2027, 6, 1)
    ids = [f"{prefix}-{i:04d}" for i in range(projects)]
    return week(
        as_of,
        [project(pid, "Green", spi=1.0) for pid in ids],
        milestones=[
            milestone(pid, f"M-{m:02d}", base, base + dt.timedelta(days=m))
            for pid in ids
            for m in range(10)
        ],
    )


def main(argv: list[str]) -> int:
    action, url, as_of, count = argv[0], argv[1], dt.date.fromisoformat(argv[2]), int(argv[3])
    prefix = argv[4] if len(argv) > 4 else "P"
    store = open_store(parse_url(url), timeout=60)
    if action == "pause":
        write = save.write_batch

        def pausing(conn: Any, batch: Any, snapshot_id: int) -> None:
            write(conn, batch, snapshot_id)
            if batch.table.name == "projects":  # its rows are in, the milestones not yet
                print("mid-write", flush=True)
                time.sleep(120)

        save.write_batch = pausing  # type: ignore[assignment]

    info = save_run(store, big_run(as_of, count, prefix))
    print(f"saved {info.as_of} {info.projects}", flush=True)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
