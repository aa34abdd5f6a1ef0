"""The ribbon XML against the customUI 2009/07 schema.

The real ``customUI14.xsd`` ([MS-CUSTOMUI2] §5.1) could not be obtained offline, so
``schemas/customUI14-subset.xsd`` is a strict subset transcribed from the
specification (see its header): what it declares follows the specification, and
anything it does not declare fails. The rules XSD 1.0 cannot say are checked here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from addin.excel.xlam import CUSTOM_UI

from .conftest import MACROS

SCHEMA = Path(__file__).parent / "schemas" / "customUI14-subset.xsd"
NS = "{http://schemas.microsoft.com/office/2009/07/customui}"
EXCLUSIVE = [
    ("label", "getLabel"),
    ("screentip", "getScreentip"),
    ("supertip", "getSupertip"),
    ("enabled", "getEnabled"),
    ("visible", "getVisible"),
    ("size", "getSize"),
    ("keytip", "getKeytip"),
    ("description", "getDescription"),
    ("showLabel", "getShowLabel"),
    ("showImage", "getShowImage"),
]


def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def problems(xml: bytes) -> list[str]:
    """Schema errors, then the specification's rules the schema cannot express."""
    document = etree.fromstring(xml)
    validator = schema()
    if not validator.validate(document):
        return [str(error.message) for error in validator.error_log]
    out = []
    for element in document.iter(f"{NS}tab", f"{NS}group", f"{NS}button"):
        ids = [a for a in ("id", "idQ", "idMso") if element.get(a) is not None]
        if len(ids) != 1:
            out.append(f"{element.tag}: exactly one of id, idQ, idMso ({ids})")
        for a, b in EXCLUSIVE:
            if element.get(a) is not None and element.get(b) is not None:
                out.append(f"{element.get('id')}: {a} and {b} together")
        images = [a for a in ("image", "imageMso", "getImage") if element.get(a) is not None]
        if len(images) > 1:
            out.append(f"{element.get('id')}: {images} are mutually exclusive")
    return out


def test_our_ribbon_is_valid() -> None:
    assert problems((MACROS / CUSTOM_UI).read_bytes()) == []


BASE = (
    b'<customUI xmlns="http://schemas.microsoft.com/office/2009/07/customui"><ribbon><tabs>'
    b'<tab id="t" label="T"><group id="g" label="G">%s</group></tab></tabs></ribbon></customUI>'
)


@pytest.mark.parametrize(
    ("button", "words"),
    [
        (b'<button id="b" size="huge"/>', "size"),
        (b'<button id="b" onAction=""/>', "onAction"),
        (b'<button id="1b"/>', "id"),
        (b'<button id="b"/><button id="b"/>', "ST_UniqueID"),  # xsd:ID: unique
        (b'<button id="b" colour="red"/>', "colour"),
        (b'<button id="b" keytip="ABCD"/>', "keytip"),
        (b'<toggleButton id="b"/>', "toggleButton"),
        (b'<button id="b" label="x" getLabel="F"/>', "label and getLabel"),
        (b'<button label="x"/>', "exactly one of id"),
        (b'<button id="b" image="i" imageMso="Help"/>', "mutually exclusive"),
    ],
)
def test_the_check_catches_what_office_would_refuse(button: bytes, words: str) -> None:
    found = problems(BASE % button)
    assert found and any(words in p for p in found), found
