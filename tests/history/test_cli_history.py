"""The history from the command line: consolidate keeps snapshots, the commands read them.

The samples are consolidated twice (a week apart), into a SQLite file beside the
portfolio and into a real PostgreSQL database; then ``pmo history list|show|export|
import``, ``pmo lessons search`` and ``pmo dashboard --history`` work on them.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from addin.cli import EXIT_FINDINGS, EXIT_HISTORY, EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE, app
from addin.history import open_store, parse_url, save_run
from tests.conftest import SAMPLES
from tests.history.weeks import WEEK1, project, week
from tests.pg import Cluster, free_port

runner = CliRunner()
EARLIER, LATER = "2026-11-13", "2026-11-20"


@pytest.fixture(scope="module")
def trackers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("samples") / "trackers"
    shutil.copytree(SAMPLES, src, ignore=shutil.ignore_patterns("*.md"))
    return src


def _consolidate(trackers: Path, out: Path, as_of: str, *extra: str) -> object:
    return runner.invoke(
        app,
        ["consolidate", str(trackers), "-o", str(out), "--as-of", as_of, "--no-cache", *extra],
    )


def test_consolidate_keeps_snapshots_beside_the_portfolio(trackers: Path, tmp_path: Path) -> None:
    first = _consolidate(trackers, tmp_path / "p1.xlsx", EARLIER)
    assert first.exit_code == EXIT_FINDINGS, first.output
    assert (
        f"history: saved the snapshot of {EARLIER} in {tmp_path / 'pmo-history.sqlite'} "
        "(12 projects:" in first.stdout
    )
    second = _consolidate(
        trackers, tmp_path / "p2.xlsx", LATER, "--dashboard", str(tmp_path / "d.xlsx")
    )
    assert second.exit_code == EXIT_FINDINGS, second.output
    again = _consolidate(trackers, tmp_path / "p2.xlsx", LATER)
    assert f"history: replaced the snapshot of {LATER}" in again.stdout
    assert "Trends" in openpyxl.load_workbook(tmp_path / "d.xlsx").sheetnames

    with_cwd = runner.invoke(app, ["history", "list", "--history", str(tmp_path)])
    assert with_cwd.exit_code == EXIT_USAGE  # a folder is not a history
    listed = runner.invoke(
        app, ["history", "list", "--history", str(tmp_path / "pmo-history.sqlite")]
    )
    assert listed.exit_code == EXIT_OK, listed.output
    lines = listed.stdout.splitlines()
    assert lines[0].split() == [
        "as",
        "of",
        "projects",
        "Red",
        "Amber",
        "Green",
        "other",
        "errors",
        "source",
    ]
    assert [ln.split()[0] for ln in lines[1:3]] == [EARLIER, LATER]
    assert lines[2].split()[1:5] == ["12", "4", "4", "4"]

    shown = runner.invoke(
        app, ["history", "show", "dwp-0102", "--history", str(tmp_path / "pmo-history.sqlite")]
    )
    assert shown.exit_code == EXIT_OK, shown.output
    assert shown.stdout.startswith("DWP-0102 Laptop Refresh 2026 — 2 snapshots")
    assert "- first snapshot" in shown.stdout


def test_no_history_keeps_nothing(trackers: Path, tmp_path: Path) -> None:
    result = _consolidate(
        trackers,
        tmp_path / "p.xlsx",
        LATER,
        "--no-history",
        "--dashboard",
        str(tmp_path / "d.xlsx"),
    )
    assert result.exit_code == EXIT_FINDINGS, result.output
    assert not (tmp_path / "pmo-history.sqlite").exists()
    assert "history:" not in result.stdout and "history not saved" not in result.stdout
    assert "Trends" not in openpyxl.load_workbook(tmp_path / "d.xlsx").sheetnames


def test_history_not_saved_is_one_line_exit_5_and_the_portfolio_is_written(
    trackers: Path, tmp_path: Path
) -> None:
    path = tmp_path / "pmo-history.sqlite"
    store = open_store(parse_url(path))
    save_run(store, week(WEEK1, [project("P-001", "Green")]))
    store.close()
    (tmp_path / "pmo.toml").write_text("[history]\nlock_timeout_seconds = 0.3\n")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another run is writing, and does not finish
    try:
        result = _consolidate(
            trackers, tmp_path / "p.xlsx", LATER, "--config", str(tmp_path / "pmo.toml")
        )
    finally:
        holder.close()
    assert result.exit_code == EXIT_HISTORY, result.output
    lines = [ln for ln in result.output.splitlines() if "locked" in ln or ln.startswith("hist")]
    assert lines == [f"history not saved: {path}: database is locked"]
    assert "Traceback" not in result.output
    assert f"wrote {tmp_path / 'p.xlsx'}" in result.stdout
    assert openpyxl.load_workbook(tmp_path / "p.xlsx")["Projects"].max_row == 13


def test_a_password_in_the_url_is_never_printed(trackers: Path, tmp_path: Path) -> None:
    url = f"postgresql://pmo:hunter2-secret@127.0.0.1:{free_port()}/pmo"
    result = _consolidate(trackers, tmp_path / "p.xlsx", LATER, "--history", url)
    assert result.exit_code == EXIT_HISTORY, result.output
    assert "hunter2-secret" not in result.output
    (line,) = [ln for ln in result.output.splitlines() if "history not saved" in ln]
    assert line.startswith("history not saved: postgresql+psycopg://pmo:***@127.0.0.1:")
    (tmp_path / "pmo.toml").write_text(f'[history]\nurl = "{url}"\n')
    shown = runner.invoke(app, ["config", "show", "--config", str(tmp_path / "pmo.toml")])
    assert shown.exit_code == EXIT_OK and "hunter2-secret" not in shown.output
    assert 'url = "postgresql+psycopg://pmo:***@127.0.0.1:' in shown.output


def test_a_history_file_that_is_not_a_database_is_refused_before_reading(
    trackers: Path, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database")
    result = _consolidate(trackers, tmp_path / "p.xlsx", LATER, "--history", str(notes))
    assert result.exit_code == EXIT_USAGE
    assert "is not a SQLite database" in result.stderr
    assert not (tmp_path / "p.xlsx").exists() and notes.read_text() == "not a database"


def test_import_backfills_and_export_writes_safe_csv(trackers: Path, tmp_path: Path) -> None:
    for name, as_of in (("old1.xlsx", EARLIER), ("old2.xlsx", LATER)):
        made = _consolidate(trackers, tmp_path / name, as_of, "--no-history")
        assert made.exit_code == EXIT_FINDINGS, made.output
    (tmp_path / "broken.xlsx").write_bytes(b"not a workbook")
    history = str(tmp_path / "h.sqlite")
    result = runner.invoke(
        app,
        [
            "history",
            "import",
            str(tmp_path / "old1.xlsx"),
            str(tmp_path / "old2.xlsx"),
            str(tmp_path / "broken.xlsx"),
            "--history",
            history,
        ],
    )
    assert result.exit_code == EXIT_UNREADABLE, result.output
    out = result.stdout.splitlines()
    assert out[0] == f"imported {tmp_path / 'old1.xlsx'} as the snapshot of {EARLIER} (12 projects)"
    assert out[1].endswith(f"as the snapshot of {LATER} (12 projects)")
    assert out[2] == (  # the file named once, then why
        f"not imported: {tmp_path / 'broken.xlsx'}: cannot read the portfolio (text (CSV?) "
        "file under an Excel name, not a workbook: save it as .xlsx)"
    )
    listed = runner.invoke(app, ["history", "list", "--history", history, "--format", "json"])
    snaps = json.loads(listed.stdout)
    assert [(s["as_of"], s["source"]) for s in snaps] == [
        (EARLIER, "import: old1.xlsx"),
        (LATER, "import: old2.xlsx"),
    ]
    found = runner.invoke(app, ["lessons", "search", "supplier delay", "--history", history])
    assert "FIN-0302" in found.stdout  # the portfolio's Lessons sheet was imported too

    store = open_store(parse_url(history))
    save_run(store, week(WEEK1, [project("P-001", "Green", project_name="=cmd|'/c calc'!A1")]))
    store.close()
    csv_out = tmp_path / "projects.csv"
    exported = runner.invoke(
        app, ["history", "export", "--format", "csv", "-o", str(csv_out), "--history", history]
    )
    assert exported.exit_code == EXIT_OK, exported.output
    rows = csv_out.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("as_of,project_id,project_name,")
    assert len(rows) == 1 + 12 + 12 + 1
    assert "2026-11-06,P-001,'=cmd|'/c calc'!A1," in rows[1]
    as_json = runner.invoke(
        app, ["history", "export", "--format", "json", "--table", "snapshots", "--history", history]
    )
    assert [s["as_of"] for s in json.loads(as_json.stdout)] == ["2026-11-06", EARLIER, LATER]
    bad = runner.invoke(app, ["history", "export", "--table", "users", "--history", history])
    assert bad.exit_code == EXIT_USAGE and "no history table 'users'" in bad.stderr


def test_dashboard_with_history(trackers: Path, tmp_path: Path) -> None:
    for name, as_of in (("p1.xlsx", EARLIER), ("p2.xlsx", LATER)):
        assert _consolidate(trackers, tmp_path / name, as_of).exit_code == EXIT_FINDINGS
    made = runner.invoke(
        app, ["dashboard", str(tmp_path / "p2.xlsx"), "-o", str(tmp_path / "d.xlsx")]
    )
    assert made.exit_code == EXIT_OK, made.output
    book = openpyxl.load_workbook(tmp_path / "d.xlsx")
    assert {"Trends", "RAG History", "Lessons"} <= set(book.sheetnames)
    assert book["Trends"]["A2"].value.startswith("2 snapshots from 13/11/2026 to 20/11/2026.")
    off = runner.invoke(
        app,
        ["dashboard", str(tmp_path / "p2.xlsx"), "-o", str(tmp_path / "d2.xlsx"), "--no-history"],
    )
    assert off.exit_code == EXIT_OK
    assert "Trends" not in openpyxl.load_workbook(tmp_path / "d2.xlsx").sheetnames
    missing = runner.invoke(
        app,
        [
            "dashboard",
            str(tmp_path / "p2.xlsx"),
            "-o",
            str(tmp_path / "d3.xlsx"),
            "--history",
            str(tmp_path / "none.sqlite"),
        ],
    )
    assert missing.exit_code == EXIT_HISTORY
    assert "history not read (no Trends page): " in missing.stdout
    assert "Trends" not in openpyxl.load_workbook(tmp_path / "d3.xlsx").sheetnames


def test_the_same_on_postgresql(trackers: Path, tmp_path: Path, pg: Cluster) -> None:
    name = pg.new_database()
    url = pg.url(name)
    try:
        for out, as_of in (("p1.xlsx", EARLIER), ("p2.xlsx", LATER)):
            made = _consolidate(trackers, tmp_path / out, as_of, "--history", url)
            assert made.exit_code == EXIT_FINDINGS, made.output
            assert f"history: saved the snapshot of {as_of} in {url}" in made.stdout
        listed = runner.invoke(app, ["history", "list", "--history", url])
        assert [ln.split()[0] for ln in listed.stdout.splitlines()[1:3]] == [EARLIER, LATER]
        shown = runner.invoke(app, ["history", "show", "FIN-0301", "--history", url])
        assert shown.exit_code == EXIT_OK and "2 snapshots" in shown.stdout
        found = runner.invoke(
            app, ["lessons", "search", "supplier delay", "--history", url, "--format", "json"]
        )
        hits = json.loads(found.stdout)
        assert "supplier delay" in hits[0]["lesson"]  # the best match first
        assert "FIN-0302" in {h["project_id"] for h in hits}  # its drifted Lessons Learned
        board = runner.invoke(
            app,
            [
                "dashboard",
                str(tmp_path / "p2.xlsx"),
                "-o",
                str(tmp_path / "d.xlsx"),
                "--history",
                url,
            ],
        )
        assert board.exit_code == EXIT_OK, board.output
        assert "Trends" in openpyxl.load_workbook(tmp_path / "d.xlsx").sheetnames
    finally:
        pg.drop_database(name)


def test_demo_keeps_weeks_of_history_and_its_lessons_are_found(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo", str(tmp_path / "demo")])
    assert result.exit_code == EXIT_OK, result.output
    history = str(tmp_path / "demo" / "pmo-history.sqlite")
    listed = runner.invoke(app, ["history", "list", "--history", history, "--format", "json"])
    assert [s["as_of"] for s in json.loads(listed.stdout)] == [
        "2026-10-30",
        "2026-11-06",
        "2026-11-13",
        "2026-11-20",
    ]
    found = runner.invoke(app, ["lessons", "search", "supplier delay", "--history", history])
    assert found.exit_code == EXIT_OK and "supplier delay" in found.stdout
    book = openpyxl.load_workbook(tmp_path / "demo" / "dashboard.xlsx")
    assert book["Trends"]["A2"].value.startswith("4 snapshots from 30/10/2026 to 20/11/2026.")
    shown = runner.invoke(app, ["history", "show", "DWP-0102", "--history", history])
    assert "Overall Amber → Red" in shown.stdout
