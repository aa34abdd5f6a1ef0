"""Rule ids live in one place: the :class:`~addin.core.rules.RuleId` enum and its table.

Code names a rule by its enum member, never by a string: a typo in a string is a rule
that silently never fires (or a finding nobody can re-level). The walk below reads
every module's real syntax tree, so a raw id anywhere else fails, and every id has a
row in the rule table (severity, description) and is named by the code that raises
it (no dead rule a settings file could re-level to no effect).
"""

from __future__ import annotations

import ast
from pathlib import Path

from addin.core.rules import RULES, RuleId

ADDIN = Path(__file__).resolve().parent.parent / "addin"
#: Where the ids are declared.
REGISTRY = {"core/rule_ids.py", "core/rule_table.py"}


def _raw_ids() -> dict[str, list[tuple[int, str]]]:
    ids = {r.value for r in RuleId}
    found: dict[str, list[tuple[int, str]]] = {}
    for path in sorted(ADDIN.rglob("*.py")):
        rel = path.relative_to(ADDIN).as_posix()
        if rel in REGISTRY:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in ids:
                found.setdefault(rel, []).append((node.lineno, node.value))
    return found


def test_no_raw_rule_id_string_outside_the_registry() -> None:
    assert _raw_ids() == {}


def test_the_walk_would_see_a_raw_id() -> None:
    tree = ast.parse('rule = "task.finish_before_start"')
    assert [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)] == [
        RuleId.TASK_FINISH_BEFORE_START.value
    ]


def test_every_rule_id_has_a_row_in_the_rule_table() -> None:
    assert {r.value for r in RuleId} == set(RULES)


def test_every_rule_id_is_raised_somewhere() -> None:
    named: set[str] = set()
    for path in sorted(ADDIN.rglob("*.py")):
        if path.relative_to(ADDIN).as_posix() in REGISTRY:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "RuleId"
            ):
                named.add(node.attr)
    assert {r.name for r in RuleId} - named == set()
