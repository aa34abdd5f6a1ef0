"""An output never names an input: by its device and inode, or its resolved path when it has none.

Each input is identified by one stat; only an input that cannot be looked at is resolved
(see ``_input_keys`` in :mod:`addin.app.output_paths`). These tests hold the refusals the
same for both kinds of input, spelled any way.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from addin.app.output_paths import Output, check_outputs
from addin.core.errors import UnsafePathError


def _spellings(path: Path) -> list[Path]:
    """``path`` as given, through ``..``, relative to the working folder, and through a link."""
    folder = path.parent
    link = folder.parent / f"{folder.name}-link"
    if not link.exists():
        link.symlink_to(folder, target_is_directory=True)
    return [
        path,
        folder / ".." / folder.name / path.name,
        Path(os.path.relpath(path)),
        link / path.name,
    ]


@pytest.mark.parametrize("exists", [True, False])
def test_an_output_naming_an_input_any_way_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exists: bool
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "trackers"
    folder.mkdir()
    tracker = folder / "PRJ-1.xlsx"
    if exists:
        tracker.write_bytes(b"PK\x03\x04 a tracker")
    others = [folder / f"PRJ-{n}.xlsx" for n in range(2, 5)]
    for other in others:
        other.write_bytes(b"PK\x03\x04 another")
    for given in _spellings(tracker):
        for output in _spellings(tracker):
            with pytest.raises(UnsafePathError, match="is one of the inputs"):
                check_outputs([*others, given], [Output("-o", output)])
    if exists:
        assert tracker.read_bytes() == b"PK\x03\x04 a tracker"
    else:
        assert not tracker.exists()


def test_an_output_beside_the_inputs_is_fine_and_one_allowed_back_is_fine(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "trackers"
    folder.mkdir()
    inputs = [folder / f"PRJ-{n}.xlsx" for n in range(3)]
    for path in inputs:
        path.write_bytes(b"PK\x03\x04")
    missing = folder / "gone.xlsx"
    check_outputs([*inputs, missing], [Output("-o", folder / "portfolio.xlsx")])
    seen: list[Path] = []

    def replaceable(path: Path) -> bool:
        seen.append(path)
        return True

    check_outputs(inputs, [Output("-o", inputs[1])], replaceable=replaceable)
    check_outputs([missing], [Output("-o", missing)], replaceable=replaceable)
    assert seen == [inputs[1], missing]
