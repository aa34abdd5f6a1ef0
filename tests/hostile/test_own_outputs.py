"""The portfolio never re-ingests what ``pmo`` wrote: its outputs are known by content.

A portfolio or dashboard written into the trackers' folder, renamed or not, named on the
command line or found in the folder, is skipped with a Load Log line (status
``skipped``); so are annotated copies and backups found in a folder, by name or, for a
copy, by its marker. Re-running a consolidation into its own folder changes nothing.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import python_calamine as calamine
from typer.testing import CliRunner

from addin.cli import EXIT_OK, app
from tests.hostile import make
from tests.sheetbook import book

AS_OF = ["--as-of", "2026-11-20"]
runner = CliRunner()


def _sheet(path: Path, name: str) -> list[list[Any]]:
    rows: list[list[Any]] = (
        calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()
    )
    return rows


def _load_log(path: Path) -> dict[str, tuple[str, str]]:
    rows = _sheet(path, "Load Log")
    return {Path(r[0]).name: (r[1], r[2]) for r in rows[1:]}


def test_consolidating_into_the_trackers_folder_again_and_again_changes_nothing(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "trackers"
    folder.mkdir()
    make.good(folder / "a.xlsx", "PRJ-0901")
    make.good(folder / "b.xlsx", "PRJ-0902")
    portfolio, dashboard = folder / "portfolio.xlsx", folder / "dashboard.xlsx"
    args = ["consolidate", str(folder), "-o", str(portfolio), "--dashboard", str(dashboard)]
    counts = []
    for _ in range(3):
        result = runner.invoke(app, [*args, *AS_OF])
        assert result.exit_code == EXIT_OK, result.output
        counts.append((len(_sheet(portfolio, "Projects")), len(_sheet(portfolio, "Tasks"))))
    assert counts[0] == counts[1] == counts[2] and counts[0][0] == 3  # header + 2 projects
    log = _load_log(portfolio)
    assert log["portfolio.xlsx"] == ("skipped", "our own portfolio output, not a tracker")
    assert log["dashboard.xlsx"] == ("skipped", "our own dashboard output, not a tracker")


def test_our_outputs_are_known_by_content_renamed_or_named(tmp_path: Path) -> None:
    folder = tmp_path / "trackers"
    folder.mkdir()
    make.good(folder / "a.xlsx", "PRJ-0903")
    make.good(folder / "b.xlsx", "PRJ-0904")
    out = tmp_path / "out"
    out.mkdir()
    args = ["-o", str(out / "p.xlsx"), "--dashboard", str(out / "d.xlsx"), *AS_OF]
    first = runner.invoke(app, ["consolidate", str(folder), *args])
    assert first.exit_code == EXIT_OK, first.output
    annotated = runner.invoke(app, ["validate", str(folder / "b.xlsx"), "--annotate", *AS_OF])
    assert (folder / "b.checked.xlsx").exists(), annotated.output
    shutil.move(folder / "b.checked.xlsx", folder / "b - Copy.xlsx")  # renamed: still a copy
    shutil.copy(out / "p.xlsx", folder / "Weekly report.xlsx")
    shutil.copy(out / "d.xlsx", folder / "Steering pack.xlsx")
    (folder / "a.20261125-093000.bak.xlsx").write_bytes((folder / "a.xlsx").read_bytes())
    again = out / "again.xlsx"
    named = out / "p.xlsx"  # a portfolio named on the command line is skipped too
    result = runner.invoke(app, ["consolidate", str(folder), str(named), "-o", str(again), *AS_OF])
    assert result.exit_code == EXIT_OK, result.output
    log = _load_log(again)
    assert log["Weekly report.xlsx"][0] == "skipped"
    assert log["p.xlsx"] == ("skipped", "our own portfolio output, not a tracker")
    assert log["Steering pack.xlsx"] == ("skipped", "our own dashboard output, not a tracker")
    assert log["b - Copy.xlsx"][0] == "skipped" and "annotated copy" in log["b - Copy.xlsx"][1]
    assert log["a.20261125-093000.bak.xlsx"][0] == "skipped"
    assert "backup" in log["a.20261125-093000.bak.xlsx"][1]
    projects = [r[0] for r in _sheet(again, "Projects")[1:]]
    assert projects == ["PRJ-0903", "PRJ-0904"]  # no duplicate, no "Project ID" project
    assert "skipped" in result.stdout  # the summary counts them


def test_validate_skips_a_portfolio_in_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "trackers"
    folder.mkdir()
    make.good(folder / "a.xlsx", "PRJ-0905")
    ran = runner.invoke(app, ["consolidate", str(folder), "-o", str(folder / "p.xlsx"), *AS_OF])
    assert ran.exit_code == EXIT_OK, ran.output
    result = runner.invoke(app, ["validate", str(folder), *AS_OF])
    assert result.exit_code == EXIT_OK, result.output
    assert f"{folder / 'p.xlsx'}  skipped" in result.stdout


def test_a_portfolio_written_before_the_marker_is_still_known(tmp_path: Path) -> None:
    folder = tmp_path / "trackers"
    folder.mkdir()
    make.good(folder / "a.xlsx", "PRJ-0906")
    out = tmp_path / "p.xlsx"
    assert runner.invoke(app, ["consolidate", str(folder), "-o", str(out), *AS_OF]).exit_code == 0
    props = make.parts_of(out)["docProps/custom.xml"]
    assert isinstance(props, bytes) and b"PMO Output" in props
    old = re.sub(rb'<property [^>]*name="PMO Output".*?</property>', b"", props)
    assert b"PMO Output" not in old and b"PMO As Of" in old
    make.with_part(out, folder / "last-week.xlsx", "docProps/custom.xml", old)  # only PMO As Of
    again = tmp_path / "again.xlsx"
    result = runner.invoke(app, ["consolidate", str(folder), "-o", str(again), *AS_OF])
    assert result.exit_code == EXIT_OK, result.output
    assert _load_log(again)["last-week.xlsx"] == (
        "skipped",
        "our own portfolio output, not a tracker",
    )


def _drifted(path: Path, risks: int = 3) -> Path:
    """A tracker in its own layout (what ``pmo adopt`` is for): a named RAID log."""
    rows = [["Risk #", "Risk Statement", "Risk Owner", "Status"]]
    rows += [[f"R{i}", f"Risk {i}", "Ann", "Open"] for i in range(1, risks + 1)]
    return book(path, {"Project": [["Project Name", "Apollo"]], "Risk Log": rows})


def test_an_adopted_tracker_beside_its_source_is_one_project(tmp_path: Path) -> None:
    """The adopted file (the governed version) is read and its unchanged source skipped;
    once the source changes, the adopted copy is the stale one and is skipped instead."""
    folder = tmp_path / "trackers"
    folder.mkdir()
    source = _drifted(folder / "apollo.xlsx")
    adopted = runner.invoke(app, ["adopt", str(source)])
    assert adopted.exit_code == EXIT_OK, adopted.output
    assert (folder / "apollo.adopted.xlsx").is_file()
    out = tmp_path / "p.xlsx"
    result = runner.invoke(app, ["consolidate", str(folder), "-o", str(out), *AS_OF])
    assert result.exit_code in (EXIT_OK, 1), result.output
    log = _load_log(out)
    assert log["apollo.xlsx"] == (
        "skipped",
        "superseded by apollo.adopted.xlsx (pmo adopt wrote it from this file)",
    )
    assert log["apollo.adopted.xlsx"][0] != "skipped"
    assert [r[1] for r in _sheet(out, "Projects")[1:]] == ["Apollo"]
    _drifted(source, risks=4)  # a risk added: the source has changed since it was adopted
    result = runner.invoke(app, ["consolidate", str(folder), "-o", str(out), *AS_OF])
    log = _load_log(out)
    assert log["apollo.adopted.xlsx"][0] == "skipped"
    assert "which has changed since" in log["apollo.adopted.xlsx"][1]
    assert log["apollo.xlsx"][0] != "skipped"
    named = runner.invoke(app, ["validate", str(folder), str(source), *AS_OF])
    assert "apollo.xlsx  skipped" not in named.stdout


def test_which_of_an_adopted_pair_is_left_out_is_decided_from_the_results(tmp_path: Path) -> None:
    """The run decides from what each file's worker read (no workbook is opened for it):
    unchanged source -> the source is left out; changed -> the adopted copy; named -> kept."""
    import hashlib

    from addin.engine.superseded import superseded

    source = tmp_path / "plan.xlsx"
    source.write_bytes(b"the source's bytes")
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    adopted, other = str(tmp_path / "plan.adopted.xlsx"), str(tmp_path / "other.xlsx")
    files = [(str(source), None), (adopted, ("plan.xlsx", digest)), (other, None)]
    assert superseded(files, lambda f: False) == {
        0: "superseded by plan.adopted.xlsx (pmo adopt wrote it from this file)"
    }
    assert superseded(files, lambda f: f == str(source)) == {}  # named: read as asked
    source.write_bytes(b"edited since")
    left = superseded(files, lambda f: False)
    assert list(left) == [1] and "which has changed since" in left[1]
    elsewhere = [(str(source), None), (adopted, ("gone.xlsx", digest))]
    assert superseded(elsewhere, lambda f: False) == {}  # its source is not beside it
