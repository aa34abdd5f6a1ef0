"""Open the history database: connect, lock, migrate, and say in one line what went wrong.

Writes take a lock for their whole transaction, so two runs at once both complete, one
after the other, and a snapshot appears whole or not at all: SQLite starts a write with
``BEGIN IMMEDIATE`` (and waits up to ``lock_timeout_seconds`` for another writer), in WAL
mode so readers never wait; PostgreSQL takes a transaction-level advisory lock. A
``kill -9`` mid-write leaves an uncommitted transaction, which both engines roll back.

The SQLite file is treated as untrusted input: ``trusted_schema`` is off, and a file
holding triggers (we make none) is refused, so no SQL hidden in the file runs when we
write; every value read back goes through :mod:`addin.history.types`.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

import addin.history.migrate as migrate
from addin.core.errors import os_reason
from addin.core.words import one_line
from addin.history.errors import HistoryError
from addin.history.url import HistoryUrl

#: The advisory lock every writer to a PostgreSQL history takes ("PMOH").
PG_LOCK = 0x504D4F48
#: Seconds to wait for a PostgreSQL server to answer before calling it unreachable.
CONNECT_TIMEOUT = 10
_SQLITE_MAGIC = b"SQLite format 3\x00"
_WRITE = "pmo_write"


#: SQLite's words for a database file whose pages are damaged (a disk, a copy cut short);
#: a file that is not SQLite at all is refused before it is opened (:func:`check_file`).
_DAMAGED = frozenset({"database disk image is malformed", "file is not a database"})


def reason(exc: BaseException, url: HistoryUrl) -> str:
    """The driver's own words for a failure, on one line, without secrets."""
    orig = getattr(exc, "orig", None)
    source = orig if isinstance(orig, BaseException) else exc
    words = one_line(str(source).strip()) or type(source).__name__
    words = words.split(" (Background on this error at:")[0]
    words = words.split("[SQL:")[0].strip()
    if isinstance(source, sqlite3.DatabaseError) and words in _DAMAGED:
        return f"the database file is damaged (SQLite: {words}): restore it from a backup"
    if isinstance(source, sqlite3.OperationalError) and words in _NO_ROOM and _full(url):
        return (
            f"its disk is full (SQLite: {words}): free some space there (SQLite needs room "
            "beside the database, even to read it)"
        )
    return url.scrub(words[:400])


#: SQLite's words where it could not write: beside a database it only reads too (its
#: shared-memory and write-ahead files), so a full disk fails a read with them.
_NO_ROOM = frozenset({"database or disk is full", "disk I/O error"})


def _full(url: HistoryUrl) -> bool:
    """Whether the disk holding a SQLite history has no room left (under 64 KB)."""
    if url.path is None:
        return False
    try:
        return shutil.disk_usage(url.path.parent).free < 64 * 1024
    except OSError:
        return False


@contextmanager
def guarded(url: HistoryUrl, what: str = "") -> Iterator[None]:
    """Turn any database failure into one :class:`HistoryError` line naming the database."""
    try:
        yield
    except HistoryError as exc:
        if exc.located:
            raise
        raise HistoryError(f"{what}{url.shown}: {exc}", located=True) from None
    except (SQLAlchemyError, sqlite3.Error, OSError, ValueError, TypeError) as exc:
        raise HistoryError(f"{what}{url.shown}: {reason(exc, url)}", located=True) from None
    except Exception as exc:  # the driver's own errors, where we talk to it directly (COPY)
        if not type(exc).__module__.startswith("psycopg"):
            raise
        raise HistoryError(f"{what}{url.shown}: {reason(exc, url)}", located=True) from None


def check_file(url: HistoryUrl, create: bool) -> None:
    """Refuse a SQLite path that is missing (unless ``create``), not a file, or not SQLite."""
    path = url.path
    if path is None:
        return
    if not path.exists():
        if not create:
            raise HistoryError("no history database here (consolidate first, or give --history)")
        if not path.parent.is_dir():
            raise HistoryError("its folder does not exist")
        return
    if not path.is_file():
        raise HistoryError("is not a regular file")
    try:
        with path.open("rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise HistoryError(f"cannot be read ({os_reason(exc)})") from None
    if head and head != _SQLITE_MAGIC:
        raise HistoryError("is not a SQLite database (refusing to write into it)")


def _sqlite_engine(url: HistoryUrl, timeout: float) -> Engine:
    engine = create_engine(
        url.url,
        connect_args={"timeout": timeout, "check_same_thread": False},
        poolclass=NullPool,
    )

    @event.listens_for(engine, "connect")
    def _connect(dbapi: Any, _record: Any) -> None:
        dbapi.isolation_level = None  # we issue BEGIN ourselves (below)
        cursor = dbapi.cursor()
        cursor.execute("PRAGMA trusted_schema = OFF")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        write = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _postgres_engine(url: HistoryUrl) -> Engine:
    try:
        import psycopg  # noqa: F401  (the driver the URL names)
    except ImportError:
        raise HistoryError(
            'PostgreSQL support is not installed: pip install "pmo-addin[postgres]"'
        ) from None
    return create_engine(
        url.url,
        connect_args={"connect_timeout": CONNECT_TIMEOUT, "application_name": "pmo"},
        poolclass=NullPool,
    )


class Store:
    """An open history database (see :func:`open_store`)."""

    def __init__(self, url: HistoryUrl, engine: Engine, timeout: float) -> None:
        self.url = url
        self.engine = engine
        self.timeout = timeout

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read transaction (never waits for a writer in SQLite's WAL mode)."""
        with guarded(self.url), self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A write transaction holding the store's lock: all of it is stored, or none."""
        with guarded(self.url), self.engine.connect() as base:
            conn = base.execution_options(**{_WRITE: True})
            with conn.begin():
                if self.dialect == "postgresql":
                    conn.execute(text(f"SET LOCAL lock_timeout = '{int(self.timeout * 1000)}ms'"))
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK})
                if self.dialect == "sqlite":
                    refuse_triggers(conn)
                yield conn

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()


def refuse_triggers(conn: Connection) -> None:
    """A SQLite history holds no triggers (we make none): one that does is refused.

    Raises:
        HistoryError: the file holds a trigger (SQL someone added by hand).
    """
    names = [
        str(r[0])
        for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    ]
    if names:
        raise HistoryError(
            f"holds a trigger ({names[0]!r}) that pmo did not make: refusing to write to a "
            "database someone added SQL to"
        )


def _wal(store: Store) -> None:
    """Put a SQLite history in WAL mode (readers never wait for a writer); once, at creation."""
    raw = store.engine.raw_connection()  # outside any transaction, as the pragma wants
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()
    finally:
        raw.close()


def open_store(url: HistoryUrl, *, create: bool = True, timeout: float = 30.0) -> Store:
    """Open a history database, making it (``create``) or upgrading its schema on first use.

    Args:
        url: Where it is (see :func:`addin.history.url.parse_url`).
        create: Make the database when it does not exist (False: a missing SQLite file is
            an error; reading commands never leave an empty file behind).
        timeout: Seconds to wait for another run's write (the lock).

    Raises:
        HistoryError: unreachable, not ours, at a newer schema, locked, read-only ...
            (one line naming the database, without its password).
    """
    with guarded(url):
        check_file(url, create)
        engine = _sqlite_engine(url, timeout) if url.is_sqlite else _postgres_engine(url)
        store = Store(url, engine, timeout)
        try:
            with store.reading() as conn:
                revision = migrate.check_known(conn)
            if revision != migrate.head():
                if store.dialect == "sqlite":
                    _wal(store)
                with store.writing() as conn:
                    migrate.upgrade(conn)
        except BaseException:
            store.close()
            raise
    return store
