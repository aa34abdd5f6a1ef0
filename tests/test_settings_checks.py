"""The settings' own checks read every value as the pydantic models they replaced did.

Settings were pydantic models until importing pydantic and building them cost each cold
``pmo`` two fifths of its time (issue 17). Their checks are now ours
(:mod:`addin.core.settings.fields`), and what a PMO may write in a ``pmo.toml`` or a
``PMO Settings`` sheet must not change with them: this file builds, from each section's
own declarations, the pydantic model it used to be (same types, bounds and patterns, no
unknown keys, no NaN, its rules on the raw mapping) and holds the two equal on a bank of
awkward values, setting by setting. Equal means the same value kept (of the same type),
or the same problems in the same order, said in the same words. The one difference
allowed: a section's rules on its checked values (red before amber, a known rule id)
refuse some that the twin accepts.
"""

from __future__ import annotations

import math
import pickle
import typing
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError, create_model, model_validator
from pydantic import Field as PydanticField

from addin.core.errors import ConfigError
from addin.core.settings import Settings, settings_from_mapping
from addin.core.settings.fields import MISSING
from addin.core.settings.problems import InvalidSettings, describe
from addin.core.settings.section import Section
from tests.settings_sections import sections

SECTIONS = sections()


def _swap(hint: Any) -> Any:
    """``hint`` with every settings section in it replaced by its pydantic twin."""
    if isinstance(hint, type) and issubclass(hint, Section):
        return _twin(hint)
    origin, args = get_origin(hint), get_args(hint)
    if origin is tuple:
        return tuple[_swap(args[0]), ...]  # type: ignore[misc]
    if origin is dict:
        return dict[args[0], _swap(args[1])]  # type: ignore[valid-type]
    if origin is Literal:
        return hint
    if args:
        return Union[tuple(_swap(a) for a in args)]  # noqa: UP007 - built from a tuple
    return hint


@cache
def _twin(cls: type[Section]) -> type[BaseModel]:
    """The pydantic model ``cls`` was: its fields, types, bounds and patterns."""
    hints = typing.get_type_hints(cls)
    fields: dict[str, Any] = {}
    for name, info in cls.model_fields.items():
        hint = _swap(hints[name])
        bounds = {"gt": info.gt, "ge": info.ge, "lt": info.lt, "le": info.le}
        if info.pattern is not None:
            bounds["pattern"] = info.pattern
        if info.default_factory is not None:
            nested = _swap(info.default_factory)
            fields[name] = (hint, PydanticField(default_factory=nested, **bounds))
        elif info.default is MISSING:
            fields[name] = (hint, PydanticField(..., **bounds))
        else:
            fields[name] = (hint, PydanticField(default=info.default, **bounds))
    config = ConfigDict(extra="forbid", allow_inf_nan=False)
    before = {  # a section's rules on the raw mapping run first, in pydantic as in ours
        f"_before_{i}": model_validator(mode="before")(classmethod(rule))
        for i, rule in enumerate(cls._checks.get("before", []))
    }
    model: type[BaseModel] = create_model(
        cls.__name__, __config__=config, __validators__=before, **fields
    )
    return model


#: Values a settings file or sheet could hold, and some it should not.
AWKWARD: list[Any] = [
    None,
    True,
    False,
    0,
    1,
    2,
    -1,
    5,
    0.5,
    1.0,
    1.5,
    -0.5,
    0.0,
    1e6,
    2e6,
    10**30,
    math.inf,
    -math.inf,
    math.nan,
    "",
    "x",
    "low",
    "0.5",
    " 0.5 ",
    "3",
    " 3 ",
    "3.0",
    "3.5",
    "1e3",
    "inf",
    "nan",
    "yes",
    "No",
    "TRUE",
    " true",
    "off",
    "Amber",
    "amber",
    "none",
    "warning",
    "GBP",
    "gbp",
    "EURO",
    "local",
    "tcp://scheduler:8786",
    "month",
    "FTE",
    [],
    ["a"],
    ["a", 1],
    ["en", "de"],
    ("x", "y"),
    [[1]],
    {},
    {"a": 1},
    {"a": "b"},
    {"a": 1.5},
    {"a": ["b"]},
    {"a": {"b": ["c"]}},
    {"a": {"b": "c"}},
    {"a": None},
    {1: 2},
    {"Tasks": ["Work Items"]},
    {"Tasks": {"Planned Finish": ["Target End"]}},
    {"task.owner_required": "warning"},
    {"task.owner_required": "loud"},
    36_500,
    36_501,
    1_048_576,
]


def _ours(cls: type[Section], data: dict[str, Any]) -> tuple[str, Any]:
    try:
        return "ok", cls.model_validate(data).model_dump()
    except InvalidSettings as exc:
        return "problems", exc.errors()


def _theirs(cls: type[Section], data: dict[str, Any]) -> tuple[str, Any]:
    try:
        return "ok", _twin(cls).model_validate(data).model_dump()
    except ValidationError as exc:
        return "problems", exc.errors(include_url=False)


def _typed(value: Any) -> Any:
    if isinstance(value, dict):
        return (dict, {k: _typed(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return (type(value), [_typed(v) for v in value])
    return (type(value), value)


def _same(cls: type[Section], data: dict[str, Any]) -> None:
    ours, theirs = _ours(cls, data), _theirs(cls, data)
    if theirs[0] == "ok" and ours[0] == "problems":
        assert all(p["type"] == "value_error" for p in ours[1]), (data, ours)  # its own rules
        return
    assert ours[0] == theirs[0], (data, ours, theirs)
    if ours[0] == "ok":
        assert _typed(ours[1]) == _typed(theirs[1]), data
    else:
        said = [describe(p) for p in ours[1]]
        assert said == [describe(p) for p in theirs[1]], data
        assert [p["loc"] for p in ours[1]] == [tuple(p["loc"]) for p in theirs[1]], data


@pytest.mark.parametrize("cls", SECTIONS, ids=lambda c: c.__name__)
def test_every_setting_reads_every_value_as_pydantic_did(cls: type[Section]) -> None:
    needed = {n: "*.xlsx" for n, f in cls.model_fields.items() if f.is_required()}
    checked = 0
    for name in cls.model_fields:
        for value in AWKWARD:
            _same(cls, {**needed, name: value})
            checked += 1
    assert checked == len(cls.model_fields) * len(AWKWARD)


@pytest.mark.parametrize(
    "data",
    [
        {"rag": {"schedule": {"spi_red": "low", "spi_amber": "high"}, "x": 1}, "zz": 2},
        {"zz": 1, "portfolio_name": 5, "currency": "gb"},
        {"rag": 5, "allowed": {"phase": "x", "rag": [1, "Red", None]}},
        {"mapping": [{"files": "*.xlsx", "sheets": {"a": 1}}, {"sheets": {}}, 3]},
        {"reader": {"header_synonyms": {"Tasks": {"Planned Finish": "x"}}, "day_first": "2"}},
        {"limits": {"max_rows": 9, "max_columns": 16_385, "timeout_seconds": 0}},
        {"resources": {"period": "day", "unit": "fte", "hours_per_day": "24.5"}},
    ],
)
def test_several_problems_come_in_pydantics_order(data: dict[str, Any]) -> None:
    ours, theirs = _ours(Settings, data), _theirs(Settings, data)
    assert ours[0] == theirs[0] == "problems"
    assert [describe(p) for p in ours[1]] == [describe(p) for p in theirs[1]]


def test_a_sections_own_rules_are_said_at_the_section() -> None:
    with pytest.raises(ConfigError) as exc:
        settings_from_mapping({"rag": {"schedule": {"spi_red": 0.99}}})
    assert str(exc.value) == (
        "pmo.toml: rag.schedule: spi_red (0.99) must not be above spi_amber (0.95)"
    )
    with pytest.raises(ConfigError) as exc:
        settings_from_mapping({"engine": {"executor": "nowhere"}})
    assert str(exc.value).startswith("pmo.toml: engine.executor: executor must be 'local'")
    with pytest.raises(ConfigError) as exc:
        settings_from_mapping({"mapping": [{"files": 3}]})
    assert str(exc.value) == (
        "pmo.toml: [[mapping]] #1: files must be a glob (text) or a list of globs, got 3"
    )


def test_settings_travel_as_json_and_as_pickles_unchanged() -> None:
    settings = Settings().with_changes(
        {
            "rag.stale_days": 7,
            "reader.sheet_synonyms": {"Tasks": ["Work Items"]},
            "mapping": [{"files": ["a/*.xlsx", "b.xlsx"], "header_rows": {"Plan": 4}}],
        }
    )
    again = Settings.model_validate_json(settings.model_dump_json())
    assert again == settings and again.model_dump() == settings.model_dump()
    assert pickle.loads(pickle.dumps(settings)) == settings
    assert again.mapping[0].globs == ("a/*.xlsx", "b.xlsx")


def test_a_copy_with_changes_is_checked() -> None:
    limits = Settings().limits
    assert limits.model_copy(update={"max_rows": 20}).max_rows == 20
    with pytest.raises(InvalidSettings, match="max_rows must be >= 10, got 5"):
        limits.model_copy(update={"max_rows": 5})
