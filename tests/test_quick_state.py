"""Slotted dataclasses that cross a pipe or the cache pickle without ``fields()`` per object,
to the same state as before (so cache entries written by either read the same)."""

from __future__ import annotations

import dataclasses
import pickle
from typing import Any

import pytest

from addin.core.findings import FileReport, FileStatus, Finding, TableInfo
from addin.core.kinds.project import Project
from addin.core.quick_state import quick_state
from addin.core.severity import Severity
from addin.core.tracker import Table, Tracker
from addin.engine.pipeline import TrackerResult
from addin.engine.run import KindRows, LoadEntry, ProjectStatus
from addin.outputs.portfolio.prerender import RowBlock


@dataclasses.dataclass(frozen=True, slots=True)
class _Plain:
    a: int
    b: str = "x"


@quick_state
@dataclasses.dataclass(frozen=True, slots=True)
class _Quick:
    a: int
    b: str = "x"


@quick_state
@dataclasses.dataclass(slots=True)
class _One:
    only: list[int]


def test_state_is_the_dataclass_state() -> None:
    """The same list of values in field order as dataclasses' own ``__getstate__``."""
    assert _Quick(1, "y").__getstate__() == _Plain(1, "y").__getstate__() == [1, "y"]  # type: ignore[attr-defined]
    assert _One([3]).__getstate__() == [[3]]  # type: ignore[attr-defined]


def test_round_trip_and_old_pickles_read() -> None:
    """A quick object round-trips; one pickled the dataclasses way unpickles the same."""
    q = _Quick(5, "z")
    assert pickle.loads(pickle.dumps(q)) == q
    one = _One([1, 2])
    assert pickle.loads(pickle.dumps(one)) == one
    blank = _Quick.__new__(_Quick)
    blank.__setstate__(_Plain(7, "w").__getstate__())  # type: ignore[attr-defined]
    assert blank == _Quick(7, "w")


def test_a_short_state_sets_what_it_has_like_dataclasses() -> None:
    """A truncated state (a damaged cache entry) leaves the rest unset, as before: the
    cache's field-by-field check then finds the entry does not conform."""
    obj = _Quick.__new__(_Quick)
    obj.__setstate__([9])  # type: ignore[attr-defined]
    assert obj.a == 9
    with pytest.raises(AttributeError):
        _ = obj.b


def test_a_long_state_sets_every_field_and_no_more() -> None:
    """A state longer than the fields (not one we write) sets the fields, as dataclasses' own."""
    obj = _Quick.__new__(_Quick)
    obj.__setstate__([1, "y", "extra"])  # type: ignore[attr-defined]
    assert obj == _Quick(1, "y")


def test_a_full_state_sets_each_field_by_name() -> None:
    """The written-out setter puts each value on its own field, for every quick class."""
    for cls in (_Quick, TableInfo, LoadEntry, FileReport):
        names = [f.name for f in dataclasses.fields(cls)]
        obj = cls.__new__(cls)
        obj.__setstate__([f"v-{name}" for name in names])
        assert [getattr(obj, name) for name in names] == [f"v-{name}" for name in names]


def test_a_state_that_is_not_a_list_of_values_raises() -> None:
    """What a tampered entry may hold instead of a list fails to load (the cache's miss)."""
    obj = _Quick.__new__(_Quick)
    with pytest.raises(TypeError):
        obj.__setstate__(7)  # type: ignore[attr-defined]
    with pytest.raises(KeyError):
        obj.__setstate__({"a": 1, "b": "y"})  # type: ignore[attr-defined]


def test_refuses_what_it_cannot_speed_up() -> None:
    """Only a slotted dataclass: anything else is a programming error, said at import."""

    @dataclasses.dataclass
    class Loose:
        a: int

    with pytest.raises(TypeError, match="slotted dataclass"):
        quick_state(Loose)


def _slotted(obj: Any) -> bool:
    return dataclasses.is_dataclass(obj) and "__slots__" in vars(type(obj))


@pytest.mark.parametrize(
    "obj",
    [
        TableInfo("Tasks", 0, 3, {"Task Name": "B"}),
        FileReport("f.xlsx", FileStatus.VALID),
        Table("Tasks", {"Task Name": ["a"]}, [1], ["Tasks"]),
        Project(project_id="P-1"),
        RowBlock.of(b"<row></row>", 1, ()),
    ],
    ids=["TableInfo", "FileReport", "Table", "Project", "RowBlock"],
)
def test_what_crosses_the_pipe_pickles_quickly(obj: Any) -> None:
    """Each slotted type of a worker's result has the quick methods (not ``fields()`` ones)."""
    assert _slotted(obj)
    assert type(obj).__getstate__.__qualname__.startswith("quick_state.")
    assert pickle.loads(pickle.dumps(obj)) == obj


def test_findings_are_rebuilt_by_the_interpreter_alone() -> None:
    """A finding is a named tuple: its pickle makes it with one call to its class (no state
    set afterwards, no Python code of ours run), and it stays immutable."""
    import pickletools

    findings = [
        Finding(rule="x", severity=Severity.ERROR, message="m", file="f.xlsx"),
        Finding("y", Severity.WARNING, "n", "f.xlsx", "Tasks", 3, 4, "Finish", "2026-01-01"),
    ]
    data = pickle.dumps(findings, protocol=pickle.HIGHEST_PROTOCOL)
    ops = [op.name for op, _arg, _pos in pickletools.genops(data)]
    assert ops.count("NEWOBJ") == 2 and "BUILD" not in ops  # (a severity is a REDUCE)
    assert pickle.loads(data) == findings and type(pickle.loads(data)[1]) is Finding
    with pytest.raises(AttributeError):
        findings[0].rule = "z"  # type: ignore[misc]
    assert findings[1].cell == "E4" and findings[1].location == "Tasks!E4"


def test_every_slotted_type_of_a_run_is_quick() -> None:
    """The result and run types themselves (a new slotted type there should be quick too)."""
    for cls in (TrackerResult, Tracker, Table, KindRows, LoadEntry, ProjectStatus):
        assert cls.__getstate__.__qualname__.startswith("quick_state."), cls  # type: ignore[attr-defined]


def test_fields_are_set_by_their_slots_even_on_a_frozen_class() -> None:
    """Each field's value goes straight into its slot (past a frozen class's ``__setattr__``);
    a name that is no slot of the class is set as ``object.__setattr__`` would."""
    from addin.core.quick_state import _slot_setter

    assert _slot_setter(_Quick, "a") == vars(_Quick)["a"].__set__
    obj = _Quick.__new__(_Quick)
    obj.__setstate__([4, "q"])  # type: ignore[attr-defined]
    assert (obj.a, obj.b) == (4, "q")
    with pytest.raises(dataclasses.FrozenInstanceError):
        obj.a = 5  # type: ignore[misc]

    class Open:
        pass

    loose = Open()
    _slot_setter(Open, "anything")(loose, 3)
    assert loose.anything == 3  # type: ignore[attr-defined]


def _result_with(findings: list[Finding]) -> TrackerResult:
    return TrackerResult("f.xlsx", FileStatus.VALID, findings=findings)


_FINDINGS = [
    Finding(rule="x", severity=Severity.ERROR, message="m", file="f.xlsx"),
    Finding("y", Severity.WARNING, "n", "f.xlsx", "Tasks", 3, 4, "Finish", "2026-01-01"),
]


def test_a_result_pickles_its_findings_as_plain_tuples_and_reads_them_as_findings() -> None:
    """No Python call a finding either way: plain tuples in the pickle, Findings out of it."""
    result = _result_with(list(_FINDINGS))
    data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    assert b"Finding" not in data  # no finding made through its class
    again = pickle.loads(data)
    assert again == result and [type(f) for f in again.findings] == [Finding, Finding]
    assert again.findings[1].cell == "E4" and pickle.loads(pickle.dumps(again)) == result


def test_a_result_pickled_with_finding_objects_reads_the_same() -> None:
    """A state holding Finding objects (as pickled before) makes the same result."""
    blank = TrackerResult.__new__(TrackerResult)
    state = [getattr(_result_with(list(_FINDINGS)), f.name) for f in dataclasses.fields(blank)]
    blank.__setstate__(state)  # type: ignore[attr-defined]
    assert blank == _result_with(list(_FINDINGS)) and type(blank.findings[0]) is Finding


def test_rows_as_tuples_needs_a_quick_class_and_its_field() -> None:
    from addin.core.quick_state import rows_as_tuples

    with pytest.raises(TypeError, match="quick_state class"):
        rows_as_tuples(_Plain, "a", Finding)
    with pytest.raises(TypeError, match="no field"):
        rows_as_tuples(_Quick, "c", Finding)
