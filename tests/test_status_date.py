"""A missing Status Date (RAG_RULES v2 "Missing inputs"): flagged at a cell of the Project
block, judged as of the consolidation's date, stale with the reason "no Status Date".
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from addin.core.cells import column_letter
from addin.core.rules import RuleBook, RuleId
from addin.core.settings import Settings
from addin.engine.consolidate import consolidate
from addin.engine.pipeline import check_tracker, finish
from addin.rag import planned_fraction
from tests.builders import AS_OF, D, base_project, base_tracker, write


def _undated(path: Path) -> Path:
    return write(path, base_tracker(project=base_project(status_date=None)))


def _required(path: Path) -> list[str]:
    settings = Settings()
    report = finish(check_tracker(path, settings), settings, AS_OF, RuleBook({}))
    return [
        f"{f.sheet}!{column_letter(f.col)}{f.row + 1}"
        if f.row is not None and f.col is not None
        else f"{f.sheet}!?"
        for f in report.findings
        if f.rule == RuleId.VALUE_REQUIRED and f.field == "Status Date"
    ]


def test_a_blank_status_date_is_flagged_at_its_cell(tmp_path: Path) -> None:
    assert _required(_undated(tmp_path / "t.xlsx")) == ["Project!B7"]


def test_a_missing_status_date_line_is_flagged_at_the_block(tmp_path: Path) -> None:
    path = _undated(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Project"]
    assert ws["A7"].value == "Status Date"
    ws["A7"].value = None
    wb.save(path)
    # no label at all: the finding still points into the Project block (its first cell)
    assert _required(path) == ["Project!B1"]


def test_consolidation_judges_it_as_of_the_run_and_calls_it_stale(tmp_path: Path) -> None:
    path = _undated(tmp_path / "t.xlsx")
    cache = tmp_path / "cache.sqlite"
    # By budget: T1 20k done; T2 60k 2 Mar 2026-29 Jan 2027 at 75 %; T3 20k not started.
    # EV = 20k + 45k = 65k; PV = 20k + 60k x planned fraction of T2 on the day judged.
    # On 20 Nov 2026: SPI 0.96 (Green), R-01 (due 15 Dec) not yet past due: every dimension
    # Green, and Overall Amber only because there is no Status Date. On 31 Dec 2026 (the
    # result comes from the cache): SPI 0.87 (Amber) and R-01 past due (Amber).
    expected = {
        AS_OF: ("Green", "Green", "Green", "Amber"),
        D(2026, 12, 31): ("Amber", "Green", "Amber", "Amber"),
    }
    for as_of, rags in expected.items():
        run = consolidate([path], Settings(), as_of=as_of, jobs=1, cache_path=cache)
        (p,) = run.projects
        pv = 20_000 + 60_000 * planned_fraction(D(2026, 3, 2), D(2027, 1, 29), as_of)
        assert p.spi == 65_000 / pv
        assert (p.schedule_rag, p.cost_rag, p.risk_rag, p.overall_rag) == rags
        assert p.stale is True
        assert p.reasons[-1] == "Stale: no Status Date"
    assert run.cache_hits == 1
