"""Where the add-in's VBA modules come from: our ``macros/`` and the xlwings package.

Our own modules are the ``*.bas`` files of the macros folder (top-level
``macros/`` in a checkout). xlwings' module is read at build time from the
installed xlwings package, never copied into this repository:

* ``xlwings_custom_addin.bas`` - ``RunPython``, UDF import and settings
  lookup. Two lines change: its ``PROJECT_NAME`` constant is set to ours, as
  xlwings' custom add-in guide says to do by hand (it names the settings sheet
  ``<name>.conf`` and the user settings file ``~/.<name>/<name>.conf``); and
  ``Option Private Module`` follows its ``#Const App`` line, so its ~50 helper
  functions (``GetConfig``, ``FileExists`` ...) stay callable from our modules
  but are not listed among the user's worksheet functions and macros.
* ``addin/Dictionary.cls`` - the class that module declares on macOS, where
  ``Scripting.Dictionary`` does not exist; without it the module does not
  compile on a Mac. xlwings' own custom add-in template ships it the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from addin.core.errors import os_reason
from addin.excel.vba.module import Module, ProjectError

__all__ = [
    "XLWINGS_BAS",
    "XLWINGS_DICTIONARY_CLS",
    "MacroSourceError",
    "bake_constants",
    "default_macros_dir",
    "read_macros",
    "xlwings_modules",
]

XLWINGS_BAS = "xlwings_custom_addin.bas"
"""xlwings' VBA module for custom add-ins, in the ``xlwings`` package folder."""
XLWINGS_DICTIONARY_CLS = "addin/Dictionary.cls"
"""The macOS ``Dictionary`` class, in the ``xlwings`` package folder."""

_PROJECT_NAME_LINE = re.compile(
    r'^(Public Const PROJECT_NAME As String = ")([^"]*)(")', re.MULTILINE | re.IGNORECASE
)
_CONST_APP_LINE = re.compile(r"^(#Const App = .*)$", re.MULTILINE | re.IGNORECASE)
PRIVATE_MODULE = "Option Private Module"


class MacroSourceError(ValueError):
    """A VBA source file is missing or not what the builder expects."""


def default_macros_dir() -> Path:
    """The top-level ``macros/`` folder of the source checkout this package runs from.

    Raises:
        MacroSourceError: When the package is installed without its checkout
            (from a wheel): then the folder must be given explicitly.
    """
    folder = Path(__file__).resolve().parents[3] / "macros"
    if not (folder / "customUI14.xml").is_file():
        raise MacroSourceError(
            f"no macros folder at {folder}: pass the folder with the add-in's VBA "
            "and ribbon sources (the repository's macros/) explicitly"
        )
    return folder


def read_macros(macros_dir: Path) -> list[Module]:
    """Our standard modules: every ``*.bas`` file of ``macros_dir``, by file name.

    Args:
        macros_dir: Folder with the ``.bas`` files.

    Returns:
        One module per file, named by its ``Attribute VB_Name`` line (or the
        file stem), source as VBA stores it.

    Raises:
        MacroSourceError: When the folder has no ``.bas`` file or one cannot be read.
    """
    paths = sorted(macros_dir.glob("*.bas"))
    if not paths:
        raise MacroSourceError(f"{macros_dir}: no .bas module to build the add-in from")
    modules = []
    for path in paths:
        try:
            modules.append(Module.from_bas(_read_text(path), default_name=path.stem))
        except ProjectError as error:
            raise MacroSourceError(f"{path}: {error}") from error
    return modules


def xlwings_modules(project_name: str) -> list[Module]:
    """Return xlwings' custom add-in module and its macOS ``Dictionary`` class.

    Args:
        project_name: Value for the module's ``PROJECT_NAME`` constant.

    Returns:
        ``[xlwings module, Dictionary class]``.

    Raises:
        MacroSourceError: When the files are missing from the installed
            xlwings or the ``PROJECT_NAME`` line is not found exactly once.
    """
    package = resources.files("xlwings")
    bas = _read_resource(package.joinpath(XLWINGS_BAS), XLWINGS_BAS)
    bas, count = _PROJECT_NAME_LINE.subn(rf"\g<1>{project_name}\g<3>", bas)
    if count != 1:
        raise MacroSourceError(
            f"xlwings/{XLWINGS_BAS}: expected one PROJECT_NAME constant, found {count}"
        )
    bas, count = _CONST_APP_LINE.subn(rf"\g<1>\n{PRIVATE_MODULE}", bas, count=1)
    if count != 1:
        raise MacroSourceError(f"xlwings/{XLWINGS_BAS}: no '#Const App' line")
    cls_text = _read_resource(package.joinpath(XLWINGS_DICTIONARY_CLS), XLWINGS_DICTIONARY_CLS)
    return [Module.from_bas(bas), Module.from_cls(cls_text)]


def bake_constants(module: Module, values: dict[str, str]) -> Module:
    """Set the value of ``Public|Private Const NAME As String = "..."`` lines of ``module``.

    Args:
        module: The module whose source declares the constants.
        values: Constant name -> text; each must be declared exactly once and the
            text must not hold a double quote or a line break.

    Returns:
        The module with the new values.

    Raises:
        MacroSourceError: For a missing or repeated constant or an unusable value.
    """
    source = module.source
    for name, value in values.items():
        if '"' in value or "\r" in value or "\n" in value:
            raise MacroSourceError(f"{name}: {value!r} cannot be a VBA string constant")
        line = re.compile(
            rf'^((?:Public |Private )?Const {re.escape(name)} As String = ")[^"\r\n]*(")',
            re.MULTILINE,
        )
        source, count = line.subn(_replacement(value), source)
        if count != 1:
            raise MacroSourceError(
                f"module {module.name}: expected one String constant {name}, found {count}"
            )
    return Module(module.name, source, module.kind)


def _replacement(value: str) -> Callable[[re.Match[str]], str]:
    """A ``re.sub`` replacement putting ``value`` between the match's two groups, literally."""

    def replace(match: re.Match[str]) -> str:
        return match.group(1) + value + match.group(2)

    return replace


def _read_text(path: Path) -> str:
    """Read a source file as UTF-8 (with or without BOM), falling back to Windows-1252."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise MacroSourceError(f"{path}: {os_reason(error)}") from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise MacroSourceError(f"{path}: neither UTF-8 nor Windows-1252 text") from error


def _read_resource(resource: Traversable, name: str) -> str:
    """Read a text file of the xlwings package."""
    try:
        return resource.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise MacroSourceError(f"xlwings/{name}: cannot be read ({error})") from error
