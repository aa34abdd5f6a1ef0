"""Recognise the files ``pmo`` writes, so no run reads its own outputs as trackers.

Every workbook we write carries the custom document property ``PMO Output`` naming
what it is (:class:`OutputKind`): ``portfolio``, ``dashboard``, ``checked`` (an
annotated copy) or ``capacity`` (the PMO's capacity list). Portfolios and dashboards
written before the property existed carry ``PMO As Of``, which no tracker has. Names
say the rest: ``plan.checked.xlsx``, ``plan.upgraded.xlsx`` (``pmo upgrade-tracker``'s
copy: by name only, since it is meant to replace its tracker),
``plan.20261125-093000.bak.xlsx`` (a byte-for-byte backup, which can carry no mark of its
own) and the hidden temporary files a killed writer left behind.

One policy, :func:`skip_reason`: a portfolio, a dashboard or a capacity list is never a
tracker and is skipped wherever it is found, named on the command line or met in a
folder. An annotated or upgraded copy or a backup repeats its tracker's Project ID, so a
folder scan skips it;
named on the command line, it is read (that is what was asked). Skipped files get a
``skipped`` Load Log line with the reason; temporary files are left out silently.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

from defusedxml import ElementTree as ET

#: The custom document property naming what a workbook we wrote is.
OUTPUT_PROPERTY = "PMO Output"
#: The custom document property naming the template version a tracker was made from.
TEMPLATE_PROPERTY = "PMO Template Version"
#: The property our portfolios and dashboards carried before :data:`OUTPUT_PROPERTY`.
LEGACY_PROPERTY = "PMO As Of"
#: The sheet an annotated tracker carries its findings on, and the title in its A1: a
#: sheet we wrote, which no reading of the tracker takes for data.
VALIDATION_SHEET = "Validation"
VALIDATION_TITLE = "PMO validation"
#: The sheet an adopted tracker lists what was not carried over on, and its A1 title
#: (``pmo adopt``): ours too, never data.
ADOPTION_SHEET = "Adoption"
ADOPTION_TITLE = "PMO adoption: what was not carried over"
#: Largest ``docProps/custom.xml`` looked at (a real one is a few hundred bytes).
_MAX_PROPERTIES = 256 * 1024


class OutputKind(StrEnum):
    """What a file ``pmo`` wrote is."""

    PORTFOLIO = "portfolio"
    DASHBOARD = "dashboard"
    CHECKED = "checked"
    UPGRADED = "upgraded"
    BACKUP = "backup"
    CAPACITY = "capacity"
    TEMPORARY = "temporary"


_REASONS = {
    OutputKind.PORTFOLIO: "our own portfolio output, not a tracker",
    OutputKind.DASHBOARD: "our own dashboard output, not a tracker",
    OutputKind.CHECKED: (
        "an annotated copy written by pmo validate --annotate (it repeats its tracker's "
        "Project ID); name it on the command line to read it"
    ),
    OutputKind.UPGRADED: (
        "an upgraded copy written by pmo upgrade-tracker (it repeats its tracker's Project "
        "ID); replace the tracker with it, or name it on the command line to read it"
    ),
    OutputKind.CAPACITY: "the PMO's capacity list (pmo new-capacity), not a tracker",
    OutputKind.BACKUP: (
        "a backup written by pmo validate --annotate --in-place (it repeats its tracker's "
        "Project ID); name it on the command line to read it"
    ),
}

_CHECKED = re.compile(r"\.checked\.xls[xm]$", re.IGNORECASE)
_UPGRADED = re.compile(r"\.upgraded\.xls[xm]$", re.IGNORECASE)
_BACKUP = re.compile(r"\.\d{8}-\d{6}(-\d+)?\.bak\.xls[xm]$", re.IGNORECASE)
#: A temporary file of :mod:`addin.outputs.atomic` (``.plan.checked.1a2b3c4d.tmp.xlsx``).
_TEMPORARY = re.compile(r"^\..*\.[0-9a-f]{8}\.tmp\.xls[xm]$", re.IGNORECASE)


def kind_by_name(path: Path) -> OutputKind | None:
    """What a file is by its name alone: an annotated copy, a backup, a temporary, or None."""
    name = path.name
    if _TEMPORARY.match(name):
        return OutputKind.TEMPORARY
    if _CHECKED.search(name):
        return OutputKind.CHECKED
    if _UPGRADED.search(name):
        return OutputKind.UPGRADED
    if _BACKUP.search(name):
        return OutputKind.BACKUP
    return None


def _properties(xml: bytes) -> dict[str, str]:
    """Custom document properties as name -> text (values of any type, as text)."""
    out: dict[str, str] = {}
    for prop in ET.fromstring(xml):
        name = prop.get("name")
        if name is not None:
            out[name] = "".join(prop.itertext()).strip()
    return out


def custom_properties(zf: zipfile.ZipFile) -> dict[str, str]:
    """A workbook's custom document properties (name -> text); {} when it has none.

    Reads ``docProps/custom.xml`` only, and only when it is small; properties that
    cannot be read are none at all.
    """
    try:
        info = zf.getinfo("docProps/custom.xml")
    except KeyError:
        return {}
    if info.file_size > _MAX_PROPERTIES:
        return {}
    try:
        return _properties(zf.read(info))
    except Exception:  # damaged, hostile or not XML at all
        return {}


def kind_by_content(
    zf: zipfile.ZipFile, props: Mapping[str, str] | None = None
) -> OutputKind | None:
    """What an ``.xlsx`` we wrote says it is (its ``PMO Output`` property), or None.

    ``props``: the archive's :func:`custom_properties`, when the caller has them already.
    """
    if props is None:
        props = custom_properties(zf)
    if not props:
        return None
    value = props.get(OUTPUT_PROPERTY, "").casefold()
    for kind in (
        OutputKind.PORTFOLIO,
        OutputKind.DASHBOARD,
        OutputKind.CHECKED,
        OutputKind.CAPACITY,
    ):
        if value == kind.value:
            return kind
    if LEGACY_PROPERTY in props:  # written before PMO Output: the title says which
        return _legacy_kind(zf)
    return None


def _legacy_kind(zf: zipfile.ZipFile) -> OutputKind:
    try:
        core = zf.read("docProps/core.xml")[:_MAX_PROPERTIES]
    except (KeyError, OSError, zipfile.BadZipFile, RuntimeError):
        core = b""
    return OutputKind.DASHBOARD if b" - dashboard</dc:title>" in core else OutputKind.PORTFOLIO


def skip_reason(kind: OutputKind | str | None, *, named: bool) -> str | None:
    """Why a file of this kind is not read (None: read it).

    Args:
        kind: What the file is (:func:`kind_by_name`, :func:`kind_by_content`), or None.
        named: True when the file was named on the command line, not found in a folder.
    """
    if not kind:
        return None
    kind = OutputKind(kind)
    if kind in (OutputKind.PORTFOLIO, OutputKind.DASHBOARD, OutputKind.CAPACITY):
        return _REASONS[kind]
    return None if named else _REASONS.get(kind)


def written_by_pmo(path: Path) -> bool:
    """True for a portfolio or dashboard workbook we wrote (never a tracker, nor a copy)."""
    try:
        if not path.is_file():
            return False
        with zipfile.ZipFile(path) as zf:
            return kind_by_content(zf) in (OutputKind.PORTFOLIO, OutputKind.DASHBOARD)
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError, EOFError):
        return False


def mark_openpyxl(book: Any, kind: OutputKind | None) -> None:
    """Set (or, with None, remove) the ``PMO Output`` property of an openpyxl workbook."""
    from openpyxl.packaging.custom import StringProperty

    props = book.custom_doc_props
    if OUTPUT_PROPERTY in props.names:
        del props[OUTPUT_PROPERTY]
    if kind is not None:
        props.append(StringProperty(name=OUTPUT_PROPERTY, value=kind.value))
