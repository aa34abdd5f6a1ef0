"""What an openpyxl round trip keeps of a workbook, and the check that a saved copy kept it.

Annotating a workbook file means loading it with openpyxl and saving it again, and
openpyxl writes back only what it understands. So the rule is an *allow-list*: a
workbook may hold only the relationship types, worksheet elements, cell attributes and
workbook settings listed in :mod:`addin.ooxml.kept` (what openpyxl writes back, and what
we write ourselves); anything else is named by :func:`unsupported` before a byte is
written. After the save, :func:`lost` compares the two packages (every relationship
and the content type of its target, every cell's value as our reader returns it, the
project manager's own notes, legacy form controls, the worksheet settings that must
survive) and names whatever did not come through.

A few things are *regenerated* rather than kept, and do not count as lost: the
calculation chain (Excel rebuilds it), the application statistics of
``docProps/app.xml``, the printer driver's private settings (``printerSettings*.bin``;
the page setup itself - orientation, paper, margins, scaling - is kept), the file's
last-saved folder, revision ids and version stamps, and row ``spans`` hints.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import IO, Any

from defusedxml import ElementTree

from addin.ooxml.kept import (
    BY_CONTENT,
    CELL_ATTRIBUTES,
    KEPT_RELATIONSHIPS,
    MACRO_RELATIONSHIPS,
    MAIN,
    REGENERATED,
    SHEET_ELEMENTS,
    SHEET_SURVIVORS,
    WORDS,
    WORKBOOK_ELEMENTS,
    WORKBOOK_EXTENSIONS,
    R,
)
from addin.ooxml.package import OFFICE_DOCUMENT, Package, parse, read_package, sheet_parts


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _ns(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _words(name: str) -> str:
    return WORDS.get(name, name)


#: What a workbook holds that a round trip does not keep: words -> where (parts, sheets).
Losses = dict[str, set[str]]


def _add(found: Losses, words: str, where: str = "") -> None:
    found.setdefault(words, set())
    if where:
        found[words].add(where)


def describe(*losses: Losses) -> list[str]:
    """One phrase per kind of loss, naming up to two places: ``charts (xl/charts/chart1.xml)``."""
    merged: Losses = {}
    for found in losses:
        for words, wheres in found.items():
            merged.setdefault(words, set()).update(wheres)
    out = []
    for words, wheres in sorted(merged.items()):
        places = sorted(wheres)
        more = f" and {len(places) - 2} more" if len(places) > 2 else ""
        out.append(f"{words} ({', '.join(places[:2])}{more})" if places else words)
    return out


@dataclass
class SheetCensus:
    """What one worksheet holds beyond the allow-list, and which kept settings it uses."""

    extras: set[str] = field(default_factory=set)
    present: set[str] = field(default_factory=set)


def sheet_census(fh: IO[bytes]) -> SheetCensus:
    """Scan a worksheet part (streamed: rows are dropped as they are read)."""
    out = SheetCensus()
    path: list[str] = []
    for event, el in ElementTree.iterparse(fh, events=("start", "end")):
        if event == "end":
            path.pop()
            if len(path) <= 2:
                if len(path) == 1 and _local(el.tag) in SHEET_SURVIVORS and (len(el) or el.attrib):
                    out.present.add(_local(el.tag))
                el.clear()
            continue
        local = _local(el.tag)
        path.append(local)
        depth = len(path)
        if depth == 2 and local != "extLst":
            if _ns(el.tag) != MAIN or local not in SHEET_ELEMENTS:
                out.extras.add(_words(local))
        elif depth == 4 and path[1] == "extLst":  # <extLst><ext><x14:dataValidations> ...
            out.extras.add(f"Excel extensions: {_words(local)}")
        elif local == "c" and depth == 4:
            for attr in el.attrib:
                if attr not in CELL_ATTRIBUTES:
                    out.extras.add(_words(_local(attr)))
    return out


def _workbook_extras(zf: zipfile.ZipFile, part: str) -> set[str]:
    out: set[str] = set()
    for child in parse(zf, part):
        local = _local(child.tag)
        if local not in WORKBOOK_ELEMENTS:
            out.add(_words(local))
        elif local == "extLst":
            for ext in child:
                if ext.get("uri", "") not in WORKBOOK_EXTENSIONS:
                    inner = _local(ext[0].tag) if len(ext) else ext.get("uri", "")
                    out.add(f"Excel extensions: {_words(inner)}")
    return out


def _workbook_part(pkg: Package) -> str | None:
    return next((r.target for r in pkg.from_part("") if r.type == OFFICE_DOCUMENT), None)


def unsupported(data: bytes, *, macros: bool) -> Losses:
    """What of this workbook an openpyxl round trip would not keep (see :func:`describe`).

    Args:
        data: The workbook's bytes.
        macros: Whether it is loaded with ``keep_vba`` (an ``.xlsm``).
    """
    kept = MACRO_RELATIONSHIPS if macros else KEPT_RELATIONSHIPS
    found: Losses = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        pkg = read_package(zf)
        refused = {r.target.lower() for r in pkg.relationships if r.type not in kept}
        for rel in pkg.relationships:
            if rel.type not in kept and rel.source.lower() not in refused:  # not its children
                _add(found, _words(rel.type.rsplit("/", 1)[-1]), rel.target)
        targets = {r.target.lower() for r in pkg.relationships if not r.external}
        for part in pkg.parts:
            low = part.lower()
            if low not in targets and not low.endswith(".rels") and low != "[content_types].xml":
                _add(found, "parts nothing refers to", part)
        book = _workbook_part(pkg)
        if book in pkg.parts:
            for words in _workbook_extras(zf, book):
                _add(found, words, "workbook")
        for name, part in sheet_parts(zf, pkg).items():
            if pkg.content_types.get(part, "").endswith(".worksheet+xml"):
                with zf.open(part) as fh:
                    for words in sheet_census(fh).extras:
                        _add(found, words, f"sheet {name!r}")
    return found


def _graph(pkg: Package, sheets: dict[str, str]) -> Counter[tuple[tuple[str, ...], str]]:
    """Every relationship as (path of types from the package, sheets by name; target type)."""
    names = {part: name for name, part in sheets.items()}
    out: Counter[tuple[tuple[str, ...], str]] = Counter()

    def walk(part: str, path: tuple[str, ...], seen: frozenset[str]) -> None:
        for rel in pkg.from_part(part):
            if rel.type in REGENERATED or rel.type in BY_CONTENT:
                continue
            label = rel.type.rsplit("/", 1)[-1]
            if rel.target in names:
                label += f"[{names[rel.target]}]"
            kind = "external" if rel.external else pkg.content_types.get(rel.target, "")
            out[((*path, label), kind)] += 1
            if not rel.external and rel.target not in seen:
                walk(rel.target, (*path, label), seen | {rel.target})

    walk("", (), frozenset())
    return out


_NOTE_TYPES = re.compile(rb'ObjectType\s*=\s*"([^"]*)"')


def _controls(zf: zipfile.ZipFile) -> Counter[bytes]:
    """Legacy (VML) objects other than notes: buttons, check boxes ... by type."""
    out: Counter[bytes] = Counter()
    for name in zf.namelist():
        if name.lower().endswith(".vml"):
            out.update(t for t in _NOTE_TYPES.findall(zf.read(name)) if t != b"Note")
    return out


def _notes(zf: zipfile.ZipFile, pkg: Package, sheet: str, marker: str) -> dict[str, str]:
    """A sheet's notes by cell, without the part after ``marker`` (ours; "" for none)."""
    out: dict[str, str] = {}
    for rel in pkg.from_part(sheet):
        if rel.type == R + "comments" and rel.target in pkg.parts:
            for el in parse(zf, rel.target).iter(f"{{{MAIN}}}comment"):
                text = "".join(t.text or "" for t in el.iter(f"{{{MAIN}}}t"))
                own = (text.partition(marker)[0] if marker else text).rstrip()
                if own:
                    out[el.get("ref", "")] = own
    return out


def _cells(
    book: Any, sheet: str, ignore: Collection[tuple[int, int]] = ()
) -> Iterator[tuple[int, int, Any]]:
    """Every non-empty cell of a sheet as our reader sees it, row by row (``ignore`` left out)."""
    data = book.get_sheet_by_name(sheet)
    top, left = data.start or (0, 0)
    for i, row in enumerate(data.iter_rows()):
        for j, value in enumerate(row):
            if value != "" and (not ignore or (top + i, left + j) not in ignore):
                yield top + i, left + j, value


def _values_differ(
    book_a: Any, book_b: Any, sheet: str, ignore: Collection[tuple[int, int]] = ()
) -> bool:
    sentinel = object()
    pairs = zip_longest(
        _cells(book_a, sheet, ignore), _cells(book_b, sheet, ignore), fillvalue=sentinel
    )
    return any(a != b for a, b in pairs)


def lost(
    before: bytes,
    after: Path,
    *,
    skip_sheets: Collection[str],
    marker: str,
    ignore: Mapping[str, Collection[tuple[int, int]]] | None = None,
) -> Losses:
    """What ``before`` holds that its saved copy ``after`` does not (see :func:`describe`).

    Args:
        before: The workbook's bytes as they were.
        after: The copy openpyxl saved (and we annotated).
        skip_sheets: Sheets of ``before`` that were ours and were replaced on purpose.
        marker: Where our part of a note starts; what follows it may change.
        ignore: Sheet -> 0-based (row, col) of cells changed or added on purpose (a new
            column's header, the Template Version).
    """
    import python_calamine

    found: Losses = {}
    book_a = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(before))
    book_b = python_calamine.CalamineWorkbook.from_path(str(after))
    with zipfile.ZipFile(io.BytesIO(before)) as za, zipfile.ZipFile(after) as zb:
        pa, pb = read_package(za), read_package(zb)
        sa, sb = sheet_parts(za, pa), sheet_parts(zb, pb)
        gone_paths = {path for path, _ in _graph(pa, sa) - _graph(pb, sb)}
        for path in gone_paths:
            if not any(path[:n] in gone_paths for n in range(1, len(path))):  # the top one only
                label = path[-1].split("[", 1)[0]
                _add(found, _words(label), "/".join(path[1:]) or path[0])
        if _controls(za) - _controls(zb):
            _add(found, "form controls (VML)")
        for name, part in sa.items():
            if name in skip_sheets:
                continue
            if name not in sb:
                _add(found, "sheets", repr(name))
                continue
            if not pa.content_types.get(part, "").endswith(".worksheet+xml"):
                continue
            with za.open(part) as fa, zb.open(sb[name]) as fb:
                gone = sheet_census(fa).present - sheet_census(fb).present
            for what in gone:
                _add(found, what, f"sheet {name!r}")
            notes_b = _notes(zb, pb, sb[name], marker)
            if any(notes_b.get(c) != t for c, t in _notes(za, pa, part, marker).items()):
                _add(found, "notes", f"sheet {name!r}")
            if _values_differ(book_a, book_b, name, (ignore or {}).get(name, ())):
                _add(found, "cell values", f"sheet {name!r}")
    return found
