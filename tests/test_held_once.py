"""A tracker's equal finding texts are held by one string each (issue 17).

A check formats a message for each cell it flags, so a messy tracker's hundreds of
findings repeat a few texts as as many strings: each was pickled to the run and into
the cache, unpickled, and kept in the run's memory once a finding. ``held_once`` keeps
each text once, in the worker; in a large run, the run's process holds the texts of all
its trackers' findings once (``share_values``). The findings stay equal, in order, and of
their type.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from addin.core.findings import Finding, Severity, held_once
from addin.core.packed_findings import PackedFindings
from addin.core.rule_ids import RuleId
from addin.core.settings import Settings
from addin.core.shared_values import ValuePool
from addin.core.tracker import replace
from addin.engine import consolidate as consolidate_module
from addin.engine.consolidate import share_values
from addin.engine.pipeline import check_tracker
from tests.builders import base_tracker, write


def _text(s: str) -> str:
    """``s`` as a string object of its own (not the literal the compiler shares)."""
    return "".join(list(s))


def _finding(row: int, message: str, value: str) -> Finding:
    return Finding(
        RuleId.VALUE_NOT_ALLOWED,
        Severity.ERROR,
        _text(message),
        "t.xlsx",
        "Tasks",
        row,
        9,
        "Status",
        _text(value),
    )


def test_equal_messages_and_values_are_one_string_and_the_findings_are_unchanged() -> None:
    findings = [_finding(r, f"Status '{v}' is not allowed", v) for r, v in enumerate("ABAABA")]
    assert findings[0].message is not findings[2].message  # the premise: separate strings

    held = held_once(findings)

    assert held == findings
    assert all(type(f) is Finding for f in held)
    by_text: dict[str, set[int]] = {}
    for f in held:
        by_text.setdefault(f.message, set()).add(id(f.message))
        by_text.setdefault(f.value, set()).add(id(f.value))
    assert {text: len(ids) for text, ids in by_text.items()} == {
        "Status 'A' is not allowed": 1,
        "Status 'B' is not allowed": 1,
        "A": 1,
        "B": 1,
    }
    assert len(pickle.dumps(held)) < len(pickle.dumps(findings))


def test_a_value_that_is_no_text_leaves_the_findings_as_they_are() -> None:
    odd = _finding(1, "odd", "x")._replace(value=["not", "hashable"])  # type: ignore[arg-type]
    findings = [_finding(0, "odd", "x"), odd]

    assert held_once(findings) is findings
    assert held_once([]) == []


def test_a_checked_tracker_holds_each_repeated_message_once(tmp_path: Path) -> None:
    tasks = list(base_tracker().tasks)
    tasks = [replace(t, status="Stuck") if i < 4 else t for i, t in enumerate(tasks)]
    path = write(tmp_path / "t.xlsx", base_tracker(tasks=tasks))

    findings = check_tracker(path, Settings()).findings

    stuck = [f for f in findings if f.rule == RuleId.VALUE_NOT_ALLOWED and f.value == "Stuck"]
    assert len(stuck) >= 3
    assert len({id(f.message) for f in stuck}) == 1
    assert len({id(f.value) for f in stuck}) == 1


def _stuck(tmp_path: Path, name: str) -> Path:
    tasks = list(base_tracker().tasks)
    tasks = [replace(t, status="Stuck") if i < 4 else t for i, t in enumerate(tasks)]
    return write(tmp_path / name, base_tracker(tasks=tasks))


def test_a_large_run_holds_the_texts_of_all_its_trackers_findings_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Findings too few to pack (see engine.consolidate.PACK_FINDINGS_FROM): pooled."""
    monkeypatch.setattr(consolidate_module, "PACK_FINDINGS_FROM", 1_000)
    first = check_tracker(_stuck(tmp_path, "a.xlsx"), Settings())
    second = check_tracker(_stuck(tmp_path, "b.xlsx"), Settings())
    before = list(second.findings)
    assert {id(f.message) for f in first.findings}.isdisjoint(id(f.message) for f in before)
    pool = ValuePool()

    kept = first.findings
    share_values(first, pool)
    share_values(second, pool)

    assert first.findings is kept  # the first texts seen are the run's: nothing to change
    assert second.findings == before
    assert all(type(f) is Finding for f in second.findings)
    runs = {f.message: id(f.message) for f in first.findings}
    assert {id(f.message) for f in second.findings} <= set(runs.values())
    values = {f.value: id(f.value) for f in first.findings}
    assert all(id(f.value) == values[f.value] for f in second.findings)


def test_a_large_run_packs_a_tracker_s_many_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From PACK_FINDINGS_FROM findings, their texts are held in the packed bytes."""
    monkeypatch.setattr(consolidate_module, "PACK_FINDINGS_FROM", 4)
    result = check_tracker(_stuck(tmp_path, "a.xlsx"), Settings())
    before = list(result.findings)
    assert len(before) >= consolidate_module.PACK_FINDINGS_FROM

    share_values(result, ValuePool())

    assert isinstance(result.findings, PackedFindings) and result.findings == before


def test_values_that_are_no_text_are_left_as_they_are_by_the_run_s_pool() -> None:
    findings = [_finding(0, "odd", "x"), _finding(1, "odd", "x")]
    odd = findings[1]._replace(value=3)  # type: ignore[arg-type]  # no text: not pooled

    held = held_once([findings[0], odd], ValuePool())

    assert held == [findings[0], odd]
    assert held[1].value == 3 and held[1].message is held[0].message
    assert held_once([], ValuePool()) == []
