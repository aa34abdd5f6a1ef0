"""Settings that make no checks: the defaults as made, and a fingerprint of plain values.

Making the checks of every settings section (and, before them, pydantic's validators)
cost each cold ``pmo`` tens of milliseconds (issue 17: every ribbon click starts Python).
A section's check is made the first time something is checked against it (a
``pmo.toml``, a workbook's settings sheet); a command that reads none takes
:meth:`Section.default`, and hashing or comparing settings needs no check either.
"""

from __future__ import annotations

import datetime as dt
import pickle
import tomllib
from dataclasses import FrozenInstanceError
from typing import Any

import pytest

from addin.core.settings import Settings, settings_from_mapping, to_toml
from addin.core.settings.section import Section, digest, plain
from addin.engine.validate import check_file
from tests.settings_sections import sections

#: Every section whose settings all have defaults (a ``[[mapping]]`` entry must name its files).
DEFAULTED = [c for c in sections() if not any(f.is_required() for f in c.model_fields.values())]


def _types(value: Any) -> Any:
    """The shape of a value with the type of every leaf: equal only when types agree too."""
    if isinstance(value, Section):
        return (type(value), {n: _types(getattr(value, n)) for n in type(value).model_fields})
    if isinstance(value, dict):
        return (dict, {k: _types(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return (type(value), [_types(v) for v in value])
    return (type(value), value)


def test_every_section_with_defaults_is_covered() -> None:
    names = {c.__name__ for c in DEFAULTED}
    assert {"Settings", "RagSettings", "LimitSettings", "EngineSettings"} <= names
    assert "FileMapping" not in names
    with pytest.raises(TypeError, match="files"):
        next(c for c in sections() if c.__name__ == "FileMapping").default()


@pytest.mark.parametrize("cls", DEFAULTED, ids=lambda c: c.__name__)
def test_default_is_what_the_constructor_makes(cls: type[Section]) -> None:
    made, constructed = cls.default(), cls()
    assert _types(made) == _types(constructed)  # value for value, type for type
    assert made.model_dump() == constructed.model_dump()
    assert made == constructed and made.fingerprint == constructed.fingerprint


def test_default_is_one_frozen_instance() -> None:
    settings = Settings.default()
    assert Settings.default() is settings
    assert settings.rag is type(settings.rag).default()  # its sections are the defaults too
    with pytest.raises(FrozenInstanceError, match="frozen"):
        settings.portfolio_name = "changed"  # type: ignore[misc]


def test_equal_settings_have_one_fingerprint_however_they_were_made() -> None:
    made = Settings.default()
    toml = settings_from_mapping(tomllib.loads(to_toml(made, commented=False)))
    for other in (Settings(), Settings.model_validate(made.model_dump()), toml):
        assert other.fingerprint == made.fingerprint
        assert other.results_fingerprint == made.results_fingerprint
        assert other == made and hash(other) == hash(made)


@pytest.mark.parametrize(
    "change",
    [
        {"rag.schedule.spi_red": 0.8},  # a float, two sections down
        {"rag.stale_days": 15},  # a whole number
        {"rag.risk.overdue_amber": False},  # true or false
        {"rag.no_data_floor": "Red"},  # one of a list of words
        {"allowed.phase": ["Initiation", "Planning", "Execution", "Closing"]},  # a list
        {"values.rag": {"R": "Red"}},  # a table
        {"rules": {"task.owner_required": "warning"}},
        {"portfolio_name": "Another"},
    ],
    ids=lambda c: next(iter(c)),
)
def test_any_changed_value_changes_the_fingerprints(change: dict[str, object]) -> None:
    before = Settings.default()
    after = before.with_changes(change)
    assert after.fingerprint != before.fingerprint
    assert after.results_fingerprint != before.results_fingerprint
    assert after != before


def test_where_the_work_runs_is_left_out_of_the_results_fingerprint() -> None:
    before = Settings.default()
    after = before.with_changes({"engine.executor": "tcp://scheduler:8786"})
    assert after.fingerprint != before.fingerprint
    assert after.results_fingerprint == before.results_fingerprint


def test_plain_numbers_are_floats_and_true_is_not_one() -> None:
    assert plain(10) == plain(10.0) == 10.0
    assert plain(True) is True and digest(plain(True)) != digest(plain(1))  # true, not 1.0
    assert plain({"a": (1, "x")}) == {"a": [1.0, "x"]}


def test_a_spawned_worker_gets_the_defaults_whole() -> None:
    """``pmo validate`` hands its workers the settings themselves (pickled where they spawn,
    as on Windows and macOS): the worker holds the same settings and validates the same."""
    from addin.engine.validate import _check_in_worker, _init_worker
    from addin.engine.workers import run_isolated
    from tests.conftest import SAMPLES

    settings = Settings.default()
    assert pickle.loads(pickle.dumps(settings)) == settings
    day = dt.date(2026, 11, 20)
    reports = {str(p): check_file(p, Settings(), as_of=day) for p in sorted(SAMPLES.glob("*.xlsx"))}
    tracker, here = next((p, r) for p, r in reports.items() if r.findings)  # one with findings
    (spawned,) = run_isolated(
        [tracker],
        _check_in_worker,
        jobs=1,
        timeout=120,
        initializer=_init_worker,
        initargs=(settings, day, False),
        start_method="spawn",
    )
    assert spawned.value is not None, spawned.error
    assert spawned.value.status == here.status and spawned.value.errors == here.errors
    assert [f.rule for f in spawned.value.findings] == [f.rule for f in here.findings]


def test_a_table_of_defaults_is_each_sections_own() -> None:
    """Sections are frozen, but a table in one is a dict: a change to one made in place
    reaches no other section, nor the constant the default was declared with."""
    from addin.core.settings import ValueSynonyms
    from addin.core.settings.lesson_values import LESSON_TYPE_SYNONYMS

    first, second = Settings(), Settings()
    first.rules["task.owner_required"] = "off"
    assert second.rules == {} and Settings().rules == {}
    words = ValueSynonyms().lesson_type
    assert words == LESSON_TYPE_SYNONYMS and words is not LESSON_TYPE_SYNONYMS
    assert Settings.default().values.lesson_type is not LESSON_TYPE_SYNONYMS
