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
