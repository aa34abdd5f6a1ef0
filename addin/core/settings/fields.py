"""What a setting accepts: its declaration (:func:`Field`) and the check of one value.

A setting is declared on a section as ``spi_red: float = Field(default=0.85, gt=0, le=1000)``.
Values arrive from TOML, from a workbook's ``PMO Settings`` sheet (a number typed as
text, 1 for true) or from code, and are read the way a person means them, as the
pydantic models these replaced read any value TOML or a sheet can hold
(``tests/test_settings_checks.py`` holds the two equal value for value and problem for
problem; bytes, which neither can hold, are not text or numbers here):

- a number accepts an int, a float or numeric text (``" 0.5 "``), never NaN or
  infinity; a whole number also accepts ``3.0`` and ``"3.0"`` but not ``1.5``;
- true or false accepts ``true``/``false``, 1/0 and the words ``yes``/``no``,
  ``on``/``off``, ``t``/``f``, ``y``/``n`` (any case);
- text accepts only text: ``5`` is not a portfolio name;
- a list accepts a list (or a tuple or a set) and checks every item;
- a table accepts a table with text keys and checks every value.

A value that does not fit is a :data:`Problem`: its kind (the pydantic error types these
messages were written for), where it is, and what was given.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Mapping
from typing import Any, Literal, Union, get_args, get_origin

from addin.core.settings.problems import Problem

#: Checks a value at a place, appending what is wrong to a list; returns the value as kept.
Check = Callable[[Any, tuple[Any, ...], list[Problem]], Any]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


#: No default: the setting must be given.
MISSING: Any = _Missing()
#: What a check returns for a value it refused (the problem is in the list).
BAD: Any = _Missing()

_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})
_WHOLE = re.compile(r"[+-]?\d+(?:\.0*)?")
#: Each bound a setting may declare: its name, the problem it makes, the test a value meets.
_BOUNDS = (
    ("gt", "greater_than", operator.gt),
    ("ge", "greater_than_equal", operator.ge),
    ("lt", "less_than", operator.lt),
    ("le", "less_than_equal", operator.le),
)


class FieldInfo:
    """How one setting is declared: its default and the bounds or form its value must meet.

    A plain class, not a dataclass: every ``pmo`` start makes one per setting, and a
    dataclass costs a millisecond to define.
    """

    __slots__ = ("default", "default_factory", "ge", "gt", "le", "lt", "pattern")
    default: Any
    default_factory: Callable[[], Any] | None
    ge: float | None
    gt: float | None
    le: float | None
    lt: float | None
    pattern: str | None

    def __init__(self, default: Any = MISSING, **declared: Any) -> None:
        """Made by :func:`Field`, which names what may be declared."""
        unknown = declared.keys() - set(self.__slots__)
        if unknown:
            raise TypeError(f"a setting cannot declare {', '.join(sorted(unknown))}")
        self.default = default
        for name in self.__slots__[1:]:
            setattr(self, name, declared.get(name))

    def is_required(self) -> bool:
        """True when the setting has no default."""
        return self.default is MISSING and self.default_factory is None

    def get_default(self, *, call_default_factory: bool = True) -> Any:
        """The default value (made by the factory when there is one)."""
        if self.default_factory is not None:
            return self.default_factory() if call_default_factory else None
        return self.default


def Field(
    default: Any = MISSING,
    *,
    default_factory: Callable[[], Any] | None = None,
    gt: float | None = None,
    ge: float | None = None,
    lt: float | None = None,
    le: float | None = None,
    pattern: str | None = None,
) -> Any:
    """Declare a setting with a default (or a factory of one) and bounds on its value."""
    return FieldInfo(
        default, default_factory=default_factory, gt=gt, ge=ge, lt=lt, le=le, pattern=pattern
    )


def problem_at(kind: str, loc: tuple[Any, ...], value: Any, **ctx: Any) -> Problem:
    """A problem of ``kind`` with the value at ``loc`` (``ctx``: the bound or the choices)."""
    found: Problem = {"type": kind, "loc": loc, "input": value}
    if ctx:
        found["ctx"] = ctx
    return found


def _number(value: Any, loc: tuple[Any, ...], out: list[Problem]) -> Any:
    if isinstance(value, float):
        number = value
    elif isinstance(value, int):  # bool included: true is 1.0, as it always was
        try:
            number = float(value)
        except OverflowError:
            out.append(problem_at("float_type", loc, value))
            return BAD
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            out.append(problem_at("float_parsing", loc, value))
            return BAD
    else:
        out.append(problem_at("float_type", loc, value))
        return BAD
    if not math.isfinite(number):
        out.append(problem_at("finite_number", loc, value))
        return BAD
    return number


def _whole(value: Any, loc: tuple[Any, ...], out: list[Problem]) -> Any:
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            out.append(problem_at("finite_number", loc, value))
            return BAD
        if not value.is_integer():
            out.append(problem_at("int_from_float", loc, value))
            return BAD
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if not _WHOLE.fullmatch(text):
            out.append(problem_at("int_parsing", loc, value))
            return BAD
        return int(text.split(".")[0])
    out.append(problem_at("int_type", loc, value))
    return BAD


def _truth(value: Any, loc: tuple[Any, ...], out: list[Problem]) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.lower() in _TRUE | _FALSE:
        return value.lower() in _TRUE
    kind = "bool_parsing" if isinstance(value, int | float | str) else "bool_type"
    out.append(problem_at(kind, loc, value))
    return BAD


def _text(value: Any, loc: tuple[Any, ...], out: list[Problem]) -> Any:
    if isinstance(value, str):
        return value
    out.append(problem_at("string_type", loc, value))
    return BAD


def _bounded(check: Check, info: FieldInfo, as_float: bool) -> Check:
    """``check``, then the declared bounds (said as the field's type: ``> 0.0`` for a number)."""
    bounds = [
        (word, kind, fits, float(bound) if as_float else bound)
        for word, kind, fits in _BOUNDS
        if (bound := getattr(info, word)) is not None
    ]
    if not bounds:
        return check

    def bounded(value: Any, loc: tuple[Any, ...], out: list[Problem]) -> Any:
        kept = check(value, loc, out)
        if kept is BAD:
            return BAD
        for word, kind, fits, bound in bounds:
            if not fits(kept, bound):
                out.append(problem_at(kind, loc, value, **{word: bound}))
                return BAD
        return kept

    return bounded


def _patterned(check: Check, pattern: str | None) -> Check:
    if pattern is None:
        return check
    form = re.compile(pattern)

    def patterned(value: Any, loc: tuple[Any, ...], out: list[Problem]) -> Any:
        kept = check(value, loc, out)
        if kept is not BAD and not form.search(kept):
            out.append(problem_at("string_pattern_mismatch", loc, value, pattern=pattern))
            return BAD
        return kept

    return patterned


def _choice(choices: tuple[Any, ...]) -> Check:
    shown = [repr(c) for c in choices]
    expected = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]

    def choice(value: Any, loc: tuple[Any, ...], out: list[Problem]) -> Any:
        if isinstance(value, str) and value in choices:
            return value
        out.append(problem_at("literal_error", loc, value, expected=expected))
        return BAD

    return choice


def _items(item: Check) -> Check:
    def items(value: Any, loc: tuple[Any, ...], out: list[Problem]) -> Any:
        if not isinstance(value, list | tuple | set | frozenset):
            out.append(problem_at("tuple_type", loc, value))
            return BAD
        kept = [item(v, (*loc, i), out) for i, v in enumerate(value)]
        return BAD if any(k is BAD for k in kept) else tuple(kept)

    return items


def _table(entry: Check) -> Check:
    def table(value: Any, loc: tuple[Any, ...], out: list[Problem]) -> Any:
        if not isinstance(value, Mapping):
            out.append(problem_at("dict_type", loc, value))
            return BAD
        kept: dict[str, Any] = {}
        bad = False
        for key, v in value.items():
            if not isinstance(key, str):
                out.append(problem_at("string_type", (*loc, key, "[key]"), key))
                bad = True
            value_kept = entry(v, (*loc, key), out)
            kept[key] = value_kept
            bad = bad or value_kept is BAD
        return BAD if bad else kept

    return table


def _either(first: Check, second: Check, names: tuple[str, str]) -> Check:
    def either(value: Any, loc: tuple[Any, ...], out: list[Problem]) -> Any:
        tried: list[Problem] = []
        for check, name in zip((first, second), names, strict=True):
            kept = check(value, (*loc, name), tried)
            if kept is not BAD:
                return kept
        out.extend(tried)
        return BAD

    return either


def check_for(hint: Any, info: FieldInfo, section: Callable[[type], Check | None]) -> Check:
    """The check of a value of type ``hint`` declared as ``info``.

    ``section(cls)`` returns the check of a nested settings section (None for any other class).
    """
    plain = {float: (_number, True), int: (_whole, False), bool: (_truth, False)}
    if hint in plain:
        check, as_float = plain[hint]
        return _bounded(check, info, as_float)
    if hint is str:
        return _patterned(_text, info.pattern)
    origin, args = get_origin(hint), get_args(hint)
    if origin is Literal:
        return _choice(args)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _items(check_for(args[0], FieldInfo(), section))
    if origin is dict and args[0] is str:
        return _table(check_for(args[1], FieldInfo(), section))
    if origin in (Union, type(str | int)) and len(args) == 2:
        names = (_name(args[0]), _name(args[1]))
        return _either(check_for(args[0], info, section), check_for(args[1], info, section), names)
    nested = section(hint) if isinstance(hint, type) else None
    if nested is None:
        raise TypeError(f"a setting cannot be of type {hint!r}")
    return nested


def _name(hint: Any) -> str:
    """How pydantic names a member of a union in a problem's place: ``tuple[str, ...]``."""
    return hint.__name__ if isinstance(hint, type) else str(hint)
