"""The base of every settings section: frozen, documented, compared and hashed by value.

A section's validator is built the first time something is validated against it
(``defer_build``), not when its module is imported: building the validators of every
section cost each cold ``pmo`` about 30 ms, as much as reading a tracker, and a command
that reads no settings file needs none of them (:meth:`Section.default`,
:attr:`Section.fingerprint`).
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from typing import Any, Self, cast

from pydantic import BaseModel, ConfigDict, PrivateAttr


class Section(BaseModel):
    """A settings section: no unknown keys, frozen, every field documented, finite."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)

    _key: str | None = PrivateAttr(default=None)

    @classmethod
    def default(cls) -> Self:
        """This section with every setting at its default: what ``cls()`` makes.

        Made from the declared defaults without validating them again (they are ours, and
        a test holds this equal to ``cls()`` value for value and type for type), so it
        builds no validator. One instance per section: it is frozen.
        """
        return cast(Self, _default(cls))

    @property
    def fingerprint(self) -> str:
        """A hash of every value in this section: equal settings, equal fingerprints."""
        if self._key is None:
            self._key = digest(plain(self))
        return self._key

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.fingerprint))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Section)
            and type(other) is type(self)
            and other.fingerprint == self.fingerprint
        )


def plain(value: Any) -> Any:
    """A section's values as JSON data (tables, lists, text, numbers), without pydantic.

    A number is a float whatever it was written as (``10`` and ``10.0`` are one setting,
    as a float field reads both), and ``true`` stays ``true``, not ``1.0``: two sections
    write the same JSON text (:func:`digest`) exactly when their values are equal.
    """
    if isinstance(value, Section):
        return {name: plain(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


def digest(data: Any) -> str:
    """A short SHA-256 of JSON data (keys in order: they are the fields' own order)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@cache
def _default(cls: type[Section]) -> Section:
    values: dict[str, Any] = {}
    for name, info in cls.model_fields.items():
        if info.is_required():
            raise TypeError(f"{cls.__name__}.{name} has no default")
        factory = info.default_factory
        if isinstance(factory, type) and issubclass(factory, Section):
            values[name] = factory.default()
        else:
            values[name] = info.get_default(call_default_factory=True)
    return cls.model_construct(_fields_set=set(), **values)
