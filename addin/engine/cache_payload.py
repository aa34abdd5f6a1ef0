"""What a cache entry may hold, and how it is pickled and unpickled.

An entry's result is unpickled with a restricted unpickler that builds only the engine's
own result types (and the builtins and dates they hold), so a tampered cache file cannot
run code; :func:`shape`, part of every entry's fingerprint, changes when those types do
(see :mod:`addin.engine.cache`).
"""

from __future__ import annotations

import functools
import hashlib
import io
import pickle
from typing import Any

__all__ = ["dumps", "loads", "shape"]

#: The builtins a cached payload may hold (and dates: see :class:`_SafeUnpickler`).
_ALLOWED_BUILTINS = {"set", "frozenset", "list", "dict", "tuple", "bytes", "bytearray", "str"}
_ALLOWED_BUILTINS.update(("int", "float"))

#: The engine's result types a cached payload may hold; nothing else is ever constructed
#: (a class that touches files, such as a cache or a workbook, must not be reachable).
_ALLOWED_ENGINE = {
    ("addin.engine.pipeline", "TrackerResult"),
    ("addin.core.tracker", "Table"),
    ("addin.engine.packed", "PackedColumn"),
    ("addin.core.kinds.project", "Project"),
    ("addin.core.identity", "Identity"),
    ("addin.core.findings", "FileStatus"),
    ("addin.core.findings", "Finding"),
    ("addin.core.severity", "Severity"),
    ("addin.core.findings", "TableInfo"),
    ("addin.core.domain", "Rag"),
    ("addin.core.rule_ids", "RuleId"),
    ("addin.rag.model", "Dimension"),
    ("addin.rag.model", "Dimensions"),
    ("addin.rag.model", "Metrics"),
    ("addin.rag.quality", "ScheduleQuality"),
}


@functools.cache
def shape() -> str:
    """A digest of the fields of the result types and the members of its enums.

    Part of every entry's fingerprint, so an entry made by code whose types had other
    fields, or held their values in another form (a development install keeps its
    version number), is a miss, never loaded into the wrong shape.
    """
    import dataclasses
    import enum
    import importlib

    names = []
    for module, name in sorted(_ALLOWED_ENGINE):
        cls = getattr(importlib.import_module(module), name)
        if dataclasses.is_dataclass(cls):
            held = f"{name}({','.join(f.name for f in dataclasses.fields(cls))})"
        elif isinstance(cls, type) and issubclass(cls, tuple) and hasattr(cls, "_fields"):
            held = f"{name}<{','.join(cls._fields)}>"  # a named tuple
        elif isinstance(cls, type) and issubclass(cls, enum.Enum):
            held = f"{name}[{','.join(str(m.value) for m in cls)}]"
        else:
            held = f"{name}{sorted(getattr(cls, '__slots__', ()))}"
        names.append(f"{held}{getattr(cls, 'FORM', '')}")  # how it pickles (PackedColumn)
    return hashlib.blake2b("|".join(names).encode(), digest_size=8).hexdigest()


#: What :class:`_SafeUnpickler` found for each allowed name: every entry names the same
#: dozen classes, and finding one anew cost a re-run 15,000 lookups.
_FOUND: dict[tuple[str, str], Any] = {}


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        try:
            return _FOUND[module, name]
        except KeyError:
            pass
        allowed = (
            (module == "builtins" and name in _ALLOWED_BUILTINS)
            or (module == "datetime" and name in ("date", "datetime", "time", "timedelta"))
            or (module, name) in _ALLOWED_ENGINE
        )
        if not allowed:
            raise pickle.UnpicklingError(f"refusing to load {module}.{name} from the cache")
        found = _FOUND[module, name] = super().find_class(module, name)
        return found


def loads(blob: bytes) -> Any:
    """Unpickle a cache payload, allowing only engine result types."""
    return _SafeUnpickler(io.BytesIO(blob)).load()


def dumps(value: Any) -> bytes:
    """Pickle a cache payload."""
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
