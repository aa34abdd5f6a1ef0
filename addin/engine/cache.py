"""An SQLite cache of per-file results, so a weekly re-run re-reads only what changed.

An entry is keyed by the file's path and is valid while the file's size and
SHA-256 content hash, the engine version and the settings fingerprint are
unchanged (a touched but unchanged file is still a hit). Only regular files within
``limits.max_file_mb`` are hashed (a FIFO would block, ``/dev/zero`` never ends); the
others are never cached, and the reader says why.

The cache file must be ours: a path that holds anything else (a tracker, another
program's SQLite database, a link to either) is refused with a one-line
:class:`~addin.core.errors.UnsafePathError` before anything is read, and never written,
never deleted (:mod:`addin.engine.cache_file`). A damaged cache of ours is deleted and
rebuilt silently: the cache can cost time, never correctness. One that cannot be written
(a full disk, a lock another run holds) is kept as it is, for the next run.

An entry holds a worker's typed result (:class:`~addin.engine.pipeline.TrackerResult`),
pickled, its tables' columns packed as the worker sends them to the run
(:mod:`addin.engine.packed`), and beside it, opaque, what an output prepared from it
(the portfolio's rows, rendered: see :mod:`addin.outputs.portfolio.block_store`), tied
to that very result by a digest of its bytes: rows whose result was changed are never
used. Results are unpickled with a restricted unpickler that only builds the engine's
own result types (:mod:`addin.engine.cache_payload`), so a tampered cache file cannot
run code, and every loaded entry is checked field by field
(:func:`addin.engine.cached_result.checked_result`) before it is used: one that does
not conform is a miss. The prepared bytes are never unpickled; the
output that made them checks them before use (rendered rows must be plain values and
text, nothing else).

Each entry keeps the CRC-32 of its bytes: one damaged by accident (a disk, a copy cut
short) is a miss even where its fields would pass those checks, so a changed name or
amount never reaches a portfolio. The checks are for bytes someone else may have
written. Each entry is sealed as it is stored, with a key only this user can read
(:mod:`addin.core.seal`): the seal covers the file's path, size, hash and stamp, the
settings, the result's bytes and the prepared ones. An entry whose seal verifies was
written by this user's ``pmo`` and not changed since, and is used without the checks
or its CRC (it still unpickles only the engine's types); any other (another user's, an
older one, one changed by hand) is checked as above. The entry's fingerprint includes
the fields of the result types, so an entry made by code with other fields is a miss,
sealed or not.

A file is not even read when its sealed entry keeps the file's stamp as it was hashed
(device, inode, size, modification and change times: :mod:`addin.core.digest`) and the
file's stamp now is the same (:meth:`ResultCache.unchanged`): a re-run over a shared
folder reads the files that changed, not every file. Any other file is hashed as above:
one changed or touched, one changed within seconds of being hashed (it kept no stamp),
one whose entry is not sealed by this user (a stamp is trusted only under the seal).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import sqlite3
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import addin
from addin.core.digest import digest_of, stamp_of
from addin.core.errors import UnsafePathError
from addin.core.seal import Seal
from addin.core.words import printable
from addin.engine.cache_file import APPLICATION_ID, check_cache_path
from addin.engine.cache_payload import dumps, shape

#: Bump when the cached payload's shape or meaning changes (9: findings stored sorted;
#: 10: each entry keeps the stamp of the file it was hashed from, under its seal;
#: 11: a finding is a named tuple; 12: each entry keeps the CRC-32 of its bytes).
CACHE_SCHEMA = 12
#: Bytes of the digest that ties an entry's prepared bytes to its result's bytes.
_LINK = 16
#: What :meth:`ResultCache.entry` gives: the result's bytes, what was prepared from them
#: (or None), and whether the entry is sealed by this user (:mod:`addin.core.seal`).
Entry = tuple[bytes, bytes | None, bool]


def _crc(blob: bytes, kept: bytes | None) -> int:
    """The CRC-32 of an entry's bytes as stored: what finds an entry damaged by accident."""
    return zlib.crc32(kept or b"", zlib.crc32(blob))


def _link(blob: bytes) -> bytes:
    """What ties prepared bytes to the result bytes they were made from."""
    return hashlib.sha256(blob).digest()[:_LINK]


def file_key(path: Path, max_bytes: float) -> Key | None:
    """The cache key of a file, or None when it must not be read here.

    Only a regular file (after following links) of at most ``max_bytes`` is hashed
    (:func:`~addin.core.digest.digest_of`): a file swapped for a FIFO between two looks
    cannot block the run. A file that is refused here is read by a worker, which gives the
    reason (and is bounded in time).
    """
    found = digest_of(path, max_bytes)
    if found is None:
        return None
    return Key(printable(str(path)), found.size, found.mtime_ns, found.sha256, found.stamp)


@dataclass(frozen=True)
class Key:
    """What identifies one file's cached result."""

    path: str
    size: int
    mtime_ns: int
    sha256: str
    #: The file's stamp as it was hashed (:func:`~addin.core.digest.stamp`), or "".
    stamp: str = ""


class ResultCache:
    """Per-file results in an SQLite file; every failure degrades to a miss."""

    def __init__(self, path: Path, fingerprint: str, seal: Seal | None = None) -> None:
        """Open (or create) the cache at ``path`` for results made under ``fingerprint``.

        With a ``seal``, entries are sealed as they are stored, and an entry whose seal
        verifies is given back as sealed: written by this user and not changed since.

        Raises:
            UnsafePathError: ``path`` is not ours to write (see :func:`check_cache_path`).
        """
        check_cache_path(path)
        self.path = path
        self.fingerprint = f"{addin.__version__}/{CACHE_SCHEMA}/{shape()}/{fingerprint}"
        self._seal = seal
        self._db: sqlite3.Connection | None = None
        #: Why the cache was left unused for the rest of this run (kept as it was), or "".
        self.unsaved = ""
        #: Results stored by this object (:meth:`put_many`).
        self.stored = 0
        self._open()

    def _open(self) -> None:
        try:
            self._db = self._connect()
        except sqlite3.DatabaseError as exc:
            self._failed(exc)

    def _failed(self, exc: sqlite3.DatabaseError) -> None:
        """Rebuild a damaged file; keep one not to blame, unused for the rest of this run.

        Not to blame: a full disk, a lock another run holds (SQLite's operational errors).
        """
        if isinstance(exc, sqlite3.OperationalError):
            self.close()
            self.unsaved = self.unsaved or str(exc)
        else:
            self._reset()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.execute("PRAGMA journal_mode=DELETE")
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute(
            "CREATE TABLE IF NOT EXISTS results (path TEXT PRIMARY KEY, size INTEGER, "
            "mtime_ns INTEGER, sha256 TEXT, fingerprint TEXT, payload BLOB, stored TEXT, "
            "prepared BLOB, seal BLOB, stamp TEXT, crc INTEGER)"
        )
        row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if row is None:
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(CACHE_SCHEMA),))
            db.commit()
        elif row[0] != str(CACHE_SCHEMA):
            db.close()
            raise sqlite3.DatabaseError("cache schema changed")
        db.execute("SELECT count(*) FROM results").fetchone()
        return db

    def _reset(self) -> None:
        with contextlib.suppress(Exception):
            if self._db is not None:
                self._db.close()
        self._db = None
        try:  # only ever delete a cache of ours, and never through a link
            check_cache_path(self.path)
        except UnsafePathError:
            return  # run on without a cache
        with contextlib.suppress(OSError):
            self.path.unlink()
        try:
            self._db = self._connect()
        except sqlite3.DatabaseError:
            self._db = None  # unusable location: run without a cache

    def entry(self, key: Key) -> Entry | None:
        """The stored bytes of the entry for ``key``, unopened, or None (no such entry).

        Returns:
            The result's bytes (load them with :func:`loads` - a worker does, bounded in
            time and memory - and check what they hold before use, unless sealed), what
            was prepared from that result when it is still tied to these very bytes (else
            None), and whether the entry's seal verifies (then both were written by this
            user's ``pmo`` for this file and setting, and nothing in them was changed).
        """
        row = self._row(key.path)
        if row is None or row[0] != key.size or row[2] != key.sha256:
            return None
        return self._opened(row)

    def lookup(self, path: str, max_bytes: float) -> tuple[Key | None, Entry | None]:
        """A file's cache key and its entry (None: no entry), reading the file only if need be.

        Its stored row is read once: a file that is :meth:`unchanged` by its stamp is not
        opened; any other is hashed (:func:`file_key`) and its entry is the row when that
        row holds this content (see :meth:`entry`). The key is None for a file that must not
        be read here (not a regular file within ``max_bytes``): a worker reads it.
        """
        row = self._row(printable(path))
        found = self._by_stamp(row, path, max_bytes)
        if found is not None:
            return found
        key = file_key(Path(path), max_bytes)
        if key is None:
            return None, None
        if row is None or row[0] != key.size or row[2] != key.sha256:
            return key, None
        return key, self._opened(row)

    def unchanged(self, path: str, max_bytes: float) -> tuple[Key, Entry] | None:
        """The sealed entry of a file that is, by its stamp, the very file it was made from.

        A re-run reads no byte of a file left alone since it was hashed: its stamp now
        (:func:`~addin.core.digest.stamp_of`) is the one its entry keeps, under this
        user's seal. None - hash the file and look it up with :meth:`entry` - for
        anything else: no seal, no stamp kept, a file stamped otherwise, a file that is
        not a regular one within ``max_bytes``, an entry that is not sealed.
        """
        return self._by_stamp(self._row(printable(path)), path, max_bytes)

    def _by_stamp(
        self, row: tuple[Any, ...] | None, path: str, max_bytes: float
    ) -> tuple[Key, Entry] | None:
        """:meth:`unchanged`, given the row stored for ``path``."""
        if self._seal is None or row is None or not row[3]:
            return None
        if row[3] != stamp_of(path, max_bytes):
            return None
        found = self._opened(row)
        if found is None or not found[2]:
            return None
        return Key(row[7], row[0], row[1], row[2], row[3]), found

    def sealed_times(self) -> dict[str, tuple[int, int]]:
        """Each sealed entry's file size and modification time, by path (no entry's bytes)."""
        if self._db is None or self._seal is None:
            return {}
        try:
            rows = self._db.execute(
                "SELECT path, size, mtime_ns FROM results "
                "WHERE fingerprint = ? AND seal IS NOT NULL",
                (self.fingerprint,),
            ).fetchall()
        except sqlite3.DatabaseError:
            return {}
        return {path: (size, mtime_ns) for path, size, mtime_ns in rows}

    def _row(self, path: str) -> tuple[Any, ...] | None:
        """What is stored for ``path`` under this run's settings, or None."""
        if self._db is None:
            return None
        try:
            row: tuple[Any, ...] | None = self._db.execute(
                "SELECT size, mtime_ns, sha256, stamp, payload, prepared, seal, path, crc "
                "FROM results WHERE path = ? AND fingerprint = ?",
                (path, self.fingerprint),
            ).fetchone()
        except sqlite3.DatabaseError as exc:
            self._failed(exc)
            return None
        return row

    def _opened(self, row: tuple[Any, ...]) -> Entry | None:
        """A stored row as an :data:`Entry`, its seal verified."""
        size, mtime_ns, sha256, stamp, blob, prepared, tag, path, crc = row
        if not isinstance(blob, bytes):
            return None
        if not isinstance(prepared, bytes):
            prepared = None
        stored = Key(path, size, mtime_ns, sha256, stamp or "")
        sealed = self._seal is not None and self._seal.verifies(
            tag, *self._sealed_parts(stored, blob, prepared)
        )
        if not sealed and crc != _crc(blob, prepared):
            return None  # damaged (a disk, a copy): a miss, never wrong values in a portfolio
        # A sealed entry's prepared bytes are tied to its result as put_many tied them (the
        # seal covers both); any other's are tied only when their digest says so.
        if not sealed and prepared is not None and prepared[:_LINK] != _link(blob):
            prepared = None
        return blob, None if prepared is None else prepared[_LINK:], sealed

    def _sealed_parts(self, key: Key, blob: bytes, kept: bytes | None) -> tuple[bytes, ...]:
        """What an entry's seal covers: the file it is of, the settings, and all it holds."""
        head = f"{key.path}\0{key.size}\0{key.sha256}\0{key.stamp}\0{self.fingerprint}".encode()
        return head, blob, b"" if kept is None else kept

    def put_many(self, entries: Iterable[tuple[Key, Any, bytes | None]]) -> None:
        """Store results, each with what was prepared from it (or None), in one transaction.

        A failure leaves the cache as it was (see :meth:`_failed`).
        """
        if self._db is None:
            return
        stored = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        rows = []
        for k, v, prepared in entries:
            blob = dumps(v)
            kept = None if prepared is None else _link(blob) + prepared
            parts = self._sealed_parts(k, blob, kept)
            seal = None if self._seal is None else self._seal.of(*parts)
            fields = (k.path, k.size, k.mtime_ns, k.sha256, self.fingerprint, blob, stored)
            rows.append((*fields, kept, seal, k.stamp, _crc(blob, kept)))
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
                )
        except sqlite3.DatabaseError as exc:
            self._failed(exc)
        else:
            self.stored += len(rows)

    def close(self) -> None:
        """Close the database."""
        if self._db is not None:
            with contextlib.suppress(Exception):
                self._db.close()
            self._db = None
