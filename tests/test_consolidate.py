"""PortfolioRun: a messy folder in, a trustworthy portfolio out; incremental re-runs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import zipfile
from pathlib import Path

import pytest
import python_calamine as calamine
import xlsxwriter

from addin.core.settings import Settings
from addin.core.tracker import replace
from addin.demo import SAMPLE_CASES, SAMPLES_AS_OF, sample_trackers, write_drifted
from addin.engine import cache as cache_module
from addin.engine import workers
from addin.engine.cache import Entry, Key, ResultCache
from addin.engine.cache import file_key as cache_key
from addin.engine.consolidate import consolidate
from addin.engine.discover import discover
from addin.engine.run import PortfolioRun
from addin.ooxml.parts import sheet_parts
from addin.outputs.portfolio import PROJECT_COLUMNS, read_portfolio, table_columns, write_portfolio
from addin.outputs.template import write_tracker
from tests.builders import base_project, base_tracker, write
from tests.normalise import diff, normalise

SAMPLES = dict(sample_trackers())


def excel_precision(run: PortfolioRun) -> PortfolioRun:
    """The run with every float of a project compared as Excel keeps it (to ~15 digits).

    Rounding both sides to 15 significant digits is not enough: a value written with 17
    digits and read back may round the other way at the 15th (1/29 = 0.0344827586206897
    written, ...6896 read). Each float becomes ``pytest.approx`` at a relative 1e-14.
    """

    def keep(value: object) -> object:
        return pytest.approx(value, rel=1e-14, abs=0) if isinstance(value, float) else value

    projects = [
        replace(p, **{f.name: keep(getattr(p, f.name)) for f in dataclasses.fields(p)})
        for p in run.projects
    ]
    return dataclasses.replace(run, projects=projects)


def _sheet(path: Path, name: str) -> list[list[object]]:
    book = calamine.CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(name).to_python()


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    """Good, drifted, erroring, locked, corrupt and non-tracker files in one folder tree."""
    folder = tmp_path / "trackers"
    (folder / "sub").mkdir(parents=True)
    write_tracker(folder / "good1.xlsx", SAMPLES["DWP-0101_M365_Migration"])
    write_tracker(folder / "sub" / "good2.xlsx", SAMPLES["CUS-0202_CRM_Consolidation"])
    write_drifted(folder / "drifted.xlsx", SAMPLES["FIN-0302_P2P_Automation"], Settings())
    write_tracker(folder / "errors.xlsx", SAMPLES["EST-0401_HQ_Consolidation"])
    (folder / "~$good1.xlsx").write_bytes(b"\x00lock")  # Excel's owner file: skipped silently
    (folder / "corrupt.xlsx").write_bytes(b"PK\x03\x04 cut off in the middle of an upload")
    wb = xlsxwriter.Workbook(str(folder / "budget-export.xlsx"))
    wb.add_worksheet("Sales").write_row(0, 0, ["Region", "Revenue"])
    wb.close()
    (folder / "notes.txt").write_text("not a workbook")
    return folder


def test_messy_folder_consolidates_with_every_file_accounted_for(
    messy: Path, tmp_path: Path
) -> None:
    files = discover([messy]).files
    assert sorted(p.name for p in files) == [
        "budget-export.xlsx",
        "corrupt.xlsx",
        "drifted.xlsx",
        "errors.xlsx",
        "good1.xlsx",
        "good2.xlsx",
    ]
    result = consolidate(files, Settings(), as_of=SAMPLES_AS_OF, jobs=2)
    out = write_portfolio(tmp_path / "portfolio.xlsx", result, Settings())

    log = {Path(r.file).name: (r.status, r.project_id) for r in result.load_log}
    assert log == {
        "budget-export.xlsx": ("not_a_tracker", ""),
        "corrupt.xlsx": ("unreadable", ""),
        "drifted.xlsx": ("valid", "FIN-0302"),
        "errors.xlsx": ("invalid", "EST0401"),
        "good1.xlsx": ("valid", "DWP-0101"),
        "good2.xlsx": ("valid", "CUS-0202"),
    }
    reasons = {Path(r.file).name: r.reason for r in result.load_log}
    assert "not a valid zip archive" in reasons["corrupt.xlsx"]
    assert "not a project tracker" in reasons["budget-export.xlsx"]

    projects = {p.project_id: p for p in result.projects}
    assert sorted(projects) == ["CUS-0202", "DWP-0101", "EST0401", "FIN-0302"]
    for case in SAMPLE_CASES.values():
        if case.project_id in projects and case.overall:
            assert projects[case.project_id].overall_rag == case.overall, case.stem
    crm = projects["CUS-0202"]
    assert (crm.cost_rag, crm.schedule_rag, crm.optimism, crm.stale) == (
        "Red",
        "Green",
        False,
        False,
    )
    assert crm.vac_pct == pytest.approx(0.16, abs=0.01)
    assert any("VAC" in r for r in crm.reasons)
    assert projects["EST0401"].errors == 4

    # row counts per sheet equal the trackers' own rows
    trackers = [
        SAMPLES[s]
        for s in (
            "DWP-0101_M365_Migration",
            "CUS-0202_CRM_Consolidation",
            "FIN-0302_P2P_Automation",
            "EST-0401_HQ_Consolidation",
        )
    ]
    for key in ("Tasks", "Milestones", "Budget", "RAID"):
        rows = _sheet(out, key)
        assert rows[0] == [c.header for c in table_columns(key)]
        assert len(rows) - 1 == sum(len(t.rows(key)) for t in trackers), key
    assert _sheet(out, "Projects")[0] == [c.header for c in PROJECT_COLUMNS]
    assert len(_sheet(out, "Load Log")) == 7
    findings = _sheet(out, "Findings")
    assert {r[5] for r in findings[1:]} >= {
        "file.unreadable",
        "file.not_a_tracker",
        "project.id_format",
    }


def test_source_cell_points_back_into_the_tracker(messy: Path) -> None:
    result = consolidate([messy / "drifted.xlsx"], Settings(), as_of=SAMPLES_AS_OF, jobs=1)
    tasks = result.tables["Tasks"]
    sheet_name, cell = tasks.source_cells[0].rsplit("!", 1)
    tasks_sheet = result.reports[0].tables["Tasks"].sheet
    assert sheet_name.strip("'") == tasks_sheet
    book = calamine.CalamineWorkbook.from_path(str(messy / "drifted.xlsx"))
    grid = book.get_sheet_by_name(tasks_sheet).to_python(skip_empty_area=False)
    row, col = int(cell[1:]) - 1, ord(cell[0]) - 65
    assert grid[row][col] == tasks.columns["task_id"][0]  # the Task ID sits in that cell


def test_duplicate_project_id_is_a_finding_on_both_and_later_status_date_wins(
    tmp_path: Path,
) -> None:
    old = write(
        tmp_path / "old.xlsx", base_tracker(project=base_project(status_date=dt.date(2026, 11, 2)))
    )
    new = write(
        tmp_path / "new.xlsx", base_tracker(project=base_project(status_date=dt.date(2026, 11, 16)))
    )
    result = consolidate([old, new], Settings(), as_of=dt.date(2026, 11, 20), jobs=2)
    assert [p.source_file for p in result.projects] == [str(new)]
    dupes = [
        (Path(f.file).name, f.cell) for f in result.findings if f.rule == "project.duplicate_id"
    ]
    assert sorted(dupes) == [("new.xlsx", "B1"), ("old.xlsx", "B1")]
    log = {Path(r.file).name: r.reason for r in result.load_log}
    assert log["old.xlsx"].startswith(f"superseded by {new}")
    assert len(result.tables["Tasks"]) == len(base_tracker().tasks)  # the loser's rows left out


def test_staleness_follows_the_as_of_date_without_rereading(tmp_path: Path) -> None:
    path = write(tmp_path / "t.xlsx")
    cache = tmp_path / "cache.sqlite"
    early = consolidate([path], Settings(), as_of=dt.date(2026, 11, 20), cache_path=cache, jobs=1)
    late = consolidate([path], Settings(), as_of=dt.date(2026, 12, 20), cache_path=cache, jobs=1)
    assert late.reread == [] and late.cache_hits == 1
    assert (early.projects[0].stale, early.projects[0].overall_rag) == (False, "Green")
    assert (late.projects[0].stale, late.projects[0].overall_rag) == (True, "Amber")
    assert [f.rule for f in late.findings] == ["project.stale"]


def test_incremental_run_rereads_only_the_changed_file_and_matches_a_cold_run(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    names = list(SAMPLES)  # trackers with findings and without: every kind of result is cached
    for stem in names:
        write_tracker(folder / f"{stem}.xlsx", SAMPLES[stem])
    files = discover([folder]).files
    cache = tmp_path / "portfolio.pmo-cache.sqlite"
    consolidate(files, Settings(), as_of=SAMPLES_AS_OF, cache_path=cache, jobs=2)
    changed = folder / f"{names[1]}.xlsx"
    tracker = SAMPLES[names[1]]
    write_tracker(
        changed,
        replace(tracker, **{"project": replace(tracker.project, **{"sponsor": "New Sponsor"})}),
    )
    warm = consolidate(files, Settings(), as_of=SAMPLES_AS_OF, cache_path=cache, jobs=2)
    cold = consolidate(files, Settings(), as_of=SAMPLES_AS_OF, jobs=2)
    for run in (warm, cold):  # time spent differs by design (cache hits cost nothing)
        run.load_log = [replace(e, seconds=0.0) for e in run.load_log]
        run.generated = "2026-11-20T09:00:00"  # the two runs may straddle a second
    assert warm.reread == [str(changed)]
    assert warm.cache_hits == len(names) - 1
    assert warm.projects == cold.projects
    assert warm.findings == cold.findings and len({f.file for f in warm.findings}) > 1
    assert {p.sponsor for p in warm.projects} >= {"New Sponsor"}
    a = write_portfolio(tmp_path / "warm.xlsx", warm, Settings())
    b = write_portfolio(tmp_path / "cold.xlsx", cold, Settings())
    assert diff(normalise(a), normalise(b)) == []


def test_a_corrupt_cache_of_ours_is_rebuilt_silently_a_foreign_file_is_refused(
    tmp_path: Path,
) -> None:
    from addin.core.errors import UnsafePathError

    path = write(tmp_path / "t.xlsx")
    cache = tmp_path / "cache.sqlite"
    consolidate([path], Settings(), as_of=dt.date(2026, 11, 20), cache_path=cache, jobs=1)
    data = cache.read_bytes()
    cache.write_bytes(data[:100] + b"\x00garbage" * (len(data) // 8))  # our header, no pages
    first = consolidate([path], Settings(), as_of=dt.date(2026, 11, 20), cache_path=cache, jobs=1)
    second = consolidate([path], Settings(), as_of=dt.date(2026, 11, 20), cache_path=cache, jobs=1)
    assert first.reread == [str(path)] and second.reread == []
    foreign = tmp_path / "notes.sqlite"
    foreign.write_bytes(b"this is not a database")
    with pytest.raises(UnsafePathError, match="not a pmo cache"):
        consolidate([path], Settings(), as_of=dt.date(2026, 11, 20), cache_path=foreign, jobs=1)
    assert foreign.read_bytes() == b"this is not a database"
    assert first.projects == second.projects
    other_settings = Settings.model_validate({"rag": {"stale_days": 30}})
    third = consolidate(
        [path], other_settings, as_of=dt.date(2026, 11, 20), cache_path=cache, jobs=1
    )
    assert third.reread == [str(path)]  # different settings: no stale result reused


def _full(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache's disk is full: SQLite may not add a page to the file (``SQLITE_FULL``)."""
    connect = ResultCache._connect

    def full(self: ResultCache) -> object:
        db = connect(self)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")
        return db

    monkeypatch.setattr(ResultCache, "_connect", full)


def test_a_cache_on_a_full_disk_keeps_what_it_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk is not the cache's fault: it stays as it was, for the next run, and the
    run says so (it was deleted and rebuilt, as a damaged cache is: the next run read
    every file again; at 20,000 trackers, 200 s instead of 26)."""
    from typer.testing import CliRunner

    from addin.cli import app

    folder = tmp_path / "trackers"
    folder.mkdir()

    def tracker(i: int) -> Path:
        project = base_project(project_id=f"PRJ-070{i}")
        return write(folder / f"t{i}.xlsx", base_tracker(project=project))

    paths = [tracker(i) for i in range(3)]
    cache = tmp_path / "cache.sqlite"
    run = consolidate(paths, Settings(), as_of=dt.date(2026, 11, 20), cache_path=cache, jobs=1)
    assert run.cache_unsaved == "" and len(run.reread) == 3
    held = cache.read_bytes()
    paths.append(tracker(3))  # a new one: its entry needs room
    with monkeypatch.context() as disk:
        _full(disk)
        run = consolidate(paths, Settings(), as_of=dt.date(2026, 11, 20), cache_path=cache, jobs=1)
        assert run.reread == [str(paths[3])] and run.cache_hits == 3
        assert run.cache_unsaved == f"{cache}: database or disk is full"
        assert cache.read_bytes() == held
        out = (
            CliRunner()
            .invoke(
                app,
                ["consolidate", str(folder), "-o", str(tmp_path / "p.xlsx"), "--cache", str(cache)],
            )
            .stdout
        )
        assert f"  cache not updated: {cache}: database or disk is full (it keeps what" in out
    again = consolidate(paths, Settings(), as_of=dt.date(2026, 11, 20), cache_path=cache, jobs=1)
    assert again.reread == [str(paths[3])] and again.cache_hits == 3
    assert again.cache_unsaved == ""
    assert consolidate(paths, Settings(), cache_path=cache, jobs=1).reread == []


def test_a_tampered_cache_entry_never_constructs_anything_but_results(tmp_path: Path) -> None:
    import pickle

    from addin.engine.cache_payload import dumps, loads
    from addin.engine.pipeline import check_tracker

    result = check_tracker(str(write(tmp_path / "t.xlsx")), Settings())
    assert loads(dumps(result)) == result  # every type a real result holds is allowed
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")

    class Evil:  # unpickles as ResultCache(victim, ...): a class that touches files
        def __reduce__(self) -> tuple[object, tuple[object, ...]]:
            from addin.engine.cache import ResultCache

            return (ResultCache, (victim, "x"))

    with pytest.raises(
        pickle.UnpicklingError, match=r"refusing to load addin\.engine\.cache\.ResultCache"
    ):
        loads(pickle.dumps(Evil()))
    with pytest.raises(pickle.UnpicklingError, match=r"refusing to load (os|posix|nt)\.remove"):
        loads(pickle.dumps(os.remove))
    assert victim.read_text() == "keep me"


def test_formula_looking_text_arrives_as_text(tmp_path: Path) -> None:
    tasks = list(base_tracker().tasks)
    tasks[0] = replace(tasks[0], **{"notes": '=HYPERLINK("http://x","y")', "task_name": "+1+1"})
    path = write(tmp_path / "t.xlsx", base_tracker(tasks=tasks))
    result = consolidate([path], Settings(), as_of=dt.date(2026, 11, 20), jobs=1)
    out = write_portfolio(tmp_path / "p.xlsx", result, Settings())
    rows = _sheet(out, "Tasks")
    assert rows[1][3] == "+1+1"
    notes_col = [c.key for c in table_columns("Tasks")].index("notes")
    assert rows[1][notes_col] == '=HYPERLINK("http://x","y")'
    with zipfile.ZipFile(out) as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/")]
        assert all(b"<f>" not in zf.read(n) and b"<f " not in zf.read(n) for n in sheets)
        assert not [n for n in zf.namelist() if "hyperlink" in n.lower()]


def test_fast_writer_equals_the_xlsxwriter_reference(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    for stem in list(SAMPLES)[:5]:
        write_tracker(folder / f"{stem}.xlsx", SAMPLES[stem])
    tasks = list(base_tracker().tasks)
    tasks[0] = replace(tasks[0], **{"notes": "  spaced & <tagged>  ", "task_name": "=1+1"})
    tasks[1] = replace(tasks[1], **{"notes": "literal _x0041_ and a \x07bell"})
    odd = replace(base_project(), project_name='=HYPERLINK("http://x","y")', sponsor="\x1b[2J")
    write(folder / "odd.xlsx", base_tracker(project=odd, tasks=tasks))
    files = discover([folder]).files
    result = consolidate(files, Settings(), as_of=SAMPLES_AS_OF, jobs=2)
    settings = Settings()
    fast = write_portfolio(tmp_path / "fast.xlsx", result, settings, fast=True)
    ref = write_portfolio(tmp_path / "ref.xlsx", result, settings, fast=False)
    with zipfile.ZipFile(fast) as zf:  # Projects too is rendered from columns: inline text
        rows = zf.read(sheet_parts(zf)["Projects"]).partition(b"</row>")[2]  # past the header
    assert b't="inlineStr"' in rows and b't="s"' not in rows
    assert b"<f>" not in rows and b"<f " not in rows and b"\x1b" not in rows  # text, not formula
    # openpyxl decodes _xHHHH_ escapes in shared strings (the reference) but not in inline
    # strings (ours): that one note is compared through calamine, which decodes both as Excel.
    differences = diff(normalise(fast), normalise(ref))
    assert [d for d in differences if "literal _x" not in d] == []
    for key in ("Projects", "Tasks", "Milestones", "Budget", "RAID", "Findings"):
        assert _sheet(fast, key) == _sheet(ref, key), key
    notes_col = [c.key for c in table_columns("Tasks")].index("notes")
    notes = [r[notes_col] for r in _sheet(fast, "Tasks") if "literal" in str(r[notes_col])]
    assert notes == ["literal _x0041_ and a \x07bell"]


def test_portfolio_reads_back_to_the_same_rows(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    for stem in list(SAMPLES)[:3]:
        write_tracker(folder / f"{stem}.xlsx", SAMPLES[stem])
    result = consolidate(discover([folder]).files, Settings(), as_of=SAMPLES_AS_OF, jobs=2)
    out = write_portfolio(tmp_path / "p.xlsx", result, Settings())
    back = read_portfolio(out)
    assert back.as_of == SAMPLES_AS_OF
    assert len(back.projects) == 3
    # The run, whole (projects, every kind's rows, findings, load log), to the 15 significant
    # digits a workbook holds a number with.
    assert back == excel_precision(result)


def test_a_failed_write_leaves_the_previous_portfolio_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from addin.core.errors import OutputError
    from addin.outputs import portfolio

    path = write(tmp_path / "t.xlsx")
    result = consolidate([path], Settings(), as_of=dt.date(2026, 11, 20), jobs=1)
    out = write_portfolio(tmp_path / "p.xlsx", result, Settings())
    before = out.read_bytes()

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(portfolio.writer, "splice", boom)
    with pytest.raises(OutputError, match="previous file is intact"):
        write_portfolio(out, result, Settings())
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.xlsx", "t.xlsx"]  # no temp files left


def test_consolidating_nothing_writes_an_empty_but_valid_portfolio(tmp_path: Path) -> None:
    result = consolidate([], Settings(), as_of=dt.date(2026, 11, 20))
    out = write_portfolio(tmp_path / "p.xlsx", result, Settings())
    assert read_portfolio(out).projects == []
    shutil.copy(out, tmp_path / "copy.xlsx")
    assert _sheet(tmp_path / "copy.xlsx", "Tasks")[0][0] == "Project ID"


def test_a_rerun_looks_each_file_up_as_it_is_sent_not_all_up_front(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even entries taken in the run's own process (sealed: see engine/file_task) are looked
    up a few ahead of the work, never all before it: each holds its entry until taken."""
    folder = tmp_path / "trackers"
    folder.mkdir()
    for stem in list(SAMPLES)[:4]:
        write_tracker(folder / f"{stem}.xlsx", SAMPLES[stem])
        for n in range(8):
            shutil.copy(folder / f"{stem}.xlsx", folder / f"{stem}-{n}.xlsx")
    files = discover([folder]).files
    cache = tmp_path / "portfolio.pmo-cache.sqlite"
    consolidate(files, Settings(), as_of=SAMPLES_AS_OF, cache_path=cache, jobs=1)
    events: list[str] = []
    read_entry, hash_file = ResultCache.lookup, cache_key

    def entry(self: ResultCache, path: str, max_bytes: float) -> tuple[Key | None, Entry | None]:
        events.append("entry")
        return read_entry(self, path, max_bytes)

    def file_key(path: Path, max_bytes: float) -> Key | None:
        events.append("hash")
        return hash_file(path, max_bytes)

    monkeypatch.setattr(ResultCache, "lookup", entry)
    monkeypatch.setattr(cache_module, "file_key", file_key)
    run = consolidate(
        files,
        Settings(),
        as_of=SAMPLES_AS_OF,
        cache_path=cache,
        jobs=1,
        progress=lambda done, total, file: events.append("done"),
    )
    assert run.cache_hits == len(files) == 36
    assert events.count("entry") == events.count("hash") == len(files)
    # files are hashed and their entries read while others are done, not all before the first
    first = events.index("done")
    assert events[:first].count("entry") <= workers.AHEAD + 1
    for step in ("hash", "entry"):
        assert max(i for i, e in enumerate(events) if e == step) > first
