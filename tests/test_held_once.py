"""A tracker's equal finding texts are held by one string each (issue 17).

A check formats a message for each cell it flags, so a messy tracker's hundreds of
findings repeat a few texts as as many strings: each was pickled to the run and into
the cache, unpickled, and kept in the run's memory once a finding. ``held_once`` keeps
each text once; the findings stay equal, in order, and of their type.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from addin.core.findings import Finding, Severity, held_once
from addin.core.rule_ids import RuleId
from addin.core.settings import Settings
from addin.core.tracker import replace
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
