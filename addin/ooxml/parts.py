"""Find a workbook package's parts: which zip member holds which sheet, and what they share.

One implementation for every piece of code that reads or writes SpreadsheetML by hand
(the reader's safety scan, the portfolio writer's splice, restoring cached values).
Relationship targets are resolved the way Excel and calamine resolve them: relative
to ``xl/``, or absolute from the package root, matched case-insensitively.
"""

from __future__ import annotations

import posixpath
import zipfile

from defusedxml import ElementTree as ET

from addin.ooxml.member import read_part

WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def workbook_parts(zf: zipfile.ZipFile) -> tuple[dict[str, str | None], list[str]]:
    """Map sheet names to their parts, and list the parts every sheet needs to be read.

    Returns:
        Sheet name -> zip member of its worksheet XML (None when the relationship points
        nowhere), in workbook order; and the shared parts (content types, package and
        workbook relationships, the workbook, styles, shared strings) by member name.
    """
    names = {i.filename.replace("\\", "/").lower(): i.filename for i in zf.infolist()}

    def find(target: str) -> str | None:
        target = target.replace("\\", "/")
        path = target[1:] if target.startswith("/") else posixpath.join("xl", target)
        return names.get(posixpath.normpath(path).lower())

    shared: list[str] = [n for n in ("[content_types].xml", "_rels/.rels", WORKBOOK) if n in names]
    rels: dict[str, str | None] = {}
    if WORKBOOK_RELS in names:
        shared.append(WORKBOOK_RELS)
        for el in ET.fromstring(read_part(zf, names[WORKBOOK_RELS])).iter():
            if _local(el.tag) != "Relationship":
                continue
            part = find(el.get("Target", ""))
            rels[el.get("Id", "")] = part
            if part and el.get("Type", "").endswith(("/styles", "/sharedStrings")):
                shared.append(part.lower())
    sheets: dict[str, str | None] = {}
    for el in ET.fromstring(read_part(zf, names[WORKBOOK])).iter():
        if _local(el.tag) != "sheet":
            continue
        rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), "")
        name = el.get("name")
        if name is not None:
            sheets[name] = rels.get(rid)
    return sheets, [names[n] for n in dict.fromkeys(shared)]


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> zip member of its worksheet XML (sheets whose part exists)."""
    sheets, _ = workbook_parts(zf)
    return {name: part for name, part in sheets.items() if part is not None}


def styles_part(zf: zipfile.ZipFile) -> str | None:
    """The zip member of the workbook's ``styles.xml`` (None when it has none)."""
    names = {i.filename.replace("\\", "/").lower(): i.filename for i in zf.infolist()}
    if WORKBOOK_RELS not in names:
        return None
    for el in ET.fromstring(zf.read(names[WORKBOOK_RELS])).iter():
        if _local(el.tag) == "Relationship" and el.get("Type", "").endswith("/styles"):
            target = el.get("Target", "").replace("\\", "/")
            path = target[1:] if target.startswith("/") else posixpath.join("xl", target)
            return names.get(posixpath.normpath(path).lower())
    return None
