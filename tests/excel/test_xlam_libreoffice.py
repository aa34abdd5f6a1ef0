"""PMO.xlam in a real client: LibreOffice opens it and runs our VBA.

LibreOffice reads the package with its own zip, OOXML, compound-file, [MS-OVBA]
decompression and dir-stream code, so a successful load is an independent check
of everything the builder writes. It imports the VBA modules as Basic modules of
a library named after the VBA project.

LibreOffice Basic cannot compile xlwings' modules (``Declare PtrSafe``, ``#If``
blocks, ...), and one module that does not compile stops every call into the
library. So the *full* add-in is checked for what LibreOffice loaded (modules,
their text, the settings sheet), and our macros are *run* in a variant built
through the same code path (:func:`addin.excel.xlam.package_parts`) without
xlwings' modules.

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

from addin.excel.vba.project import normalize_source
from addin.excel.vba.sources import xlwings_modules
from addin.excel.xlam import PROJECT_NAME, VBA_PROJECT_NAME, package_parts, write_package
from tests.soffice import SOFFICE

from .conftest import MACROS

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
        active = doc.getCurrentController().getActiveSheet()
        results.append({
            "libraries": libraries, "sheets": list(doc.Sheets.getElementNames()),
            "cells": cells, "returns": returns,
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
    variant = write_package(
        folder / "PMO-no-xlwings.xlam", package_parts(MACROS, with_xlwings=False)
    )
    full, ours = run_in_libreoffice(
        folder,
        [
            {"path": str(built_addin), "calls": []},
            {
                "path": str(variant),
                "calls": [
                    [f"{VBA_PROJECT_NAME}.PMO.PMO_Probe", []],
                    [f"{VBA_PROJECT_NAME}.PMO.PMO_PyString", [TRICKY_FOLDER]],
                    [f"{VBA_PROJECT_NAME}.PMO.PMO_ProbeSub", []],
                ],
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
    assert set(modules) == {"ThisWorkbook", "Sheet1", "PMO", "xlwings", "Dictionary"}
    pmo = normalize_source((MACROS / "PMO.bas").read_text(encoding="utf-8"))
    assert modules["PMO"] == basic_text(pmo, "VBAModule")
    xlwings_module, _ = xlwings_modules(PROJECT_NAME)
    assert modules["xlwings"] == basic_text(xlwings_module.source, "VBAModule")
    assert modules["Dictionary"].startswith("Rem Attribute VBA_ModuleType=VBAClassModule\n")
    assert modules["ThisWorkbook"].startswith("Rem Attribute VBA_ModuleType=VBADocumentModule\n")
    assert modules["Sheet1"].startswith("Rem Attribute VBA_ModuleType=VBADocumentModule\n")


def test_libreoffice_reads_the_settings_sheet(libreoffice_results: tuple[dict, dict]) -> None:
    full, _ = libreoffice_results
    assert full["sheets"] == ["pmo.conf"]
    assert full["cells"] == [  # LibreOffice turns an OOXML boolean into =FALSE()
        ["UDF Modules", "addin.excel.udfs"],
        ["Debug UDFs", "=FALSE()"],
        ["Use UDF Server", "=FALSE()"],
        ["Show Console", "=FALSE()"],
    ]


def test_libreoffice_runs_our_macros(libreoffice_results: tuple[dict, dict]) -> None:
    _, ours = libreoffice_results
    assert set(ours["libraries"][VBA_PROJECT_NAME]) == {"ThisWorkbook", "Sheet1", "PMO"}
    probe, literal, probe_sub = ours["returns"]
    assert probe == "PMO probe OK"
    assert probe_sub is None
    assert ours["a1"] == "PMO probe OK"  # PMO_ProbeSub wrote into the active sheet
    # the folder literal RunPython gets: valid Python, same text, nothing cmd.exe expands
    assert ast.literal_eval(literal) == TRICKY_FOLDER
    assert '"' not in literal and "%" not in literal
