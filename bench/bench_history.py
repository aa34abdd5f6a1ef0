"""The history database at scale, on SQLite and on a local PostgreSQL server.

On the 1,000 generated standard trackers (bench/make_trackers.py), consolidated once:
  1. storing a snapshot (what ``pmo consolidate`` adds: open the history, store the run);
  2. 52 weekly snapshots (a year), then the database size per snapshot;
  3. the Trends page over those 52 snapshots: reading the trend (the last 12) and the
     dashboard written with the Trends page against without it;
  4. ``pmo lessons search`` over 50,000 lessons: 20 queries, median and worst.
PostgreSQL is a throwaway cluster started like the tests' (tests/pg.py) but durable
(fsync on), unless ``--pg URL`` names a server to use (a fresh, empty database).

    python -m bench.bench_history [N] [--pg URL] [--skip-pg]
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import text

from addin.core.settings import Settings
from addin.engine.consolidate import consolidate
from addin.engine.run import KindRows, PortfolioRun
from addin.history import open_store, parse_url, save_run
from addin.history.lessons import LessonRow, search, store_lessons
from addin.history.store import Store

OUT = Path("bench/out")
AS_OF = dt.date(2026, 11, 20)
WORDS = [
    "supplier",
    "delay",
    "testing",
    "scope",
    "change",
    "budget",
    "licence",
    "contract",
    "resourcing",
    "stakeholder",
    "approval",
    "security",
    "cutover",
    "migration",
    "training",
    "data",
    "quality",
    "vendor",
    "planning",
    "risk",
    "governance",
    "decision",
    "handover",
    "procurement",
    "permit",
    "design",
    "integration",
    "rollout",
]
QUERIES = (
    "supplier delay",
    "licence cost",
    "scope change",
    "security testing",
    "data migration",
    "training",
    "vendor contract",
    "permit approval",
    "cutover planning",
    "stakeholder decision",
)


def _timed(label: str, seconds: float, extra: str = "") -> None:
    print(f"  {label:52s} {seconds * 1000:9.1f} ms {extra}")


def _run(n: int) -> PortfolioRun:
    folder = OUT / f"trackers-{n}"
    if not folder.exists() or len(list(folder.glob("*.xlsx"))) != n:
        from bench.make_trackers import generate

        shutil.rmtree(folder, ignore_errors=True)
        generate(n, folder)
    started = time.perf_counter()
    run = consolidate(sorted(folder.glob("*.xlsx")), Settings(), as_of=AS_OF)
    print(
        f"consolidated {n} trackers in {time.perf_counter() - started:.1f} s: "
        f"{len(run.projects)} projects, "
        + ", ".join(f"{len(rows)} {key}" for key, rows in run.tables.items())
        + f", {len(run.findings)} findings"
    )
    return run


def _week(run: PortfolioRun, k: int) -> PortfolioRun:
    """The run as of ``k`` weeks earlier, with some projects in another state."""
    rng = random.Random(k)
    words = ("Red", "Amber", "Green")
    projects = [
        dataclasses.replace(p, overall_rag=rng.choice(words)) if rng.random() < 0.05 else p
        for p in run.projects
    ]
    return dataclasses.replace(run, as_of=run.as_of - dt.timedelta(days=7 * k), projects=projects)


def _size(store: Store, path: Path | None) -> float:
    if path is not None:
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6
    with store.reading() as conn:
        return (
            float(conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one())
            / 1e6
        )


def _lessons(count: int) -> list[LessonRow]:
    rng = random.Random(13)
    rows = []
    for i in range(count):
        text_words = rng.sample(WORDS, 9)
        rows.append(
            LessonRow(
                f"LL{i // 10:05d}",
                f"id:ll-{i}",
                {
                    "lesson_id": f"LL-{i}",
                    "category": rng.choice(("Supplier", "Cost", "Scope", "Technical")),
                    "type": "To improve",
                    "lesson": " ".join(text_words[:6]).capitalize() + ".",
                    "recommendation": " ".join(text_words[6:]).capitalize() + ".",
                    "tags": ", ".join(rng.sample(WORDS, 2)),
                    "project_name": f"Project {i // 10}",
                },
            )
        )
    return rows


def bench(label: str, url: str, run: PortfolioRun) -> None:
    from addin.app.history import trend
    from addin.outputs.dashboard import write_dashboard

    print(f"\n{label}: {parse_url(url).shown}")
    parsed = parse_url(url)
    started = time.perf_counter()
    store = open_store(parsed)
    _timed("open (first use: create the schema)", time.perf_counter() - started)
    started = time.perf_counter()
    save_run(store, _week(run, 1))
    _timed("store the first snapshot", time.perf_counter() - started)
    store.close()
    started = time.perf_counter()  # what a weekly consolidate adds: open, store
    store = open_store(parsed)
    save_run(store, run)
    _timed("open + store a snapshot (a weekly run)", time.perf_counter() - started)
    started = time.perf_counter()
    save_run(store, run)
    _timed("store it again (replaces the same as-of date)", time.perf_counter() - started)
    one = _size(store, parsed.path)
    started = time.perf_counter()
    for k in range(2, 52):
        save_run(store, _week(run, k))
    fill = time.perf_counter() - started
    _timed("50 more weekly snapshots (each)", fill / 50)
    size = _size(store, parsed.path)
    print(
        f"  database: {size:.1f} MB for 52 snapshots, {size / 52:.2f} MB per snapshot "
        f"(the first: {one:.1f} MB with the schema)"
    )
    started = time.perf_counter()
    data = trend(store, run)
    trend_s = time.perf_counter() - started
    assert data is not None
    _timed("read the trend (last 12 of 52 snapshots)", trend_s)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        write_dashboard(Path(tmp) / "plain.xlsx", run, Settings())
        plain = time.perf_counter() - started
        started = time.perf_counter()
        write_dashboard(Path(tmp) / "trends.xlsx", run, Settings(), trends=data)
        full = time.perf_counter() - started
    _timed("dashboard without Trends", plain)
    _timed("dashboard with Trends", full)
    _timed("=> the Trends page (trend + its sheets)", trend_s + full - plain)
    rows = _lessons(50_000)
    started = time.perf_counter()
    with store.writing() as conn:
        store_lessons(conn, rows, AS_OF, full_text=store.dialect == "sqlite")
    _timed("store 50,000 lessons", time.perf_counter() - started)
    times = []
    with store.reading() as conn:
        for q in QUERIES * 2:
            started = time.perf_counter()
            hits = search(conn, q)
            times.append(time.perf_counter() - started)
            assert hits, q
    _timed(
        "lessons search over 50,000 (median of 20)",
        statistics.median(times),
        f"worst {max(times) * 1000:.1f} ms",
    )
    store.close()


@contextlib.contextmanager
def _postgres(url: str | None) -> Iterator[str]:
    if url:
        yield url
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.pg import cluster

    with cluster(durable=True) as server:
        yield server.url(server.new_database())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int, nargs="?", default=1000)
    parser.add_argument("--pg", default=None, help="A PostgreSQL URL (an empty database).")
    parser.add_argument("--skip-pg", action="store_true")
    args = parser.parse_args()
    print(f"bench_history {dt.datetime.now():%Y-%m-%d %H:%M}, python {sys.version.split()[0]}")
    run = _run(args.n)
    run.tables.setdefault("Lessons", KindRows("Lessons"))
    work = OUT / "history"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    bench("SQLite", str(work / "pmo-history.sqlite"), run)
    if not args.skip_pg:
        with _postgres(args.pg) as url:
            bench("PostgreSQL", url, run)


if __name__ == "__main__":
    main()
