"""The base of every settings section: declared, checked, frozen, compared and hashed by value.

A section declares its settings as annotated class attributes with defaults
(``stale_days: int = Field(default=14, ge=0)``) and says what a set of values must also meet
in methods marked :func:`model_validator` or :func:`field_validator`. Checking a
mapping against it (:meth:`Section.model_validate`) finds every problem at once, each
with its place (``("rag", "schedule", "spi_red")``), and raises :class:`InvalidSettings`.

No pydantic: importing it and building its models cost every cold ``pmo`` (and every
ribbon click) about 90 ms, two fifths of a ``pmo validate``, for settings that most
runs take as their defaults. The checks of a section are made the first time something
is checked against it, and :meth:`Section.default` makes the defaults without any.
"""

from __future__ import annotations

import copy
import inspect
import json
import typing
from collections.abc import Callable, Mapping
from dataclasses import FrozenInstanceError
from typing import Any, ClassVar, Self, TypeVar, cast, dataclass_transform

from addin.core.settings.fields import BAD, MISSING, Check, Field, FieldInfo, check_for, problem_at
from addin.core.settings.problems import InvalidSettings, Problem

_F = TypeVar("_F", bound=Callable[..., Any])
_MARK = "_settings_check"


def model_validator(*, mode: typing.Literal["before", "after"]) -> Callable[[_F], _F]:
    """Mark a method that checks a whole section.

    ``after``: once its settings are checked (it gets the section); ``before``: first (a
    classmethod: it gets the raw mapping and returns it). A ``ValueError`` it raises is a
    problem at the section.
    """

    def mark(method: _F) -> _F:
        setattr(getattr(method, "__func__", method), _MARK, (mode, None))
        return method

    return mark


def field_validator(name: str) -> Callable[[_F], _F]:
    """Mark a classmethod that checks (and may tidy) one setting after its type is checked."""

    def mark(method: _F) -> _F:
        setattr(getattr(method, "__func__", method), _MARK, ("field", name))
        return method

    return mark


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(Field,))
class Section:
    """A settings section: no unknown keys, frozen, every field documented, finite."""

    #: Every setting of the section, in declared order.
    model_fields: ClassVar[dict[str, FieldInfo]] = {}
    _checks: ClassVar[dict[str, list[Callable[..., Any]]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields = dict(cls.model_fields)
        for name, hint in inspect.get_annotations(cls).items():
            if name.startswith("_") or "ClassVar" in str(hint):
                continue
            declared = cls.__dict__.get(name, MISSING)
            fields[name] = (
                declared if isinstance(declared, FieldInfo) else FieldInfo(default=declared)
            )
            if name in cls.__dict__:
                delattr(cls, name)
        cls.model_fields = fields
        checks: dict[str, list[Callable[..., Any]]] = {k: list(v) for k, v in cls._checks.items()}
        for attr in cls.__dict__.values():
            function = getattr(attr, "__func__", attr)  # a classmethod's own function
            mark = getattr(function, _MARK, None)
            if mark is not None:
                mode, name = mark
                checks.setdefault(mode if name is None else f"field:{name}", []).append(function)
        cls._checks = checks

    def __init__(self, **data: Any) -> None:
        """Check ``data`` (settings by name; the rest keep their defaults) and keep it."""
        made = type(self).model_validate(data)
        object.__setattr__(self, "__dict__", made.__dict__)

    @classmethod
    def model_validate(cls, data: Any) -> Self:
        """Check a mapping of settings (nested mappings for sections) and make the section.

        Raises:
            InvalidSettings: every problem found, each with its place.
        """
        found: list[Problem] = []
        made = _checker(cls)(data, (), found)
        if found:
            raise InvalidSettings(found)
        return cast(Self, made)

    @classmethod
    def model_validate_json(cls, text: str | bytes) -> Self:
        """:meth:`model_validate` of JSON text (as :meth:`model_dump_json` writes it)."""
        return cls.model_validate(json.loads(text))

    @classmethod
    def default(cls) -> Self:
        """This section with every setting at its default: what ``cls()`` makes.

        Made from the declared defaults without checking them again (they are ours, and
        a test holds this equal to ``cls()`` value for value and type for type). One
        instance per section: it is frozen.
        """
        return cast(Self, _default(cls))

    def model_dump(self) -> dict[str, Any]:
        """The settings as a mapping (sections as nested mappings, lists as tuples)."""
        return {name: _dumped(getattr(self, name)) for name in type(self).model_fields}

    def model_dump_json(self) -> str:
        """The settings as JSON text: :meth:`model_validate_json` makes them again."""
        return json.dumps(plain(self), ensure_ascii=False, allow_nan=False)

    def model_copy(self, *, update: Mapping[str, Any]) -> Self:
        """A copy with some settings of this section changed, checked like a ``pmo.toml``."""
        return type(self).model_validate({**self.model_dump(), **update})

    @property
    def fingerprint(self) -> str:
        """A hash of every value in this section: equal settings, equal fingerprints."""
        key: str | None = self.__dict__.get("_fingerprint")
        if key is None:
            key = self.__dict__["_fingerprint"] = digest_text(self._text())
        return key

    def _text(self) -> str:
        """Every value in this section as canonical JSON text: equal settings, equal text.

        What a section is compared and hashed by (so a cache keyed by settings, such as the
        reader's header indexes, hashes no bytes: that is for :attr:`fingerprint`).
        """
        text: str | None = self.__dict__.get("_canonical")
        if text is None:
            text = self.__dict__["_canonical"] = canonical_text(plain(self))
        return text

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"{type(self).__name__}.{name}: settings are frozen")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"{type(self).__name__}.{name}: settings are frozen")

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._text()))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Section)
            and type(other) is type(self)
            and other._text() == self._text()
        )

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in type(self).model_fields)
        return f"{type(self).__name__}({shown})"


#: Per section class: its defaults, its default instance, its check (made when first needed).
_DEFAULTS: dict[type[Section], dict[str, Any]] = {}
_DEFAULT: dict[type[Section], Section] = {}
_CHECKS: dict[type[Section], Check] = {}


def _own(value: Any) -> Any:
    """A default a section holds as its own: a table changed in one changes no other.

    Nor the declaration, which may be a module's constant.
    """
    return copy.deepcopy(value) if isinstance(value, dict | list | set) else value


def _dumped(value: Any) -> Any:
    if isinstance(value, Section):
        return value.model_dump()
    if isinstance(value, dict):
        return {k: _dumped(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(_dumped(v) for v in value)
    return value


def _made(cls: type[Section], values: dict[str, Any]) -> Section:
    made = object.__new__(cls)
    object.__setattr__(made, "__dict__", values)
    return made


def _defaults(cls: type[Section]) -> dict[str, Any]:
    """The default of every setting of ``cls`` that has one (a section: its own default)."""
    if cls not in _DEFAULTS:
        values: dict[str, Any] = {}
        for name, info in cls.model_fields.items():
            factory = info.default_factory
            if info.is_required():
                continue
            if isinstance(factory, type) and issubclass(factory, Section):
                values[name] = factory.default()
            else:
                values[name] = _own(info.get_default(call_default_factory=True))
        _DEFAULTS[cls] = values
    return _DEFAULTS[cls]


def _default(cls: type[Section]) -> Section:
    if cls not in _DEFAULT:
        for name, info in cls.model_fields.items():
            if info.is_required():
                raise TypeError(f"{cls.__name__}.{name} has no default")
        _DEFAULT[cls] = _made(cls, dict(_defaults(cls)))
    return _DEFAULT[cls]


def _section_check(hint: type) -> Check | None:
    return _checker(hint) if issubclass(hint, Section) else None


def _checker(cls: type[Section]) -> Check:
    """The check of a whole section, made (its type hints read) the first time it is needed."""
    if cls not in _CHECKS:
        _CHECKS[cls] = _made_checker(cls)
    return _CHECKS[cls]


def _made_checker(cls: type[Section]) -> Check:
    hints = typing.get_type_hints(cls)
    fields = [
        (name, info, check_for(hints[name], info, _section_check))
        for name, info in cls.model_fields.items()
    ]
    before = cls._checks.get("before", [])
    after = cls._checks.get("after", [])
    tidy = {name: cls._checks.get(f"field:{name}", []) for name in cls.model_fields}

    def check(data: Any, loc: tuple[Any, ...], out: list[Problem]) -> Any:
        if isinstance(data, cls):
            return data
        try:
            for method in before:
                data = method(cls, data)
        except ValueError as exc:
            out.append(problem_at("value_error", loc, data, error=str(exc)))
            return BAD
        if not isinstance(data, Mapping):
            out.append(problem_at("model_type", loc, data))
            return BAD
        values: dict[str, Any] = {}
        found = len(out)
        for name, info, check_one in fields:
            if name not in data:
                if info.is_required():
                    out.append(problem_at("missing", (*loc, name), data))
                else:
                    values[name] = _own(_defaults(cls)[name])
                continue
            kept = check_one(data[name], (*loc, name), out)
            try:
                for method in tidy[name]:
                    kept = kept if kept is BAD else method(cls, kept)
            except ValueError as exc:
                out.append(problem_at("value_error", (*loc, name), kept, error=str(exc)))
                kept = BAD
            values[name] = kept
        for key in data:
            if not isinstance(key, str):
                out.append(problem_at("invalid_key", (*loc, key), key))
            elif key not in cls.model_fields:
                out.append(problem_at("extra_forbidden", (*loc, key), data[key]))
        if len(out) > found:
            return BAD
        made = _made(cls, values)
        try:
            for method in after:
                method(made)
        except ValueError as exc:
            out.append(problem_at("value_error", loc, data, error=str(exc)))
            return BAD
        return made

    return check


def plain(value: Any) -> Any:
    """A section's values as JSON data (tables, lists, text, numbers).

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


def canonical_text(data: Any) -> str:
    """JSON data as one text (keys in order: they are the fields' own order)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def digest(data: Any) -> str:
    """A short SHA-256 of JSON data (keys in order: they are the fields' own order)."""
    return digest_text(canonical_text(data))


def digest_text(text: str) -> str:
    """A short SHA-256 of a text (see :func:`canonical_text`)."""
    import hashlib  # here: its OpenSSL start-up is 4 ms of a ribbon click that takes defaults

    return hashlib.sha256(text.encode()).hexdigest()[:16]
