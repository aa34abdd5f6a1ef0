"""One VBA module ([MS-OVBA]): its name, kind and source exactly as VBA stores it.

Module source is kept as VBA stores it: CRLF line endings, encoded in the
project code page, starting with the ``Attribute`` lines the editor hides.
:class:`Module` reads ``.bas`` and ``.cls`` files the way the VBA editor's
*Import File* does, and makes the document modules of a workbook and its sheets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

__all__ = [
    "CODEPAGE",
    "ENCODING",
    "Module",
    "ModuleKind",
    "ProjectError",
    "check_identifier",
    "normalize_source",
]

CODEPAGE = 1252
"""Windows-1252: the code page of the project's MBCS strings and source."""
ENCODING = "cp1252"
"""Python's name of the project code page."""

_WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
_WORKSHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"
_CLASS_BASE = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"

_VB_NAME = re.compile(r'^Attribute VB_Name = "([^"]*)"\s*$', re.IGNORECASE)
_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,30}$")


class ProjectError(ValueError):
    """A VBA project cannot be built from the given modules or names."""


class ModuleKind(Enum):
    """What a module is: the MODULETYPE record and the PROJECT stream keyword."""

    STANDARD = "Module"
    """A standard (procedural) module, MODULETYPE 0x0021."""
    DOCUMENT = "Document"
    """The code behind the workbook or a sheet, MODULETYPE 0x0022."""
    CLASS = "Class"
    """A class module, MODULETYPE 0x0022."""


@dataclass(frozen=True)
class Module:
    """One VBA module: its name, kind and source exactly as VBA stores it."""

    name: str
    """Module name, also the name of its stream in the ``VBA`` storage."""
    source: str
    """Source code with CRLF line endings, ``Attribute VB_Name`` line first."""
    kind: ModuleKind = ModuleKind.STANDARD
    """Standard, document or class module."""

    @classmethod
    def from_bas(cls, text: str, default_name: str | None = None) -> Module:
        """Read a ``.bas`` file the way the VBA editor's *Import File* does.

        The module is named by its leading ``Attribute VB_Name`` line, or
        ``default_name`` when the file has none; either way the stored source
        starts with ``Attribute VB_Name = "<name>"``. Line endings become CRLF.

        Args:
            text: Contents of the ``.bas`` file.
            default_name: Name to use when the file has no ``VB_Name`` line.

        Returns:
            A standard module.

        Raises:
            ProjectError: When there is no name or it is not a VBA identifier.
        """
        lines = normalize_source(text).split("\r\n")
        name = default_name
        if lines and (match := _VB_NAME.match(lines[0])):
            name = match.group(1)
            lines = lines[1:]
        if name is None:
            raise ProjectError("the .bas file has no Attribute VB_Name line and no name was given")
        check_identifier(name, "module")
        return cls(name, f'Attribute VB_Name = "{name}"\r\n' + "\r\n".join(lines))

    @classmethod
    def from_cls(cls, text: str) -> Module:
        """Read a ``.cls`` class module file the way *Import File* does.

        The ``VERSION``/``BEGIN``...``END`` header is dropped. As the editor
        does, ``VB_Base`` is added after ``VB_Name``, and ``VB_TemplateDerived``
        and ``VB_Customizable`` (both False) after ``VB_Exposed`` when absent.

        Args:
            text: Contents of the ``.cls`` file.

        Returns:
            A class module.

        Raises:
            ProjectError: When the file has no ``Attribute VB_Name`` line.
        """
        lines = normalize_source(text).split("\r\n")
        if lines and lines[0].upper().startswith("VERSION "):
            end = next((i for i, line in enumerate(lines) if line.strip().upper() == "END"), None)
            if end is None:
                raise ProjectError("the .cls file has a VERSION header without END")
            lines = lines[end + 1 :]
        match = _VB_NAME.match(lines[0]) if lines else None
        if match is None:
            raise ProjectError("the .cls file has no Attribute VB_Name line")
        name = match.group(1)
        check_identifier(name, "module")
        header = _leading(lines, "Attribute VB_")
        body = lines[len(header) :]
        keys = {line.split("=")[0].strip() for line in header}
        stored = [header[0]]
        if "Attribute VB_Base" not in keys:
            stored.append(f'Attribute VB_Base = "{_CLASS_BASE}"')
        for line in header[1:]:
            stored.append(line)
            if line.startswith("Attribute VB_Exposed "):
                stored += [
                    f"Attribute {key} = False"
                    for key in ("VB_TemplateDerived", "VB_Customizable")
                    if f"Attribute {key}" not in keys
                ]
        return cls(name, "\r\n".join(stored + body), ModuleKind.CLASS)

    @classmethod
    def document(cls, name: str, *, workbook: bool) -> Module:
        """An empty document module: ``ThisWorkbook`` or a worksheet's code.

        Args:
            name: Code name, matching ``codeName`` in the workbook XML.
            workbook: True for the workbook's module, False for a worksheet's.

        Returns:
            A document module with the attribute lines Excel writes.
        """
        check_identifier(name, "module")
        base = _WORKBOOK_BASE if workbook else _WORKSHEET_BASE
        attributes = [
            f'VB_Name = "{name}"',
            f'VB_Base = "{base}"',
            "VB_GlobalNameSpace = False",
            "VB_Creatable = False",
            "VB_PredeclaredId = True",
            "VB_Exposed = True",
            "VB_TemplateDerived = False",
            "VB_Customizable = True",
        ]
        source = "".join(f"Attribute {line}\r\n" for line in attributes)
        return cls(name, source, ModuleKind.DOCUMENT)

    def encoded(self) -> bytes:
        """The source in the project code page.

        Raises:
            ProjectError: When the source has a character Windows-1252 lacks.
        """
        try:
            return self.source.encode(ENCODING)
        except UnicodeEncodeError as error:
            line = self.source.count("\r\n", 0, error.start) + 1
            raise ProjectError(
                f"module {self.name}, line {line}: {self.source[error.start]!r} "
                f"is not in code page {CODEPAGE}"
            ) from error


def normalize_source(text: str) -> str:
    """Return ``text`` with every line ending (LF, CR or CRLF) turned into CRLF."""
    return "\r\n".join(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def _leading(lines: list[str], prefix: str) -> list[str]:
    """The run of ``lines`` at the start that begin with ``prefix``."""
    run: list[str] = []
    for line in lines:
        if not line.startswith(prefix):
            break
        run.append(line)
    return run


def check_identifier(name: str, what: str) -> None:
    """Refuse a name VBA would not accept for a project or module."""
    if not _IDENTIFIER.match(name):
        raise ProjectError(
            f"{what} name {name!r} must start with a letter and have at most 31 "
            "letters, digits or underscores"
        )
