"""The ``pmo`` command: help for everything, the JSON contract, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.main import get_command
from typer.testing import CliRunner

from addin.cli import EXIT_FINDINGS, EXIT_NOT_WRITTEN, EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE, app
from addin.demo import SAMPLES_AS_OF
from tests.builders import base_project, base_tracker, write
from tests.conftest import SAMPLES

runner = CliRunner()
AS_OF = ["--as-of", SAMPLES_AS_OF.isoformat()]


def _commands() -> list[list[str]]:
    root = get_command(app)  # typer ships its own click; groups are the ones with .commands
    out = []
    for name, cmd in root.commands.items():  # type: ignore[attr-defined]
        if hasattr(cmd, "commands"):
            out += [[name, sub] for sub in cmd.commands]
        out.append([name])
    return out


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c))
def test_every_command_has_help_text(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    cmd = get_command(app)
    for part in command:
        cmd = cmd.commands[part]  # type: ignore[attr-defined]
    assert cmd.help and len(cmd.help.strip()) > 20
    for param in cmd.params:
        if param.param_type_name == "option":
            assert getattr(param, "help", None), f"{' '.join(command)} {param.opts[0]} has no help"


def _words(text: str) -> list[str]:
    return text.replace("`", "").split()


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c))
def test_help_shows_its_text_as_written(command: list[str]) -> None:
    """Nothing in the help is taken for markup ([history] url, NAME.x.xlsx); paragraphs flow."""
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "300"})
    cmd = get_command(app)
    for part in command:
        cmd = cmd.commands[part]  # type: ignore[attr-defined]
    shown = set(_words(result.output.replace("│", " ")))
    texts = [cmd.help or "", *(getattr(p, "help", None) or "" for p in cmd.params)]
    missing = [w for t in texts for w in _words(t) if w not in shown]
    assert not missing, f"{' '.join(command)} --help lost {missing}"
    lines = [" ".join(_words(line.replace("│", " "))) for line in result.output.splitlines()]
    for paragraph in (cmd.help or "").split("\f")[0].split("\n\n"):
        flowed = " ".join(_words(paragraph))
        assert len(flowed) > 250 or any(flowed in line for line in lines), flowed


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("pmo ")


def test_validate_json_is_the_contract(tmp_path: Path) -> None:
    good = write(tmp_path / "good.xlsx")
    bad = write(tmp_path / "bad.xlsx", base_tracker(project=base_project(project_id="nope")))
    result = runner.invoke(app, ["validate", str(tmp_path), "--format", "json", *AS_OF])
    assert result.exit_code == EXIT_FINDINGS
    data = json.loads(result.stdout)
    assert set(data) == {"files", "summary"}
    assert data["summary"] == {
        "files": 2,
        "valid": 1,
        "invalid": 1,
        "unreadable": 0,
        "not_a_tracker": 0,
        "skipped": 0,
        "errors": 1,
        "warnings": 0,
    }
    by_file = {Path(f["file"]).name: f for f in data["files"]}
    assert by_file["good.xlsx"]["status"] == "valid" and by_file["good.xlsx"]["findings"] == []
    entry = by_file["bad.xlsx"]
    assert entry["status"] == "invalid" and entry["reason"]
    assert entry["tables"]["Tasks"] == {
        "sheet": "Tasks",
        "header_row": 1,
        "rows": 3,
        "columns": entry["tables"]["Tasks"]["columns"],
        "extra_columns": [],
    }
    assert entry["findings"] == [
        {
            "sheet": "Project",
            "cell": "B1",
            "row": 1,
            "column": "B",
            "field": "Project ID",
            "rule": "project.id_format",
            "severity": "error",
            "message": entry["findings"][0]["message"],
            "value": "nope",
        }
    ]
    assert good.exists() and bad.exists()


def test_validate_text_is_one_line_per_finding(tmp_path: Path) -> None:
    write(
        tmp_path / "bad.xlsx",
        base_tracker(project=base_project(project_id="nope", reported_rag="Amber")),
    )
    result = runner.invoke(app, ["validate", str(tmp_path / "bad.xlsx"), *AS_OF])
    lines = result.stdout.splitlines()
    assert result.exit_code == EXIT_FINDINGS
    assert lines[0].endswith("invalid  (2 errors, 0 warnings)")
    assert lines[1].split()[:3] == ["Project!B1", "error", "project.id_format"]
    assert lines[2].split()[:3] == ["Project!B14", "error", "project.rag_comment_required"]
    assert lines[-1].startswith("1 file: 0 valid, 1 invalid")


def test_validate_exit_codes(tmp_path: Path) -> None:
    write(tmp_path / "ok.xlsx")
    assert runner.invoke(app, ["validate", str(tmp_path / "ok.xlsx"), *AS_OF]).exit_code == EXIT_OK
    (tmp_path / "broken.xlsx").write_bytes(b"")
    result = runner.invoke(app, ["validate", str(tmp_path), *AS_OF])
    assert result.exit_code == EXIT_UNREADABLE
    assert "empty file (0 bytes)" in result.stdout
    assert runner.invoke(app, ["validate", str(tmp_path / "missing.xlsx")]).exit_code == EXIT_USAGE
    assert (
        runner.invoke(app, ["validate", str(tmp_path), "--as-of", "someday"]).exit_code
        == EXIT_USAGE
    )


def test_bad_settings_file_is_one_clear_line(tmp_path: Path) -> None:
    config = tmp_path / "pmo.toml"
    config.write_text('[rag.schedule]\nspi_red = "low"\n')
    write(tmp_path / "ok.xlsx")
    result = runner.invoke(app, ["validate", str(tmp_path / "ok.xlsx"), "--config", str(config)])
    assert result.exit_code == EXIT_USAGE
    assert (
        result.stderr.strip() == 'pmo: pmo.toml: rag.schedule.spi_red must be a number, got "low"'
    )


def test_annotate_from_the_command_line(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.xlsx", base_tracker(project=base_project(project_id="nope")))
    result = runner.invoke(app, ["validate", str(path), "--annotate", *AS_OF])
    assert result.exit_code == EXIT_FINDINGS
    assert (tmp_path / "bad.checked.xlsx").exists()
    assert runner.invoke(app, ["validate", str(path), "--in-place"]).exit_code == EXIT_USAGE


def test_consolidate_writes_portfolio_json_and_dashboard(tmp_path: Path) -> None:
    src = tmp_path / "trackers"
    shutil.copytree(SAMPLES, src, ignore=shutil.ignore_patterns("*.md"))
    (src / "junk.xlsx").write_bytes(b"junk")
    out = tmp_path / "out"
    out.mkdir()
    log = tmp_path / "run.jsonl"
    result = runner.invoke(
        app,
        [
            "consolidate",
            str(src),
            "-o",
            str(out / "portfolio.xlsx"),
            "--json",
            str(out / "projects.json"),
            "--dashboard",
            str(out / "dashboard.xlsx"),
            "--log-file",
            str(log),
            *AS_OF,
        ],
    )
    assert result.exit_code == EXIT_UNREADABLE, result.output
    assert "unreadable: " in result.stdout and "junk.xlsx" in result.stdout
    rows = json.loads((out / "projects.json").read_text())
    assert len(rows) == 12 and rows[0]["status_date"].count("-") == 2
    assert {"overall_rag", "rag_reasons", "vac_pct"} <= set(rows[0])
    assert (out / "dashboard.xlsx").exists() and (out / "portfolio.pmo-cache.sqlite").exists()
    events = [json.loads(line)["event"] for line in log.read_text().splitlines()]
    assert events[0] == "start" and events[-1] == "end" and events.count("file") == 13


def test_consolidate_names_20_files_left_out_and_counts_the_rest(tmp_path: Path) -> None:
    src = tmp_path / "share"
    src.mkdir()
    shutil.copy(min(SAMPLES.glob("*.xlsx")), src / "A-tracker.xlsx")
    for i in range(24):  # the budgets, minutes and lists a shared folder also holds
        notes = openpyxl.Workbook()
        notes.active.append(["Shopping list", i])  # type: ignore[union-attr]
        notes.save(src / f"B-notes-{i:02}.xlsx")
    for i in range(3):
        (src / f"C-junk-{i}.xlsx").write_bytes(b"junk")
    out = tmp_path / "p.xlsx"
    result = runner.invoke(app, ["consolidate", str(src), "-o", str(out), "--no-cache", *AS_OF])
    lines = result.stdout.splitlines()
    named = [line for line in lines if line.startswith("  not a tracker: ")]
    assert len(named) == 20 and named[0].startswith(f"  not a tracker: {src / 'B-notes-00.xlsx'}")
    assert (
        "  and 7 more (4 not a tracker, 3 unreadable): each with its reason in the portfolio's "
        "Load Log sheet"
    ) in lines
    assert not any("C-junk" in line for line in lines)
    load_log = openpyxl.load_workbook(out, read_only=True)["Load Log"]
    assert sum(1 for row in load_log.iter_rows(values_only=True) if row[0]) == 1 + 28


def test_consolidate_refuses_a_non_xlsx_output(tmp_path: Path) -> None:
    result = runner.invoke(app, ["consolidate", str(SAMPLES), "-o", str(tmp_path / "p.csv")])
    assert result.exit_code == EXIT_USAGE


def test_consolidate_output_not_written_exits_4(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from addin.app import consolidate as use_case
    from addin.core.errors import OutputError

    def refuse(*args: object, **kwargs: object) -> Path:
        raise OutputError(
            "p.xlsx: could not write the portfolio (disk full); the previous file is intact"
        )

    monkeypatch.setattr(use_case, "write_portfolio", refuse)
    write(tmp_path / "ok.xlsx")
    result = runner.invoke(
        app,
        ["consolidate", str(tmp_path / "ok.xlsx"), "-o", str(tmp_path / "p.xlsx"), "--no-cache"],
    )
    assert result.exit_code == EXIT_NOT_WRITTEN
    assert "previous file is intact" in result.stderr


def test_new_tracker_never_overwrites_without_force(tmp_path: Path) -> None:
    target = tmp_path / "t.xlsx"
    assert (
        runner.invoke(
            app, ["new-tracker", str(target), "--id", "PRJ-0007", "--name", "X"]
        ).exit_code
        == 0
    )
    before = target.read_bytes()
    result = runner.invoke(app, ["new-tracker", str(target)])
    assert result.exit_code == EXIT_USAGE and "--force" in result.stderr
    assert target.read_bytes() == before


def test_dashboard_command_reads_a_portfolio(tmp_path: Path) -> None:
    portfolio = tmp_path / "p.xlsx"
    assert (
        runner.invoke(app, ["consolidate", str(SAMPLES), "-o", str(portfolio), *AS_OF]).exit_code
        == EXIT_FINDINGS
    )
    result = runner.invoke(
        app,
        ["dashboard", str(portfolio), "-o", str(tmp_path / "d.xlsx"), "--previous", str(portfolio)],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "d.xlsx").exists()
    not_portfolio = runner.invoke(
        app,
        [
            "dashboard",
            str(SAMPLES / "DWP-0101_M365_Migration.xlsx"),
            "-o",
            str(tmp_path / "x.xlsx"),
        ],
    )
    assert not_portfolio.exit_code == EXIT_USAGE and "not a portfolio" in not_portfolio.stderr


def test_rules_lists_every_rule_with_its_level(tmp_path: Path) -> None:
    from addin.core.rules import RULES

    result = runner.invoke(app, ["rules"])
    assert result.exit_code == 0
    assert [line.split()[0] for line in result.stdout.splitlines()] == list(RULES)


def test_config_init_then_show(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["config", "init"]).exit_code == 0
    assert runner.invoke(app, ["config", "init"]).exit_code == EXIT_USAGE  # exists
    shown = runner.invoke(app, ["config", "show"])
    assert shown.exit_code == 0 and "spi_red = 0.85" in shown.stdout


def test_build_addin_writes_an_xlam(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build-addin", "-o", str(tmp_path / "PMO.xlam")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "PMO.xlam").stat().st_size > 10_000


def test_demo_runs_the_whole_job(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    for name in (
        "portfolio.xlsx",
        "dashboard.xlsx",
        "New_Tracker.xlsx",
        "EST-0401_HQ_Consolidation.checked.xlsx",
    ):
        assert (tmp_path / "demo" / name).exists(), name
    assert "Red: CUS-0202, CUS-0203, DWP-0102, FIN-0301" in result.stdout
