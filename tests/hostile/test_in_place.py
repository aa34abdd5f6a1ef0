"""In-place annotation and atomic replacement keep the original: backups, modes, owners, links."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path
from types import SimpleNamespace

import pytest

from addin.core.errors import OutputError
from addin.outputs.annotate import annotate_file
from addin.outputs.atomic import atomic_path
from tests.builders import base_tracker, write
from tests.hostile.run import no_traceback, pmo

AS_OF = ("--as-of", "2026-11-16")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _backups(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.bak.xls*"))


# --- case 3: the backup can lose the original ---------------------------------------------------


def test_the_same_file_named_twice_is_annotated_once(tmp_path: Path) -> None:
    path = write(tmp_path / "t.xlsx", base_tracker())
    before = path.read_bytes()
    link = tmp_path / "link.xlsx"
    link.symlink_to(path)
    result = pmo("validate", path, str(path.resolve()), link, "--annotate", "--in-place", *AS_OF)
    no_traceback(result)
    assert result.stderr.decode().count("annotated: ") == 1
    assert [b.read_bytes() == before for b in _backups(tmp_path)] == [True]


def test_a_second_backup_in_the_same_second_never_replaces_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    frozen = dt.datetime(2026, 11, 25, 9, 30, 0)
    clock = SimpleNamespace(datetime=SimpleNamespace(now=lambda: frozen))
    monkeypatch.setattr("addin.outputs.backup.dt", clock)
    path = write(tmp_path / "plan.xlsx", base_tracker())
    original = path.read_bytes()
    annotate_file(path, [], in_place=True)
    once = path.read_bytes()
    annotate_file(path, [], in_place=True)
    assert [b.name for b in _backups(tmp_path)] == [
        "plan.20261125-093000-2.bak.xlsx",
        "plan.20261125-093000.bak.xlsx",
    ]
    assert (tmp_path / "plan.20261125-093000.bak.xlsx").read_bytes() == original
    assert (tmp_path / "plan.20261125-093000-2.bak.xlsx").read_bytes() == once


# --- case 7: permissions widen ------------------------------------------------------------------


def test_in_place_keeps_the_trackers_mode_and_the_backup_has_it_too(tmp_path: Path) -> None:
    path = write(tmp_path / "plan.xlsx", base_tracker())
    path.chmod(0o600)
    annotate_file(path, [], in_place=True)
    assert _mode(path) == 0o600
    assert [_mode(b) for b in _backups(tmp_path)] == [0o600]


def test_an_output_replaced_atomically_keeps_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "portfolio.json"
    out.write_text("old")
    out.chmod(0o640)
    with atomic_path(out) as tmp:
        tmp.write_text("new")
    assert out.read_text() == "new" and _mode(out) == 0o640


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_an_output_replaced_atomically_keeps_its_owner(tmp_path: Path) -> None:
    out = tmp_path / "portfolio.json"
    out.write_text("old")
    os.chown(out, 4321, 4321)
    with atomic_path(out) as tmp:
        tmp.write_text("new")
    assert (out.stat().st_uid, out.stat().st_gid) == (4321, 4321)


# --- case 8: annotating through a symlink -------------------------------------------------------


def test_in_place_through_a_link_annotates_the_real_file_and_keeps_the_link(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    real = write(tmp_path / "real" / "plan.xlsx", base_tracker())
    before = real.read_bytes()
    link = tmp_path / "plan.xlsx"
    link.symlink_to(real)
    annotate_file(link, [], in_place=True)
    assert link.is_symlink() and link.resolve() == real
    assert real.read_bytes() != before
    assert [b.read_bytes() for b in _backups(real.parent)] == [before]
    assert _backups(tmp_path) == []


def test_an_output_that_is_a_link_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "shared" / "portfolio.json"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "portfolio.json"
    link.symlink_to(real)
    with atomic_path(link) as tmp:
        tmp.write_text("new")
    assert link.is_symlink() and real.read_text() == "new"


def test_an_output_linked_to_a_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "out.json"
    link.symlink_to("/dev/null")
    with pytest.raises(OutputError, match="not a regular file"), atomic_path(link) as tmp:
        tmp.write_text("new")
    assert link.is_symlink() and os.readlink(link) == "/dev/null"
