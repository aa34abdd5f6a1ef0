"""What a ribbon click costs: ``pmo validate`` of one tracker from a cold interpreter.

Every ribbon button and every scheduled ``pmo`` command starts Python afresh, so the
time to import the package counts as much as the work. This runs ``python -m addin
validate SAMPLE`` ``--repeat`` times for this checkout (and ``--base``, interleaved),
each package byte-compiled first as ``pip install`` leaves it, and prints the median
wall time (min-max) beside an empty interpreter's, then where the imports go (the median
of five runs of ``python -X importtime``: each module's own time, summed by top-level
package).
Target (issue 17): 0.2 s.

Wall time on a shared virtual machine wanders by a quarter from one minute to the next.
``--instructions`` counts instead (valgrind's callgrind, with a fixed hash seed: the same
count on every run, to a few parts in a thousand): the instructions of ``pmo validate``
(its process, and the worker it forks, whose count includes the parent's work before the
fork), and what each step of the imports adds: Python itself, Typer, the settings (with
pydantic, for a build whose settings were pydantic models), the command line, and the rest
of what ``validate`` imports.

    python -m bench.bench_start [--repeat 15] [--base DIR] [--instructions]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.procs import compile_package

HERE = Path(__file__).resolve().parents[1]
SAMPLE = "workbooks/samples/CUS-0201_Customer_Portal_v2.xlsx"
AS_OF = "2026-11-20"


def _env(code: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(code)}


def _validate(code: Path, *flags: str) -> list[str]:
    return [sys.executable, *flags, "-m", "addin", "validate", str(HERE / SAMPLE), "--as-of", AS_OF]


def _wall(cmd: list[str], code: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, env=_env(code), cwd=code, check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):  # 1: the sample has findings
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr[-300:]!r}")
    return seconds


def imports(code: Path, runs: int = 5) -> tuple[float, list[tuple[str, float]]]:
    """Import time in ms, in all and by top-level package (largest first): the median run."""
    measured = sorted((_imports(code) for _ in range(runs)), key=lambda m: m[0])
    return measured[len(measured) // 2]


def _imports(code: Path) -> tuple[float, list[tuple[str, float]]]:
    done = subprocess.run(
        _validate(code, "-X", "importtime"),
        capture_output=True,
        text=True,
        env=_env(code),
        cwd=code,
        check=False,
    )
    by: Counter[str] = Counter()
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, _, name = line[len("import time:") :].split("|")
        by[name.strip().split(".")[0]] += int(own) / 1000
    return sum(by.values()), by.most_common()


#: What each step of a cold ``pmo validate`` imports: each line imports the ones above it too.
STAGES = (
    ("python -c pass", "pass"),
    ("+ typer", "import typer.main"),
    ("+ settings (and what they import)", "import typer.main, addin.core.settings"),
    ("+ command line", "import typer.main, addin.core.settings, addin.cli"),
    (
        "+ what validate imports",
        "import typer.main, addin.core.settings, addin.cli, addin.app.find, "
        "addin.app.validate, addin.engine.validate",
    ),
)


def _instructions(cmd: list[str], code: Path) -> list[int]:
    """Instructions each process of ``cmd`` ran (callgrind), in the order they started."""
    with tempfile.TemporaryDirectory() as out:
        env = {**_env(code), "PYTHONHASHSEED": "0"}
        grind = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}/cg.%p"]
        subprocess.run([*grind, *cmd], capture_output=True, env=env, cwd=code, check=False)
        counts = []
        for f in sorted(Path(out).glob("cg.*"), key=lambda p: int(p.suffix[1:])):
            for _ in range(50):  # a worker's valgrind may still be writing its file
                totals = [ln for ln in f.read_text().splitlines() if ln.startswith("totals:")]
                if totals:
                    counts.append(int(totals[0].split()[1]))
                    break
                time.sleep(0.1)
        return counts


def count_instructions(codes: dict[str, Path]) -> None:
    """Print the instruction counts of the validate run and of each import step, per code."""
    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (apt-get install valgrind)")
    rows: dict[str, list[str]] = {}
    for code in codes.values():
        run = _instructions(_validate(code), code)
        for _ in range(3):  # a worker stopped at the run's end sometimes leaves no count
            if len(run) >= 2:
                break
            run = _instructions(_validate(code), code)
        rows.setdefault("pmo validate", []).append(
            " / ".join(f"{n / 1e6:,.0f}" for n in run) + " M"
        )
        previous = 0
        for name, script in STAGES:
            (n, *_) = _instructions([sys.executable, "-c", script], code)
            rows.setdefault(name, []).append(f"{n / 1e6:,.0f} M (+{(n - previous) / 1e6:,.0f})")
            previous = n
    print("instructions (callgrind; pmo validate: its process / the forked worker):")
    print("  " + " " * 26 + "".join(f"{label:>24s}" for label in codes))
    for name, values in rows.items():
        print(f"  {name:26s}" + "".join(f"{v:>24s}" for v in values))


def _line(label: str, values: list[float]) -> str:
    return (
        f"  {label:24s} {statistics.median(values):.3f} s "
        f"({min(values):.3f}-{max(values):.3f}, {len(values)} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--base", type=Path, help="another checkout to measure beside this one")
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions (valgrind) instead"
    )
    args = parser.parse_args()
    codes = {"this": HERE}
    if args.base:
        codes = {"base": args.base.resolve(), "this": HERE}
    for code in codes.values():
        compile_package(code)
        _wall(_validate(code), code)  # not timed: the file system's caches are warm after it
    if args.instructions:
        count_instructions(codes)
        return
    empty: list[float] = []
    walls: dict[str, list[float]] = {label: [] for label in codes}
    for _ in range(args.repeat):
        empty.append(_wall([sys.executable, "-c", "pass"], HERE))
        for label, code in codes.items():
            walls[label].append(_wall(_validate(code), code))
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs: pmo validate {SAMPLE}")
    print(_line("python -c pass", empty))
    for label, values in walls.items():
        print(_line(f"{label}: pmo validate", values))
    for label, code in codes.items():
        total, top = imports(code)
        parts = ", ".join(f"{name} {ms:.0f}" for name, ms in top[:8])
        print(f"  {label}: imports {total:.0f} ms (-X importtime, own ms by package): {parts}")


if __name__ == "__main__":
    main()
