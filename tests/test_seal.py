"""The user's key and the seal on what ``pmo`` keeps for itself (issue 17: a re-run that
need not check its own cache again; issue 10: a cache anyone else changed is checked)."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from addin.core.seal import KEY_NAME, Seal, _new_key, key_path, user_key
from addin.engine import cache as cache_module
from addin.engine.cache import Key, ResultCache
from tests.hostile.make import entry_crc

POSIX = os.name == "posix"


def test_the_key_is_made_once_and_readable_by_its_owner_only(tmp_path: Path) -> None:
    key = user_key(tmp_path)
    path = tmp_path / ".pmo" / KEY_NAME
    assert key is not None and len(key) == 32 and path.read_bytes() == key
    assert user_key(tmp_path) == key  # the same key on every run
    assert [p.name for p in path.parent.iterdir()] == [KEY_NAME]  # no draft left behind
    if POSIX:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_pmo_home_names_where_the_key_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PMO_HOME", str(tmp_path))
    assert key_path() == tmp_path / ".pmo" / KEY_NAME


def test_a_key_another_run_made_first_is_the_one_used(tmp_path: Path) -> None:
    first = user_key(tmp_path)
    assert first is not None
    assert _new_key(key_path(tmp_path)) == first  # lost the race: takes the winner's key


def _key_file(home: Path, data: bytes, mode: int = 0o600) -> Path:
    path = key_path(home)
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    path.chmod(mode)
    return path


@pytest.mark.skipif(not POSIX, reason="file modes and links are POSIX's")
def test_a_key_others_can_read_or_change_is_no_key(tmp_path: Path) -> None:
    _key_file(tmp_path / "a", b"k" * 32, 0o644)
    assert user_key(tmp_path / "a") is None
    _key_file(tmp_path / "b", b"k" * 32, 0o620)
    assert user_key(tmp_path / "b") is None
    real = _key_file(tmp_path / "c", b"k" * 32)
    (tmp_path / "d" / ".pmo").mkdir(parents=True)
    key_path(tmp_path / "d").symlink_to(real)
    assert user_key(tmp_path / "d") is None  # a link is never followed
    assert user_key(tmp_path / "c") == b"k" * 32


def test_a_key_of_another_size_or_no_place_for_one_is_no_key(tmp_path: Path) -> None:
    _key_file(tmp_path / "a", b"k" * 31)
    assert user_key(tmp_path / "a") is None
    (tmp_path / "file").write_bytes(b"")
    assert user_key(tmp_path / "file") is None  # its .pmo folder cannot be made
    assert Seal.mine(tmp_path / "file") is None


def test_a_seal_verifies_only_the_very_same_parts() -> None:
    seal = Seal(b"k" * 32)
    tag = seal.of(b"ab", b"cd")
    assert seal.verifies(tag, b"ab", b"cd")
    assert not seal.verifies(tag, b"ab", b"ce")
    assert not seal.verifies(tag, b"abc", b"d")  # the same bytes, cut elsewhere
    assert not seal.verifies(tag, b"ab", b"cd", b"")
    assert not Seal(b"j" * 32).verifies(tag, b"ab", b"cd")  # another user's key
    assert not seal.verifies(tag.hex(), b"ab", b"cd")
    assert not seal.verifies(None, b"ab", b"cd")


KEY = Key("a.xlsx", 1, 1, "0" * 64)


def _stored(path: Path, seal: Seal | None) -> None:
    cache = ResultCache(path, "f", seal=seal)
    cache.put_many([(KEY, {"v": 1}, b"rows")])
    cache.close()


def _entry(path: Path, seal: Seal | None) -> tuple[bytes, bytes | None, bool] | None:
    cache = ResultCache(path, "f", seal=seal)
    try:
        return cache.entry(KEY)
    finally:
        cache.close()


def _edit(path: Path, sql: str, *args: object) -> None:
    with sqlite3.connect(path) as db:
        db.execute(sql, args)
    db.close()


def _append_byte(path: Path, column: str, *, crc: bool = True) -> None:
    """A byte added to the entry's ``column`` by someone who knows the format (its CRC made
    to match), or with ``crc=False`` as damage would add it."""
    with sqlite3.connect(path) as db:
        (value,) = db.execute(f"SELECT {column} FROM results").fetchone()
        db.execute(f"UPDATE results SET {column} = ?", (value + b"\x00",))
        if crc:
            blob, kept = db.execute("SELECT payload, prepared FROM results").fetchone()
            db.execute("UPDATE results SET crc = ?", (entry_crc(blob, kept),))
    db.close()


def test_an_entry_is_sealed_only_as_its_user_wrote_it(tmp_path: Path) -> None:
    mine, theirs = Seal(b"m" * 32), Seal(b"t" * 32)
    path = tmp_path / "c.sqlite"
    _stored(path, mine)
    found = _entry(path, mine)
    assert found is not None and found[1] == b"rows" and found[2] is True
    assert _entry(path, theirs) == (found[0], b"rows", False)  # another user checks it
    assert _entry(path, None) == (found[0], b"rows", False)  # no key: checked

    _append_byte(path, "payload")
    changed = _entry(path, mine)
    assert changed is not None and changed[1:] == (None, False)

    _stored(path, mine)
    _append_byte(path, "prepared")
    assert _entry(path, mine) == (found[0], b"rows\x00", False)  # rows changed: checked

    _stored(path, mine)
    _edit(path, "UPDATE results SET seal = ?", theirs.of(b"anything"))
    assert _entry(path, mine) == (found[0], b"rows", False)


@pytest.mark.parametrize("column", ["payload", "prepared"])
@pytest.mark.parametrize("key", ["mine", "theirs", "none"])
def test_an_entry_damaged_without_its_crc_is_no_entry(
    tmp_path: Path, column: str, key: str
) -> None:
    seals = {"mine": Seal(b"m" * 32), "theirs": Seal(b"t" * 32), "none": None}
    path = tmp_path / "c.sqlite"
    _stored(path, Seal(b"m" * 32))
    assert _entry(path, seals[key]) is not None
    _append_byte(path, column, crc=False)
    assert _entry(path, seals[key]) is None


def test_a_seal_moved_to_another_file_s_entry_does_not_fit_it(tmp_path: Path) -> None:
    mine, path = Seal(b"m" * 32), tmp_path / "c.sqlite"
    other = Key("b.xlsx", 1, 1, "0" * 64)
    cache = ResultCache(path, "f", seal=mine)
    cache.put_many([(KEY, {"v": 1}, b"rows"), (other, {"v": 1}, b"rows")])
    assert cache.entry(other) is not None and cache.entry(other)[2] is True  # type: ignore[index]
    cache.close()
    _edit(path, "UPDATE results SET seal = (SELECT seal FROM results WHERE path = ?) "
          "WHERE path = ?", KEY.path, other.path)  # fmt: skip
    cache = ResultCache(path, "f", seal=mine)
    moved = cache.entry(other)
    cache.close()
    assert moved is not None and moved[2] is False


def test_an_entry_stored_without_a_key_is_never_sealed(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    _stored(path, None)
    found = _entry(path, Seal(b"m" * 32))
    assert found is not None and found[2] is False


def test_a_sealed_entry_s_rows_are_not_digested_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The seal covers the result and the rows tied to it: only an entry that is not sealed
    has the tie between them checked by its digest (a re-run reads hundreds of sealed ones)."""
    mine, path = Seal(b"m" * 32), tmp_path / "c.sqlite"
    _stored(path, mine)
    digests: list[bytes] = []
    real = cache_module._link

    def counted(blob: bytes) -> bytes:
        digests.append(blob)
        return real(blob)

    monkeypatch.setattr(cache_module, "_link", counted)
    sealed = _entry(path, mine)
    assert sealed is not None and sealed[1:] == (b"rows", True) and digests == []
    checked = _entry(path, Seal(b"t" * 32))
    assert checked is not None and checked[1:] == (b"rows", False) and len(digests) == 1
