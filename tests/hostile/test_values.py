"""Extreme values never crash a run or reach an output as something that is not a number.

Settings are finite and ranged; a settings file nested 100,000 deep is one line. Dates
stay in the range Excel can show (1900-01-01 to 9999-12-31) and arithmetic near its
end never overflows. A metric whose inputs give no finite number is none, with a
``metric.not_computable`` finding at the cell, and ``--json`` is always JSON. The
dashboard reads its portfolio through the reader's safety layer, in a bounded worker.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from addin.cli import EXIT_USAGE, app
from addin.core.kinds import BudgetLine
from addin.core.settings import Settings
from addin.engine.consolidate import consolidate
from addin.engine.validate import check_file
from addin.rag import actual_cost, cpi, eac, earned_value, vac_pct
from tests.builders import base_milestones, base_project, base_tracker, poke, write
from tests.hostile import make
from tests.hostile.run import no_traceback, pmo

AS_OF = ["--as-of", "2026-11-20"]
D = dt.date
runner = CliRunner()


def _one_line(result: object) -> str:
    err = getattr(result, "stderr", "")
    lines = err.splitlines() if isinstance(err, str) else err.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("pmo: "), err
    return str(lines[0])


# --- 15: settings are finite and ranged ---------------------------------------------------------


@pytest.mark.parametrize(
    ("toml", "words"),
    [
        ("[rag.schedule]\nspi_red = inf\nspi_amber = inf", "spi_red must be a finite number"),
        ("[rag.cost]\nvac_red = nan", "vac_red must be a finite number"),
        ("[limits]\nmax_file_mb = inf", "max_file_mb must be a finite number"),
        ("[limits]\nworker_memory_mb = 1e308", "worker_memory_mb must be <="),
        ("[rag]\nstale_days = 9223372036854775807", "stale_days must be <="),
        ("portfolio_name = " + "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ],
)
def test_a_setting_that_is_not_a_sane_number_is_one_line_exit_2(
    tmp_path: Path, toml: str, words: str
) -> None:
    (tmp_path / "pmo.toml").write_text(toml + "\n")
    make.good(tmp_path / "t.xlsx", "PRJ-0001")
    result = runner.invoke(
        app, ["validate", str(tmp_path / "t.xlsx"), "-c", str(tmp_path / "pmo.toml")]
    )
    assert result.exit_code == EXIT_USAGE
    assert words in _one_line(result)


# --- 16: the dashboard reads its portfolio like any input ---------------------------------------


# Past Excel's column limit; past the 256 columns a portfolio is read to; within them.
@pytest.mark.parametrize("ref", ["XFD1048576", "SF1048576", "IV1048576"])
def test_a_portfolio_with_a_far_cell_is_read_or_refused_in_one_line(
    tmp_path: Path, ref: str
) -> None:
    make.good(tmp_path / "t.xlsx", "PRJ-0001")
    good = tmp_path / "p.xlsx"
    assert pmo("consolidate", tmp_path / "t.xlsx", "-o", good, "--no-cache", *AS_OF).returncode == 0
    part = make.sheet_part(good, "Projects")
    far = b'<row r="1048576"><c r="%s" t="inlineStr"><is><t>x</t></is></c></row>' % ref.encode()
    xml = make.parts_of(good)[part]
    assert isinstance(xml, bytes)
    hostile = make.with_part(
        good, tmp_path / "far.xlsx", part, xml.replace(b"</sheetData>", far + b"</sheetData>")
    )
    result = pmo("dashboard", hostile, "-o", tmp_path / "d.xlsx")
    no_traceback(result)
    if ref != "IV1048576":  # cut at the column limit: the portfolio reads as written
        assert result.returncode == 0 and (tmp_path / "d.xlsx").exists()
    else:  # 1,048,576 x 256 cells cost more than a worker may have: refused
        assert result.returncode == EXIT_USAGE and not (tmp_path / "d.xlsx").exists()
        assert result.stderr.decode().splitlines()[-1].startswith(f"pmo: {hostile}: cannot read")


# --- 17: dates at the ends of Excel's range -----------------------------------------------------


def test_as_of_outside_excels_dates_is_a_usage_error(tmp_path: Path) -> None:
    make.good(tmp_path / "t.xlsx", "PRJ-0001")
    result = runner.invoke(app, ["validate", str(tmp_path / "t.xlsx"), "--as-of", "0001-01-01"])
    assert result.exit_code == EXIT_USAGE and "1900-01-01 to 9999-12-31" in _one_line(result)


def test_the_last_day_excel_knows_never_overflows(tmp_path: Path) -> None:
    last = D(9999, 12, 31)
    ms = [dataclasses.replace(m, forecast_date=last) for m in base_milestones()]
    project = base_project(status_date=last, forecast_finish=last, baseline_finish=last)
    write(tmp_path / "t.xlsx", base_tracker(project=project, milestones=ms))
    out = tmp_path / "out"
    out.mkdir()
    args = ["-o", out / "p.xlsx", "--dashboard", out / "d.xlsx", "--json", out / "p.json"]
    first = pmo("consolidate", tmp_path / "t.xlsx", *args, "--no-cache", "--as-of", "9999-12-31")
    no_traceback(first)
    assert first.returncode == 0, first.stderr.decode()
    again = pmo("dashboard", out / "p.xlsx", "-o", out / "d2.xlsx")
    no_traceback(again)
    assert again.returncode == 0 and (out / "d2.xlsx").exists()


def test_a_text_date_before_1900_is_not_a_date(tmp_path: Path) -> None:
    path = poke(make.good(tmp_path / "t.xlsx", "PRJ-0001"), {("Project", "B8"): "0001-01-01"})
    report = check_file(path, Settings(), as_of=D(2026, 11, 20))
    assert [(f.cell, f.rule) for f in report.findings] == [("B8", "value.not_a_date")]


# --- 18: metrics are finite or none, with a finding at the cell ---------------------------------


def test_metric_functions_return_none_rather_than_infinity() -> None:
    day = D(2026, 11, 1)
    assert actual_cost([day, day], [1.797e308, 1.797e308], day) is None
    assert eac([day], [1.797e308], [None], day) == 1.797e308
    assert eac([day, day], [1.797e308, 1.797e308], [None, None], day) is None
    assert vac_pct(12_000.0, 5e-324) is None
    assert cpi(1e308, 1.0, 1e-10) is None
    ev = earned_value([5e-324], [D(2026, 1, 1)], [D(2026, 12, 31)], [1.0], D(2026, 1, 1))
    assert ev.spi is None and ev.pct_complete == 1.0


def _json_rows(text: str) -> list[dict[str, object]]:
    def refuse(name: str) -> None:
        raise ValueError(f"not JSON: {name}")

    rows: list[dict[str, object]] = json.loads(text, parse_constant=refuse)
    return rows


@pytest.mark.parametrize(
    ("changes", "where", "metrics"),
    [
        ({"project": base_project(budget=5e-324)}, ("Project", "B11"), ["VAC %"]),
        (
            {
                "budget": [
                    BudgetLine(period=D(2026, 10, 1), planned=1.0, actual=1.797e308),
                    BudgetLine(period=D(2026, 11, 1), planned=1.0, actual=1.797e308),
                ]
            },
            ("Budget", "C2"),
            ["AC", "EAC"],
        ),
    ],
)
def test_a_metric_that_is_not_a_number_is_none_with_a_finding_and_json_stays_json(
    tmp_path: Path, changes: dict[str, object], where: tuple[str, str], metrics: list[str]
) -> None:
    path = write(tmp_path / "t.xlsx", base_tracker(**changes))
    report = check_file(path, Settings(), as_of=D(2026, 11, 20))
    found = [f for f in report.findings if f.rule == "metric.not_computable"]
    assert [(f.sheet, f.cell) for f in found] == [where] * len(metrics)
    assert [f.message.split(" cannot")[0] for f in found] == metrics
    run = consolidate([path], Settings(), as_of=D(2026, 11, 20), jobs=1)
    assert [r.status for r in run.reports] == [report.status]  # validate and consolidate agree
    result = runner.invoke(
        app,
        [
            "consolidate",
            str(path),
            "-o",
            str(tmp_path / "p.xlsx"),
            "--json",
            str(tmp_path / "p.json"),
            "--no-cache",
            *AS_OF,
        ],
    )
    assert result.exit_code == 0, result.output
    (row,) = _json_rows((tmp_path / "p.json").read_text())
    assert row["vac_pct"] is None
