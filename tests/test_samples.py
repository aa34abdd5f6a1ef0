"""The sample portfolio: committed files match the generator, cases land where they say."""

from __future__ import annotations

import datetime as dt
import importlib.util
import random
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from addin import rag
from addin.core.domain import Rag
from addin.core.kinds import kind as sheet
from addin.core.settings import Settings
from addin.demo import (
    CASES,
    DRIFT_HEADERS,
    DRIFT_ODD_HEADERS,
    DRIFT_SHEETS,
    SAMPLE_CASES,
    SAMPLES_AS_OF,
    drift_header,
    sample_trackers,
    standard_tracker,
)
from addin.engine.validate import check_file
from tests.conftest import ROOT, SAMPLES
from tests.normalise import diff, normalise

#: The real date the samples were designed on: no Status Date may be after it.
DESIGNED_ON = dt.date(2026, 11, 25)


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_samples", ROOT / "scripts" / "make_samples.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    script = load_script()
    script.write_samples(out, Settings())
    (out / "README.md").write_text(script.readme(), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def trackers() -> dict[str, Any]:
    return dict(sample_trackers())


# --- committed files ------------------------------------------------------------------------


def test_committed_samples_are_exactly_the_generated_ones(regenerated: Path) -> None:
    committed = sorted(p.name for p in SAMPLES.iterdir() if not p.name.startswith("."))
    assert committed == sorted(p.name for p in regenerated.iterdir())
    assert committed == sorted([f"{stem}.xlsx" for stem in SAMPLE_CASES] + ["README.md"])


@pytest.mark.parametrize("stem", list(SAMPLE_CASES))
def test_committed_sample_equals_a_fresh_regeneration(stem: str, regenerated: Path) -> None:
    assert diff(normalise(SAMPLES / f"{stem}.xlsx"), normalise(regenerated / f"{stem}.xlsx")) == []


def test_committed_readme_is_generated(regenerated: Path) -> None:
    text = (SAMPLES / "README.md").read_text(encoding="utf-8")
    assert text == (regenerated / "README.md").read_text(encoding="utf-8")
    for stem, case in SAMPLE_CASES.items():
        assert f"`{stem}.xlsx` | {case.programme} | {case.case}" in text


# --- the generator --------------------------------------------------------------------------


def test_generator_is_deterministic() -> None:
    assert sample_trackers() == sample_trackers()
    assert sample_trackers(7) == sample_trackers(7)
    assert sample_trackers(7) != sample_trackers()


def test_portfolio_shape(trackers: dict[str, Any]) -> None:
    assert list(trackers) == list(SAMPLE_CASES)
    assert 10 <= len(trackers) <= 14
    programmes = {c.programme for c in SAMPLE_CASES.values()}
    assert 3 <= len(programmes) <= 4
    assert {t.project.programme for t in trackers.values()} == programmes
    for stem, tracker in trackers.items():
        assert 15 <= len(tracker.tasks) <= 60, stem
        assert tracker.milestones and tracker.budget and tracker.raid, stem
        assert tracker.project.project_id == SAMPLE_CASES[stem].project_id


def test_every_case_label_exists() -> None:
    assert {c.case for c in SAMPLE_CASES.values()} == set(CASES)
    assert sum(c.case == "healthy" for c in SAMPLE_CASES.values()) >= 2
    assert sum(c.case == "data_errors" for c in SAMPLE_CASES.values()) == 2
    assert [c.layout for c in SAMPLE_CASES.values()].count("drifted") == 1


def test_status_dates_are_never_in_the_future(trackers: dict[str, Any]) -> None:
    for stem, tracker in trackers.items():
        status = tracker.project.status_date
        assert status is not None and status <= SAMPLES_AS_OF <= DESIGNED_ON, stem
        stale = (SAMPLES_AS_OF - status).days > Settings().rag.stale_days
        assert stale == SAMPLE_CASES[stem].stale, stem


def test_no_actual_after_the_status_date_in_clean_samples(trackers: dict[str, Any]) -> None:
    for stem, t in trackers.items():
        if SAMPLE_CASES[stem].errors:
            continue
        d = t.project.status_date
        dates = [x.actual_start for x in t.tasks] + [x.actual_finish for x in t.tasks]
        dates += [m.actual_date for m in t.milestones]
        assert all(x is None or x <= d for x in dates), stem
        assert all(b.actual is None or b.period <= d for b in t.budget), stem


def test_standard_tracker_has_the_requested_size_and_is_seeded() -> None:
    def make(seed: int) -> Any:
        return standard_tracker(
            random.Random(seed),
            "BEN-0001",
            dt.date(2026, 11, 16),
            tasks=120,
            milestones=12,
            months=9,
            raid=17,
        )

    t = make(3)
    assert (len(t.tasks), len(t.milestones), len(t.budget), len(t.raid)) == (120, 12, 9, 17)
    assert t == make(3)
    assert t != make(4)
    default = standard_tracker(random.Random(1), "BEN-0002", dt.date(2026, 11, 16))
    assert (
        len(default.tasks),
        len(default.milestones),
        len(default.budget),
        len(default.raid),
    ) == (
        200,
        20,
        12,
        30,
    )


def test_drifted_headers_are_synonyms_from_the_model() -> None:
    for (key, name), header in {**DRIFT_HEADERS}.items():
        assert header in sheet(key).field(name).synonyms
    for (key, name), header in DRIFT_ODD_HEADERS.items():
        canonical = sheet(key).field(name)
        folded = " ".join(header.split()).casefold()
        assert folded in {canonical.header.casefold(), *(s.casefold() for s in canonical.synonyms)}
    for key, name in DRIFT_SHEETS:
        assert name in sheet(key).sheet_names
    tasks = sheet("Tasks")
    assert drift_header(tasks, 5, tasks.field("planned_finish")) == "Due Date"


# --- the cases land where they say (needs the RAG engine and the validator) -----------------


@pytest.mark.parametrize("seed", [2026, 1, 99])
def test_each_case_lands_where_it_says(seed: int) -> None:
    settings = Settings()
    for stem, tracker in sample_trackers(seed):
        case = SAMPLE_CASES[stem]
        a = rag.assess(tracker, settings, SAMPLES_AS_OF)
        got: dict[str, Rag] = {
            "schedule": a.schedule.rag,
            "cost": a.cost.rag,
            "risk": a.risk.rag,
            "overall": a.overall,
        }
        want = {k: getattr(case, k) for k in got if getattr(case, k) is not None}
        assert {k: got[k] for k in want} == want, (stem, a.reasons)
        assert (a.stale, a.optimism) == (case.stale, case.optimism), stem


def test_cases_hold_when_the_portfolio_is_moved_in_time() -> None:
    later = SAMPLES_AS_OF + dt.timedelta(days=60)
    for stem, tracker in sample_trackers(as_of=later):
        a = rag.assess(tracker, Settings(), later)
        assert a.stale == SAMPLE_CASES[stem].stale, stem
        if SAMPLE_CASES[stem].overall is not None:
            assert a.overall == SAMPLE_CASES[stem].overall, stem


@pytest.mark.parametrize("stem", list(SAMPLE_CASES))
def test_committed_sample_has_exactly_its_planted_errors(stem: str) -> None:
    report = check_file(SAMPLES / f"{stem}.xlsx", Settings(), as_of=SAMPLES_AS_OF)
    errors = sorted({f.rule for f in report.findings if f.severity == "error"})
    warnings = sorted({f.rule for f in report.findings if f.severity == "warning"})
    assert errors == sorted(SAMPLE_CASES[stem].errors)
    assert warnings == (["project.stale"] if SAMPLE_CASES[stem].stale else [])
