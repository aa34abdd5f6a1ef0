"""A re-run reads only the files that changed (issue 17): a file left alone since it was
hashed is known by its stamp, under this user's seal only; a file changed in any way,
or changed within seconds of being hashed, is hashed again, so a changed tracker is never
reported as it was (issue 1: nothing stale)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

import addin.core.digest as digest
from addin.app.consolidate import consolidate
from addin.core.seal import Seal
from addin.core.settings import Settings
from addin.engine import cache as cache_module
from addin.engine.cache import Key, ResultCache, file_key
from tests.builders import base_project, base_tracker, write, write_projects

MINE, THEIRS = Seal(b"m" * 32), Seal(b"t" * 32)
LIMIT = 1e9
AS_OF = dt.date(2026, 11, 20)


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file counts as left alone long enough before it is hashed."""
    monkeypatch.setattr(digest, "SETTLED_NS", 0)


def _hashed(path: Path) -> Key:
    key = file_key(path, LIMIT)
    assert key is not None
    return key


def _stored(tmp_path: Path, data: bytes, seal: Seal | None) -> tuple[Path, Path, Key]:
    """A file of ``data``, and a cache holding an entry for it (sealed with ``seal``)."""
    path, db = tmp_path / "a.xlsx", tmp_path / "c.sqlite"
    path.write_bytes(data)
    key = _hashed(path)
    cache = ResultCache(db, "f", seal=seal)
    cache.put_many([(key, {"v": 1}, b"rows")])
    cache.close()
    return path, db, key


def _unchanged(db: Path, path: Path, seal: Seal | None) -> tuple[Key, object] | None:
    cache = ResultCache(db, "f", seal=seal)
    try:
        return cache.unchanged(str(path), LIMIT)
    finally:
        cache.close()


def test_a_file_left_alone_is_taken_by_its_stamp_without_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settled: None
) -> None:
    path, db, key = _stored(tmp_path, b"x" * 100, MINE)
    assert key.stamp == digest.stamp(path.stat())

    def unread(*args: object) -> None:
        raise AssertionError("the file was read")

    cache = ResultCache(db, "f", seal=MINE)
    monkeypatch.setattr(os, "open", unread)
    monkeypatch.setattr(Path, "open", unread)
    found = cache.unchanged(str(path), LIMIT)
    monkeypatch.undo()
    cache.close()
    assert found is not None
    assert found[0] == key and found[1] == (found[1][0], b"rows", True)


def test_a_file_changed_in_place_with_its_time_put_back_is_hashed_again(
    tmp_path: Path, settled: None
) -> None:
    path, db, _key = _stored(tmp_path, b"x" * 100, MINE)
    before = path.stat()
    time.sleep(0.05)  # past the file system's clock tick
    path.write_bytes(b"y" * 100)  # the same size...
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # ...and modification time
    now = path.stat()
    assert (now.st_size, now.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert _unchanged(db, path, MINE) is None
    cache = ResultCache(db, "f", seal=MINE)
    assert cache.entry(_hashed(path)) is None  # its content changed: read again
    cache.close()


def test_a_file_saved_again_unchanged_is_hashed_and_still_a_hit(
    tmp_path: Path, settled: None
) -> None:
    """Excel saves a new file and renames it over the old one: a new stamp, the same bytes."""
    path, db, key = _stored(tmp_path, b"x" * 100, MINE)
    (tmp_path / "draft").write_bytes(path.read_bytes())
    (tmp_path / "draft").replace(path)
    assert _unchanged(db, path, MINE) is None
    again = _hashed(path)
    assert again.sha256 == key.sha256 and again.stamp != key.stamp
    cache = ResultCache(db, "f", seal=MINE)
    found = cache.entry(again)
    cache.close()
    assert found is not None and found[1:] == (b"rows", True)


def test_a_file_hashed_just_after_a_change_keeps_no_stamp(tmp_path: Path) -> None:
    """Changed again within the same clock tick, it would keep its stamp: it is hashed next
    time (the real settling time: the file was written a moment ago)."""
    path, db, key = _stored(tmp_path, b"x" * 100, MINE)
    assert key.stamp == ""
    assert _unchanged(db, path, MINE) is None
    cache = ResultCache(db, "f", seal=MINE)
    found = cache.entry(_hashed(path))
    cache.close()
    assert found is not None and found[2] is True


def test_a_stamp_is_trusted_under_this_user_s_seal_only(tmp_path: Path, settled: None) -> None:
    path, db, _key = _stored(tmp_path, b"x" * 100, MINE)
    assert _unchanged(db, path, MINE) is not None
    assert _unchanged(db, path, THEIRS) is None  # another user's key
    assert _unchanged(db, path, None) is None  # no key at all
    _stored(tmp_path, b"x" * 100, None)  # stored by a run without a key
    assert _unchanged(db, path, MINE) is None


def test_a_stamp_edited_to_fit_a_changed_file_is_not_trusted(tmp_path: Path, settled: None) -> None:
    path, db, _key = _stored(tmp_path, b"x" * 100, MINE)
    time.sleep(0.05)
    path.write_bytes(b"y" * 100)
    forged = digest.stamp(path.stat())
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE results SET stamp = ?", (forged,))
    conn.close()
    assert _unchanged(db, path, MINE) is None
    cache = ResultCache(db, "f", seal=MINE)
    assert cache.entry(_hashed(path)) is None
    cache.close()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX's")
def test_a_fifo_where_a_file_was_is_no_stamp_and_never_blocks(
    tmp_path: Path, settled: None
) -> None:
    path, db, _key = _stored(tmp_path, b"x" * 100, MINE)
    path.unlink()
    os.mkfifo(path)
    assert digest.stamp_of(path, LIMIT) is None
    assert _unchanged(db, path, MINE) is None
    assert digest.stamp_of(tmp_path / "gone.xlsx", LIMIT) is None
    big = tmp_path / "big.xlsx"
    big.write_bytes(b"x" * 10)
    assert digest.stamp_of(big, 9) is None and digest.stamp_of(big, 10) is not None


def test_a_re_run_hashes_only_the_files_that_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settled: None
) -> None:
    (tmp_path / "in").mkdir()
    folder = write_projects(tmp_path / "in", ["PRJ-0101", "PRJ-0102", "PRJ-0103"])
    db = tmp_path / "c.sqlite"

    def run(cache: Path | None) -> list[tuple[str | None, str | None, object]]:
        got = consolidate(sorted(folder.iterdir()), Settings(), as_of=AS_OF, jobs=1, cache=cache)
        return [(p.project_id, p.project_name, p.overall_rag) for p in got.projects]

    hashed: list[str] = []
    real = digest.digest_of

    def counted(path: Path, max_bytes: float) -> digest.Digest | None:
        hashed.append(Path(path).name)
        return real(path, max_bytes)

    monkeypatch.setattr(cache_module, "digest_of", counted)
    first = run(db)
    assert sorted(hashed) == ["p1.xlsx", "p2.xlsx", "p3.xlsx"]
    hashed.clear()
    assert run(db) == first and hashed == []  # nothing read again
    project = base_project(project_id="PRJ-0102", project_name="Renamed project")
    write(tmp_path / "draft.xlsx", base_tracker(project=project))
    shutil.copyfile(tmp_path / "draft.xlsx", folder / "p2.xlsx")  # in place: same inode
    changed = run(db)
    assert hashed == ["p2.xlsx"]
    assert changed == run(None) and changed != first
    assert ("PRJ-0102", "Renamed project") in [row[:2] for row in changed]
