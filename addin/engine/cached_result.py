"""Check a result loaded from the cache, field by field, before the run uses it.

The restricted unpickler of :mod:`addin.engine.cache` only builds the engine's result
types, but pickle fills their fields with whatever the file says: a tampered cache
could hand over a project that is a list, findings that are numbers, a table whose
columns are of different lengths, or markup where a value belongs.
:func:`checked_result` accepts an entry only when every field has the type its
annotation declares (dataclasses, named tuples, enums, lists, tuples and dicts checked
all the way down), and each table holds exactly its kind's columns, all packed as a
worker packs them (:mod:`addin.engine.packed`) and as long as its rows, of the cell
values a reader produces, and the dimensions are the registered ones, by name. Anything
else is a miss: the file is read again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Union, get_args, get_origin, get_type_hints

from addin.core.findings import sort_findings
from addin.core.kinds import kind
from addin.core.rules import RuleId
from addin.core.tracker import Table
from addin.engine.cache_payload import loads
from addin.engine.packed import PackedColumn
from addin.engine.pipeline import TrackerResult
from addin.rag.registry import registered

#: Types a cell value may have (what the reader produces; never markup).
CELL_TYPES = frozenset({str, int, float, bool, dt.date, dt.datetime, type(None)})
#: Fields checked on their own rules rather than by annotation.
_OWN_RULES = frozenset({"file", "tables"})

Check = Callable[[Any], bool]
_CHECKS: dict[Any, Check] = {}


def checker(hint: Any) -> Check:
    """A function telling whether a value has the type ``hint`` declares, all the way down.

    Built once per annotation (dataclasses, named tuples, enums, unions, lists, tuples,
    dicts, mappings); ``Any`` accepts a cell-like scalar only, a float accepts an int, and
    a dataclass field the pickle never set fails the check.
    """
    found = _CHECKS.get(hint)
    if found is None:
        # A type that holds itself (``TableInfo.parts``) meets its own hint while being
        # built: it gets a forward to the checker that is still being made.
        built: list[Check] = []
        _CHECKS[hint] = lambda v: built[0](v)
        found = _CHECKS[hint] = _build(hint)
        built.append(found)
    return found


def _build(hint: Any) -> Check:
    if hint is Any:
        return lambda v: type(v) in CELL_TYPES
    if hint is None or hint is type(None):
        return lambda v: v is None
    origin, args = get_origin(hint), get_args(hint)
    if origin is Union or origin is types.UnionType:
        options = [checker(a) for a in args]
        return lambda v: any(check(v) for check in options)
    if origin is list or origin is Sequence:  # a sequence is pickled as the list it reads as
        item = checker(args[0])
        return lambda v: type(v) is list and all(map(item, v))
    if origin in (dict, Mapping):
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
    if issubclass(hint, tuple) and hasattr(hint, "_fields"):
        return _named_tuple_checker(hint)
    if hint is float:
        return lambda v: type(v) is float or type(v) is int
    if hint is str:  # a finding's rule is its RuleId, a str
        return lambda v: type(v) is str or type(v) is RuleId
    return lambda v: type(v) is hint  # str, int, bool, dt.date, an enum: exactly that type


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


def _named_tuple_checker(cls: type[tuple[Any, ...]]) -> Check:
    """Exactly a ``cls``, each of its items of the type its field declares."""
    hints = get_type_hints(cls)
    items = [checker(hints[name]) for name in cls._fields]  # type: ignore[attr-defined]

    def check(v: Any) -> bool:
        return (
            type(v) is cls
            and len(v) == len(items)
            and all(c(x) for c, x in zip(items, v, strict=True))
        )

    return check


@functools.cache
def _result_fields() -> Check:
    """The check of a result's own fields, built when a run first checks an entry.

    Built from the result's type hints, all the way down (1.3 ms): a re-run whose
    entries are all sealed (:func:`from_cache` with ``checked=False``) never builds it.
    """
    return _dataclass_checker(TrackerResult, _OWN_RULES)


def _table_conforms(key: str, table: Any) -> bool:
    """A kind's table: exactly its fields' columns, each as long as its rows, of cell values."""
    if type(table) is not Table or table.kind != key:
        return False
    try:
        n = len(table.rows)
        names = {f.name for f in kind(key).fields}
        if type(table.columns) is not dict or set(table.columns) != names:
            return False
        packed = [c for c in table.columns.values() if type(c) is PackedColumn and len(c) == n]
        if len(packed) != len(names):
            return False
        if not all(set(map(type, c.decoded())) <= CELL_TYPES for c in packed):
            return False
        if type(table.rows) is not list or not all(
            type(r) in (int, type(None)) for r in table.rows
        ):
            return False
        if type(table.sheets) is not list or len(table.sheets) != n:
            return False
        if not all(type(s) is str for s in table.sheets):
            return False
        cols = table.cols
        if cols is not None and (
            type(cols) is not list
            or len(cols) != n
            or not all(type(c) in (int, type(None)) for c in cols)
        ):
            return False
        extra = table.extra
        return extra is None or (
            type(extra) is list
            and len(extra) == n
            and all(type(e) is dict and set(map(type, e.values())) <= CELL_TYPES for e in extra)
        )
    except (AttributeError, KeyError, ValueError):  # a field never set, an unknown kind, a
        return False  # packed column that does not decode


def checked_result(value: Any, path: str) -> TrackerResult | None:
    """The cached entry of ``path`` when it conforms (see the module docstring), else None."""
    if not _result_fields()(value):
        return None
    result: TrackerResult = value
    try:
        if result.file != path or type(result.tables) is not dict:
            return None
        if not all(_table_conforms(k, t) for k, t in result.tables.items()):
            return None
        # The run looks dimensions up by name: exactly the registered ones, in their order.
        if result.dims is not None and tuple(n for n, _ in result.dims.judged) != tuple(
            spec.name for spec in registered()
        ):
            return None
    except AttributeError:  # a field the pickle never set
        return None
    # A run sets its own findings among the file's, which it takes as sorted (see finish).
    result.findings = sort_findings(result.findings, result.sheet_order)
    result.seconds = 0.0
    return result


def from_cache(blob: bytes, path: str, *, checked: bool = True) -> TrackerResult | None:
    """The result a cache entry's bytes hold, when they unpickle safely and conform; else None.

    ``checked=False`` is for an entry this user's ``pmo`` sealed (:mod:`addin.core.seal`):
    what it wrote, unchanged, so only its type and file are looked at.
    """
    try:
        value = loads(blob)
    except Exception:  # anything a tampered entry can make the restricted unpickler raise
        return None
    if checked:
        return checked_result(value, path)
    if type(value) is not TrackerResult or value.file != path:
        return None
    value.seconds = 0.0
    return value
