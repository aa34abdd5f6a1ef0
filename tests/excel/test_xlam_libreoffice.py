"""PMO.xlam in a real client: LibreOffice opens it and runs our VBA.

LibreOffice reads the package with its own zip, OOXML, compound-file, [MS-OVBA]
decompression and dir-stream code, so a successful load is an independent check
of everything the builder writes. It imports the VBA modules as Basic modules of
a library named after the VBA project.

LibreOffice Basic cannot compile xlwings' module (``Declare PtrSafe`` ...), and
one module that does not compile stops every call into the library. So the
*full* add-in is checked for what LibreOffice loaded (modules, their text, the
settings sheet), and our modules are *compiled and run* in a variant built from
the same modules (:func:`addin.excel.xlam.addin_modules`) with a small stand-in
for the xlwings names they use (``RunPython``, ``XLPy``, ``GetConfig`` ...).
LibreOffice compiles a whole library before the first call into it, so a call
that returns proves every module of the variant compiled: ``PMO``,
``PMOSupport``, ``ThisWorkbook`` and the generated worksheet functions
``PMOFunctions``. LibreOffice reads ``#If`` lines as no-ops and compiles both
branches, a stricter syntax check than Excel's.

Needs the Debian packages ``libreoffice-calc-nogui`` (soffice, with the VBA
import filter) and ``python3-uno`` (the UNO bridge for /usr/bin/python3).
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
from pathlib import Path

import pytest

from addin import __version__
from addin.excel.udf_vba import functions_module
from addin.excel.vba.project import Module, VbaProject, normalize_source
from addin.excel.vba.sources import xlwings_modules
from addin.excel.xlam import (
    PROJECT_NAME,
    VBA_PROJECT_NAME,
    addin_modules,
    package_parts,
    write_package,
)
from tests.soffice import SOFFICE

from .conftest import MACROS
from .test_addin_vba import TRICKY, py_string

pytestmark = pytest.mark.libreoffice

UNO_PYTHON = os.environ.get("PMO_UNO_PYTHON", "/usr/bin/python3")
TIMEOUT = 120

# Runs under Debian's python3 (python3-uno), not the project's venv. Arguments:
# soffice, profile URL, pipe name, then a JSON list of jobs
# {"path": ..., "calls": [[procedure, [args...]], ...]}. Prints a JSON list of
# results {"libraries": {lib: {module: text}}, "sheets": [...], "cells": [[formula...]...],
# "returns": [...], "a1": ...}.
UNO_SCRIPT = r"""
import json, os, subprocess, sys, time
import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

ALWAYS_EXECUTE_NO_WARN = 4
FILTER = "Calc MS Excel 2007 VBA XML"

def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p

soffice, profile, pipe, jobs = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
office = subprocess.Popen(
    [soffice, "-env:UserInstallation=" + profile, "--headless", "--invisible", "--norestore",
     "--nologo", "--nodefault", "--accept=pipe,name=%s;urp;" % pipe],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
desktop = None
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 60
    while True:
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except NoConnectException:
            if time.monotonic() > deadline or office.poll() is not None:
                raise
            time.sleep(0.1)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    results = []
    for job in jobs:
        url = uno.systemPathToFileUrl(os.path.abspath(job["path"]))
        doc = desktop.loadComponentFromURL(url, "_blank", 0, (
            prop("Hidden", True), prop("FilterName", FILTER),
            prop("MacroExecutionMode", ALWAYS_EXECUTE_NO_WARN)))
        if doc is None:
            raise SystemExit("LibreOffice could not open " + job["path"])
        libraries = {}
        for name in doc.BasicLibraries.getElementNames():
            doc.BasicLibraries.loadLibrary(name)
            library = doc.BasicLibraries.getByName(name)
            libraries[name] = {m: library.getByName(m) for m in library.getElementNames()}
        sheet = doc.Sheets.getByIndex(0)
        cursor = sheet.createCursor()
        cursor.gotoEndOfUsedArea(False)
        end = cursor.getRangeAddress()
        cells = [[sheet.getCellByPosition(c, r).getFormula() for c in range(end.EndColumn + 1)]
                 for r in range(end.EndRow + 1)]
        provider = doc.getScriptProvider()
        returns = []
        for procedure, args in job["calls"]:
            script = provider.getScript(
                "vnd.sun.star.script:%s?language=Basic&location=document" % procedure)
            returns.append(script.invoke(tuple(args), (), ())[0])
        formulas = []
        for column, formula in enumerate(job.get("formulas", [])):
            cell = sheet.getCellByPosition(10 + column, 0)
            cell.setFormula(formula)
            doc.calculateAll()
            formulas.append(cell.getString())
        after = [[sheet.getCellByPosition(c, r).getString() for c in range(4)] for r in range(3)]
        active = doc.getCurrentController().getActiveSheet()
        results.append({
            "libraries": libraries, "sheets": list(doc.Sheets.getElementNames()),
            "cells": cells, "returns": returns, "formulas": formulas, "after": after,
            "a1": active.getCellByPosition(0, 0).getString()})
        doc.close(True)
    print(json.dumps(results))
finally:
    if desktop is not None:
        try:
            desktop.terminate()
        except Exception:
            pass
    try:
        office.wait(timeout=30)
    except subprocess.TimeoutExpired:
        office.kill()
"""

TRICKY_FOLDER = r"C:\Users\O'Brien\100% " + '"done"' + "\\Zoë\\"
BAKED = r"C:\Baked\python.exe"

# Stand-ins for the xlwings names our modules use, for the LibreOffice variant only.
XLWINGS_STAND_IN = """Attribute VB_Name = "xlwings"
Public Const XLWINGS_VERSION As String = "9.9.9"
Public Const PROJECT_NAME As String = "pmo"
Public UserInterpreter As String
Public Function XLPy()
    Set XLPy = New XLPyStandIn
End Function
Public Function GetConfig(key As String, Optional default As String = "", _
                          Optional source As String = "") As Variant
    GetConfig = UserInterpreter
End Function
Public Sub SetUserInterpreter(ByVal value As String)
    UserInterpreter = value
End Sub
Public Function RunPython(command As String)
    ThisWorkbook.Worksheets(1).Range("D1").Value = command
End Function
Public Function Row2() As String
    Row2 = ThisWorkbook.Worksheets("pmo.conf").Range("A2").Value & "=" & _
           ThisWorkbook.Worksheets("pmo.conf").Range("B2").Value
End Function
Public Function CallWrapper() As String
    On Error GoTo failed
    CallWrapper = PMO_RAG("spi", 0.9)
    Exit Function
failed:
    CallWrapper = "error " & Err.Number
End Function
"""
XLPY_STAND_IN = """VERSION 1.0 CLASS
BEGIN
  MultiUse = -1  'True
END
Attribute VB_Name = "XLPyStandIn"
Attribute VB_GlobalNameSpace = False
Attribute VB_Creatable = False
Attribute VB_PredeclaredId = False
Attribute VB_Exposed = False
Public Function CallUDF(moduleName, functionName, arguments, Optional wb, Optional caller)
    Dim i As Long, text As String
    text = moduleName & "|" & functionName
    For i = LBound(arguments) To UBound(arguments)
        text = text & "|" & CStr(arguments(i))
    Next i
    CallUDF = text
End Function
"""


def run_in_libreoffice(tmp_path: Path, jobs: list[dict[str, object]]) -> list[dict[str, object]]:
    if SOFFICE is None:
        pytest.fail("soffice not found: apt-get install libreoffice-calc-nogui")
    script = tmp_path / "uno_probe.py"
    script.write_text(UNO_SCRIPT, encoding="utf-8")
    profile = (tmp_path / "lo-profile").as_uri()
    pipe = f"pmo-test-{os.getpid()}-{abs(hash(tmp_path)) % 10**8}"
    proc = subprocess.run(
        [UNO_PYTHON, str(script), SOFFICE, profile, pipe, json.dumps(jobs)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    if proc.returncode != 0 and "No module named 'uno'" in proc.stderr:
        pytest.fail(f"{UNO_PYTHON} has no UNO bridge: apt-get install python3-uno")
    assert proc.returncode == 0, proc.stderr
    results: list[dict[str, object]] = json.loads(proc.stdout)
    return results


@pytest.fixture(scope="module")
def libreoffice_results(
    built_addin: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, object], dict[str, object]]:
    folder = tmp_path_factory.mktemp("libreoffice")
    parts = package_parts(MACROS, python=BAKED, with_xlwings=False)
    modules = addin_modules(MACROS, python=BAKED, with_xlwings=False)
    modules += [Module.from_bas(XLWINGS_STAND_IN), Module.from_cls(XLPY_STAND_IN)]
    project = VbaProject(VBA_PROJECT_NAME, tuple(modules), description="PMO governance add-in")
    parts["xl/vbaProject.bin"] = project.to_bytes()
    variant = write_package(folder / "PMO-stand-in.xlam", parts)
    p = VBA_PROJECT_NAME
    full, ours = run_in_libreoffice(
        folder,
        [
            {"path": str(built_addin), "calls": []},
            {
                "path": str(variant),
                "calls": [
                    *[[f"{p}.PMOSupport.PMO_PyString", [text]] for text in TRICKY],
                    [f"{p}.PMO.PMO_Command", ["pmoConsolidate", TRICKY_FOLDER]],
                    [f"{p}.PMO.PMO_Command", ["pmoAbout", ""]],
                    [f"{p}.xlwings.Row2", []],
                    [f"{p}.PMOSupport.PMO_UseBakedInterpreter", [True]],
                    [f"{p}.xlwings.Row2", []],
                    [f"{p}.xlwings.SetUserInterpreter", [r"C:\Mine\python.exe"]],
                    [f"{p}.PMOSupport.PMO_UseBakedInterpreter", [True]],
                    [f"{p}.xlwings.Row2", []],
                    [f"{p}.xlwings.SetUserInterpreter", [""]],
                    [f"{p}.PMOSupport.PMO_UseBakedInterpreter", [False]],
                    [f"{p}.xlwings.Row2", []],
                    [f"{p}.PMO.PMO_Run", ["pmoAbout", ""]],
                    [f"{p}.xlwings.CallWrapper", []],
                ],
                "formulas": ['=PMO_RAG("spi";0.9)', "=PMO_SPI(1;2;3;4;5)", "=PMO_NOPE(1)"],
            },
        ],
    )
    return full, ours


def basic_text(source: str, module_type: str) -> str:
    """A VBA module as LibreOffice's import turns it into Basic: a header, then the
    source without Attribute lines, LF line endings, a final newline."""
    body = [line for line in source.split("\r\n") if not line.startswith("Attribute ")]
    header = f"Rem Attribute VBA_ModuleType={module_type}\nOption VBASupport 1\n"
    return header + "\n".join(body) + "\n"


def test_libreoffice_loads_the_full_addin(libreoffice_results: tuple[dict, dict]) -> None:
    full, _ = libreoffice_results
    libraries = full["libraries"]
    assert set(libraries) == {"Standard", VBA_PROJECT_NAME}
    modules = libraries[VBA_PROJECT_NAME]
    assert set(modules) == {
        "ThisWorkbook",
        "Sheet1",
        "PMO",
        "PMOSupport",
        "PMOFunctions",
        "xlwings",
        "Dictionary",
    }
    pmo = normalize_source((MACROS / "PMO.bas").read_text(encoding="utf-8"))
    assert modules["PMO"] == basic_text(pmo, "VBAModule")
    assert modules["PMOFunctions"] == basic_text(functions_module().source, "VBAModule")
    assert f'PMO_ADDIN_VERSION As String = "{__version__}"' in modules["PMOSupport"]
    xlwings_module, _ = xlwings_modules(PROJECT_NAME)
    assert modules["xlwings"] == basic_text(xlwings_module.source, "VBAModule")
    assert modules["Dictionary"].startswith("Rem Attribute VBA_ModuleType=VBAClassModule\n")
    assert modules["ThisWorkbook"].startswith("Rem Attribute VBA_ModuleType=VBADocumentModule\n")
    assert "Private Sub Workbook_Open()" in modules["ThisWorkbook"]
    assert modules["Sheet1"].startswith("Rem Attribute VBA_ModuleType=VBADocumentModule\n")


def test_libreoffice_reads_the_settings_sheet(libreoffice_results: tuple[dict, dict]) -> None:
    full, _ = libreoffice_results
    assert full["sheets"] == ["pmo.conf"]
    assert full["cells"] == [["UDF Modules", "addin.excel.udfs"]]


def test_libreoffice_compiles_and_runs_our_modules(libreoffice_results: tuple[dict, dict]) -> None:
    _, ours = libreoffice_results
    returns = list(ours["returns"])
    literals = returns[: len(TRICKY)]
    consolidate, about, *_, wrapper = returns[len(TRICKY) :]
    # the VBA escaping is the algorithm tests/excel/test_addin_vba.py checks against sh
    assert literals == [py_string(text) for text in TRICKY]
    assert consolidate == (
        "import addin.excel.ribbon as r; r.dispatch('pmoConsolidate', "
        f"folder={py_string(TRICKY_FOLDER)}, addin_version='{__version__}', "
        "xlwings_version='9.9.9')"
    )
    assert ast.literal_eval(py_string(TRICKY_FOLDER)) == TRICKY_FOLDER
    command = (
        "import addin.excel.ribbon as r; r.dispatch('pmoAbout', "
        f"addin_version='{__version__}', xlwings_version='9.9.9')"
    )
    assert about == command
    # PMO_Run (the button) ran RunPython with that command
    assert ours["after"][0][3] == command
    # LibreOffice's Application.Caller is Empty and TypeOf Empty raises error 91 there;
    # Excel passes the calling cell. The wrapper ran as far as that line.
    assert wrapper == "error 91"


def test_libreoffice_finds_the_worksheet_functions(libreoffice_results: tuple[dict, dict]) -> None:
    """As cell formulas the wrappers resolve (no #NAME?), an unknown name does not."""
    _, ours = libreoffice_results
    rag, spi, nope = ours["formulas"]
    assert rag != "#NAME?" and spi != "#NAME?"
    assert nope == "#NAME?"


def test_the_baked_interpreter_yields_to_the_users_pmo_conf(
    libreoffice_results: tuple[dict, dict],
) -> None:
    """No user interpreter: the baked one goes on the add-in's sheet (where xlwings reads
    it); the user names one: the row is cleared, so xlwings reads the user's file. The
    last call (add-in opened, user file empty again) puts it back."""
    _, ours = libreoffice_results
    returns = list(ours["returns"])[len(TRICKY) + 2 :]
    rows = [r for r in returns if isinstance(r, str) and "=" in r and "import" not in r]
    # LibreOffice runs both #If branches, so the Windows key is the one it ends with
    assert rows == ["=", f"INTERPRETER_WIN={BAKED}", "=", f"INTERPRETER_WIN={BAKED}"]
    assert ours["after"][2][:2] == ["", ""]  # one row only, never more
