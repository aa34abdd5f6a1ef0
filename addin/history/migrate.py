"""The schema's versions: Alembic migrations shipped in the package, run from code.

:func:`upgrade` brings a database to the newest schema this package knows, inside the
caller's transaction (which holds the store's write lock), so two runs that open a new
database at once do not both create it. A database at a version this package does not
know (made by a newer pmo) is refused, never "repaired"; nothing is ever dropped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

import addin.history.schema as schema
from addin.history.errors import HistoryError

#: Where the migrations live (``versions/v0001_initial.py`` ...).
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: Alembic's own table: the revision a database is at.
VERSION_TABLE = "alembic_version"


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def scripts() -> ScriptDirectory:
    """The migrations this package ships."""
    return ScriptDirectory.from_config(_config())


def head() -> str:
    """The newest schema revision this package knows."""
    found = scripts().get_current_head()
    if found is None:  # pragma: no cover - the package always ships its migrations
        raise HistoryError("the history schema migrations are missing from this install")
    return found


def current(conn: Connection) -> str | None:
    """The revision the database is at (None: no schema yet)."""
    return MigrationContext.configure(conn).get_current_revision()


def check_known(conn: Connection) -> str | None:
    """The database's revision, refusing one this package does not know or a foreign schema.

    Raises:
        HistoryError: the schema is newer than this pmo, or the tables are there but not
            the version (another program's tables, or a damaged database).
    """
    revision = current(conn)
    if revision is None:
        names = set(inspect(conn).get_table_names())
        ours = names & set(schema.metadata.tables)
        if not ours:
            return None
        # Another run may have made the schema between the two reads (PostgreSQL reads
        # each statement at its own commit point): its version came with its tables.
        revision = current(conn)
        if revision is None:
            raise HistoryError(
                f"holds history tables ({', '.join(sorted(ours))}) but no schema version: "
                "not a database pmo made, or damaged; nothing was changed"
            )
    try:
        scripts().get_revision(revision)
    except CommandError:
        raise HistoryError(
            f"the database's schema is at version {revision!r}, newer than this pmo knows "
            f"({head()}): upgrade pmo-addin; nothing was changed"
        ) from None
    return revision


def upgrade(conn: Connection, target: str = "head") -> bool:
    """Bring the database to the newest schema (or ``target``), in the caller's transaction.

    Returns:
        True when a migration ran (False: already there).

    Raises:
        HistoryError: see :func:`check_known`.
    """
    cfg = _config()
    script = ScriptDirectory.from_config(cfg)
    wanted = head() if target == "head" else target
    if check_known(conn) == wanted:
        return False

    def steps(revision: Any, context: Any) -> Any:
        return script._upgrade_revs(wanted, revision)

    with EnvironmentContext(cfg, script, fn=steps, destination_rev=wanted) as env:
        env.configure(connection=conn, target_metadata=None, version_table=VERSION_TABLE)
        with env.begin_transaction():
            env.run_migrations()
    return True
