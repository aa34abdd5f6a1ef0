"""Reading hostile files: permissions, files that change, limits, defence in depth, isolation.

What :mod:`tests.hostile.test_folder` cannot stage in a folder: a file nobody may read
(for root too), a file rewritten while it is read, the limits in settings, the parsers'
own refusal of a DTD when the first check is blinded, and a reader that hangs, crashes
or runs out of memory.
"""

from __future__ import annotations

import datetime as dt
import faulthandler
import json
import multiprocessing as mp
import os
import pathlib
import re
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from defusedxml import ElementTree

from addin.cli import EXIT_UNREADABLE
from addin.core.findings import FileStatus
from addin.core.settings import Settings
from addin.engine import validate, workers
from addin.engine.validate import check_files, read_and_check
from addin.engine.workers import run_isolated
from addin.ooxml.cached_values import restore
from addin.ooxml.xmlsafety import DTD_REASON
from addin.read import sniffing, source
from addin.read.source import CHANGED_REASON
from tests.hostile import make
from tests.hostile.run import no_traceback, permissions_apply, pmo

AS_OF = dt.date(2026, 11, 20)
DENIED = "permission denied: cannot read this file"


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Worker processes are forked, so what a test patches here is patched in them too."""
    fork = mp.get_context("fork")
    monkeypatch.setattr(workers.mp, "get_context", lambda *a: fork)


# --- permissions -----------------------------------------------------------------------------


def test_a_file_nobody_may_read_is_one_line_and_the_others_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "share"
    folder.mkdir()
    make.good(folder / "good.xlsx", "PRJ-0501")
    locked = make.unreadable(folder / "locked.xlsx", "PRJ-0502")
    if permissions_apply(tmp_path):  # a normal user, or a root that gave up its override
        checked = pmo("validate", folder, "--as-of", AS_OF.isoformat(), as_user=True)
        no_traceback(checked)
        assert checked.returncode == EXIT_UNREADABLE
        lines = checked.stdout.decode().splitlines()
        at = lines.index(f"{locked}  unreadable  (1 error, 0 warnings)")
        assert lines[at + 1] == f"  {DENIED}"
        out = tmp_path / "out"
        out.mkdir()
        merged = pmo(
            "consolidate", folder, "-o", out / "p.xlsx", "--json", out / "p.json", as_user=True
        )
        no_traceback(merged)
        assert merged.returncode == EXIT_UNREADABLE
        assert f"  unreadable: {locked}: {DENIED}" in merged.stdout.decode().splitlines()
        assert [p["project_id"] for p in json.loads((out / "p.json").read_text())] == ["PRJ-0501"]
    else:  # this root reads any file: refuse the open itself, as the OS would for a user
        opener = pathlib.Path.open

        def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
            if self.name == locked.name:
                raise PermissionError(13, "Permission denied", str(self))
            return opener(self, *args, **kwargs)

        monkeypatch.setattr(pathlib.Path, "open", refuse)
        _, report = read_and_check(locked, Settings(), as_of=AS_OF)
        assert (report.status, report.reason) == (FileStatus.UNREADABLE, DENIED)


# --- a file that changes while it is read --------------------------------------------------------


def _appended(path: Path, _other: Path) -> None:
    with path.open("ab") as fh:  # a sync client still writing the end of it
        fh.write(b"\0" * 10)


def _touched(path: Path, _other: Path) -> None:
    st = path.stat()  # saved again, same size
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def _replaced(path: Path, other: Path) -> None:
    os.replace(other, path)  # how Excel saves: a new file renamed over the old one


def _deleted(path: Path, _other: Path) -> None:
    path.unlink()


CHANGES: dict[str, Callable[[Path, Path], None]] = {
    "appended": _appended,
    "touched": _touched,
    "replaced": _replaced,
    "deleted": _deleted,
}


@pytest.mark.parametrize("moment", ["after-sniff", "mid-sheet"])
@pytest.mark.parametrize("change", list(CHANGES))
def test_a_file_that_changes_while_being_read_is_reported_not_half_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str, moment: str
) -> None:
    path = make.good(tmp_path / "t.xlsx", "PRJ-0601")
    other = make.good(tmp_path / "newer.xlsx", "PRJ-0602")
    done: list[bool] = []

    def change_once() -> None:
        if not done:
            done.append(True)
            CHANGES[change](path, other)

    if moment == "after-sniff":
        sniff = source.sniff

        def sniff_then_change(*args: Any, **kwargs: Any) -> Any:
            sniffed = sniff(*args, **kwargs)
            change_once()
            return sniffed

        monkeypatch.setattr(source, "sniff", sniff_then_change)
    else:
        walk = source.walk_sheet

        def walk_then_change(*args: Any, **kwargs: Any) -> Any:
            scan = walk(*args, **kwargs)
            change_once()
            return scan

        monkeypatch.setattr(source, "walk_sheet", walk_then_change)
    _, report = read_and_check(path, Settings(), as_of=AS_OF)
    assert done == [True]
    assert (report.status, report.reason) == (FileStatus.UNREADABLE, CHANGED_REASON)


# --- limits from settings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("limits", "status", "reason"),
    [
        (
            {"max_file_mb": 0.01},
            FileStatus.UNREADABLE,
            r"refused: file is 0\.\d\d MB \(limit 0\.01 MB\)",
        ),
        (
            {"max_uncompressed_mb": 0.05},
            FileStatus.UNREADABLE,
            r"refused: workbook expands to 0\.\d\d MB \(limit 0\.05 MB; possible zip bomb\)",
        ),
        (
            {"max_columns": 10},
            FileStatus.VALID,
            r"partly read: Tasks: only the first 10 columns of this sheet were read",
        ),
    ],
    ids=["file size", "expanded size", "columns"],
)
def test_limits_in_settings_give_their_reason(
    tmp_path: Path, limits: dict[str, float], status: FileStatus, reason: str
) -> None:
    path = make.good(tmp_path / "t.xlsx", "PRJ-0701")
    settings = Settings.model_validate({"limits": limits})
    _, report = read_and_check(path, settings, as_of=AS_OF)
    assert report.status is status
    assert re.fullmatch(reason, report.reason), report.reason


# --- defence in depth --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (make.laughs_in_sheet, f"sheet 'Sheet1': damaged sheet XML ({DTD_REASON})"),
        (make.xxe_in_sheet, f"sheet 'Sheet1': damaged sheet XML ({DTD_REASON})"),
        (make.xxe_in_workbook, DTD_REASON),
        (lambda p: make.dtd_in_part(p, "xl/_rels/workbook.xml.rels"), DTD_REASON),
        (
            make.laughs_in_shared_strings,
            "damaged or unsafe workbook XML (at 0..0: unrecognized entity `&lol9;`)",
        ),
    ],
    ids=["sheet", "sheet-xxe", "workbook", "relationships", "shared-strings"],
)
def test_with_the_first_check_blinded_the_parsers_still_refuse_entities(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, build: Callable[[Path], Path], reason: str
) -> None:
    path = build(tmp_path / "x.xlsx")
    monkeypatch.setattr(sniffing, "xml_part_reason", lambda zf, info, stored=None: None)
    _, report = read_and_check(path, Settings(), as_of=AS_OF)
    assert (report.status, report.reason) == (FileStatus.UNREADABLE, reason)


# --- a reader that hangs, crashes or runs out of memory -----------------------------------------


def _hang(path: str) -> None:
    time.sleep(120)


def _crash(path: str) -> None:
    faulthandler.disable()  # pytest's would print the stack of this deliberate crash
    os.abort()  # as a native parser dies


def _hog(path: str) -> None:
    hoard = [bytearray(64 * 1024 * 1024) for _ in range(64)]  # 4 GB, past any worker limit
    raise AssertionError(f"allocated {len(hoard)} blocks")


MISBEHAVIOURS: dict[str, tuple[Callable[[str], None], str]] = {
    "hangs": (
        _hang,
        "timed out after 1 s while reading this file: abandoned (too large or malformed?)",
    ),
    "crashes": (_crash, "worker crashed (SIGABRT) while reading this file"),
    "exhausts memory": (_hog, "ran out of memory while reading this file (too large?)"),
}


@pytest.mark.usefixtures("forked")
@pytest.mark.parametrize("misbehaviour", list(MISBEHAVIOURS))
def test_validate_isolates_a_reader_that_misbehaves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, misbehaviour: str
) -> None:
    paths = [make.good(tmp_path / f"{n}.xlsx", f"PRJ-080{i}") for i, n in enumerate("abcd")]
    action, reason = MISBEHAVIOURS[misbehaviour]
    real = validate.check_tracker

    def check(path: str | Path, *args: Any, **kwargs: Any) -> Any:
        if Path(path).name == "b.xlsx":
            action(str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(validate, "check_tracker", check)
    settings = Settings.model_validate({"limits": {"timeout_seconds": 1, "worker_memory_mb": 512}})
    report = check_files(paths, settings, as_of=AS_OF, jobs=2)
    assert [(Path(r.file).name, r.status, r.reason) for r in report.files] == [
        ("a.xlsx", FileStatus.VALID, ""),
        ("b.xlsx", FileStatus.UNREADABLE, reason),
        ("c.xlsx", FileStatus.VALID, ""),
        ("d.xlsx", FileStatus.VALID, ""),
    ]
    assert [f.rule for f in report.files[1].findings] == ["file.unreadable"]


def _explode(item: int) -> int:
    if item == 2:
        raise ValueError("first line\nsecond line")
    return item * 10


def test_an_unexpected_error_in_a_worker_is_one_line_and_the_rest_go_on() -> None:
    outcomes = sorted(run_isolated([1, 2, 3], _explode, jobs=2), key=lambda o: o.index)
    assert [o.value for o in outcomes] == [10, None, 30]
    assert outcomes[1].error.startswith("internal error ValueError: first line second line at ")
    assert "\n" not in outcomes[1].error


# --- annotation keeps formula results exactly ------------------------------------------------


def test_restoring_formula_results_keeps_each_cell_its_own(tmp_path: Path) -> None:
    # An empty styled cell before a text formula: the result must go back to B1 (and only
    # there), with its type, and the sheet stay well-formed XML.
    def book(path: Path, value: bytes) -> Path:
        blanks = b"".join(b'<c r="%s1" s="0"/>' % c for c in (b"C", b"D", b"E"))
        row = b'<row r="1"><c r="A1" s="0"/><c r="B1" t="str"><f>"a"&amp;"b"</f>%s</c>%s</row>'
        return make.minimal_book(path, make.sheet_xml(row % (value, blanks)))

    original = book(tmp_path / "original.xlsx", b"<v>ab</v>")
    saved = book(tmp_path / "saved.xlsx", b"<v />")
    assert restore(saved, original) == 1
    with zipfile.ZipFile(saved) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml")
    ElementTree.fromstring(xml)  # well-formed
    assert b'<c r="A1" s="0"/><c r="B1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>' in xml
