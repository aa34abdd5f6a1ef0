"""Where a table ends: a header row ends it, a record whose cells are header words does not."""

from __future__ import annotations

from pathlib import Path

from addin.core.settings import Settings
from addin.engine.validate import read_and_check
from tests.builders import AS_OF
from tests.sheetbook import book

_RAID_HEADER = ["ID", "Type", "Title", "Owner", "Status", "Mitigation / Action", "Realized"]


def test_records_holding_header_words_keep_the_table_going(tmp_path: Path) -> None:
    """Type ``Risk`` and a strategy ``Mitigation`` are values, not another table's header."""
    rows = [
        _RAID_HEADER,
        ["1", "Risk", "Network testing failures", "Ann", "Open", "Acceptance", "Yes"],
        ["2", "Risk", "Distribution regressions", "Bob", "Open", "Mitigation", "No"],
        ["3", "Issue", "Budget", "Cy", "Closed", "Mitigation", "Yes"],
        ["4", "Risk", "App approval delays", "Dee", "Open", "Acceptance", "Yes"],
    ]
    path = book(tmp_path / "raid.xlsx", {"RAID": rows})
    read, report = read_and_check(path, Settings(), as_of=AS_OF)
    assert report.tables["RAID"].rows == 4
    assert [r.title for r in read.tracker.raid] == [
        "Network testing failures",
        "Distribution regressions",
        "Budget",
        "App approval delays",
    ]


def test_a_header_row_inside_a_table_still_ends_it(tmp_path: Path) -> None:
    """Another table's header (most cells header words), or this table's header repeated."""
    rows = [
        _RAID_HEADER,
        ["1", "Risk", "Network testing failures", "Ann", "Open", "Acceptance", "Yes"],
        ["2", "Risk", "Distribution regressions", "Bob", "Open", "Mitigation", "No"],
        ["Task ID", "Task Name", "Owner", "Status"],
        ["T1", "Build", "Ann", "Open"],
    ]
    path = book(tmp_path / "two.xlsx", {"RAID": rows})
    _, report = read_and_check(path, Settings(), as_of=AS_OF)
    assert report.tables["RAID"].rows == 2
    again = [*rows[:3], ["ID", "Risk", "Title", "Owner", "Status", "Mitigation", "Realized"]]
    again.append(["9", "Risk", "Late supplier", "Cy", "Open", "Acceptance", "No"])
    path = book(tmp_path / "again.xlsx", {"RAID": again})
    _, report = read_and_check(path, Settings(), as_of=AS_OF)
    assert report.tables["RAID"].rows == 2
