"""Fixtures for the add-in builder tests: one build of PMO.xlam per session."""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

import pytest

with warnings.catch_warnings():
    # oletools 0.60 uses pyparsing names that now warn on import; not our code.
    warnings.simplefilter("ignore", DeprecationWarning)
    import oletools.olevba  # noqa: F401

from addin.excel.xlam import build_addin

MACROS = Path(__file__).resolve().parents[2] / "macros"


@pytest.fixture(scope="session")
def built_addin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """PMO.xlam built from the repository's macros/ into a temporary folder."""
    return build_addin(tmp_path_factory.mktemp("addin") / "PMO.xlam", MACROS)


@pytest.fixture(scope="session")
def addin_zip(built_addin: Path) -> dict[str, bytes]:
    """Every part of the built add-in, by zip path."""
    with zipfile.ZipFile(built_addin) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
