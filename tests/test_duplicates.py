"""Duplicate Project IDs: one finding per claimant, each naming a bounded list of the others.

6,000 copies of one tracker used to cost 4.6 GB and 112 s, because every finding named
every other file (n findings of n names each). The cost in time lives in
``bench/bench_hostile.py --duplicates``; here the size of what is built is asserted.
"""

from __future__ import annotations

import datetime as dt

from addin.core.findings import FileStatus
from addin.core.kinds import Project
from addin.core.rules import RuleBook
from addin.engine.assemble import NAMED_DUPLICATES, duplicates
from addin.engine.pipeline import TrackerResult

COPIES = 2_000


def _copies(n: int) -> list[TrackerResult]:
    return [
        TrackerResult(
            file=f"/trackers/team-{i:05d}/PRJ-0042_Customer_Portal.xlsx",
            status=FileStatus.VALID,
            project=Project(project_id="PRJ-0042", status_date=dt.date(2026, 11, 1 + i % 20)),
        )
        for i in range(n)
    ]


def test_each_duplicate_finding_names_a_bounded_number_of_other_files() -> None:
    results = _copies(COPIES)
    extra, losers = duplicates(results, RuleBook({}))

    messages = [f.message for r in results for f in extra[r.file]]
    assert len(messages) == COPIES  # still one finding on every claimant
    assert {f.rule for fs in extra.values() for f in fs} == {"project.duplicate_id"}
    longest_name = max(len(r.file) for r in results)
    bound = NAMED_DUPLICATES * (longest_name + 2) + 100
    assert max(map(len, messages)) < bound
    assert sum(map(len, messages)) < COPIES * bound  # linear, not COPIES² names

    first = extra[results[0].file][0].message
    assert first == (
        "Project ID PRJ-0042 is also used by "
        f"{results[1].file}, {results[2].file}, {results[3].file} and 1,996 more"
    )
    # A file among the first few is not named as its own duplicate.
    second = extra[results[1].file][0].message
    assert results[1].file not in second and results[0].file in second
    assert second.endswith(" and 1,996 more")
    # The latest Status Date wins (the first of equals); every other file loses to it.
    winner = results[19].file
    assert len(losers) == COPIES - 1 and set(losers.values()) == {winner}


def test_a_few_duplicates_are_all_named() -> None:
    results = _copies(3)
    extra, _ = duplicates(results, RuleBook({}))
    message = extra[results[2].file][0].message
    assert message == (f"Project ID PRJ-0042 is also used by {results[0].file}, {results[1].file}")
