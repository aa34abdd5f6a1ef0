"""Findings and Load Log take the writer's fast path and write the same workbook (issue 17).

A messy portfolio (hundreds of thousands of findings) spent most of its write in
XlsxWriter's cell-by-cell path for the Findings sheet. Those sheets are now rendered
from columns and spliced like the data sheets; this compares the workbook with the
cell-by-cell reference on findings whose values are formula-looking, hold control
characters, are longer than a cell, or are not ASCII.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import python_calamine as calamine

from addin.core.rule_ids import RuleId
from addin.core.settings import Settings
from addin.core.tracker import replace
from addin.engine.consolidate import consolidate
from addin.ooxml.parts import sheet_parts
from addin.outputs.portfolio import finding_blocks as finding_blocks_module
from addin.outputs.portfolio import write_portfolio
from addin.outputs.portfolio.finding_blocks import FINDINGS, FINDINGS_AFTER
from addin.outputs.portfolio.writer import prerender_for
from tests.builders import STATUS_DATE, base_project, base_tracker, write
from tests.normalise import diff, normalise

AS_OF = dt.date(2026, 11, 20)
#: Statuses outside the list: each is a finding whose Value column holds it as written.
ODD = (
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "@SUM(A1)",
    "-2",
    "=cmd|' /C calc'!A0",
    "  spaced & <tagged>  ",
    "bell\x07 and tab\t and _x0041_ literal",
    "Gérer l'été 計画 🚀",
    "long " + "x" * 40_000,
)


def _rows(path: Path, name: str) -> list[list[object]]:
    return calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def test_findings_fast_path_writes_what_the_cell_by_cell_path_writes(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    tasks = list(base_tracker().tasks)
    for i, status in enumerate(ODD):
        tasks.append(replace(tasks[0], task_id=f"X-{i}", status=status, owner=None, notes=status))
    write(folder / "odd.xlsx", base_tracker(tasks=tasks))
    write(folder / "Ünïcødé & <co>.xlsx", base_tracker(tasks=tasks[3:]))
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04 not a zip")
    run = consolidate(sorted(folder.iterdir()), Settings(), as_of=AS_OF, jobs=1)
    values = {f.value for f in run.findings}
    assert {"+1+1", "=cmd|' /C calc'!A0"} <= values  # the odd text reached the findings
    assert len(run.findings) > 20
    fast = write_portfolio(tmp_path / "fast.xlsx", run, Settings(), fast=True)
    ref = write_portfolio(tmp_path / "ref.xlsx", run, Settings(), fast=False)

    # openpyxl decodes _xHHHH_ in shared strings (the reference) but not in inline strings
    # (ours): cells with one are compared through calamine, which decodes both as Excel.
    differences = diff(normalise(fast), normalise(ref))
    assert [d for d in differences if "_x00" not in d] == []
    for sheet in ("Findings", "Load Log"):
        assert _rows(fast, sheet) == _rows(ref, sheet), sheet
    with zipfile.ZipFile(fast) as zf:
        parts = [n for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
        xml = b"".join(zf.read(n) for n in parts)
        # Findings took the fast path: its cells rendered from columns (inline strings).
        findings = zf.read(sheet_parts(zf)["Findings"])
        assert findings.count(b'<c t="inlineStr">') >= len(run.findings)
    assert b"<f>" not in xml and b"<f " not in xml  # no text became a formula
    found = [r for r in _rows(fast, "Findings") if str(r[8]).startswith("long ")]
    assert found and all(len(str(r[8])) <= 32_767 for r in found)
    assert any("bell\x07" in str(r[8]) for r in _rows(fast, "Findings"))


def test_rows_the_run_adds_are_set_among_the_workers_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stale Status Date and a Project ID claimed twice are findings of the day of the run.

    Their rows are rendered alone and set among the rows the worker rendered for the
    file's own findings; the sheet is the one written cell by cell.
    """
    folder = tmp_path / "in"
    folder.mkdir()
    tasks = list(base_tracker().tasks)
    for i, status in enumerate(ODD[:4]):
        tasks.append(replace(tasks[0], task_id=f"X-{i}", status=status, owner=None))
    write(folder / "a.xlsx", base_tracker(tasks=tasks))
    stale = replace(base_project(), status_date=STATUS_DATE - dt.timedelta(days=60))
    write(folder / "b.xlsx", base_tracker(project=stale, tasks=tasks[2:]))  # same Project ID
    write(folder / "c.xlsx", base_tracker(project=replace(stale, project_id="PRJ-C")))
    settings = Settings()
    rendered: list[int] = []
    real = finding_blocks_module._rendered

    def counting(rows: Sequence[Sequence[Any]]) -> list[bytes]:
        rendered.append(len(rows))
        return real(rows)

    run = consolidate(
        sorted(folder.iterdir()), settings, as_of=AS_OF, jobs=1, prepare=prerender_for(settings)
    )
    added = {r.file: r.added_at for r in run.reports}
    assert len([a for a in added.values() if a]) >= 2
    assert all(list(a) == sorted(set(a)) for a in added.values())
    assert {RuleId.PROJECT_STALE, RuleId.PROJECT_DUPLICATE_ID} <= {f.rule for f in run.findings}
    monkeypatch.setattr(finding_blocks_module, "_rendered", counting)
    fast = write_portfolio(tmp_path / "fast.xlsx", run, settings, fast=True)
    # only the added rows were rendered here, file by file (the workers rendered the rest)
    assert sorted(rendered) == sorted(len(a) for a in added.values() if a)
    ref = write_portfolio(tmp_path / "ref.xlsx", run, settings, fast=False)
    assert _rows(fast, "Findings") == _rows(ref, "Findings")
    assert len(_rows(fast, "Findings")) == len(run.findings) + 1  # and its header


def test_a_stale_status_date_goes_between_the_workers_blocks_as_they_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker cuts a file's Findings rows where its Status Date's findings stand; the day's
    stale Status Date is set between the two blocks, and no file's own rows are joined again."""
    folder = tmp_path / "in"
    folder.mkdir()
    tasks = list(base_tracker().tasks)
    tasks += [replace(tasks[0], task_id=f"X-{i}", status=f"odd {i}") for i in range(3)]
    stale = replace(
        base_project(),
        sponsor=None,  # findings above the Status Date (B4, B5), and Tasks' below it
        project_manager=None,
        status_date=STATUS_DATE - dt.timedelta(days=60),
    )
    write(folder / "stale.xlsx", base_tracker(project=stale, tasks=tasks))
    fresh = replace(stale, project_id="PRJ-F", status_date=STATUS_DATE)
    write(folder / "fresh.xlsx", base_tracker(project=fresh, tasks=tasks))
    settings = Settings()
    run = consolidate(
        sorted(folder.iterdir()), settings, as_of=AS_OF, jobs=1, prepare=prerender_for(settings)
    )
    made = {Path(f).name: m for f, m in run.prepared.items()}
    for name in ("stale.xlsx", "fresh.xlsx"):
        own = made[name]
        assert own[FINDINGS].count >= 2 and own[FINDINGS_AFTER].count >= 3, name  # B4, B5 | Tasks
    stale_report = next(r for r in run.reports if r.file.endswith("stale.xlsx"))
    assert [stale_report.findings[i].rule for i in stale_report.added_at] == [RuleId.PROJECT_STALE]

    joined: list[int] = []
    real = finding_blocks_module._joined

    def counting(rendered: list[bytes]) -> Any:
        joined.append(len(rendered))
        return real(rendered)

    monkeypatch.setattr(finding_blocks_module, "_joined", counting)
    fast = write_portfolio(tmp_path / "fast.xlsx", run, settings, fast=True)
    assert joined == [1]  # the stale row alone: the workers' blocks went in as they were
    ref = write_portfolio(tmp_path / "ref.xlsx", run, settings, fast=False)
    assert _rows(fast, "Findings") == _rows(ref, "Findings")
    stale_rows = [r[5] for r in _rows(fast, "Findings") if str(r[0]).endswith("stale.xlsx")]
    assert stale_rows[:3] == ["value.required", "value.required", "project.stale"]
