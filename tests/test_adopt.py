"""Issue 12 item 7: ``pmo adopt`` moves a tracker onto the governed template.

Round trip: adopt, then read the adopted file as ``pmo validate`` does, and every value
is the same; each value carries a note naming its source cell; what could not be
carried over is on the Adoption sheet; the input is unchanged; the output opens in
LibreOffice with the template's validation and protection.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from addin.app.adopt import adopt, adopted_path
from addin.core.kinds import kind
from addin.core.ours import ADOPTION_SHEET
from addin.core.settings import Settings, settings_from_mapping
from addin.read import read_tracker
from tests.normalise import normalise
from tests.sheetbook import book
from tests.soffice import SOFFICE, convert

D = dt.date
CORPUS = Path("/work/shared/corpus/real")
#: Real trackers whose every row goes across (the others' losses are listed, see below).
REAL = [
    "council-it_raid-log_sheet-per-type_two-row-headers.xlsx",
    "italian_event-risk-register_basso-medio-alto.xlsx",
    "google-pm-capstone_project-plan_gantt.xlsx",
    "spanish_reporte-de-avance_sheet-per-sprint_rav-colour-status.xlsx",
]
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="the real corpus is not here")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def differences(source: Path, adopted: Path, settings: Settings | None = None) -> list[str]:
    """Every field value that reads differently from the adopted file."""
    a = read_tracker(source, settings or Settings()).tracker
    b = read_tracker(adopted, Settings()).tracker
    out = []
    for key, table in a.tables.items():
        other = b.table(key)
        for f in kind(key).fields:
            if table.columns[f.name] != other.columns[f.name]:
                out.append(f"{key}.{f.name}")
    for f in kind("Project").fields:
        if f.name != "template_version" and getattr(a.project, f.name) != getattr(
            b.project, f.name
        ):
            out.append(f"Project.{f.name}")
    return out


@pytest.fixture
def drifted(tmp_path: Path) -> Path:
    return book(
        tmp_path / "Website.xlsx",
        {
            "Summary": [["PROJECT TITLE: Website relaunch"]],
            "Plan": [
                [
                    "Task Title",
                    "Planned Start Date",
                    "Planned End Date",
                    "Owner",
                    "Status",
                    "Colour",
                ],
                ["Design", D(2026, 1, 5), D(2026, 2, 1), "Ann", "Complete", "blue"],
                ["Build", D(2026, 2, 2), D(2026, 3, 1), "Bob", "In Progress", "red"],
            ],
            "Risks": [
                ["Risk #", "Risk Statement", "Risk Owner", "Likelihood", "Impact"],
                ["1", "Late supplier", "Ann", "High", "Low"],
            ],
            "Issues": [["ID", "Issue", "Owner"], ["I1", "Server down", "Bob"]],
            "Scratch": [["a", "b", "c"], ["1", "2", "3"], ["4", "5", "6"]],
        },
    )


@pytest.fixture
def german(tmp_path: Path) -> Path:
    return book(
        tmp_path / "Projekt.xlsx",
        {
            "Aufgaben": [
                ["Nr", "Aufgabe", "Verantwortlich", "Beginn", "Ende", "Fortschritt", "Status"],
                ["1", "Konzept", "Anna", D(2026, 1, 5), D(2026, 2, 1), 1.0, "Erledigt"],
                ["2", "Umsetzung", "Ben", D(2026, 2, 2), D(2026, 3, 1), 0.5, "In Arbeit"],
            ],
            "Risiken": [
                [
                    "Nr",
                    "Risiko",
                    "Verantwortlich",
                    "Eintrittswahrscheinlichkeit",
                    "Auswirkung",
                    "Status",
                ],
                ["R1", "Lieferverzug", "Anna", "hoch", "gering", "Offen"],
            ],
        },
    )


def test_adopt_round_trip_keeps_every_value_and_the_input(drifted: Path, tmp_path: Path) -> None:
    before = sha(drifted)
    out = tmp_path / "standard.xlsx"
    done = adopt(drifted, out, Settings())
    assert sha(drifted) == before
    assert done.rows == {"Tasks": 2, "RAID": 2}
    assert done.project_name == "Website relaunch"
    assert differences(drifted, out) == []
    back = read_tracker(out, Settings())
    assert back.tracker.table("RAID").columns["type"] == ["Risk", "Issue"]
    assert back.tracker.table("RAID").columns["probability"] == [4, None]


def test_every_value_carries_a_note_naming_its_source_cell(drifted: Path, tmp_path: Path) -> None:
    out = adopt(drifted, tmp_path / "standard.xlsx", Settings()).written
    wb = openpyxl.load_workbook(out)
    tasks, raid, project = wb["Tasks"], wb["RAID"], wb["Project"]
    headers = [c.value for c in tasks[1]]
    name_col = headers.index("Task Name") + 1
    assert tasks.cell(2, name_col).value == "Design"
    assert tasks.cell(2, name_col).comment.text == "Adopted from 'Plan'!A2"
    assert tasks.cell(3, headers.index("Owner") + 1).comment.text == "Adopted from 'Plan'!D3"
    extra = headers.index("Colour") + 1
    assert tasks.cell(3, extra).comment.text == "Adopted from 'Plan'!F3"
    raid_headers = [c.value for c in raid[1]]
    assert raid.cell(3, raid_headers.index("Title") + 1).comment.text == "Adopted from 'Issues'!B2"
    assert raid.cell(3, raid_headers.index("Type") + 1).comment.text == (
        "Adopted from the name of sheet 'Issues' (row 2)"
    )
    assert project["B2"].value == "Website relaunch"
    assert project["B2"].comment.text == "Adopted from 'Summary'!A1"
    assert project["B1"].comment.text == "Adopted from the file name"
    assert tasks.cell(4, name_col).comment is None  # no value, no note


def test_what_is_not_carried_over_is_listed_with_sheet_cell_and_why(
    drifted: Path, tmp_path: Path
) -> None:
    out = adopt(drifted, tmp_path / "standard.xlsx", Settings()).written
    ws = openpyxl.load_workbook(out)[ADOPTION_SHEET]
    rows = [tuple(r) for r in ws.iter_rows(min_row=5, values_only=True)]
    by_what = {(r[0], r[2]): (r[1], r[3]) for r in rows}
    assert by_what[("Scratch", "sheet")][1].startswith("sheet not read: row 1 looks like")
    assert by_what[("Plan", "column 'Colour'")] == (
        "F1",
        "no Tasks field takes it: kept as the extra column 'Colour' (not checked)",
    )
    assert ("Summary", "sheet") in by_what
    assert ws["A1"].value == "PMO adoption: what was not carried over"
    # and the adopted file reads as a clean template tracker: the Adoption sheet is ours
    back = read_tracker(out, Settings())
    assert ADOPTION_SHEET not in {f.sheet for f in back.findings}


def test_a_german_tracker_round_trips(german: Path, tmp_path: Path) -> None:
    out = adopt(german, tmp_path / "standard.xlsx", Settings()).written
    assert differences(german, out) == []
    back = read_tracker(out, Settings()).tracker
    assert back.table("Tasks").columns["status"] == ["Complete", "In Progress"]
    assert back.table("RAID").columns["title"] == ["Lieferverzug"]


def test_adopt_follows_the_mapping(tmp_path: Path) -> None:
    path = book(
        tmp_path / "risks.xlsx",
        {
            "Log": [
                ["Ref", "Hazard", "Who", "Category"],
                ["R1", "Late", "Ann", "x"],
                ["R2", "Cut", "Bob", "y"],
            ]
        },
    )
    settings = settings_from_mapping(
        {
            "mapping": [
                {
                    "files": "risks.xlsx",
                    "sheets": {"Log": "RAID"},
                    "columns": {"RAID": {"Hazard": "Title", "Who": "Owner"}},
                }
            ]
        }
    )
    out = adopt(path, tmp_path / "standard.xlsx", settings).written
    assert differences(path, out, settings) == []
    assert read_tracker(out, Settings()).tracker.table("RAID").columns["owner"] == ["Ann", "Bob"]


@needs_corpus
@pytest.mark.parametrize("name", REAL)
def test_real_trackers_round_trip(name: str, tmp_path: Path) -> None:
    source = CORPUS / name
    before = sha(source)
    out = adopt(source, tmp_path / "standard.xlsx", Settings()).written
    assert sha(source) == before
    assert differences(source, out) == []


@needs_corpus
def test_rows_the_adopted_file_would_not_count_are_listed(tmp_path: Path) -> None:
    out = adopt(
        CORPUS / "student_project-budget_est-vs-actual.xlsx", tmp_path / "s.xlsx", Settings()
    )
    lost = [item for item in out.left if item.what == "row (adopted file)"]
    assert [(item.sheet, item.cell) for item in lost] == [("Budget", f"A{r}") for r in range(2, 14)]
    assert all("no Period or ID" in item.why for item in lost)


def test_the_command_refuses_an_output_that_is_its_input(drifted: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "addin", "adopt", str(drifted), "-o", str(drifted), "--force"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "is one of the inputs" in proc.stderr
    ok = subprocess.run(
        [sys.executable, "-m", "addin", "adopt", str(drifted)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert adopted_path(drifted).is_file()
    assert "wrote" in ok.stdout and "not carried over" in ok.stdout
    again = subprocess.run(
        [sys.executable, "-m", "addin", "adopt", str(drifted)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode == 2 and "exists; use --force" in again.stderr
    report = subprocess.run(
        [sys.executable, "-m", "addin", "validate", str(adopted_path(drifted)), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    (file,) = json.loads(report.stdout)["files"]
    assert file["project_name"] == "Website relaunch"


@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed")
def test_the_adopted_file_opens_in_libreoffice(drifted: Path, tmp_path: Path) -> None:
    out = adopt(drifted, tmp_path / "standard.xlsx", Settings()).written
    before = normalise(out)
    after = normalise(convert(out, "xlsx", tmp_path / "lo"))
    assert after["sheets"] == before["sheets"]
    for name in ("Tasks", "RAID"):
        old, new = before["sheet"][name], after["sheet"][name]
        assert len(new["validations"]) == len(old["validations"]) > 0
        assert new["protection"]["sheet"] is True
    values = openpyxl.load_workbook(tmp_path / "lo" / "standard.xlsx")["Tasks"]
    assert values["A1"].value == before["sheet"]["Tasks"]["tables"][0]["headers"][0]
