"""Fixtures of the history tests: every store test runs on SQLite and on a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pg import Cluster, cluster


@pytest.fixture(scope="session")
def pg() -> Iterator[Cluster]:
    """The session's throwaway PostgreSQL cluster (see tests/pg.py)."""
    with cluster() as running:
        yield running


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """The database engine a test runs on."""
    return str(request.param)


@pytest.fixture
def history_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, empty history on each engine: a SQLite file, or a new PostgreSQL database."""
    if backend == "sqlite":
        yield str(tmp_path / "pmo-history.sqlite")
        return
    server: Cluster = request.getfixturevalue("pg")
    name = server.new_database()
    try:
        yield server.url(name)
    finally:
        server.drop_database(name)
