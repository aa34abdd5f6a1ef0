"""``pmo pack``: from a portfolio workbook to a deck, and its one-line refusals."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from addin.app.demo import run_demo
from addin.cli import app
from tests.slides_check import overflows, slides


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return run_demo(tmp_path_factory.mktemp("demo"), echo=lambda _: None)


def test_the_demo_writes_the_pack_and_twelve_status_reports(demo: dict[str, Path]) -> None:
    pack = demo["steering pack"]
    assert pack.name == "steering.pptx" and slides(pack)[1].title == "Portfolio summary"
    reports = sorted(demo["status reports"].glob("*.pptx"))
    assert len(reports) == 12
    assert all(len(slides(r)) == 1 for r in reports)
    assert overflows(pack) == []


def test_pmo_pack_reads_the_portfolio_and_leaves_it_alone(
    demo: dict[str, Path], tmp_path: Path
) -> None:
    portfolio = demo["portfolio"]
    before = hashlib.sha256(portfolio.read_bytes()).digest()
    out = tmp_path / "steering.pptx"
    result = CliRunner().invoke(app, ["pack", str(portfolio), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"wrote {out}"
    assert [s.title for s in slides(out)] == [s.title for s in slides(demo["steering pack"])]
    assert hashlib.sha256(portfolio.read_bytes()).digest() == before


def test_pmo_pack_with_a_previous_portfolio_adds_trends(
    demo: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "steering.pptx"
    portfolio = str(demo["portfolio"])
    result = CliRunner().invoke(app, ["pack", portfolio, "-o", str(out), "--previous", portfolio])
    assert result.exit_code == 0, result.output
    titles = [s.title for s in slides(out)]
    assert any(t.startswith("Trends since") for t in titles) and "Movers" in titles


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["-o", "{tmp}/x.pdf"], "the pack must be a .pptx file, got x.pdf"),
        (
            ["-o", "{tmp}/x.pptx", "--previous", "{portfolio}", "--history", "h.db"],
            "--previous and --history both give the trends",
        ),
        (["-o", "{tmp}/x.pptx", "--capacity", "{tmp}/none.xlsx"], "none.xlsx"),
        (["-o", "{portfolio}"], "must be a .pptx file, got portfolio.xlsx"),
        (["-o", "{tmp}/x.pptx", "--template", "{tmp}/none.pptx"], "none.pptx"),
    ],
)
def test_pmo_pack_refuses_in_one_line(
    demo: dict[str, Path], tmp_path: Path, args: list[str], words: str
) -> None:
    portfolio = demo["portfolio"]
    filled = [a.format(tmp=tmp_path, portfolio=portfolio) for a in args]
    result = CliRunner().invoke(app, ["pack", str(portfolio), *filled])
    assert result.exit_code in (2, 4), result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("pmo: ") and words in lines[0]
    assert not (tmp_path / "x.pptx").exists()


def test_pmo_pack_refuses_a_tracker(demo: dict[str, Path], tmp_path: Path) -> None:
    tracker = next(demo["sample trackers"].glob("*.xlsx"))
    result = CliRunner().invoke(app, ["pack", str(tracker), "-o", str(tmp_path / "x.pptx")])
    assert result.exit_code == 2
    assert "not a portfolio workbook" in result.output


def test_every_command_has_help() -> None:
    for command in ("pack", "report"):
        result = CliRunner().invoke(app, [command, "--help"])
        assert result.exit_code == 0 and "--output" in result.output


def test_consolidate_writes_the_pack_from_its_own_run(
    demo: dict[str, Path], tmp_path: Path
) -> None:
    out, pack = tmp_path / "portfolio.xlsx", tmp_path / "steering.pptx"
    result = CliRunner().invoke(
        app,
        [
            "consolidate",
            str(demo["sample trackers"]),
            "-o",
            str(out),
            "--pack",
            str(pack),
            "--as-of",
            "2026-11-20",
            "--no-cache",
        ],
    )
    assert result.exit_code == 1, result.output  # the samples hold error findings
    assert f"wrote {pack}" in result.output
    # No earlier snapshot beside this portfolio: the demo's slides but its trends and movers.
    assert [s.title for s in slides(pack)] == [
        s.title
        for s in slides(demo["steering pack"])
        if not s.title.startswith(("Trends since", "Movers"))
    ]
    bad = CliRunner().invoke(
        app, ["consolidate", str(demo["sample trackers"]), "-o", str(out), "--pack", "x.pdf"]
    )
    assert bad.exit_code == 2 and "the pack must be a .pptx file, got x.pdf" in bad.output
