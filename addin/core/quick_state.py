"""Faster pickling of slotted dataclasses: the same state, without ``fields()`` per object.

``@dataclass(slots=True)`` gives a class ``__getstate__``/``__setstate__`` that call
:func:`dataclasses.fields` for every object pickled or unpickled. The engine pickles a
result per tracker to its parent and into the cache, each holding a dozen such objects
and, on a messy tracker, hundreds of findings; ``fields()`` was most of the time spent
unpickling them (0.84 -> 0.56 ms a messy tracker). :func:`quick_state` gives a class
the same methods with its field names looked up once: the state is still the list of
field values in field order, so pickles (and cache entries) made either way read the
same.
"""

from __future__ import annotations

import dataclasses
import operator
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
    put = object.__setattr__  # frozen classes too

    def __getstate__(self: Any) -> list[Any]:
        return [values(self)] if one else list(values(self))

    def __setstate__(self: Any, state: list[Any]) -> None:
        for name, value in zip(names, state, strict=False):  # as dataclasses' own: short sets less
            put(self, name, value)

    cls.__getstate__ = __getstate__  # type: ignore[method-assign]
    cls.__setstate__ = __setstate__  # type: ignore[attr-defined]
    return cls
