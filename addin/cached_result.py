"""Check a result loaded from the cache, field by field, before the run uses it.

The restricted unpickler of :mod:`addin.cache` only builds the engine's result types,
but pickle fills their fields with whatever the file says: a tampered cache could hand
over a project that is a list, findings that are numbers, rows of the wrong width or
rendered XML. :func:`checked_result` accepts an entry only when every field has the
type its annotation declares (dataclasses, enums, lists, tuples and dicts checked all
the way down), its data sheets hold exactly the columns of the portfolio's sheets with
cell values of the types a reader produces, and it carries no rendered rows. Anything
else is a miss: the file is read again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
from enum import Enum
from typing import Any, Union, get_args, get_origin, get_type_hints

from addin.consolidate import FileResult
from addin.portfolio import table_columns
from addin.schema import TABLE_KEYS

#: Types a cell value may have (what the reader produces and the renderer writes as text,
#: a number, a date or a truth value; never markup).
CELL_TYPES = frozenset({str, int, float, bool, dt.date, dt.datetime, type(None)})
_SCALARS = CELL_TYPES
#: Fields checked on their own (fast, and by their own rules) rather than by annotation.
_OWN_RULES = {"columns", "fragments", "file"}


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    """The resolved annotations of a dataclass (resolved once)."""
    if cls not in _HINTS:
        _HINTS[cls] = get_type_hints(cls)
    return _HINTS[cls]


def conforms(value: Any, hint: Any) -> bool:
    """True when ``value`` has the type ``hint`` declares, all the way down.

    ``Any`` accepts a cell-like scalar only (a project's values); a float accepts an int.
    """
    if hint is Any:
        return type(value) in _SCALARS
    if hint is None or hint is type(None):
        return value is None
    origin = get_origin(hint)
    args = get_args(hint)
    if origin is Union or origin is types.UnionType:
        return any(conforms(value, a) for a in args)
    if origin is list:
        return type(value) is list and all(conforms(v, args[0]) for v in value)
    if origin is dict:
        return type(value) is dict and all(
            conforms(k, args[0]) and conforms(v, args[1]) for k, v in value.items()
        )
    if origin is tuple:
        if type(value) is not tuple:
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(conforms(v, args[0]) for v in value)
        return len(value) == len(args) and all(map(conforms, value, args))
    if not isinstance(hint, type):
        return False
    if dataclasses.is_dataclass(hint):
        if type(value) is not hint:
            return False
        hints = _hints(hint)
        try:
            return all(
                conforms(getattr(value, f.name), hints[f.name]) for f in dataclasses.fields(hint)
            )
        except AttributeError:  # a field the pickle never set
            return False
    if issubclass(hint, Enum):
        return type(value) is hint
    if hint is float:
        return type(value) in (float, int)
    return type(value) is hint


def _columns_conform(result: FileResult) -> bool:
    """A tracker's data sheets: every sheet, each with its exact columns, of cell values."""
    columns = result.columns
    if type(columns) is not dict:
        return False
    if not result.status.read_as_tracker:
        return not columns
    if set(columns) != set(TABLE_KEYS):
        return False
    for key, table in columns.items():
        if type(table) is not list or len(table) != len(table_columns(key)):
            return False
        if any(type(c) is not list for c in table) or len(set(map(len, table))) != 1:
            return False
        if any(not set(map(type, c)) <= CELL_TYPES for c in table):
            return False
    return True


def checked_result(value: Any, path: str) -> FileResult | None:
    """The cached entry of ``path`` when it conforms (see the module docstring), else None."""
    if type(value) is not FileResult:
        return None
    try:
        if value.file != path or value.fragments != {}:
            return None
        hints = _hints(FileResult)
        for f in dataclasses.fields(FileResult):
            if f.name not in _OWN_RULES and not conforms(getattr(value, f.name), hints[f.name]):
                return None
        if not _columns_conform(value):
            return None
    except AttributeError:  # a field the pickle never set
        return None
    value.seconds = 0.0
    return value
