"""A tracker's findings are sorted once, where they are found; a run sets its own among them.

:func:`~addin.engine.pipeline.measured` sorts a result's findings as a reader scans the
workbook, and :func:`~addin.engine.pipeline.finish` merges the day's findings in
(:func:`~addin.core.findings.merge_findings`) instead of sorting hundreds of findings
again for every file of every run (issue 17). The report must hold exactly what sorting
everything gave.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from addin.core.findings import Finding, Severity, merge_findings, sort_findings
from addin.core.rules import RuleBook
from addin.core.settings import Settings
from addin.core.tracker import replace
from addin.engine.cache_payload import dumps
from addin.engine.cached_result import from_cache
from addin.engine.packed import pack_columns
from addin.engine.pipeline import check_tracker, finish
from tests.builders import STATUS_DATE, base_project, base_tracker, write

SHEETS = ("Project", "Tasks", "Milestones", "RAID Log")


def _random_finding(rng: random.Random) -> Finding:
    return Finding(
        rule=rng.choice(("task.status_allowed", "task.owner_missing", "project.stale")),
        severity=rng.choice((Severity.ERROR, Severity.WARNING)),
        message=f"m{rng.randrange(1000)}",
        file=rng.choice(("a.xlsx", "b.xlsx")),
        sheet=rng.choice((*SHEETS, "", "Not in the order")),
        row=rng.choice((None, 0, 1, 2, 7)),
        col=rng.choice((None, 0, 3)),
    )


def _ids(findings: list[Finding]) -> list[int]:
    return [id(f) for f in findings]


def test_merging_gives_the_order_sorting_everything_gives() -> None:
    rng = random.Random(17)
    for _ in range(300):
        order = rng.sample(SHEETS, rng.randrange(len(SHEETS) + 1))
        own = sort_findings([_random_finding(rng) for _ in range(rng.randrange(40))], order)
        added = [_random_finding(rng) for _ in range(rng.randrange(6))]
        merged = merge_findings(own, added, order)
        # the same objects in the same places, equal keys included (the sort is stable:
        # a file's own findings come before the run's of the same key)
        assert _ids(merged) == _ids(sort_findings([*own, *added], order))
    assert merge_findings(own, [], order) == own and merge_findings(own, [], order) is not own


def _messy(folder: Path) -> Path:
    tasks = list(base_tracker().tasks)
    for i in range(12):
        tasks.insert(i % 5, replace(tasks[-1], task_id=f"X-{i}", status=f"odd {i}", owner=None))
    stale = replace(base_project(), status_date=STATUS_DATE - dt.timedelta(days=60))
    return write(folder / "messy.xlsx", base_tracker(project=stale, tasks=tasks))


def test_a_result_holds_its_findings_sorted_and_a_report_adds_the_days_among_them(
    tmp_path: Path,
) -> None:
    settings = Settings()
    rules = RuleBook(dict(settings.rules))
    result = check_tracker(_messy(tmp_path), settings, rules)
    assert len(result.findings) > 20
    assert _ids(result.findings) == _ids(sort_findings(result.findings, result.sheet_order))

    claimed = rules.finding("project.duplicate_id", file=result.file, sheet="Project", row=1)
    assert claimed is not None
    report = finish(result, settings, STATUS_DATE + dt.timedelta(days=3), rules, extra=[claimed])
    added = [f for i, f in enumerate(report.findings) if i in report.added_at]
    assert claimed in added and any(f.rule == "project.stale" for f in added)
    everything = sort_findings([*result.findings, *added], result.sheet_order)
    assert _ids(report.findings) == _ids(everything)


def test_a_cache_entry_checked_on_loading_has_its_findings_sorted_again(tmp_path: Path) -> None:
    result = check_tracker(_messy(tmp_path), Settings())
    expected = [(f.sheet, f.row, f.col, f.rule) for f in result.findings]
    result.findings.reverse()  # as another user's entry might hold them
    for table in result.tables.values():
        table.columns = pack_columns(table.columns)
    blob = dumps(result)

    checked = from_cache(blob, result.file)
    assert checked is not None
    assert [(f.sheet, f.row, f.col, f.rule) for f in checked.findings] == expected
    # an entry this user's pmo sealed is what it wrote (sorted, by check_tracker): as is
    sealed = from_cache(blob, result.file, checked=False)
    assert sealed is not None
    assert [(f.sheet, f.row, f.col, f.rule) for f in sealed.findings] == expected[::-1]
