"""A throwaway PostgreSQL cluster for the tests: Debian's server, started as a non-root user.

``initdb`` and ``pg_ctl`` come from ``/usr/lib/postgresql/<version>/bin`` (Debian's
``postgresql`` package, which ``.ci/run`` installs). PostgreSQL refuses to run as root,
so when the tests run as root the cluster belongs to the unprivileged ``postgres``
account the package creates (else ``nobody``) and its commands run through ``runuser``.
The cluster listens on 127.0.0.1 on a free port with trust authentication, lives in a
temporary folder, and is stopped and removed at the end of the session.

When the server is not installed the PostgreSQL tests are skipped, except where
``PMO_REQUIRE_POSTGRES=1`` (``.ci/run`` sets it): there a missing server is a failure.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

#: Set by .ci/run: a PostgreSQL server that is not there fails the tests, never skips them.
REQUIRE_ENV = "PMO_REQUIRE_POSTGRES"
SUPERUSER = "pmo_test"
_COUNTER = itertools.count(1)


def server_bin() -> Path | None:
    """The newest installed PostgreSQL server's bin folder (None: not installed)."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return found[-1].parent if found else None


def missing(reason: str) -> None:
    """Skip, or fail where the server is required (CI)."""
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"PostgreSQL is required here ({REQUIRE_ENV}=1): {reason}")
    pytest.skip(f"PostgreSQL server not available: {reason}")


def _owner() -> tuple[list[str], int, int]:
    """The command prefix to run as the cluster's owner, and its uid and gid."""
    if os.geteuid() != 0:
        return [], os.getuid(), os.getgid()
    runuser = shutil.which("runuser") or "/usr/sbin/runuser"
    setpriv = shutil.which("setpriv")
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            entry = pwd.getpwnam(name)
            if Path(runuser).exists():
                return [runuser, "-u", name, "--"], entry.pw_uid, entry.pw_gid
            if setpriv is not None:
                ids = [f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}", "--clear-groups"]
                return [setpriv, *ids], entry.pw_uid, entry.pw_gid
    raise RuntimeError("no unprivileged account (postgres, nobody) and no runuser/setpriv")


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """A running throwaway cluster."""

    def __init__(self, bin_dir: Path, *, durable: bool = False) -> None:
        """Initialise and start a cluster (``durable``: fsync on, as a real server; benchmarks)."""
        self.bin = bin_dir
        self.prefix, uid, gid = _owner()
        self.base = Path(tempfile.mkdtemp(prefix="pmo-pg-"))
        os.chown(self.base, uid, gid)
        self.data = self.base / "data"
        self.port = free_port()
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        fast = "" if durable else "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
        options = (
            f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 {fast}"
            "-c max_connections=60"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.base / "log"),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "start",
        )

    def _run(self, tool: str, *args: str) -> None:
        done = subprocess.run(
            [*self.prefix, str(self.bin / tool), *args],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=self.base,
        )
        if done.returncode != 0:
            log = self.base / "log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{tool} failed: {done.stderr.strip()} {tail}")

    def url(self, database: str = "postgres", *, password: str | None = None) -> str:
        """A SQLAlchemy URL of one database of the cluster."""
        auth = SUPERUSER if password is None else f"{SUPERUSER}:{password}"
        return f"postgresql+psycopg://{auth}@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        """Run one statement as the superuser, outside a transaction."""
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def new_database(self) -> str:
        """A fresh empty database's name."""
        name = f"pmo_t{os.getpid()}_{next(_COUNTER)}"
        self.admin(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        """Remove a database (its connections are ended)."""
        with contextlib.suppress(Exception):
            self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop the server and remove its files."""
        with contextlib.suppress(Exception):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.base, ignore_errors=True)


@contextlib.contextmanager
def cluster(*, durable: bool = False) -> Iterator[Cluster]:
    """A cluster for the session (skips, or fails under CI, when there is no server)."""
    bin_dir = server_bin()
    if bin_dir is None:
        missing("no /usr/lib/postgresql/*/bin/initdb (apt-get install postgresql)")
        raise AssertionError("unreachable")  # pragma: no cover
    try:
        import psycopg  # noqa: F401
    except ImportError:
        missing('psycopg is not installed (pip install -e ".[dev]")')
    running = Cluster(bin_dir, durable=durable)
    try:
        yield running
    finally:
        running.stop()
