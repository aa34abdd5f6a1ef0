"""The add-in's VBA as olevba reads it from a fresh PMO.xlam: worksheet functions, hygiene.

* every worksheet function of ``addin.excel.udfs`` is a VBA function of the
  ``PMOFunctions`` module that calls Python through xlwings (no import step);
* its description, argument help and category are registered when the add-in opens;
* only ribbon callbacks and worksheet functions are visible to Excel's user;
* Windows-only calls are compiled only on Windows (``#If Mac Then ... #Else``).
"""

from __future__ import annotations

import ast
import inspect
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from oletools.olevba import VBA_Parser

from addin.excel import udfs
from addin.excel.udf_vba import FUNCTIONS_MODULE, function_docs, functions_module
from addin.excel.xlfunc import recorded

from .conftest import MACROS

UDF_NAMES = sorted(name for name in udfs.__all__ if name.startswith("PMO_"))
PROCEDURE = re.compile(
    r"^[ \t]*(?:(Public|Private|Friend)[ \t]+)?(?:Static[ \t]+)?(Sub|Function)[ \t]+(\w+)"
    r"\(([^)]*)\)",
    re.IGNORECASE | re.MULTILINE,
)


@pytest.fixture(scope="module")
def modules(built_addin: Path) -> dict[str, str]:
    """Module file name (``PMO.bas``, ``ThisWorkbook.cls`` ...) -> source, as olevba reads it."""
    parser = VBA_Parser(str(built_addin), relaxed=False)
    return {name: code for _, _, name, code in parser.extract_macros()}


def test_every_worksheet_function_is_a_vba_function_calling_python(
    modules: dict[str, str],
) -> None:
    assert UDF_NAMES == [
        "PMO_CHECK",
        "PMO_CPI",
        "PMO_EAC",
        "PMO_LOAD",
        "PMO_PORTFOLIO",
        "PMO_RAG",
        "PMO_SPI",
        "PMO_TREND",
    ]
    code = modules[f"{FUNCTIONS_MODULE}.bas"]
    found = {m.group(3): m for m in PROCEDURE.finditer(code)}
    assert sorted(found) == UDF_NAMES
    for name in UDF_NAMES:
        params = list(inspect.signature(getattr(udfs, name)).parameters.values())
        declared = [p.strip() for p in found[name].group(4).split(",")]
        assert declared == [
            ("Optional " if p.default is not inspect.Parameter.empty else "") + p.name
            for p in params
        ]
        assert found[name].group(1) is None and found[name].group(2) == "Function"  # public
        arguments = ", ".join(p.name for p in params)
        call = (
            f'{name} = XLPy.CallUDF("addin.excel.udfs", "{name}", Array({arguments}), '
            "ActiveWorkbook, Application.Caller)"
        )
        assert call in code
    assert '#Const App = "Microsoft Excel"' in code


def test_the_wrappers_are_what_xlwings_generator_writes() -> None:
    """Generated, not hand-written: a decorator change in udfs.py changes the module."""
    source = functions_module().source
    assert "generate_vba_wrapper" in source
    original = recorded(udfs.PMO_RAG)
    assert [kind for kind, _, _ in original] == ["arg", "arg", "func"]
    try:
        udfs.PMO_RAG.__pmo_xlwings__ = [  # type: ignore[attr-defined]
            *original[:2],
            ("func", (), {"category": "PMO", "volatile": True}),
        ]
        volatile = functions_module().source
    finally:
        udfs.PMO_RAG.__pmo_xlwings__ = original  # type: ignore[attr-defined]
    assert "Application.Volatile" not in source
    assert volatile.count("Application.Volatile") == 1


def test_generating_leaves_no_pywin32_stand_ins_behind() -> None:
    code = (
        "import sys; from addin.excel.udf_vba import functions_module; functions_module(); "
        "print(sorted(m for m in ('pythoncom', 'pywintypes', 'win32com', 'win32com.client', "
        "'xlwings.udfs') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "[]"


def test_the_add_in_registers_each_functions_help_when_it_opens(modules: dict[str, str]) -> None:
    code = modules["ThisWorkbook.cls"]
    assert "Private Sub Workbook_Open()" in code
    docs = {doc.name: doc for doc in function_docs()}
    assert sorted(docs) == UDF_NAMES
    for name in UDF_NAMES:
        doc = docs[name]
        function = getattr(udfs, name)
        assert doc.description == " ".join(inspect.getdoc(function).split())[:255]  # type: ignore[union-attr]
        assert doc.category == "PMO"
        params = inspect.signature(function).parameters
        assert len(doc.arguments) == len(params)
        assert all(doc.arguments) and not any(
            a.startswith("Positional argument") for a in doc.arguments
        )
        literal = '"' + doc.description.replace('"', '""') + '"'
        assert f'    PMO_Describe "{name}", {literal}, _' in code
    assert "Application.MacroOptions Macro:=macroName, Description:=description" in code
    assert "ThisWorkbook.IsAddin = False" in code  # the retry for error 1004


def _option_private(code: str) -> bool:
    return re.search(r"^Option Private Module\s*$", code, re.MULTILINE) is not None


def test_only_callbacks_and_worksheet_functions_are_visible_to_the_user(
    modules: dict[str, str],
) -> None:
    """Excel lists every non-Private Function of a standard module as a worksheet function,
    and every non-Private argument-less Sub as a macro, unless the module says
    Option Private Module. Ours: the six functions and no macro; the ribbon callback
    takes an argument, so it is listed nowhere."""
    functions, macros, callbacks = set(), set(), set()
    for name, code in modules.items():
        if not name.endswith(".bas") or _option_private(code):
            continue
        for m in PROCEDURE.finditer(code):
            if (m.group(1) or "").lower() == "private":
                continue
            if m.group(2).lower() == "function":
                functions.add(m.group(3))
            elif m.group(4).strip():
                callbacks.add(m.group(3))
            else:
                macros.add(m.group(3))
    assert sorted(functions) == UDF_NAMES
    assert macros == set()
    assert callbacks == {"PMO_OnAction"}
    assert _option_private(modules["PMOSupport.bas"])
    assert _option_private(modules["xlwings.bas"])


def test_windows_only_calls_are_compiled_only_on_windows() -> None:
    """Application.FileDialog is in the #Else branch of #If Mac Then, so Mac's VBA
    never compiles it; AppleScript-only calls sit in the Mac branch."""
    for path in sorted(MACROS.glob("*.bas")):
        branch: list[str] = []
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            text = line.strip()
            if re.match(r"#If\s+Mac\s+Then", text, re.IGNORECASE):
                branch.append("mac")
            elif re.match(r"#If\b", text, re.IGNORECASE):
                branch.append("other")
            elif re.match(r"#Else\b", text, re.IGNORECASE) and branch:
                branch[-1] = {"mac": "windows"}.get(branch[-1], branch[-1])
            elif re.match(r"#End If\b", text, re.IGNORECASE):
                branch.pop()
            elif "FileDialog" in text and not text.startswith("'"):
                assert branch and branch[-1] == "windows", f"{path.name}:{number}"
            elif re.search(r"\b(MacScript|AppleScriptTask)\b", text) and not text.startswith("'"):
                assert branch and branch[-1] == "mac", f"{path.name}:{number}"
        assert branch == [], path.name


# --- the escaping of values passed to Python -----------------------------------------------------

SAFE = re.compile(r"^'[A-Za-z0-9 \-_.,:/+=@()\\]*'$")


def py_string(text: str) -> str:
    """The algorithm of PMOSupport.PMO_PyString, in Python (LibreOffice runs the VBA itself:
    tests/excel/test_xlam_libreoffice.py checks both give the same literal)."""
    out = []
    for unit in text.encode("utf-16-le", "surrogatepass").hex(" ", 2).split():
        code = int.from_bytes(bytes.fromhex(unit), "little")
        ch = chr(code)
        if ch.isascii() and (ch.isalnum() or ch in " -_.,:/+=@()"):
            out.append(ch)
        elif code < 256:
            out.append(f"\\x{code:02x}")
        else:
            out.append(f"\\u{code:04x}")
    return "'" + "".join(out) + "'"


TRICKY = [
    r"C:\Users\O'Brien\100% " + '"done"' + "\\Zoë\\",
    "/Users/me/$HOME/`whoami`/a|b;c&d^e!f",
    "/Users/me/Trackers 😀/ünï\tcödé\n",
    "",
]


@pytest.mark.parametrize("text", TRICKY)
def test_the_literal_holds_nothing_a_shell_or_cmd_reads(text: str) -> None:
    literal = py_string(text)
    assert SAFE.match(literal), literal
    assert re.fullmatch(r"'(?:[^\\]|\\x[0-9a-f]{2}|\\u[0-9a-f]{4})*'", literal)


@pytest.mark.parametrize("text", TRICKY)
def test_the_shell_of_do_shell_script_passes_the_literal_to_python_unchanged(text: str) -> None:
    """xlwings' AppleScript runs: python -c "<prepare>;<command> " "--wb=..." in /bin/sh,
    the command inside double quotes. Run the same shape through sh, with our literal."""
    command = f"import sys; sys.stdout.write(ascii({py_string(text)}))"
    shell = f'{shlex.quote(sys.executable)} -B -u -W ignore -c "{command} " "--wb=Book1"'
    out = subprocess.run(
        ["/bin/sh", "-c", shell], capture_output=True, text=True, check=True, timeout=60
    )
    received = ast.literal_eval(out.stdout)  # ascii() of a str is a literal
    joined = received.encode("utf-16", "surrogatepass").decode("utf-16")
    assert joined == text
