"""The XML parts of ``PMO.xlam``: a one-sheet workbook whose sheet carries the settings.

The sheet, ``pmo.conf``, holds the few settings every user shares (xlwings reads it
before the user's own ``pmo.conf``); the workbook and sheet code names match the VBA
document modules :mod:`addin.excel.xlam` puts in the project. The rest is the
package's plumbing: content types, relationships, core properties and styles.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

import addin

PROJECT_NAME = "pmo"
"""xlwings ``PROJECT_NAME``: names the settings sheet and ``~/.pmo/pmo.conf``."""
CONFIG_SHEET = f"{PROJECT_NAME}.conf"
"""The settings sheet xlwings' ``GetConfigFromSheet`` reads."""
WORKBOOK_CODE_NAME = "ThisWorkbook"
"""Code name of the workbook, and name of its VBA document module."""
SHEET_CODE_NAME = "Sheet1"
"""Code name of the settings sheet, and name of its VBA document module."""

Setting = tuple[str, str | bool]
"""One settings-sheet row: key (column A) and value (column B)."""

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
"""Namespace of the relationships between the package's parts (``r:id``, relationship types)."""
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_ADDIN_TYPE = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
_VBA_TYPE = "application/vnd.ms-office.vbaProject"
_SHEETML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


class SharedStrings:
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


def sheet_xml(settings: Sequence[Setting], strings: SharedStrings) -> bytes:
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
        f'{_XML_DECLARATION}<worksheet xmlns="{_MAIN}" xmlns:r="{REL_NS}">'
        f'<sheetPr codeName="{SHEET_CODE_NAME}"/><dimension ref="{dimension}"/>'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        '<cols><col min="1" max="1" width="22" style="1" customWidth="1"/>'
        '<col min="2" max="2" width="36" style="1" customWidth="1"/></cols>'
        f"<sheetData>{''.join(rows)}</sheetData>"
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    ).encode()


def workbook_xml() -> bytes:
    """``xl/workbook.xml``: one sheet, code names matching the VBA document modules."""
    return (
        f'{_XML_DECLARATION}<workbook xmlns="{_MAIN}" xmlns:r="{REL_NS}">'
        f'<fileVersion appName="xl"/><workbookPr codeName="{WORKBOOK_CODE_NAME}"/>'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f'<sheets><sheet name={quoteattr(CONFIG_SHEET)} sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    ).encode()


def content_types_xml() -> bytes:
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


def relationships_xml(relationships: Sequence[tuple[str, str, str]]) -> bytes:
    """A ``.rels`` part from ``(Id, Type, Target)`` triples."""
    body = "".join(
        f'<Relationship Id="{rid}" Type="{rtype}" Target="{target}"/>'
        for rid, rtype, target in relationships
    )
    return f'{_XML_DECLARATION}<Relationships xmlns="{_PKG_REL_NS}">{body}</Relationships>'.encode()


def core_properties_xml() -> bytes:
    """``docProps/core.xml``: the title and description Excel's Add-ins dialog shows."""
    return (
        f"{_XML_DECLARATION}"
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<dc:title>PMO</dc:title>"
        "<dc:description>PMO governance: validate, consolidate and report on project "
        f"trackers (pmo-addin {escape(addin.__version__)}).</dc:description>"
        "<dc:creator>PMO add-in</dc:creator>"
        "</cp:coreProperties>"
    ).encode()


STYLES = (
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
