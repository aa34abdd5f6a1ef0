"""List an OOXML package: its parts, their content types, and every relationship between them.

A workbook is a zip of *parts* tied together by *relationships* (``_rels/.rels`` for the
package, ``xl/_rels/workbook.xml.rels`` for the workbook, one ``.rels`` part per source)
and typed by ``[Content_Types].xml``. Part names are compared case-insensitively, as the
Open Packaging Conventions say. Parsing goes through defusedxml: a part that declares a
DTD is refused (``DefusedXmlException``), never expanded.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

CONTENT_TYPES = "[Content_Types].xml"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OFFICE_DOCUMENT = f"{_DOC_RELS}/officeDocument"


@dataclass(frozen=True)
class Relationship:
    """One relationship: from a source part ("" for the package itself) to a target."""

    source: str
    rel_id: str
    type: str
    #: The target part's name as the zip spells it; for an external or a missing target,
    #: the ``Target`` attribute as written.
    target: str
    external: bool = False


@dataclass(frozen=True)
class Package:
    """What a package holds: part names, their content types, and their relationships."""

    parts: tuple[str, ...]
    content_types: dict[str, str]
    relationships: tuple[Relationship, ...]

    def from_part(self, source: str) -> list[Relationship]:
        """The relationships whose source is ``source`` ("" for the package)."""
        key = source.lower()
        return [r for r in self.relationships if r.source.lower() == key]

    def of_type(self, suffix: str) -> list[Relationship]:
        """The relationships whose type URI ends with ``/suffix`` (e.g. ``worksheet``)."""
        return [r for r in self.relationships if r.type.endswith(f"/{suffix}")]


def rels_part(source: str) -> str:
    """The relationships part of a part: ``xl/book.xml`` -> ``xl/_rels/book.xml.rels``."""
    folder, name = posixpath.split(source)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def source_of(rels: str) -> str | None:
    """The source part of a relationships part, "" for the package's; None if not a .rels part."""
    folder, name = posixpath.split(rels)
    if posixpath.basename(folder) != "_rels" or not name.lower().endswith(".rels"):
        return None
    return posixpath.join(posixpath.dirname(folder), name[: -len(".rels")])


def resolve(source: str, target: str) -> str:
    """The part name a relative (or ``/``-absolute) target of ``source`` points at."""
    target = target.replace("\\", "/")
    if target.startswith("/"):
        return posixpath.normpath(target[1:])
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse(zf: zipfile.ZipFile, part: str) -> Element:
    """Parse one XML part (DTDs refused)."""
    root: Element = ElementTree.fromstring(zf.read(part))
    return root


def _content_types(zf: zipfile.ZipFile, parts: list[str]) -> dict[str, str]:
    names = {n.lower(): n for n in zf.namelist()}
    if CONTENT_TYPES.lower() not in names:
        return {}
    root = parse(zf, names[CONTENT_TYPES.lower()])
    defaults = {
        el.get("Extension", "").lower(): el.get("ContentType", "")
        for el in root.iter(f"{{{_CT}}}Default")
    }
    overrides = {
        el.get("PartName", "").lstrip("/").lower(): el.get("ContentType", "")
        for el in root.iter(f"{{{_CT}}}Override")
    }
    out: dict[str, str] = {}
    for part in parts:
        ext = posixpath.splitext(part)[1].lstrip(".").lower()
        kind = overrides.get(part.lower(), defaults.get(ext))
        if kind is not None:
            out[part] = kind
    return out


def read_package(zf: zipfile.ZipFile) -> Package:
    """List every part, content type and relationship of an open workbook zip."""
    parts = [i.filename for i in zf.infolist() if not i.is_dir()]
    names = {p.lower(): p for p in parts}
    rels: list[Relationship] = []
    for part in parts:
        source = source_of(part)
        if source is None:
            continue
        for el in parse(zf, part).iter(f"{{{_PKG_RELS}}}Relationship"):
            target = el.get("Target", "")
            external = el.get("TargetMode", "") == "External"
            if not external:
                target = names.get(resolve(source, target).lower(), target)
            rels.append(
                Relationship(source, el.get("Id", ""), el.get("Type", ""), target, external)
            )
    return Package(tuple(parts), _content_types(zf, parts), tuple(rels))


def sheet_parts(zf: zipfile.ZipFile, pkg: Package) -> dict[str, str]:
    """Sheet name -> part name of every sheet (worksheet or other) the workbook lists."""
    book = next((r.target for r in pkg.from_part("") if r.type == OFFICE_DOCUMENT), None)
    if book is None or book not in pkg.parts:
        return {}
    by_id = {r.rel_id: r.target for r in pkg.from_part(book) if not r.external}
    out: dict[str, str] = {}
    for el in parse(zf, book).iter(f"{{{_MAIN}}}sheet"):
        rid = el.get(f"{{{_DOC_RELS}}}id", "")
        if rid in by_id and by_id[rid] in pkg.parts:
            out[el.get("name", "")] = by_id[rid]
    return out
