"""How a settings problem is said: one line naming the setting and what is wrong with it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

#: One problem with one value: ``{"type", "loc", "input", "ctx"?}``.
Problem = dict[str, Any]

TOO_DEEP = "nested too deeply (tables or lists inside one another): not a settings file"

_TYPE_WORDS = {
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "string_type": "must be text",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "dict_type": "must be a table",
    "model_type": "must be a table",
    "extra_forbidden": "is not a known setting",
    "invalid_key": "is not a known setting (a setting's name is text)",
    "missing": "is required",
    "finite_number": "must be a finite number",
}


def _where(loc: tuple[Any, ...]) -> str:
    """``rag.spi_red``; an entry of a list of tables as TOML says it: ``[[mapping]] #2 sheets``."""
    if len(loc) >= 2 and isinstance(loc[1], int):
        rest = ".".join(str(p) for p in loc[2:])
        return f"[[{loc[0]}]] #{loc[1] + 1}" + (f" {rest}" if rest else "")
    return ".".join(str(p) for p in loc)


class InvalidSettings(ValueError):
    """Settings that do not fit their sections: every problem found, in the order met."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problem_line(problems))
        self.problems = problems

    def errors(self) -> list[Problem]:
        """Every problem: its kind, its place (``("rag", "stale_days")``), what was given."""
        return list(self.problems)


def describe(error: Mapping[str, Any]) -> str:
    """One problem as a line a PMO analyst can act on."""
    loc = _where(tuple(error["loc"]))
    kind = error["type"]
    try:
        got = json.dumps(error.get("input"), default=str, ensure_ascii=False)
    except (RecursionError, ValueError):  # nested too deeply to show, or a circular value
        got = "a nested value"
    if len(got) > 60:
        got = got[:57] + "..."
    if kind in _TYPE_WORDS:
        text = _TYPE_WORDS[kind]
        return (
            f"{loc} {text}"
            if kind in ("extra_forbidden", "invalid_key", "missing")
            else f"{loc} {text}, got {got}"
        )
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"{loc} must be one of {expected}, got {got}"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        ((word, bound),) = error["ctx"].items()
        sign = {"gt": ">", "ge": ">=", "lt": "<", "le": "<="}[word]
        return f"{loc} must be {sign} {bound}, got {got}"
    if kind == "string_pattern_mismatch":
        return f"{loc} has the wrong form, got {got}"
    message = str(error.get("ctx", {}).get("error", kind))
    if not loc:
        return message
    return f"{loc} {message}" if message.startswith("(") else f"{loc}: {message}"


def problem_line(errors: list[Problem]) -> str:
    """The first problem, with a count of the others."""
    more = len(errors) - 1
    tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{describe(errors[0])}{tail}"


def problem(exc: InvalidSettings) -> str:
    """The first problem of settings that did not fit, with a count of the others."""
    return problem_line(exc.errors())
