"""Outputs are safe: a failed write leaves the previous file byte for byte, says why, exits 4.

Three ways a write fails on a real share, each against every output (portfolio, its
JSON, dashboard, annotated copy, tracker annotated in place):

* the output folder is read-only (a real folder, a real ``pmo`` process that may not
  override permissions; see :mod:`tests.hostile.run`);
* the disk fills up while the file is written (the zip's closing records fail);
* the target is open in Excel on a share, so replacing it is refused.

Then: tracker text that looks like a formula is written as text, and tracker
hyperlinks are never made live, in every output.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import pathlib
import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from addin.cli import EXIT_FINDINGS, EXIT_NOT_WRITTEN, EXIT_USAGE, app
from addin.core.tracker import replace
from addin.engine import workers
from tests.builders import base_project, base_tracker, write
from tests.hostile import make
from tests.hostile.run import no_traceback, permissions_apply, pmo

AS_OF = ["--as-of", "2026-11-20"]
runner = CliRunner()


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@contextlib.contextmanager
def _read_only(folder: Path) -> Iterator[None]:
    folder.chmod(0o555)
    try:
        yield
    finally:
        folder.chmod(0o755)


def _two_trackers(folder: Path) -> Path:
    folder.mkdir()
    make.good(folder / "good.xlsx", "PRJ-0201")
    write(folder / "bad.xlsx", base_tracker(project=base_project(project_id="bad id")))
    return folder


@pytest.fixture(scope="module")
def annotated_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two trackers after a first ``validate --annotate``: each has its ``.checked`` copy."""
    folder = _two_trackers(tmp_path_factory.mktemp("annotated") / "trackers")
    result = runner.invoke(app, ["validate", str(folder), "--annotate", *AS_OF])
    assert result.exit_code == EXIT_FINDINGS and (folder / "bad.checked.xlsx").exists()
    return folder


@pytest.fixture
def trackers(tmp_path: Path, annotated_once: Path) -> Path:
    """A valid tracker and one with an error, each with its annotated copy from a first run."""
    folder = tmp_path / "trackers"
    shutil.copytree(annotated_once, folder)
    return folder


# --- a read-only folder, for real --------------------------------------------------------------


@pytest.fixture
def as_user(tmp_path: Path) -> None:
    if not permissions_apply(tmp_path):
        pytest.skip(
            "this root cannot give up its power over file permissions (no CAP_SETPCAP); "
            "the disk-full and locked-target tests below cover the same failures"
        )


def _one_error_line(stderr: bytes) -> str:
    lines = [line for line in stderr.decode().splitlines() if line.startswith("pmo: ")]
    assert len(lines) == 1, stderr.decode()
    return lines[0]


@pytest.mark.usefixtures("as_user")
def test_read_only_output_folder_keeps_every_previous_output(
    trackers: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    args = [
        "consolidate",
        trackers,
        "-o",
        out / "portfolio.xlsx",
        "--json",
        out / "projects.json",
        "--dashboard",
        out / "dashboard.xlsx",
        *AS_OF,
    ]
    first = pmo(*args)
    assert first.returncode == EXIT_FINDINGS, first.stderr.decode()
    before = _snapshot(out)
    assert {"portfolio.xlsx", "projects.json", "dashboard.xlsx"} <= set(before)
    with _read_only(out):
        again = pmo(*args, "--log-file", tmp_path / "run.jsonl", as_user=True)
    no_traceback(again)
    assert again.returncode == EXIT_NOT_WRITTEN
    line = _one_error_line(again.stderr)
    assert line.startswith(f"pmo: {out / 'portfolio.xlsx'}: could not write the portfolio (")
    assert "Permission denied" in line and line.endswith("; the previous file is intact")
    assert _snapshot(out) == before  # byte for byte, and no temporary file left behind
    events = (tmp_path / "run.jsonl").read_text()
    assert '"event": "output_failed"' in events and '"exit_code": 4' in events


@pytest.mark.usefixtures("as_user")
def test_read_only_folder_keeps_the_previous_dashboard(trackers: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    assert pmo("consolidate", trackers, "-o", out / "p.xlsx", *AS_OF).returncode == EXIT_FINDINGS
    assert pmo("dashboard", out / "p.xlsx", "-o", out / "d.xlsx").returncode == 0
    before = _snapshot(out)
    with _read_only(out):
        again = pmo("dashboard", out / "p.xlsx", "-o", out / "d.xlsx", as_user=True)
    no_traceback(again)
    assert again.returncode == EXIT_NOT_WRITTEN
    line = _one_error_line(again.stderr)
    assert line.startswith(f"pmo: {out / 'd.xlsx'}: could not write the dashboard (")
    assert _snapshot(out) == before


@pytest.mark.usefixtures("as_user")
@pytest.mark.parametrize("in_place", [False, True], ids=["copy", "in-place"])
def test_read_only_tracker_folder_leaves_trackers_and_annotations_as_they_were(
    trackers: Path, tmp_path: Path, in_place: bool
) -> None:
    before = _snapshot(trackers)
    flags = ["--annotate", "--in-place"] if in_place else ["--annotate"]
    with _read_only(trackers):
        again = pmo("validate", trackers, *flags, *AS_OF, as_user=True)
    no_traceback(again)
    assert again.returncode == EXIT_NOT_WRITTEN
    failures = [line for line in again.stderr.decode().splitlines() if line.startswith("pmo: ")]
    assert len(failures) == 2  # both trackers; each one line
    if in_place:
        assert all(
            "no backup could be made (Permission denied); file left as" in f for f in failures
        )
    else:
        assert all(f.endswith("; the file was left as it was") for f in failures)
    assert "bad.xlsx  invalid" in again.stdout.decode()  # the report is still printed
    assert _snapshot(trackers) == before


# --- disk full while writing, target locked when replaced (in-process) --------------------------


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers are forked, so a failure injected here reaches annotation in the workers."""
    fork = mp.get_context("fork")
    monkeypatch.setattr(workers.mp, "get_context", lambda *a: fork)


def _disk_full(monkeypatch: pytest.MonkeyPatch, victim: Path) -> None:
    """Writing ``victim`` runs out of space near the end (its zip's closing records, or text)."""
    end_record = zipfile.ZipFile._write_end_record  # type: ignore[attr-defined]
    write_text = pathlib.Path.write_text

    def ours(name: object) -> bool:
        return Path(str(name)).name.startswith(f".{victim.stem}.")

    def failing_end(self: zipfile.ZipFile) -> None:
        if ours(self.filename):
            raise OSError(28, "No space left on device")
        end_record(self)

    def failing_text(self: Path, *args: Any, **kwargs: Any) -> int:
        if ours(self):
            raise OSError(28, "No space left on device")
        return write_text(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "_write_end_record", failing_end)
    monkeypatch.setattr(pathlib.Path, "write_text", failing_text)


def _locked(monkeypatch: pytest.MonkeyPatch, victim: Path) -> None:
    """Replacing ``victim`` is refused, as when it is open in Excel on a Windows share."""
    replace = pathlib.Path.replace

    def refusing(self: Path, target: Any) -> Path:
        if Path(target).name == victim.name:
            raise PermissionError(13, "The file is open in another program", str(target))
        return replace(self, target)

    monkeypatch.setattr(pathlib.Path, "replace", refusing)


FAILURES: dict[str, Callable[[pytest.MonkeyPatch, Path], None]] = {
    "disk-full": _disk_full,
    "locked": _locked,
}


def _consolidate(trackers: Path, out: Path) -> list[str]:
    return [
        "consolidate",
        str(trackers),
        "-o",
        str(out / "portfolio.xlsx"),
        "--json",
        str(out / "projects.json"),
        "--dashboard",
        str(out / "dashboard.xlsx"),
        "--no-cache",
        *AS_OF,
    ]


@pytest.fixture(scope="module")
def first_outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What a first, successful consolidation wrote (tests copy it, then fail a second run)."""
    root = tmp_path_factory.mktemp("first")
    out = root / "out"
    out.mkdir()
    result = runner.invoke(app, _consolidate(_two_trackers(root / "trackers"), out))
    assert result.exit_code == EXIT_FINDINGS, result.output
    return out


@pytest.mark.usefixtures("forked")
@pytest.mark.parametrize("failure", list(FAILURES))
@pytest.mark.parametrize(
    ("victim", "message"),
    [
        ("portfolio.xlsx", "could not write the portfolio"),
        ("projects.json", "could not write the JSON"),
        ("dashboard.xlsx", "could not write the dashboard"),
    ],
)
def test_a_failed_consolidation_output_leaves_the_previous_file(
    trackers: Path,
    first_outputs: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    failure: str,
    victim: str,
    message: str,
) -> None:
    out = tmp_path / "out"
    shutil.copytree(first_outputs, out)
    before = _snapshot(out)
    FAILURES[failure](monkeypatch, out / victim)
    result = runner.invoke(app, _consolidate(trackers, out))
    assert result.exit_code == EXIT_NOT_WRITTEN, result.output
    line = _one_error_line(result.stderr.encode())
    assert line.startswith(f"pmo: {out / victim}: {message} (")
    assert line.endswith("; the previous file is intact")
    after = _snapshot(out)
    assert after[victim] == before[victim]
    assert sorted(after) == sorted(before)  # no temporary file left behind
    # outputs are written in order (portfolio, JSON, dashboard); those after a failure are not
    order = ["portfolio.xlsx", "projects.json", "dashboard.xlsx"]
    later = order[order.index(victim) :]
    assert [name for name in later if after[name] != before[name]] == []


@pytest.mark.usefixtures("forked")
@pytest.mark.parametrize("failure", list(FAILURES))
def test_a_failed_dashboard_command_leaves_the_previous_dashboard(
    first_outputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    out = tmp_path / "out"
    shutil.copytree(first_outputs, out)
    before = _snapshot(out)
    FAILURES[failure](monkeypatch, out / "dashboard.xlsx")
    result = runner.invoke(
        app, ["dashboard", str(out / "portfolio.xlsx"), "-o", str(out / "dashboard.xlsx")]
    )
    assert result.exit_code == EXIT_NOT_WRITTEN
    assert "could not write the dashboard" in _one_error_line(result.stderr.encode())
    assert _snapshot(out) == before


@pytest.mark.usefixtures("forked")
@pytest.mark.parametrize("failure", list(FAILURES))
@pytest.mark.parametrize("in_place", [False, True], ids=["copy", "in-place"])
def test_a_failed_annotation_leaves_the_tracker_and_keeps_a_backup(
    trackers: Path, monkeypatch: pytest.MonkeyPatch, failure: str, in_place: bool
) -> None:
    args = ["validate", str(trackers), "--annotate", *AS_OF]
    before = _snapshot(trackers)
    victim = trackers / ("bad.xlsx" if in_place else "bad.checked.xlsx")
    FAILURES[failure](monkeypatch, victim)
    result = runner.invoke(app, [*args, "--in-place"] if in_place else args)
    assert result.exit_code == EXIT_NOT_WRITTEN
    line = _one_error_line(result.stderr.encode())
    assert line.startswith(f"pmo: {victim}: could not save the annotated workbook (")
    assert line.endswith("; the file was left as it was")
    after = _snapshot(trackers)
    backups = sorted(set(after) - set(before))
    if in_place:  # the other tracker was annotated in place; both have a backup
        assert [b.split(".")[0] for b in backups] == ["bad", "good"]
        assert all(b.endswith(".bak.xlsx") for b in backups)
        assert after["bad.xlsx"] == before["bad.xlsx"]
        assert after[backups[0]] == before["bad.xlsx"]
    else:
        assert backups == []
        assert after["bad.checked.xlsx"] == before["bad.checked.xlsx"]
    assert "annotated: " in result.stderr  # the run went on with the other tracker


def test_a_tracker_too_big_to_annotate_costs_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "trackers"
    folder.mkdir()
    make.million_rows(folder / "huge.xlsx", "PRJ-0301", rows=100_000)
    write(folder / "bad.xlsx", base_tracker(project=base_project(project_id="bad id")))
    settings = tmp_path / "pmo.toml"  # read little of it; annotating loads all of it
    settings.write_text("[limits]\nmax_rows = 1000\ntimeout_seconds = 2\n")
    result = pmo("validate", folder, "--annotate", "--config", settings, *AS_OF)
    no_traceback(result)
    assert result.returncode == EXIT_NOT_WRITTEN
    line = _one_error_line(result.stderr)
    assert line == (
        f"pmo: {folder / 'huge.xlsx'}: not annotated: timed out after 2 s while annotating "
        "this file: abandoned (too large or malformed?)"
    )
    others = [s for s in result.stderr.decode().splitlines() if not s.startswith("pmo: ")]
    assert others == [f"annotated: {folder / 'bad.checked.xlsx'}"]  # and nothing else
    assert sorted(p.name for p in folder.iterdir()) == ["bad.checked.xlsx", "bad.xlsx", "huge.xlsx"]


# --- tracker text and links stay inert ----------------------------------------------------------

FORMULA_TEXT = {
    "project_name": '=HYPERLINK("http://evil.example/p","Portal")',
    "task_name": "+1+1",
    "owner": "=cmd|' /C calc'!A0",
    "notes": "-2+3",
    "milestone": "@SUM(A1:A2)",
    "raid_title": "=1+1",
}
LINK = "http://evil.example/live"


def _inert_tracker(path: Path) -> Path:
    tracker = base_tracker(
        project=base_project(project_id="PRJ-0401", project_name=FORMULA_TEXT["project_name"])
    )
    tasks = list(tracker.tasks)
    tasks[0] = replace(
        tasks[0],
        **{
            "task_name": FORMULA_TEXT["task_name"],
            "owner": FORMULA_TEXT["owner"],
            "notes": FORMULA_TEXT["notes"],
        },
    )
    milestones = list(tracker.milestones)
    milestones[0] = replace(milestones[0], **{"milestone": FORMULA_TEXT["milestone"]})
    raid = list(tracker.raid)
    raid[0] = replace(raid[0], **{"title": FORMULA_TEXT["raid_title"]})
    write(path, replace(tracker, **{"tasks": tasks, "milestones": milestones, "raid": raid}))
    book = openpyxl.load_workbook(path)
    book["Tasks"]["L3"].value = "see the plan"
    book["Tasks"]["L3"].hyperlink = LINK  # a live link in the tracker itself
    book.save(path)
    return path


def _cells(path: Path) -> list[tuple[str, str, Any, str]]:
    """(sheet, cell, value, data type) of every cell holding a value."""
    book = openpyxl.load_workbook(path)
    return [
        (ws.title, c.coordinate, c.value, c.data_type)
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    ]


def _external_links(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return [
            n
            for n in zf.namelist()
            if n.endswith(".rels") and b'TargetMode="External"' in zf.read(n)
        ]


def test_formula_looking_text_and_links_stay_inert_in_every_output(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    tracker = _inert_tracker(folder / "inert.xlsx")
    write(folder / "bad.xlsx", base_tracker(project=base_project(project_id="=2+2")))
    out = tmp_path / "out"
    out.mkdir()
    assert runner.invoke(app, _consolidate(folder, out)).exit_code == EXIT_FINDINGS
    assert runner.invoke(app, ["validate", str(folder), "--annotate", *AS_OF]).exit_code == 1
    texts = {*FORMULA_TEXT.values(), "=2+2"}
    outputs = {
        "portfolio": out / "portfolio.xlsx",
        "dashboard": out / "dashboard.xlsx",
        "annotated": folder / "inert.checked.xlsx",
        "annotated, with findings": folder / "bad.checked.xlsx",
    }
    for label, path in outputs.items():
        cells = _cells(path)
        found = [c for c in cells if c[2] in texts]
        assert found, f"{label}: no tracker text found"
        assert [c for c in found if c[3] != "s"] == [], label  # text, never a formula
        formulas = [c for c in cells if c[3] == "f" and any(t[1:] in str(c[2]) for t in texts)]
        assert formulas == [], label
        assert LINK not in str([c[2] for c in cells]), label
    for label in ("portfolio", "dashboard"):
        assert _external_links(outputs[label]) == [], label
    # the annotated copy keeps the tracker's own link (it is the tracker) and adds none
    assert len(_external_links(outputs["annotated"])) == len(_external_links(tracker))
    found_in = {c[0] for c in _cells(outputs["annotated, with findings"]) if c[2] == "=2+2"}
    assert found_in == {"Project", "Validation"}


# --- names at the file system's limit -----------------------------------------------------------


def test_outputs_with_255_byte_names_are_written_and_too_long_ones_refused(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    tracker = write(
        folder / ("T" * 250 + ".xlsx"), base_tracker(project=base_project(project_id="x"))
    )
    out = tmp_path / "out"
    out.mkdir()
    portfolio = out / ("P" * 250 + ".xlsx")  # its temporary file needs a shorter name
    result = runner.invoke(
        app, ["consolidate", str(folder), "-o", str(portfolio), "--no-cache", *AS_OF]
    )
    assert result.exit_code == EXIT_FINDINGS, result.output
    assert sorted(p.name for p in out.iterdir()) == [portfolio.name, "pmo-history.sqlite"]
    # the annotated copy of that tracker would need a 263-byte name: one line, nothing written
    result = runner.invoke(app, ["validate", str(tracker), "--annotate", *AS_OF])
    assert result.exit_code == EXIT_NOT_WRITTEN
    line = _one_error_line(result.stderr.encode())
    assert line.endswith(
        "could not save the annotated workbook (File name too long); the file was left as it was"
    )
    assert sorted(p.name for p in folder.iterdir()) == [tracker.name]


@pytest.mark.parametrize("command", ["validate", "consolidate"])
def test_a_log_file_that_cannot_be_written_is_a_usage_error(
    trackers: Path, tmp_path: Path, command: str
) -> None:
    log = tmp_path / "no such folder" / "run.jsonl"
    args = [command, str(trackers), "--log-file", str(log), *AS_OF]
    if command == "consolidate":
        args += ["-o", str(tmp_path / "p.xlsx")]
    result = runner.invoke(app, args)
    assert result.exit_code == EXIT_USAGE
    assert result.stderr == f"pmo: --log-file {log}: folder {log.parent} does not exist\n"
    assert not (tmp_path / "p.xlsx").exists()
