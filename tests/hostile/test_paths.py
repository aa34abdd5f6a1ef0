"""Output paths are checked before anything runs: no output replaces an input or a device.

Every command that writes names its outputs up front; each is refused with one line and
exit 2 when it is one of the inputs (through a link too), names the same file as another
output, lies in a folder that does not exist, or is something other than a regular file
(a device, a FIFO, a folder, a link to one). Nothing is read and nothing is written then.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from addin.cli import EXIT_NOT_WRITTEN, EXIT_OK, EXIT_USAGE, app
from tests.hostile import make

AS_OF = ["--as-of", "2026-11-20"]
runner = CliRunner()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    trackers = tmp_path / "trackers"
    trackers.mkdir()
    make.good(trackers / "a.xlsx", "PRJ-0701")
    make.good(trackers / "b.xlsx", "PRJ-0702")
    return trackers


def _refused(args: list[str], *keep: Path) -> str:
    """Run ``pmo ARGS``; assert exit 2 with one ``pmo:`` line and ``keep`` byte-identical."""
    before = {p: p.read_bytes() for p in keep}
    result = runner.invoke(app, args)
    assert result.exit_code == EXIT_USAGE, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("pmo: "), result.stderr
    assert {p: p.read_bytes() for p in keep} == before
    return lines[0]


@pytest.mark.parametrize("option", ["-o", "--json", "--dashboard", "--cache", "--log-file"])
def test_an_output_naming_an_input_tracker_is_refused(
    folder: Path, tmp_path: Path, option: str
) -> None:
    victim = folder / "a.xlsx"
    args = ["consolidate", str(folder), "-o", str(tmp_path / "p.xlsx"), *AS_OF]
    if option == "-o":
        args[3] = str(victim)
    else:
        args += [option, str(victim)]
    line = _refused(args, victim)
    assert str(victim) in line and "input" in line
    assert not (tmp_path / "p.xlsx").exists()  # refused before anything ran


def test_an_output_reaching_an_input_through_a_link_or_another_spelling_is_refused(
    folder: Path, tmp_path: Path
) -> None:
    link = tmp_path / "link.xlsx"
    link.symlink_to(folder / "b.xlsx")
    _refused(["consolidate", str(folder), "-o", str(link), *AS_OF], folder / "b.xlsx")
    odd = f"{folder}/../{folder.name}/./a.xlsx"
    _refused(["consolidate", str(folder / "a.xlsx"), "-o", odd, *AS_OF], folder / "a.xlsx")


def test_two_outputs_naming_one_file_are_refused(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "same.xlsx"
    line = _refused(["consolidate", str(folder), "-o", str(out), "--dashboard", str(out), *AS_OF])
    assert "same file" in line and not out.exists()


def test_the_dashboard_never_replaces_the_portfolio_it_reads(folder: Path, tmp_path: Path) -> None:
    portfolio, previous = tmp_path / "p.xlsx", tmp_path / "last.xlsx"
    ran = runner.invoke(app, ["consolidate", str(folder), "-o", str(portfolio), *AS_OF])
    assert ran.exit_code == EXIT_OK, ran.output
    previous.write_bytes(portfolio.read_bytes())
    _refused(["dashboard", str(portfolio), "-o", str(portfolio)], portfolio)
    _refused(
        ["dashboard", str(portfolio), "--previous", str(previous), "-o", str(previous)], previous
    )


def test_validate_never_appends_its_log_to_a_tracker(folder: Path) -> None:
    _refused(["validate", str(folder), "--log-file", str(folder / "b.xlsx")], folder / "b.xlsx")


# --- case 19: devices, FIFOs, missing folders; say what was and was not written ----------------


@pytest.mark.parametrize("through_link", [False, True], ids=["fifo", "link-to-fifo"])
def test_an_output_that_is_not_a_regular_file_is_refused_and_left_alone(
    folder: Path, tmp_path: Path, through_link: bool
) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    target = fifo
    if through_link:
        target = tmp_path / "stdout.json"
        target.symlink_to(fifo)
    out = tmp_path / "p.xlsx"
    line = _refused(["consolidate", str(folder), "-o", str(out), "--json", str(target), *AS_OF])
    assert "FIFO" in line
    assert fifo.is_fifo() and target.is_fifo() and not out.exists()


def test_an_output_in_a_missing_folder_is_refused_before_the_portfolio_is_written(
    folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "p.xlsx"
    line = _refused(
        [
            "consolidate",
            str(folder),
            "-o",
            str(out),
            "--json",
            str(tmp_path / "nowhere" / "p.json"),
            *AS_OF,
        ]
    )
    assert "does not exist" in line and not out.exists()


def test_a_failed_output_says_exactly_what_was_and_was_not_written(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from addin.app import consolidate as use_case
    from addin.core.errors import OutputError

    def failing(path: Path, rows: object) -> Path:
        raise OutputError(
            f"{path}: could not write the JSON (disk full); the previous file is intact"
        )

    monkeypatch.setattr(use_case, "write_json", failing)
    out, js, dash = tmp_path / "p.xlsx", tmp_path / "p.json", tmp_path / "d.xlsx"
    args = ["consolidate", str(folder), "-o", str(out), "--json", str(js), "--dashboard", str(dash)]
    result = runner.invoke(app, [*args, *AS_OF])
    assert result.exit_code == EXIT_NOT_WRITTEN
    said = result.stdout.splitlines()
    assert f"wrote {out}" in said
    assert any(line.startswith(f"not written: {js} (") for line in said), said
    assert any(line.startswith(f"not written: {dash} (") for line in said), said
    assert out.exists() and not js.exists() and not dash.exists()
