"""The engine's fast paths give exactly what the careful paths give.

The reader builds most records without pydantic validation once their values are
proven to be ones the model keeps unchanged, coerces and renders whole columns in
one pass, and folds headers without regular expressions. Each test here runs the
fast path and an independent reference (the careful path, or the code as it was
before the fast path) over awkward inputs and asserts identical results: values
and their types, record field order, findings, rendered cells.
"""

from __future__ import annotations

import datetime as dt
import math
import pickle
import re
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from addin.core.findings import Finding
from addin.core.settings import Settings
from addin.model import (
    TABLE_MODELS,
    BudgetLine,
    Milestone,
    Project,
    RaidItem,
    Task,
    build_checked,
    plain_types,
    rejected,
)
from addin.ooxml.sheetxml import Style, render_cell, render_rows
from addin.read import coerce, tracker
from addin.read.source import Grid, grid_from_values
from addin.read.tracker import ReadResult, read_source
from addin.schema import normalise, sheet

FAST = hsettings(max_examples=150, deadline=None, derandomize=True)
MODELS: tuple[type[BaseModel], ...] = (Project, *TABLE_MODELS)

# --- values a cell (or a coerced field) may hold --------------------------------------------------

_TRICKY_TEXT = st.sampled_from(
    [
        "",
        " ",
        "\u3000",
        "a\u3000",
        "\u00a0x",
        "x\x1c",
        "T-001",
        "  T-002 ",
        "Complete",
        " done ",
        "Task Name",
        "TASK_NAME:",
        "a_x0041_b",
        "<b>&amp;",
        '=HYPERLINK("http://x","y")',
        "caf\u00e9",
        "Stra\u00dfe",
        "\ud800",
        "ok\udfff",
        "line\nbreak",
        "end\n",
        "50%",
        "31/01/2026",
        "£1,200",
        "High (4)",
    ]
)
TEXT = st.one_of(_TRICKY_TEXT, st.text(max_size=12))
CELL = st.one_of(
    st.none(),
    TEXT,
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 0.5, 1.0, 1.5, -3.0, 46000.0, 2.0, 5.0, 6.0]),
    st.integers(-3, 8),
    st.booleans(),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
    st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 12, 31)),
    st.times(),
)


def _typed(value: Any) -> tuple[str, Any]:
    """A value with its exact type, NaN made comparable."""
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    if isinstance(value, dict):
        return ("dict", tuple((_typed(k), _typed(v)) for k, v in value.items()))
    return (type(value).__name__, value)


def _record_view(record: BaseModel) -> tuple[Any, ...]:
    """Everything that makes a record what it is: class, field order, values and types, set."""
    return (
        type(record).__name__,
        tuple((k, _typed(v)) for k, v in record.__dict__.items()),
        sorted(record.__pydantic_fields_set__),
        record.__pydantic_extra__,
        record.__pydantic_private__,
    )


# --- the model: which values it keeps unchanged -------------------------------------------------


def test_every_spec_field_has_a_plain_type() -> None:
    for model in MODELS:
        plain = plain_types(model)
        assert set(plain) == set(model.model_fields), model.__name__
        assert plain["extra"] is None  # a dict: always left to pydantic
        assert all(plain[name] is not None for name in model.model_fields if name != "extra")


@FAST
@given(model=st.sampled_from(MODELS), data=st.data(), value=CELL)
@example(model=Task, data=None, value="\ud800")
@example(model=Task, data=None, value=float("nan"))
@example(model=Task, data=None, value=True)
def test_a_value_passed_as_plain_is_kept_unchanged_by_the_model(
    model: type[BaseModel], data: Any, value: Any
) -> None:
    names = [n for n, p in plain_types(model).items() if p is not None]
    for name in names if data is None else [data.draw(st.sampled_from(names))]:
        plain = plain_types(model)[name]
        if rejected(plain, [value]):
            continue
        kept = getattr(model.model_validate({name: value}), name)
        assert _typed(kept) == _typed(value), (name, value)


@FAST
@given(model=st.sampled_from(MODELS), data=st.data())
def test_a_column_is_judged_as_its_cells_are(model: type[BaseModel], data: Any) -> None:
    name = data.draw(st.sampled_from(list(model.model_fields)))
    plain = plain_types(model)[name]
    column = data.draw(st.lists(CELL, max_size=8))
    one_by_one = [i for i, v in enumerate(column) if rejected(plain, [v])]
    assert rejected(plain, column) == one_by_one


def test_a_record_built_from_checked_values_is_the_validated_record() -> None:
    values = {
        "task_id": "T-001",
        "task_name": "Discovery",
        "planned_start": dt.date(2026, 1, 5),
        "pct_complete": 0.5,
        "budget": 0.0,
        "row": 4,
        "extra": {"Phase": "Alpha", "Week 1": 3.0},
    }
    validated = Task.model_validate(values)
    full = dict.fromkeys(Task.model_fields)
    full.update(values)
    built = build_checked(Task, full, set(values))
    assert _record_view(built) == _record_view(validated)
    assert built == validated and repr(built) == repr(validated)
    assert built.model_dump() == validated.model_dump()
    assert _record_view(pickle.loads(pickle.dumps(built))) == _record_view(validated)
    assert built.model_copy(update={"owner": "Ann"}).owner == "Ann"
    with pytest.raises(ValidationError):  # still frozen
        built.owner = "Bob"  # type: ignore[misc]


# --- header folding -----------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def _normalise_reference(text: object) -> str:
    s = _SPACES.sub(" ", str(text).replace("_", " ")).strip().casefold()
    return s.rstrip(":*. ").strip()


@FAST
@given(st.text(alphabet=st.sampled_from(" \t\n\u00a0\u3000\x1c_:*.aBß\u0130İ%"), max_size=12))
def test_normalise_folds_as_the_regex_did(text: str) -> None:
    assert normalise(text) == _normalise_reference(text)


@FAST
@given(st.text(max_size=20))
def test_normalise_folds_any_text_as_the_regex_did(text: str) -> None:
    assert normalise(text) == _normalise_reference(text)


# --- coercion: the column passes against the value-by-value code they replaced ------------------


def _text_reference(values: Sequence[Any]) -> tuple[list[Any], dict[int, str]]:
    out: list[Any] = []
    for v in values:
        t = type(v)
        if t is str:
            out.append(v.strip() or None)
        elif v is None:
            out.append(None)
        elif t is float:
            out.append(str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v))
        elif t is int:
            out.append(str(v))
        elif t is bool:
            out.append("TRUE" if v else "FALSE")
        elif isinstance(v, dt.datetime):
            out.append(v.date().isoformat() if v.time() == dt.time() else v.isoformat(" "))
        elif isinstance(v, dt.date | dt.time):
            out.append(v.isoformat())
        else:
            out.append(str(v).strip() or None)
    return out, {}


def _date_reference(values: Sequence[Any], day_first: bool) -> tuple[list[Any], dict[int, str]]:
    out: list[Any] = []
    bad: dict[int, str] = {}
    for i, v in enumerate(values):
        t = type(v)
        if t is dt.date:
            out.append(v)
        elif t is dt.datetime:
            out.append(v.date())
        elif v is None or v == "":
            out.append(None)
        elif t is float or t is int:
            d = coerce.serial_to_date(v)
            out.append(d)
            if d is None:
                bad[i] = "value.not_a_date"
        elif t is str:
            if not v.strip():
                out.append(None)
                continue
            d = coerce.parse_date_text(v, day_first=day_first)
            out.append(d)
            if d is None:
                bad[i] = "value.not_a_date"
        else:
            out.append(None)
            bad[i] = "value.not_a_date"
    return out, bad


def _number_reference(values: Sequence[Any]) -> tuple[list[Any], dict[int, str]]:
    out: list[Any] = []
    bad: dict[int, str] = {}
    for i, v in enumerate(values):
        t = type(v)
        if t is float:
            if math.isnan(v) or math.isinf(v):
                out.append(None)
                bad[i] = "value.not_a_number"
            else:
                out.append(v)
        elif t is int:
            out.append(float(v))
        elif v is None or v == "":
            out.append(None)
        elif t is str:
            if not v.strip():
                out.append(None)
                continue
            n = coerce.parse_number_text(v)
            out.append(n)
            if n is None:
                bad[i] = "value.not_a_number"
        else:
            out.append(None)
            bad[i] = "value.not_a_number"
    return out, bad


def _choice_reference(
    values: Sequence[Any], index: dict[str, str]
) -> tuple[list[Any], dict[int, str]]:
    out: list[Any] = []
    bad: dict[int, str] = {}
    for i, v in enumerate(values):
        if v is None or v == "":
            out.append(None)
            continue
        text = v if isinstance(v, str) else _text_reference([v])[0][0]
        if text is None or not text.strip():
            out.append(None)
            continue
        canonical = index.get(" ".join(text.replace("-", " ").replace("_", " ").split()).casefold())
        if canonical is None:
            out.append(None)
            bad[i] = "value.not_allowed"
        else:
            out.append(canonical)
    return out, bad


def _same(
    fast: tuple[list[Any], dict[int, str]], reference: tuple[list[Any], dict[int, str]]
) -> None:
    assert [_typed(v) for v in fast[0]] == [_typed(v) for v in reference[0]]
    assert list(fast[1].items()) == list(reference[1].items())  # same problems, same order


COLUMNS = st.one_of(
    st.lists(CELL, max_size=12),
    st.lists(st.one_of(st.none(), TEXT), max_size=12),
    st.lists(st.one_of(st.just(""), st.dates()), max_size=12),
    st.lists(st.one_of(st.just(""), st.floats(allow_nan=True, allow_infinity=True)), max_size=12),
)


@FAST
@given(column=COLUMNS, day_first=st.booleans())
def test_column_coercion_matches_the_value_by_value_code(
    column: list[Any], day_first: bool
) -> None:
    settings = Settings()
    index = tracker.choice_indexes(settings)["task_status"]
    _same(coerce.coerce_text(column), _text_reference(column))
    _same(coerce.coerce_date(column, day_first=day_first), _date_reference(column, day_first))
    _same(coerce.coerce_number(column), _number_reference(column))
    _same(coerce.coerce_choice(column, index), _choice_reference(column, index))


# --- rendering: one pass per column against render_cell, cell by cell ---------------------------


def _render_reference(rows: Sequence[Sequence[Any]], styles: Sequence[Style]) -> list[bytes]:
    out = []
    for row in rows:
        cells = [render_cell(row[j], style) for j, style in enumerate(styles)]
        while cells and cells[-1] == "<c/>":
            cells.pop()
        out.append("".join(cells).encode("utf-8"))
    return out


@FAST
@given(data=st.data(), width=st.integers(1, 5), height=st.integers(0, 8))
def test_rendered_rows_match_render_cell(data: Any, width: int, height: int) -> None:
    styles = data.draw(st.lists(st.sampled_from(list(Style)), min_size=width, max_size=width))
    kinds = [
        data.draw(
            st.sampled_from(
                [
                    CELL,
                    st.one_of(st.none(), TEXT),
                    st.one_of(st.none(), st.dates()),
                    st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
                    st.one_of(st.none(), st.integers(-5, 5)),
                    st.just("x" * 32_768),
                ]
            )
        )
        for _ in range(width)
    ]
    rows = [tuple(data.draw(kind) for kind in kinds) for _ in range(height)]
    assert _outcome(render_rows, rows, styles) == _outcome(_render_reference, rows, styles)


def _outcome(fn: Callable[..., Any], *args: Any) -> Any:
    """What a call returns, or the type of what it raises (text that is not Unicode)."""
    try:
        return fn(*args)
    except UnicodeEncodeError as exc:
        return type(exc)


# --- the reader: fast records against validating every record ----------------------------------

_HEADERS = [
    "Task ID",
    "WBS",
    "Task Name",
    "Owner",
    "Planned Start",
    "Planned Finish",
    "Actual Start",
    "Actual Finish",
    "% Complete",
    "Status",
    "Budget",
    "Notes",
    "Sponsor Notes",
]
_ROW_CELL = st.one_of(
    CELL,
    st.sampled_from(["Not Started", "In Progress", "complete", "On Hold", "Cancelled", "bogus"]),
    st.sampled_from(_HEADERS),
    st.sampled_from([0.25, 0.75, 1.0, 25.0, 150.0, -0.5, 1200.0]),
)


class _Source:
    """A workbook in memory: a Project block and a Tasks table."""

    def __init__(self, tasks: list[list[Any]]) -> None:
        limits = Settings().limits
        project: list[list[Any]] = [
            ["Project ID", "PRJ-0042"],
            ["Project Name", "Portal"],
            ["Status Date", dt.date(2026, 11, 16)],
            ["Budget", -5.0],
            ["Reported RAG", "g"],
        ]
        self._grids = {
            "Project": grid_from_values("Project", project, limits),
            "Tasks": grid_from_values("Tasks", tasks, limits),
        }

    @property
    def sheet_names(self) -> list[str]:
        return list(self._grids)

    @property
    def worksheets(self) -> list[str]:
        return list(self._grids)

    def grid(self, name: str) -> Grid:
        return self._grids[name]

    def merged_ranges(self, name: str) -> Sequence[tuple[tuple[int, int], tuple[int, int]]]:
        return []


def _view(result: ReadResult) -> tuple[Any, ...]:
    def finding(f: Finding) -> tuple[Any, ...]:
        return (f.rule, f.severity, f.message, f.sheet, f.row, f.col, f.field, f.value)

    t = result.tracker
    return (
        result.status,
        result.reason,
        [finding(f) for f in result.findings],
        {k: v.to_dict() for k, v in result.tables.items()},
        _record_view(t.project),
        [[_record_view(r) for r in t.rows(key)] for key in ("Tasks", "Milestones", "Budget")],
    )


def _read(source: _Source, careful: bool, monkeypatch: pytest.MonkeyPatch) -> ReadResult:
    with monkeypatch.context() as m:
        if careful:  # every record through model_validate, as before the fast path
            m.setattr(tracker, "_checked_rows", lambda *args: set())
        return read_source(source, "book.xlsx", Settings())


@FAST
@given(
    rows=st.lists(
        st.lists(_ROW_CELL, min_size=len(_HEADERS), max_size=len(_HEADERS)), min_size=1, max_size=6
    )
)
def test_records_built_without_validation_match_validated_ones(
    rows: list[list[Any]],
) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        tasks = [_HEADERS, *rows]
        fast = _read(_Source(tasks), careful=False, monkeypatch=monkeypatch)
        careful = _read(_Source(tasks), careful=True, monkeypatch=monkeypatch)
        assert _view(fast) == _view(careful)
        # A short last row sends the table through the general row loop (bounds checked).
        ragged = _read(_Source([*tasks, [""]]), careful=True, monkeypatch=monkeypatch)
        assert _view(ragged) == _view(careful)


def test_section_headings_repeated_headers_and_bad_values_read_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    d = dt.date
    rows: list[list[Any]] = [
        _HEADERS,
        [
            "T-1",
            "1",
            "Build",
            "Ann",
            d(2026, 1, 5),
            d(2026, 2, 1),
            "",
            "",
            0.5,
            "In Progress",
            100.0,
            "",
            "x",
        ],
        ["", "", "Phase 2", "", "", "", "", "", "", "", "", "", ""],  # a section heading
        _HEADERS,  # the header again
        [
            "T-2",
            "2",
            " Test ",
            "",
            "2026-03-01",
            "01/02/2026",
            "",
            "",
            "50%",
            "done",
            "£1,200",
            "  ",
            "",
        ],
        [
            "T-3",
            "",
            "Deploy",
            "Bob",
            d(2026, 1, 5),
            d(2026, 2, 1),
            "",
            "",
            150.0,
            "Complete",
            -20.0,
            "n",
            "",
        ],
        ["T-4", "\ud800", "Bad", "Cy", d(2026, 1, 5), "soon", "", "", True, "bogus", "x", "", ""],
        ["", "", "", "", "", "", "", "", "", "", "", "", "only extra"],
    ]
    fast = _read(_Source(rows), careful=False, monkeypatch=monkeypatch)
    careful = _read(_Source(rows), careful=True, monkeypatch=monkeypatch)
    assert _view(fast) == _view(careful)
    rules = [f.rule for f in fast.findings]
    assert "row.section_heading" in rules and "value.out_of_range" in rules
    assert len(fast.tracker.tasks) == 4


def test_project_and_table_records_are_validated_where_needed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The out-of-range Project Budget still comes from validation (one record, careful)."""
    result = _read(_Source([_HEADERS]), careful=False, monkeypatch=monkeypatch)
    assert [(f.rule, f.field) for f in result.findings if f.rule == "value.out_of_range"] == [
        ("value.out_of_range", "Budget")
    ]
    assert result.tracker.project.budget is None


def test_every_table_model_takes_the_fast_path() -> None:
    for key, model in (
        ("Tasks", Task),
        ("Milestones", Milestone),
        ("Budget", BudgetLine),
        ("RAID", RaidItem),
    ):
        assert sheet(key).model is model
        assert tracker._blank_defaults(model)
