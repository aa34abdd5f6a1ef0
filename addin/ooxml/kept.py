"""The allow-lists: what of a workbook an openpyxl round trip keeps (see :mod:`.roundtrip`).

Everything here was checked against openpyxl 3.1's reader and writer and the real
corpus: a relationship type, worksheet element, cell attribute or workbook setting is
listed only when openpyxl writes it back, or when it is regenerated (and then it is
said why). Anything not listed is refused for ``--in-place``.
"""

from __future__ import annotations

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
MS = "http://schemas.microsoft.com/office/2006/relationships/"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"

#: Relationship types openpyxl reads and writes back (or we check by content).
KEPT_RELATIONSHIPS = frozenset(
    [CORE]
    + [
        R + t
        for t in (
            "officeDocument",
            "extended-properties",
            "custom-properties",
            "worksheet",
            "styles",
            "theme",
            "sharedStrings",
            "calcChain",
            "externalLink",
            "externalLinkPath",
            "table",
            "comments",
            "vmlDrawing",
            "hyperlink",
            "printerSettings",
        )
    ]
)
#: ... and, in a macro-enabled workbook (loaded with ``keep_vba``), the VBA project.
MACRO_RELATIONSHIPS = KEPT_RELATIONSHIPS | {MS + "vbaProject"}
#: Regenerated, not kept (see the module's docstring): left out of the comparison.
REGENERATED = frozenset(R + t for t in ("calcChain", "extended-properties", "printerSettings"))
#: Compared by content (cell values, the notes' text, the VML's controls), not by part.
BY_CONTENT = frozenset(R + t for t in ("sharedStrings", "comments", "vmlDrawing"))

#: Children of ``<worksheet>`` that openpyxl writes back (``phoneticPr`` holds only the
#: default display of East Asian phonetic guides, which Excel restores).
SHEET_ELEMENTS = frozenset(
    [
        "sheetPr",
        "dimension",
        "sheetViews",
        "sheetFormatPr",
        "cols",
        "sheetData",
        "sheetProtection",
        "scenarios",
        "autoFilter",
        "sortState",
        "mergeCells",
        "conditionalFormatting",
        "dataValidations",
        "hyperlinks",
        "printOptions",
        "pageMargins",
        "pageSetup",
        "headerFooter",
        "rowBreaks",
        "colBreaks",
        "drawing",
        "legacyDrawing",
        "tableParts",
        "phoneticPr",
    ]
)
#: Settings of a sheet that must still be there after the save when they hold anything.
SHEET_SURVIVORS = frozenset(
    [
        "sheetProtection",
        "autoFilter",
        "mergeCells",
        "dataValidations",
        "hyperlinks",
        "rowBreaks",
        "colBreaks",
        "tableParts",
        "headerFooter",
    ]
)
#: Attributes of ``<c>`` that openpyxl keeps.
CELL_ATTRIBUTES = frozenset({"r", "s", "t"})
#: Children of ``<workbook>`` that openpyxl writes back, or that are regenerated.
WORKBOOK_ELEMENTS = frozenset(
    [
        "fileVersion",
        "workbookPr",
        "workbookProtection",
        "bookViews",
        "sheets",
        "externalReferences",
        "definedNames",
        "calcPr",
        "fileRecoveryPr",
        "AlternateContent",
        "revisionPtr",
        "extLst",
    ]
)
#: Workbook extensions that only carry regenerated settings (x14 and x15 ``workbookPr``,
#: the calculation features a formula uses), by their ``uri``.
WORKBOOK_EXTENSIONS = frozenset(
    {
        "{140A7094-0E35-4892-8432-C4D2E57EDEB5}",
        "{79F54976-1DA5-4618-B147-4CDE4B953A38}",
        "{B58B0392-4F1F-4190-BB64-5DF3571DCE5F}",
        # LibreOffice's syntax of INDIRECT's text references (only LibreOffice reads it)
        "{7626C862-2A13-11E5-B345-FEFF819CDC9F}",
    }
)

#: Words for what a part or element is, for the one-line refusal (naming only: what is
#: kept is decided by the allow-lists above).
WORDS = {
    "connections": "Power Query or data connections",
    "customXml": "custom XML data (Power Query, SharePoint)",
    "threadedComment": "threaded comments",
    "person": "threaded-comment authors",
    "sheetMetadata": "dynamic-array formulas (metadata)",
    "drawing": "drawings (images, shapes or charts)",
    "image": "images",
    "chart": "charts",
    "pivotTable": "pivot tables",
    "pivotCacheDefinition": "pivot caches",
    "slicer": "slicers",
    "slicerCache": "slicers",
    "timeline": "timelines",
    "queryTable": "query tables",
    "extensibility": "a ribbon customisation (customUI)",
    "vbaProjectSignature": "a VBA signature",
    "vbaProject": "a VBA project",
    "ctrlProp": "form controls",
    "control": "ActiveX controls",
    "oleObject": "embedded objects",
    "package": "embedded files",
    "thumbnail": "a thumbnail",
    "chartsheet": "chart sheets",
    "dialogsheet": "dialog sheets",
    "macrosheet": "Excel 4 macro sheets",
    "legacyDrawingHF": "header or footer images",
    "picture": "a sheet background image",
    "oleObjects": "embedded objects",
    "controls": "form controls",
    "customSheetViews": "custom views",
    "customWorkbookViews": "custom views",
    "fileSharing": "a read-only recommendation or password to modify",
    "ignoredErrors": "ignored error markers",
    "protectedRanges": "protected ranges",
    "cm": "dynamic-array formulas",
    "vm": "images or data types in cells",
    "dataValidations": "Excel 2010 data validations",
    "conditionalFormattings": "Excel 2010 conditional formats",
    "sparklineGroups": "sparklines",
}
