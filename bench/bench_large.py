"""A large portfolio, cold: 5,000 or 20,000 trackers, wall time and the main process's memory.

Issue 17 asks for 20,000 trackers cold in 80 s with the main process under 600 MB.
Generating 20,000 trackers through the template takes the better part of an hour, so
this bench copies the 1,000 bench trackers ``--copies`` times, each copy renumbered
(``BEN-0001`` becomes ``BAA-0001``, ``BAB-0001`` ... in every XML part), so that each
tracker is its own project: no Project ID is claimed twice. The copies are made once
under ``bench/out/{kind}-{N}`` and reused (``--copies 1`` runs the originals). A run
exits 1 when its trackers hold errors, as the messy ones do.

    python -m bench.bench_large [--copies 20] [--kinds clean,messy] [--base DIR] [--history]

Each run is ``pmo consolidate FOLDER --no-cache --no-history --jobs 2`` from a cold
shell, interleaved with ``--base`` (another checkout, e.g. a ``git worktree``) when
given. With ``--history`` a run stores its snapshot in a new SQLite history beside its
portfolio instead, as a scheduled run does by default. It prints wall seconds, the main
process's peak memory as it reports it in its ``end`` event (getrusage; its workers are
not counted) and sampled for the process tree, the main process's five largest phases, and
the workers' CPU-seconds, per file too, with their largest phases.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import zipfile
from pathlib import Path
from typing import Any

from bench.bench_consolidate import AS_OF, OUT, _trackers
from bench.procs import measure


def copies(kind: str, n: int) -> Path:
    """``n`` renumbered copies of each of the 1,000 ``kind`` bench trackers (made once)."""
    source = _trackers(kind, 1000)
    folder = OUT / f"{kind}-{1000 * n}"
    if folder.exists() and len(list(folder.glob("*.xlsx"))) == 1000 * n:
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(n):
        tag = b"BA" + bytes([ord("A") + k])
        for path in sorted(source.glob("*.xlsx")):
            target = folder / (tag.decode() + path.name[3:])
            with zipfile.ZipFile(path) as zin, zipfile.ZipFile(target, "w") as zout:
                for info in zin.infolist():
                    data = zin.read(info)
                    if info.filename.endswith(".xml"):
                        data = data.replace(b"BEN-", tag + b"-")
                    zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return folder


def run(code: Path, inputs: Path, work: Path, *, history: bool = False) -> str:
    """One cold consolidation of ``inputs`` with ``code``'s ``addin``: its results, two lines."""
    work.mkdir(parents=True, exist_ok=True)
    log, out, db = work / "log.jsonl", work / "portfolio.xlsx", work / "history.sqlite"
    log.unlink(missing_ok=True)
    db.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "addin", "consolidate", str(inputs), "-o", str(out)]
    cmd += ["--as-of", AS_OF, "--no-cache", "--jobs", "2", "--log-file", str(log)]
    cmd += ["--history", str(db)] if history else ["--no-history"]
    env = {**os.environ, "PYTHONPATH": str(code)}
    m = measure(cmd, merge_stderr=True, env=env, cwd=code)
    lines = log.read_text("utf-8").splitlines() if log.exists() else []
    events: list[dict[str, Any]] = [json.loads(line) for line in lines]
    end: dict[str, Any] = next((e for e in events if e["event"] == "end"), {})
    phases = end.get("phases", {})
    main = _top(phases.get("main", {}))
    return (
        f"{m.seconds:7.1f} s  main {end.get('peak_rss_mb', 0):6.1f} MB"
        f"  tree {m.peak_mb:6.0f} MB  exit {m.returncode}  main phases: {main}"
        f"\n{'':7}{workers_line(phases.get('workers', {}), _files(events))}"
    )


def _top(phases: dict[str, float], n: int = 5) -> str:
    """The ``n`` largest phases, largest first: ``name seconds, ...``."""
    top = sorted(phases.items(), key=lambda kv: -kv[1])[:n]
    return ", ".join(f"{name} {seconds:.1f}" for name, seconds in top)


def _files(events: list[dict[str, Any]]) -> int:
    """How many files the run reported (its ``file`` events)."""
    return sum(1 for e in events if e["event"] == "file")


def workers_line(workers: dict[str, float], files: int) -> str:
    """The workers' CPU-seconds, per tracker too, and their largest phases.

    What a cold run costs each file, whatever the portfolio's size: compared with the
    figure at 1,000 (``bench_consolidate``), it shows what a large run adds per file.
    """
    total = sum(workers.values())
    each = f"{1000 * total / files:.1f} ms a file" if files else "no file"
    return f"workers {total:.1f} CPU-s ({each}): {_top(workers, 8)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--kinds", default="clean,messy")
    parser.add_argument("--base", type=Path, help="another checkout, measured interleaved")
    parser.add_argument("--history", action="store_true", help="store a snapshot in SQLite")
    args = parser.parse_args()
    here = Path(__file__).resolve().parent.parent
    codes = [("this", here)] + ([("base", args.base.resolve())] if args.base else [])
    for kind in args.kinds.split(","):
        inputs = copies(kind, args.copies)
        print(f"{kind}, {1000 * args.copies} trackers ({inputs}):", flush=True)
        for label, code in codes:
            print(
                f"  {label:4} {run(code, inputs, OUT / 'large' / label, history=args.history)}",
                flush=True,
            )


if __name__ == "__main__":
    main()
