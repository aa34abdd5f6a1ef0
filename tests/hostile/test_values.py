"""Extreme values never crash a run or reach an output as something that is not a number.

Settings are finite and ranged; a settings file nested 100,000 deep is one line. Dates
stay in the range Excel can show (1900-01-01 to 9999-12-31) and arithmetic near its
end never overflows. A metric whose inputs give no finite number is none, with a
``metric.not_computable`` finding at the cell, and ``--json`` is always JSON. The
dashboard reads its portfolio through the reader's safety layer, in a bounded worker.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from addin.cli import EXIT_USAGE, app
from tests.hostile import make

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
