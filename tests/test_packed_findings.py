"""A large run holds each tracker's findings packed, and reads and writes them as before.

:class:`~addin.core.packed_findings.PackedFindings` reads exactly as the list of findings
it was made from (items, slices, equality, pickling, each value equal and of its type);
a large run holds its trackers' findings so and writes the same portfolio, reports and
counts as a small run that holds them as tuples, with the findings the day and the other
files add (a stale Status Date, a Project ID claimed twice) set among them
(:class:`~addin.core.packed_findings.PackedWithAdded`).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import pickle
import zipfile
from pathlib import Path

import pytest

import addin.core.timing as timing
from addin.core.chunked import Chunked
from addin.core.findings import FileReport, FileStatus, Finding, Severity, errors_in, severities
from addin.core.packed_findings import PackedFindings, PackedWithAdded
from addin.core.rule_ids import RuleId
from addin.core.settings import Settings
from addin.core.tracker import replace
from addin.engine import consolidate as consolidate_module
from addin.engine.consolidate import consolidate
from addin.engine.pipeline import failed
from addin.engine.run import PortfolioRun
from addin.engine.wire import received, send_outcome
from addin.outputs.portfolio import write_portfolio
from addin.outputs.portfolio.writer import prerender_for
from tests.builders import base_project, base_tracker, write

AS_OF = dt.date(2026, 11, 20)


def _findings() -> list[Finding]:
    message, value = "Status is not an allowed value", "Stuck"
    out = [
        Finding(
            RuleId.VALUE_NOT_ALLOWED,
            Severity.ERROR,
            message,
            "a.xlsx",
            "Tasks",
            r,
            9,
            "Status",
            value,
        )
        for r in (3, 4, 300, 70_000)
    ]
    out.append(Finding(RuleId.SHEET_TRUNCATED, Severity.WARNING, "cut", "a.xlsx", "Tasks"))
    out.append(Finding(RuleId.FILE_NOT_A_TRACKER, Severity.ERROR, "no tracker", "a.xlsx"))
    return out


def test_they_read_as_the_list_they_were_made_from() -> None:
    findings = _findings()
    packed = PackedFindings(findings)

    assert len(packed) == len(findings)
    assert list(packed) == findings and packed == findings and findings == packed
    assert packed[0] == findings[0] and packed[-1] == findings[-1]
    assert packed[1:4] == findings[1:4] and packed[::-2] == findings[::-2]
    assert all(type(f) is Finding for f in packed)
    with pytest.raises(IndexError):
        packed[len(findings)]
    assert packed != findings[:-1] and packed != [*findings[:-1], findings[0]]
    assert PackedFindings([]) == [] and list(PackedFindings([])) == []


def test_each_value_reads_back_equal_and_of_its_type() -> None:
    findings = _findings()
    packed = PackedFindings(findings)

    for field in Finding._fields:
        got = [getattr(f, field) for f in packed]
        assert got == [getattr(f, field) for f in findings], field
        assert [type(v) for v in got] == [type(getattr(f, field)) for f in findings], field
    assert all(
        f.severity is g.severity and f.rule is g.rule for f, g in zip(packed, findings, strict=True)
    )
    assert [f.row for f in packed] == [3, 4, 300, 70_000, None, None]
    assert packed.severities() == [f.severity for f in findings]


def test_a_severity_that_is_no_severity_is_read_from_the_findings() -> None:
    odd = _findings()[0]._replace(severity="error")
    findings = [*_findings(), odd]
    packed = PackedFindings(findings)

    assert packed == findings and type(packed[-1].severity) is str
    assert packed.severities() == [f.severity for f in findings]


def test_they_pickle_as_the_plain_list_the_cache_accepts() -> None:
    findings = _findings()
    back = pickle.loads(pickle.dumps(PackedFindings(findings)))
    assert type(back) is list and back == findings


def test_a_result_holding_them_pickles_its_findings_as_plain_tuples() -> None:
    plain, held = (failed("a.xlsx", FileStatus.INVALID, "x") for _ in range(2))
    plain.findings, held.findings = _findings(), PackedFindings(_findings())

    data = pickle.dumps(held)
    assert b"Finding" not in data and b"Finding" not in pickle.dumps(plain)  # no class named
    back = pickle.loads(data)
    assert type(back.findings) is list and back.findings == plain.findings
    assert all(type(f) is Finding for f in back.findings)


def test_a_worker_sends_them_to_its_run_packed_and_only_to_its_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cut, *errors = _findings()[4], *_findings()[:4]
    findings = [cut, *errors, *(errors[0]._replace(row=r) for r in range(10, 250))]
    mine, theirs = multiprocessing.Pipe()
    timing.take()  # the phases sent after the outcome: none left from other tests
    send_outcome(theirs, 7, ("ok", PackedFindings(findings)))
    raw = mine.recv_bytes()
    send_outcome(theirs, 8, ("ok", findings))
    plain = mine.recv_bytes()
    index, status, payload, _ = received(raw)

    assert (index, status, type(payload)) == (7, "ok", PackedFindings)
    assert len(raw) < len(plain) // 4  # their bytes, not 245 tuples
    assert payload.severities() == [f.severity for f in findings]
    monkeypatch.setattr(PackedFindings, "_findings", lambda self: pytest.fail("made again"))
    assert payload[1] == errors[0]  # the first error came with them
    monkeypatch.undo()
    assert payload == findings
    back = pickle.loads(pickle.dumps(payload))  # any other pickle: plain tuples, as the cache's
    assert type(back) is list and back == findings and {type(f) for f in back} == {tuple}


def test_severities_are_counted_without_making_the_findings_again() -> None:
    findings = _findings()
    packed = PackedFindings(findings)
    chunked = Chunked([packed, findings])

    assert list(severities(packed)) == [f.severity for f in findings]
    assert errors_in(packed) == 5 and errors_in(chunked) == 10
    report = FileReport("a.xlsx", findings=packed)
    assert (report.errors, report.warnings) == (5, 1)
    report.settle()
    assert report.reason.startswith("5 errors; first: Tasks!J4: Status is not")


def test_the_first_error_names_the_file_without_the_rest_made_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cut, *errors = _findings()[4], *_findings()[:4]
    packed = PackedFindings([cut, *errors])

    monkeypatch.setattr(PackedFindings, "_findings", lambda self: pytest.fail("made again"))
    assert packed[1] == errors[0] and packed[-4] == errors[0]
    report = FileReport("a.xlsx", findings=packed)
    report.settle()
    assert (report.errors, report.warnings) == (4, 1)
    assert report.reason == "4 errors; first: Tasks!J4: Status is not an allowed value"


def test_findings_added_among_packed_ones_read_as_the_merged_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    own = _findings()[:4]  # four errors, rows 3, 4, 300, 70,000
    added = [_findings()[4], _findings()[5]]  # a warning, an error
    merged = [added[0], *own[:2], added[1], *own[2:]]
    held = PackedWithAdded(PackedFindings(own), added, (0, 3))

    assert held == merged and list(held) == merged and len(held) == 6
    assert held[1:5] == merged[1:5] and held[-1] == merged[-1]
    assert held.severities() == [f.severity for f in merged]
    assert pickle.loads(pickle.dumps(held)) == merged
    monkeypatch.setattr(PackedFindings, "_findings", lambda self: pytest.fail("made again"))
    assert [held[0], held[3]] == added  # the added ones, and the first error, as they are
    assert held[1] == own[0] and errors_in(held) == 5
    report = FileReport("a.xlsx", findings=held)
    report.settle()
    assert report.reason == "5 errors; first: Tasks!J4: Status is not an allowed value"


@pytest.mark.parametrize(
    ("added", "at"),
    [((1, 2), (0,)), ((1,), (3,)), ((1, 2), (2, 1)), ((1, 2), (1, 1))],
    ids=["a place short", "past the end", "not ascending", "one place twice"],
)
def test_added_findings_need_one_place_each_within_the_list(
    added: tuple[int, ...], at: tuple[int, ...]
) -> None:
    own = PackedFindings(_findings()[:1])
    with pytest.raises(ValueError, match="added finding"):
        PackedWithAdded(own, [_findings()[i] for i in added], at)


def _folder(tmp_path: Path) -> Path:
    """Four trackers with findings; two claiming one Project ID, one stale at AS_OF."""
    folder = tmp_path / "in"
    folder.mkdir()
    tasks = list(base_tracker().tasks)
    stuck = [replace(t, status="Stuck") if i < 4 else t for i, t in enumerate(tasks)]
    projects = [
        base_project(project_id="PRJ-0701", project_name="One"),
        base_project(project_id="PRJ-0701", project_name="Two", status_date=dt.date(2026, 11, 2)),
        base_project(project_id="PRJ-0703", status_date=dt.date(2026, 8, 3)),  # stale
        base_project(project_id="PRJ-0704", status_date=dt.date(2026, 11, 16)),  # nothing added
    ]
    for i, project in enumerate(projects):
        write(folder / f"t{i}.xlsx", base_tracker(project=project, tasks=stuck))
    return folder


def _run(
    folder: Path, monkeypatch: pytest.MonkeyPatch, large: bool, cache: Path | None = None
) -> PortfolioRun:
    monkeypatch.setattr(consolidate_module, "LARGE_RUN", 2 if large else 2_000)
    monkeypatch.setattr(consolidate_module, "PACK_FINDINGS_FROM", 2)  # these files hold a few
    settings = Settings()
    files = sorted(folder.iterdir())
    prepare = prerender_for(settings)
    run = consolidate(files, settings, as_of=AS_OF, jobs=1, prepare=prepare, cache_path=cache)
    run.generated = "2026-11-20T09:00:00"
    return run


def test_a_large_run_holds_its_findings_packed_and_writes_the_same_portfolio(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path)
    large = _run(folder, monkeypatch, large=True)
    small = _run(folder, monkeypatch, large=False)

    # with the day's findings set among them (claimed twice; stale), and the last as it was
    assert [type(r.findings) for r in large.reports] == [*[PackedWithAdded] * 3, PackedFindings]
    assert all(type(r.findings) is list for r in small.reports)
    assert [bool(r.added_at) for r in large.reports] == [True, True, True, False]
    assert list(large.findings) == list(small.findings)
    assert large.errors == small.errors > 0
    assert [(r.status, r.reason, r.added_at) for r in large.reports] == [
        (r.status, r.reason, r.added_at) for r in small.reports
    ]
    settings = Settings()
    parts = []
    for name, run in (("large.xlsx", large), ("small.xlsx", small)):
        with zipfile.ZipFile(write_portfolio(tmp_path / name, run, settings)) as zf:
            parts.append({n: zf.read(n) for n in zf.namelist()})
    assert parts[0].keys() == parts[1].keys()
    findings_part = next(n for n in parts[0] if b"Stuck" in parts[0][n])  # the Findings sheet
    assert parts[0][findings_part] == parts[1][findings_part]
    added = {str(r.findings[i].rule) for r in large.reports for i in r.added_at}
    assert len(added) == 2 and all(rule.encode() in parts[0][findings_part] for rule in added)
    # every part the same but the Load Log's seconds (in its sheet part)
    assert len([n for n in parts[0] if parts[0][n] != parts[1][n]]) <= 1


def test_a_large_run_s_workers_pack_the_findings_and_the_run_takes_them_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, packers = _folder(tmp_path), tmp_path / "packed-in.txt"
    pack = PackedFindings.__init__

    def noted(self: PackedFindings, findings: list[Finding]) -> None:
        with packers.open("a", encoding="utf-8") as fh:  # a worker's: another process
            fh.write(f"{os.getpid()}\n")
        pack(self, findings)

    monkeypatch.setattr(PackedFindings, "__init__", noted)
    large = _run(folder, monkeypatch, large=True)

    pids = packers.read_text("utf-8").split()
    assert len(pids) == 4 and str(os.getpid()) not in pids  # each file's, none in the run
    assert [type(r.findings) for r in large.reports] == [*[PackedWithAdded] * 3, PackedFindings]
    packers.unlink()
    small = _run(folder, monkeypatch, large=False)
    assert not packers.exists()  # a small run packs nothing
    assert list(large.findings) == list(small.findings)


def test_a_large_run_stores_its_packed_findings_as_the_cache_s_plain_lists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, cache = _folder(tmp_path), tmp_path / "cache.sqlite"
    first = _run(folder, monkeypatch, large=True, cache=cache)
    assert first.cache_hits == 0

    again = _run(folder, monkeypatch, large=False, cache=cache)

    assert again.cache_hits == 4  # every entry sound, read back as plain lists
    assert list(again.findings) == list(first.findings)
