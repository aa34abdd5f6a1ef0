"""Golden files: everything ``pmo`` writes, on three input sets, stays what it was.

Input sets: the bundled samples, the real corpus (``../shared/corpus/real``, when it
sits beside the checkout) and 50 seeded benchmark trackers. For each, the real
command line runs once (``validate --format json``, ``consolidate`` with its JSON
and dashboard, ``validate --annotate``), and a normalised view of every output
(:mod:`tests.golden.views`) is compared with the one stored in
``tests/golden/data/<set>/``. A difference fails with the list of cells that
changed.

When a change is meant to change an output, regenerate and review the diff::

    PMO_UPDATE_GOLDEN=1 python -m pytest tests/golden -q
    git diff --stat tests/golden/data

and say in the commit message which cells changed and why.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from addin.demo import SAMPLES_AS_OF
from tests.conftest import CORPUS, SAMPLES
from tests.golden import views
from tests.normalise import diff

DATA = Path(__file__).parent / "data"
UPDATE = os.environ.get("PMO_UPDATE_GOLDEN") == "1"
#: The as-of date of every run (the samples' own; the corpus and bench runs use it too).
AS_OF = SAMPLES_AS_OF.isoformat()
#: Views larger than this are stored gzipped (the bench portfolio holds ~13,000 rows).
GZIP_OVER = 2_000_000


def _pmo(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    out = subprocess.run(
        [sys.executable, "-m", "addin", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=900,
    )
    assert "Traceback" not in out.stderr, out.stderr
    return out


class Outputs:
    """Every output of one input set, produced once per test session."""

    def __init__(self, name: str, inputs: Path, work: Path, *extra: str | Path) -> None:
        self.name = name
        self.inputs = work / "in"
        shutil.copytree(inputs, self.inputs, ignore=shutil.ignore_patterns("*.tsv", "*.md"))
        self.out = work / "out"
        self.out.mkdir()
        v = _pmo("validate", self.inputs, "--format", "json", "--as-of", AS_OF, cwd=work)
        assert v.returncode in (0, 1, 3), v.stderr
        self.report = json.loads(v.stdout)
        c = _pmo(
            "consolidate",
            self.inputs,
            "-o",
            self.out / "portfolio.xlsx",
            "--json",
            self.out / "projects.json",
            "--dashboard",
            self.out / "dashboard.xlsx",
            "--as-of",
            AS_OF,
            "--no-cache",
            *extra,
            cwd=work,
        )
        assert c.returncode in (0, 1, 3), c.stderr
        self.annotated = work / "annotated"
        shutil.copytree(self.inputs, self.annotated)
        a = _pmo("validate", self.annotated, "--annotate", "--as-of", AS_OF, cwd=work)
        assert a.returncode in (0, 1, 3, 4), a.stderr  # 4: a legacy .xls cannot be annotated
        self.annotate_said = sorted(a.stderr.splitlines())

    def view(self, kind: str) -> Any:
        """The normalised view of one output kind."""
        if kind == "validate":
            return views.report_view(self.report, self.inputs)
        if kind == "projects_json":
            text = (self.out / "projects.json").read_text(encoding="utf-8")
            return views.report_view({"projects": json.loads(text)}, self.inputs)
        if kind == "portfolio":
            return views.mask_portfolio(
                views.workbook_view(self.out / "portfolio.xlsx", self.inputs)
            )
        if kind == "dashboard":
            return views.mask_dashboard(
                views.workbook_view(self.out / "dashboard.xlsx", self.inputs)
            )
        if kind == "annotated":
            copies = sorted(self.annotated.rglob("*.checked.xlsx"))
            out: dict[str, Any] = {
                str(p.relative_to(self.annotated)): views.mask_annotated(
                    views.workbook_view(p, self.annotated)
                )
                for p in copies
            }
            out["(stderr)"] = views.report_view({"lines": self.annotate_said}, self.annotated)
            return out
        raise KeyError(kind)


def _bench_inputs(folder: Path) -> Path:
    from bench.make_trackers import generate

    generate(50, folder, jobs=2)
    return folder


_SETS = ["samples", "corpus", "bench50"]
_KINDS = ["validate", "projects_json", "portfolio", "dashboard", "annotated"]


@pytest.fixture(scope="module", params=_SETS)
def outputs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Outputs]:
    name = request.param
    work = tmp_path_factory.mktemp(f"golden-{name}")
    if name == "samples":
        inputs = SAMPLES
    elif name == "corpus":
        if not CORPUS.is_dir():
            pytest.skip(f"real corpus not beside the checkout ({CORPUS})")
        inputs = CORPUS
    else:
        inputs = _bench_inputs(work / "bench-src")
    extra: list[str] = []
    if name == "samples":  # consolidated against the samples' capacity list
        shutil.copy(SAMPLES.parent / "Sample_Capacity_List.xlsx", work / "capacity.xlsx")
        extra = ["--capacity", "capacity.xlsx"]
    yield Outputs(name, inputs, work, *extra)


def _stored(path: Path) -> Any:
    if path.with_suffix(".json.gz").exists():
        return json.loads(gzip.decompress(path.with_suffix(".json.gz").read_bytes()))
    return json.loads(path.read_text(encoding="utf-8"))


def _store(path: Path, view: Any) -> None:
    text = json.dumps(view, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    gz = path.with_suffix(".json.gz")
    if len(text) > GZIP_OVER:
        gz.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
        path.unlink(missing_ok=True)
    else:
        path.write_text(text, encoding="utf-8")
        gz.unlink(missing_ok=True)


@pytest.mark.slow
@pytest.mark.parametrize("kind", _KINDS)
def test_output_equals_its_golden_file(outputs: Outputs, kind: str) -> None:
    path = DATA / outputs.name / f"{kind}.json"
    view = json.loads(json.dumps(outputs.view(kind), ensure_ascii=False, sort_keys=True))
    if UPDATE:
        _store(path, view)
    assert path.exists() or path.with_suffix(".json.gz").exists(), (
        f"no golden file {path}: run with PMO_UPDATE_GOLDEN=1 and review it"
    )
    stored = _stored(path)
    changes = (
        diff(stored, view) if isinstance(view, dict) else ([] if stored == view else ["differs"])
    )
    assert changes == [], "\n".join(changes[:60])


def test_the_golden_files_hold_what_a_person_would_check() -> None:
    """The stored views are not empty shells: rows, RAG words and findings are in them."""
    portfolio = _stored(DATA / "samples" / "portfolio.json")
    projects = portfolio["sheet"]["Projects"]["values"]
    assert sum(1 for ref in projects if re.fullmatch(r"A\d+", ref) and ref != "A1") == 12
    assert {"Red", "Amber", "Green"} <= set(projects.values())
    report = _stored(DATA / "samples" / "validate.json")
    assert report["summary"]["files"] == 12 and report["summary"]["errors"] > 0
    annotated = _stored(DATA / "samples" / "annotated.json")
    copies = {k: v for k, v in annotated.items() if k.endswith(".xlsx")}
    assert copies and all("Validation" in v["sheets"] for v in copies.values())
    dashboard = _stored(DATA / "samples" / "dashboard.json")
    assert dashboard["charts"] and dashboard["sheets"][0] == "Dashboard"
