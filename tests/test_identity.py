"""Issue 12 item 2: every project is named, and the report says where the name came from.

The Project block first; else a label (``PROJECT TITLE: KeeperAI``), a title (a merged
title row, an A1 title), the sheet names, the file name. Each inference is a warning at
its cell; ``pmo validate --format json`` carries ``project_id`` and ``project_name`` for
every file.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from addin.cli import app
from addin.core.findings import FileStatus
from addin.core.settings import Settings
from addin.engine.validate import read_and_check
from tests.builders import AS_OF, base_project, base_tracker, write
from tests.sheetbook import book

D = dt.date
TASKS = [
    ["Task", "Owner", "Start Date", "End Date"],
    ["Design", "Ann", D(2026, 1, 5), D(2026, 2, 1)],
    ["Build", "Bob", D(2026, 2, 2), D(2026, 3, 1)],
]


def _named(path: Path) -> tuple[str, str, list[tuple[str, str, str]]]:
    read, report = read_and_check(path, Settings(), as_of=AS_OF)
    assert read.identity is not None
    found = [
        (f.rule, f.location, f.message) for f in report.findings if f.rule == "identity.inferred"
    ]
    return report.project_id, report.project_name, found


def test_the_project_block_names_the_project_without_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path / "t.xlsx", base_tracker(project=base_project(project_id="PRJ-0042")))
    pid, name, found = _named(path)
    assert (pid, name, found) == ("PRJ-0042", "Customer Portal", [])


def test_a_label_value_title_cell_names_the_project(tmp_path: Path) -> None:
    path = book(
        tmp_path / "keeper.xlsx",
        {"Plan": [["PROJECT TITLE: KeeperAI"], [], *TASKS]},
    )
    pid, name, found = _named(path)
    assert (pid, name) == ("keeper", "KeeperAI")
    assert len(found) == 1
    _rule, where, message = found[0]
    assert where == "Plan!A1"
    assert "'KeeperAI' taken from the label" in message and "'keeper' from the file name" in message


def test_a_merged_title_row_names_the_project_without_the_document_words(
    tmp_path: Path,
) -> None:
    path = book(
        tmp_path / "plan.xlsx",
        {"Timeline": [["Sauce & Spoon Project Plan"], [], *TASKS]},
        merges={"Timeline": ["A1:D2"]},
    )
    _pid, name, found = _named(path)
    assert name == "Sauce & Spoon"
    assert found[0][1] == "Timeline!A1" and "from the title" in found[0][2]


def test_a_title_made_only_of_document_words_names_nothing(tmp_path: Path) -> None:
    path = book(tmp_path / "risk-log_2026.xlsx", {"Plan": [["Project Plan"], *TASKS]})
    pid, name, found = _named(path)
    assert (pid, name) == ("risk-log_2026", "risk-log_2026")
    assert "taken from the file name" in found[0][2] and found[0][1] == "Plan!A1"


def test_the_file_name_names_a_project_nothing_else_names(tmp_path: Path) -> None:
    path = book(tmp_path / "apollo-upgrade.xlsx", {"Plan": TASKS})
    assert _named(path)[:2] == ("apollo-upgrade", "apollo-upgrade")


def test_sheet_names_sharing_a_name_name_the_project(tmp_path: Path) -> None:
    risks = [["Risk", "Owner", "Status"], ["Late supplier", "Ann", "Open"]]
    path = book(tmp_path / "w.xlsx", {"Mercury Plan": TASKS, "Mercury Risks": risks})
    assert _named(path)[1] == "Mercury"


def test_a_file_that_is_no_tracker_is_still_named_in_the_report(tmp_path: Path) -> None:
    path = book(tmp_path / "notes.xlsx", {"Sheet1": [["Shopping"], ["milk"]]})
    _read, report = read_and_check(path, Settings(), as_of=AS_OF)
    assert report.status is FileStatus.NOT_A_TRACKER
    assert (report.project_id, report.project_name) == ("notes", "Shopping")
    assert [f.rule for f in report.findings] == ["file.not_a_tracker"]


def test_an_id_taken_from_the_file_name_is_no_format_error(tmp_path: Path) -> None:
    path = book(tmp_path / "not an id.xlsx", {"Plan": TASKS})
    _, report = read_and_check(path, Settings(), as_of=AS_OF)
    assert report.project_id == "not an id"
    assert "project.id_format" not in {f.rule for f in report.findings}


def test_a_blank_project_id_in_the_block_stays_an_error_and_the_file_names_it(
    tmp_path: Path,
) -> None:
    path = write(tmp_path / "b.xlsx", base_tracker(project=base_project(project_id=None)))
    _, report = read_and_check(path, Settings(), as_of=AS_OF)
    assert report.project_id == "b"
    required = [f for f in report.findings if f.rule == "value.required"]
    assert [(f.field, f.cell) for f in required] == [("Project ID", "B1")]


def test_validate_json_carries_the_id_and_name_of_every_file(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    book(folder / "keeper.xlsx", {"Plan": [["PROJECT TITLE: KeeperAI"], *TASKS]})
    write(folder / "std.xlsx", base_tracker(project=base_project(project_id="PRJ-0042")))
    book(folder / "notes.xlsx", {"Sheet1": [["Shopping"], ["milk"]]})
    result = CliRunner().invoke(
        app, ["validate", str(folder), "--format", "json", "--as-of", "2026-11-20"]
    )
    files = {Path(f["file"]).name: f for f in json.loads(result.stdout)["files"]}
    got = {n: (f["project_id"], f["project_name"]) for n, f in files.items()}
    assert got == {
        "keeper.xlsx": ("keeper", "KeeperAI"),
        "std.xlsx": ("PRJ-0042", "Customer Portal"),
        "notes.xlsx": ("notes", "Shopping"),
    }
