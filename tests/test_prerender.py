"""Rows rendered in the workers make the same portfolio, byte for byte, as rows rendered
by the writer from the run's columns: on whole sheets, on sheets cut into continuation
pages (a tracker's block split where a page ends), and when the blocks were rendered
with style indexes the workbook does not have (the writer then renders them itself).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from functools import partial
from pathlib import Path

import pytest
import python_calamine as calamine
from openpyxl import load_workbook

from addin.app.consolidate import consolidate
from addin.core.settings import Settings
from addin.engine.consolidate import consolidate as engine
from addin.engine.run import PortfolioRun
from addin.ooxml.sheetxml import Style
from addin.outputs.portfolio import pages, write_portfolio
from addin.outputs.portfolio.prerender import RowBlock, cut, prerender, split_blocks
from addin.outputs.portfolio.writer import style_map
from tests.builders import base_project, base_tracker, write, write_projects
from tests.soffice import SOFFICE, convert

AS_OF = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_projects(tmp_path_factory.mktemp("trackers"), [f"PRJ-000{i}" for i in range(1, 5)])


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _both(run: PortfolioRun, tmp_path: Path) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The portfolio written from the prerendered blocks, and from the columns alone."""
    settings = Settings()
    with_blocks = write_portfolio(tmp_path / "blocks.xlsx", run, settings)
    bare = PortfolioRun(**{**run.__dict__, "prepared": {}})
    from_columns = write_portfolio(tmp_path / "columns.xlsx", bare, settings)
    return _parts(with_blocks), _parts(from_columns)


def test_blocks_rendered_in_the_workers_write_the_same_workbook(
    folder: Path, tmp_path: Path
) -> None:
    run = consolidate(sorted(folder.iterdir()), Settings(), as_of=AS_OF, jobs=2)
    assert set(run.prepared) == {str(p) for p in sorted(folder.iterdir())}
    assert all(isinstance(b, RowBlock) for made in run.prepared.values() for b in made.values())
    blocks, columns = _both(run, tmp_path)
    assert blocks == columns


def test_continuation_pages_cut_blocks_where_a_sheet_ends(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = consolidate(sorted(folder.iterdir()), Settings(), as_of=AS_OF, jobs=1)
    tasks = len(run.tables["Tasks"])
    per_tracker = tasks // 4
    monkeypatch.setattr(pages, "MAX_SHEET_ROWS", per_tracker + 1)  # every page ends mid-block
    blocks, columns = _both(run, tmp_path)
    assert blocks == columns
    assert sum(n.startswith("xl/worksheets/") for n in blocks) > 8  # Tasks (2) ... were made


def test_blocks_with_other_style_indexes_are_not_used(folder: Path, tmp_path: Path) -> None:
    wrong = {style: index + 40 for style, index in style_map(Settings()).items()}
    make = partial(prerender, styles=wrong)
    files = sorted(folder.iterdir())
    tampered = engine(files, Settings(), as_of=AS_OF, jobs=1, prepare=make)
    assert tampered.prepared and all(
        dict(b.styles)[Style.DATE] == wrong[Style.DATE]
        for made in tampered.prepared.values()
        for b in made.values()
    )
    blocks, columns = _both(tampered, tmp_path)
    assert blocks == columns  # the writer saw the mismatch and rendered from the columns
    assert b's="%d"' % wrong[Style.DATE] not in b"".join(blocks.values())


def test_a_block_cut_is_its_rows() -> None:
    rows = [b'<c t="inlineStr"><is><t>%d</t></is></c>' % i for i in range(5)]
    xml = b"".join(b"<row>" + r + b"</row>" for r in rows)
    block = RowBlock.of(xml, 5, ())
    assert block.xml == xml  # a piece inflates to its rows
    head, rest = cut(block, 2)
    assert (head.count, rest.count) == (2, 3)
    assert head.xml + rest.xml == xml and head.xml.count(b"<row>") == 2
    pages_ = split_blocks([block, RowBlock.of(xml, 5, ())], [4, 4, 2])
    assert [sum(b.count for b in p) for p in pages_] == [4, 4, 2]


@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_and_openpyxl_read_the_spliced_pieces(folder: Path, tmp_path: Path) -> None:
    """Rows copied in as deflated pieces, without row numbers, read the same in LibreOffice
    (a round trip through it) and openpyxl as in calamine, and the zip's CRCs hold."""
    run = consolidate(sorted(folder.iterdir()), Settings(), as_of=AS_OF, jobs=2)
    assert run.prepared
    book = write_portfolio(tmp_path / "p.xlsx", run, Settings())
    with zipfile.ZipFile(book) as zf:
        assert zf.testzip() is None
    mine = calamine.CalamineWorkbook.from_path(str(book))
    tasks = mine.get_sheet_by_name("Tasks").to_python()
    assert len(tasks) == 1 + len(run.tables["Tasks"])
    ws = load_workbook(book, read_only=True)["Tasks"]
    assert [[c.value for c in row] for row in ws.iter_rows(max_row=3)][2][0] == tasks[2][0]
    (tmp_path / "lo").mkdir()
    again = calamine.CalamineWorkbook.from_path(str(convert(book, "xlsx", tmp_path / "lo")))
    for name in ("Tasks", "Milestones", "Budget", "RAID"):
        theirs = again.get_sheet_by_name(name).to_python()
        ours = mine.get_sheet_by_name(name).to_python()
        assert [r[:2] for r in theirs] == [r[:2] for r in ours], name


def test_findings_rendered_in_the_workers_write_the_same_sheet(tmp_path: Path) -> None:
    """The Findings sheet from the workers' blocks equals the one rendered from the run's
    findings, also where the day (a stale Status Date) or the other files (a Project ID
    claimed twice) added findings to a file's report, which its worker could not know."""
    folder = tmp_path / "in"
    folder.mkdir()
    old = dt.date(2025, 1, 31)  # months before the run: the day adds a stale finding
    projects = {
        "a": base_project(project_id="PRJ-0201", reported_rag="Purple"),
        "b": base_project(project_id="PRJ-0202", status_date=old, reported_rag="Purple"),
        "c": base_project(project_id="PRJ-0203", reported_rag="Purple"),
        "d": base_project(project_id="PRJ-0203", project_name="Copy", reported_rag="Purple"),
    }
    for name, project in projects.items():
        write(folder / f"{name}.xlsx", base_tracker(project=project))
    run = consolidate(sorted(folder.iterdir()), Settings(), as_of=AS_OF, jobs=2)
    by_file = {Path(r.file).stem: r for r in run.reports}
    made = {Path(f).stem: m for f, m in run.prepared.items()}
    assert all("Findings" in m for m in made.values())  # every tracker's worker rendered some
    assert made["a"]["Findings"].count == len(by_file["a"].findings)  # taken as it is
    for stem in "bcd":  # the run added to these reports: rendered again in the writer
        assert made[stem]["Findings"].count < len(by_file[stem].findings), stem
    blocks, columns = _both(run, tmp_path)
    assert blocks == columns
    findings = calamine.CalamineWorkbook.from_path(str(tmp_path / "blocks.xlsx"))
    rows = findings.get_sheet_by_name("Findings").to_python()
    assert len(rows) == 1 + len(run.findings)
