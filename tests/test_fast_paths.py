"""The engine's fast paths give exactly what the careful paths give.

The reader checks bounds a column at a time (where pydantic once validated every
record), coerces and renders whole columns in one pass, reads a rectangular grid
without bounds checks, and folds headers without regular expressions. Each test
here runs the fast path and an independent reference (pydantic's own validation of
the same constraints, the value-by-value code, the general row loop) over awkward
inputs and asserts identical results: values and their types, findings, cells.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from typing import Any

from hypothesis import example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from pydantic import Field as PydanticField
from pydantic import ValidationError, create_model

from addin.core.findings import Finding
from addin.core.kinds import KINDS, Field, Record, kind, normalise
from addin.core.lang import plain
from addin.core.rules import RuleBook
from addin.core.settings import Settings
from addin.ooxml.sheetxml import (
    Style,
    render_cell,
    render_columns,
    render_rows,
    resolve_styles,
    style_marks,
)
from addin.read import ReadResult, coerce, read_source
from addin.read.fields import Context, choice_indexes, out_of_bounds, type_columns
from addin.read.grid import Grid, grid_from_values

FAST = hsettings(max_examples=150, deadline=None, derandomize=True)

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


def _record_view(record: Record) -> tuple[Any, ...]:
    """Everything that makes a record what it is: class, field order, values and their types."""
    return (
        type(record).__name__,
        tuple((f.name, _typed(getattr(record, f.name))) for f in dataclasses.fields(record)),
    )


# --- bounds: the reader's column check against pydantic's validation ---------------------------

_BOUNDED = [(k.key, f) for k in KINDS for f in k.fields if f.ge is not None or f.le is not None]


@FAST
@given(which=st.sampled_from(_BOUNDED), column=st.lists(st.floats(-10, 10), max_size=8))
@example(which=_BOUNDED[0], column=[-0.0, 0.0, 1e-300, -1e-300])
def test_bounds_refuse_exactly_what_pydantic_refuses(
    which: tuple[str, Field], column: list[float]
) -> None:
    _, f = which
    model = create_model("M", v=(float, PydanticField(ge=f.ge, le=f.le)))
    refused_by_pydantic = []
    for i, v in enumerate(column):
        try:
            model(v=v)
        except ValidationError:
            refused_by_pydantic.append(i)
    assert sorted(out_of_bounds(f, list(column))) == refused_by_pydantic


def test_an_out_of_range_value_is_a_finding_at_its_cell_and_none() -> None:
    ctx = Context("f.xlsx", Settings(), RuleBook())
    f = kind("RAID").field("probability")
    typed = type_columns(ctx, kind("RAID"), {f.name: [3, 7, 0]}, "RAID", lambda _n, i: (i, 6))
    assert typed[f.name] == [3, None, None]
    assert [(x.rule, x.cell, x.message) for x in ctx.findings] == [
        ("value.out_of_range", "G2", "Probability 7 must be at most 5"),
        ("value.out_of_range", "G3", "Probability 0 must be at least 1"),
    ]


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
            d = coerce.serial_to_date(v) if v >= 367 else None  # issue 12: no 1900 dates
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
        folded = plain(text).replace("-", " ").replace("_", " ")
        canonical = index.get(" ".join(folded.split()).casefold())
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
    index = choice_indexes(settings)["task_status"]
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


_INDEXES = st.dictionaries(st.sampled_from(list(Style)), st.integers(0, 300))


@FAST
@given(data=st.data(), width=st.integers(1, 5), height=st.integers(0, 8), index=_INDEXES)
def test_rows_rendered_with_their_style_indexes_match_those_resolved_after(
    data: Any, width: int, height: int, index: dict[Style, int]
) -> None:
    """Rendering with the indexes at once writes what rendering, then resolving, wrote."""
    styles = data.draw(st.lists(st.sampled_from(list(Style)), min_size=width, max_size=width))
    cell = st.one_of(CELL, st.dates(), st.datetimes(), st.floats(), st.integers(-5, 5))
    rows = [tuple(data.draw(cell) for _ in range(width)) for _ in range(height)]
    columns = [list(c) for c in zip(*rows, strict=True)] or [[] for _ in styles]
    try:
        later = [resolve_styles(r, index) for r in render_columns(columns, styles)]
    except UnicodeEncodeError:
        return  # text that is not Unicode: neither way writes it
    assert render_columns(columns, styles, style_marks(index)) == later


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


def _read(source: _Source) -> ReadResult:
    return read_source(source, "book.xlsx", Settings())


@FAST
@given(
    rows=st.lists(
        st.lists(_ROW_CELL, min_size=len(_HEADERS), max_size=len(_HEADERS)), min_size=1, max_size=6
    )
)
def test_a_rectangular_grid_reads_as_the_general_row_loop_reads_it(
    rows: list[list[Any]],
) -> None:
    tasks = [_HEADERS, *rows]
    fast = _read(_Source(tasks))
    # A short last row sends the table through the general row loop (bounds checked).
    ragged = _read(_Source([*tasks, [""]]))
    assert _view(fast) == _view(ragged)


def test_section_headings_repeated_headers_and_bad_values_read_the_same() -> None:
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
    fast = _read(_Source(rows))
    ragged = _read(_Source([*rows, [""]]))
    assert _view(fast) == _view(ragged)
    rules = [f.rule for f in fast.findings]
    assert "row.section_heading" in rules and "value.out_of_range" in rules
    assert len(fast.tracker.tasks) == 4


def test_an_out_of_range_project_value_is_refused_at_its_cell() -> None:
    result = _read(_Source([_HEADERS]))
    assert [
        (f.rule, f.field, f.cell) for f in result.findings if f.rule == "value.out_of_range"
    ] == [("value.out_of_range", "Budget", "B4")]
    assert result.tracker.project.budget is None
