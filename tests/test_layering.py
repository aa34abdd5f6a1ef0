"""The engine never imports xlwings: only ``addin/excel/`` may (it is the Excel layer).

So the engine runs on a server with no Excel, and the command line starts fast.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ADDIN = Path(__file__).resolve().parent.parent / "addin"
EXCEL_LAYER = ADDIN / "excel"


def _xlwings_imports(path: Path) -> list[str]:
    """Every way ``path`` imports xlwings, as "line: statement"."""
    source = path.read_text(encoding="utf-8")
    found = []
    for node in ast.walk(ast.parse(source, str(path))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        if any(n == "xlwings" or n.startswith("xlwings.") for n in names):
            found.append(f"{node.lineno}: {ast.unparse(node)}")
    # importlib.import_module("xlwings") or __import__("xlwings") would dodge the AST check.
    for m in re.finditer(r"""(import_module|__import__)\(\s*["']xlwings""", source):
        found.append(f"{source.count(chr(10), 0, m.start()) + 1}: {m.group(0)}")
    return found


def _engine_files() -> list[Path]:
    return [p for p in sorted(ADDIN.rglob("*.py")) if EXCEL_LAYER not in p.parents]


def test_the_scan_finds_xlwings_imports() -> None:
    assert _xlwings_imports(EXCEL_LAYER / "xlfunc.py")  # udfs.py's decorators
    assert _xlwings_imports(EXCEL_LAYER / "xw_book.py")


def test_no_engine_module_imports_xlwings() -> None:
    files = _engine_files()
    assert len(files) > 20 and ADDIN / "cli" / "app.py" in files
    offenders = {
        str(p.relative_to(ADDIN.parent)): hits for p in files if (hits := _xlwings_imports(p))
    }
    assert offenders == {}


def test_the_engine_and_the_ribbon_load_without_xlwings() -> None:
    modules = [
        "addin.cli",
        "addin.engine.consolidate",
        "addin.outputs.portfolio",
        "addin.outputs.annotate",
        "addin.outputs.template",
        "addin.rag",
        "addin.read",
        "addin.excel.ribbon",
        "addin.excel.book",
        "addin.excel.xlam",
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'xlwings' or m.startswith('xlwings.'))\n"
        "print(','.join(loaded))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
