"""What resources look like in the outputs: the portfolio's Resources and Capacity sheets,
the dashboard's Resources page, PMO_LOAD, the ribbon button, the CLI and the demo."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from addin.app.consolidate import Outputs, consolidate, write_outputs
from addin.app.dashboard import load_portfolio
from addin.app.find import find_trackers
from addin.app.resources import capacity_list
from addin.core.settings import Settings
from addin.demo import SAMPLES_AS_OF, write_samples
from addin.demo.staffing import write_sample_capacity
from addin.engine.run import PortfolioRun
from addin.excel.book import FileHost
from addin.excel.udfs import PMO_LOAD, clear_caches
from addin.outputs.portfolio import read_portfolio
from addin.outputs.portfolio.capacity import CAPACITY_SHEET, HEADER_ROW
from addin.resources import load_of
from tests.soffice import SOFFICE, convert


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, PortfolioRun]:
    """The sample portfolio consolidated against the sample capacity list, outputs written."""
    folder = tmp_path_factory.mktemp("resources")
    write_samples(folder / "trackers")
    cap = write_sample_capacity(folder / "capacity.xlsx")
    settings = Settings()
    run = consolidate(
        find_trackers([folder / "trackers"]).files,
        settings,
        as_of=SAMPLES_AS_OF,
        capacity=capacity_list(settings, cap),
    )
    outputs = Outputs(portfolio=folder / "portfolio.xlsx", dashboard=folder / "dashboard.xlsx")
    write_outputs(run, settings, outputs)
    return folder, run


def test_the_portfolio_lists_every_allocation_with_its_project_and_cell(
    samples: tuple[Path, PortfolioRun],
) -> None:
    folder, run = samples
    ws = openpyxl.load_workbook(folder / "portfolio.xlsx")["Resources"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == (
        "Project ID",
        "Person",
        "Role",
        "Team",
        "Period",
        "Planned",
        "Actual",
        "FTE",
        "Source Cell",
    )
    assert len(rows) - 1 == len(run.table("Resources")) == 268
    wide = [r for r in rows[1:] if r[0] == "FIN-0302"]  # the drifted sample's wide plan
    assert wide[0][1:6] == ("N. Shah", None, None, dt.datetime(2026, 10, 1), 9)
    assert wide[0][8] == "'Resource Plan'!C5"
    again = read_portfolio(folder / "portfolio.xlsx")
    assert again.table("Resources") == run.table("Resources")


def test_the_capacity_sheet_is_a_heat_map_by_team(samples: tuple[Path, PortfolioRun]) -> None:
    folder, _ = samples
    ws = openpyxl.load_workbook(folder / "portfolio.xlsx")[CAPACITY_SHEET]
    header = [c.value for c in ws[HEADER_ROW + 1]]
    assert header[:4] == ["Team", "Person", "Role", "FTE"]
    assert header[4:8] == ["Sep 2026", "Oct 2026", "Nov 2026", "Dec 2026"]
    assert ws.freeze_panes == f"C{HEADER_ROW + 2}"
    rows = {r[1].value: r for r in ws.iter_rows(min_row=HEADER_ROW + 2) if r[1].value}
    jan = header.index("Jan 2027")
    priya = rows["Priya Natarajan"]
    assert priya[jan].value == pytest.approx(24 / 18, abs=1e-4)
    assert priya[jan].number_format == "0%"
    assert ws.row_dimensions[priya[0].row].outlineLevel == 1
    teams = [r[0].value for r in ws.iter_rows(min_row=HEADER_ROW + 2) if r[0].value]
    assert teams == [
        "Customer Platform",
        "Digital Workplace",
        "Estates",
        "Finance Systems",
        "(not in the capacity list)",
    ]
    marcus = rows["Marcus Hill"]
    assert marcus[header.index("Feb 2027")].value == "6.0 d"  # asked after he leaves
    (rule,) = [r for cf in ws.conditional_formatting for r in cf.rules]
    assert rule.type == "colorScale"


def test_an_older_portfolio_without_the_new_task_columns_still_reads(
    samples: tuple[Path, PortfolioRun], tmp_path: Path
) -> None:
    folder, run = samples
    wb = openpyxl.load_workbook(folder / "portfolio.xlsx")
    tasks = wb["Tasks"]
    for header in ("Effort", "Baseline Finish", "Baseline Start"):
        col = next(c.column for c in tasks[1] if c.value == header)
        tasks.delete_cols(col)
    del tasks.tables[next(iter(tasks.tables))]
    wb.save(tmp_path / "old.xlsx")
    old = read_portfolio(tmp_path / "old.xlsx")
    assert len(old.table("Tasks")) == len(run.table("Tasks"))
    assert set(old.table("Tasks").columns["effort"]) == {None}


def test_the_dashboard_has_a_resources_page(samples: tuple[Path, PortfolioRun]) -> None:
    folder, _ = samples
    wb = openpyxl.load_workbook(folder / "dashboard.xlsx")
    assert "Resources" in wb.sheetnames
    ws = wb["Resources"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    people = [r[1] for r in values if isinstance(r[0], int)]
    assert people[:2] == ["Priya Natarajan", "Chen Wei"]
    assert len(people) == 20
    text = "\n".join(str(v) for row in values for v in row if v)
    assert "DWP-0101 14.0 d, DWP-0103 10.0 d" in text
    assert "CUS-0201 10.0 d, CUS-0203 8.0 d, CUS-0202 6.0 d" in text
    assert "'N. Shah' is not in the capacity list (did you mean Nikhil Shah?)" in text
    front = [c.value for c in wb["Dashboard"][3]]
    assert "▸ Resources" in front
    with zipfile.ZipFile(folder / "dashboard.xlsx") as zf:
        charts = [zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/charts/chart")]
    assert any("Demand vs capacity by role" in c and "Resources!" in c for c in charts)


def test_a_dashboard_from_the_portfolio_file_shows_the_same_page(
    samples: tuple[Path, PortfolioRun], tmp_path: Path
) -> None:
    folder, run = samples
    settings = Settings().with_changes({"resources.capacity": str(folder / "capacity.xlsx")})
    again = load_portfolio(folder / "portfolio.xlsx", settings)
    from addin.app.dashboard import dashboard

    dashboard(again, tmp_path / "d.xlsx", settings)
    reloaded, first = load_of(again), load_of(run)
    assert reloaded is not None and first is not None
    assert [(p.name, p.periods) for p in reloaded.people] == [
        (p.name, p.periods) for p in first.people
    ]
    assert len(again.findings) == len(run.findings)  # not added twice


def test_pmo_load_reads_a_persons_load_from_the_portfolio(
    samples: tuple[Path, PortfolioRun], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, _ = samples
    toml = folder / "pmo.toml"
    toml.write_text('[resources]\ncapacity = "capacity.xlsx"\nportfolio = "portfolio.xlsx"\n')
    monkeypatch.setenv("PMO_CONFIG", str(toml))
    clear_caches()
    assert PMO_LOAD("Priya Natarajan", dt.date(2027, 1, 15)) == pytest.approx(24 / 18)
    assert PMO_LOAD("priya  natarajan", "Jan-27") == pytest.approx(24 / 18)
    assert PMO_LOAD("Chen Wei", "2027-02") == pytest.approx(24 / 20)
    assert PMO_LOAD("Laura McKenzie", "Sep-27") == 0.0  # free that month
    assert PMO_LOAD("Laura McKenzie", "Jan-30") == ""  # outside every plan: nothing known
    assert PMO_LOAD("P. Natarajan", "Jan-27") == (
        "#PMO: no 'P. Natarajan' in portfolio.xlsx's resource plans (did you mean Priya Natarajan?)"
    )
    assert PMO_LOAD("", "Jan-27").startswith("#PMO: person is blank")
    clear_caches()


def test_the_resources_button_names_who_is_over_allocated(
    samples: tuple[Path, PortfolioRun], tmp_path: Path
) -> None:
    import shutil

    from addin.excel import ribbon

    folder, _ = samples
    shutil.copy(folder / "portfolio.xlsx", tmp_path / "portfolio.xlsx")
    shutil.copy(folder / "capacity.xlsx", tmp_path / "capacity.xlsx")
    (tmp_path / "pmo.toml").write_text('[resources]\ncapacity = "capacity.xlsx"\n')
    host = FileHost(tmp_path / "portfolio.xlsx")
    text = ribbon.dispatch("pmoResources", host=host)
    assert "2 people over-allocated" in text
    assert "Priya Natarajan, Dec 2026: 127% (Red): DWP-0101 14.0 d, DWP-0103 10.0 d" in text
    assert host.opened == [tmp_path / "dashboard.xlsx"]
    assert ribbon.BUTTONS["pmoResources"].label == "Resources"


def test_consolidate_by_week_from_the_command_line(
    samples: tuple[Path, PortfolioRun], tmp_path: Path
) -> None:
    folder, _ = samples
    out = tmp_path / "weekly.xlsx"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "addin",
            "consolidate",
            str(folder / "trackers"),
            "-o",
            str(out),
            "--as-of",
            SAMPLES_AS_OF.isoformat(),
            "--capacity",
            str(folder / "capacity.xlsx"),
            "--period",
            "week",
            "--no-cache",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr  # the samples' planted errors
    ws = openpyxl.load_workbook(out)[CAPACITY_SHEET]
    header = [c.value for c in ws[HEADER_ROW + 1]]
    assert header[4:7] == ["2026-W45", "2026-W46", "2026-W47"]
    missing = subprocess.run(
        [
            *(sys.executable, "-m", "addin", "consolidate", str(folder / "trackers")),
            *("-o", str(out), "--capacity", str(tmp_path / "nope.xlsx")),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 2
    assert "capacity list" in missing.stderr and "file not found" in missing.stderr


def test_the_demo_shows_two_people_over_allocated_by_named_projects(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "addin", "demo", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "resources: 2 people over-allocated in the next 6 months" in out
    assert "Priya Natarajan: Dec 2026 127%, Jan 2027 133%, Feb 2027 133% " in out
    assert "(DWP-0101 14.0 d, DWP-0103 10.0 d)" in out
    assert "Chen Wei: Jan 2027 120%, Feb 2027 120%, Mar 2027 114%" in out
    assert (tmp_path / "capacity.xlsx").is_file()
    assert "Resources" in openpyxl.load_workbook(tmp_path / "dashboard.xlsx").sheetnames
    assert "upgrade-tracker: v1.0_Tracker.xlsx (template 1.0) -> v1.0_Tracker.upgraded.xlsx" in out


@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice not installed")
def test_libreoffice_prints_the_resources_page_and_the_capacity_sheet(
    samples: tuple[Path, PortfolioRun], tmp_path: Path
) -> None:
    folder, _ = samples
    pdf = convert(folder / "dashboard.xlsx", "pdf", tmp_path)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Most over-allocated people" in text and "Priya Natarajan" in text
    assert "Conflicts" in text
    book = convert(folder / "portfolio.xlsx", "pdf", tmp_path)
    text = subprocess.run(
        ["pdftotext", "-layout", str(book), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Capacity: utilisation by person and month" in text
