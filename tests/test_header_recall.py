"""Issue 12 items 4-6: ordinary English headers are read, the stronger header wins, scales
in words are scored, and no unmapped column makes a false error.

Each case is a workbook a few lines long, written as real trackers write them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from addin.core.findings import FileStatus
from addin.core.settings import Settings
from addin.engine.validate import read_and_check
from addin.read import ReadResult, read_tracker
from tests.builders import AS_OF
from tests.sheetbook import book

D = dt.date


def _col(read: ReadResult, key: str, field: str) -> list[Any]:
    return read.tracker.table(key).col(field)


def test_a_one_row_plan_headed_task_title_is_read(tmp_path: Path) -> None:
    """Issue 12: 'Task Title / Start Date / End Date' was refused; 'Task Name' was read."""
    rows = [["Task Title", "Start Date", "End Date"], ["Design", D(2026, 1, 5), D(2026, 1, 9)]]
    read = read_tracker(book(tmp_path / "t.xlsx", {"Sheet1": rows}), Settings())
    assert read.status is FileStatus.VALID
    assert read.tables["Tasks"].columns == {
        "Task Name": "A",
        "Planned Start": "B",
        "Planned Finish": "C",
    }


def test_planned_dates_and_baselines_are_told_apart(tmp_path: Path) -> None:
    rows = [
        ["Task", "Planned Start Date", "Planned End Date", "Orig. Start", "Orig. End"],
        ["Build", D(2026, 2, 2), D(2026, 3, 6), D(2026, 1, 12), D(2026, 2, 27)],
    ]
    read = read_tracker(book(tmp_path / "t.xlsx", {"Plan": rows}), Settings())
    got = {f: _col(read, "Tasks", f)[0] for f in read.tracker.table("Tasks").columns}
    assert (got["planned_start"], got["planned_finish"]) == (D(2026, 2, 2), D(2026, 3, 6))
    assert (got["baseline_start"], got["baseline_finish"]) == (D(2026, 1, 12), D(2026, 2, 27))


def test_a_risk_register_in_ordinary_words_is_read(tmp_path: Path) -> None:
    rows = [["Risk #", "Risk Statement", "Risk Owner", "Likely?"], ["R-1", "Vendor late", "Ann", 3]]
    read = read_tracker(book(tmp_path / "r.xlsx", {"Register": rows}), Settings())
    assert read.tables["RAID"].columns == {"ID": "A", "Title": "B", "Owner": "C"}


def test_actual_end_date_holds_the_finish_so_complete_tasks_are_not_flagged(
    tmp_path: Path,
) -> None:
    """Issue 12: 'Complete but Actual Finish blank' x6 where 'Actual End Date' held the dates.

    The header is recognised now; and a plan with no finish column at all gets one
    column.missing on its header row, not a false error on every task without a cell.
    """
    header = ["Task", "Owner", "Start Date", "End Date", "% Complete", "Status"]
    done = ["Design", "Ann", D(2026, 1, 5), D(2026, 1, 9), 1.0, "Complete"]
    with_col = book(
        tmp_path / "a.xlsx",
        {"Plan": [[*header, "Actual End Date"], [*done, D(2026, 1, 9)]]},
    )
    _, report = read_and_check(with_col, Settings(), as_of=AS_OF)
    assert not [f for f in report.findings if f.rule.startswith("task.")]
    without = book(tmp_path / "b.xlsx", {"Plan": [header, done, ["Test", *done[1:]]]})
    _, report = read_and_check(without, Settings(), as_of=AS_OF)
    assert not [f for f in report.findings if f.rule.startswith("task.")]
    (finish,) = [f for f in report.findings if f.field == "Actual Finish"]
    assert (finish.rule, finish.location) == ("column.missing", "Plan!A1")
    assert "header row (row 1)" in finish.message


def test_the_activities_column_beats_a_bullet_task_column(tmp_path: Path) -> None:
    rows = [
        ["Task", "Activities", "Owner", "Due Date"],
        ["•", "Draft the charter", "Ann", D(2026, 1, 9)],
        ["•", "Agree the budget", "Bob", D(2026, 1, 16)],
    ]
    read = read_tracker(book(tmp_path / "t.xlsx", {"Plan": rows}), Settings())
    assert _col(read, "Tasks", "task_name") == ["Draft the charter", "Agree the budget"]


def test_a_text_impact_column_is_not_the_impact_score(tmp_path: Path) -> None:
    rows = [
        ["ID", "Risk", "Impact (resulting in...)", "Owner", "Initial Impact"],
        ["R1", "Outage", "Resulting in: delays to testing and go-live", "Ann", 3],
        ["R2", "Breach", "Resulting in: fines and loss of trust", "Bob", 5],
    ]
    read = read_tracker(book(tmp_path / "r.xlsx", {"Risks": rows}), Settings())
    assert read.tables["RAID"].columns["Impact"] == "E"
    assert _col(read, "RAID", "impact") == [3, 5]


def test_a_value_written_in_words_stays_mapped_and_each_cell_is_a_finding(
    tmp_path: Path,
) -> None:
    """'100% throughout' is an FTE in words (issue 14), not a description: it is read as the
    FTE column, and each cell that is no plain percentage is a finding at its cell."""
    rows = [
        ["Person", "Role", "Allocation", "Period"],
        ["Ann", "Analyst", "100% throughout the discovery phase", D(2026, 12, 1)],
        ["Bob", "Engineer", "50%, tapering to 25% from week 12", D(2026, 12, 1)],
        ["Di", "Architect", "20% in the design weeks only", D(2026, 12, 1)],
        ["Ed", "Sponsor", "5% for the steering meetings", D(2026, 12, 1)],
        ["Cy", "Tester", 0.75, D(2026, 12, 1)],
    ]
    path = book(tmp_path / "r.xlsx", {"Resources": rows})
    read = read_tracker(path, Settings())
    assert read.tables["Resources"].columns["FTE"] == "C"
    assert _col(read, "Resources", "fte") == [None, None, None, None, 0.75]
    _, report = read_and_check(path, Settings(), as_of=AS_OF)
    cells = {f.cell for f in report.findings if f.rule == "value.not_a_percent"}
    assert cells == {"C2", "C3", "C4", "C5"}


def test_a_hidden_empty_likelihood_column_does_not_beat_the_filled_probability(
    tmp_path: Path,
) -> None:
    rows = [
        ["ID", "Risk", "Probability", "Owner", "Likelihood"],
        ["R1", "Outage", 3, "Ann", None],
        ["R2", "Breach", 2, "Bob", None],
    ]
    read = read_tracker(book(tmp_path / "r.xlsx", {"Risks": rows}), Settings())
    assert _col(read, "RAID", "probability") == [3, 2]


def test_a_header_merged_over_two_rows_reads_as_one(tmp_path: Path) -> None:
    rows = [
        ["Risk ID", "Risk Title", "Initial", None, None, "Status"],
        [None, None, "Probability", "Impact", "Risk Score", None],
        ["R1", "Outage", 3, 4, 12, "Open"],
    ]
    merged = ["C1:E1", "A1:A2", "B1:B2", "F1:F2"]
    path = book(tmp_path / "r.xlsx", {"Risks": rows}, merges={"Risks": merged})
    read = read_tracker(path, Settings())
    assert read.tables["RAID"].columns == {
        "ID": "A",
        "Title": "B",
        "Probability": "C",
        "Impact": "D",
        "Severity": "E",
        "Status": "F",
    }
    assert _col(read, "RAID", "severity") == ["High"]  # a score of 12 is High


@pytest.mark.parametrize(
    ("probability", "impact", "expected"),
    [
        ("Likely", "Major", (4, 4)),
        ("LOW", "HIGH", (2, 4)),
        ("Basso", "Alto", (2, 4)),
        ("Unwahrscheinlich", "Katastrophal", (2, 5)),
    ],
)
def test_scales_in_words_are_scored(
    tmp_path: Path, probability: str, impact: str, expected: tuple[int, int]
) -> None:
    rows = [["Risk", "Owner", "Probability", "Impact"], ["Outage", "Ann", probability, impact]]
    path = book(tmp_path / "r.xlsx", {"Risks": rows})
    read, report = read_and_check(path, Settings(), as_of=AS_OF)
    assert (_col(read, "RAID", "probability")[0], _col(read, "RAID", "impact")[0]) == expected
    assert not [f for f in report.findings if f.rule.startswith("value.")]


def test_the_scale_table_is_set_in_settings(tmp_path: Path) -> None:
    rows = [["Risk", "Owner", "Probability", "Impact"], ["Outage", "Ann", "Likely", "Meh"]]
    path = book(tmp_path / "r.xlsx", {"Risks": rows})
    settings = Settings().with_changes({"scales.words": {"likely": 5, "Meh": 1}})
    read = read_tracker(path, settings)
    assert (_col(read, "RAID", "probability")[0], _col(read, "RAID", "impact")[0]) == (5, 1)


def test_the_files_own_key_wins_over_the_table(tmp_path: Path) -> None:
    risks = [
        ["Risk", "Owner", "Probability of Occurrence", "Disruption Potential"],
        ["Outage", "Ann", "Certain", "Showstopper"],
        ["Breach", "Bob", "Low", "Minimal"],
    ]
    lookups = [
        ["Probability of Occurrence"],
        ["Resolved", 0],
        ["Low", 1],
        ["Medium", 3],
        ["High", 5],
        ["Certain", 9],
        [],
        ["Disruption Potential"],
        ["Minimal", 1],
        ["Medium", 3],
        ["Showstopper", 9],
    ]
    path = book(tmp_path / "r.xlsx", {"Risks": risks, "Lookups": lookups})
    read = read_tracker(path, Settings())
    # 0 1 3 5 9 spread over 1-5 by rank; the table alone says Low = 2, Minimal = 1
    assert _col(read, "RAID", "probability") == [5, 2]
    assert _col(read, "RAID", "impact") == [5, 1]
    off = read_tracker(path, Settings().with_changes({"scales.file_keys": False}))
    assert _col(off, "RAID", "probability") == [5, 2]


def test_a_status_column_of_ratings_is_the_severity(tmp_path: Path) -> None:
    rows = [
        ["Service", "Risk Status", "Mitigation Plan", "High Availability Risks"],
        ["Gateway", "MEDIUM\u200b", "HA enabled", "Gateway has no failover"],
        ["Database", "HIGH\u200b", "Move to flexible server", "Single server"],
    ]
    read = read_tracker(book(tmp_path / "r.xlsx", {"Risk Register": rows}), Settings())
    assert read.tables["RAID"].columns == {
        "Severity": "B",
        "Mitigation / Action": "C",
        "Title": "D",
    }
    assert _col(read, "RAID", "severity") == ["Medium", "High"]
