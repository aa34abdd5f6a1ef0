"""Build ``PMO.xlam``, the Excel add-in, from the text sources in ``macros/``.

The add-in is an OOXML package (a zip) holding:

* a one-sheet workbook whose sheet ``pmo.conf`` carries the settings xlwings'
  custom add-in module reads (from ``macros/pmo.conf.tsv``);
* ``xl/vbaProject.bin``, written by :mod:`addin.excel.vba`: the document
  modules ``ThisWorkbook`` and ``Sheet1``, our ``macros/*.bas`` and xlwings'
  module, compiled by Excel from source when it opens the add-in;
* ``customUI/customUI14.xml``, the ribbon (``macros/customUI14.xml``).

Where the sources come from at run time: the builder takes the macros folder
as an argument and defaults to the top-level ``macros/`` of the checkout it
runs from; an installed wheel carries no ``macros/``, so there the folder
must be given (``pmo build-addin --macros DIR``).

Everything written is deterministic (fixed zip dates, derived GUIDs), so the
same sources build the same bytes.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from xml.etree import ElementTree  # our own source file, not untrusted input
from xml.sax.saxutils import escape, quoteattr

from addin import __version__
from addin.core.errors import OutputError, UnreadableFileError
from addin.excel.vba.project import Module, ProjectError, VbaProject
from addin.excel.vba.sources import (
    MacroSourceError,
    default_macros_dir,
    read_macros,
    xlwings_modules,
)
from addin.outputs.atomic import atomic_path

__all__ = [
    "CONFIG_SHEET",
    "CUSTOM_UI",
    "PROJECT_NAME",
    "SETTINGS_FILE",
    "VBA_PROJECT_NAME",
    "Setting",
    "build_addin",
    "check_ribbon",
    "package_parts",
    "read_settings",
    "write_package",
]

PROJECT_NAME = "pmo"
"""xlwings ``PROJECT_NAME``: names the settings sheet and ``~/.pmo/pmo.conf``."""
CONFIG_SHEET = f"{PROJECT_NAME}.conf"
"""The settings sheet xlwings' ``GetConfigFromSheet`` reads."""
VBA_PROJECT_NAME = "PMOAddin"
"""Name of the VBA project (must differ from the ``PMO`` module's name)."""
WORKBOOK_CODE_NAME = "ThisWorkbook"
SHEET_CODE_NAME = "Sheet1"
CUSTOM_UI = "customUI14.xml"
"""Ribbon XML file name, in the macros folder and in the package."""
SETTINGS_FILE = f"{CONFIG_SHEET}.tsv"
"""Settings sheet contents, in the macros folder."""

Setting = tuple[str, str | bool]
"""One settings-sheet row: key (column A) and value (column B)."""

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOC = f"{_REL_NS}/officeDocument"
_CORE_PROPS = (
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
)
_RIBBON_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
_VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
_ADDIN_TYPE = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
_VBA_TYPE = "application/vnd.ms-office.vbaProject"
_SHEETML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_CUSTOM_UI_NS = "http://schemas.microsoft.com/office/2009/07/customui"
_SUB_OR_FUNCTION = re.compile(
    r"^[ \t]*(?:(?:Public|Private|Friend)[ \t]+)?(?:Static[ \t]+)?(?:Sub|Function)[ \t]+(\w+)",
    re.IGNORECASE | re.MULTILINE,
)


def build_addin(out: Path, macros_dir: Path | None = None, *, python: str | None = None) -> Path:
    """Build the add-in and write it atomically to ``out``.

    Args:
        out: Path of the ``.xlam`` to write; its folder is created if needed.
            An existing file is replaced only once the new one is complete.
        macros_dir: Folder with ``PMO.bas``, ``customUI14.xml`` and
            ``pmo.conf.tsv``; defaults to the checkout's top-level ``macros/``.
        python: Python interpreter the add-in runs (``Interpreter_Win`` and
            ``Interpreter_Mac``); by default ``python`` on the PATH.

    Returns:
        ``out``.

    Raises:
        UnreadableFileError: When a source is missing or invalid.
        OutputError: When ``out`` cannot be written.
    """
    try:
        folder = macros_dir if macros_dir is not None else default_macros_dir()
        parts = package_parts(folder, python=python)
    except (MacroSourceError, ProjectError, OSError) as error:
        where = str(macros_dir) if macros_dir is not None else "macros"
        raise UnreadableFileError(where, str(error)) from error
    return write_package(out, parts)


def package_parts(
    macros_dir: Path, *, python: str | None = None, with_xlwings: bool = True
) -> dict[str, bytes]:
    """Every part of the add-in package, by zip path, ``[Content_Types].xml`` first.

    Args:
        macros_dir: Folder with the add-in sources.
        python: Interpreter for the settings sheet, or None for the PATH's.
        with_xlwings: Include xlwings' modules (tests leave them out to load
            the project in clients that cannot compile them).

    Returns:
        The parts' bytes.
    """
    modules = [
        Module.document(WORKBOOK_CODE_NAME, workbook=True),
        Module.document(SHEET_CODE_NAME, workbook=False),
        *read_macros(macros_dir),
    ]
    if with_xlwings:
        modules += xlwings_modules(PROJECT_NAME)
    project = VbaProject(VBA_PROJECT_NAME, tuple(modules), description="PMO governance add-in")
    ribbon = (macros_dir / CUSTOM_UI).read_bytes()
    check_ribbon(ribbon, modules)
    settings = read_settings(macros_dir / SETTINGS_FILE, python=python)
    strings = _SharedStrings()
    sheet = _sheet_xml(settings, strings)
    return {
        "[Content_Types].xml": _content_types(),
        "_rels/.rels": _relationships(
            [
                ("rId1", _OFFICE_DOC, "xl/workbook.xml"),
                ("rId2", _CORE_PROPS, "docProps/core.xml"),
                ("rId3", _RIBBON_REL, f"customUI/{CUSTOM_UI}"),
            ]
        ),
        "docProps/core.xml": _core_properties(),
        f"customUI/{CUSTOM_UI}": ribbon,
        "xl/workbook.xml": _workbook_xml(),
        "xl/_rels/workbook.xml.rels": _relationships(
            [
                ("rId1", f"{_REL_NS}/worksheet", "worksheets/sheet1.xml"),
                ("rId2", f"{_REL_NS}/styles", "styles.xml"),
                ("rId3", f"{_REL_NS}/sharedStrings", "sharedStrings.xml"),
                ("rId4", _VBA_REL, "vbaProject.bin"),
            ]
        ),
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": strings.xml(),
        "xl/styles.xml": _STYLES.encode("utf-8"),
        "xl/vbaProject.bin": project.to_bytes(),
    }


def check_ribbon(ribbon: bytes, modules: Sequence[Module]) -> list[str]:
    """Check the ribbon XML and that every callback it names is a Sub of ``modules``.

    Args:
        ribbon: The ``customUI14.xml`` bytes.
        modules: The project's modules.

    Returns:
        The callback names, in document order.

    Raises:
        MacroSourceError: When the XML is malformed, not a 2009/07 ``customUI``
            document, or names a callback no module defines.
    """
    try:
        root = ElementTree.fromstring(ribbon)
    except ElementTree.ParseError as error:
        raise MacroSourceError(f"{CUSTOM_UI}: not well-formed XML ({error})") from error
    if root.tag != f"{{{_CUSTOM_UI_NS}}}customUI":
        raise MacroSourceError(f"{CUSTOM_UI}: the root must be customUI in {_CUSTOM_UI_NS}")
    callbacks = [
        value
        for element in root.iter()
        for name, value in element.attrib.items()
        if name.startswith("on") or name.startswith("get")
    ]
    defined = {
        match.group(1).upper()
        for module in modules
        for match in _SUB_OR_FUNCTION.finditer(module.source)
    }
    missing = sorted({c for c in callbacks if c.split(".")[-1].upper() not in defined})
    if missing:
        raise MacroSourceError(f"{CUSTOM_UI}: callbacks without a VBA procedure: {missing}")
    return callbacks


def read_settings(path: Path, *, python: str | None = None) -> list[Setting]:
    """Rows of the settings sheet from a ``KEY<TAB>VALUE`` file.

    Lines starting with ``#`` and blank lines are skipped, ``TRUE``/``FALSE``
    become booleans, and keys with an empty value are left out: on the sheet
    they would hide the user's own ``~/.pmo/pmo.conf`` value.

    Args:
        path: The ``pmo.conf.tsv`` file.
        python: When given, the value of ``Interpreter_Win`` and ``Interpreter_Mac``.

    Returns:
        ``(key, value)`` rows in file order.

    Raises:
        MacroSourceError: For a duplicate key (xlwings would fail on it).
    """
    rows: list[Setting] = []
    seen: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, _, raw = line.partition("\t")
        key, raw = key.strip(), raw.strip()
        if key.upper() in seen:
            raise MacroSourceError(f"{path}: key {key!r} appears twice")
        seen.add(key.upper())
        if python is not None and key.upper() in {"INTERPRETER_WIN", "INTERPRETER_MAC"}:
            raw = python
        if raw:
            rows.append((key, {"TRUE": True, "FALSE": False}.get(raw.upper(), raw)))
    return rows


def write_package(out: Path, parts: Mapping[str, bytes]) -> Path:
    """Zip ``parts`` into a temporary file beside ``out``, then move it over ``out``.

    Args:
        out: The package to write; its folder is created if needed.
        parts: Part bytes by zip path, in the order to store them.

    Returns:
        ``out``.

    Raises:
        OutputError: When the file cannot be written; ``out`` is then unchanged.
    """
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(out) as temp, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as archive:
            for part, data in parts.items():
                info = zipfile.ZipInfo(part, date_time=_ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
    except OSError as error:
        raise OutputError(f"{out}: cannot write the add-in ({error.strerror or error})") from error
    return out


class _SharedStrings:
    """The shared string table, filled while the sheet is written."""

    def __init__(self) -> None:
        self._index: dict[str, int] = {}
        self._count = 0

    def add(self, text: str) -> int:
        """Index of ``text`` in the table, adding it when new."""
        self._count += 1
        return self._index.setdefault(text, len(self._index))

    def xml(self) -> bytes:
        """``xl/sharedStrings.xml``."""
        items = "".join(
            f'<si><t xml:space="preserve">{escape(text)}</t></si>' for text in self._index
        )
        return (
            f'{_XML_DECLARATION}<sst xmlns="{_MAIN}" count="{self._count}" '
            f'uniqueCount="{len(self._index)}">{items}</sst>'
        ).encode()


def _sheet_xml(settings: Sequence[Setting], strings: _SharedStrings) -> bytes:
    """The settings sheet: keys in column A, values in column B.

    Text cells use the text (``@``) format, as xlwings' own template does, so a
    value typed later (a path, a version) stays text; booleans keep General.
    """
    rows = []
    for number, (key, value) in enumerate(settings, start=1):
        if isinstance(value, bool):
            cell_b = f'<c r="B{number}" s="0" t="b"><v>{int(value)}</v></c>'
        else:
            cell_b = f'<c r="B{number}" s="1" t="s"><v>{strings.add(value)}</v></c>'
        cell_a = f'<c r="A{number}" s="1" t="s"><v>{strings.add(key)}</v></c>'
        rows.append(f'<row r="{number}">{cell_a}{cell_b}</row>')
    dimension = f"A1:B{len(settings)}" if settings else "A1"
    return (
        f'{_XML_DECLARATION}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL_NS}">'
        f'<sheetPr codeName="{SHEET_CODE_NAME}"/><dimension ref="{dimension}"/>'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        '<cols><col min="1" max="1" width="22" style="1" customWidth="1"/>'
        '<col min="2" max="2" width="36" style="1" customWidth="1"/></cols>'
        f"<sheetData>{''.join(rows)}</sheetData>"
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    ).encode()


def _workbook_xml() -> bytes:
    """``xl/workbook.xml``: one sheet, code names matching the VBA document modules."""
    return (
        f'{_XML_DECLARATION}<workbook xmlns="{_MAIN}" xmlns:r="{_REL_NS}">'
        f'<fileVersion appName="xl"/><workbookPr codeName="{WORKBOOK_CODE_NAME}"/>'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f'<sheets><sheet name={quoteattr(CONFIG_SHEET)} sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    ).encode()


def _content_types() -> bytes:
    """``[Content_Types].xml``: the workbook part typed as a macro-enabled add-in."""
    defaults = [
        ("rels", "application/vnd.openxmlformats-package.relationships+xml"),
        ("xml", "application/xml"),
        ("bin", _VBA_TYPE),
    ]
    overrides = [
        ("/xl/workbook.xml", _ADDIN_TYPE),
        ("/xl/worksheets/sheet1.xml", f"{_SHEETML}.worksheet+xml"),
        ("/xl/styles.xml", f"{_SHEETML}.styles+xml"),
        ("/xl/sharedStrings.xml", f"{_SHEETML}.sharedStrings+xml"),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
    ]
    body = "".join(f'<Default Extension="{e}" ContentType="{t}"/>' for e, t in defaults)
    body += "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
    return (
        f"{_XML_DECLARATION}"
        f'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">{body}</Types>'
    ).encode()


def _relationships(relationships: Sequence[tuple[str, str, str]]) -> bytes:
    """A ``.rels`` part from ``(Id, Type, Target)`` triples."""
    body = "".join(
        f'<Relationship Id="{rid}" Type="{rtype}" Target="{target}"/>'
        for rid, rtype, target in relationships
    )
    return f'{_XML_DECLARATION}<Relationships xmlns="{_PKG_REL_NS}">{body}</Relationships>'.encode()


def _core_properties() -> bytes:
    """``docProps/core.xml``: the title and description Excel's Add-ins dialog shows."""
    return (
        f"{_XML_DECLARATION}"
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<dc:title>PMO</dc:title>"
        "<dc:description>PMO governance: validate, consolidate and report on project "
        f"trackers (pmo-addin {escape(__version__)}).</dc:description>"
        "<dc:creator>PMO add-in</dc:creator>"
        "</cp:coreProperties>"
    ).encode()


_STYLES = (
    f'{_XML_DECLARATION}<styleSheet xmlns="{_MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
"""Minimal stylesheet: the default style and a text (``@``) style for the settings."""
