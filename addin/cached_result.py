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
from collections.abc import Callable
from typing import Any, Union, get_args, get_origin, get_type_hints

from addin.cache import loads
from addin.consolidate import FileResult
from addin.portfolio import table_columns
from addin.schema import TABLE_KEYS

#: Types a cell value may have (what the reader produces and the renderer writes as text,
#: a number, a date or a truth value; never markup).
CELL_TYPES = frozenset({str, int, float, bool, dt.date, dt.datetime, type(None)})
_SCALARS = CELL_TYPES
#: Fields checked on their own (fast, and by their own rules) rather than by annotation.
_OWN_RULES = {"columns", "fragments", "file"}


Check = Callable[[Any], bool]
_CHECKS: dict[Any, Check] = {}


def checker(hint: Any) -> Check:
    """A function telling whether a value has the type ``hint`` declares, all the way down.

    Built once per annotation (dataclasses, enums, unions, lists, tuples, dicts); ``Any``
    accepts a cell-like scalar only (a project's values), a float accepts an int, and a
    dataclass field the pickle never set fails the check.
    """
    found = _CHECKS.get(hint)
    if found is None:
        found = _CHECKS[hint] = _build(hint)
    return found


def _exact(kind: Any) -> Check:
    return lambda v: type(v) is kind


def _build(hint: Any) -> Check:
    if hint is Any:
        return lambda v: type(v) in _SCALARS
    if hint is None or hint is type(None):
        return lambda v: v is None
    origin, args = get_origin(hint), get_args(hint)
    if origin is Union or origin is types.UnionType:
        options = [checker(a) for a in args]
        return lambda v: any(check(v) for check in options)
    if origin is list:
        item = checker(args[0])
        return lambda v: type(v) is list and all(map(item, v))
    if origin is dict:
        key, val = checker(args[0]), checker(args[1])
        return lambda v: type(v) is dict and all(map(key, v)) and all(map(val, v.values()))
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = checker(args[0])
            return lambda v: type(v) is tuple and all(map(item, v))
        items = [checker(a) for a in args]
        return lambda v: (
            type(v) is tuple
            and len(v) == len(items)
            and all(c(x) for c, x in zip(items, v, strict=True))
        )
    if not isinstance(hint, type):
        return lambda v: False
    if dataclasses.is_dataclass(hint):
        return _dataclass_checker(hint, skip=frozenset())
    if hint is float:
        return lambda v: type(v) is float or type(v) is int
    return _exact(hint)  # str, int, bool, dt.date, an enum: exactly that type


def _dataclass_checker(cls: type, skip: frozenset[str]) -> Check:
    hints = get_type_hints(cls)
    fields = [
        (f.name, checker(hints[f.name])) for f in dataclasses.fields(cls) if f.name not in skip
    ]

    def check(v: Any) -> bool:
        if type(v) is not cls:
            return False
        try:
            return all(c(getattr(v, name)) for name, c in fields)
        except AttributeError:  # a field the pickle never set
            return False

    return check


#: Every field of a result but those checked by their own rules below.
_RESULT_FIELDS = _dataclass_checker(FileResult, frozenset(_OWN_RULES))
#: Columns of each data sheet.
_WIDTHS = {key: len(table_columns(key)) for key in TABLE_KEYS}


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
        if type(table) is not list or len(table) != _WIDTHS.get(key):
            return False
        if any(type(c) is not list for c in table) or len(set(map(len, table))) != 1:
            return False
        if any(not set(map(type, c)) <= CELL_TYPES for c in table):
            return False
    return True


def checked_result(value: Any, path: str) -> FileResult | None:
    """The cached entry of ``path`` when it conforms (see the module docstring), else None."""
    if not _RESULT_FIELDS(value):
        return None
    result: FileResult = value
    try:
        if result.file != path or result.fragments != {} or not _columns_conform(result):
            return None
    except AttributeError:  # a field the pickle never set
        return None
    result.seconds = 0.0
    return result


def from_cache(blob: bytes, path: str) -> FileResult | None:
    """The result a cache entry's bytes hold, when they unpickle safely and conform; else None."""
    try:
        return checked_result(loads(blob), path)
    except Exception:  # anything a tampered entry can make the restricted unpickler raise
        return None
