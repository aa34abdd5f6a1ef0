"""PMO.xlam as built from macros/: package structure, VBA project, ribbon contract."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from importlib import resources
from pathlib import Path

import olefile
import pytest
from defusedxml import ElementTree
from oletools.olevba import VBA_Parser

from addin import __version__
from addin.core.errors import OutputError, UnreadableFileError
from addin.excel.udf_vba import functions_module
from addin.excel.vba.project import Module, normalize_source
from addin.excel.vba.sources import default_macros_dir, xlwings_modules
from addin.excel.xlam import (
    CONFIG_SHEET,
    PROJECT_NAME,
    build_addin,
    check_ribbon,
    interpreters,
    package_parts,
    read_settings,
)

from .conftest import MACROS

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
UI = "{http://schemas.microsoft.com/office/2009/07/customui}"
RIBBON_IDS = {
    "pmoValidate": "Validate",
    "pmoNewTracker": "New Tracker",
    "pmoStatusReport": "Status report",
    "pmoInspect": "Inspect",
    "pmoAdopt": "Adopt",
    "pmoConsolidate": "Consolidate",
    "pmoDashboard": "Dashboard",
    "pmoResources": "Resources",
    "pmoSteeringPack": "Steering pack",
    "pmoSettings": "Settings",
    "pmoAbout": "About",
}


def xml(parts: dict[str, bytes], name: str) -> ElementTree.Element:
    return ElementTree.fromstring(parts[name])


def relationships(parts: dict[str, bytes], name: str) -> dict[str, str]:
    """Relationship Type -> Target of a .rels part."""
    return {r.get("Type"): r.get("Target") for r in xml(parts, name).iter(f"{REL}Relationship")}


# --- the VBA project -----------------------------------------------------------------


def test_vba_project_opens_in_olefile_without_defects(addin_zip: dict[str, bytes]) -> None:
    data = addin_zip["xl/vbaProject.bin"]
    ole = olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)
    assert sorted("/".join(path) for path in ole.listdir()) == [
        "PROJECT",
        "PROJECTwm",
        "VBA/Dictionary",
        "VBA/PMO",
        "VBA/PMOFunctions",
        "VBA/PMOSupport",
        "VBA/Sheet1",
        "VBA/ThisWorkbook",
        "VBA/_VBA_PROJECT",
        "VBA/dir",
        "VBA/xlwings",
    ]


def test_olevba_reads_every_module_exactly(built_addin: Path) -> None:
    """Stored source = the file as the VBA editor imports it: CRLF line endings and
    the Attribute header lines VBA keeps (and hides in the editor)."""
    parser = VBA_Parser(str(built_addin), relaxed=False)
    found = {name: code for _, _, name, code in parser.extract_macros()}
    xlwings_module, dictionary = xlwings_modules(PROJECT_NAME)
    pmo = normalize_source((MACROS / "PMO.bas").read_text(encoding="utf-8"))
    assert pmo.startswith('Attribute VB_Name = "PMO"\r\n')
    assert set(found) == {
        "ThisWorkbook.cls",
        "Sheet1.cls",
        "PMO.bas",
        "PMOSupport.bas",
        "PMOFunctions.bas",
        "xlwings.bas",
        "Dictionary.cls",
    }
    assert found["PMO.bas"] == pmo
    support = normalize_source((MACROS / "PMOSupport.bas").read_text(encoding="utf-8"))
    baked = support.replace(
        'PMO_ADDIN_VERSION As String = ""', f'PMO_ADDIN_VERSION As String = "{__version__}"'
    )
    assert baked != support and found["PMOSupport.bas"] == baked
    assert found["PMOFunctions.bas"] == functions_module().source
    assert found["xlwings.bas"] == xlwings_module.source
    assert found["Dictionary.cls"] == dictionary.source
    assert found["ThisWorkbook.cls"].startswith('Attribute VB_Name = "ThisWorkbook"\r\n')
    assert found["Sheet1.cls"].startswith('Attribute VB_Name = "Sheet1"\r\n')


def test_xlwings_module_differs_from_the_installed_file_only_by_two_lines() -> None:
    """PROJECT_NAME is ours, and Option Private Module follows #Const App (line 3)."""
    installed = (resources.files("xlwings") / "xlwings_custom_addin.bas").read_text("utf-8")
    ours = xlwings_modules(PROJECT_NAME)[0].source.split("\r\n")
    original_lines = normalize_source(installed).split("\r\n")
    assert ours[1].startswith("#Const App = ") and ours[2] == "Option Private Module"
    del ours[2]
    changed = [(a, b) for a, b in zip(original_lines, ours, strict=True) if a != b]
    assert changed == [
        (
            'Public Const PROJECT_NAME As String = "myaddin"',
            'Public Const PROJECT_NAME As String = "pmo"',
        )
    ]


def test_code_names_match_the_document_modules(addin_zip: dict[str, bytes]) -> None:
    workbook_pr = xml(addin_zip, "xl/workbook.xml").find(f"{MAIN}workbookPr")
    sheet_pr = xml(addin_zip, "xl/worksheets/sheet1.xml").find(f"{MAIN}sheetPr")
    assert workbook_pr is not None and sheet_pr is not None
    project = addin_zip["xl/vbaProject.bin"]
    ole = olefile.OleFileIO(io.BytesIO(project))
    text = ole.openstream("PROJECT").read().decode("cp1252")
    assert f"Document={workbook_pr.get('codeName')}/&H00000000\r\n" in text
    assert f"Document={sheet_pr.get('codeName')}/&H00000000\r\n" in text


# --- the package ---------------------------------------------------------------------


def test_content_types(built_addin: Path, addin_zip: dict[str, bytes]) -> None:
    with zipfile.ZipFile(built_addin) as archive:
        assert archive.namelist()[0] == "[Content_Types].xml"
    types = xml(addin_zip, "[Content_Types].xml")
    defaults = {d.get("Extension"): d.get("ContentType") for d in types.iter(f"{CT}Default")}
    overrides = {o.get("PartName"): o.get("ContentType") for o in types.iter(f"{CT}Override")}
    assert overrides["/xl/workbook.xml"] == "application/vnd.ms-excel.addin.macroEnabled.main+xml"
    assert defaults["bin"] == "application/vnd.ms-office.vbaProject"
    for part in addin_zip:
        if part != "[Content_Types].xml":
            assert f"/{part}" in overrides or part.rsplit(".", 1)[-1] in defaults, part


def test_relationships_point_at_existing_parts(addin_zip: dict[str, bytes]) -> None:
    package = relationships(addin_zip, "_rels/.rels")
    workbook = relationships(addin_zip, "xl/_rels/workbook.xml.rels")
    doc = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    assert package[f"{doc}/officeDocument"] == "xl/workbook.xml"
    ribbon = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
    assert package[ribbon] == "customUI/customUI14.xml"
    vba = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
    assert workbook[vba] == "vbaProject.bin"
    for target in package.values():
        assert target in addin_zip
    for target in workbook.values():
        assert f"xl/{target}" in addin_zip


def sheet_rows(parts: dict[str, bytes]) -> list[tuple[str, str | bool]]:
    strings = [
        "".join(t.text or "" for t in si.iter(f"{MAIN}t"))
        for si in xml(parts, "xl/sharedStrings.xml").iter(f"{MAIN}si")
    ]
    rows = []
    for row in xml(parts, "xl/worksheets/sheet1.xml").iter(f"{MAIN}row"):
        values: list[str | bool] = []
        for cell in row.iter(f"{MAIN}c"):
            raw = cell.findtext(f"{MAIN}v") or ""
            values.append(strings[int(raw)] if cell.get("t") == "s" else raw == "1")
        key, value = values
        assert isinstance(key, str)
        rows.append((key, value))
    return rows


def test_settings_sheet_is_what_xlwings_reads(addin_zip: dict[str, bytes]) -> None:
    sheets = xml(addin_zip, "xl/workbook.xml").iter(f"{MAIN}sheet")
    assert [sheet.get("name") for sheet in sheets] == [CONFIG_SHEET] == ["pmo.conf"]
    # nothing machine-specific and nothing a user may want to change: xlwings reads
    # this sheet before the user's own pmo.conf
    assert sheet_rows(addin_zip) == [("UDF Modules", "addin.excel.udfs")]
    # GetConfigFromSheet reads wb.Sheets(PROJECT_NAME & ".conf")
    source = xlwings_modules(PROJECT_NAME)[0].source
    match = re.search(r'^Public Const PROJECT_NAME As String = "(\w+)"', source, re.MULTILINE)
    assert match is not None and f"{match.group(1)}.conf" == CONFIG_SHEET
    assert 'Set sht = wb.Sheets(PROJECT_NAME & ".conf")' in source


@pytest.mark.parametrize(
    ("python", "win", "mac"),
    [
        (r"C:\Python312\pythonw.exe", r"C:\Python312\pythonw.exe", ""),
        (
            r"%USERPROFILE%\pmo-venv\Scripts\python.exe",
            r"%USERPROFILE%\pmo-venv\Scripts\python.exe",
            "",
        ),
        (r"\\server\share\python.exe", r"\\server\share\python.exe", ""),
        ("/opt/pmo/bin/python", "", "/opt/pmo/bin/python"),
        ("~/pmo-venv/bin/python", "", "$HOME/pmo-venv/bin/python"),
        ("python3", "python3", "python3"),
        (None, "", ""),
    ],
)
def test_python_option_bakes_a_default_for_the_system_it_names(
    python: str | None, win: str, mac: str
) -> None:
    assert interpreters(python) == {"win": win, "mac": mac}
    parts = package_parts(MACROS, python=python)
    assert "Interpreter" not in str(sheet_rows(parts))  # never on the sheet
    ole = olefile.OleFileIO(io.BytesIO(parts["xl/vbaProject.bin"]))
    assert ole.exists("VBA/PMOSupport")
    found = {n: c for _, _, n, c in VBA_Parser("x.xlam", data=_zip(parts)).extract_macros()}
    support = found["PMOSupport.bas"]
    assert f'Public Const PMO_PYTHON_WIN As String = "{win}"\r\n' in support
    assert f'Public Const PMO_PYTHON_MAC As String = "{mac}"\r\n' in support


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_read_settings_rules(tmp_path: Path) -> None:
    path = tmp_path / "pmo.conf.tsv"
    path.write_text("# comment\n\nA\tx\nEmpty\t\nNoTab\nFlag\ttrue\nOff\tFALSE\n", "utf-8")
    assert read_settings(path) == [("A", "x"), ("Flag", True), ("Off", False)]
    path.write_text("A\tx\na\ty\n", "utf-8")
    with pytest.raises(ValueError, match="appears twice"):
        read_settings(path)


@pytest.mark.parametrize(
    "key", ["Interpreter_Win", "INTERPRETER_MAC", "Interpreter", "Conda Path", "PYTHONPATH"]
)
def test_the_settings_sheet_refuses_machine_specific_values(tmp_path: Path, key: str) -> None:
    path = tmp_path / "pmo.conf.tsv"
    path.write_text(f"{key}\t\n", "utf-8")
    assert read_settings(path) == []  # empty: left off the sheet
    path.write_text(f"{key}\tC:\\Python\\python.exe\n", "utf-8")
    with pytest.raises(ValueError, match=r"would override every user's pmo\.conf"):
        read_settings(path)


# --- the ribbon ----------------------------------------------------------------------


def public_subs(bas: str) -> dict[str, str]:
    """Public Sub name -> parameter list."""
    pattern = re.compile(r"^(?:Public )?Sub (\w+)\(([^)]*)\)", re.MULTILINE)
    return {m.group(1): m.group(2) for m in pattern.finditer(bas)}


def test_ribbon_buttons_are_the_dispatch_contract(addin_zip: dict[str, bytes]) -> None:
    ui = xml(addin_zip, "customUI/customUI14.xml")
    assert ui.tag == f"{UI}customUI"
    tabs = list(ui.iter(f"{UI}tab"))
    assert [tab.get("label") for tab in tabs] == ["PMO"]
    groups = {g.get("label"): [b.get("id") for b in g.iter(f"{UI}button")] for g in tabs[0]}
    assert groups == {
        "Tracker": ["pmoValidate", "pmoNewTracker", "pmoStatusReport", "pmoInspect", "pmoAdopt"],
        "Portfolio": ["pmoConsolidate", "pmoDashboard", "pmoResources", "pmoSteeringPack"],
        "Settings": ["pmoSettings", "pmoAbout"],
    }
    subs = public_subs((MACROS / "PMO.bas").read_text(encoding="utf-8"))
    for button in ui.iter(f"{UI}button"):
        assert button.get("label") == RIBBON_IDS[button.get("id", "")]
        assert button.get("size") == "large"
        for attribute in ("imageMso", "screentip", "supertip"):
            assert button.get(attribute), (button.get("id"), attribute)
        callback = button.get("onAction", "")
        assert subs[callback] == "control As IRibbonControl"


def test_the_ribbon_part_is_the_source_file(addin_zip: dict[str, bytes]) -> None:
    assert addin_zip["customUI/customUI14.xml"] == (MACROS / "customUI14.xml").read_bytes()


def test_callback_passes_the_control_id_the_folder_and_the_versions_to_python() -> None:
    bas = (MACROS / "PMO.bas").read_text(encoding="utf-8")
    assert 'PMO_Command = "import addin.excel.ribbon as r; r.dispatch(" & arguments & ")"' in bas
    assert "RunPython PMO_Command(controlId, folder)" in bas
    assert "Application.FileDialog(msoFileDialogFolderPicker)" in bas
    assert 'arguments & ", folder=" & PMO_PyString(folder)' in bas
    assert 'arguments & ", addin_version=" & PMO_PyString(PMO_ADDIN_VERSION)' in bas
    assert 'arguments & ", xlwings_version=" & PMO_PyString(XLWINGS_VERSION)' in bas


def test_builder_checks_every_ribbon_callback() -> None:
    pmo = Module.from_bas((MACROS / "PMO.bas").read_text(encoding="utf-8"))
    ribbon = (MACROS / "customUI14.xml").read_bytes()
    assert check_ribbon(ribbon, [pmo]) == ["PMO_OnAction"] * 11
    ns = 'xmlns="http://schemas.microsoft.com/office/2009/07/customui"'
    bad = f'<customUI {ns}><ribbon><tabs><tab id="t"><group id="g">'
    bad += '<button id="b" onAction="Missing"/><button id="c" getLabel="PMO.PMO_OnAction"/>'
    bad += "</group></tab></tabs></ribbon></customUI>"
    with pytest.raises(ValueError, match=r"callbacks without a VBA procedure: \['Missing'\]"):
        check_ribbon(bad.encode(), [pmo])
    private = bad.replace('"Missing"', '"PMO_Run"').encode()
    with pytest.raises(ValueError, match=r"cannot call \(Private.*\['PMO_Run'\]"):
        check_ribbon(private, [pmo])
    with pytest.raises(ValueError, match="not well-formed"):
        check_ribbon(b"<customUI", [pmo])
    with pytest.raises(ValueError, match="the root must be customUI"):
        check_ribbon(
            b'<customUI xmlns="http://schemas.microsoft.com/office/2006/01/customui"/>', [pmo]
        )


def test_a_ribbon_naming_a_missing_sub_fails_the_build(tmp_path: Path) -> None:
    macros = tmp_path / "macros"
    shutil.copytree(MACROS, macros)
    ui = macros / "customUI14.xml"
    text = ui.read_text("utf-8")
    body = text.index("<customUI")
    ui.write_text(text[:body] + text[body:].replace('"PMO_OnAction"', '"PMO_OnClick"', 1), "utf-8")
    with pytest.raises(UnreadableFileError, match="PMO_OnClick"):
        build_addin(tmp_path / "PMO.xlam", macros)


# --- build_addin ---------------------------------------------------------------------


def test_builds_are_byte_identical(tmp_path: Path, built_addin: Path) -> None:
    again = build_addin(tmp_path / "again.xlam", MACROS)
    assert again.read_bytes() == built_addin.read_bytes()


def test_build_replaces_atomically_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    out = tmp_path / "dist" / "PMO.xlam"
    build_addin(out, MACROS)
    out.write_bytes(b"old")
    assert build_addin(out, MACROS) == out
    assert zipfile.is_zipfile(out)
    assert sorted(p.name for p in out.parent.iterdir()) == ["PMO.xlam"]


def test_default_macros_folder_is_the_checkouts() -> None:
    assert default_macros_dir() == MACROS


def test_missing_sources_are_reported(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError, match=r"no \.bas module"):
        build_addin(tmp_path / "PMO.xlam", tmp_path)
    shutil.copy(MACROS / "PMO.bas", tmp_path)
    with pytest.raises(UnreadableFileError, match=r"0 \.bas modules declare PMO_ADDIN_VERSION"):
        build_addin(tmp_path / "PMO.xlam", tmp_path)
    shutil.copy(MACROS / "PMOSupport.bas", tmp_path)
    with pytest.raises(UnreadableFileError, match=r"customUI14\.xml"):
        build_addin(tmp_path / "PMO.xlam", tmp_path)
    shutil.copy(MACROS / "customUI14.xml", tmp_path)
    with pytest.raises(UnreadableFileError, match=r"pmo\.conf\.tsv"):
        build_addin(tmp_path / "PMO.xlam", tmp_path)
    assert not (tmp_path / "PMO.xlam").exists()


def test_unwritable_output_is_an_output_error(tmp_path: Path) -> None:
    (tmp_path / "PMO.xlam").mkdir()
    with pytest.raises(OutputError, match="cannot write the add-in"):
        build_addin(tmp_path / "PMO.xlam", MACROS)
    assert [p.name for p in tmp_path.iterdir()] == ["PMO.xlam"]
