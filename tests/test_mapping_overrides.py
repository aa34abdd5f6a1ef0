"""Issue 12 item 7: ``[[mapping]]`` overrides in pmo.toml, per file glob.

The override wins over detection and is reported (``mapping.applied`` at its sheet and
cell); a bad override is one clear line naming pmo.toml, the entry and the key when the
settings load, or a ``mapping.not_applied`` finding at the file for what only the
workbook can tell; ``validate`` and the cache honour the mapping.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from addin.core.errors import ConfigError
from addin.core.rules import RuleId
from addin.core.settings import Settings, load_settings, settings_from_mapping
from addin.engine.consolidate import consolidate
from addin.read import read_tracker
from addin.read.overrides import glob_matches
from tests.builders import write
from tests.sheetbook import book

D = dt.date

PLAN = [
    ["Task", "Owner", "Start", "End"],
    ["Design", "Ann", D(2026, 1, 5), D(2026, 2, 1)],
    ["Build", "Bob", D(2026, 2, 2), D(2026, 3, 1)],
]
RISK_LOG = [
    ["Risk log"],
    [],
    ["Notes: scored 1-5"],
    ["Ref", "Hazard", "Who", "Likelihood (1-5)", "Impact", "Category"],
    ["R1", "Late supplier", "Ann", 4, 3, "Issue"],
    ["R2", "Budget cut", "Bob", 2, 5, "Risk"],
]
MAPPING: dict[str, Any] = {
    "files": "Finance/*RAID*.xlsx",
    "sheets": {"Risk Log 2026": "RAID"},
    "header_rows": {"Risk Log 2026": 4},
    "columns": {"RAID": {"Likelihood (1-5)": "Probability", "Hazard": "Title"}},
}


@pytest.fixture
def raid_book(tmp_path: Path) -> Path:
    (tmp_path / "Finance").mkdir()
    return book(tmp_path / "Finance" / "2026 RAID.xlsx", {"Plan": PLAN, "Risk Log 2026": RISK_LOG})


def mapped(*entries: dict[str, Any]) -> Settings:
    return settings_from_mapping({"mapping": list(entries)})


def test_without_the_mapping_the_risk_log_is_not_read(raid_book: Path) -> None:
    read = read_tracker(raid_book, Settings())
    assert "RAID" not in read.tables
    assert (RuleId.SHEET_IGNORED, "Risk Log 2026") in [(f.rule, f.sheet) for f in read.findings]


def test_the_mapping_wins_and_is_reported_at_its_sheet_and_cells(raid_book: Path) -> None:
    read = read_tracker(raid_book, mapped(MAPPING))
    info = read.tables["RAID"]
    assert (info.sheet, info.header_row + 1, info.rows) == ("Risk Log 2026", 4, 2)
    assert info.columns == {"ID": "A", "Title": "B", "Probability": "D", "Impact": "E"}
    raid = read.tracker.table("RAID")
    assert raid.columns["title"] == ["Late supplier", "Budget cut"]
    assert raid.columns["probability"] == [4, 2]
    applied = [(f.location, f.severity) for f in read.findings if f.rule == RuleId.MAPPING_APPLIED]
    assert applied == [
        ("Risk Log 2026!A4", "warning"),
        ("Risk Log 2026!B4", "warning"),
        ("Risk Log 2026!D4", "warning"),
    ]
    assert not [f for f in read.findings if f.rule == RuleId.MAPPING_NOT_APPLIED]
    assert not [f for f in read.findings if f.rule == RuleId.SHEET_IGNORED]


def test_a_glob_that_does_not_match_leaves_detection_alone(raid_book: Path) -> None:
    read = read_tracker(raid_book, mapped({**MAPPING, "files": "Other/*.xlsx"}))
    assert "RAID" not in read.tables
    assert not [f for f in read.findings if f.rule.startswith("mapping.")]


def test_ignore_takes_a_sheet_and_a_column_out(tmp_path: Path) -> None:
    path = book(
        tmp_path / "plan.xlsx",
        {"Plan": PLAN, "Risks": [["ID", "Risk", "Owner", "Status"], ["R1", "Late", "Ann", "Open"]]},
    )
    assert "RAID" in read_tracker(path, Settings()).tables
    read = read_tracker(
        path,
        mapped(
            {
                "files": "plan.xlsx",
                "sheets": {"risks": "ignore"},
                "columns": {"Tasks": {"Owner": "ignore"}},
            }
        ),
    )
    assert "RAID" not in read.tables
    assert "Owner" not in read.tables["Tasks"].columns
    assert read.tracker.table("Tasks").columns["owner"] == [None, None]
    said = {
        (f.location, f.message.split(",")[0])
        for f in read.findings
        if f.rule == RuleId.MAPPING_APPLIED
    }
    assert said == {("Risks!A1", "sheet 'Risks' not read"), ("Plan!B1", "column 'Owner' not read")}


def test_what_only_the_workbook_can_tell_is_a_finding_at_the_file(raid_book: Path) -> None:
    read = read_tracker(
        raid_book,
        mapped(
            {
                "files": "*.xlsx",
                "sheets": {"Risk Log 2025": "RAID"},
                "header_rows": {"Plan": 99},
                "columns": {"Tasks": {"Duration": "Effort"}},
            }
        ),
    )
    wrong = [
        (f.location, f.severity) for f in read.findings if f.rule == RuleId.MAPPING_NOT_APPLIED
    ]
    assert wrong == [("", "error"), ("Plan!A1", "error"), ("", "error")]
    messages = [f.message for f in read.findings if f.rule == RuleId.MAPPING_NOT_APPLIED]
    assert "no sheet 'Risk Log 2025' in this workbook" in messages[0]
    assert "header row 99 of sheet 'Plan' is outside its rows (1 to 3)" in messages[1]
    assert "no column headed 'Duration' in the Tasks table ('Plan')" in messages[2]
    assert all('[[mapping]] #1 (files = "*.xlsx")' in m for m in messages)


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            {"files": "a/*.xlsx", "sheets": {"Risk Log": "RAIDS"}},
            'pmo.toml: [[mapping]] #1 (files = "a/*.xlsx") sheets."Risk Log" = "RAIDS" '
            "is not a kind",
        ),
        (
            {"files": "x.xlsx", "columns": {"RAID": {"Likelihood": "Probabilty"}}},
            'pmo.toml: [[mapping]] #1 (files = "x.xlsx") columns.RAID."Likelihood" = "Probabilty" '
            "is not a RAID field",
        ),
        (
            {"files": "x.xlsx", "columns": {"Project": {"Name": "Project Name"}}},
            'pmo.toml: [[mapping]] #1 (files = "x.xlsx") columns.Project is not a table kind',
        ),
        (
            {"files": "x.xlsx", "header_rows": {"Plan": 0}},
            'pmo.toml: [[mapping]] #1 (files = "x.xlsx") header_rows."Plan" = 0 is not a row',
        ),
        (
            {"files": "x.xlsx", "header_rows": {"Plan": "four"}},
            'pmo.toml: [[mapping]] #1 header_rows.Plan must be a whole number, got "four"',
        ),
        ({"files": 3}, "pmo.toml: [[mapping]] #1: files must be a glob (text) or a list of globs"),
        ({"files": ""}, 'pmo.toml: [[mapping]] #1 (files = "") files must name at least one glob'),
        (
            {"files": "x", "sheet": {"A": "RAID"}},
            "pmo.toml: [[mapping]] #1 sheet is not a known setting",
        ),
    ],
)
def test_a_bad_override_is_one_line_naming_the_file_the_entry_and_the_key(
    tmp_path: Path, entry: dict[str, Any], expected: str
) -> None:
    good = {"files": "ok.xlsx"}
    config = tmp_path / "pmo.toml"
    lines = []
    for e in (good, entry):  # the bad entry is the second: its number is said
        lines.append(
            "[[mapping]]\n"
            + "\n".join(f"{k} = {json.dumps(v)}" for k, v in e.items() if not isinstance(v, dict))
        )
        for k, v in e.items():
            if isinstance(v, dict):
                for sub, val in v.items():
                    if isinstance(val, dict):
                        lines.append(
                            f"[mapping.{k}.{sub}]\n"
                            + "\n".join(
                                f"{json.dumps(a)} = {json.dumps(b)}" for a, b in val.items()
                            )
                        )
                    else:
                        lines.append(f"[mapping.{k}]\n{json.dumps(sub)} = {json.dumps(val)}")
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(config)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(expected.replace("#1", "#2")), message


@pytest.mark.parametrize(
    ("glob", "path", "hit"),
    [
        ("Finance/*RAID*.xlsx", "/shared/Finance/2026 RAID.xlsx", True),
        ("finance/*raid*.XLSX", "/shared/Finance/2026 RAID.xlsx", True),
        ("Finance/*RAID*.xlsx", "/shared/Ops/2026 RAID.xlsx", False),
        ("*.xlsx", "/a/b/plan.xlsx", True),
        ("plan.xlsx", "/a/b/plan.xlsx", True),
        ("plan.xlsx", "/a/b/myplan.xlsx", False),
        ("/a/*/plan.xlsx", "/a/b/plan.xlsx", True),
        ("/b/plan.xlsx", "/a/b/plan.xlsx", False),
        ("shared/**/plan.xlsx", "/shared/x/y/plan.xlsx", True),
        ("[[]draft] plan.xlsx", "/a/[draft] plan.xlsx", True),
    ],
)
def test_globs_match_the_file_name_or_the_end_of_its_path(glob: str, path: str, hit: bool) -> None:
    assert glob_matches(glob, path) is hit


def test_later_entries_win_key_by_key(raid_book: Path) -> None:
    second = {
        "files": "*.xlsx",
        "columns": {"RAID": {"Who": "Owner"}},
        "sheets": {"Plan": "ignore"},
    }
    read = read_tracker(raid_book, mapped(MAPPING, second))
    assert read.tables["RAID"].columns["Owner"] == "C"
    assert "Tasks" not in read.tables
    assert "entries" not in read.findings[0].message
    assert any(
        "[[mapping]] #2" in f.message for f in read.findings if f.rule == RuleId.MAPPING_APPLIED
    )


def test_a_tracker_made_from_the_template_is_read_as_the_standard(tmp_path: Path) -> None:
    path = write(tmp_path / "std.xlsx")
    read = read_tracker(path, mapped({"files": "*.xlsx", "sheets": {"RAID": "ignore"}}))
    assert "RAID" in read.tables
    assert not [f for f in read.findings if f.rule.startswith("mapping.")]


def test_validate_honours_the_mapping(raid_book: Path, tmp_path: Path) -> None:
    config = tmp_path / "pmo.toml"
    config.write_text(
        '[[mapping]]\nfiles = "Finance/*RAID*.xlsx"\n[mapping.sheets]\n"Risk Log 2026" = "RAID"\n'
        '[mapping.header_rows]\n"Risk Log 2026" = 4\n[mapping.columns.RAID]\n"Hazard" = "Title"\n',
        encoding="utf-8",
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "addin",
            "validate",
            str(raid_book),
            "--format",
            "json",
            "-c",
            str(config),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    (report,) = json.loads(proc.stdout)["files"]
    assert report["tables"]["RAID"]["sheet"] == "Risk Log 2026"
    assert report["tables"]["RAID"]["header_row"] == 4
    rules = [f["rule"] for f in report["findings"]]
    assert RuleId.MAPPING_APPLIED.value in rules


def test_the_cache_honours_a_changed_mapping(raid_book: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite"
    plain = consolidate([raid_book], Settings(), as_of=D(2026, 3, 1), jobs=1, cache_path=cache)
    first = consolidate([raid_book], mapped(MAPPING), as_of=D(2026, 3, 1), jobs=1, cache_path=cache)
    other = {**MAPPING, "columns": {"RAID": {"Hazard": "Title", "Who": "Owner"}}}
    second = consolidate([raid_book], mapped(other), as_of=D(2026, 3, 1), jobs=1, cache_path=cache)
    assert len(plain.tables["RAID"]) == 0
    raid_first, raid_second = first.tables["RAID"], second.tables["RAID"]
    assert len(raid_first) == len(raid_second) == 2
    assert raid_first.columns["owner"] == [None, None]
    assert raid_second.columns["owner"] == ["Ann", "Bob"]


def test_the_mapping_wins_over_a_canonical_header(raid_book: Path) -> None:
    entry = {**MAPPING, "columns": {"RAID": {**MAPPING["columns"]["RAID"], "Impact": "Severity"}}}
    read = read_tracker(raid_book, mapped(entry))
    columns = read.tables["RAID"].columns
    assert columns.get("Severity") == "E"
    assert "Impact" not in columns
    assert read.layout("RAID").strength["severity"] == 4  # said as the mapping's in inspect
