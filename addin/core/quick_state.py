"""Faster pickling of slotted dataclasses: the same state, without ``fields()`` per object.

``@dataclass(slots=True)`` gives a class ``__getstate__``/``__setstate__`` that call
:func:`dataclasses.fields` for every object pickled or unpickled. The engine pickles a
result per tracker to its parent and into the cache, each holding a dozen such objects
(and, on a messy tracker, hundreds of findings, then dataclasses too: now named tuples,
see :class:`~addin.core.findings.Finding`); ``fields()`` was most of the time spent
unpickling them (0.84 -> 0.56 ms a messy tracker). :func:`quick_state` gives a class
the same methods with its field names looked up once: the state is still the list of
field values in field order, so pickles (and cache entries) made either way read the
same. Its ``__setstate__`` is written out field by field, as ``dataclasses`` writes an
``__init__``: a loop over the names cost a fifth of unpickling a messy tracker's result
(0.59 -> 0.48 ms); and each field is set by its slot's own descriptor rather than by
``object.__setattr__`` with its name (a nine-field object unpickled 1.6 -> 1.2 us).
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import operator
import types
from typing import Any, TypeVar

C = TypeVar("C", bound=type)


def quick_state(cls: C) -> C:
    """Give a slotted dataclass ``__getstate__``/``__setstate__`` with its fields looked up once.

    Apply it above ``@dataclass(..., slots=True)`` (it needs the class the decorator made).

    Raises:
        TypeError: ``cls`` is not a slotted dataclass.
    """
    if not dataclasses.is_dataclass(cls) or "__slots__" not in vars(cls):
        raise TypeError(f"quick_state needs a slotted dataclass, not {cls!r}")
    names = tuple(f.name for f in dataclasses.fields(cls))
    if not names:
        return cls
    values = operator.attrgetter(*names)
    one = len(names) == 1

    def __getstate__(self: Any) -> list[Any]:
        return [values(self)] if one else list(values(self))

    cls.__getstate__ = __getstate__  # type: ignore[method-assign]
    cls.__setstate__ = _setter(names, [_slot_setter(cls, name) for name in names])  # type: ignore[attr-defined]
    return cls


def _slot_setter(cls: type, name: str) -> Any:
    """What sets field ``name`` of a ``cls`` object: its slot's own ``__set__``.

    A slot's descriptor sets the value straight into the object, past a frozen class's
    ``__setattr__`` as ``object.__setattr__`` does, for a third less than calling that
    with the name (1.6 -> 1.2 us a nine-field object unpickled). A field that is not a slot of
    the class (none is, in a slotted dataclass) is set through ``object.__setattr__``.
    """
    for klass in cls.__mro__:
        slot = vars(klass).get(name)
        if slot is not None:
            if isinstance(slot, types.MemberDescriptorType):
                return slot.__set__
            break
    return lambda obj, value: object.__setattr__(obj, name, value)


def _setter(names: tuple[str, ...], setters: list[Any]) -> Any:
    """``__setstate__`` for fields ``names``: a full state set field by field, without a loop.

    ``setters[i]`` sets field ``names[i]`` of an object. A state of another length sets
    the names it reaches, as dataclasses' own does (a short one sets less). The names
    are a dataclass's fields, so identifiers.
    """
    lines = [
        "def __setstate__(self, state):",
        f"    if len(state) != {len(names)}:",
        "        for name, value in zip(names, state):",
        "            put(self, name, value)",
        "        return",
        *(f"    set_{i}(self, state[{i}])" for i in range(len(names))),
    ]
    scope: dict[str, Any] = {"put": object.__setattr__, "names": names}  # frozen classes too
    scope.update({f"set_{i}": setter for i, setter in enumerate(setters)})
    exec("\n".join(lines), scope)  # code made of field names, as dataclasses makes __init__
    return scope["__setstate__"]


def rows_as_tuples(cls: C, name: str, row: type[tuple[Any, ...]]) -> C:
    """Pickle a :func:`quick_state` class's list of ``row`` named tuples as plain tuples.

    Field ``name`` holds the list; unpickled, its tuples are made ``row`` objects again.

    A named tuple pickles through two Python calls of its own (``__getnewargs__`` and its
    ``__new__``), a plain tuple through none: a messy tracker's 235 findings cost its
    result a third of its unpickling. The rows are made again by ``tuple.__new__``, as
    ``row._make`` makes them, without a Python call each; a list of ``row`` objects (as
    pickled before) reads the same. A field that holds no list is pickled as its object
    says: packed findings, say, as the list of plain tuples they stand for, or (to the
    run, from its worker) packed.

    Raises:
        TypeError: ``cls`` has no quick state, or no field ``name``.
    """
    get: Any = cls.__getstate__
    put: Any = getattr(cls, "__setstate__", None)
    if put is None or not get.__qualname__.startswith("quick_state."):
        raise TypeError(f"rows_as_tuples needs a quick_state class, not {cls!r}")
    names = [f.name for f in dataclasses.fields(cls)]
    if name not in names:
        raise TypeError(f"{cls!r} has no field {name!r}")
    at = names.index(name)
    make = tuple.__new__

    def __getstate__(self: Any) -> list[Any]:
        state: list[Any] = get(self)
        if type(state[at]) is list:  # anything else pickles as it says (packed findings)
            with contextlib.suppress(TypeError):  # not rows: kept, refused when read back
                state[at] = list(map(tuple, state[at]))
        return state

    def __setstate__(self: Any, state: list[Any]) -> None:
        if len(state) > at and type(state[at]) is list:
            state = list(state)
            state[at] = list(map(make, itertools.repeat(row), state[at]))
        put(self, state)

    __getstate__.__qualname__ = f"quick_state.{name}_rows.__getstate__"
    __setstate__.__qualname__ = f"quick_state.{name}_rows.__setstate__"
    cls.__getstate__ = __getstate__  # type: ignore[assignment]
    cls.__setstate__ = __setstate__  # type: ignore[attr-defined]
    return cls
