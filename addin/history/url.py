"""Where the history lives: one URL (or a file path), checked, and shown without secrets.

The history is an embedded SQLite file by default (:data:`DEFAULT_NAME` beside the
portfolio) or a PostgreSQL database (``postgresql+psycopg://user@host/db``). A plain path
is a SQLite file. A URL is never printed as given: :attr:`HistoryUrl.shown` hides the
password (in the authority and in a ``?password=`` parameter), and every message about
the database is passed through :meth:`HistoryUrl.scrub` so a password a driver echoes
back never reaches the terminal or a log.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from addin.history.errors import HistoryError

#: The history file kept beside a portfolio when no URL is configured.
DEFAULT_NAME = "pmo-history.sqlite"
#: The drivers we speak: SQLite (built in) and PostgreSQL through psycopg 3.
SQLITE, POSTGRESQL = "sqlite", "postgresql"
_SCHEMES = ("sqlite://", "postgresql://", "postgresql+psycopg://", "postgres://")
_SECRET_KEYS = ("password", "passfile", "sslpassword")
HIDDEN = "***"


@dataclass(frozen=True)
class HistoryUrl:
    """A checked history URL.

    Attributes:
        url: The SQLAlchemy URL to connect with (secrets included; never print it).
        shown: The URL with every secret replaced by ``***``: the one to print.
        secrets: The secret strings the URL holds (scrubbed from every message).
    """

    url: URL
    shown: str
    secrets: tuple[str, ...] = ()

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.url.get_backend_name()

    @property
    def is_sqlite(self) -> bool:
        """True for an embedded SQLite file."""
        return self.backend == SQLITE

    @property
    def path(self) -> Path | None:
        """The SQLite file (None for a server, or a SQLite ``file:`` URI)."""
        database = self.url.database
        if not self.is_sqlite or not database or database.startswith("file:"):
            return None
        return Path(database)

    def scrub(self, text: str) -> str:
        """``text`` with every secret of the URL replaced by ``***``."""
        for secret in self.secrets:
            if secret:
                text = text.replace(secret, HIDDEN)
        return text

    def __str__(self) -> str:
        return self.shown


def _from_path(path: Path) -> URL:
    return URL.create("sqlite", database=str(path.expanduser()))


def parse_url(text: str | Path) -> HistoryUrl:
    """A history URL from what the user gave: a URL, or a path to a SQLite file.

    ``postgresql://`` and ``postgres://`` mean PostgreSQL through psycopg 3.

    Raises:
        HistoryError: not a URL we can use (the message never holds its password).
    """
    raw = str(text).strip()
    if not raw:
        raise HistoryError("no history database given")
    if isinstance(text, Path) or "://" not in raw:
        url = _from_path(Path(raw))
    else:
        scheme = raw.split("://", 1)[0].casefold() + "://"
        if scheme not in _SCHEMES:
            raise HistoryError(
                f"history URL must be sqlite:///FILE or postgresql+psycopg://USER@HOST/DB, "
                f"not {scheme}..."
            )
        try:
            url = make_url(raw)
        except (ArgumentError, ValueError):
            raise HistoryError(
                "history URL is malformed (expected sqlite:///FILE or "
                "postgresql+psycopg://USER@HOST/DB)"
            ) from None
        if url.get_backend_name() in (POSTGRESQL, "postgres"):
            url = url.set(drivername="postgresql+psycopg")
    secrets = [url.password] if isinstance(url.password, str) else []
    for key in _SECRET_KEYS:
        value = url.query.get(key)
        if value is not None:
            secrets += [value] if isinstance(value, str) else list(value)
    shown_url = url.set(query={k: HIDDEN if k in _SECRET_KEYS else v for k, v in url.query.items()})
    shown = shown_url.render_as_string(hide_password=True)
    database = url.database or ""
    if url.get_backend_name() == SQLITE and database and not database.startswith("file:"):
        shown = database  # a file: shown as the path the user knows
    return HistoryUrl(url, shown, tuple(s for s in secrets if s))


def beside(portfolio: Path) -> HistoryUrl:
    """The default history: :data:`DEFAULT_NAME` in the portfolio's folder."""
    return parse_url(portfolio.parent / DEFAULT_NAME)


def shown(text: str) -> str:
    """A URL as it may be printed (its password hidden); text that is no URL stays as is."""
    try:
        return parse_url(text).shown if text.strip() else text
    except HistoryError:
        return text if "@" not in text else HIDDEN
