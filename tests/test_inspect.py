"""Issue 12 item 7: ``pmo inspect`` says what the reader recognised, and its mapping block
reproduces that reading when pasted into a pmo.toml.

Checked on built trackers (the template, a drifted one, one with an escape in a header)
and on real corpus files; the workbook is never changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from addin.app.inspect import inspect
from addin.app.inspect_text import render_inspection
from addin.core.rules import RuleId
from addin.core.settings import Settings, load_settings
from addin.read import ReadResult, read_tracker
from tests.builders import write
from tests.sheetbook import book

D = dt.date
CORPUS = Path("/work/shared/corpus/real")
#: Real trackers: RAID over eight sheets with two-row headers, a program workbook with
#: stacked tables and ignored sheets, a schedule beside cost sheets, a German risk list.
REAL = [
    "council-it_raid-log_sheet-per-type_two-row-headers.xlsx",
    "tpm-handbook_program-workbook_plan-risks-milestones.xlsx",
    "provensecure_schedule-and-cost-plan_month-blocks.xlsx",
    "german_student-team_risikoanalyse_word-scales.xlsx",
    "spanish_reporte-de-avance_sheet-per-sprint_rav-colour-status.xlsx",
]
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="the real corpus is not here")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def reading(read: ReadResult) -> tuple[Any, ...]:
    """What a reading made of a file: tables, where, and every record."""
    tables = {
        k: (t.sheet, t.header_row, t.rows, t.columns, t.parts) for k, t in read.tables.items()
    }
    records = {k: t.columns for k, t in read.tracker.tables.items()}
    return tables, records, read.tracker.project


@pytest.fixture
def drifted(tmp_path: Path) -> Path:
    return book(
        tmp_path / "Drifted plan.xlsx",
        {
            "Plan": [
                ["Project plan"],
                [],
                ["Task Title", "Planned Start Date", "Planned End Date", "Owner", "Notes"],
                ["Design", D(2026, 1, 5), D(2026, 2, 1), "Ann", "first"],
                ["Build", D(2026, 2, 2), D(2026, 3, 1), "Bob", ""],
            ],
            "Risks": [["Risk #", "Risk Statement", "Risk Owner"], ["1", "Late", "Ann"]],
            "Notes": [["a", "b", "c"], ["1", "2", "3"], ["4", "5", "6"]],
        },
    )


def test_inspect_a_drifted_tracker(drifted: Path) -> None:
    before = sha(drifted)
    found = inspect(drifted, Settings())
    assert sha(drifted) == before
    assert [(s.name, s.use, s.kinds) for s in found.sheets] == [
        ("Plan", "read", ("Tasks",)),
        ("Risks", "read", ("RAID",)),
        ("Notes", "ignored", ()),
    ]
    tasks, raid = found.tables
    assert (tasks.kind, tasks.sheet, tasks.header_row, tasks.rows) == ("Tasks", "Plan", 3, 2)
    assert [(c.column, c.header, c.field) for c in tasks.columns] == [
        ("A", "Task Title", "Task Name"),
        ("B", "Planned Start Date", "Planned Start"),
        ("C", "Planned End Date", "Planned Finish"),
        ("D", "Owner", "Owner"),
        ("E", "Notes", "Notes"),
    ]
    assert {c.strength for c in tasks.columns} <= {"canonical", "synonym"}
    assert [c.strength for c in tasks.columns if c.header == "Owner"] == ["canonical"]
    assert (raid.kind, raid.sheet, raid.header_row, raid.rows) == ("RAID", "Risks", 1, 1)
    assert found.project_name == "Drifted plan"
    assert (found.name_from, found.id_from) == ("filename", "filename")


def test_inspect_json_is_the_documented_shape(drifted: Path) -> None:
    data = inspect(drifted, Settings()).to_dict()
    assert list(data) == [
        "inspect_version",
        "file",
        "status",
        "reason",
        "project",
        "project_block",
        "sheets",
        "tables",
        "mapping_applied",
        "findings",
        "mapping",
    ]
    assert data["inspect_version"] == 1
    (notes,) = [s for s in data["sheets"] if s["name"] == "Notes"]
    assert notes["use"] == "ignored" and "none of its cells names a field" in notes["reason"]
    (tasks,) = [t for t in data["tables"] if t["kind"] == "Tasks"]
    assert tasks["columns"][0] == {
        "column": "A",
        "header": "Task Title",
        "field": "Task Name",
        "strength": "synonym",
    }
    assert tasks["unmapped"] == []
    assert json.loads(json.dumps(data)) == data


def test_inspect_the_template(tmp_path: Path) -> None:
    path = write(tmp_path / "std.xlsx")
    found = inspect(path, Settings())
    uses = {s.name: s.use for s in found.sheets}
    assert uses["Instructions"] == "guidance"
    assert uses["Project"] == "project"
    assert found.block_sheet == "Project" and found.block["Project ID"] == "B1"
    assert (found.project_id, found.name_from) == ("PRJ-0042", "block")
    for t in found.tables:
        assert t.header_row == 1
        assert all(c.strength == "canonical" for c in t.columns if c.field)


def test_the_text_report_is_terminal_safe_and_one_screen(tmp_path: Path) -> None:
    path = book(
        tmp_path / "esc.xlsx",
        {
            "Plan": [
                ["Task", "Owner", "Start", "End", "Notes\x1b]0;pwned\x07"],
                ["A", "Ann", D(2026, 1, 5), D(2026, 2, 1), "x"],
            ]
        },
    )
    text = render_inspection(inspect(path, Settings()))
    assert "\x1b" not in text and "\x07" not in text
    assert "\\u001b" in text
    report = text.split("# pmo.toml mapping block")[0]
    assert len(report.splitlines()) < 25
    assert max(map(len, report.splitlines()[1:])) <= 100  # the first line names the file


def test_a_workbook_that_cannot_be_opened_gets_its_reason_and_nothing_else(
    tmp_path: Path,
) -> None:
    path = write(tmp_path / "cut.xlsx")
    path.write_bytes(path.read_bytes()[:3000])
    text = render_inspection(inspect(path, Settings()))
    assert text.splitlines() == [
        f"{path}  unreadable  (0 errors, 0 warnings)",
        "  damaged or truncated workbook (not a valid zip archive): ask for a new copy",
    ]


def test_the_mapping_block_reproduces_the_reading_of_a_built_tracker(
    drifted: Path, tmp_path: Path
) -> None:
    block = inspect(drifted, Settings()).mapping
    assert '"Plan" = "Tasks"' in block and '"Plan" = 3' in block
    assert '"Notes" = "ignore"' in block
    config = tmp_path / "pmo.toml"
    config.write_text(block, encoding="utf-8")
    settings = load_settings(config)
    again = read_tracker(drifted, settings)
    assert reading(again) == reading(read_tracker(drifted, Settings()))
    assert RuleId.MAPPING_APPLIED in {f.rule for f in again.findings}
    assert RuleId.MAPPING_NOT_APPLIED not in {f.rule for f in again.findings}


@needs_corpus
@pytest.mark.parametrize("name", REAL)
def test_inspect_real_trackers_and_their_block_reproduces_the_reading(
    name: str, tmp_path: Path
) -> None:
    path = CORPUS / name
    before = sha(path)
    found = inspect(path, Settings())
    assert sha(path) == before
    read = read_tracker(path, Settings())
    assert {(t.kind, t.sheet, t.header_row) for t in found.tables} == {
        (k, lay.sheet, lay.header_row + 1) for k, lays in read.layouts.items() for lay in lays
    }
    assert sum(t.rows for t in found.tables) == sum(len(t) for t in read.tracker.tables.values())
    assert [s.name for s in found.sheets] == read.sheet_order
    assert all(s.kinds or s.reason for s in found.sheets)
    settings = Settings.model_validate(tomllib.loads(found.mapping))
    again = read_tracker(path, settings)
    assert reading(again) == reading(read)
    assert RuleId.MAPPING_NOT_APPLIED not in {f.rule for f in again.findings}


@needs_corpus
def test_inspect_names_the_ignored_sheets_of_a_real_workbook() -> None:
    found = inspect(CORPUS / REAL[1], Settings())
    uses = {s.name: (s.use, s.reason) for s in found.sheets}
    assert uses["Mercury Windows"] == ("read", "")
    assert uses["Scorecard"][0] == "ignored" and "no Title" in uses["Scorecard"][1]
    assert uses["Buffer Scorecard"][0] == "ignored" and "scoring key" in uses["Buffer Scorecard"][1]
    risk_log = [t for t in found.tables if t.sheet == "Risk Log"]
    assert [t.header_row for t in risk_log] == [1, 13]
    assert '# "Risk Log" holds several tables: left to detection' in found.mapping


def test_the_command_prints_text_and_json(drifted: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "addin", "inspect", str(drifted), *args],
            capture_output=True,
            text=True,
            check=False,
        )

    text = run()
    assert text.returncode == 0, text.stderr
    assert "Tasks on 'Plan': header row 3, 2 rows" in text.stdout
    assert "[[mapping]]" in text.stdout
    data = json.loads(run("--format", "json").stdout)
    assert data["project"]["name"] == "Drifted plan"
    missing = subprocess.run(
        [sys.executable, "-m", "addin", "inspect", str(drifted.with_name("nope.xlsx"))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 2 and missing.stderr.startswith("pmo: no such file")
