"""Header matching and header-row finding (addin/read/headers.py, addin/schema.py).

TRACKER_SPEC v1 "Tolerated drift": header synonyms, case and spacing; title rows,
logos and blank rows above the header row; a table that starts in any column.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from addin.core import kinds as schema
from addin.core.settings import Settings
from addin.read.headers import HeaderIndex, HeaderMatch, find_header, header_indexes

FAST = hsettings(max_examples=300, deadline=None, derandomize=True)
INDEX = header_indexes(Settings())

#: (sheet key, field name, header text) for every canonical header and synonym in the model.
ALL_HEADERS = [
    (s.key, f.name, text)
    for s in schema.KINDS
    for f in s.fields
    for text in (f.header, *f.synonyms)
]


def test_the_model_has_headers_to_match() -> None:
    # guards the parametrisation below against an empty schema
    assert {key for key, _, _ in ALL_HEADERS} == {
        "Project",
        "Tasks",
        "Milestones",
        "Budget",
        "RAID",
        "Resources",
        "Lessons",
    }
    assert len(ALL_HEADERS) > 150


@pytest.mark.parametrize(("sheet", "field", "text"), ALL_HEADERS)
def test_every_header_and_synonym_maps_to_its_own_field(sheet: str, field: str, text: str) -> None:
    assert INDEX[sheet].match(text) == field


def test_synonyms_are_unambiguous_within_a_sheet() -> None:
    # A header text that two fields of one sheet both claim can only ever map to one of them.
    clashes = []
    for s in schema.KINDS:
        seen: dict[str, str] = {}
        for f in s.fields:
            for text in (f.header, *f.synonyms):
                key = schema.normalise(text)
                if seen.setdefault(key, f.name) != f.name:
                    clashes.append((s.key, text, seen[key], f.name))
    assert clashes == []


@pytest.mark.parametrize(
    ("sheet", "text", "field"),
    [
        # case, whitespace, newlines
        ("Tasks", "planned start", "planned_start"),
        ("Tasks", "PLANNED START", "planned_start"),
        ("Tasks", "  Planned   Start  ", "planned_start"),
        ("Tasks", "Planned\nStart", "planned_start"),
        ("Tasks", "Planned\r\nStart", "planned_start"),
        ("Tasks", "Planned\tStart", "planned_start"),
        ("Tasks", "Planned_Start", "planned_start"),
        # trailing ':' and '*'
        ("Tasks", "Task ID*", "task_id"),
        ("Tasks", "Task ID *", "task_id"),
        ("Tasks", "Owner:", "owner"),
        ("Tasks", "Owner :", "owner"),
        ("Tasks", "Owner:*", "owner"),
        ("Project", "Project Name:", "project_name"),
        # a trailing (...) is ignored
        ("Tasks", "Budget (£)", "budget"),
        ("Tasks", "Planned Start (dd/mm/yyyy)", "planned_start"),
        ("Tasks", "% Complete (0-100)", "pct_complete"),
        ("Tasks", "Planned Start [date]", "planned_start"),
        ("RAID", "Probability (1-5)", "probability"),
        # ... also when the header is then marked required or ends with ':'
        ("Tasks", "Budget (£) *", "budget"),
        ("Tasks", "Planned Start (dd/mm/yyyy):", "planned_start"),
        # a synonym that itself ends with (...) still matches as written
        ("Project", "Status (RAG)", "reported_rag"),
        ("Project", "status (rag):", "reported_rag"),
        # TRACKER_SPEC's examples of drift
        ("Tasks", "Due Date", "planned_finish"),
        ("Tasks", "Finish", "planned_finish"),
        ("Tasks", "End Date", "planned_finish"),
        ("Tasks", "% Done", "pct_complete"),
        ("Tasks", "Progress", "pct_complete"),
        ("Tasks", "Pct Complete", "pct_complete"),
        ("Tasks", "Responsible", "owner"),
        ("Tasks", "Assigned To", "owner"),
        ("Project", "RAG", "reported_rag"),
    ],
)
def test_header_tolerance(sheet: str, text: str, field: str) -> None:
    assert INDEX[sheet].match(text) == field


@pytest.mark.parametrize(
    ("sheet", "value"),
    [
        ("Tasks", "Colour"),
        ("Tasks", "Planned"),  # a Budget header, not a Tasks one
        ("Tasks", ""),
        ("Tasks", "   "),
        ("Tasks", None),
        ("Tasks", 2026),
        ("Tasks", 45658.0),
        ("RAID", "Task Name"),
    ],
)
def test_non_headers_match_nothing(sheet: str, value: Any) -> None:
    assert INDEX[sheet].match(value) is None


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Planned Start", "planned start"),
        ("  PLANNED\n  START  ", "planned start"),
        ("Task ID *", "task id"),
        ("Owner:", "owner"),
        ("Planned_Finish", "planned finish"),
        ("% Complete", "% complete"),
    ],
)
def test_normalise(text: str, folded: str) -> None:
    assert schema.normalise(text) == folded


# --- synonyms from settings ---------------------------------------------------------------------


def test_extra_header_synonyms_from_settings() -> None:
    s = Settings.model_validate(
        {
            "reader": {
                "header_synonyms": {
                    "Tasks": {"Planned Finish": ["Target End", "Go-Live"], "Notes": ["Owner"]},
                    "Project": {"Sponsor": ["SRO"]},
                }
            }
        }
    )
    idx = header_indexes(s)
    assert [idx["Tasks"].match(h) for h in ("Target End", "TARGET\nEND:", "go-live")] == [
        "planned_finish",
        "planned_finish",
        "planned_finish",
    ]
    assert idx["Project"].match("SRO") == "sponsor"
    # settings add synonyms; they never take a canonical header from its field
    assert idx["Tasks"].match("Owner") == "owner"
    # the defaults do not know them
    assert [INDEX["Tasks"].match("Go-Live"), INDEX["Tasks"].match("Notes")] == [None, "notes"]


# --- perturbations of every header --------------------------------------------------------------


@st.composite
def perturbed(draw: st.DrawFn) -> tuple[str, str, str]:
    sheet, field, text = draw(st.sampled_from(ALL_HEADERS))
    words = text.split(" ")
    seps = [draw(st.sampled_from([" ", "  ", "\n", " \n", "\r\n", "\t"])) for _ in words[1:]]
    joined = words[0] + "".join(sep + w for sep, w in zip(seps, words[1:], strict=True))
    cased = "".join(c.upper() if draw(st.booleans()) else c.lower() for c in joined)
    lead = draw(st.sampled_from(["", " ", "\n", "  "]))
    tail = draw(st.sampled_from(["", " ", "\n", ":", " :", "*", " *", ":*"]))
    return sheet, field, f"{lead}{cased}{tail}"


@FAST
@given(perturbed())
def test_perturbed_headers_still_match(case: tuple[str, str, str]) -> None:
    sheet, field, text = case
    assert INDEX[sheet].match(text) == field


# --- finding the header row ------------------------------------------------------------------

TASK_HEADER = ["Task ID", "Task Name", "Owner", "Planned Start", "Planned Finish", "% Complete"]
TASK_COLUMNS = {
    "task_id": 0,
    "task_name": 1,
    "owner": 2,
    "planned_start": 3,
    "planned_finish": 4,
    "pct_complete": 5,
}


def find(sheet: str, rows: list[list[Any]], *, top: int = 0, left: int = 0, scan: int = 30) -> Any:
    return find_header(INDEX[sheet], rows, top=top, left=left, scan=scan)


def summary(match: HeaderMatch | None) -> Any:
    if match is None:
        return None
    return (match.row, match.columns, match.duplicates, match.extras)


def shifted(columns: dict[str, int], by: int) -> dict[str, int]:
    return {k: v + by for k, v in columns.items()}


def test_header_in_first_row() -> None:
    rows: list[list[Any]] = [TASK_HEADER, ["T1", "Design", "Ann", 46000, 46010, 0.5]]
    assert summary(find("Tasks", rows)) == (0, TASK_COLUMNS, [], {})


def test_header_under_title_logo_and_blank_rows() -> None:
    rows: list[list[Any]] = [
        ["Project Alpha - Task List", None, None],
        [None, None, None],
        ["[logo]", None, None, None, None, "Status as of 31/03/2026"],
        [],
        [None] * 6,
        TASK_HEADER,
        ["T1", "Design", "Ann", 46000, 46010, 0.5],
    ]
    assert summary(find("Tasks", rows)) == (5, TASK_COLUMNS, [], {})


def test_header_found_in_a_table_starting_in_column_c() -> None:
    pad: list[Any] = [None, None]
    rows: list[list[Any]] = [
        [*pad, "Task Plan"],
        [],
        pad + TASK_HEADER,
        [*pad, "T1", "Design", "Ann", 1, 2, 3],
    ]
    assert summary(find("Tasks", rows)) == (2, shifted(TASK_COLUMNS, 2), [], {})
    # the same grid read from C1: positions are still sheet columns
    trimmed = [r[2:] for r in rows]
    assert summary(find("Tasks", trimmed, left=2)) == (2, shifted(TASK_COLUMNS, 2), [], {})


def test_row_numbers_are_sheet_rows() -> None:
    rows: list[list[Any]] = [[], TASK_HEADER]
    assert summary(find("Tasks", rows, top=4)) == (5, TASK_COLUMNS, [], {})


@pytest.mark.parametrize(
    "before",
    [
        [["Task", "Start"]],  # qualifies (a name and a date) but only 2 fields
        [["Task", "Start", "Finish", "Owner"]],  # 4 clean fields, still fewer than 7
        [["Task Name", "Planned Start", "Planned Finish", "Owner", "Status"], []],  # 5
    ],
)
def test_the_row_with_most_matches_wins(before: list[list[Any]]) -> None:
    rows: list[list[Any]] = [
        *before,
        [],
        [*TASK_HEADER, "Notes"],  # 7 fields
        ["Task", "Finish", "Owner"],  # 3 fields
    ]
    expected_row = len(before) + 1
    assert summary(find("Tasks", rows)) == (expected_row, {**TASK_COLUMNS, "notes": 6}, [], {})


def test_extras_and_duplicates_are_reported() -> None:
    # the canonical header beats a synonym wherever it stands (issue 12: strength, not order)
    rows: list[list[Any]] = [["Task ID", "Task Name", "Colour", "Start", "Responsible", "Owner"]]
    assert summary(find("Tasks", rows)) == (
        0,
        {"task_id": 0, "task_name": 1, "planned_start": 3, "owner": 5},
        [("owner", 5, 4)],
        {2: "Colour"},
    )
    # two synonyms of one strength: the first
    rows = [["Task ID", "Task Name", "Start", "Responsible", "Assigned To"]]
    assert summary(find("Tasks", rows))[2] == [("owner", 3, 4)]


def test_header_split_over_two_rows() -> None:
    rows: list[list[Any]] = [
        ["Project Plan"],
        [None, None, "PLAN", "PLAN", "ACTUAL", "ACTUAL"],
        ["Task ID", "Task Name", "START", "FINISH", "START", "FINISH"],
        ["T1", "Design", 46000, 46010, 46001, None],
    ]
    assert summary(find("Tasks", rows)) == (
        2,
        {
            "task_id": 0,
            "task_name": 1,
            "planned_start": 2,
            "planned_finish": 3,
            "actual_start": 4,
            "actual_finish": 5,
        },
        [],
        {},
    )


@pytest.mark.parametrize(
    ("sheet", "rows"),
    [
        # only a name column, no date column
        ("Tasks", [["Task"], ["Design"], ["Build"]]),
        ("Tasks", [["Task", "Notes"]]),
        # a weak name (Description) needs a date: a bare list is no task table
        ("Tasks", [["Description", "Owner", "Status"]]),
        # ... and no RAID log either (issue 12: a task sheet was read as a RAID log)
        ("RAID", [["Task ID", "Description", "Owner", "Status", "Notes"]]),
        # dates but no name
        ("Tasks", [["Planned Start", "Planned Finish"]]),
        # nothing at all
        ("Tasks", []),
        ("Tasks", [[None, None], [1, 2]]),
        # a Tasks header is not a Milestones or RAID header
        ("Milestones", [TASK_HEADER]),
        ("RAID", [["Title"]]),
        ("Budget", [["Period"]]),
    ],
)
def test_no_qualifying_header(sheet: str, rows: list[list[Any]]) -> None:
    assert find(sheet, rows) is None


def test_header_below_the_scan_window_is_not_found() -> None:
    rows: list[list[Any]] = [[] for _ in range(5)] + [TASK_HEADER]
    assert find("Tasks", rows, scan=5) is None
    assert summary(find("Tasks", rows, scan=6)) == (5, TASK_COLUMNS, [], {})


@pytest.mark.parametrize(
    ("sheet", "header", "columns"),
    [
        (
            "Milestones",
            ["Milestone ID", "Milestone", "Baseline Date", "Forecast Date", "Status"],
            {
                "milestone_id": 0,
                "milestone": 1,
                "baseline_date": 2,
                "forecast_date": 3,
                "status": 4,
            },
        ),
        (
            "Budget",
            ["Month", "Plan", "Actuals", "Forecast"],
            {"period": 0, "planned": 1, "actual": 2, "forecast": 3},
        ),
        (
            "RAID",
            ["Ref", "RAID Type", "Description", "Likelihood", "Impact", "Risk Rating", "State"],
            {
                "raid_id": 0,
                "type": 1,
                "title": 2,
                "probability": 3,
                "impact": 4,
                "severity": 5,
                "status": 6,
            },
        ),
    ],
)
def test_other_tables(sheet: str, header: list[str], columns: dict[str, int]) -> None:
    rows: list[list[Any]] = [["Title row"], header]
    assert summary(find(sheet, rows)) == (1, columns, [], {})


def test_category_is_not_the_raid_type() -> None:
    """Issue 12: 'Category' (Delivery, Resource ...) was taken for the RAID Type."""
    header = ["Ref", "Category", "Risk", "Owner", "Status"]
    got = summary(find("RAID", [header]))
    assert got[1] == {"raid_id": 0, "title": 2, "owner": 3, "status": 4}
    assert got[3] == {1: "Category"}


def test_header_index_type() -> None:
    assert all(isinstance(i, HeaderIndex) for i in INDEX.values())
    assert set(INDEX) == {
        "Project",
        "Tasks",
        "Milestones",
        "Budget",
        "RAID",
        "Resources",
        "Lessons",
    }
