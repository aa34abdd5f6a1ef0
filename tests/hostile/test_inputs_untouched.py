"""The property every command keeps: inputs are never changed, unless ``--in-place`` was asked.

For a folder of inputs (good and bad trackers, hostile files, a link, a private ``0600``
tracker, one whose parts annotation cannot keep) every input is snapshotted - its bytes
and mode, through links - before the command runs. Afterwards every input is
byte-identical with the same mode. With ``--in-place`` an input may change, but only if a
backup beside it holds exactly its old bytes with its old mode, and it keeps its mode.

A new command that reads trackers gets a row in ``COMMANDS``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from pathlib import Path

import pytest

from tests.builders import base_project, base_tracker, write
from tests.hostile import make
from tests.hostile.run import no_traceback, pmo
from tests.test_annotate_keeps import CASES

AS_OF = ("--as-of", "2026-11-16")

#: command -> (input folder, arguments); {inputs} and {out} are filled in.
COMMANDS: dict[str, tuple[str, list[str]]] = {
    "validate": ("trackers", ["validate", "{inputs}", *AS_OF]),
    "validate --annotate": ("trackers", ["validate", "{inputs}", "--annotate", *AS_OF]),
    "validate --annotate --in-place": (
        "trackers",
        ["validate", "{inputs}", "--annotate", "--in-place", *AS_OF],
    ),
    "consolidate": (
        "trackers",
        [
            "consolidate",
            "{inputs}",
            "-o",
            "{out}/portfolio.xlsx",
            "--json",
            "{out}/portfolio.json",
            "--dashboard",
            "{out}/dashboard.xlsx",
            *AS_OF,
        ],
    ),
    "dashboard": ("portfolio", ["dashboard", "{inputs}/portfolio.xlsx", "-o", "{out}/d.xlsx"]),
}

#: A snapshot entry: (sha-256 of the bytes read through links, mode, link text or None).
Entry = tuple[str, int, str | None]


def _snapshot(folder: Path) -> dict[str, Entry]:
    out: dict[str, Entry] = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = Path(root) / name
            link = os.readlink(path) if path.is_symlink() else None
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            out[str(path.relative_to(folder))] = (digest, stat.S_IMODE(path.stat().st_mode), link)
    return out


def _trackers(folder: Path) -> Path:
    folder.mkdir()
    make.good(folder / "good.xlsx", "PRJ-0301")
    write(folder / "bad.xlsx", base_tracker(project=base_project(project_id="bad id")))
    make.good(folder / "private.xlsx", "PRJ-0302").chmod(0o600)
    CASES["power query"](folder / "power-query.xlsx")
    (folder / "real").mkdir()
    make.good(folder / "real" / "linked.xlsx", "PRJ-0303")
    (folder / "link.xlsx").symlink_to(Path("real") / "linked.xlsx")
    for builder in (make.empty, make.truncated, make.not_a_zip, make.encrypted, make.xlsb):
        builder(folder / f"{builder.__name__}.xlsx")
    for builder in (make.ods, make.laughs_in_sheet, make.xxe_in_sheet):
        builder(folder / f"{builder.__name__}.xlsx")
    make.zip_bomb(folder / "zip_bomb.xlsx", megabytes=20)
    return folder


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each input folder, built once (tests work on copies)."""
    base = tmp_path_factory.mktemp("inputs")
    trackers = _trackers(base / "trackers")
    portfolio = base / "portfolio"
    portfolio.mkdir()
    made = pmo("consolidate", trackers, "-o", portfolio / "portfolio.xlsx", *AS_OF)
    no_traceback(made)
    assert (portfolio / "portfolio.xlsx").exists()
    return {"trackers": trackers, "portfolio": portfolio}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_inputs_are_untouched_or_backed_up_byte_for_byte(
    inputs: dict[str, Path], tmp_path: Path, command: str
) -> None:
    kind, args = COMMANDS[command]
    folder = tmp_path / kind
    shutil.copytree(inputs[kind], folder, symlinks=True)
    out = tmp_path / "out"
    out.mkdir()
    before = _snapshot(folder)
    result = pmo(*(a.format(inputs=folder, out=out) for a in args))
    no_traceback(result)
    after = _snapshot(folder)
    in_place = "--in-place" in args
    backups = {entry[:2] for name, entry in after.items() if name not in before}
    changed = [name for name, entry in before.items() if after.get(name) != entry]
    for name in changed:
        assert in_place, f"{command} changed its input {name}"
        assert before[name][:2] in backups, f"{name} changed without a byte-identical backup"
        assert after[name][1:] == before[name][1:], f"{name} lost its mode or its link"
    if in_place:  # the property is not vacuous: good trackers were annotated
        assert {"good.xlsx", "private.xlsx", "link.xlsx"} <= set(changed)
        assert "power-query.xlsx" not in changed  # refused: it would lose its queries
