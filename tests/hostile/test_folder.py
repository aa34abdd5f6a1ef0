"""One PMO folder holding every hostile and broken file, beside good trackers.

The folder is built once (module fixture) and read once by ``pmo validate`` and once by
``pmo consolidate``, each in a subprocess with a memory limit and a timeout, as a
scheduler runs them. Then each case is checked on its own: the exit code, the one-line
reason in the validate output, the log file and the portfolio's Load Log, no traceback,
and that every readable tracker (the good ones and the hostile ones that are still
trackers) is in the portfolio.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import python_calamine as calamine

from addin.cli import EXIT_UNREADABLE
from addin.core.words import printable
from tests.hostile import make
from tests.hostile.run import no_traceback, pmo

AS_OF = "2026-11-20"
ROOT = os.geteuid() == 0
DTD = "refused: workbook XML declares a DTD/entities (possible XML attack): {}"
NOT_CALCULATED = "values not calculated: open and save in Excel (formula with no cached value)"


@dataclass(frozen=True)
class Case:
    """One file of the folder and what every output must say about it."""

    name: str
    build: Callable[[Path], object]
    status: str
    reason: str  # the exact reason; a regular expression when ``pattern``
    project: str = ""  # the Project ID it brings into the portfolio, if any
    rules: tuple[str, ...] = ()  # the rule ids of its findings (validate)
    pattern: bool = False

    def matches(self, reason: str) -> bool:
        wanted = self.reason if self.pattern else re.escape(self.reason)
        return re.fullmatch(wanted, reason) is not None


def _tracker(builder: Callable[[Path, str], Path], project: str) -> Callable[[Path], Path]:
    return lambda path: builder(path, project)


def _in_folder(builder: Callable[[Path, str], Path], project: str) -> Callable[[Path], Path]:
    return lambda path: builder(path.parent, project)


UNREADABLE = "unreadable"
CASES = [
    Case(
        "empty.xlsx",
        make.empty,
        UNREADABLE,
        "empty file (0 bytes): probably an interrupted save or upload",
    ),
    Case(
        "truncated.xlsx",
        make.truncated,
        UNREADABLE,
        "damaged or truncated workbook (not a valid zip archive): ask for a new copy",
    ),
    Case(
        "not-a-zip.xlsx",
        make.not_a_zip,
        UNREADABLE,
        "not an Excel workbook (unrecognised file format)",
    ),
    Case(
        "zip-bomb.xlsx",
        make.zip_bomb,
        UNREADABLE,
        r"refused: part xl/worksheets/sheet1\.xml expands [\d,]+x "
        r"\(limit 200x; possible zip bomb\)",
        pattern=True,
    ),
    Case(
        "zip-bomb-lying-sizes.xlsx",
        make.lying_zip_bomb,
        UNREADABLE,
        "damaged workbook archive (a part fails its checksum): ask for a new copy",
    ),
    Case(
        "laughs-in-sheet.xlsx",
        make.laughs_in_sheet,
        UNREADABLE,
        DTD.format("xl/worksheets/sheet1.xml"),
    ),
    Case(
        "laughs-in-strings.xlsx",
        make.laughs_in_shared_strings,
        UNREADABLE,
        DTD.format("xl/sharedStrings.xml"),
    ),
    Case(
        "laughs-in-utf16.xlsx",
        make.laughs_in_utf16,
        UNREADABLE,
        DTD.format("xl/worksheets/sheet1.xml"),
    ),
    Case(
        "laughs-behind-comments.xlsx",
        make.laughs_behind_comments,
        UNREADABLE,
        "refused: xl/worksheets/sheet1.xml starts with over 64 KB of XML comments or declarations "
        "(possible XML attack)",
    ),
    Case(
        "laughs-in-relationships.xlsx",
        lambda p: make.dtd_in_part(p, "xl/_rels/workbook.xml.rels"),
        UNREADABLE,
        DTD.format("xl/_rels/workbook.xml.rels"),
    ),
    Case(
        "xxe-in-content-types.xlsx",
        lambda p: make.dtd_in_part(p, "[Content_Types].xml", make.XXE),
        UNREADABLE,
        DTD.format("[Content_Types].xml"),
    ),
    Case(
        "xxe-in-sheet.xlsx", make.xxe_in_sheet, UNREADABLE, DTD.format("xl/worksheets/sheet1.xml")
    ),
    Case("xxe-in-workbook.xlsx", make.xxe_in_workbook, UNREADABLE, DTD.format("xl/workbook.xml")),
    Case(
        "encrypted.xlsx",
        make.encrypted,
        UNREADABLE,
        "password-protected (encrypted) workbook: it cannot be read without the password; "
        "ask its owner for an unprotected copy",
    ),
    Case(
        "zip-encrypted.xlsx",
        make.zip_encrypted,
        UNREADABLE,
        "workbook archive holds encrypted parts (xl/worksheets/sheet3.xml): it cannot be read "
        "without their password; ask its owner for an unprotected copy",
    ),
    Case(
        "garbled-deflate.xlsx",
        make.garbled_deflate,
        UNREADABLE,
        "damaged workbook archive (a part does not decompress): ask for a new copy",
    ),
    Case(
        "garbled-sheet.xlsx",
        lambda p: make.garbled_deflate(p, "PRJ-0195", at=0.3),
        UNREADABLE,
        "sheet 'Tasks': damaged workbook archive (the sheet does not decompress): "
        "ask for a new copy",
    ),
    Case(
        "garbled-strings.xlsx",
        lambda p: make.garbled_deflate(p, "PRJ-0193", at=0.5, part="xl/sharedStrings.xml"),
        UNREADABLE,
        "damaged workbook archive (a part does not decompress): ask for a new copy",
    ),
    Case(
        "garbled-strings-crc.xlsx",
        lambda p: make.garbled_deflate(p, "PRJ-0192", at=0.7, part="xl/sharedStrings.xml"),
        UNREADABLE,
        "damaged workbook archive (a part fails its checksum): ask for a new copy",
    ),
    Case(
        "part-past-the-end.xlsx",
        make.part_past_the_end,
        UNREADABLE,
        "damaged or truncated workbook (a part is cut short): ask for a new copy",
    ),
    Case(
        "sheet-crc.xlsx",
        make.sheet_crc,
        UNREADABLE,
        "sheet 'Tasks': damaged workbook archive (the sheet fails its checksum): "
        "ask for a new copy",
    ),
    Case(
        "text-past-the-strings.xlsx",
        lambda p: make.edited_sheet(p, "PRJ-0189", "Tasks", rb'(t="s"><v>)\d+', rb"\g<1>99999"),
        UNREADABLE,
        "sheet 'Tasks': damaged sheet XML (Cell string index not found in shared strings table)",
    ),
    Case(
        "unknown-cell-type.xlsx",
        lambda p: make.edited_sheet(p, "PRJ-0188", "Tasks", rb't="s"', rb't="zz"'),
        UNREADABLE,
        "sheet 'Tasks': damaged sheet XML (Unknown cell 't' attribute: \"zz\")",
    ),
    Case(
        "no-workbook-stream.xls",
        lambda p: make.ole_renamed(p, "Workbooq"),
        UNREADABLE,
        "damaged legacy workbook (.xls): it holds no workbook stream, or another program's "
        "file under an Excel name; ask for a new copy",
    ),
    Case(
        "word.xls",
        lambda p: make.ole_renamed(p, "WordDocument"),
        UNREADABLE,
        "Word document (.doc) under an Excel name, not a workbook",
    ),
    Case(
        "binary.xlsx",
        make.xlsb,
        UNREADABLE,
        "binary workbook (.xlsb) is not supported: save it as .xlsx",
    ),
    Case(
        "opendocument.xlsx",
        make.ods,
        UNREADABLE,
        "OpenDocument spreadsheet (.ods) under an Excel name: save it as .xlsx",
    ),
    Case(
        "export.xlsx",
        make.csv,
        UNREADABLE,
        "text (CSV?) file under an Excel name, not a workbook: save it as .xlsx",
    ),
    Case(
        "web-export.xls",
        make.html,
        UNREADABLE,
        "HTML or XML file under an Excel name, not a workbook",
    ),
    Case("folder.xlsx", make.folder, UNREADABLE, "is a folder, not a workbook"),
    Case(
        "self-link.xlsx",
        lambda p: p.symlink_to(p.name),
        UNREADABLE,
        "link loop: the link leads back to itself, never to a file",
    ),
    Case(
        "dangling-link.xlsx",
        lambda p: p.symlink_to("nowhere.xlsx"),
        UNREADABLE,
        "broken link: it points to a file that does not exist",
    ),
    # mode 000: root reads it anyway (tests/hostile/test_permissions.py drops that power)
    Case("locked.xlsx", _tracker(make.unreadable, "PRJ-0109"), "valid", "", "PRJ-0109")
    if ROOT
    else Case(
        "locked.xlsx",
        _tracker(make.unreadable, "PRJ-0109"),
        UNREADABLE,
        "permission denied: cannot read this file",
    ),
    Case(
        "rows-1048576.xlsx",
        _tracker(make.million_rows, "PRJ-0105"),
        "valid",
        "partly read: Tasks: only the first 100,000 rows of this sheet were read",
        "PRJ-0105",
        ("sheet.truncated",),
    ),
    Case(
        "cell-XFD1048576.xlsx",
        _tracker(make.far_cell, "PRJ-0106"),
        "valid",
        "partly read: Tasks: only the first 100,000 rows of this sheet were read",
        "PRJ-0106",
        ("sheet.truncated",),
    ),
    Case(
        "columns-16384.xlsx",
        _tracker(make.wide_row, "PRJ-0110"),
        "valid",
        "partly read: Tasks: only the first 500 columns of this sheet were read",
        "PRJ-0110",
        ("sheet.truncated",),
    ),
    Case("cell-32767-chars.xlsx", _tracker(make.long_cell, "PRJ-0103"), "valid", "", "PRJ-0103"),
    Case(  # cut to the cell limit, and said: a warning at the cell
        "cell-100000-chars.xlsx",
        _tracker(make.overlong_cell, "PRJ-0111"),
        "valid",
        "",
        "PRJ-0111",
        ("value.too_long",),
    ),
    Case(
        "uncalculated.xlsx",
        _tracker(make.uncalculated, "PRJ-0104"),
        "invalid",
        # each formula cell, and the owner the all-formula row 5 lacks (it is a task)
        f"{len(make.UNCALCULATED_CELLS) + 1} errors; first: Project!B7: Status Date: "
        + NOT_CALCULATED,
        "PRJ-0104",
        ("task.owner_required", "value.not_calculated"),
    ),
    Case(
        os.fsdecode(b"caf\xe9.xlsx"),
        _in_folder(make.non_utf8_name, "PRJ-0107"),
        "valid",
        "",
        "PRJ-0107",
    ),
    Case("L" * 250 + ".xlsx", _in_folder(make.long_name, "PRJ-0108"), "valid", "", "PRJ-0108"),
    Case("good-1.xlsx", _tracker(make.good, "PRJ-0101"), "valid", "", "PRJ-0101"),
    Case("good-2.xlsx", _tracker(make.good, "PRJ-0102"), "valid", "", "PRJ-0102"),
]
IDS = [printable(c.name)[:40] for c in CASES]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every case in one folder, plus a link from the folder to itself."""
    root = tmp_path_factory.mktemp("hostile") / "PMO share"
    root.mkdir()
    for case in CASES:
        case.build(root / case.name)
    (root / "loop").symlink_to(".", target_is_directory=True)
    (root / "sub").mkdir()
    (root / "sub" / "back-up").symlink_to("..", target_is_directory=True)
    # skipped without a word: Excel's lock file, and half a file a killed writer left behind
    (root / "~$good-1.xlsx").write_bytes(b"\x0bExcel user\x00" * 10)
    make.truncated(root / ".good-2.checked.1a2b3c4d.tmp.xlsx")
    return root


def _shown(folder: Path, case: Case) -> str:
    return printable(str(folder / case.name))


@dataclass
class Validated:
    result: subprocess.CompletedProcess[bytes]
    blocks: dict[str, tuple[str, list[str]]]  # file as shown -> (status, lines under it)
    log: list[dict[str, Any]]


@pytest.fixture(scope="module")
def validated(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Validated:
    log = tmp_path_factory.mktemp("validate") / "run.jsonl"
    result = pmo("validate", folder, "--as-of", AS_OF, "--log-file", log, "--jobs", "2")
    blocks: dict[str, tuple[str, list[str]]] = {}
    current: list[str] = []
    head = re.compile(
        r"^(.+)  (valid|invalid|unreadable|not_a_tracker)  \(\d+ errors?, \d+ warnings?\)$"
    )
    for line in result.stdout.decode("utf-8").splitlines():
        m = head.match(line)
        if m:
            current = []
            blocks[m[1]] = (m[2], current)
        elif line.startswith("  "):
            current.append(line[2:])
    events = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    return Validated(result, blocks, events)


@dataclass
class Consolidated:
    result: subprocess.CompletedProcess[bytes]
    out: Path
    projects: list[dict[str, Any]]
    load_log: dict[str, tuple[str, str, str]]  # file -> (status, reason, project id)
    log: list[dict[str, Any]]

    def sheet(self, name: str) -> list[list[Any]]:
        book = calamine.CalamineWorkbook.from_path(str(self.out / "portfolio.xlsx"))
        rows: list[list[Any]] = book.get_sheet_by_name(name).to_python()
        return rows


@pytest.fixture(scope="module")
def consolidated(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Consolidated:
    out = tmp_path_factory.mktemp("portfolio")
    result = pmo(
        "consolidate",
        folder,
        "-o",
        out / "portfolio.xlsx",
        "--json",
        out / "projects.json",
        "--dashboard",
        out / "dashboard.xlsx",
        "--log-file",
        out / "run.jsonl",
        "--as-of",
        AS_OF,
        "--jobs",
        "2",
    )
    projects = json.loads((out / "projects.json").read_text(encoding="utf-8"))
    book = calamine.CalamineWorkbook.from_path(str(out / "portfolio.xlsx"))
    rows = book.get_sheet_by_name("Load Log").to_python()
    header = rows[0]
    at = {h: header.index(h) for h in ("File", "Status", "Reason", "Project ID")}
    load_log = {
        r[at["File"]]: (r[at["Status"]], r[at["Reason"]], r[at["Project ID"]]) for r in rows[1:]
    }
    events = [json.loads(line) for line in (out / "run.jsonl").read_text("utf-8").splitlines()]
    return Consolidated(result, out, projects, load_log, events)


# --- pmo validate --------------------------------------------------------------------------------


def test_validate_reports_every_file_and_exits_3(folder: Path, validated: Validated) -> None:
    no_traceback(validated.result)
    assert validated.result.returncode == EXIT_UNREADABLE
    # every file exactly once: the link loops were not followed into a second copy, and
    # the lock file and the leftover temporary file were not read
    assert sorted(validated.blocks) == sorted(_shown(folder, c) for c in CASES)
    last = validated.result.stdout.decode().splitlines()[-1]
    unreadable = sum(1 for c in CASES if c.status == UNREADABLE)
    assert last.startswith(f"{len(CASES)} files: ") and f"{unreadable} unreadable" in last


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_validate_gives_the_reason_in_one_line(
    folder: Path, validated: Validated, case: Case
) -> None:
    status, lines = validated.blocks[_shown(folder, case)]
    assert status == case.status
    if case.status == UNREADABLE:
        assert len(lines) == 1 and case.matches(lines[0]), lines
    else:  # a tracker: one line per finding, "Sheet!A1  severity  rule  message"
        assert sorted({line.split()[2] for line in lines}) == sorted(case.rules), lines
    (event,) = [
        e for e in validated.log if e["event"] == "file" and e["file"] == _shown(folder, case)
    ]
    assert event["status"] == case.status and case.matches(event["reason"])


def test_validate_log_file_brackets_the_run(validated: Validated) -> None:
    kinds = [e["event"] for e in validated.log]
    assert kinds == ["start"] + ["file"] * len(CASES) + ["end"]
    assert validated.log[0]["command"] == "validate" and validated.log[0]["files"] == len(CASES)
    assert validated.log[-1]["exit_code"] == EXIT_UNREADABLE


def test_formulas_without_values_are_reported_not_read_as_blank(
    folder: Path, validated: Validated
) -> None:
    case = next(c for c in CASES if c.name == "uncalculated.xlsx")
    _, lines = validated.blocks[_shown(folder, case)]
    found = sorted((line.split()[0], line.split()[2]) for line in lines)
    expected = [
        (f"{sheet}!{ref}", "value.not_calculated") for sheet, ref in make.UNCALCULATED_CELLS
    ]
    # row 5 holds only formulas: read as a task (so its missing owner is reported), not skipped
    assert found == sorted([*expected, ("Tasks!D5", "task.owner_required")])
    assert all(line.endswith(NOT_CALCULATED) for line in lines if "not_calculated" in line)


# --- pmo consolidate ------------------------------------------------------------------------------


def test_consolidate_writes_everything_and_exits_3(consolidated: Consolidated) -> None:
    no_traceback(consolidated.result)
    assert consolidated.result.returncode == EXIT_UNREADABLE
    *written, kept = consolidated.result.stdout.decode().splitlines()[-4:]
    assert [line.split()[0] for line in written] == ["wrote"] * 3
    assert kept.startswith("history: saved the snapshot of ")
    assert (consolidated.out / "dashboard.xlsx").stat().st_size > 0
    kinds = [e["event"] for e in consolidated.log]
    assert kinds == ["start"] + ["file"] * len(CASES) + ["written"] * 3 + ["end"]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_load_log_gives_the_reason_in_one_line(
    folder: Path, consolidated: Consolidated, case: Case
) -> None:
    status, reason, project = consolidated.load_log[_shown(folder, case)]
    assert (status, project) == (case.status, case.project)
    assert case.matches(reason) and "\n" not in reason


def test_every_readable_tracker_is_in_the_portfolio(
    folder: Path, consolidated: Consolidated
) -> None:
    expected = {c.project: _shown(folder, c) for c in CASES if c.project}
    assert {p["project_id"]: p["source_file"] for p in consolidated.projects} == expected
    rows = consolidated.sheet("Projects")
    assert sorted(r[0] for r in rows[1:]) == sorted(expected)


def test_text_longer_than_a_cell_holds_is_cut_to_excel_limit(consolidated: Consolidated) -> None:
    tasks = consolidated.sheet("Tasks")
    header = tasks[0]
    name, notes = header.index("Task Name"), header.index("Notes")
    longest: dict[str, int] = {}
    for r in tasks[1:]:
        if r[0] in ("PRJ-0103", "PRJ-0111"):
            longest[r[0]] = max(longest.get(r[0], 0), len(str(r[name])), len(str(r[notes])))
    assert longest == {"PRJ-0103": 32_767, "PRJ-0111": 32_767}


def test_sheets_cut_at_the_limits_load_only_the_rows_read(consolidated: Consolidated) -> None:
    tasks = consolidated.sheet("Tasks")
    per_project: dict[str, int] = {}
    for r in tasks[1:]:
        per_project[r[0]] = per_project.get(r[0], 0) + 1
    # 1,048,576 rows in the sheet; 100,000 read, the header among them
    assert per_project["PRJ-0105"] == 99_999
    assert per_project["PRJ-0106"] == 2  # the stray cell in XFD1048576 is not a task
