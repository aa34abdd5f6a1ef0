"""An SQLite cache of per-file results, so a weekly re-run re-reads only what changed.

An entry is keyed by the file's path and is valid while the file's size and
SHA-256 content hash, the engine version and the settings fingerprint are
unchanged (a touched but unchanged file is still a hit). A corrupt or
incompatible cache is deleted and rebuilt silently: the cache can cost time,
never correctness. Entries are unpickled with a restricted unpickler that only
builds the engine's own result types, so a tampered cache file cannot run code.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import pickle
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from addin import __version__

#: Bump when the cached payload's shape changes.
CACHE_SCHEMA = 4

_ALLOWED_BUILTINS = {
    "set",
    "frozenset",
    "list",
    "dict",
    "tuple",
    "bytes",
    "bytearray",
    "str",
    "int",
    "float",
}

#: The engine's result types a cached payload may hold; nothing else is ever constructed
#: (a class that touches files, such as a cache or a workbook, must not be reachable).
_ALLOWED_ENGINE = {
    ("addin.engine.pipeline", "TrackerResult"),
    ("addin.core.tracker", "Table"),
    ("addin.core.kinds.project", "Project"),
    ("addin.core.findings", "FileStatus"),
    ("addin.core.findings", "Finding"),
    ("addin.core.findings", "Severity"),
    ("addin.core.findings", "TableInfo"),
    ("addin.core.domain", "Rag"),
    ("addin.core.rule_ids", "RuleId"),
    ("addin.rag.dimensions", "Dimension"),
    ("addin.rag.assess", "Dimensions"),
    ("addin.rag.dimensions", "Metrics"),
}


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module == "builtins" and name in _ALLOWED_BUILTINS:
            return super().find_class(module, name)
        if module == "datetime" and name in ("date", "datetime", "time", "timedelta"):
            return super().find_class(module, name)
        if (module, name) in _ALLOWED_ENGINE:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing to load {module}.{name} from the cache")


def loads(blob: bytes) -> Any:
    """Unpickle a cache payload, allowing only engine result types."""
    return _SafeUnpickler(io.BytesIO(blob)).load()


def dumps(value: Any) -> bytes:
    """Pickle a cache payload."""
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def file_digest(path: Path) -> tuple[int, int, str]:
    """Return (size, mtime in ns, SHA-256 hex) of a file."""
    st = path.stat()
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return st.st_size, st.st_mtime_ns, h.hexdigest()


@dataclass(frozen=True)
class Key:
    """What identifies one file's cached result."""

    path: str
    size: int
    mtime_ns: int
    sha256: str


class ResultCache:
    """Per-file results in an SQLite file; every failure degrades to a miss."""

    def __init__(self, path: Path, fingerprint: str) -> None:
        """Open (or create) the cache at ``path`` for results made under ``fingerprint``."""
        self.path = path
        self.fingerprint = f"{__version__}/{CACHE_SCHEMA}/{fingerprint}"
        self._db: sqlite3.Connection | None = None
        self.hits = 0
        self.misses = 0
        self._open()

    def _open(self) -> None:
        try:
            self._db = self._connect()
        except sqlite3.DatabaseError:
            self._reset()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.execute("PRAGMA journal_mode=DELETE")
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute(
            "CREATE TABLE IF NOT EXISTS results (path TEXT PRIMARY KEY, size INTEGER, "
            "mtime_ns INTEGER, sha256 TEXT, fingerprint TEXT, payload BLOB, stored TEXT)"
        )
        row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if row is None:
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
        with contextlib.suppress(OSError):
            self.path.unlink()
        try:
            self._db = self._connect()
        except sqlite3.DatabaseError:
            self._db = None  # unusable location: run without a cache

    def get(self, key: Key) -> Any | None:
        """Return the cached result for ``key``, or None on a miss (or any cache problem)."""
        if self._db is None:
            self.misses += 1
            return None
        try:
            row = self._db.execute(
                "SELECT size, sha256, fingerprint, payload FROM results WHERE path = ?", (key.path,)
            ).fetchone()
        except sqlite3.DatabaseError:
            self._reset()
            self.misses += 1
            return None
        if row is None or row[0] != key.size or row[1] != key.sha256 or row[2] != self.fingerprint:
            self.misses += 1
            return None
        try:
            value = loads(row[3])
        except Exception:
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put_many(self, entries: Iterable[tuple[Key, Any]]) -> None:
        """Store results in one transaction; a failure leaves the cache as it was."""
        if self._db is None:
            return
        stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        rows = [
            (k.path, k.size, k.mtime_ns, k.sha256, self.fingerprint, dumps(v), stamp)
            for k, v in entries
        ]
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?, ?)", rows
                )
        except sqlite3.DatabaseError:
            self._reset()

    def close(self) -> None:
        """Close the database."""
        if self._db is not None:
            with contextlib.suppress(Exception):
                self._db.close()
            self._db = None
