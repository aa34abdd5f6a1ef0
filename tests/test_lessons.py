"""Lessons learned (TRACKER_SPEC v1.1): read from a tracker, checked, on the portfolio."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from addin.core.rules import RuleId
from addin.core.settings import Settings
from addin.engine.consolidate import consolidate
from addin.engine.pipeline import check_tracker
from addin.outputs.portfolio import read_portfolio, write_portfolio
from addin.outputs.template import write_tracker
from tests.builders import AS_OF, STATUS_DATE, base_tracker, write
from tests.conftest import SAMPLES

D = dt.date
HEADERS = ["ID", "Date", "Category", "Type", "Lesson", "Recommendation", "Owner", "Tags"]


def _with_lessons(path: Path, rows: list[list[object]], sheet: str = "Lessons Learned") -> Path:
    """A clean tracker of template 1.0 with a lessons sheet added by hand, as a PM would."""
    write_tracker(path, base_tracker(), version="1.0")
    book = openpyxl.load_workbook(path)
    ws = book.create_sheet(sheet)
    ws.append(["Lessons learned log"])  # a title row above the header, as real logs have
    ws.append([])
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def test_a_lessons_sheet_is_read_and_checked(tmp_path: Path) -> None:
    path = _with_lessons(
        tmp_path / "t.xlsx",
        [
            [
                "LL-1",
                D(2026, 9, 1),
                "Vendor",
                "Improvement",
                "The supplier delay hurt.",
                None,
                "Ann",
                "supplier",
            ],
            [
                "LL-1",
                D(2026, 10, 1),
                "Governance",
                "Went well",
                "Decision logs worked.",
                "Keep one.",
                "Bo",
                None,
            ],
            [
                "LL-3",
                STATUS_DATE + dt.timedelta(days=3),
                "Cost",
                "To improve",
                "Quotes late.",
                "Ask early.",
                None,
                None,
            ],
            ["LL-4", None, "Weather", None, "It rained.", None, None, None],
            ["LL-5", None, None, None, None, "A recommendation with no lesson.", None, None],
        ],
    )
    result = check_tracker(str(path), Settings())
    lessons = result.tables["Lessons"]
    assert lessons.col("category")[:3] == ["Supplier", "Governance", "Cost"]  # synonym
    assert lessons.col("type")[:2] == ["To improve", "Went well"]
    assert lessons.sheets[0] == "Lessons Learned" and lessons.rows[0] == 3
    found = sorted((f.rule, f.cell) for f in result.findings if f.sheet == "Lessons Learned")
    assert found == sorted(
        [
            (RuleId.LESSON_RECOMMENDATION_MISSING, "F4"),
            (RuleId.LESSON_DUPLICATE_ID, "A5"),
            (RuleId.LESSON_DATE_AFTER_STATUS_DATE, "B6"),
            (RuleId.VALUE_NOT_ALLOWED, "C7"),
            (RuleId.VALUE_REQUIRED, "C8"),
            (RuleId.VALUE_REQUIRED, "E8"),
        ]
    )


def test_a_tracker_without_lessons_has_no_finding_about_them(tmp_path: Path) -> None:
    old = write_tracker(tmp_path / "old.xlsx", base_tracker(), version="1.0")  # no sheet
    new = write(tmp_path / "new.xlsx", base_tracker())  # the template's sheet, left empty
    for path in (old, new):
        result = check_tracker(str(path), Settings())
        lessons = result.tables.get("Lessons")
        assert lessons is None or lessons.rows == [], path.name
        assert [f for f in result.findings if "esson" in f.message] == [], path.name
    assert "Lessons" not in check_tracker(str(old), Settings()).tables


def test_lessons_go_to_the_portfolio_and_read_back(tmp_path: Path) -> None:
    path = _with_lessons(
        tmp_path / "t.xlsx",
        [
            [
                "LL-1",
                D(2026, 9, 1),
                "Supplier",
                "To improve",
                "The supplier delay hurt.",
                "Chase weekly.",
                "Ann",
                "supplier, delay",
            ]
        ],
    )
    run = consolidate([path], Settings(), as_of=AS_OF, jobs=1)
    rows = run.table("Lessons")
    assert list(rows.rows()) == [
        {
            "project_id": "PRJ-0042",
            "lesson_id": "LL-1",
            "date": D(2026, 9, 1),
            "category": "Supplier",
            "type": "To improve",
            "lesson": "The supplier delay hurt.",
            "recommendation": "Chase weekly.",
            "owner": "Ann",
            "tags": "supplier, delay",
            "source_cell": "'Lessons Learned'!A4",
        }
    ]
    out = write_portfolio(tmp_path / "portfolio.xlsx", run, Settings())
    sheet = openpyxl.load_workbook(out)["Lessons"]
    assert [c.value for c in sheet[1]] == ["Project ID", *HEADERS, "Source Cell"]
    assert read_portfolio(out).table("Lessons") == rows


def test_the_drifted_sample_carries_lessons() -> None:
    result = check_tracker(str(SAMPLES / "FIN-0302_P2P_Automation.xlsx"), Settings())
    lessons = result.tables["Lessons"]
    assert lessons.col("lesson_id") == ["LL-0302-01", "LL-0302-02"]
    assert lessons.col("category") == ["Supplier", "Governance"]
    assert "supplier delay" in lessons.col("lesson")[0]
    assert [f for f in result.findings if f.sheet == "Lessons Learned"] == []
