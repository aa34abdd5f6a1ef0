"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from addin.core.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "workbooks" / "samples"
CORPUS = ROOT.parent / "shared" / "corpus" / "real"


@pytest.fixture
def settings() -> Settings:
    """Default settings (TRACKER_SPEC v1 / RAG_RULES v1)."""
    return Settings()


#: Set by .ci/run: the real parts the tests use must be here, so none of their tests skips.
REQUIRE_REAL_PARTS = "PMO_REQUIRE_REAL_PARTS"


def pytest_sessionstart(session: pytest.Session) -> None:
    """In CI, a missing LibreOffice, poppler or real corpus fails the run (never a skip).

    The user's own files ``pmo`` makes (the key that seals its cache, ``~/.pmo``) go to a
    folder of the session's (``$PMO_HOME``, inherited by the commands tests run), never to
    the home folder of whoever runs the tests.
    """
    import os
    import tempfile

    from tests.soffice import PDFTOPPM, SOFFICE

    os.environ["PMO_HOME"] = tempfile.mkdtemp(prefix="pmo-home-")

    if os.environ.get(REQUIRE_REAL_PARTS) != "1":
        return
    missing = [
        what
        for what, there in (
            ("LibreOffice (soffice)", SOFFICE is not None),
            ("poppler (pdftoppm)", PDFTOPPM is not None),
            (f"the real corpus ({CORPUS})", CORPUS.is_dir()),
        )
        if not there
    ]
    if missing:
        raise pytest.UsageError(
            f"{REQUIRE_REAL_PARTS}=1 but missing: {', '.join(missing)}; their tests would skip"
        )
