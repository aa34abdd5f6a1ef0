"""The tree shows the layers, and the real import graph respects them.

Layers, lowest first; a module may import only from its own layer or those below::

    core < ooxml < read < checks, rag < engine < resources < outputs, history < demo < app
    < excel < cli

Every import counts, including those inside functions (a lazy import is still a
dependency). Modules in one layer that are peers (``checks`` and ``rag``) may not import
each other (``outputs`` and ``history``: the dashboard takes the trend as data, and the
history never renders). The command line is the outermost layer: it also builds and installs the
Excel add-in. There are no import cycles between modules, no module is over 400 lines,
and only ``addin/excel/`` imports xlwings.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ADDIN = Path(__file__).resolve().parent.parent / "addin"

#: Top-level package -> rank; equal ranks are peers that must not import each other.
LAYERS: dict[str, int] = {
    "core": 0,
    "ooxml": 1,
    "read": 2,
    "checks": 3,
    "rag": 3,
    "engine": 4,
    "resources": 5,
    "outputs": 6,
    "history": 6,
    "demo": 7,
    "app": 8,
    "excel": 9,
    "cli": 10,
}
#: Modules at the package root, above every layer (entry points and package metadata).
ROOT_MODULES = {"addin", "addin.__main__"}
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(ADDIN.rglob("*.py")):
        parts = path.relative_to(ADDIN.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _imports(name: str, path: Path) -> set[str]:
    """Every addin module ``path`` imports, anywhere in it (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
    return {m for m in found if m == "addin" or m.startswith("addin.")}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for imported in _imports(name, path):
            # "from addin.core import words" names a module; "from addin.core.words import x"
            # names an attribute: keep the longest prefix that is a module.
            while imported not in modules and "." in imported:
                imported = imported.rpartition(".")[0]
            if imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None


def test_every_module_belongs_to_a_layer() -> None:
    orphans = [m for m in _modules() if m not in ROOT_MODULES and _layer(m) is None]
    assert orphans == []


def test_no_import_goes_up_a_layer_or_sideways_between_peers() -> None:
    wrong = []
    for source, targets in _graph().items():
        here = _layer(source)
        for target in targets:
            there = _layer(target)
            if here is None or there is None or here == there:
                continue
            if LAYERS[there] >= LAYERS[here]:
                wrong.append(f"{source} -> {target} ({here} may not import {there})")
    assert sorted(wrong) == []


def test_the_root_package_imports_no_layer() -> None:
    graph = _graph()
    assert {t for t in graph["addin"] if _layer(t)} == set()


def test_no_import_cycles() -> None:
    graph = _graph()
    state: dict[str, int] = defaultdict(int)  # 0 new, 1 on the stack, 2 done
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state[nxt] == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif state[nxt] == 0:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if state[node] == 0:
            visit(node, [])
    assert cycles == []


def test_the_check_sees_real_imports() -> None:
    """The walk is not vacuous: known edges of the tree are found."""
    graph = _graph()
    assert "addin.core.findings" in graph["addin.engine.pipeline"]
    assert any(
        t.startswith("addin.app") for t in graph["addin.cli"] | graph.get("addin.cli.app", set())
    )
    assert any(t.startswith("addin.engine") for t in graph["addin.app.consolidate"])


def test_no_module_is_over_the_size_limit() -> None:
    big = {
        str(p.relative_to(ADDIN.parent)): n
        for p in ADDIN.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert big == {}
