"""xlwings' worksheet-function decorators, recorded so the add-in builder can replay them.

On Windows ``xw.func`` and ``xw.arg`` attach an ``__xlfunc__`` description to a
function (name, arguments, their help text, category), from which xlwings'
generator writes the VBA wrapper Excel calls. Elsewhere they do nothing, so a
build on Linux or macOS would not know the functions. :func:`func` and
:func:`arg` apply the real xlwings decorator *and* record the call on the
function (``__pmo_xlwings__``), so :mod:`addin.excel.udf_vba` can replay the
same calls with xlwings' own decorators on any system and generate the same
wrappers ``ImportPythonUDFs`` would.

Use them exactly like the xlwings decorators::

    @func(category="PMO")
    @arg("value", doc="The value to check.")
    def PMO_CHECK(value: Any) -> Any: ...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import xlwings as xw

__all__ = ["RECORD", "Call", "arg", "func", "recorded"]

F = TypeVar("F", bound=Callable[..., Any])

RECORD = "__pmo_xlwings__"
"""Attribute holding the recorded decorator calls, in the order they were applied."""

Call = tuple[str, tuple[Any, ...], dict[str, Any]]
"""One recorded decorator call: ``("func" | "arg", args, kwargs)``."""


def _record(f: Callable[..., Any], call: Call) -> None:
    calls: list[Call] = list(getattr(f, RECORD, []))
    calls.append(call)
    setattr(f, RECORD, calls)


def func(**options: Any) -> Callable[[F], F]:
    """``xw.func(**options)``, recorded: marks ``f`` as a worksheet function."""

    def decorate(f: F) -> F:
        _record(f, ("func", (), dict(options)))
        result: F = xw.func(**options)(f)
        return result

    return decorate


def arg(name: str, **options: Any) -> Callable[[F], F]:
    """``xw.arg(name, **options)``, recorded: converter options and help of one argument."""

    def decorate(f: F) -> F:
        _record(f, ("arg", (name,), dict(options)))
        result: F = xw.arg(name, **options)(f)
        return result

    return decorate


def recorded(f: Callable[..., Any]) -> list[Call]:
    """The decorator calls recorded on ``f``, first applied first (empty if none)."""
    return list(getattr(f, RECORD, []))
