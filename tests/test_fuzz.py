"""Fuzz: whatever a tracker holds, the reader and the validator answer; they never raise.

Random sheets (names that mean something and names that do not), random headers (real
ones, their synonyms, anything) and random values of every type in every cell: text,
very long text, text that looks like a formula, numbers (huge, negative, NaN), booleans,
dates and times, real formulas with no cached value, blanks. Checked two ways: in memory
through :func:`addin.read.read_source` (cheap, many examples), and as a real workbook
file through :func:`addin.read.read_tracker` and :func:`addin.checks.validate.check_file`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from addin.checks import dated_findings, validate_tracker
from addin.core.errors import UnreadableFileError
from addin.core.findings import FileStatus, sort_findings
from addin.core.kinds import KINDS
from addin.core.rules import RULES, RuleBook
from addin.core.settings import Settings
from addin.engine.validate import read_and_check
from addin.read import Grid, ReadResult, grid_from_values, read_source, read_tracker
from addin.read.source import Workbook
from tests.hostile import make

SETTINGS = Settings.model_validate({"limits": {"max_rows": 40, "max_columns": 20}})
AS_OF = dt.date(2026, 11, 20)
FUZZ = hsettings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

HEADERS = sorted({h for s in KINDS for f in s.fields for h in (f.header, *f.synonyms)})
SHEET_NAMES = sorted(
    {s.key for s in KINDS} | {n for v in (k.sheet_names for k in KINDS) for n in v}
)

text = st.text(max_size=30)
formula_text = st.builds(lambda head, rest: head + rest, st.sampled_from("=+-@"), text)
long_text = st.builds(lambda ch, n: ch * n, st.characters(), st.integers(1_000, 33_000))
dates = st.dates(dt.date(1900, 1, 1), dt.date(9999, 12, 31))
datetimes = st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(9999, 12, 31))
numbers = st.one_of(
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0, 0.5, 1, 100, -1, 1e308, 5e-324]),
)
values = st.one_of(
    st.none(),
    st.just(""),
    text,
    formula_text,
    numbers,
    st.booleans(),
    dates,
    datetimes,
    st.sampled_from(["50%", "£12,500", "R/A/G", "Done", "High", "n/a", "TBC", "31/02/2026"]),
)
header = st.one_of(st.sampled_from(HEADERS), text)


@st.composite
def grids(draw: st.DrawFn, cell: st.SearchStrategy[Any] = values) -> list[list[Any]]:
    """A block: a few blank rows, a header row, then data rows, starting in some column."""
    width = draw(st.integers(1, 8))
    lead = [[None] * draw(st.integers(0, 3))] * draw(st.integers(0, 2))
    offset = [None] * draw(st.integers(0, 2))
    head = offset + draw(st.lists(header, min_size=width, max_size=width))
    rows = draw(st.lists(st.lists(cell, min_size=0, max_size=width + 2), max_size=6))
    return [*lead, head, *(offset + r for r in rows)]


@st.composite
def project_block(draw: st.DrawFn) -> list[list[Any]]:
    """Label/value pairs, the way the Project sheet holds them."""
    labels = st.sampled_from([f.header for f in KINDS[0].fields])
    pairs = draw(st.lists(st.tuples(st.one_of(labels, text), values), max_size=16))
    return [[label, value] for label, value in pairs]


sheet_name = st.one_of(st.sampled_from(SHEET_NAMES), text)
workbooks = st.dictionaries(
    sheet_name, st.one_of(grids(), project_block(), st.just([])), min_size=1, max_size=6
)


@dataclass
class Sheets:
    """An in-memory grid source (what the Excel layer gives the reader)."""

    grids: dict[str, Grid] = field(default_factory=dict)

    @property
    def sheet_names(self) -> list[str]:
        return list(self.grids)

    @property
    def worksheets(self) -> list[str]:
        return list(self.grids)

    def grid(self, name: str) -> Grid:
        return self.grids[name]

    def merged_ranges(self, name: str) -> Sequence[tuple[tuple[int, int], tuple[int, int]]]:
        return ()


def _assert_sane(result: ReadResult, findings: Sequence[Any]) -> None:
    assert result.status in FileStatus
    if result.status in (FileStatus.UNREADABLE, FileStatus.NOT_A_TRACKER):
        assert result.reason and "\n" not in result.reason
    for f in findings:
        assert f.rule in RULES
        assert f.row is None or f.row >= 0
        assert f.col is None or f.col >= 0
        json.dumps(f.to_dict())


def _validate(result: ReadResult) -> list[Any]:
    rules = RuleBook(dict(SETTINGS.rules))
    findings = list(result.findings)
    if result.status not in (FileStatus.UNREADABLE, FileStatus.NOT_A_TRACKER):
        findings += validate_tracker(result, SETTINGS, rules=rules)
        where = result.where("Project", "status_date")
        status_date = result.tracker.project.status_date
        findings += dated_findings(result.file, status_date, where, SETTINGS, AS_OF, rules)
    return sort_findings(findings, result.sheet_order)


@FUZZ
@given(
    workbooks,
    st.lists(st.one_of(values, long_text, st.floats(), st.times()), min_size=1, max_size=5),
)
def test_read_source_and_validation_never_raise(
    book: dict[str, list[list[Any]]], odd: list[Any]
) -> None:
    # odd values only the Excel layer can hand over (NaN, a bare time, very long text)
    # go into a table's first data row
    source = Sheets()
    for name, rows in book.items():
        if rows and len(rows) > 1:
            rows = [*rows, odd]
        source.grids[name] = grid_from_values(name, rows, SETTINGS.limits)
    result = read_source(source, "fuzz.xlsx", SETTINGS)
    _assert_sane(result, _validate(result))


def _sheet_title(name: str, taken: set[str]) -> str:
    """A name Excel accepts (31 characters, none of []:*?/\\, unique), close to ``name``."""
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'") or "Sheet"
    title, n = clean, 2
    while _units(title) > 31 or title.casefold() in taken:
        suffix = f" ({n})" if title.casefold() in taken else ""
        while _units(clean + suffix) > 31:
            clean = clean[:-1]
        title, n = clean + suffix, n + 1
    taken.add(title.casefold())
    return title


def _units(name: str) -> int:
    return len(name.encode("utf-16-le")) // 2


def _write_cell(ws: Any, r: int, c: int, value: Any, date_format: Any) -> None:
    if value is None or value == "":
        return
    if isinstance(value, str):
        if value.startswith("=") and len(value) > 1 and r % 2:
            ws.write_formula(r, c, value)  # a real formula with no cached value
        else:
            ws.write_string(r, c, value)
    elif isinstance(value, bool):
        ws.write_boolean(r, c, value)
    elif isinstance(value, dt.datetime | dt.date):
        ws.write_datetime(r, c, value, date_format)
    elif isinstance(value, float) and not math.isfinite(value):
        ws.write_string(r, c, str(value))
    else:
        ws.write_number(r, c, value)


def _write_book(path: Path, book: dict[str, list[list[Any]]]) -> None:
    wb = xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_urls": False, "nan_inf_to_errors": True},
    )
    date_format = wb.add_format({"num_format": "dd/mm/yyyy"})
    taken: set[str] = set()
    for name, rows in book.items():
        ws = wb.add_worksheet(_sheet_title(name, taken))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                _write_cell(ws, r, c, value, date_format)
    wb.close()


@FUZZ
@given(workbooks, long_text)
def test_reader_and_validator_never_raise_on_a_workbook_file(
    book: dict[str, list[list[Any]]], long_cell: str
) -> None:
    first = next(iter(book))
    book[first] = [*book[first], [long_cell]]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.xlsx"
        _write_book(path, book)
        read = read_tracker(path, SETTINGS)
        _assert_sane(read, read.findings)
        result, report = read_and_check(path, SETTINGS, as_of=AS_OF)
        _assert_sane(result, report.findings)
        assert report.status in FileStatus and "\n" not in report.reason
        json.dumps(report.to_dict())


# --- sheet XML as other tools write it ---------------------------------------------------------

LIMITS = Settings.model_validate({"limits": {"max_rows": 20, "max_columns": 10}}).limits
refs = st.one_of(
    st.builds(
        lambda col, row: f"{col}{row}",
        st.sampled_from(["A", "B", "J", "K", "Z", "AA", "XFD", "XFE", "ZZZZ", ""]),
        st.sampled_from(["1", "2", "19", "20", "21", "1048576", "1048577", "0", "99999999999"]),
    ),
    st.sampled_from(["", "1A", "A-1", "a1", "A 1"]),
)
cell_xml = st.builds(
    lambda ref, kind, formula, value: (
        "<c"
        + (f' r="{ref}"' if ref is not None else "")
        + (f' t="{kind}"' if kind else "")
        + (">" + formula + value + "</c>" if formula or value else "/>")
    ),
    st.none() | refs,
    st.sampled_from(["", "s", "str", "inlineStr", "b", "n", "e"]),
    st.sampled_from(["", "<f>1+1</f>", "<f/>", '<f t="shared" si="0"/>']),
    st.sampled_from(
        ["", "<v>1</v>", "<v/>", "<v></v>", "<v>abc</v>", "<is><t>x</t></is>", "<v>0</v>"]
    ),
)
row_xml = st.builds(
    lambda number, cells: (
        "<row" + (f' r="{number}"' if number is not None else "") + ">" + "".join(cells) + "</row>"
    ),
    st.none() | st.sampled_from(["1", "2", "20", "21", "1048576", "0", "x", "99999999999"]),
    st.lists(cell_xml, max_size=6),
)


def _prefixed(xml: str) -> str:
    for tag in ("row", "c", "v", "f", "is", "t"):
        xml = xml.replace(f"<{tag}", f"<x:{tag}").replace(f"</{tag}>", f"</x:{tag}>")
    return xml


@FUZZ
@given(st.lists(row_xml, max_size=12), st.booleans())
def test_any_sheet_xml_is_read_within_the_limits_or_refused_in_one_line(
    rows: list[str], prefixed: bool
) -> None:
    body = "".join(rows)
    if prefixed:
        xml = (
            '<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main"><x:sheetData>{_prefixed(body)}</x:sheetData></x:worksheet>'
        )
    else:
        xml = make.sheet_xml(body.encode()).decode()
    with tempfile.TemporaryDirectory() as folder:
        path = make.minimal_book(Path(folder) / "sheet.xlsx", xml.encode())
        try:
            with Workbook(path, LIMITS) as wb:
                grid = wb.grid("Sheet1")
        except UnreadableFileError as exc:
            assert exc.reason and "\n" not in exc.reason
            return
    assert grid.top + len(grid.rows) <= LIMITS.max_rows
    assert all(grid.left + len(r) <= LIMITS.max_columns for r in grid.rows)
    assert all(r < LIMITS.max_rows and c < LIMITS.max_columns for r, c in grid.uncalculated)
